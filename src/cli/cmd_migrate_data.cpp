// gazelle migrate-data --from PATH.db --to postgresql://… : moves a whole company from SQLite to
// PostgreSQL (store/data_copy.h) and prints, per table, the rows and checksum verified.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "core/problem.h"
#include "store/data_copy.h"
#include "store/migrations.h"

namespace gz::cli {

namespace {

struct MigrateDataArgs {
  std::string from, to;
  bool force = false;
  int batch = 500;
};

bool is_pg_url(const std::string& s) { return s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0; }

void run_migrate_data(const MigrateDataArgs& a) {
  using Clock = std::chrono::steady_clock;
  if (is_pg_url(a.from)) throw Problem(ProblemKind::BadRequest, "--from takes a SQLite file, not a PostgreSQL URL");
  if (!std::filesystem::is_regular_file(a.from)) throw Problem(ProblemKind::NotFound, tr("no SQLite database at {file}", {{"file", a.from}}));
  if (!is_pg_url(a.to)) throw Problem(ProblemKind::BadRequest, "--to takes a PostgreSQL URL: postgresql://user@host:port/dbname");
  const auto start = Clock::now();

  // Both sides at the current schema: the source as any start of gazelle would bring it, the
  // target by its own migrations (which also own its schema_migrations table).
  auto source = store::Database::open(a.from);
  store::apply_migrations(*source);
  auto target = store::Database::open(a.to);
  for (const auto& m : store::apply_migrations(*target)) std::cerr << "target: applied " << m << "\n";

  store::DataCopyOptions o;
  o.force = a.force;
  o.batch = a.batch;
  const bool tty = interactive();
  auto last_print = start;
  if (tty)
    o.progress = [&](const std::string& table, int64_t done, int64_t total) {
      auto now = Clock::now();
      if (done != total && now - last_print < std::chrono::milliseconds(200)) return;
      last_print = now;
      std::fprintf(stderr, "\r  %-20s %12lld / %-12lld", table.c_str(), (long long)done, (long long)total);
      if (done == total) std::fprintf(stderr, "\n");
      std::fflush(stderr);
    };
  auto report = store::copy_database(*source, *target, o);

  std::printf("%-20s %12s  %-16s  %s\n", "table", "rows", "checksum", "OK");
  int64_t rows = 0;
  bool all_ok = true;
  for (const auto& t : report) {
    std::printf("%-20s %12lld  %-16s  %s%s\n", t.table.c_str(), (long long)t.target.rows,
                t.target.checksum.substr(0, 16).c_str(), t.ok() ? "OK" : "DIFFERS", t.copied ? "" : " (already there)");
    rows += t.target.rows;
    all_ok = all_ok && t.ok();
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%zu tables, %lld rows copied and verified in %.1f s into %s\n", report.size(), (long long)rows, secs,
              target->location().c_str());
  if (!all_ok) throw std::runtime_error("some tables differ between the source and the target");
}

}  // namespace

void add_migrate_data_command(CLI::App& app, CliContext&, std::function<void()>& action) {
  auto* cmd = app.add_subcommand(
      "migrate-data",
      "Copy a whole company from a SQLite file to a PostgreSQL database (ids, audit trail, search index), "
      "then verify every table's row count and checksum");
  static MigrateDataArgs args;
  cmd->add_option("--from", args.from, "Source: the SQLite database file")->required();
  cmd->add_option("--to", args.to, "Target: postgresql://user[:password]@host:port/dbname (migrations are applied)")
      ->required();
  cmd->add_flag("--force", args.force,
                "Write into a target that already holds data: tables identical to the source are kept, the others "
                "emptied and copied again (resumes an interrupted copy)");
  cmd->add_option("--batch", args.batch, "Rows per INSERT statement")->capture_default_str()->check(CLI::Range(1, 10000));
  cmd->callback([&action] { action = [] { run_migrate_data(args); }; });
}

}  // namespace gz::cli
