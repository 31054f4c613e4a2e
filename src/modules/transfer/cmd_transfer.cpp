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
#include "io/csv_encoding.h"
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
      throw Problem(ProblemKind::BadRequest, tr("--map takes column=field (or column=- to skip it), not '{value}'", {{"value", m}}));
    std::string col = m.substr(0, eq);
    o.map.erase(std::remove_if(o.map.begin(), o.map.end(), [&](const auto& p) { return p.first == col; }), o.map.end());
    o.map.emplace_back(col, m.substr(eq + 1));
  }
  return o;
}

namespace {

using json = nlohmann::json;

struct ImportArgs {
  std::string entity, file, sheet, mapping, save_mapping, returns_prefix, encoding, on_match;
  bool strict = false;
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
      std::fprintf(stderr, "\r[%s] %s   ", bar.c_str(),
                   tr("{percent}%  {rows} rows  {rate} rows/s",
                      {{"percent", Message::number(pct, 1)}, {"rows", rows}, {"rate", Message::number(rate)}})
                       .render(locale_language())
                       .c_str());
    } else {
      std::fprintf(stderr, "%s\n",
                   tr("progress: {rows} rows, {percent}% of the file, {rate} rows/s",
                      {{"rows", rows}, {"percent", Message::number(pct, 1)}, {"rate", Message::number(rate)}})
                       .render(locale_language())
                       .c_str());
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
    if (eq == std::string::npos || eq == 0)
      throw Problem(ProblemKind::BadRequest, tr("--set takes field=value, not '{value}'", {{"value", kv}}));
    o.constants[kv.substr(0, eq)] = constant_value(kv.substr(eq + 1));
  }
  if (a.create_missing) o.create_missing = true;
  if (a.anonymous) o.allow_anonymous = true;
  if (!a.returns_prefix.empty()) o.returns_prefix = a.returns_prefix;
  if (!a.encoding.empty()) o.encoding = a.encoding;
  if (a.strict) o.strict = true;
  if (!a.on_match.empty()) o.on_match = *domain::on_match_of(a.on_match);  // checked by CLI11
  const std::string lang = locale_language();
  auto say = [&](const Message& m) { std::cerr << m.render(lang) << "\n"; };
  json mapping = domain::normalise_mapping(domain::mapping_of(o));
  if (!a.save_mapping.empty()) {
    // The rules of the API's saved mappings (domain/import_mappings.h); a name another mapping of
    // the entity has is refused unless --replace-mapping (saving the same mapping again is fine).
    domain::ImportMappingService(*db).save(domain::system_actor(), e.name, a.save_mapping, mapping,
                                           a.replace_mapping ? domain::ImportMappingService::OnTaken::Replace
                                                             : domain::ImportMappingService::OnTaken::Refuse);
    say(tr("mapping '{name}' saved for {entity}", {{"name", a.save_mapping}, {"entity", Message::both(e.label.fr, e.label.en)}}));
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
  req.language = lang;
  if (a.check_duplicates) {
    if (e.name != "contacts" && e.name != "accounts")
      throw Problem(ProblemKind::BadRequest, tr("--check-duplicates applies to contacts and accounts, not {entity}",
                                                {{"entity", Message::both(e.label.fr, e.label.en)}}));
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
    if (report.encoding) {
      std::string sep = report.separator == ';' ? ";" : report.separator == '\t' ? "tab" : std::string(1, report.separator ? report.separator : ',');
      say(report.encoding->detected
              ? tr("file read as {encoding} (detected{bom}), separator {separator}",
                   {{"encoding", report.encoding->name},
                    {"bom", report.encoding->bom ? tr(", with a byte-order mark") : Message::verbatim("")},
                    {"separator", sep}})
              : tr("file read as {encoding} (as asked{bom}), separator {separator}",
                   {{"encoding", report.encoding->name},
                    {"bom", report.encoding->bom ? tr(", with a byte-order mark") : Message::verbatim("")},
                    {"separator", sep}}));
    }
    if (!report.suggested_columns.empty()) {
      std::string cols;
      for (const auto& [column, target] : report.suggested_columns) {
        // A field's label; a reference by natural key (account_name): the reference's label.
        const auto* f = e.field(target);
        for (const char* suffix : {"_name", "_legal_id"}) {
          size_t n = std::strlen(suffix);
          if (!f && target.size() > n && target.compare(target.size() - n, n, suffix) == 0)
            f = e.field(target.substr(0, target.size() - n) + "_id");
        }
        // A money field read in euros (Montant HT → amount_eur): the field's label.
        if (!f && target.size() > 4 && target.compare(target.size() - 4, 4, "_eur") == 0)
          f = e.field(target.substr(0, target.size() - 4) + "_cents");
        std::string shown = f ? f->label.in(lang) + " (" + target + ")" : target;
        cols += (cols.empty() ? "" : ", ") + column + " \u2192 " + shown;
      }
      say(tr("columns read by their usual names: {columns}", {{"columns", cols}}));
    }
    if (result.resumed)
      say(tr("resumed run {run} after line {line}", {{"run", result.run_id}, {"line", report.resumed_after_line}}));
    if (a.dry_run) {
      int shown = 0;
      for (const auto& err : report.errors)
        if (shown++ < 20)
          std::cerr << "  "
                    << (err.column.empty() ? tr("line {line}: {message}", {{"line", err.line}, {"message", err.message}})
                                           : tr("line {line}, {column}: {message}",
                                                {{"line", err.line}, {"column", err.column}, {"message", err.message}}))
                           .render(lang)
                    << "\n";
      if (report.error_count > 20) say(tr("  … and {n} more errors", {{"n", report.error_count - 20}}));
      for (const auto& p : report.preview) std::cout << p.dump() << "\n";
    }
    Message counts = tr("created {created}, updated {updated}, unchanged {unchanged}, rejected {rejected} ({rows} rows read)",
                        {{"created", report.created}, {"updated", report.updated}, {"unchanged", report.unchanged},
                         {"rejected", report.rejected}, {"rows", report.rows}});
    say(a.dry_run ? tr("dry run: {counts}", {{"counts", counts}}) : counts);
    if (report.matched > 0)
      say(report.skipped > 0
              ? tr("{n} rows matched stored records by e-mail or SIRET and were left as they were (--on-match skip)",
                   {{"n", report.matched}})
              : tr("{n} rows matched stored records by e-mail or SIRET and updated them (--on-match update)",
                   {{"n", report.matched}}));
    for (const auto& [entity, n] : report.created_related) {
      const auto* re = domain::find_entity(entity);
      say(tr("  {n} {entity} created for references that did not exist",
             {{"n", n}, {"entity", re ? Message::both(re->label.fr, re->label.en) : Message::verbatim(entity)}}));
    }
    if (report.warning_count > 0) {
      std::string kinds;
      for (const auto& [kind, n] : report.warning_kinds)
        kinds += (kinds.empty() ? "" : lang == "en" ? "; " : "\u00a0; ") +
                 tr("{kind} {n}", {{"kind", kind}, {"n", n}}).render(lang);
      say(a.dry_run ? tr("{n} warnings: {kinds}", {{"n", report.warning_count}, {"kinds", kinds}})
                    : tr("{n} warnings: {kinds}; see {file}",
                         {{"n", report.warning_count}, {"kinds", kinds}, {"file", req.warnings_path}}));
    }
    if (a.dry_run) say(tr("dry run: nothing was written"));
    if (!a.dry_run && report.error_count > 0)
      say(tr("rejected rows: see {file} (the rows as they are in the file, with the reason in a last column: "
             "correct them and import that file again)",
             {{"file", req.rejects_path}}));
  }
  if (a.all_or_nothing && report.rejected > 0) {
    say(tr("--all-or-nothing: nothing was written"));
    return 4;
  }
  return report.rejected > 0 ? 4 : 0;
}

void run_export(CliContext& ctx, const ExportArgs& a) {
  if (a.format == "xlsx" && a.output.empty())
    throw Problem(ProblemKind::BadRequest, tr("--format xlsx writes a file: give it with --output FILE.xlsx"));
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
      "Import a CSV (',' or ';'; UTF-8, Windows-1252 as French Excel writes it… detected) or XLSX file into "
      "accounts, contacts, households, orders or interactions, in batches of --batch-size rows committed one at a "
      "time. Columns named as people name them (email, Prénom, Téléphone, Code postal, Société, SIRET…) are read "
      "without --map. Rows with an external_id update the record that has it; contacts without one are matched by "
      "e-mail, accounts by SIRET/SIREN (--on-match); others create one. An import stopped half-way (killed, "
      "crashed) is resumed where it stopped when the same file is imported again. Rejected rows go to "
      "FILE.rejects.csv (as they are in the file, with a reason column, to correct and import again), warnings to "
      "FILE.warnings.csv; exit code 4 when some were rejected. See docs/import.md");
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
  imp->add_option("--encoding", ia.encoding,
                  "CSV: the file's encoding when detection gets it wrong: utf-8, windows-1252, iso-8859-1, iso-8859-15, "
                  "macintosh, ibm850, utf-16le, utf-16be (default: detected)")
      ->check([](const std::string& v) {
        return gz::io::canonical_encoding(v) ? std::string() : "unknown encoding '" + v + "'";
      });
  imp->add_flag("--strict", ia.strict,
                "Reject a row for any value the rules refuse; without it an unusable phone number (too short, not in "
                "use…) is set aside with a warning and the rest of the row imported");
  imp->add_option("--on-match", ia.on_match,
                  "Contacts, accounts: a row without external_id whose e-mail (contacts) or SIRET/SIREN (accounts) is "
                  "a stored record's updates it (update, the default), leaves it as it is (skip), or is created anyway "
                  "(create)")
      ->check(CLI::IsMember({"update", "skip", "create"}));
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
