// Notifications of the current user and the background job queue (admins): docs/jobs.md.
#include <cctype>

#include "domain/jobs.h"
#include "domain/notifications.h"
#include "http/api.h"

namespace gz::http {

void add_job_routes(Api& api, Services& s) {
  api.add({"GET", "/api/v1/notifications",
       "Your notifications, newest first (task reminders…); query: unread=true, limit (1-200, default 50), cursor",
       "notifications", true, "", "list:notifications", [&s](RequestContext& ctx) {
         domain::NotificationService service(s.db);
         auto page = service.list(ctx.actor, query_bool(ctx.req, "unread"), query_int(ctx.req, "limit", 50, 1, 200),
                                  query_text(ctx.req, "cursor", ""));
         send_json(ctx.res, 200,
                   {{"data", page.data},
                    {"next_cursor", page.next_cursor.empty() ? json() : json(page.next_cursor)},
                    {"unread", page.unread}});
       }});
  api.add({"POST", "/api/v1/notifications/{id}/read", "Mark one of your notifications as read", "notifications", true, "", "",
       [&s](RequestContext& ctx) {
         domain::NotificationService(s.db).mark_read(ctx.actor, ctx.id_param());
         ctx.res.status = 204;
       }});
  api.add({"GET", "/api/v1/jobs",
       "Background jobs, newest first, with the count per status (admin); query: status, limit (1-500, default 100), "
       "cursor",
       "jobs", true, "", "list:jobs", [&s](RequestContext& ctx) {
         if (!ctx.actor.is_admin()) throw Problem(ProblemKind::Forbidden, "only admins see the job queue");
         domain::JobQueue queue(s.db);
         int64_t limit = query_int(ctx.req, "limit", 100, 1, 500);
         int64_t before = query_int(ctx.req, "cursor", 0, 1, INT64_MAX);
         std::string status = query_text(ctx.req, "status", "");
         auto jobs = queue.list(status, limit + 1, before);
         std::string next;
         if (int64_t(jobs.size()) > limit) {
           jobs.resize(size_t(limit));
           next = std::to_string(jobs.back().id);
         }
         json data = json::array();
         for (const auto& j : jobs) data.push_back(j.to_json());
         send_json(ctx.res, 200, {{"data", data}, {"next_cursor", next.empty() ? json() : json(next)}, {"depth", queue.depth()}});
       }});
  api.add({"GET", "/api/v1/jobs/{id}",
       "One background job: status, progress while it runs, result when done, last_error when it failed (admins; "
       "other users: the jobs they started, e.g. a duplicate scan)",
       "jobs", true, "", "", [&s](RequestContext& ctx) {
         domain::JobQueue queue(s.db);
         int64_t id = ctx.id_param();
         auto job = queue.find(id);
         // Someone else's job does not exist for a non-admin (no probing of ids).
         if (!job || (!ctx.actor.is_admin() && (ctx.actor.user_id <= 0 || job->created_by != ctx.actor.user_id)))
           throw Problem(ProblemKind::NotFound, tr("job {id} not found", {{"id", std::to_string(id)}}));
         send_json(ctx.res, 200, job->to_json());
       }});
}

}  // namespace gz::http
