// Import and export routes: POST /api/v1/import/{entity} with a CSV body, and
// GET /api/v1/export/{entity}?format=csv|xlsx. The actor's access rules apply to both.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <mutex>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>


#include "core/clock.h"
#include "core/crypto.h"
#include "core/text.h"
#include "io/xlsx_reader.h"
#include "domain/access.h"
#include "domain/import_mappings.h"
#include "domain/import_runs.h"
#include "domain/import_service.h"
#include "domain/schema.h"
#include "http/api.h"
#include "modules/duplicates/duplicates.h"
#include "store/import_store.h"

namespace gz::http {

// Uploads older than this are removed (docs/import.md, "Uploads").
constexpr int64_t kUploadMaxAgeSeconds = 86400;
// Removes the uploaded files (and run reports) older than max_age_seconds; returns how many.
size_t remove_old_uploads(int64_t max_age_seconds);

namespace {

const domain::Entity& transfer_entity(const RequestContext& ctx) {
  std::string name = ctx.path_param(0);
  const domain::Entity* e = domain::find_entity(name);
  if (!e || (!e->importable && !e->exportable))
    throw Problem(ProblemKind::NotFound, tr("'{entity}' cannot be imported or exported; use {entities}",
                                            {{"entity", name.substr(0, 40)},
                                             {"entities", kernel::names_with(&domain::Entity::importable)}}));
  return domain::entity(name);
}

// Uploaded files of the import wizard wait in a private directory (0700, this user's only) under
// a random token, as <owner id>-<token>.csv|.xlsx (0600): another user holding the token gets a
// 404. A file is removed when its run is done, and every file older than a day is removed (at
// start and, at most hourly, when the wizard is used).
std::filesystem::path upload_dir() {
  static const std::filesystem::path dir = [] {
    namespace fs = std::filesystem;
    fs::path d = fs::temp_directory_path() / ("gazelle-imports-" + std::to_string(::geteuid()));
    if (::mkdir(d.c_str(), 0700) != 0 && errno != EEXIST) throw std::runtime_error("cannot create " + d.string());
    // Shared /tmp: the directory must be ours and no symbolic link, or another user could read
    // the uploads; otherwise a fresh private one.
    struct stat st {};
    if (::lstat(d.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) {
      std::string tmpl = (fs::temp_directory_path() / "gazelle-imports-XXXXXX").string();
      if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a private upload directory");
      return fs::path(tmpl);
    }
    ::chmod(d.c_str(), 0700);
    return d;
  }();
  return dir;
}

std::string owner_prefix(const domain::Actor& actor) { return std::to_string(actor.user_id) + "-"; }

std::filesystem::path upload_path(const std::string& token, const domain::Actor& actor) {
  bool ok = token.size() >= 16 && token.size() <= 64 &&
            std::all_of(token.begin(), token.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
  if (ok)
    for (const char* ext : {".csv", ".xlsx"}) {
      auto p = upload_dir() / (owner_prefix(actor) + token + ext);
      if (std::filesystem::exists(p)) return p;
    }
  throw Problem(ProblemKind::NotFound, tr("no uploaded file '{upload}'; upload it again", {{"upload", token.substr(0, 64)}}),
                {{"upload", tr("unknown or expired upload")}});
}

// Writes the upload readable by this user only (0600), never through an existing file.
void write_private(const std::filesystem::path& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw std::runtime_error("cannot store the upload " + path.string());
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      std::error_code ec;
      std::filesystem::remove(path, ec);
      throw std::runtime_error("cannot store the upload " + path.string());
    }
    done += size_t(n);
  }
  ::close(fd);
}

}  // namespace

size_t remove_old_uploads(int64_t max_age_seconds) {
  namespace fs = std::filesystem;
  size_t removed = 0;
  std::error_code ec;
  auto limit = fs::file_time_type::clock::now() - std::chrono::seconds(max_age_seconds);
  for (const auto& entry : fs::directory_iterator(upload_dir(), ec)) {
    std::error_code e2;
    if (entry.is_regular_file(e2) && entry.last_write_time(e2) < limit && !e2 && fs::remove(entry.path(), e2)) ++removed;
  }
  return removed;
}

namespace {

// The day-old sweep, at most once an hour, from the wizard's routes.
void sweep_uploads() {
  static std::mutex mutex;
  static std::chrono::steady_clock::time_point last{};
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto now = std::chrono::steady_clock::now();
    if (last != std::chrono::steady_clock::time_point{} && now - last < std::chrono::hours(1)) return;
    last = now;
  }
  remove_old_uploads(kUploadMaxAgeSeconds);
}

const domain::Entity& importable(const std::string& name) { return domain::importable_entity(name); }

// "your role (Commercial) cannot create or change Contacts".
Problem forbidden(const domain::Actor& actor, const domain::Entity& e) {
  const kernel::Role* r = kernel::find_role(actor.role);
  return Problem(ProblemKind::Forbidden,
                 tr("your role ({role}) cannot create or change {entity}",
                    {{"role", r ? Message::both(r->label.fr, r->label.en) : Message::verbatim(actor.role)},
                     {"entity", Message::both(e.label.fr, e.label.en)}}));
}

// The options of the direct import (POST /api/v1/import/{entity}) that a mapping also has.
void query_options(const RequestContext& ctx, domain::ImportOptions& o) {
  json opts = json::object();
  std::string enc = query_text(ctx.req, "encoding", "");
  if (!enc.empty()) opts["encoding"] = enc;
  if (query_bool(ctx.req, "strict")) opts["strict"] = true;
  std::string on_match = query_text(ctx.req, "on_match", "");
  if (!on_match.empty()) opts["on_match"] = on_match;
  if (opts.empty()) return;
  domain::ImportOptions parsed;
  domain::apply_mapping({{"options", opts}}, parsed);
  o.encoding = parsed.encoding;
  o.strict = parsed.strict;
  o.on_match = parsed.on_match;
}

int64_t id_param(const RequestContext& ctx) {
  if (auto id = parse_id(ctx.path_param(0))) return *id;
  throw Problem(ProblemKind::NotFound, tr("'{id}' is not an id", {{"id", ctx.path_param(0).substr(0, 40)}}));
}

}  // namespace

void add_transfer_routes(Api& api, Services& s) {
  sweep_uploads();  // at start: the files of a day ago or more
  api.add({"POST", "/api/v1/import/{entity}",
       "Import a CSV body (',' or ';'; UTF-8, Windows-1252… detected, or encoding=…) into an importable entity "
       "(accounts, contacts, households, orders, interactions, opportunities); query: dry_run, all_or_nothing, map=column:field (repeated or comma-separated), encoding, strict, "
       "on_match=update|skip|create. Returns {created, updated, unchanged, rejected, matched, skipped, errors, "
       "warnings, encoding}",
       "import", true, "", "import_report", [&s](RequestContext& ctx) {
         const auto& e = transfer_entity(ctx);
         domain::ImportOptions o;
         o.dry_run = query_bool(ctx.req, "dry_run");
         o.all_or_nothing = query_bool(ctx.req, "all_or_nothing");
         for (const std::string& all : query_all(ctx.req, "map")) {
           size_t start = 0;
           while (start <= all.size()) {
             size_t end = all.find(',', start);
             std::string m = all.substr(start, end == std::string::npos ? std::string::npos : end - start);
             if (!m.empty()) {
               auto colon = m.rfind(':');
               if (colon == std::string::npos || colon == 0)
                 throw Problem(ProblemKind::BadRequest,
                               tr("map takes column:field (or column:- to skip it), not '{value}'", {{"value", m.substr(0, 60)}}),
                               {{"map", tr("use column:field")}});
               o.map.emplace_back(m.substr(0, colon), m.substr(colon + 1));
             }
             if (end == std::string::npos) break;
             start = end + 1;
           }
         }
         if (ctx.req.body.empty()) throw Problem(ProblemKind::BadRequest, tr("the request body is empty; send the CSV file"));
         query_options(ctx, o);
         std::istringstream in(ctx.req.body);
         domain::ImportService service(s.records);
         auto report = service.import_csv(ctx.actor, e, in, o);
         json errors = json::array(), warnings = json::array();
         for (const auto& err : report.errors)
           errors.push_back({{"line", err.line}, {"column", err.column}, {"message", err.message.render(ctx.lang())}});
         for (const auto& w : report.warnings)
           warnings.push_back({{"line", w.line}, {"column", w.column}, {"message", w.message.render(ctx.lang())}});
         json body = {{"created", report.created},     {"updated", report.updated},
                      {"unchanged", report.unchanged}, {"rejected", report.rejected},
                      {"matched", report.matched},     {"skipped", report.skipped},
                      {"rows", report.rows},           {"written", report.written},
                      {"dry_run", o.dry_run},          {"errors", errors},
                      {"warnings", warnings},          {"warning_kinds", report.warning_kinds}};
         body.update(domain::file_format_json(report.encoding, report.separator));
         if (report.error_count > int64_t(report.errors.size())) body["errors_truncated"] = report.error_count;
         send_json(ctx.res, o.all_or_nothing && report.rejected > 0 ? 422 : 200, body);
       }, 200});
  // --- Import wizard: upload, preview (dry run), tracked runs with progress, saved mappings.
  api.add({"POST", "/api/v1/imports/uploads",
       "Upload a CSV or XLSX file to import (body: the file; query: file_name, entity, sheet, encoding). Returns an "
       "upload token, the sheets, the header, the first rows, a suggested mapping and how a CSV file is read: "
       "encoding (detected: UTF-8, windows-1252, macintosh, UTF-16…, or the one given), encoding_detected, bom, "
       "separator", "import", true, "", "", [&s](RequestContext& ctx) {
         if (ctx.req.body.empty()) throw Problem(ProblemKind::BadRequest, tr("the request body is empty; send the file"));
         std::string encoding = query_text(ctx.req, "encoding", "");
         const auto& e = importable(query_text(ctx.req, "entity", "contacts"));
         if (!domain::can_write(ctx.actor, e))
           throw forbidden(ctx.actor, e);
         bool xlsx = ctx.req.body.size() >= 4 && ctx.req.body.compare(0, 4, std::string("PK\x03\x04", 4)) == 0;
         sweep_uploads();
         std::string token = crypto::random_token(18);
         auto path = upload_dir() / (owner_prefix(ctx.actor) + token + (xlsx ? ".xlsx" : ".csv"));
         write_private(path, ctx.req.body);
         std::string sheet = query_text(ctx.req, "sheet", "");
         json sheets = json::array();
         if (xlsx) {
           try {
             io::XlsxReader r(path.string());
             sheets = r.sheet_names();
           } catch (const io::XlsxError& err) {
             std::error_code ec;
             std::filesystem::remove(path, ec);
             throw Problem(ProblemKind::BadRequest, Message::verbatim(err.what()), {{"file", Message::verbatim(err.what())}});
           }
         }
         json peek;
         try {
           auto src = domain::open_source(path.string(), sheet, encoding);
           peek = domain::ImportService::peek(*src, 5);
         } catch (...) {
           std::error_code ec;
           std::filesystem::remove(path, ec);  // a file that cannot be read is not kept
           throw;
         }
         auto suggested = domain::ImportService::suggest_mapping(e, peek["header"].get<std::vector<std::string>>());
         json columns = json::object();
         auto header = peek["header"].get<std::vector<std::string>>();
         for (size_t i = 0; i < header.size(); ++i) columns[header[i]] = suggested[i].empty() ? "-" : suggested[i];
         auto mappings = domain::ImportMappingService(s.db).list(e.name);
         json out = {{"upload", token}, {"format", xlsx ? "xlsx" : "csv"}, {"sheets", sheets}, {"entity", e.name},
                     {"file_name", query_text(ctx.req, "file_name", "")},
                     {"bytes", ctx.req.body.size()}, {"header", peek["header"]}, {"rows", peek["rows"]},
                     {"suggested", {{"columns", columns}}}, {"mappings", mappings}};
         for (const char* k : {"encoding", "encoding_detected", "bom", "separator"})
           if (peek.contains(k)) out[k] = peek[k];
         send_json(ctx.res, 201, out);
       }, 201});
  api.add({"POST", "/api/v1/imports/preview",
       "Dry run of an uploaded file with a mapping: {upload, entity, sheet, mapping, rows (default 1000)}. Returns the "
       "first records as they would be stored and the errors; writes nothing", "import", true, "", "import_report",
       [&s](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"upload", "entity", "sheet", "mapping", "rows"});
         const auto& e = importable(body_string(body, "entity"));
         domain::ImportFileRequest req;
         req.entity = e.name;
         req.path = upload_path(body_string(body, "upload"), ctx.actor).string();
         req.sheet = body_string(body, "sheet");
         req.mapping = domain::normalise_mapping(body.value("mapping", json::object()));
         req.dry_run = true;
         req.preview_rows = 10;
         req.limit_rows = body_int(body, "rows", 1000, 1, 100000);
         req.language = ctx.lang();
         auto result = domain::import_file(s.records, ctx.actor, req);
         json out = domain::report_json(result.report, req.language);
         out["dry_run"] = true;
         out["rows_checked"] = result.report.rows;
         json again = domain::reimport_warning(s.db, req.path, e.name, req.sheet, req.mapping, ctx.lang());
         if (!again.is_null()) out["reimport_warning"] = again;
         send_json(ctx.res, 200, out);
       }, 200});
  api.add({"POST", "/api/v1/imports/duplicates",
       "Check an uploaded contacts or accounts file against the base before importing it: {upload, entity, sheet, "
       "mapping, limit (default 100)}. Returns the rows that look like existing records, with the candidates, scores "
       "and per-field explanations; writes nothing", "import", true, "", "", [&s](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"upload", "entity", "sheet", "mapping", "limit"});
         const auto& e = importable(body_string(body, "entity"));
         if (e.name != "contacts" && e.name != "accounts")
           throw Problem(ProblemKind::Unprocessable, tr("duplicates are checked for contacts and accounts"),
                         {{"entity", tr("must be contacts or accounts")}});
         if (!domain::can_write(ctx.actor, e))
           throw forbidden(ctx.actor, e);
         int64_t limit = body_int(body, "limit", 100, 1, 1000);
         domain::ImportOptions o;
         domain::apply_mapping(body.value("mapping", json::object()), o);
         auto source = domain::open_source(upload_path(body_string(body, "upload"), ctx.actor).string(),
                                           body_string(body, "sheet"), o.encoding);
         send_json(ctx.res, 200, matching::check_import_file(s.db, ctx.actor, e.name, *source, o, 2, size_t(limit), ctx.lang()));
       }, 200});
  api.add({"POST", "/api/v1/imports/runs",
       "Start importing an uploaded file: {upload, entity, sheet, mapping, file_name, restart, check_duplicates}. "
       "Runs in the background in batches; poll GET /api/v1/imports/runs/{id}. The unfinished run of the same file "
       "is resumed. check_duplicates (contacts, accounts): rows that look like stored records are reported as "
       "warnings of kind probable_duplicate, naming the records they look like and why, still imported, and the "
       "pairs queued for review (GET /api/v1/duplicates)",
       "import", true, "", "", [&s](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"upload", "entity", "sheet", "mapping", "file_name", "restart", "check_duplicates"});
         const auto& e = importable(body_string(body, "entity"));
         if (!domain::can_write(ctx.actor, e))
           throw forbidden(ctx.actor, e);
         std::string token = body_string(body, "upload");
         domain::ImportFileRequest req;
         req.entity = e.name;
         req.path = upload_path(token, ctx.actor).string();
         req.file_name = body_string(body, "file_name");
         if (req.file_name.size() > 500 || !text::valid_utf8(req.file_name))
           throw Problem(ProblemKind::Unprocessable, tr("file_name must be a UTF-8 text of at most 500 bytes"),
                         {{"file_name", tr("at most 500 bytes of UTF-8 text")}});
         req.sheet = body_string(body, "sheet");
         req.mapping = domain::normalise_mapping(body.value("mapping", json::object()));
         req.restart = body_bool(body, "restart");
         bool check_duplicates = body_bool(body, "check_duplicates");
         if (check_duplicates && e.name != "contacts" && e.name != "accounts")
           throw Problem(ProblemKind::Unprocessable, tr("check_duplicates applies to contacts and accounts"),
                         {{"check_duplicates", tr("applies to contacts and accounts, not {entity}",
                                                  {{"entity", Message::both(e.label.fr, e.label.en)}})}});
         req.language = ctx.lang();
         req.rejects_path = (upload_dir() / (owner_prefix(ctx.actor) + token + ".rejects.csv")).string();
         req.warnings_path = (upload_dir() / (owner_prefix(ctx.actor) + token + ".warnings.csv")).string();
         json again = domain::reimport_warning(s.db, req.path, e.name, req.sheet, req.mapping, ctx.lang());
         // Columns and mapping checked now, so that a wrong mapping is a 422 here, not a failed run.
         {
           domain::ImportFileRequest check = req;
           check.dry_run = true;
           check.limit_rows = 1;
           domain::import_file(s.records, ctx.actor, check);
         }
         req.run_id = domain::queue_import_run(s.db, ctx.actor, req);
         // Imported by a job worker (gazelle serve, or gazelle worker), resumable after a crash.
         domain::ImportJobRequest job;
         job.run_id = *req.run_id;
         job.path = req.path;
         job.warnings_path = req.warnings_path;
         job.check_duplicates = check_duplicates;
         job.language = req.language;
         job.remove_file = true;  // once done: the upload is no longer needed (a failed run keeps it, to resume)
         domain::queue_import_job(s.db, ctx.actor, job);
         auto row = domain::visible_run(s.db, ctx.actor, *req.run_id);
         json out = domain::run_json(row, ctx.lang());
         if (!again.is_null()) out["reimport_warning"] = again;
         send_json(ctx.res, 202, out);
       }, 202});
  api.add({"GET", "/api/v1/imports/runs", "Import runs (yours; all for an admin), newest first: status, progress, counts",
       "import", true, "", "", [&s](RequestContext& ctx) {
         json data = json::array();
         for (auto& r : domain::list_runs(s.db, ctx.actor, ctx.lang())) data.push_back(std::move(r));
         send_json(ctx.res, 200, {{"data", data}});
       }, 200});
  api.add({"GET", "/api/v1/imports/runs/{id}", "One import run: status, rows and bytes done, percent, counts, report",
       "import", true, "", "", [&s](RequestContext& ctx) {
         send_json(ctx.res, 200, domain::get_run(s.db, ctx.actor, id_param(ctx), ctx.lang()));
       }, 200});
  // The run's report files. The warnings file sits beside the reject file (FILE.rejects.csv,
  // FILE.warnings.csv: the CLI and the API name them so), which the run records.
  // The reject file holds the original rows in the file's own encoding (its charset is said).
  auto report_file = [&s](const std::string& kind, const std::string& header) {
    return [&s, kind, header](RequestContext& ctx) {
      json row = domain::visible_run(s.db, ctx.actor, id_param(ctx));
      std::string path = row.value("rejects_path", json()).is_string() ? row["rejects_path"].get<std::string>() : "";
      const std::string suffix = ".rejects.csv";
      if (kind == "warnings")
        path = path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0
                   ? path.substr(0, path.size() - suffix.size()) + ".warnings.csv"
                   : "";
      std::string data = (kind == "rejects" ? tr("Rejection reason").render(ctx.lang()) : header) + "\r\n";
      std::string charset = "utf-8";
      bool found = false;
      if (!path.empty()) {
        std::ifstream f(path, std::ios::binary);
        if (f) {
          data.assign((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
          found = true;
        }
      }
      if (kind == "rejects" && found) {
        json report = row.value("report", json());
        if (report.is_string()) report = json::parse(report.get<std::string>(), nullptr, false);
        if (report.is_object() && report.value("encoding", json()).is_string())
          charset = report["encoding"].get<std::string>();
      }
      ctx.res.status = 200;
      ctx.res.set_content(data, "text/csv; charset=" + charset);
      ctx.res.set_header("Content-Disposition", "attachment; filename=\"import-" +
                                                    std::to_string(row["id"].get<int64_t>()) + "-" + kind + ".csv\"");
    };
  };
  api.add({"GET", "/api/v1/imports/runs/{id}/rejects",
       "The reject file of an import run: the rejected rows as they were in the file (every column, its separator, "
       "encoding and byte-order mark) with a last column giving the reasons in the user's language, to correct and "
       "import again",
       "import", true, "", "", report_file("rejects", "line,column,reason"), 200});
  api.add({"GET", "/api/v1/imports/runs/{id}/warnings",
       "The warnings file of an import run (CSV: line, column, warning; e.g. probable duplicates, prices of 0)",
       "import", true, "", "", report_file("warnings", "line,column,warning"), 200});

  api.add({"GET", "/api/v1/import-mappings", "Saved column mappings (?entity= to filter)", "import", true, "", "",
       [&s](RequestContext& ctx) {
         send_json(ctx.res, 200, {{"data", domain::ImportMappingService(s.db).list(query_text(ctx.req, "entity", ""))}});
       }, 200});
  api.add({"POST", "/api/v1/import-mappings", "Save a column mapping: {name, entity, mapping} (replaces the same name)",
       "import", true, "", "", [&s](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"name", "entity", "mapping"});
         std::string name = body_string(body, "name");
         domain::ImportMappingService::check_name(name);  // before the entity, as the fields come
         send_json(ctx.res, 201,
                   domain::ImportMappingService(s.db).save(ctx.actor, body_string(body, "entity"), name,
                                                            body.value("mapping", json::object())));
       }, 201});
  api.add({"GET", "/api/v1/import-mappings/{id}", "One saved mapping", "import", true, "", "", [&s](RequestContext& ctx) {
         auto row = domain::ImportMappingService(s.db).find(id_param(ctx));
         if (!row) throw Problem(ProblemKind::NotFound, tr("mapping not found"));
         send_json(ctx.res, 200, *row);
       }, 200});
  api.add({"PUT", "/api/v1/import-mappings/{id}", "Replace a saved mapping: {name, mapping}", "import", true, "", "",
       [&s](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"name", "mapping", "id", "entity", "created_by", "created_at", "updated_at"});
         std::string name = body_string(body, "name");
         domain::ImportMappingService::check_name(name);
         json mapping = domain::normalise_mapping(body.value("mapping", json::object()));
         send_json(ctx.res, 200, domain::ImportMappingService(s.db).update(ctx.actor, id_param(ctx), name, mapping));
       }, 200});
  api.add({"DELETE", "/api/v1/import-mappings/{id}", "Delete a saved mapping", "import", true, "", "", [&s](RequestContext& ctx) {
         domain::ImportMappingService(s.db).remove(ctx.actor, id_param(ctx));
         ctx.res.status = 204;
       }, 204});
  api.add({"GET", "/api/v1/export/{entity}", "Export the accounts, contacts or orders you can see: ?format=csv (default) or xlsx",
       "export", true, "", "", [&s](RequestContext& ctx) {
         const auto& e = transfer_entity(ctx);
         std::string format = query_text(ctx.req, "format", "csv");
         domain::ImportService service(s.records);
         if (format == "csv") {
           std::ostringstream out;
           service.export_csv(ctx.actor, e, out);
           ctx.res.status = 200;
           ctx.res.set_content(out.str(), "text/csv; charset=utf-8");
         } else if (format == "xlsx") {
           auto path = std::filesystem::temp_directory_path() /
                       ("gazelle-export-" + std::to_string(::getpid()) + "-" + crypto::random_token(8) + ".xlsx");
           struct Remove {
             std::filesystem::path p;
             ~Remove() { std::error_code ec; std::filesystem::remove(p, ec); }
           } cleanup{path};
           service.export_xlsx(ctx.actor, e, path.string());
           std::ifstream f(path, std::ios::binary);
           std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
           ctx.res.status = 200;
           ctx.res.set_content(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
         } else {
           throw Problem(ProblemKind::BadRequest, tr("format must be csv or xlsx"), {{"format", tr("csv or xlsx")}});
         }
         ctx.res.set_header("Content-Disposition", "attachment; filename=\"" + e.name + "." + format + "\"");
       }, 200});
}

}  // namespace gz::http
