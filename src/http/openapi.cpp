// The OpenAPI 3 document, generated from the route table and the schema catalogue, so that it
// cannot drift from what the server serves (tests/api checks both ways).
#include <regex>

#include "domain/field_values.h"
#include "http/api.h"

namespace gz::http {

using domain::FieldKind;

namespace {

json field_schema(const domain::Field& f) {
  json s;
  switch (f.kind) {
    case FieldKind::Integer: case FieldKind::Money: {
      auto r = domain::numeric_range(f);
      s = {{"type", "integer"}, {"minimum", r.min}, {"maximum", r.max}};
      break;
    }
    case FieldKind::Reference: s = {{"type", "integer"}, {"minimum", 1}}; break;
    case FieldKind::Boolean: s = {{"type", "boolean"}}; break;
    case FieldKind::Date: s = {{"type", "string"}, {"format", "date"}}; break;
    case FieldKind::DateTime: s = {{"type", "string"}, {"format", "date-time"}}; break;
    case FieldKind::Enum: s = {{"type", "string"}, {"enum", f.values}}; break;
    case FieldKind::EmailList: s = {{"type", "array"}, {"items", {{"type", "string"}, {"format", "email"}}}, {"maxItems", 10}}; break;
    case FieldKind::PhoneList: s = {{"type", "array"}, {"items", {{"type", "string"}}}, {"maxItems", 10}}; break;
    case FieldKind::TagList: s = {{"type", "array"}, {"items", {{"type", "string"}, {"maxLength", 50}}}, {"maxItems", 20}}; break;
    case FieldKind::Object: s = {{"type", "object"}}; break;
    case FieldKind::Currency: s = {{"type", "string"}, {"pattern", "^[A-Z]{3}$"}}; break;
    case FieldKind::Country: s = {{"type", "string"}, {"pattern", "^[A-Z]{2}$"}}; break;
    default: s = {{"type", "string"}, {"maxLength", f.max_length}};
  }
  if (f.kind != FieldKind::Object && f.kind != FieldKind::EmailList && f.kind != FieldKind::PhoneList &&
      f.kind != FieldKind::TagList) s["nullable"] = true;
  if (!f.description.empty()) s["description"] = f.description;
  if (f.server_set) s["readOnly"] = true;
  return s;
}

json problem_response(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

}  // namespace

json Api::openapi() const {
  json schemas;
  for (const auto& e : domain::entities()) {
    json props, required = json::array();
    for (const auto& f : e.fields) {
      props[f.name] = field_schema(f);
      if (f.required) required.push_back(f.name);
    }
    // Child lines (an order's lines): an array of their fields, plus the inputs a line reads
    // without storing them (an order line's sku).
    for (const auto& child : e.children) {
      json items;
      for (const auto& f : child.fields) items[f.name] = field_schema(f);
      for (const auto& key : child.also_accepted) items[key] = {{"type", "string"}};
      props[child.name] = {{"type", "array"},
                           {"maxItems", child.max_items},
                           {"items", {{"type", "object"}, {"properties", items}}}};
    }
    schemas[e.name] = {{"type", "object"}, {"properties", props}, {"required", required}, {"additionalProperties", false}};
  }
  json error_item = {{"type", "object"},
                     {"properties", {{"field", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}};
  schemas["Problem"] = {{"type", "object"},
                        {"properties", {{"type", {{"type", "string"}}},
                                        {"title", {{"type", "string"}}},
                                        {"status", {{"type", "integer"}}},
                                        {"detail", {{"type", "string"}}},
                                        {"errors", {{"type", "array"}, {"items", error_item}}}}}};
  schemas["login"] = {{"type", "object"}, {"required", {"email", "password"}},
                      {"properties", {{"email", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}};
  json password = {{"type", "string"}, {"minLength", 12}, {"description", "at least 12 characters, not a common password"}};
  schemas["password_change"] = {{"type", "object"}, {"required", {"current_password", "new_password"}},
                                {"properties", {{"current_password", {{"type", "string"}}}, {"new_password", password}}}};
  schemas["password_reset"] = {{"type", "object"}, {"required", {"password"}}, {"properties", {{"password", password}}}};
  schemas["me_patch"] = {{"type", "object"},
                         {"properties", {{"language", {{"type", "string"}, {"nullable", true}, {"enum", {"fr", "en", nullptr}}}}}}};
  schemas["user_patch"] = {{"type", "object"}, {"required", {"active"}}, {"properties", {{"active", {{"type", "boolean"}}}}}};
  schemas["new_token"] = {{"type", "object"},
                          {"properties", {{"name", {{"type", "string"}}},
                                          {"expires_at", {{"type", "string"}, {"nullable", true},
                                                          {"description", "YYYY-MM-DD (end of that day, UTC) or a UTC time; none = never"}}}}}};

  json paths = json::object();
  for (const auto& r : routes_) {
    json op = {{"summary", r.summary}, {"tags", {r.tag}}};
    if (!r.requires_auth) op["security"] = json::array();
    json params = json::array();
    std::smatch m;
    std::string rest = r.path;
    while (std::regex_search(rest, m, std::regex(R"(\{([a-z_]+)\})"))) {
      params.push_back({{"name", m[1]}, {"in", "path"}, {"required", true},
                        {"schema", {{"type", m[1] == "id" ? "integer" : "string"}}}});
      rest = m.suffix();
    }
    if (r.response_schema.rfind("list:", 0) == 0 && r.method == "GET") {
      const domain::Entity* e = domain::find_entity(r.response_schema.substr(5));
      if (e) {
        for (const char* p : {"limit", "cursor", "sort", "count"})
          params.push_back({{"name", p}, {"in", "query"}, {"schema", {{"type", "string"}}}});
        if (e->searchable)
          params.push_back({{"name", "q"}, {"in", "query"}, {"description", "Accent- and case-insensitive search; phone numbers in any format"},
                            {"schema", {{"type", "string"}}}});
        for (const auto& f : e->fields)
          if (f.filterable) params.push_back({{"name", f.name}, {"in", "query"}, {"schema", {{"type", "string"}}}});
        if (e->field("archived_at"))
          params.push_back({{"name", "archived"}, {"in", "query"}, {"description", "exclude (default), include or only archived records"},
                            {"schema", {{"type", "string"}, {"enum", {"exclude", "include", "only"}}}}});
      }
    }
    if (r.method == "PATCH" || r.method == "PUT" || r.method == "DELETE")
      params.push_back({{"name", "If-Match"}, {"in", "header"}, {"description", "ETag of the version you read"},
                        {"schema", {{"type", "string"}}}});
    if (!params.empty()) op["parameters"] = params;
    if (!r.request_schema.empty()) {
      json schema = schemas.contains(r.request_schema) ? json{{"$ref", "#/components/schemas/" + r.request_schema}}
                                                       : json{{"type", "object"}};
      op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    json ok;
    int status = r.success_status ? r.success_status
                 : r.method == "POST" && r.response_schema != "session" && !r.response_schema.empty() ? 201
                 : r.response_schema.empty() ? 204 : 200;
    if (r.response_schema.empty()) {
      ok = {{"description", "Done"}};
    } else {
      std::string name = r.response_schema.rfind("list:", 0) == 0 ? r.response_schema.substr(5) : r.response_schema;
      json item = schemas.contains(name) ? json{{"$ref", "#/components/schemas/" + name}} : json{{"type", "object"}};
      json schema = r.response_schema.rfind("list:", 0) == 0
                        ? json{{"type", "object"}, {"properties", {{"data", {{"type", "array"}, {"items", item}}},
                                                                   {"next_cursor", {{"type", "string"}, {"nullable", true}}},
                                                                   {"total", {{"type", "integer"}}},
                                                                   {"names", {{"type", "object"},
                                                                              {"additionalProperties", {{"type", "object"}}}}}}}}
                        : item;
      ok = {{"description", "OK"}, {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    json responses = {{std::to_string(status), ok}, {"400", problem_response("Malformed request")}};
    if (r.requires_auth) responses["401"] = problem_response("Not authenticated");
    if (r.method != "GET") responses["422"] = problem_response("Invalid values, listed per field");
    if (r.method == "PATCH" || r.method == "PUT" || r.method == "DELETE")
      responses["412"] = problem_response("Stale If-Match: the record changed since you read it");
    op["responses"] = responses;
    std::string method = r.method;
    for (auto& c : method) c = char(std::tolower(static_cast<unsigned char>(c)));
    paths[r.path][method] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "Gazelle CRM API"}, {"version", "1"},
                    {"description", "JSON REST API of Gazelle. Errors are application/problem+json (RFC 9457)."}}},
          {"servers", {{{"url", "/"}}}},
          {"components", {{"schemas", schemas},
                          {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                                               {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "gazelle_session"}}}}}}},
          {"security", {{{"bearer", json::array()}}, {{"session", json::array()}}}},
          {"paths", paths}};
}

}  // namespace gz::http
