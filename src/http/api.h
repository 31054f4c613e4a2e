// The HTTP API: JSON REST under /api/v1 on cpp-httplib. Each route is declared once with its
// OpenAPI summary (routes.cpp), so the OpenAPI document is generated from the same table that
// serves requests. Handlers are thin: parse, call one domain service, map the result.
// Errors leave as application/problem+json (RFC 9457) with a per-field list.
#pragma once
#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/problem.h"
#include "domain/access.h"
#include "domain/auth.h"
#include "domain/customer_view.h"
#include "domain/records.h"
#include "http/metrics.h"

namespace gz::http {

using json = nlohmann::json;

// The services a request may reach; built once by the composition root.
struct Services {
  store::Database& db;
  domain::RecordService records;
  domain::AuthService auth;
  domain::CustomerViewService views;
  // Reverse proxies whose X-Real-IP header tells the client's address (gazelle serve
  // --trusted-proxy); from any other peer the header is ignored. None by default.
  std::vector<std::string> trusted_proxies;
  explicit Services(store::Database& d) : db(d), records(d), auth(d), views(d) {}
};

struct RequestContext {
  const httplib::Request& req;
  httplib::Response& res;
  domain::Actor actor;  // empty for public routes
  std::string path_param(size_t i) const { return req.matches[i + 1]; }
  int64_t id_param(size_t i = 0) const;
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

class Api {
 public:
  explicit Api(Services& services);
  const std::vector<Route>& routes() const { return routes_; }
  // Registers every route on the server.
  void mount(httplib::Server& server);
  json openapi() const;
  Metrics& metrics() { return metrics_; }

 private:
  void add(Route r) { routes_.push_back(std::move(r)); }
  void add_auth_routes();
  void add_record_routes(const domain::Entity& e);
  void add_misc_routes();
  void add_transfer_routes();  // routes_transfer.cpp: CSV import, CSV/XLSX export
  void add_job_routes();       // routes_jobs.cpp: notifications, background jobs (admin)
  void add_dashboard_routes();  // routes_dashboard.cpp: figures of the web home page
  void add_analytics_routes();  // routes_analytics.cpp: customer value analytics
  void add_analytics_clv_routes();  // routes_analytics_clv.cpp: lifetime value (BG/NBD, Pareto/NBD, Gamma-Gamma)
  void add_merge_routes();      // routes_merge.cpp: merge, undo, compare, purge (docs/merge.md)
  void add_duplicate_routes();  // routes_duplicates.cpp: scan, review queue, check (docs/duplicates.md)
  void handle(const Route& r, const httplib::Request& req, httplib::Response& res);

  Services& s_;
  std::vector<Route> routes_;
  Metrics metrics_;  // counted in handle(), by index in routes_
};

// Helpers shared by handlers.
json parse_json_body(const httplib::Request& req);
// A true/false query parameter (also 1/0, or present without a value); false when absent; 400
// naming it otherwise.
bool bool_param(const httplib::Request& req, const char* name);
void send_json(httplib::Response& res, int status, const json& body);
void send_problem(httplib::Response& res, const Problem& p, const std::string& instance);
std::optional<int64_t> if_match_version(const httplib::Request& req);
std::string etag_for(const json& record);
bool is_loopback(const std::string& remote_addr);
// The client's address: X-Real-IP when the peer is one of the trusted proxies, else the peer's
// address (a client cannot choose the address its failed logins are counted under).
std::string client_address(const std::vector<std::string>& trusted_proxies, const httplib::Request& req);
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
// POST /contacts or /accounts whose body probably duplicates an existing record: answers 409
// probable-duplicate with the candidates and returns true, unless ?allow_duplicate=true
// (routes_duplicates.cpp).
bool reject_probable_duplicate(Services& s, RequestContext& ctx, const domain::Entity& e, const json& record,
                               int64_t own_id);

}  // namespace gz::http
