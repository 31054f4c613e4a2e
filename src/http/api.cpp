#include "http/api.h"

#include "kernel/module.h"

#include "domain/field_values.h"
#include "http/json_body.h"
#include "io/csv.h"
#include "store/record_json.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string_view>

namespace gz::http {

using domain::json_type_name;

// A record id is digits only: no sign, no spaces ("%201" is no id), at most 18 digits (so
// that it fits int64_t without wrapping).
std::optional<int64_t> parse_id(const std::string& s) {
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int64_t v = std::stoll(s);
  if (v <= 0) return std::nullopt;
  return v;
}

int64_t RequestContext::id_param(size_t i) const {
  std::string s = path_param(i);
  if (auto v = parse_id(s)) return *v;
  throw Problem(ProblemKind::NotFound, tr("'{value}' is not a record id", {{"value", s.substr(0, 40)}}));
}

std::string request_language(const httplib::Request& req) {
  if (req.has_param("lang")) {
    std::string l = req.get_param_value("lang");
    if (l != "fr" && l != "en") throw Problem(ProblemKind::BadRequest, "lang must be fr or en", {{"lang", "use fr or en"}});
    return l;
  }
  // "en-GB,en;q=0.9,fr;q=0.8": the first tag that is French or English wins (browsers list
  // languages in order of preference).
  std::string accept = req.get_header_value("Accept-Language");
  size_t pos = 0;
  while (pos < accept.size()) {
    size_t end = accept.find(',', pos);
    if (end == std::string::npos) end = accept.size();
    std::string tag = accept.substr(pos, end - pos);
    size_t b = tag.find_first_not_of(" \t");
    if (b != std::string::npos) {
      std::string lang = tag.substr(b, 2);
      for (auto& ch : lang) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      if (lang == "fr" || lang == "en") return lang;
    }
    pos = end + 1;
  }
  return "fr";
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  send_json_text(res, store::dump_json(body));  // body.dump()'s bytes, faster
}

void send_json_text(httplib::Response& res, std::string body) {
  // What set_content does, without copying the body (a list page is ~50 kB): httplib has no
  // overload that takes it.
  res.body = std::move(body);
  res.headers.erase("Content-Type");
  res.set_header("Content-Type", "application/json; charset=utf-8");
}

std::string problem_language(const httplib::Request& req, const domain::Actor* actor) {
  if (actor && !actor->language.empty()) return actor->language;
  try {
    return request_language(req);
  } catch (const Problem&) {
    return "fr";
  }
}

std::string RequestContext::lang() const {
  return actor.language.empty() ? request_language(req) : actor.language;
}

void send_status_problem(httplib::Response& res, int status, const Message& title, const Message& detail,
                         const httplib::Request& req) {
  std::string lang = problem_language(req);
  res.status = status;
  res.set_content(json{{"type", "about:blank"}, {"title", title.render(lang)}, {"status", status},
                       {"detail", detail.render(lang)}, {"instance", req.path}}
                      .dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/problem+json");
}

void send_problem(httplib::Response& res, const Problem& p, const httplib::Request& req, const domain::Actor* actor) {
  std::string lang = problem_language(req, actor);
  json body = {{"type", p.type().empty() ? "about:blank" : p.type()}, {"title", p.title(lang)}, {"status", p.http_status()},
               {"detail", p.detail(lang)}, {"instance", req.path}};
  if (!p.fields().empty()) {
    json errors = json::array();
    for (const auto& f : p.fields()) {
      json e = {{"field", f.field}, {"message", f.message.render(lang)}};
      if (!f.label.empty()) e["label"] = f.label.render(lang);
      errors.push_back(std::move(e));
    }
    body["errors"] = errors;
  }
  // Extension members never replace the standard ones.
  for (auto it = p.extensions().begin(); it != p.extensions().end(); ++it)
    if (!body.contains(it.key())) body[it.key()] = it.value();
  res.status = p.http_status();
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/problem+json");
}

json parse_json_body(const httplib::Request& req) {
  // The body is read as JSON whatever Content-Type says (curl sends form-urlencoded by default).
  json body = parse_json_text(req.body);
  // Every route that reads a body reads an object: null, [], "s" or 123 are refused here, so
  // that no handler indexes a value of the wrong type.
  if (!body.is_object())
    throw Problem(ProblemKind::BadRequest,
                  tr("the request body must be a JSON object, not {actual}", {{"actual", Message(json_type_name(body))}}),
                  {{"body", "must be a JSON object"}});
  return body;
}

std::string body_string(const json& body, const char* key, const std::string& fallback) {
  if (!body.contains(key) || body[key].is_null()) return fallback;
  if (!body[key].is_string())
    throw Problem(ProblemKind::Unprocessable,
                  tr("{name} must be a string, not {actual}", {{"name", key}, {"actual", Message(json_type_name(body[key]))}}),
                  {{key, "must be a string"}});
  return body[key].get<std::string>();
}

bool body_bool(const json& body, const char* key, bool fallback) {
  if (!body.contains(key) || body[key].is_null()) return fallback;
  if (!body[key].is_boolean())
    throw Problem(ProblemKind::Unprocessable,
                  tr("{name} must be true or false, not {actual}", {{"name", key}, {"actual", Message(json_type_name(body[key]))}}),
                  {{key, "must be true or false"}});
  return body[key].get<bool>();
}

int64_t body_int(const json& body, const char* key, int64_t fallback, int64_t min, int64_t max) {
  if (!body.contains(key) || body[key].is_null()) return fallback;
  const json& v = body[key];
  // An unsigned beyond int64_t (9223372036854775808) is out of range, not wrapped.
  bool ok = v.is_number_integer() && !(v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(max)) &&
            v.get<int64_t>() >= min && v.get<int64_t>() <= max;
  if (!ok)
    throw Problem(ProblemKind::Unprocessable,
                  tr("{name} must be an integer from {min} to {max}",
                     {{"name", key}, {"min", std::to_string(min)}, {"max", std::to_string(max)}}),
                  {{key, tr("must be an integer from {min} to {max}", {{"min", std::to_string(min)}, {"max", std::to_string(max)}})}});
  return v.get<int64_t>();
}

void reject_unknown_keys(const json& body, std::initializer_list<const char*> known) {
  FieldErrors errors;
  for (auto it = body.begin(); it != body.end(); ++it)
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) {
      std::string names;
      for (const char* k : known) names += (names.empty() ? "" : ", ") + std::string(k);
      errors.add(it.key().substr(0, 60), tr("unknown field; use {fields}", {{"fields", names}}));
    }
  errors.throw_if_any();
}

std::optional<int64_t> if_match_version(const httplib::Request& req) {
  if (!req.has_header("If-Match")) return std::nullopt;
  std::string v = req.get_header_value("If-Match");
  if (v == "*") return std::nullopt;
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  try {
    size_t pos;
    long long n = std::stoll(v, &pos);
    if (pos == v.size()) return n;
  } catch (...) {
  }
  return -1;  // matches no version: a malformed If-Match is a failed precondition
}

bool is_loopback(const std::string& a) {
  return a == "::1" || a.rfind("127.", 0) == 0 || a.rfind("::ffff:127.", 0) == 0;
}

std::string etag_for(const json& record) { return "\"" + std::to_string(record.value("version", 0)) + "\""; }

static std::string cookie_value(const httplib::Request& req, const std::string& name) {
  std::string cookies = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string part = cookies.substr(pos, end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

std::string session_token(const httplib::Request& req) { return cookie_value(req, "gazelle_session"); }

static std::string without_v4_mapping(const std::string& a) { return a.rfind("::ffff:", 0) == 0 ? a.substr(7) : a; }

std::string public_base_url(const httplib::Request& req) {
  return (req.get_header_value("X-Forwarded-Proto") == "https" ? "https://" : "http://") + req.get_header_value("Host");
}

std::string client_address(const std::vector<std::string>& trusted_proxies, const httplib::Request& req) {
  std::string peer = without_v4_mapping(req.remote_addr);
  bool trusted = std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                             [&](const std::string& p) { return without_v4_mapping(p) == peer; });
  if (trusted && req.has_header("X-Real-IP")) {
    std::string ip = req.get_header_value("X-Real-IP");
    ip.erase(0, ip.find_first_not_of(" \t"));
    ip.erase(ip.find_last_not_of(" \t") + 1);
    if (!ip.empty() && ip.size() <= 64) return ip;
  }
  return req.remote_addr;
}

std::optional<domain::Actor> request_actor(Services& s, const httplib::Request& req) {
  std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) return s.auth.bearer(auth.substr(7));
  if (auto session = s.auth.session(session_token(req))) return session->actor;
  return std::nullopt;
}

Api::Api(Services& services) : s_(services) {
  add_auth_routes();
  // The modules' routes come before the generic record routes: /contacts/compare is no record id.
  for (const kernel::Module* m : kernel::modules())
    if (m->routes) m->routes(*this, s_);
  for (const auto& e : domain::entities()) add_record_routes(e);
  add_misc_routes();
}

void Api::add(Route r) {
  auto inner = std::move(r.handler);
  std::string where = r.method + " " + r.path;
  r.handler = [inner, where](RequestContext& ctx) {
    try {
      inner(ctx);
    } catch (const nlohmann::json::type_error& e) {
      // A handler read a body member as the wrong type: the request's fault, but a route that
      // checks its members itself names the field; this is the net under the others.
      std::cerr << "warning: " << where << ": unchecked JSON type: " << e.what() << std::endl;
      throw Problem(ProblemKind::BadRequest, "a value of the request has the wrong type");
    } catch (const io::CsvError& e) {
      // A file read outside the import's own checks (its header, a duplicate check).
      throw Problem(ProblemKind::BadRequest,
                    tr("the file is not valid CSV: line {line}: {reason}", {{"line", e.line()}, {"reason", e.message()}}),
                    {{"line " + std::to_string(e.line()), e.message()}});
    }
  };
  routes_.push_back(std::move(r));
}

void RequestContext::start_event_stream(EventStream s) {
  if (!stream) throw Problem(ProblemKind::BadRequest, "this server cannot stream events here");
  *stream = std::move(s);
}

void Api::prepare() {
  std::vector<std::pair<std::string, std::string>> names;
  for (const auto& r : routes_) names.emplace_back(r.method, r.path);
  metrics_.define_routes(names);
}

void Api::observe(const Route& r, int status, std::chrono::steady_clock::time_point started) {
  metrics_.observe(size_t(&r - routes_.data()), status,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

namespace {

// Whether a path fits a route's OpenAPI path, literally but for each {name}, which takes one
// non-empty segment (the handler checks that an {id} is a number); params gets those segments.
// (A regex per route, tried on every route before the one that fits, was 4 % of a 360° view's
// instructions.)
bool fits(std::string_view route, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  size_t i = 0, j = 0;
  while (i < route.size()) {
    if (route[i] == '{') {
      const size_t close = route.find('}', i);
      if (close == std::string_view::npos) return false;
      const size_t start = j;
      while (j < path.size() && path[j] != '/') ++j;
      if (j == start) return false;
      params.emplace_back(path.substr(start, j - start));
      i = close + 1;
    } else {
      if (j == path.size() || path[j] != route[i]) return false;
      ++i;
      ++j;
    }
  }
  return j == path.size();
}

}  // namespace

Admission Api::admit(httplib::Request& req, httplib::Response& res) {
  Admission a;
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
  for (size_t i = 0; i < routes_.size() && !a.route; ++i)
    if (routes_[i].method == method && fits(routes_[i].path, req.path, a.path_params)) a.route = &routes_[i];
  if (!a.route || !a.route->requires_auth) return a;
  const auto started = std::chrono::steady_clock::now();
  const Route& r = *a.route;
  try {
    std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0) {
      auto actor = s_.auth.bearer(auth.substr(7));
      if (!actor) throw Problem(ProblemKind::Unauthorized, "the API token is unknown or revoked");
      a.actor = *actor;
    } else {
      auto session = s_.auth.session(cookie_value(req, "gazelle_session"));
      if (!session)
        throw Problem(ProblemKind::Unauthorized,
                      "log in first (POST /api/v1/auth/login) or send Authorization: Bearer <token>");
      // Browser writes must prove they come from our page: the CSRF token given at login.
      if (r.method != "GET" && req.get_header_value("X-CSRF-Token") != session->csrf_token)
        throw Problem(ProblemKind::Forbidden, "missing or wrong X-CSRF-Token header (given at login)");
      a.actor = session->actor;
    }
  } catch (const Problem& p) {
    send_problem(res, p, req);
    a.answered = true;
  } catch (const std::exception& e) {
    std::cerr << "error: " << req.method << " " << req.path << ": " << e.what() << std::endl;
    send_status_problem(res, 500, "Internal Server Error", "internal error", req);
    a.answered = true;
  }
  if (a.answered) observe(r, res.status, started);
  return a;
}

void Api::run(const Admission& a, const httplib::Request& req, httplib::Response& res, std::optional<EventStream>* stream) {
  const Route& r = *a.route;
  const auto started = std::chrono::steady_clock::now();
  RequestContext ctx{req, res, a.actor, stream, a.path_params};
  try {
    r.handler(ctx);
  } catch (const Problem& p) {
    if (p.kind() != ProblemKind::NotFound || !redirect_merged(s_, req, res)) send_problem(res, p, req, &a.actor);
  } catch (const std::exception& e) {
    std::cerr << "error: " << req.method << " " << req.path << ": " << e.what() << std::endl;
    send_status_problem(res, 500, "Internal Server Error", "internal error", req);
  }
  observe(r, res.status, started);
}

}  // namespace gz::http
