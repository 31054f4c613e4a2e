// Import and export routes: POST /api/v1/import/{entity} with a CSV body, and
// GET /api/v1/export/{entity}?format=csv|xlsx. The actor's access rules apply to both.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "domain/import_service.h"
#include "domain/schema.h"
#include "http/api.h"

namespace gz::http {

namespace {

const domain::Entity& transfer_entity(const RequestContext& ctx) {
  std::string name = ctx.path_param(0);
  const auto& names = domain::transfer_entities();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw Problem(ProblemKind::NotFound, "'" + name.substr(0, 40) + "' cannot be imported or exported; use accounts, contacts or orders");
  return domain::entity(name);
}

bool flag(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return false;
  std::string v = req.get_param_value(name);
  if (v == "true" || v == "1" || v.empty()) return true;
  if (v == "false" || v == "0") return false;
  throw Problem(ProblemKind::BadRequest, std::string(name) + " must be true or false", {{name, "must be true or false"}});
}

}  // namespace

void Api::add_transfer_routes() {
  add({"POST", "/api/v1/import/{entity}",
       "Import a CSV body (UTF-8, ',' or ';') into accounts, contacts or orders; query: dry_run, all_or_nothing, "
       "map=column:field (repeated or comma-separated). Returns {created, updated, unchanged, rejected, errors}",
       "import", true, "", "import_report", [this](RequestContext& ctx) {
         const auto& e = transfer_entity(ctx);
         domain::ImportOptions o;
         o.dry_run = flag(ctx.req, "dry_run");
         o.all_or_nothing = flag(ctx.req, "all_or_nothing");
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
