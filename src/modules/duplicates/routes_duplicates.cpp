// Duplicate detection routes (docs/duplicates.md): scan, review queue, dismissal, the check of a
// record being typed (the probable-duplicate answer of POST /contacts and /accounts is
// domain/record_entry.h, with entry_check.h).
#include <algorithm>
#include <cctype>

#include "http/api.h"
#include "domain/jobs.h"
#include "modules/duplicates/duplicates.h"
#include "modules/duplicates/scan_job.h"

namespace gz::http {

namespace {

std::string entity_param(const httplib::Request& req) {
  std::string e = query_text(req, "entity", "contacts");
  matching::DuplicateService::profile_of(e);  // 404 for another entity
  return e;
}

}  // namespace

void add_duplicate_routes(Api& api, Services& s) {
  api.add({"POST", "/api/v1/duplicates/scan",
       "Scan contacts or accounts for duplicates (admin, manager) in the background: body {entity, threshold_upper?, "
       "threshold_lower?, wait?}. Answers 202 with the job (poll GET /api/v1/jobs/{id}: progress, then the summary in "
       "result), 409 naming the job when a scan of the entity is queued or running; with wait: true scans inline and "
       "answers the summary. Replaces the review queue",
       "duplicates", true, "", "", [&s](RequestContext& ctx) {
         json b = ctx.req.body.empty() ? json::object() : parse_json_body(ctx.req);
         if (!b.is_object()) throw Problem(ProblemKind::BadRequest, "the body must be {\"entity\": \"contacts\"}");
         // A misspelt option (threshold_uper) would silently scan with the defaults.
         reject_unknown_keys(b, {"entity", "threshold_upper", "threshold_lower", "wait"});
         std::string entity = b.value("entity", json("contacts")).is_string() ? b.value("entity", std::string("contacts")) : "";
         matching::ScanOptions o;
         FieldErrors errors;
         for (const char* k : {"threshold_upper", "threshold_lower"})
           if (b.contains(k) && !b[k].is_number()) errors.add(k, "must be a number (a score)");
         if (b.contains("wait") && !b["wait"].is_boolean()) errors.add("wait", "must be true or false");
         errors.throw_if_any(ProblemKind::Unprocessable);
         if (b.contains("threshold_upper")) { o.has_upper = true; o.threshold_upper = b["threshold_upper"].get<double>(); }
         if (b.contains("threshold_lower")) { o.has_lower = true; o.threshold_lower = b["threshold_lower"].get<double>(); }
         // Role and entity first: a refused scan is a 403/404 now, never a failed job later.
         matching::DuplicateService::check_scan_allowed(ctx.actor, entity);
         auto conflict = [&](const store::Job& job) {
           std::string where = domain::job_url(job.id);
           ctx.res.set_header("Location", where);
           throw domain::job_conflict(job,
                                      tr("a duplicate scan of {entity} is already {status} (job {id}); follow it at {url} "
                                         "rather than starting another",
                                         {{"entity", entity}, {"status", job.status}, {"id", std::to_string(job.id)}, {"url", where}}),
                                      "https://gazelle.invalid/problems/scan-running");
         };
         if (b.value("wait", false)) {
           // Synchronous, for scripts: still not beside a queued or running scan of the entity.
           if (auto active = domain::JobQueue(s.db).find_active(matching::scan_active_key(entity))) return conflict(*active);
           matching::DuplicateService service(s.db);
           auto run = service.scan(ctx.actor, entity, o, true);
           send_json(ctx.res, 200, matching::scan_summary_json(run, entity));
           return;
         }
         auto queued = matching::queue_scan(s.db, ctx.actor, entity, o);
         if (!queued.created) return conflict(queued.job);
         std::string where = domain::job_url(queued.job.id);
         json out = queued.job.to_json();
         out["job_url"] = where;
         ctx.res.set_header("Location", where);
         send_json(ctx.res, 202, out);
       },
       202});
  api.add({"GET", "/api/v1/duplicates",
       "Review queue: duplicate clusters with members and pair explanations; query: entity, "
       "status=proposed|review|dismissed|merged (default proposed and review), limit, cursor",
       "duplicates", true, "", "", [&s](RequestContext& ctx) {
         int limit = int(query_int(ctx.req, "limit", 20, 1, 200));
         matching::DuplicateService service(s.db);
         send_json(ctx.res, 200,
                   service.list(ctx.actor, entity_param(ctx.req), query_text(ctx.req, "status", ""), limit,
                                query_text(ctx.req, "cursor", ""), request_language(ctx.req)));
       }});
  api.add({"GET", "/api/v1/duplicates/{id}", "One duplicate cluster with members and pair explanations", "duplicates", true, "",
       "", [&s](RequestContext& ctx) {
         matching::DuplicateService service(s.db);
         send_json(ctx.res, 200, service.cluster(ctx.actor, ctx.id_param(), request_language(ctx.req)));
       }});
  api.add({"POST", "/api/v1/duplicates/{id}/dismiss",
       "Declare the records of a cluster distinct: later scans and entry checks leave the pairs out", "duplicates", true,
       "", "", [&s](RequestContext& ctx) {
         matching::DuplicateService service(s.db);
         send_json(ctx.res, 200, service.dismiss(ctx.actor, ctx.id_param()));
       }});
  for (const char* name : {"contacts", "accounts"}) {
    std::string entity = name;
    api.add({"POST", "/api/v1/" + entity + "/duplicates/check",
         "Existing " + entity + " that the record in the body may duplicate: {candidates: [{id, display_name, score, "
         "probability, probable, reasons, explanation}]}; query: exclude_id (the record being edited), lang",
         "duplicates", true, "", "", [&s, entity](RequestContext& ctx) {
           json body = parse_json_body(ctx.req);
           int64_t exclude = query_id(ctx.req, "exclude_id");
           matching::DuplicateService service(s.db);
           auto r = service.check(ctx.actor, entity, body, 5, exclude);
           send_json(ctx.res, 200,
                     {{"candidates", matching::candidates_json(r, request_language(ctx.req))},
                      {"probable", r.probable()},
                      {"threshold_upper", r.threshold_upper},
                      {"threshold_lower", r.threshold_lower}});
         },
         200});
  }
}

}  // namespace gz::http
