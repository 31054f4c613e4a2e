#include "http/params.h"

#include "core/problem.h"

namespace gz::http {

namespace {

[[noreturn]] void bad(const char* name, const Message& what) {
  throw Problem(ProblemKind::BadRequest, tr("{name} {what}", {{"name", name}, {"what", what}}), {{name, what}});
}

}  // namespace

std::optional<int64_t> parse_int(const std::string& text, int64_t min, int64_t max) {
  size_t i = 0;
  bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  if (i == text.size() || text.size() - i > 19) return std::nullopt;
  // Accumulated as a negative number, which reaches INT64_MIN.
  int64_t v = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    int d = c - '0';
    if (v < (INT64_MIN + d) / 10) return std::nullopt;
    v = v * 10 - d;
  }
  if (!negative) {
    if (v == INT64_MIN) return std::nullopt;
    v = -v;
  }
  if (v < min || v > max) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(const std::string& text) {
  if (text == "true" || text == "1" || text.empty()) return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

std::optional<std::string> parse_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)), d = std::stoi(text.substr(8, 2));
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return std::nullopt;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > days[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  return text;
}

std::map<std::string, std::string> query_map(const httplib::Request& req) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : req.params) {
    if (out.count(k))
      throw Problem(ProblemKind::BadRequest, tr("query parameter '{name}' is given twice", {{"name", k}}), {{k, "given twice"}});
    out[k] = v;
  }
  return out;
}

void reject_unknown_params(const httplib::Request& req, std::initializer_list<const char*> known) {
  for (const auto& [k, v] : req.params) {
    bool ok = false;
    for (const char* n : known) ok = ok || k == n;
    if (ok) continue;
    std::string names;
    for (const char* n : known) names += (names.empty() ? "" : ", ") + std::string(n);
    std::string key = k.substr(0, 60);
    throw Problem(ProblemKind::BadRequest, tr("unknown query parameter '{name}'; use {names}", {{"name", key}, {"names", names}}),
                  {{key, tr("unknown parameter; use {names}", {{"names", names}})}});
  }
}

std::optional<std::string> query_text(const httplib::Request& req, const char* name) {
  auto n = req.get_param_value_count(name);
  if (n == 0) return std::nullopt;
  if (n > 1)
    throw Problem(ProblemKind::BadRequest, tr("query parameter '{name}' is given twice", {{"name", std::string(name)}}),
                  {{name, "given twice"}});
  return req.get_param_value(name);
}

std::string query_text(const httplib::Request& req, const char* name, const std::string& fallback) {
  auto v = query_text(req, name);
  return v ? *v : fallback;
}

std::vector<std::string> query_all(const httplib::Request& req, const char* name) {
  std::vector<std::string> out;
  size_t n = req.get_param_value_count(name);
  for (size_t i = 0; i < n; ++i) out.push_back(req.get_param_value(name, i));
  return out;
}

int64_t query_int(const httplib::Request& req, const char* name, int64_t fallback, int64_t min, int64_t max) {
  auto v = query_text(req, name);
  if (!v) return fallback;
  if (auto n = parse_int(*v, min, max)) return *n;
  // The bounds as written (no thousands separator), as a client types them.
  bad(name, tr("must be an integer from {min} to {max}", {{"min", std::to_string(min)}, {"max", std::to_string(max)}}));
}

bool query_bool(const httplib::Request& req, const char* name, bool fallback) {
  auto v = query_text(req, name);
  if (!v) return fallback;
  if (auto b = parse_bool(*v)) return *b;
  bad(name, "must be true or false");
}

std::optional<std::string> query_date(const httplib::Request& req, const char* name) {
  auto v = query_text(req, name);
  if (!v) return std::nullopt;
  if (auto d = parse_date(*v)) return d;
  bad(name, "must be a date (YYYY-MM-DD)");
}

int64_t query_id(const httplib::Request& req, const char* name, int64_t fallback, const char* what) {
  auto v = query_text(req, name);
  if (!v) return fallback;
  if (auto n = parse_int(*v, 1, 999999999999999999LL); n && (*v)[0] != '-') return *n;
  bad(name, tr("must be {what}", {{"what", Message(what)}}));
}

}  // namespace gz::http
