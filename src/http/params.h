// Query parameters of a request, parsed once for every route: each accessor answers the default
// when the parameter is absent, and a 400 Problem naming the parameter when it is given twice or
// does not parse (an integer outside its range, a boolean other than true/false/1/0, a date that
// is not YYYY-MM-DD). The parsing itself (parse_int, parse_bool, parse_date) is pure, for reuse
// and unit tests. Path parameters: RequestContext::id_param (api.h) and parse_id.
#pragma once
#include <httplib.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gz::http {

// Pure parsers: nullopt when the text is not a value of the kind.
// An integer in [min, max]: an optional '-', digits only (no spaces, no '+', no exponent).
std::optional<int64_t> parse_int(const std::string& text, int64_t min, int64_t max);
// true/1/"" (present without a value) → true, false/0 → false.
std::optional<bool> parse_bool(const std::string& text);
// A calendar date YYYY-MM-DD (leap years checked).
std::optional<std::string> parse_date(const std::string& text);

// Every query parameter, each once: 400 naming a parameter given twice.
std::map<std::string, std::string> query_map(const httplib::Request& req);
// 400 naming the first parameter that is not one of known.
void reject_unknown_params(const httplib::Request& req, std::initializer_list<const char*> known);
// The parameter's value (nullopt when absent); 400 when given twice.
std::optional<std::string> query_text(const httplib::Request& req, const char* name);
std::string query_text(const httplib::Request& req, const char* name, const std::string& fallback);
// Every value of a parameter that may be repeated (e.g. map=…&map=…).
std::vector<std::string> query_all(const httplib::Request& req, const char* name);
// An integer from min to max: "NAME must be an integer from MIN to MAX" otherwise.
int64_t query_int(const httplib::Request& req, const char* name, int64_t fallback, int64_t min, int64_t max);
// A boolean (true/false/1/0, or present without a value): "NAME must be true or false" otherwise.
bool query_bool(const httplib::Request& req, const char* name, bool fallback = false);
// A date YYYY-MM-DD: "NAME must be a date (YYYY-MM-DD)" otherwise; nullopt when absent.
std::optional<std::string> query_date(const httplib::Request& req, const char* name);
// A record id (digits, 1 to 10^18 - 1): "NAME must be WHAT" (a record id) otherwise; fallback when absent.
int64_t query_id(const httplib::Request& req, const char* name, int64_t fallback = 0, const char* what = "a record id");

}  // namespace gz::http
