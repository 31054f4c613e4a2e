// Parsing a request's JSON body, apart from the HTTP types so that the fuzzer (tests/fuzz) runs
// it alone. Every bad body becomes a 400 Problem: too deeply nested (checked before parsing, so a
// hostile body cannot exhaust the stack), malformed (with the byte where it breaks), or a number
// outside the range of a double (1e400).
#pragma once
#include <nlohmann/json.hpp>

#include <string_view>

#include "core/problem.h"

namespace gz::http {

inline constexpr int kMaxJsonDepth = 32;

nlohmann::json parse_json_text(std::string_view body);

}  // namespace gz::http
