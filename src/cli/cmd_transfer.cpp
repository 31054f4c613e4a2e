// gazelle import accounts|contacts|orders FILE.csv | gazelle export accounts|contacts|orders
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "core/problem.h"
#include "domain/access.h"
#include "domain/import_service.h"
#include "io/csv.h"

namespace gz::cli {

namespace {

struct ImportArgs {
  std::string entity, file;
  std::vector<std::string> map;
  bool dry_run = false, all_or_nothing = false;
};

struct ExportArgs {
  std::string entity, format = "csv", output;
};

std::string rejects_path(const std::string& file) {
  std::string base = file;
  if (base.size() > 4 && (base.compare(base.size() - 4, 4, ".csv") == 0 || base.compare(base.size() - 4, 4, ".CSV") == 0))
    base.resize(base.size() - 4);
  return base + ".rejects.csv";
}

int run_import(CliContext& ctx, const ImportArgs& a) {
  domain::ImportOptions o;
  for (const auto& m : a.map) {
    auto eq = m.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw Problem(ProblemKind::BadRequest, "--map takes column=field (or column=- to skip it), not '" + m + "'");
    o.map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  o.dry_run = a.dry_run;
  o.all_or_nothing = a.all_or_nothing;

  std::ifstream in(a.file, std::ios::binary);
  if (!in) throw Problem(ProblemKind::NotFound, "cannot open " + a.file);

  // Rejected rows go to FILE.rejects.csv (line, column, reason), written as they come.
  std::string rejects = rejects_path(a.file);
  std::ofstream rej;
  std::unique_ptr<io::CsvWriter> rej_writer;
  int shown = 0;
  o.on_error = [&](const domain::ImportError& e) {
    if (a.dry_run) {
      if (shown++ < 20)
        std::cerr << "  line " << e.line << (e.column.empty() ? "" : ", " + e.column) << ": " << e.message << "\n";
      return;
    }
    if (!rej_writer) {
      rej.open(rejects, std::ios::binary | std::ios::trunc);
      if (!rej) throw std::runtime_error("cannot write " + rejects);
      rej_writer = std::make_unique<io::CsvWriter>(rej);
      rej_writer->write_row({"line", "column", "reason"});
    }
    rej_writer->write_row({std::to_string(e.line), e.column, e.message});
  };
  auto t0 = std::chrono::steady_clock::now();
  if (interactive())
    o.on_progress = [&](int64_t rows) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "\r%lld rows, %.0f rows/s   ", (long long)rows, s > 0 ? rows / s : 0.0);
      std::fflush(stderr);
    };

  auto db = ctx.open_database();
  domain::RecordService records(*db);
  domain::ImportService service(records);
  auto report = service.import_csv(domain::system_actor(), domain::entity(a.entity), in, o);
  if (interactive()) std::cerr << "\n";
  if (rej_writer) rej.close();
  else if (!a.dry_run && std::filesystem::exists(rejects)) std::filesystem::remove(rejects);  // stale, from an earlier run

  std::cerr << (a.dry_run ? "dry run: " : "") << "created " << report.created << ", updated " << report.updated
            << ", unchanged " << report.unchanged << ", rejected " << report.rejected << " (" << report.rows
            << " rows read)\n";
  if (a.dry_run && shown > 20) std::cerr << "  … and " << (shown - 20) << " more errors\n";
  if (a.dry_run) std::cerr << "dry run: nothing was written\n";
  if (rej_writer) std::cerr << "rejected rows: see " << rejects << "\n";
  if (a.all_or_nothing && report.rejected > 0) {
    std::cerr << "--all-or-nothing: nothing was written\n";
    return 4;
  }
  if (a.dry_run && report.rejected > 0) return 4;
  return report.rejected > 0 ? 4 : 0;
}

void run_export(CliContext& ctx, const ExportArgs& a) {
  if (a.format == "xlsx" && a.output.empty())
    throw Problem(ProblemKind::BadRequest, "--format xlsx writes a file: give it with --output FILE.xlsx");
  auto db = ctx.open_database();
  domain::RecordService records(*db);
  domain::ImportService service(records);
  const auto& e = domain::entity(a.entity);
  if (a.format == "xlsx") {
    service.export_xlsx(domain::system_actor(), e, a.output);
    return;
  }
  if (a.output.empty()) {
    std::ios::sync_with_stdio(false);
    service.export_csv(domain::system_actor(), e, std::cout);
    return;
  }
  std::string tmp = a.output + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + a.output);
    service.export_csv(domain::system_actor(), e, out);
    if (!out) throw std::runtime_error("cannot write " + a.output);
  }
  std::filesystem::rename(tmp, a.output);
}

}  // namespace

void add_transfer_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  static ImportArgs ia;
  static ExportArgs ea;
  auto entities = CLI::IsMember(domain::transfer_entities());

  auto* imp = app.add_subcommand(
      "import",
      "Import a CSV file (',' or ';', UTF-8) into accounts, contacts or orders. Rows with an external_id "
      "update the record that has it, others create one. Rejected rows go to FILE.rejects.csv; "
      "exit code 4 when some were rejected");
  add_db_option(imp, ctx);
  imp->add_option("ENTITY", ia.entity, "accounts, contacts or orders")->required()->check(entities);
  imp->add_option("FILE", ia.file, "CSV file with a header row")->required()->check(CLI::ExistingFile);
  imp->add_option("--map", ia.map,
                  "column=field: read a column into a field (\"Nom=last_name\"), or column=- to skip it; repeatable")
      ->allow_extra_args(false)
      ->take_all();
  imp->add_flag("--dry-run", ia.dry_run, "Check every row and report, write nothing");
  imp->add_flag("--all-or-nothing", ia.all_or_nothing, "One transaction: a single rejected row and nothing is written");
  imp->callback([&ctx, &action] {
    action = [&ctx] {
      int rc = run_import(ctx, ia);
      if (rc) std::exit(rc);
    };
  });

  auto* exp = app.add_subcommand(
      "export", "Export accounts, contacts or orders to CSV (stdout unless --output) or XLSX (needs --output)");
  add_db_option(exp, ctx);
  exp->add_option("ENTITY", ea.entity, "accounts, contacts or orders")->required()->check(entities);
  exp->add_option("--format", ea.format, "csv or xlsx")->check(CLI::IsMember({"csv", "xlsx"}))->capture_default_str();
  exp->add_option("--output,-o", ea.output, "File to write");
  exp->callback([&ctx, &action] { action = [&ctx] { run_export(ctx, ea); }; });
}

}  // namespace gz::cli
