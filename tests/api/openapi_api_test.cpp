// The OpenAPI document and the routes served agree both ways: each documented operation reaches
// a handler, each operation the server answers is documented, and the documented set is the
// one expected from the entities (a route added or removed without updating this list fails).
#include <regex>

#include "api_fixture.h"

using namespace gzt;

namespace {

using Op = std::pair<std::string, std::string>;  // method, path

// The API as the spec describes it, built from the entities.
std::set<Op> expected_operations() {
  struct E {
    const char* name;
    bool owned;      // shares
    bool customer;   // stage-history and 360
  };
  const E entities[] = {{"accounts", true, true},      {"households", true, false}, {"contacts", true, true},
                        {"interactions", false, false}, {"tasks", false, false},     {"products", false, false},
                        {"orders", false, false},         {"sales_reasons", false, false}, {"pipelines", false, false},
                        {"opportunities", true, false},   {"price_lists", false, false},   {"quotes", true, false},
                        {"lead_forms", false, false},     {"lead_submissions", false, false}, {"sales_territories", false, false},
                        {"referral_rewards", false, false}, {"sales_targets", false, false}, {"exchange_rates", false, false},
                        {"mailboxes", false, false}, {"email_templates", false, false},
                        {"case_categories", false, false}, {"complaint_reasons", false, false}, {"service_groups", false, false},
                        {"business_calendars", false, false}, {"sla_policies", false, false}, {"call_scripts", false, false},
                        {"cases", false, false}, {"service_agents", false, false}, {"kb_articles", false, false},
                        {"interventions", false, false}};
  std::set<Op> ops = {{"POST", "/api/v1/auth/login"}, {"POST", "/api/v1/auth/logout"}, {"GET", "/api/v1/me"}, {"PATCH", "/api/v1/me"},
                      {"GET", "/api/v1/users"},       {"POST", "/api/v1/users"},       {"POST", "/api/v1/tokens"},
                      {"GET", "/healthz"},            {"GET", "/api/v1/openapi.json"},   {"GET", "/api/v1/schema"},
                      // revocable access (docs/api.md, "How to revoke")
                      {"GET", "/api/v1/tokens"}, {"DELETE", "/api/v1/tokens/{id}"}, {"PATCH", "/api/v1/users/{id}"},
                      {"POST", "/api/v1/users/{id}/password"}, {"POST", "/api/v1/me/password"},
                      // CSV / XLSX transfer of accounts, contacts and orders
                      {"POST", "/api/v1/import/{entity}"}, {"GET", "/api/v1/export/{entity}"},
                      // import wizard: uploads, dry-run preview, tracked runs, saved mappings (docs/import.md)
                      {"POST", "/api/v1/imports/uploads"}, {"POST", "/api/v1/imports/preview"}, {"POST", "/api/v1/imports/duplicates"},
                      {"POST", "/api/v1/imports/runs"}, {"GET", "/api/v1/imports/runs"},
                      {"GET", "/api/v1/imports/runs/{id}"}, {"GET", "/api/v1/imports/runs/{id}/rejects"},
                      {"GET", "/api/v1/imports/runs/{id}/warnings"},
                      {"GET", "/api/v1/import-mappings"}, {"POST", "/api/v1/import-mappings"},
                      {"GET", "/api/v1/import-mappings/{id}"}, {"PUT", "/api/v1/import-mappings/{id}"},
                      {"DELETE", "/api/v1/import-mappings/{id}"},
                      // notifications of the current user, background jobs (docs/jobs.md)
                      {"GET", "/api/v1/notifications"}, {"POST", "/api/v1/notifications/{id}/read"},
                      {"GET", "/api/v1/notifications/stream"},
                      {"GET", "/api/v1/jobs"}, {"GET", "/api/v1/jobs/{id}"},
                      // figures of the web interface's home page
                      {"GET", "/api/v1/dashboard"},
                      // caller look-up for a phone system (docs/cti.md)
                      {"GET", "/api/v1/lookup/phone/{number}"},
                      // the company settings (docs/api.md, "Company settings")
                      {"GET", "/api/v1/settings/company"}, {"PATCH", "/api/v1/settings/company"},
                      // customer value analytics (docs/analytics.md)
                      {"GET", "/api/v1/analytics/summary"}, {"GET", "/api/v1/analytics/rfm"},
                      {"GET", "/api/v1/analytics/rfm/customers"}, {"GET", "/api/v1/analytics/profitability"},
                      {"GET", "/api/v1/analytics/profitability/customers"}, {"GET", "/api/v1/analytics/concentration"},
                      {"GET", "/api/v1/analytics/cohorts"}, {"GET", "/api/v1/analytics/share-of-wallet"},
                      {"GET", "/api/v1/analytics/settings"}, {"PUT", "/api/v1/analytics/settings"},
                      {"GET", "/api/v1/analytics/tiers"}, {"POST", "/api/v1/analytics/tiers/recompute"},
                      {"POST", "/api/v1/analytics/demand"}, {"POST", "/api/v1/analytics/retention-vs-acquisition"},
                      // lifetime value (docs/analytics.md, "Lifetime value")
                      {"GET", "/api/v1/analytics/clv"}, {"GET", "/api/v1/analytics/clv/customers"},
                      // merge with undo, purge (docs/merge.md)
                      {"GET", "/api/v1/merges"}, {"GET", "/api/v1/merges/{id}"}, {"POST", "/api/v1/merges/{id}/undo"},
                      {"GET", "/api/v1/purge/candidates"}, {"POST", "/api/v1/purge/archive"},
                      // duplicate detection (docs/duplicates.md)
                      {"POST", "/api/v1/duplicates/scan"}, {"GET", "/api/v1/duplicates"},
                      {"GET", "/api/v1/duplicates/{id}"}, {"POST", "/api/v1/duplicates/{id}/dismiss"},
                      {"POST", "/api/v1/contacts/duplicates/check"}, {"POST", "/api/v1/accounts/duplicates/check"},
                      // sales (docs/sales.md): board, stage times, quotes' PDF, acceptance and customer link,
                      // the public web form, settings and scoring, follow-ups, forecast, results, funnel
                      {"GET", "/api/v1/sales/board"}, {"GET", "/api/v1/opportunities/{id}/stage-times"},
                      {"GET", "/api/v1/opportunities/{id}/score"}, {"GET", "/api/v1/opportunities/{id}/stage-history"},
                      {"GET", "/api/v1/quotes/{id}/pdf"}, {"POST", "/api/v1/quotes/{id}/accept"},
                      {"POST", "/api/v1/quotes/{id}/versions"}, {"POST", "/api/v1/quotes/{id}/send"}, {"GET", "/api/v1/quotes/{id}/versions"}, {"POST", "/api/v1/quotes/{id}/link"},
                      {"GET", "/q/{token}"}, {"GET", "/q/{token}/pdf"}, {"POST", "/q/{token}/accept"},
                      {"POST", "/api/v1/public/forms/{key}"}, {"GET", "/forms/{key}"}, {"GET", "/api/v1/lead_forms/{id}/snippet"},
                      {"GET", "/api/v1/sales/settings"}, {"PATCH", "/api/v1/sales/settings"},
                      {"POST", "/api/v1/sales/scoring/train"}, {"POST", "/api/v1/sales/followups/run"},
                      {"GET", "/api/v1/sales/forecast"}, {"GET", "/api/v1/sales/forecast/accuracy"},
                      {"POST", "/api/v1/sales/forecast/snapshot"}, {"GET", "/api/v1/sales/performance"},
                      {"GET", "/api/v1/sales/results"}, {"POST", "/api/v1/sales/reassign"}, {"GET", "/api/v1/sales/funnel"},
                      {"GET", "/api/v1/sales/macro-processes"},
                      // e-mail (docs/email.md): sending, reading, threads, the inbox of unknown senders,
                      // a mail server's pipe, mailbox reading, templates, bounces, unsubscribe links
                      {"POST", "/api/v1/emails"}, {"GET", "/api/v1/emails/{id}"}, {"GET", "/api/v1/interactions/{id}/email"},
                      {"GET", "/api/v1/emails/{id}/thread"}, {"GET", "/api/v1/emails/{id}/html"},
                      {"GET", "/api/v1/emails/{id}/attachments/{n}"}, {"GET", "/api/v1/email/inbox"},
                      {"POST", "/api/v1/email/inbox/{id}/link"}, {"POST", "/api/v1/email/inbox/{id}/contact"},
                      {"POST", "/api/v1/email/inbox/{id}/dismiss"}, {"POST", "/api/v1/email/inbound"},
                      {"POST", "/api/v1/mailboxes/{id}/sync"}, {"POST", "/api/v1/email-templates/{id}/render"},
                      {"GET", "/api/v1/email/addresses/{address}"}, {"GET", "/unsubscribe/{token}"}, {"POST", "/unsubscribe/{token}"},
                      {"GET", "/confirm/{token}"}, {"POST", "/confirm/{token}"},
                      // the service desk (docs/service.md): a case's history, replies, notes, service levels,
                      // merge, script, suggestions; the queue; calls and the screen pop; the knowledge base and
                      // its public pages; surveys; interventions' reports; the dashboard and costs
                      {"GET", "/api/v1/cases/{id}/history"}, {"GET", "/api/v1/cases/{id}/sla"}, {"POST", "/api/v1/cases/{id}/replies"},
                      {"POST", "/api/v1/cases/{id}/notes"}, {"POST", "/api/v1/cases/{id}/customer-messages"},
                      {"POST", "/api/v1/cases/{id}/merge"}, {"POST", "/api/v1/cases/{id}/script"},
                      {"GET", "/api/v1/cases/{id}/suggestions"}, {"POST", "/api/v1/cases/{id}/article"}, {"GET", "/api/v1/cases/{id}/survey"},
                      {"GET", "/api/v1/service/queue"}, {"POST", "/api/v1/service/work-items/{id}/accept"},
                      {"POST", "/api/v1/service/work-items/{id}/decline"}, {"POST", "/api/v1/service/work-items/{id}/assign"},
                      {"PUT", "/api/v1/service/me/availability"}, {"GET", "/api/v1/service/agents"},
                      {"GET", "/api/v1/service/settings"}, {"PUT", "/api/v1/service/settings"},
                      {"POST", "/api/v1/calls/events"}, {"POST", "/api/v1/calls/{call_id}/link"}, {"GET", "/api/v1/service/stream"},
                      {"POST", "/api/v1/kb_articles/{id}/vote"}, {"GET", "/kb"}, {"GET", "/kb/{id}"}, {"POST", "/kb/{id}/vote"},
                      {"GET", "/survey/{token}"}, {"POST", "/survey/{token}"}, {"GET", "/support"}, {"POST", "/support"}, {"POST", "/api/v1/interventions/{id}/report"},
                      {"GET", "/api/v1/service/dashboard"}, {"GET", "/api/v1/service/costs"}};
  for (const char* name : {"contacts", "accounts", "households"}) {
    std::string base = std::string("/api/v1/") + name;
    ops.insert({"POST", base + "/merge"});
    ops.insert({"GET", base + "/compare"});
    ops.insert({"POST", base + "/{id}/restore"});
  }
  for (const auto& e : entities) {
    std::string base = std::string("/api/v1/") + e.name;
    ops.insert({"GET", base});
    ops.insert({"POST", base});
    ops.insert({"POST", base + "/preview"});  // what a create would store, stored nowhere
    for (const char* m : {"GET", "PATCH", "PUT", "DELETE"}) ops.insert({m, base + "/{id}"});
    ops.insert({"GET", base + "/{id}/audit"});
    if (e.owned) ops.insert({"POST", base + "/{id}/shares"});
    if (e.customer) {
      ops.insert({"GET", base + "/{id}/stage-history"});
      ops.insert({"GET", base + "/{id}/360"});
    }
  }
  return ops;
}

std::string upper(std::string s) {
  for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

class OpenApi : public ApiTest {
 protected:
  json document() {
    Response r = get("/api/v1/openapi.json", as("read_only"));
    EXPECT_EQ(r.status, 200) << r.dump();
    EXPECT_EQ(r.header("Content-Type").find("application/json"), 0u);
    return r.j;
  }
  std::set<Op> documented(const json& doc) {
    std::set<Op> ops;
    for (auto& [path, methods] : doc["paths"].items())
      for (auto& [method, op] : methods.items()) ops.insert({upper(method), path});
    return ops;
  }
  // True when the request reached no handler: the server's generic "no route" answer, or the
  // documented /{id} route refusing a segment that is not an id (e.g. /contacts/export).
  static bool no_route(const Response& r) {
    std::string detail = r.j.is_object() ? r.j.value("detail", "") : "";
    return (r.status == 404 && (detail.rfind("no route", 0) == 0 || detail.find("is not a record id") != std::string::npos)) ||
           r.status == 405;
  }
  // {id} -> id, {entity} -> contacts.
  Response call(const std::string& method, const std::string& path, int64_t id = 999999) {
    std::string concrete = std::regex_replace(path, std::regex(R"(\{id\})"), std::to_string(id));
    concrete = std::regex_replace(concrete, std::regex(R"(\{entity\})"), "contacts");
    std::optional<std::string> body;
    if (method == "POST" || method == "PATCH" || method == "PUT") body = "{}";
    return srv().request(method, concrete, as("admin"), body);
  }
};

TEST_F(OpenApi, DocumentIsWellFormed) {
  json doc = document();
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_TRUE(doc["info"]["title"].is_string());
  ASSERT_TRUE(doc["paths"].is_object());
  const json& schemas = doc["components"]["schemas"];
  for (const char* e : {"accounts", "households", "contacts", "interactions", "tasks", "products", "orders", "Problem"})
    EXPECT_TRUE(schemas.contains(e)) << e;
  EXPECT_TRUE(schemas["contacts"]["properties"].contains("last_name"));
  EXPECT_TRUE(schemas["contacts"]["properties"]["id"].value("readOnly", false));
  EXPECT_NE(std::find(schemas["contacts"]["required"].begin(), schemas["contacts"]["required"].end(), "last_name"),
            schemas["contacts"]["required"].end());
  EXPECT_TRUE(schemas["orders"]["properties"].contains("lines"));
  // Every $ref points to a defined schema; every path parameter is declared.
  std::function<void(const json&)> check_refs = [&](const json& j) {
    if (j.is_object()) {
      if (j.contains("$ref")) {
        std::string ref = j["$ref"];
        ASSERT_EQ(ref.rfind("#/components/schemas/", 0), 0u) << ref;
        EXPECT_TRUE(schemas.contains(ref.substr(21))) << "dangling " << ref;
      }
      for (auto& [k, v] : j.items()) check_refs(v);
    } else if (j.is_array()) {
      for (const auto& v : j) check_refs(v);
    }
  };
  check_refs(doc["paths"]);
  for (auto& [path, methods] : doc["paths"].items())
    for (auto& [method, op] : methods.items()) {
      EXPECT_FALSE(op.value("summary", "").empty()) << method << " " << path;
      EXPECT_TRUE(op["responses"].is_object()) << method << " " << path;
      std::smatch m;
      std::string rest = path;
      while (std::regex_search(rest, m, std::regex(R"(\{([a-z_]+)\})"))) {
        std::string name = m[1];
        const json* declared = nullptr;
        const json params = op.value("parameters", json::array());
        for (const auto& p : params)
          if (p["name"] == name && p["in"] == "path") declared = &p;
        ASSERT_NE(declared, nullptr) << name << " not declared in " << method << " " << path;
        // {id} is a number; {entity} is a name such as "contacts".
        EXPECT_EQ((*declared)["schema"]["type"], name == "id" ? "integer" : "string") << name << " in " << method << " " << path;
        rest = m.suffix();
      }
    }
  // List operations document their query parameters, search where there is an index.
  auto params = [&](const std::string& path) {
    std::set<std::string> names;
    for (const auto& p : doc["paths"][path]["get"]["parameters"]) names.insert(p["name"]);
    return names;
  };
  auto contacts = params("/api/v1/contacts");
  for (const char* p : {"limit", "cursor", "sort", "count", "q", "account_id", "lifecycle_stage"}) EXPECT_TRUE(contacts.count(p)) << p;
  EXPECT_FALSE(params("/api/v1/tasks").count("q"));
}

TEST_F(OpenApi, DocumentedOperationsAreExactlyTheExpectedOnes) {
  std::set<Op> doc = documented(document()), want = expected_operations();
  for (const auto& op : want) EXPECT_TRUE(doc.count(op)) << "not documented: " << op.first << " " << op.second;
  for (const auto& op : doc) EXPECT_TRUE(want.count(op)) << "documented but not in the spec's list: " << op.first << " " << op.second;
}

TEST_F(OpenApi, EveryDocumentedOperationReachesAHandler) {
  std::set<Op> doc = documented(document());
  ASSERT_FALSE(doc.empty());
  for (const auto& [method, path] : doc) {
    if (path == "/api/v1/auth/logout") continue;  // harmless, but keep the admin token's user logged in
    // An event stream never ends: an invalid interval reaches its handler and answers at once.
    Response r = call(method, path == "/api/v1/notifications/stream" ? path + "?interval=0"
                              : path == "/api/v1/service/stream"   ? path + "?unknown=1"
                                                                   : path);
    EXPECT_NE(r.status, 0) << method << " " << path;
    EXPECT_FALSE(no_route(r)) << method << " " << path << " is documented but not served: " << r.dump();
    EXPECT_LT(r.status, 500) << method << " " << path << ": " << r.dump();
  }
}

TEST_F(OpenApi, EveryServedOperationIsDocumented) {
  std::set<Op> doc = documented(document());
  // One real record per entity, so that an undocumented /{id}/… route would answer, not 404.
  json contact = create("contacts", {{"last_name", "Sonde"}});
  json account = create("accounts", {{"name", "Sonde"}});
  std::map<std::string, int64_t> ids = {
      {"contacts", contact["id"]},
      {"accounts", account["id"]},
      {"households", create("households", {{"name", "Sonde"}})["id"]},
      {"interactions", create("interactions", {{"channel", "note"}, {"contact_id", contact["id"]}})["id"]},
      {"tasks", create("tasks", {{"title", "Sonde"}})["id"]},
      {"products", create("products", {{"name", "Sonde"}})["id"]},
      {"orders", create("orders", {{"contact_id", contact["id"]}})["id"]},
      {"users", uid("admin")}};
  // Candidate paths: the documented ones plus routes an entity could plausibly have.
  std::set<std::string> paths;
  for (const auto& [m, p] : doc) paths.insert(p);
  for (const char* e : {"accounts", "households", "contacts", "interactions", "tasks", "products", "orders", "users",
                        "teams", "tokens", "shares", "audit", "sessions"}) {
    std::string base = std::string("/api/v1/") + e;
    for (const char* suffix : {"", "/{id}", "/{id}/audit", "/{id}/shares", "/{id}/stage-history", "/{id}/360",
                               "/{id}/lines", "/{id}/history", "/export", "/import"})
      paths.insert(base + suffix);
  }
  for (const char* p : {"/api/v1", "/api/v1/", "/api/v1/auth", "/api/v1/auth/me", "/api/v1/openapi", "/api/openapi.json",
                        "/openapi.json", "/api/v1/search", "/api/v1/export", "/api/v1/import", "/api/v1/me/tokens",
                        "/api/v1/tokens/{id}", "/api/v1/users/{id}"})
    paths.insert(p);
  int probed = 0;
  for (const auto& path : paths) {
    int64_t id = 1;
    for (const auto& [e, v] : ids)
      if (path.rfind("/api/v1/" + e + "/", 0) == 0) id = v;
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      if (doc.count({method, path})) continue;
      Response r = call(method, path, id);
      ++probed;
      EXPECT_TRUE(no_route(r)) << method << " " << path << " (id " << id << ") is served but not documented: " << r.dump();
    }
  }
  EXPECT_GT(probed, 300);
}
