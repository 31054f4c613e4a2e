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

#include <thread>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/text.h"
#include "io/xlsx_reader.h"
#include "domain/access.h"
#include "domain/import_runs.h"
#include "domain/import_service.h"
#include "domain/schema.h"
#include "http/api.h"
#include "matching/duplicates.h"
#include "store/history_store.h"
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
    throw Problem(ProblemKind::NotFound, "'" + name.substr(0, 40) + "' cannot be imported or exported; use " +
                                             kernel::names_with(&domain::Entity::importable));
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
  throw Problem(ProblemKind::NotFound, "no uploaded file '" + token.substr(0, 64) + "'; upload it again",
                {{"upload", "unknown or expired upload"}});
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

const domain::Entity& importable(const std::string& name) {
  const auto& names = domain::transfer_entities();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw Problem(ProblemKind::Unprocessable, "'" + name.substr(0, 40) + "' cannot be imported",
                  {{"entity", "accounts, contacts, households, orders or interactions"}});
  return domain::entity(name);
}

json run_json(const json& row) {
  json out = store::ImportRunStore::to_json(row);
  int64_t total = row.value("file_bytes", int64_t(0)), done = row.value("bytes_done", int64_t(0));
  std::string status = row.value("status", std::string());
  out["percent"] = status == "done" ? 100.0 : total > 0 ? std::min(100.0, 100.0 * double(done) / double(total)) : 0.0;
  return out;
}

// The run, if the actor may see it (its creator or an admin).
json visible_run(Services& s, const domain::Actor& actor, int64_t id) {
  auto row = store::with_transaction(s.db, false, [&](store::Connection& c) { return store::ImportRunStore::find(c, id); });
  if (!row || (!actor.is_admin() && row->value("created_by", json()) != json(actor.user_id)))
    throw Problem(ProblemKind::NotFound, "import run " + std::to_string(id) + " not found");
  return *row;
}

int64_t id_param(const RequestContext& ctx) {
  if (auto id = parse_id(ctx.path_param(0))) return *id;
  throw Problem(ProblemKind::NotFound, "'" + ctx.path_param(0).substr(0, 40) + "' is not an id");
}

// A saved mapping may be changed by its creator, a member of the creator's team, or an admin; a
// mapping saved without a user (CLI) by an admin only.
void check_mapping_owner(store::Connection& c, const domain::Actor& actor, const json& mapping) {
  if (actor.is_admin()) return;
  const json& by = mapping.value("created_by", json());
  if (by.is_number_integer() && by.get<int64_t>() == actor.user_id) return;
  if (by.is_number_integer() && actor.team_id) {
    auto creator = store::CustomerStore::user_brief(c, by.get<int64_t>());
    if (creator && creator->value("team_id", json()) == json(actor.team_id)) return;
  }
  throw Problem(ProblemKind::Forbidden, "the mapping '" + mapping.value("name", std::string()) +
                                            "' belongs to another team; save yours under another name",
                {{"name", "belongs to another team"}});
}

// A file already imported in full, with a mapping that gives no external_id: importing it again
// creates every row again. Returns the warning for the check step and the run's answer, or null.
json reimport_warning(Services& s, const std::string& path, const std::string& entity, const std::string& sheet,
                      const json& mapping) {
  auto source = domain::open_source(path, sheet);
  json peek = domain::ImportService::peek(*source, 0);
  const json& columns = mapping.value("columns", json::object());
  bool keyed = false;
  for (const auto& h : peek["header"]) {
    std::string name = h.get<std::string>();
    std::string field = columns.contains(name) && columns[name].is_string() ? columns[name].get<std::string>() : name;
    if (field == "external_id") keyed = true;
  }
  if (keyed) return nullptr;
  std::string hash = domain::file_sha256(path);
  auto done = store::with_transaction(s.db, false, [&](store::Connection& c) {
    return store::ImportRunStore::find_done(c, hash, entity);
  });
  if (!done) return nullptr;
  int64_t created = done->value("created", int64_t(0));
  return {{"kind", "already_imported"},
          {"run_id", (*done)["id"]},
          {"finished_at", done->value("finished_at", json())},
          {"created", created},
          {"message", "this file was already imported into " + entity + " (run " + (*done)["id"].dump() + ", " +
                          std::to_string(created) + " created) and no column gives external_id: importing it again "
                          "adds every row again. Map the column that identifies a row to external_id so that rows "
                          "update their records" +
                          (entity == "contacts" || entity == "accounts" ? ", or check duplicates (e-mail, name) first"
                                                                        : "")}};
}

}  // namespace

void Api::add_transfer_routes() {
  sweep_uploads();  // at start: the files of a day ago or more
  add({"POST", "/api/v1/import/{entity}",
       "Import a CSV body (UTF-8, ',' or ';') into accounts, contacts or orders; query: dry_run, all_or_nothing, "
       "map=column:field (repeated or comma-separated). Returns {created, updated, unchanged, rejected, errors}",
       "import", true, "", "import_report", [this](RequestContext& ctx) {
         const auto& e = transfer_entity(ctx);
         domain::ImportOptions o;
         o.dry_run = bool_param(ctx.req, "dry_run");
         o.all_or_nothing = bool_param(ctx.req, "all_or_nothing");
         size_t n = ctx.req.get_param_value_count("map");
         for (size_t i = 0; i < n; ++i) {
           std::string all = ctx.req.get_param_value("map", i);
           size_t start = 0;
           while (start <= all.size()) {
             size_t end = all.find(',', start);
             std::string m = all.substr(start, end == std::string::npos ? std::string::npos : end - start);
             if (!m.empty()) {
               auto colon = m.rfind(':');
               if (colon == std::string::npos || colon == 0)
                 throw Problem(ProblemKind::BadRequest, "map takes column:field (or column:- to skip it), not '" + m.substr(0, 60) + "'",
                               {{"map", "use column:field"}});
               o.map.emplace_back(m.substr(0, colon), m.substr(colon + 1));
             }
             if (end == std::string::npos) break;
             start = end + 1;
           }
         }
         if (ctx.req.body.empty()) throw Problem(ProblemKind::BadRequest, "the request body is empty; send the CSV file");
         std::istringstream in(ctx.req.body);
         domain::ImportService service(s_.records);
         auto report = service.import_csv(ctx.actor, e, in, o);
         json errors = json::array();
         for (const auto& err : report.errors)
           errors.push_back({{"line", err.line}, {"column", err.column}, {"message", err.message}});
         json body = {{"created", report.created},     {"updated", report.updated},
                      {"unchanged", report.unchanged}, {"rejected", report.rejected},
                      {"rows", report.rows},           {"written", report.written},
                      {"dry_run", o.dry_run},          {"errors", errors}};
         if (report.error_count > int64_t(report.errors.size())) body["errors_truncated"] = report.error_count;
         send_json(ctx.res, o.all_or_nothing && report.rejected > 0 ? 422 : 200, body);
       }, 200});
  // --- Import wizard: upload, preview (dry run), tracked runs with progress, saved mappings.
  add({"POST", "/api/v1/imports/uploads",
       "Upload a CSV or XLSX file to import (body: the file; query: file_name, entity, sheet). Returns an upload token, "
       "the sheets, the header, the first rows and a suggested mapping", "import", true, "", "", [this](RequestContext& ctx) {
         if (ctx.req.body.empty()) throw Problem(ProblemKind::BadRequest, "the request body is empty; send the file");
         const auto& e = importable(ctx.req.has_param("entity") ? ctx.req.get_param_value("entity") : "contacts");
         if (!domain::can_write(ctx.actor, e))
           throw Problem(ProblemKind::Forbidden, "your role (" + ctx.actor.role + ") cannot create or change " + e.name);
         bool xlsx = ctx.req.body.size() >= 4 && ctx.req.body.compare(0, 4, std::string("PK\x03\x04", 4)) == 0;
         sweep_uploads();
         std::string token = crypto::random_token(18);
         auto path = upload_dir() / (owner_prefix(ctx.actor) + token + (xlsx ? ".xlsx" : ".csv"));
         write_private(path, ctx.req.body);
         std::string sheet = ctx.req.has_param("sheet") ? ctx.req.get_param_value("sheet") : "";
         json sheets = json::array();
         if (xlsx) {
           try {
             io::XlsxReader r(path.string());
             sheets = r.sheet_names();
           } catch (const io::XlsxError& err) {
             std::error_code ec;
             std::filesystem::remove(path, ec);
             throw Problem(ProblemKind::BadRequest, err.what(), {{"file", err.what()}});
           }
         }
         json peek;
         try {
           auto src = domain::open_source(path.string(), sheet);
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
         auto mappings = store::with_transaction(s_.db, false, [&](store::Connection& c) {
           return store::ImportMappingStore::list(c, e.name);
         });
         send_json(ctx.res, 201,
                   {{"upload", token}, {"format", xlsx ? "xlsx" : "csv"}, {"sheets", sheets}, {"entity", e.name},
                    {"file_name", ctx.req.has_param("file_name") ? ctx.req.get_param_value("file_name") : ""},
                    {"bytes", ctx.req.body.size()}, {"header", peek["header"]}, {"rows", peek["rows"]},
                    {"suggested", {{"columns", columns}}}, {"mappings", mappings}});
       }, 201});
  add({"POST", "/api/v1/imports/preview",
       "Dry run of an uploaded file with a mapping: {upload, entity, sheet, mapping, rows (default 1000)}. Returns the "
       "first records as they would be stored and the errors; writes nothing", "import", true, "", "import_report",
       [this](RequestContext& ctx) {
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
         auto result = domain::import_file(s_.records, ctx.actor, req);
         json out = domain::report_json(result.report);
         out["dry_run"] = true;
         out["rows_checked"] = result.report.rows;
         json again = reimport_warning(s_, req.path, e.name, req.sheet, req.mapping);
         if (!again.is_null()) out["reimport_warning"] = again;
         send_json(ctx.res, 200, out);
       }, 200});
  add({"POST", "/api/v1/imports/duplicates",
       "Check an uploaded contacts or accounts file against the base before importing it: {upload, entity, sheet, "
       "mapping, limit (default 100)}. Returns the rows that look like existing records, with the candidates, scores "
       "and per-field explanations; writes nothing", "import", true, "", "", [this](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"upload", "entity", "sheet", "mapping", "limit"});
         const auto& e = importable(body_string(body, "entity"));
         if (e.name != "contacts" && e.name != "accounts")
           throw Problem(ProblemKind::Unprocessable, "duplicates are checked for contacts and accounts",
                         {{"entity", "must be contacts or accounts"}});
         if (!domain::can_write(ctx.actor, e))
           throw Problem(ProblemKind::Forbidden, "your role (" + ctx.actor.role + ") cannot create or change " + e.name);
         int64_t limit = body_int(body, "limit", 100, 1, 1000);
         domain::ImportOptions o;
         domain::apply_mapping(body.value("mapping", json::object()), o);
         auto source = domain::open_source(upload_path(body_string(body, "upload"), ctx.actor).string(),
                                           body_string(body, "sheet"));
         send_json(ctx.res, 200, matching::check_import_file(s_.db, ctx.actor, e.name, *source, o, 2, size_t(limit)));
       }, 200});
  add({"POST", "/api/v1/imports/runs",
       "Start importing an uploaded file: {upload, entity, sheet, mapping, file_name, restart, check_duplicates}. "
       "Runs in the background in batches; poll GET /api/v1/imports/runs/{id}. The unfinished run of the same file "
       "is resumed. check_duplicates (contacts, accounts): rows that look like stored records are reported as "
       "warnings of kind probable_duplicate, with the candidates and scores, and still imported",
       "import", true, "", "", [this](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"upload", "entity", "sheet", "mapping", "file_name", "restart", "check_duplicates"});
         const auto& e = importable(body_string(body, "entity"));
         if (!domain::can_write(ctx.actor, e))
           throw Problem(ProblemKind::Forbidden, "your role (" + ctx.actor.role + ") cannot create or change " + e.name);
         std::string token = body_string(body, "upload");
         domain::ImportFileRequest req;
         req.entity = e.name;
         req.path = upload_path(token, ctx.actor).string();
         req.file_name = body_string(body, "file_name");
         if (req.file_name.size() > 500 || !text::valid_utf8(req.file_name))
           throw Problem(ProblemKind::Unprocessable, "file_name must be a UTF-8 text of at most 500 bytes",
                         {{"file_name", "at most 500 bytes of UTF-8 text"}});
         req.sheet = body_string(body, "sheet");
         req.mapping = domain::normalise_mapping(body.value("mapping", json::object()));
         req.restart = body_bool(body, "restart");
         if (body.contains("check_duplicates")) {
           if (!body["check_duplicates"].is_boolean())
             throw Problem(ProblemKind::Unprocessable, "check_duplicates must be true or false",
                           {{"check_duplicates", "must be true or false"}});
           if (body["check_duplicates"].get<bool>()) {
             if (e.name != "contacts" && e.name != "accounts")
               throw Problem(ProblemKind::Unprocessable, "check_duplicates applies to contacts and accounts",
                             {{"check_duplicates", "applies to contacts and accounts, not " + e.name}});
             Services* services = &s_;
             domain::Actor actor = ctx.actor;
             std::string entity = e.name;
             req.duplicate_check = [services, actor, entity](domain::RowSource& source, const domain::ImportOptions& o) {
               return matching::import_duplicate_warnings(services->db, actor, entity, source, o);
             };
           }
         }
         req.rejects_path = (upload_dir() / (owner_prefix(ctx.actor) + token + ".rejects.csv")).string();
         req.warnings_path = (upload_dir() / (owner_prefix(ctx.actor) + token + ".warnings.csv")).string();
         json again = reimport_warning(s_, req.path, e.name, req.sheet, req.mapping);
         // Columns and mapping checked now, so that a wrong mapping is a 422 here, not a failed run.
         {
           domain::ImportFileRequest check = req;
           check.dry_run = true;
           check.limit_rows = 1;
           domain::import_file(s_.records, ctx.actor, check);
         }
         req.run_id = domain::queue_import_run(s_.db, ctx.actor, req);
         Services* services = &s_;
         domain::Actor actor = ctx.actor;
         std::thread([services, actor, req] {
           try {
             domain::import_file(services->records, actor, req);
             // Done: the uploaded file is no longer needed (a failed run keeps it, to resume).
             std::error_code ec;
             std::filesystem::remove(req.path, ec);
           } catch (const std::exception&) {
             // Recorded on the run (status failed, error) by import_file.
           }
         }).detach();
         auto row = visible_run(s_, ctx.actor, *req.run_id);
         json out = run_json(row);
         if (!again.is_null()) out["reimport_warning"] = again;
         send_json(ctx.res, 202, out);
       }, 202});
  add({"GET", "/api/v1/imports/runs", "Import runs (yours; all for an admin), newest first: status, progress, counts",
       "import", true, "", "", [this](RequestContext& ctx) {
         domain::mark_interrupted_runs(s_.db);
         auto rows = store::with_transaction(s_.db, false, [&](store::Connection& c) { return store::ImportRunStore::list(c, 200); });
         json data = json::array();
         for (const auto& r : rows)
           if (ctx.actor.is_admin() || r.value("created_by", json()) == json(ctx.actor.user_id)) data.push_back(run_json(r));
         send_json(ctx.res, 200, {{"data", data}});
       }, 200});
  add({"GET", "/api/v1/imports/runs/{id}", "One import run: status, rows and bytes done, percent, counts, report",
       "import", true, "", "", [this](RequestContext& ctx) {
         int64_t id = id_param(ctx);
         domain::mark_interrupted_runs(s_.db);
         send_json(ctx.res, 200, run_json(visible_run(s_, ctx.actor, id)));
       }, 200});
  // The run's report files. The warnings file sits beside the reject file (FILE.rejects.csv,
  // FILE.warnings.csv: the CLI and the API name them so), which the run records.
  auto report_file = [this](const std::string& kind, const std::string& header) {
    return [this, kind, header](RequestContext& ctx) {
      json row = visible_run(s_, ctx.actor, id_param(ctx));
      std::string path = row.value("rejects_path", json()).is_string() ? row["rejects_path"].get<std::string>() : "";
      const std::string suffix = ".rejects.csv";
      if (kind == "warnings")
        path = path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0
                   ? path.substr(0, path.size() - suffix.size()) + ".warnings.csv"
                   : "";
      std::string data = header + "\r\n";
      if (!path.empty()) {
        std::ifstream f(path, std::ios::binary);
        if (f) data.assign((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      }
      ctx.res.status = 200;
      ctx.res.set_content(data, "text/csv; charset=utf-8");
      ctx.res.set_header("Content-Disposition", "attachment; filename=\"import-" +
                                                    std::to_string(row["id"].get<int64_t>()) + "-" + kind + ".csv\"");
    };
  };
  add({"GET", "/api/v1/imports/runs/{id}/rejects", "The reject file of an import run (CSV: line, column, reason)",
       "import", true, "", "", report_file("rejects", "line,column,reason"), 200});
  add({"GET", "/api/v1/imports/runs/{id}/warnings",
       "The warnings file of an import run (CSV: line, column, warning; e.g. probable duplicates, prices of 0)",
       "import", true, "", "", report_file("warnings", "line,column,warning"), 200});

  add({"GET", "/api/v1/import-mappings", "Saved column mappings (?entity= to filter)", "import", true, "", "",
       [this](RequestContext& ctx) {
         std::string entity = ctx.req.has_param("entity") ? ctx.req.get_param_value("entity") : "";
         if (!entity.empty()) importable(entity);
         auto rows = store::with_transaction(s_.db, false, [&](store::Connection& c) {
           return store::ImportMappingStore::list(c, entity);
         });
         send_json(ctx.res, 200, {{"data", rows}});
       }, 200});
  auto check_mapping_body = [](const RequestContext& ctx, const json& body) {
    std::string name = body_string(body, "name");
    FieldErrors errors;
    if (name.empty() || name.size() > 100) errors.add("name", "is required, at most 100 characters");
    errors.throw_if_any();
    (void)ctx;
    return name;
  };
  add({"POST", "/api/v1/import-mappings", "Save a column mapping: {name, entity, mapping} (replaces the same name)",
       "import", true, "", "", [this, check_mapping_body](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"name", "entity", "mapping"});
         std::string name = check_mapping_body(ctx, body);
         const auto& e = importable(body_string(body, "entity"));
         if (!domain::can_write(ctx.actor, e))
           throw Problem(ProblemKind::Forbidden, "your role (" + ctx.actor.role + ") cannot import " + e.name);
         json mapping = domain::normalise_mapping(body.value("mapping", json::object()));
         auto row = store::with_transaction(s_.db, true, [&](store::Connection& c) {
           // Saving under a taken name replaces that mapping: only where its owner allows it.
           if (auto same = store::ImportMappingStore::find(c, e.name, name)) check_mapping_owner(c, ctx.actor, *same);
           int64_t id = store::ImportMappingStore::save(c, e.name, name, mapping,
                                                        ctx.actor.user_id > 0 ? std::optional<int64_t>(ctx.actor.user_id) : std::nullopt,
                                                        clock::now_utc());
           return *store::ImportMappingStore::find(c, id);
         });
         send_json(ctx.res, 201, row);
       }, 201});
  add({"GET", "/api/v1/import-mappings/{id}", "One saved mapping", "import", true, "", "", [this](RequestContext& ctx) {
         auto row = store::with_transaction(s_.db, false, [&](store::Connection& c) {
           return store::ImportMappingStore::find(c, id_param(ctx));
         });
         if (!row) throw Problem(ProblemKind::NotFound, "mapping not found");
         send_json(ctx.res, 200, *row);
       }, 200});
  add({"PUT", "/api/v1/import-mappings/{id}", "Replace a saved mapping: {name, mapping}", "import", true, "", "",
       [this, check_mapping_body](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         reject_unknown_keys(body, {"name", "mapping", "id", "entity", "created_by", "created_at", "updated_at"});
         std::string name = check_mapping_body(ctx, body);
         json mapping = domain::normalise_mapping(body.value("mapping", json::object()));
         int64_t id = id_param(ctx);
         auto row = store::with_transaction(s_.db, true, [&](store::Connection& c) {
           auto old = store::ImportMappingStore::find(c, id);
           if (!old) throw Problem(ProblemKind::NotFound, "mapping not found");
           if (!domain::can_write(ctx.actor, domain::entity((*old)["entity"].get<std::string>())))
             throw Problem(ProblemKind::Forbidden, "your role (" + ctx.actor.role + ") cannot change this mapping");
           check_mapping_owner(c, ctx.actor, *old);
           auto same = store::ImportMappingStore::find(c, (*old)["entity"].get<std::string>(), name);
           if (same && (*same)["id"] != json(id))
             throw Problem(ProblemKind::Conflict, "another mapping of " + (*old)["entity"].get<std::string>() + " is named " + name,
                           {{"name", "already taken"}});
           store::ImportMappingStore::update(c, id, name, mapping, clock::now_utc());
           return *store::ImportMappingStore::find(c, id);
         });
         send_json(ctx.res, 200, row);
       }, 200});
  add({"DELETE", "/api/v1/import-mappings/{id}", "Delete a saved mapping", "import", true, "", "", [this](RequestContext& ctx) {
         int64_t id = id_param(ctx);
         store::with_transaction(s_.db, true, [&](store::Connection& c) {
           auto old = store::ImportMappingStore::find(c, id);
           if (!old) throw Problem(ProblemKind::NotFound, "mapping not found");
           if (!domain::can_write(ctx.actor, domain::entity((*old)["entity"].get<std::string>())))
             throw Problem(ProblemKind::Forbidden, "your role (" + ctx.actor.role + ") cannot delete this mapping");
           check_mapping_owner(c, ctx.actor, *old);
           store::ImportMappingStore::remove(c, id);
         });
         ctx.res.status = 204;
       }, 204});
  add({"GET", "/api/v1/export/{entity}", "Export the accounts, contacts or orders you can see: ?format=csv (default) or xlsx",
       "export", true, "", "", [this](RequestContext& ctx) {
         const auto& e = transfer_entity(ctx);
         std::string format = ctx.req.has_param("format") ? ctx.req.get_param_value("format") : "csv";
         domain::ImportService service(s_.records);
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
           throw Problem(ProblemKind::BadRequest, "format must be csv or xlsx", {{"format", "csv or xlsx"}});
         }
         ctx.res.set_header("Content-Disposition", "attachment; filename=\"" + e.name + "." + format + "\"");
       }, 200});
}

}  // namespace gz::http
