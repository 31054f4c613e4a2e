#include "modules/duplicates/module.h"

#include "cli/cli.h"
#include "http/api.h"
#include "modules/duplicates/scan_job.h"

namespace gz::modules::duplicates {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "duplicates";
    m.label = {"Doublons, fusion et purge", "Duplicates, merge and purge"};
    m.depends = {"users", "customers"};
    m.routes = [](http::Api& api, http::Services& s) {
      http::add_merge_routes(api, s);      // routes_merge.cpp
      http::add_duplicate_routes(api, s);  // routes_duplicates.cpp
    };
    m.commands = [](CLI::App& app, cli::CliContext& ctx, std::function<void()>& action) {
      cli::add_merge_commands(app, ctx, action);      // cmd_merge.cpp: merge, purge
      cli::add_duplicate_commands(app, ctx, action);  // cmd_duplicates.cpp: duplicates scan, check
    };
    m.jobs = matching::add_scan_job_handler;
    // The import's duplicate warnings (duplicates.cpp, import_duplicate_warnings).
    m.messages_fr.insert(m.messages_fr.end(), {
        {"very likely the same record as {name}", "très probablement la même fiche que {name}"},
        {"perhaps the same record as {name}", "peut-être la même fiche que {name}"},
        {"very likely the same record as {name} ({reasons})", "très probablement la même fiche que {name} ({reasons})"},
        {"perhaps the same record as {name} ({reasons})", "peut-être la même fiche que {name} ({reasons})"},
    });
    return m;
  }();
  return m;
}

}  // namespace gz::modules::duplicates
