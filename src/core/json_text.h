// Reading a text out of a JSON object that may hold null or another type there (a row, a request
// body): json::value throws on a stored null, this does not.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace gz {

// j[key] when it is a text, else fallback.
inline std::string text_of(const nlohmann::json& j, const char* key, const std::string& fallback = "") {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace gz
