// The HTTP API: JSON REST under /api/v1 on cpp-httplib. Each route is declared once with its
// OpenAPI summary (routes.cpp), so the OpenAPI document is generated from the same table that
// serves requests. Handlers are thin: parse, call one domain service, map the result.
// Errors leave as application/problem+json (RFC 9457) with a per-field list.
#pragma once
#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/problem.h"
#include "domain/access.h"
#include "domain/auth.h"
#include "domain/customer_view.h"
#include "domain/record_entry.h"
#include "domain/records.h"
#include "http/metrics.h"
#include "http/params.h"

namespace gz::http {

using json = nlohmann::json;

// The services a request may reach; built once by the composition root.
struct Services {
  store::Database& db;
  domain::RecordService records;
  domain::AuthService auth;
  domain::CustomerViewService views;
  // Creation as a person enters it: the probable-duplicate check is set by the composition root
  // (cli/wiring.cpp: matching's entry check); without it nothing is compared.
  domain::RecordEntryService entries;
  // Reverse proxies whose X-Real-IP header tells the client's address (gazelle serve
  // --trusted-proxy); from any other peer the header is ignored. None by default.
  std::vector<std::string> trusted_proxies;
  explicit Services(store::Database& d) : db(d), records(d), auth(d), views(d), entries(records) {}
};

// A server-sent event stream (text/event-stream) that holds no thread while it is open: the
// transport calls `poll` on a worker thread at once and then every `interval`, sends what it
// appended to `out` (SSE text: "event: …\ndata: …\n\n"), and a keep-alive comment when nothing
// was sent for 15 s. The stream ends when poll returns false, when the client goes away, after
// max_duration (EventSource reconnects, authenticating again), or when the server stops.
struct EventStream {
  std::chrono::milliseconds interval{3000};
  std::chrono::seconds max_duration{3600};
  std::function<bool(std::string& out)> poll;
};

struct RequestContext {
  const httplib::Request& req;
  httplib::Response& res;
  domain::Actor actor;  // empty for public routes
  // Set by the transport: where start_event_stream() leaves the stream for it to run.
  std::optional<EventStream>* stream = nullptr;
  // The language the user reads: their setting, else the request's (request_language).
  std::string lang() const;
  std::vector<std::string> path_params;  // the {name} segments of the route's path, in order
  std::string path_param(size_t i) const { return i < path_params.size() ? path_params[i] : std::string(); }
  int64_t id_param(size_t i = 0) const;
  // Answers with an event stream instead of a body (the handler returns at once).
  void start_event_stream(EventStream s);
};

struct Route {
  std::string method;        // GET, POST, PUT, PATCH, DELETE
  std::string path;          // OpenAPI form: /api/v1/contacts/{id}
  std::string summary;
  std::string tag;           // entity or area, for the OpenAPI document
  bool requires_auth = true;
  std::string request_schema;   // entity name whose record is the request body, or ""
  std::string response_schema;  // entity name, "list:<entity>", or ""
  std::function<void(RequestContext&)> handler;
  int success_status = 0;       // documented success status; 0 = 201 for creating POSTs, 204 without body, else 200
};

// What the transport knows after the request's headers, before it reads any body: the route,
// and the actor when the route needs one. route == nullptr: no API route has this method and
// path (the transport tries its own routes, then answers 404). `answered`: the request was
// refused (401, 403) and res holds the problem; its body must not be read.
struct Admission {
  const Route* route = nullptr;
  std::vector<std::string> path_params;  // the {name} segments of the path, in order
  domain::Actor actor;
  bool answered = false;
};

class Api {
 public:
  explicit Api(Services& services);
  const std::vector<Route>& routes() const { return routes_; }
  // Names the routes for the metrics; call once before serving.
  void prepare();
  // After the headers (on a worker thread: authentication reads the database): finds the route
  // of req (and its path's parameters; HEAD finds GET routes) and authenticates.
  Admission admit(httplib::Request& req, httplib::Response& res);
  // With the whole request: runs the admitted route's handler and maps its errors to problems.
  // stream: where a handler may leave an event stream (nullptr: streaming not offered).
  void run(const Admission& a, const httplib::Request& req, httplib::Response& res,
           std::optional<EventStream>* stream = nullptr);
  json openapi() const;
  // Registers a route; its handler is wrapped so that a JSON value of an unexpected type met while
  // reading the request (nlohmann type_error/out_of_range) is a 400, never a 500. The modules add
  // theirs through Module::routes (kernel/module.h), before the generic record routes.
  void add(Route r);
  Metrics& metrics() { return metrics_; }

 private:

  void add_auth_routes();
  void add_record_routes(const domain::Entity& e);
  void add_misc_routes();
  void observe(const Route& r, int status, std::chrono::steady_clock::time_point started);

  Services& s_;
  std::vector<Route> routes_;
  Metrics metrics_;  // counted in admit() and run(), by index in routes_
};

// Helpers shared by handlers.
// The request body as a JSON object: 400 when empty, malformed, nested more than 32 levels, with a
// number beyond a double (1e400), or not an object (null, [], "s", 123).
json parse_json_body(const httplib::Request& req);
// A record id of a path: digits only, 1 to 10^18 - 1 (no sign, no spaces); nullopt otherwise.
std::optional<int64_t> parse_id(const std::string& s);
// Typed members of a request body: the fallback when absent or null; a 422 naming the key when
// of the wrong type (or out of [min, max]).
std::string body_string(const json& body, const char* key, const std::string& fallback = "");
bool body_bool(const json& body, const char* key, bool fallback = false);
int64_t body_int(const json& body, const char* key, int64_t fallback, int64_t min, int64_t max);
// 422 naming every member of body that is not one of known.
void reject_unknown_keys(const json& body, std::initializer_list<const char*> known);
void send_json(httplib::Response& res, int status, const json& body);
// A JSON answer already written as text (the read path's), moved into the response.
void send_json_text(httplib::Response& res, std::string body);
// The language the user reads: ?lang=fr|en (400 otherwise), else the first of fr/en in
// Accept-Language, else French.
std::string request_language(const httplib::Request& req);
// The language a problem is written in: the user's own setting when one is logged in, else
// request_language (a wrong ?lang= reads as French here: the problem is the answer already).
std::string problem_language(const httplib::Request& req, const domain::Actor* actor = nullptr);
// problem+json in the reader's language; instance = the request's path.
void send_problem(httplib::Response& res, const Problem& p, const httplib::Request& req,
                  const domain::Actor* actor = nullptr);
// A problem of a status that no domain Problem kind has (413, 431, 503…), sent by the transport.
void send_status_problem(httplib::Response& res, int status, const Message& title, const Message& detail,
                         const httplib::Request& req);
std::optional<int64_t> if_match_version(const httplib::Request& req);
std::string etag_for(const json& record);
bool is_loopback(const std::string& remote_addr);
// The client's address: X-Real-IP when the peer is one of the trusted proxies, else the peer's
// address (a client cannot choose the address its failed logins are counted under).
std::string client_address(const std::vector<std::string>& trusted_proxies, const httplib::Request& req);
// "https://crm.example.fr": this server as the client reached it (Host, X-Forwarded-Proto behind a
// proxy), for the links a page or an e-mail gives out (web forms, quote links, unsubscribe).
std::string public_base_url(const httplib::Request& req);
inline std::string client_address(const Services& s, const httplib::Request& req) {
  return client_address(s.trusted_proxies, req);
}
// The session token of the gazelle_session cookie, "" when none.
std::string session_token(const httplib::Request& req);
// The actor a request authenticates as (Bearer token, else session cookie), for code that runs
// outside a route's handler (redirect_merged); nullopt when it authenticates as nobody.
std::optional<domain::Actor> request_actor(Services& s, const httplib::Request& req);
// A GET of a record absorbed by a merge (or below it): answers 308 to the survivor; false when
// the id was never absorbed (routes_merge.cpp).
bool redirect_merged(Services& s, const httplib::Request& req, httplib::Response& res);

// Route groups of the modules (kernel/module.h: Module::routes), one file each.
void add_merge_routes(Api& api, Services& s);          // routes_merge.cpp: merge, undo, compare, purge
void add_duplicate_routes(Api& api, Services& s);      // routes_duplicates.cpp: scan, review queue, check
void add_transfer_routes(Api& api, Services& s);       // routes_transfer.cpp: CSV import, CSV/XLSX export
void add_dashboard_routes(Api& api, Services& s);      // routes_dashboard.cpp: figures of the web home page
void add_analytics_routes(Api& api, Services& s);      // routes_analytics.cpp: customer value analytics
void add_analytics_clv_routes(Api& api, Services& s);  // routes_analytics_clv.cpp: lifetime value
void add_job_routes(Api& api, Services& s);            // routes_jobs.cpp: notifications, background jobs
void add_stream_routes(Api& api, Services& s);         // routes_stream.cpp: server-sent events

}  // namespace gz::http
