#include "modules/jobs/module.h"

#include "cli/cli.h"
#include "http/api.h"

namespace gz::modules::jobs {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "jobs";
    m.messages_fr = {
      {"only admins see the job queue", "seuls les administrateurs voient la file des tâches de fond"},
      {"job {id} not found", "tâche de fond {id} introuvable"},
    };
    m.label = {"Tâches de fond", "Background jobs"};
    m.depends = {"users"};
    m.routes = http::add_job_routes;     // routes_jobs.cpp
    m.commands = cli::add_job_commands;  // cmd_jobs.cpp: worker, jobs
    return m;
  }();
  return m;
}

}  // namespace gz::modules::jobs
