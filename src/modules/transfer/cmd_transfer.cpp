// gazelle import ENTITY FILE.csv|FILE.xlsx | gazelle export accounts|contacts|orders
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "cli/import_mapping.h"
#include "core/problem.h"
#include "domain/access.h"
#include "domain/import_runs.h"
#include "domain/import_service.h"
#include "io/csv.h"
#include "cli/wiring.h"
#include "domain/import_mappings.h"

namespace gz::cli {

domain::ImportOptions mapping_options(store::Database& db, const domain::Entity& e, const std::string& saved_name,
                                      const std::vector<std::string>& maps) {
  domain::ImportOptions o;
  if (!saved_name.empty()) {
    domain::apply_mapping(domain::ImportMappingService(db).by_name(e.name, saved_name)["mapping"], o);
  }
  for (const auto& m : maps) {
    auto eq = m.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw Problem(ProblemKind::BadRequest, "--map takes column=field (or column=- to skip it), not '" + m + "'");
    std::string col = m.substr(0, eq);
    o.map.erase(std::remove_if(o.map.begin(), o.map.end(), [&](const auto& p) { return p.first == col; }), o.map.end());
    o.map.emplace_back(col, m.substr(eq + 1));
  }
  return o;
}

namespace {

using json = nlohmann::json;

struct ImportArgs {
  std::string entity, file, sheet, mapping, save_mapping, returns_prefix;
  std::vector<std::string> map, set, derive;
  bool dry_run = false, all_or_nothing = false, create_missing = false, anonymous = false, check_duplicates = false;
  bool resume = false, restart = false, replace_mapping = false;
  int batch_size = 1000, preview = 0;
  std::string format = "text";
};

struct ExportArgs {
  std::string entity, format = "csv", output;
};

std::string base_of(const std::string& file) {
  std::string base = file;
  for (const char* ext : {".csv", ".CSV", ".xlsx", ".XLSX"}) {
    size_t n = std::strlen(ext);
    if (base.size() > n && base.compare(base.size() - n, n, ext) == 0) {
      base.resize(base.size() - n);
      break;
    }
  }
  return base;
}

std::string rejects_path(const std::string& file) { return base_of(file) + ".rejects.csv"; }
std::string warnings_path(const std::string& file) { return base_of(file) + ".warnings.csv"; }

// "field=value": the value as JSON when it parses as a number, boolean or quoted text, else text.
json constant_value(const std::string& raw) {
  json v = json::parse(raw, nullptr, false);
  if (!v.is_discarded() && (v.is_number() || v.is_boolean() || v.is_string())) return v;
  return raw;
}

// Progress on stderr: a bar redrawn in place on a terminal, a line every 5 s otherwise.
struct Progress {
  bool tty = interactive();
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now(), last = t0;
  void operator()(int64_t rows, uint64_t bytes, uint64_t total, bool final = false) {
    auto now = std::chrono::steady_clock::now();
    double since = std::chrono::duration<double>(now - last).count();
    if (!final && since < (tty ? 0.1 : 5.0)) return;
    last = now;
    double s = std::chrono::duration<double>(now - t0).count();
    double rate = s > 0 ? rows / s : 0.0;
    double pct = total > 0 ? 100.0 * double(std::min(bytes, total)) / double(total) : 0.0;
    if (tty) {
      int width = 30, filled = int(pct / 100.0 * width + 0.5);
      std::string bar(size_t(filled), '#');
      bar += std::string(size_t(width - filled), '-');
      std::fprintf(stderr, "\r[%s] %5.1f%%  %lld rows  %.0f rows/s   ", bar.c_str(), pct, (long long)rows, rate);
    } else {
      std::fprintf(stderr, "progress: %lld rows, %.1f%% of the file, %.0f rows/s\n", (long long)rows, pct, rate);
    }
    std::fflush(stderr);
  }
};

int run_import(CliContext& ctx, const ImportArgs& a) {
  auto db = ctx.open_database();
  domain::RecordService records(*db);
  const auto& e = domain::entity(a.entity);

  // The mapping: a saved one, then --map/--set/options on top.
  domain::ImportOptions o = mapping_options(*db, e, a.mapping, a.map);
  for (const auto& kv : a.set) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw Problem(ProblemKind::BadRequest, "--set takes field=value, not '" + kv + "'");
    o.constants[kv.substr(0, eq)] = constant_value(kv.substr(eq + 1));
  }
  if (a.create_missing) o.create_missing = true;
  if (a.anonymous) o.allow_anonymous = true;
  if (!a.returns_prefix.empty()) o.returns_prefix = a.returns_prefix;
  json mapping = domain::normalise_mapping(domain::mapping_of(o));
  if (!a.save_mapping.empty()) {
    // The rules of the API's saved mappings (domain/import_mappings.h); a name another mapping of
    // the entity has is refused unless --replace-mapping (saving the same mapping again is fine).
    domain::ImportMappingService(*db).save(domain::system_actor(), e.name, a.save_mapping, mapping,
                                           a.replace_mapping ? domain::ImportMappingService::OnTaken::Replace
                                                             : domain::ImportMappingService::OnTaken::Refuse);
    std::cerr << "mapping '" << a.save_mapping << "' saved for " << e.name << "\n";
  }

  domain::ImportFileRequest req;
  req.entity = e.name;
  req.path = a.file;
  req.sheet = a.sheet;
  req.mapping = mapping;
  req.dry_run = a.dry_run;
  req.all_or_nothing = a.all_or_nothing;
  req.batch_size = a.batch_size;
  req.restart = a.restart;
  req.require_resume = a.resume;
  req.rejects_path = rejects_path(a.file);
  req.warnings_path = warnings_path(a.file);
  req.preview_rows = size_t(std::max(0, a.preview));
  req.derive = a.derive;
  req.language = locale_language();
  if (a.check_duplicates) {
    if (e.name != "contacts" && e.name != "accounts")
      throw Problem(ProblemKind::BadRequest, "--check-duplicates applies to contacts and accounts, not " + e.name);
    auto check = import_duplicate_check();  // the same check as the API's runs (cli/wiring.cpp)
    req.duplicate_check = [&, check](domain::RowSource& source, const domain::ImportOptions& options) {
      return check(*db, domain::system_actor(), e.name, source, options);
    };
  }
  Progress progress;
  req.on_progress = [&](int64_t rows, uint64_t bytes, uint64_t total) { progress(rows, bytes, total); };

  auto result = domain::import_file(records, domain::system_actor(), req);
  const auto& report = result.report;
  if (progress.tty) std::cerr << "\n";

  if (a.format == "json") {
    json out = domain::report_json(report, req.language);
    out["run_id"] = result.run_id;
    out["dry_run"] = a.dry_run;
    std::cout << out.dump(2) << "\n";
  } else {
    if (result.resumed) std::cerr << "resumed run " << result.run_id << " after line " << report.resumed_after_line << "\n";
    if (a.dry_run) {
      int shown = 0;
      for (const auto& err : report.errors)
        if (shown++ < 20)
          std::cerr << "  line " << err.line << (err.column.empty() ? "" : ", " + err.column) << ": " << err.message.render(req.language) << "\n";
      if (report.error_count > 20) std::cerr << "  … and " << (report.error_count - 20) << " more errors\n";
      for (const auto& p : report.preview) std::cout << p.dump() << "\n";
    }
    std::cerr << (a.dry_run ? "dry run: " : "") << "created " << report.created << ", updated " << report.updated
              << ", unchanged " << report.unchanged << ", rejected " << report.rejected << " (" << report.rows
              << " rows read)\n";
    for (const auto& [entity, n] : report.created_related)
      std::cerr << "  " << n << " " << entity << " created for references that did not exist\n";
    if (report.warning_count > 0) {
      std::cerr << report.warning_count << " warnings:";
      for (const auto& [kind, n] : report.warning_kinds) std::cerr << " " << kind << " " << n << ";";
      std::cerr << (a.dry_run ? "\n" : " see " + req.warnings_path + "\n");
    }
    if (a.dry_run) std::cerr << "dry run: nothing was written\n";
    if (!a.dry_run && report.error_count > 0) std::cerr << "rejected rows: see " << req.rejects_path << "\n";
  }
  if (a.all_or_nothing && report.rejected > 0) {
    std::cerr << "--all-or-nothing: nothing was written\n";
    return 4;
  }
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
      "Import a CSV (',' or ';', UTF-8) or XLSX file into accounts, contacts, households, orders or interactions, "
      "in batches of --batch-size rows committed one at a time. Rows with an external_id update the record that "
      "has it, others create one. An import stopped half-way (killed, crashed) is resumed where it stopped when "
      "the same file is imported again. Rejected rows go to FILE.rejects.csv, warnings to FILE.warnings.csv; "
      "exit code 4 when some were rejected. See docs/import.md");
  add_db_option(imp, ctx);
  imp->add_option("ENTITY", ia.entity, "accounts, contacts, households, orders or interactions")->required()->check(entities);
  imp->add_option("FILE", ia.file, "CSV or XLSX file with a header row")->required()->check(CLI::ExistingFile);
  imp->add_option("--sheet", ia.sheet, "XLSX: the sheet to read (default the first)");
  imp->add_option("--map", ia.map,
                  "column=field: read a column into a field (\"Nom=last_name\"), or column=- to skip it; repeatable")
      ->allow_extra_args(false)
      ->take_all();
  imp->add_option("--set", ia.set, "field=value given to every record (e.g. currency=GBP); repeatable")
      ->allow_extra_args(false)
      ->take_all();
  imp->add_option("--derive", ia.derive,
                  "target=expression: a column computed from others as the file is read, e.g. "
                  "\"street=concat(number, street_name)\", \"birth_date=date(dob, YYYYMMDD)\", "
                  "\"last_name=coalesce(surname, given_name)\", \"identifiers=object(soc_sec_id)\"; repeatable "
                  "(docs/import.md, \"Derived columns\")")
      ->allow_extra_args(false)
      ->take_all();
  imp->add_option("--mapping", ia.mapping, "Use the saved mapping NAME (then --map/--set on top)");
  imp->add_option("--save-mapping", ia.save_mapping,
                  "Save the mapping given here under NAME for this entity (refused when another mapping has the name, "
                  "unless --replace-mapping)");
  imp->add_flag("--replace-mapping", ia.replace_mapping, "With --save-mapping: replace the mapping saved under NAME");
  imp->add_flag("--create-missing", ia.create_missing,
                "Create the contacts/accounts/households named by *_external_id and the products named by SKU "
                "that do not exist yet");
  imp->add_option("--returns-prefix", ia.returns_prefix, "Orders: an external_id starting with it is a return (status returned)");
  imp->add_flag("--anonymous", ia.anonymous, "Orders: rows without a customer make anonymous sales (orders with no customer)");
  imp->add_option("--batch-size", ia.batch_size, "Rows per transaction")->check(CLI::Range(1, 1000000))->capture_default_str();
  imp->add_flag("--dry-run", ia.dry_run, "Check every row and report, write nothing");
  imp->add_flag("--check-duplicates", ia.check_duplicates,
                "Contacts, accounts: before writing, warn (kind probable_duplicate, warnings file) about each row "
                "that looks like a stored record, naming the candidates and their scores; the rows are imported");
  imp->add_option("--preview", ia.preview, "With --dry-run: print the first N records as they would be stored (JSON lines)");
  imp->add_flag("--all-or-nothing", ia.all_or_nothing, "One transaction: a single rejected row and nothing is written");
  imp->add_flag("--resume", ia.resume, "Resume the unfinished import of this file (fail if there is none); "
                                       "without it an unfinished import of the same file is resumed anyway");
  imp->add_flag("--restart", ia.restart, "Start from the first row even if an import of this file was left unfinished");
  imp->add_option("--format", ia.format, "text or json (the report on stdout)")->check(CLI::IsMember({"text", "json"}));
  imp->callback([&ctx, &action] {
    action = [&ctx] {
      int rc = run_import(ctx, ia);
      if (rc) std::exit(rc);
    };
  });

  auto* exp = app.add_subcommand(
      "export", "Export accounts, contacts or orders to CSV (stdout unless --output) or XLSX (needs --output)");
  add_db_option(exp, ctx);
  exp->add_option("ENTITY", ea.entity, "accounts, contacts, households, orders or interactions")->required()->check(entities);
  exp->add_option("--format", ea.format, "csv or xlsx")->check(CLI::IsMember({"csv", "xlsx"}))->capture_default_str();
  exp->add_option("--output,-o", ea.output, "File to write");
  exp->callback([&ctx, &action] { action = [&ctx] { run_export(ctx, ea); }; });
}

}  // namespace gz::cli
