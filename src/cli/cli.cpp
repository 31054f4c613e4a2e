#include "cli/cli.h"

#include "kernel/module.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "core/crypto.h"
#include "core/problem.h"
#include "store/migrations.h"

namespace gz::cli {

bool interactive() { return isatty(STDERR_FILENO); }

std::unique_ptr<store::Database> CliContext::open_database() const {
  std::filesystem::path p(db_location);
  if (db_location.find("://") == std::string::npos && p.has_parent_path())
    std::filesystem::create_directories(p.parent_path());
  auto db = store::Database::open(db_location);
  store::apply_migrations(*db);
  return db;
}

void add_db_option(CLI::App* cmd, CliContext& ctx) {
  cmd->add_option("--db", ctx.db_location, "Database: a SQLite file path, or a postgresql://user@host:port/dbname URL")->capture_default_str();
}

int run(int argc, char** argv) {
  crypto::init();
  CLI::App app{"Gazelle — a self-hosted CRM for small and fast-growing companies", "gazelle"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gazelle 0.1");
  CliContext ctx;
  std::function<void()> action;
  add_server_commands(app, ctx, action);
  add_migrate_data_command(app, ctx, action);
  // Each module's subcommands (kernel/module.h), in the order of the composition root.
  for (const kernel::Module* m : kernel::modules())
    if (m->commands) m->commands(app, ctx, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (action) action();
    return 0;
  } catch (const Problem& p) {
    // In the locale's language (LANG…, or GAZELLE_LANG).
    std::string lang = locale_language();
    std::cerr << "gazelle: " << p.detail(lang) << "\n";
    if (p.fields().size() > 1)
      for (const auto& f : p.fields()) std::cerr << "  " << f.render(lang) << "\n";
    return p.kind() == ProblemKind::NotFound ? 3 : 2;
  } catch (const std::exception& e) {
    std::cerr << "gazelle: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace gz::cli
