#include "http/api.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <regex>

namespace gz::http {

int64_t RequestContext::id_param(size_t i) const {
  std::string s = path_param(i);
  try {
    size_t pos;
    long long v = std::stoll(s, &pos);
    if (pos == s.size() && v > 0) return v;
  } catch (...) {
  }
  throw Problem(ProblemKind::NotFound, "'" + s + "' is not a record id");
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json; charset=utf-8");
}

void send_problem(httplib::Response& res, const Problem& p, const std::string& instance) {
  json body = {{"type", "about:blank"}, {"title", p.title()}, {"status", p.http_status()}, {"detail", p.detail()},
               {"instance", instance}};
  if (!p.fields().empty()) {
    json errors = json::array();
    for (const auto& f : p.fields()) errors.push_back({{"field", f.field}, {"message", f.message}});
    body["errors"] = errors;
  }
  res.status = p.http_status();
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/problem+json");
}

// Depth of nesting, checked before parsing so that a hostile body cannot exhaust the stack later.
static bool too_deep(const std::string& body, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

bool bool_param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return false;
  std::string v = req.get_param_value(name);
  if (v == "true" || v == "1" || v.empty()) return true;
  if (v == "false" || v == "0") return false;
  throw Problem(ProblemKind::BadRequest, std::string(name) + " must be true or false", {{name, "must be true or false"}});
}

json parse_json_body(const httplib::Request& req) {
  if (req.body.empty()) throw Problem(ProblemKind::BadRequest, "the request body is empty; send a JSON object");
  // The body is read as JSON whatever Content-Type says (curl sends form-urlencoded by default).
  if (too_deep(req.body, 32)) throw Problem(ProblemKind::BadRequest, "the JSON body is nested too deeply");
  try {
    return json::parse(req.body);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("syntax error");
    throw Problem(ProblemKind::BadRequest,
                  "malformed JSON at byte " + std::to_string(e.byte) + ": " + (pos != std::string::npos ? what.substr(pos) : what));
  }
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
  add_merge_routes();  // before /{entity}/{id}: /contacts/compare is no record id
  add_duplicate_routes();  // before /{entity}/{id} too
  for (const auto& e : domain::entities()) add_record_routes(e);
  add_misc_routes();
  add_transfer_routes();
  add_dashboard_routes();
  add_analytics_routes();
  add_analytics_clv_routes();
  add_job_routes();
}

void Api::handle(const Route& r, const httplib::Request& req, httplib::Response& res) {
  const auto started = std::chrono::steady_clock::now();
  RequestContext ctx{req, res, {}};
  try {
    if (r.requires_auth) {
      std::string auth = req.get_header_value("Authorization");
      if (auth.rfind("Bearer ", 0) == 0) {
        auto actor = s_.auth.bearer(auth.substr(7));
        if (!actor) throw Problem(ProblemKind::Unauthorized, "the API token is unknown or revoked");
        ctx.actor = *actor;
      } else {
        auto session = s_.auth.session(cookie_value(req, "gazelle_session"));
        if (!session)
          throw Problem(ProblemKind::Unauthorized,
                        "log in first (POST /api/v1/auth/login) or send Authorization: Bearer <token>");
        // Browser writes must prove they come from our page: the CSRF token given at login.
        if (r.method != "GET" && req.get_header_value("X-CSRF-Token") != session->csrf_token)
          throw Problem(ProblemKind::Forbidden, "missing or wrong X-CSRF-Token header (given at login)");
        ctx.actor = session->actor;
      }
    }
    r.handler(ctx);
  } catch (const Problem& p) {
    if (p.kind() != ProblemKind::NotFound || !redirect_merged(s_, req, res)) send_problem(res, p, req.path);
  } catch (const std::exception& e) {
    std::cerr << "error: " << req.method << " " << req.path << ": " << e.what() << std::endl;
    res.status = 500;
    res.set_content(json{{"type", "about:blank"}, {"title", "Internal Server Error"}, {"status", 500},
                         {"detail", "internal error"}, {"instance", req.path}}.dump(),
                    "application/problem+json");
  }
  metrics_.observe(size_t(&r - routes_.data()), res.status,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

void Api::mount(httplib::Server& server) {
  std::vector<std::pair<std::string, std::string>> names;
  for (const auto& r : routes_) names.emplace_back(r.method, r.path);
  metrics_.define_routes(names);
  for (const auto& r : routes_) {
    // {id} -> a path segment; the handler checks that it is a number.
    std::string pattern = std::regex_replace(r.path, std::regex(R"(\{[a-z_]+\})"), "([^/]+)");
    auto fn = [this, &r](const httplib::Request& req, httplib::Response& res) { handle(r, req, res); };
    if (r.method == "GET") server.Get(pattern, fn);
    else if (r.method == "POST") server.Post(pattern, fn);
    else if (r.method == "PUT") server.Put(pattern, fn);
    else if (r.method == "PATCH") server.Patch(pattern, fn);
    else if (r.method == "DELETE") server.Delete(pattern, fn);
  }
}

}  // namespace gz::http
