#include "modules/transfer/module.h"

#include "cli/cli.h"
#include "cli/wiring.h"
#include "domain/import_runs.h"
#include "http/api.h"

namespace gz::modules::transfer {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "transfer";
    m.label = {"Import et export", "Import and export"};
    m.depends = {"users", "customers", "duplicates"};
    m.routes = http::add_transfer_routes;            // routes_transfer.cpp
    m.commands = cli::add_transfer_commands;         // cmd_transfer.cpp: import, export
    m.jobs = [](domain::JobHandlers& h) {            // import runs of the wizard
      domain::add_import_run_handler(h, cli::import_duplicate_check());
    };
    return m;
  }();
  return m;
}

}  // namespace gz::modules::transfer
