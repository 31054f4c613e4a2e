// Server-sent event streams (docs/api.md, "Event streams"): the service desk's screen pop keeps
// one open per agent, so the transport runs them without a thread each (EventStream in api.h).
#include "domain/notifications.h"
#include "http/api.h"

namespace gz::http {

void add_stream_routes(Api& api, Services& s) {
  api.add({"GET", "/api/v1/notifications/stream",
       "Server-sent events (text/event-stream) of your notifications: an `notifications` event at once and whenever "
       "the unread count or the newest unread notification changes ({unread, new: [notifications since the last "
       "event], latest: [up to 5 newest unread]}), a keep-alive comment every 15 s; query: interval (seconds between "
       "checks, 1-60, default 3)",
       "notifications", true, "", "", [&s](RequestContext& ctx) {
         // An unknown parameter is refused rather than opening a stream that never ends.
         reject_unknown_params(ctx.req, {"interval"});
         int64_t interval = query_int(ctx.req, "interval", 3, 1, 60);
         // What the client was last told; a poll that finds the same sends nothing.
         struct Seen {
           int64_t unread = -1;
           int64_t newest = -1;  // newest unread id last reported (0: none)
           int64_t max_id = -1;  // highest id ever reported: "new" lists only those above it
         };
         auto seen = std::make_shared<Seen>();
         store::Database& db = s.db;
         domain::Actor actor = ctx.actor;
         EventStream stream;
         stream.interval = std::chrono::seconds(interval);
         stream.poll = [&db, actor, seen](std::string& out) {
           auto page = domain::NotificationService(db).list(actor, true, 5, "");
           int64_t newest = page.data.empty() ? 0 : page.data.front()["id"].get<int64_t>();
           if (page.unread == seen->unread && newest == seen->newest) return true;
           json fresh = json::array();
           if (seen->max_id >= 0)
             for (const auto& n : page.data)
               if (n["id"].get<int64_t>() > seen->max_id) fresh.push_back(n);
           if (seen->unread < 0) out += "retry: 3000\n";  // EventSource's reconnection delay
           out += "event: notifications\ndata: ";
           out += json{{"unread", page.unread}, {"new", fresh}, {"latest", page.data}}.dump(
               -1, ' ', false, json::error_handler_t::replace);
           out += "\n\n";
           seen->unread = page.unread;
           seen->newest = newest;
           seen->max_id = std::max(newest, seen->max_id);
           return true;
         };
         ctx.start_event_stream(std::move(stream));
       },
       200});
}

}  // namespace gz::http
