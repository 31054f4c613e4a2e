// Walks every operation of the OpenAPI document with bad input (issue 12, "make it stay fixed"):
// bad path ids, bad query parameters, bodies that are no object, malformed JSON (1e400, invalid
// UTF-8, 10,000 levels of nesting), a 1 MB string, and for each field of a request schema a value
// of the wrong type and out-of-range numbers. Asserts: no 5xx (the fixture records any), every
// 4xx is problem+json with a detail, a problem about a field names it, the record counts are
// unchanged, and the server still answers /healthz. Runs on SQLite and on PostgreSQL like every
// API test; the number of requests is bounded (about two thousand).
#include <chrono>
#include <regex>

#include "api_fixture.h"

using namespace gzt;

namespace {

// The values a path parameter is replaced with: none is an id that exists.
const std::vector<std::string>& bad_ids() {
  static const std::vector<std::string> ids = {"0", "-1", "%201", "1%20", "99999999999999999999", "abc", "1e3",
                                               std::string(3000, '9')};
  return ids;
}

// A value of another JSON type than the schema's.
json wrong_type(const json& schema) {
  std::string t = schema.value("type", "");
  if (t == "string") return 12;
  if (t == "integer" || t == "number") return "12";
  if (t == "boolean") return "yes";
  if (t == "array") return json{{"a", 1}};
  if (t == "object") return json::array({1});
  return json::array({json::object()});
}

std::string deep(char open, int levels) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += open == '[' ? "[" : "{\"a\":";
  s += "1";
  for (int i = 0; i < levels; ++i) s += open == '[' ? "]" : "}";
  return s;
}

}  // namespace

class RouteWalkApi : public ApiTest {
 protected:
  int requests = 0;
  std::vector<std::string> failures;

  // Sends one request and checks the answer; field: a problem about it must name it (or a path
  // below it: "lines" covers "lines[0].quantity").
  Response check(const std::string& method, const std::string& path, const std::optional<std::string>& body,
                 const std::string& field = "", bool accept_2xx = true, const Auth& auth = {}) {
    ++requests;
    Response r = srv().request(method, path, auth.bearer.empty() && auth.session.empty() ? as("admin") : auth, body);
    std::string what = method + " " + path.substr(0, 120) + " body " + (body ? body->substr(0, 100) : "none") + " -> " +
                       r.dump().substr(0, 400);
    if (r.status == 0) failures.push_back("no answer: " + what);
    else if (r.status >= 500) failures.push_back("5xx: " + what);  // also recorded by the fixture
    else if (r.status >= 400) {
      if (!r.is_problem() || !r.j.is_object() || r.j.value("detail", "").empty())
        failures.push_back("not a problem+json with a detail: " + what);
      else if (!field.empty() && (r.status == 400 || r.status == 422)) {
        bool named = false;
        if (r.j.contains("errors"))
          for (const auto& e : r.j["errors"]) {
            std::string f = e.value("field", "");
            if (f == field || f.rfind(field + "[", 0) == 0 || f.rfind(field + ".", 0) == 0) named = true;
          }
        if (!named) failures.push_back("field " + field + " not named: " + what);
      }
    } else if (!accept_2xx) {
      failures.push_back("accepted: " + what);
    }
    return r;
  }

  // Records per entity (and the archived ones): a refused request changes none of them.
  std::map<std::string, int64_t> snapshot() {
    std::map<std::string, int64_t> out;
    for (const char* e : {"accounts", "contacts", "households", "interactions", "tasks", "products", "orders"})
      out[e] = count(e);
    for (const char* e : {"accounts", "contacts", "households"}) out[std::string(e) + "/archived"] = count(e, "admin", "archived=only");
    Response users = get("/api/v1/users", as("admin"));
    out["users"] = int64_t(users.j["data"].size());
    Response maps = get("/api/v1/import-mappings", as("admin"));
    out["import-mappings"] = int64_t(maps.j["data"].size());
    return out;
  }
};

TEST_F(RouteWalkApi, EveryRouteWithBadInput) {
  auto started = std::chrono::steady_clock::now();
  // One record of each entity, for the routes of a record that read a body.
  std::map<std::string, int64_t> real;
  json account = create("accounts", {{"name", unique("Walk")}});
  json contact = create("contacts", {{"last_name", unique("Walk")}, {"account_id", account["id"]}});
  real["accounts"] = account["id"];
  real["contacts"] = contact["id"];
  real["households"] = create("households", {{"name", unique("Walk")}})["id"];
  real["interactions"] = create("interactions", {{"channel", "phone"}, {"contact_id", contact["id"]}})["id"];
  real["tasks"] = create("tasks", {{"title", unique("Walk")}, {"contact_id", contact["id"]}})["id"];
  real["products"] = create("products", {{"name", unique("Walk")}, {"sku", unique("W")}, {"unit_price_cents", 100}})["id"];
  real["orders"] = create("orders", {{"contact_id", contact["id"]}, {"total_cents", 500}})["id"];
  auto before = snapshot();

  Response doc = get("/api/v1/openapi.json", as("admin"));
  ASSERT_EQ(doc.status, 200);
  const json& schemas = doc.j["components"]["schemas"];
  int operations = 0;
  const std::vector<std::string> generic_bodies = {
      "null", "[]", "\"s\"", "123", "true", "{}", "1e400", "{\"x\": 1e400}", "{\"x\": -1e400}",
      "{\"name\": \"\xff\xfe\"}", "{\"name\": \"\xc3\x28\"}", deep('[', 10000), deep('{', 10000), "{", "{\"a\": 1,}",
      "{\"unknown_field\": 1}"};
  const std::string big = "{\"name\": \"" + std::string(1 << 20, 'x') + "\"}";

  for (auto pit = doc.j["paths"].begin(); pit != doc.j["paths"].end(); ++pit) {
    const std::string tmpl = pit.key();
    for (auto mit = pit.value().begin(); mit != pit.value().end(); ++mit) {
      ++operations;
      std::string method = mit.key();
      for (auto& ch : method) ch = char(std::toupper(static_cast<unsigned char>(ch)));
      const json& op = mit.value();
      bool has_params = tmpl.find('{') != std::string::npos;
      bool writes = method != "GET";
      SCOPED_TRACE(method + " " + tmpl);

      // 1. Bad path parameters (every parameter of the path in turn, the others real).
      std::regex param(R"(\{([a-z_]+)\})");
      // The entity of a record route (/api/v1/contacts/{id}...), whose real id we hold.
      std::smatch em;
      std::string entity;
      if (std::regex_search(tmpl, em, std::regex(R"(^/api/v1/([a-z]+)/\{id\})")) && real.count(em[1])) entity = em[1];
      auto fill = [&](const std::string& bad_name, const std::string& bad_value) {
        std::string out, rest = tmpl;
        std::smatch m;
        while (std::regex_search(rest, m, param)) {
          out += m.prefix().str();
          std::string name = m[1];
          if (name == bad_name) out += bad_value;
          else if (name == "entity") out += "contacts";
          else if (name == "id" && !entity.empty()) out += std::to_string(real[entity]);
          else out += "999999999";
          rest = m.suffix();
        }
        return out + rest;
      };
      std::vector<std::string> names;
      for (std::sregex_iterator it(tmpl.begin(), tmpl.end(), param), end; it != end; ++it) names.push_back((*it)[1]);
      for (const auto& name : names)
        for (const auto& bad : bad_ids()) {
          // No path with a bad parameter reaches anything: a 2xx would be a route taking junk.
          check(method, fill(name, bad), writes ? std::optional<std::string>("{}") : std::nullopt, "", false);
        }
      // The path used for the body and query checks: real ids where we have them.
      std::string path = has_params ? fill("", "") : tmpl;

      // 2. Bad query parameters.
      for (const std::string& q : std::vector<std::string>{"limit=abc", "limit=99999999999999999999", "limit=-1", "limit=%201", "cursor=%FF%FE",
                                  "sort=nope", "months=1e400", "count=maybe", "unknown_parameter=1",
                                  "q=" + std::string(5000, 'a'), "entity=" + std::string(2000, 'e')}) {
        if (method != "GET") break;  // a write with a query would act on a valid body; bodies below
        check(method, path + "?" + q, std::nullopt);
      }

      // 3. Bodies, for every write.
      if (!writes) continue;
      // DELETE of a real record would delete it: writes on real records only take bodies that
      // must be refused; DELETE gets the bad ids above only.
      if (method == "DELETE") continue;
      for (const auto& body : generic_bodies) {
        // "{}" and an unknown field may be legitimate for a route that reads nothing from its
        // body (a POST that needs none): then the record counts below say nothing was written.
        bool legit = body == "{}" || body == "{\"unknown_field\": 1}" || body == "true" || body == "123" ||
                     body == "\"s\"" || body == "null" || body == "[]";
        check(method, path, body, "", legit || !op.contains("requestBody"));
      }
      check(method, path, big, "", !op.contains("requestBody"));

      // 4. Each field of the request schema: a value of the wrong type; integers also out of range.
      if (!op.contains("requestBody")) continue;
      json schema = op["requestBody"]["content"]["application/json"]["schema"];
      if (schema.contains("$ref")) {
        std::string ref = schema["$ref"];
        schema = schemas[ref.substr(ref.rfind('/') + 1)];
      }
      if (!schema.contains("properties")) continue;
      for (auto fit = schema["properties"].begin(); fit != schema["properties"].end(); ++fit) {
        const std::string field = fit.key();
        const json& fs = fit.value();
        // Server-set fields (id, version, times, totals) are ignored on input (docs/api.md): the
        // request may succeed, but what it wrote comes from the other fields.
        bool read_only = fs.value("readOnly", false);
        std::vector<json> values = {wrong_type(fs)};
        if (fs.value("type", "") == "integer") {
          values.push_back(json::parse("9223372036854775808"));
          values.push_back(json::parse("-9223372036854775809"));
          values.push_back(1e300);
          if (fs.contains("maximum")) values.push_back(fs["maximum"].get<int64_t>() + 1);
          if (fs.contains("minimum")) values.push_back(fs["minimum"].get<int64_t>() - 1);
        }
        if (fs.value("type", "") == "string" && fs.contains("maxLength"))
          values.push_back(std::string(size_t(fs["maxLength"].get<int>()) + 1, 'y'));
        for (const auto& v : values) {
          json body = {{field, v}};
          check(method, path, body.dump(), read_only ? "" : field, read_only);
        }
      }
    }
  }

  // Without authentication, nothing but login and health answer, and never with a 5xx.
  for (auto pit = doc.j["paths"].begin(); pit != doc.j["paths"].end(); ++pit)
    for (auto mit = pit.value().begin(); mit != pit.value().end(); ++mit) {
      std::string method = mit.key();
      for (auto& ch : method) ch = char(std::toupper(static_cast<unsigned char>(ch)));
      std::string path = std::regex_replace(pit.key(), std::regex(R"(\{[a-z_]+\})"), "1");
      ++requests;
      Response r = srv().request(method, path, Auth::none(), method == "GET" ? std::nullopt : std::optional<std::string>("null"));
      if (r.status >= 500 || r.status == 0) failures.push_back("unauthenticated " + method + " " + path + " -> " + r.dump());
      // The public routes (the web-to-lead form, a customer's quote link) answer anyone: with
      // an unknown key, a 404, or a 400 for a body that is not a form.
      const bool is_public = path.rfind("/api/v1/public/", 0) == 0 || path.rfind("/forms/", 0) == 0 || path.rfind("/q/", 0) == 0 ||
                             path.rfind("/unsubscribe/", 0) == 0 || path.rfind("/confirm/", 0) == 0 ||
        path.rfind("/kb", 0) == 0 || path.rfind("/survey/", 0) == 0 || path == "/support";
      if (is_public) {
        // The self-service help and the request form are pages anyone opens.
        const bool open_page = method == "GET" && (path == "/kb" || path == "/support");
        EXPECT_TRUE(r.status == 400 || r.status == 404 || r.status == 422 || (open_page && r.status == 200))
            << method << " " << path << ": " << r.dump();
      } else if (path != "/healthz" && path != "/api/v1/auth/login") {
        EXPECT_TRUE(r.status == 401 || r.status == 404) << method << " " << path << ": " << r.dump();
      }
    }

  EXPECT_GT(operations, 100);
  for (const auto& f : failures) ADD_FAILURE() << f;
  EXPECT_EQ(snapshot(), before) << "a refused request wrote something";
  Response health = get("/healthz", Auth::none());
  EXPECT_EQ(health.status, 200) << health.dump();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[ route walk ] " << operations << " operations, " << requests << " requests in " << seconds << " s ("
            << backend_name() << ")" << std::endl;
}
