// Fuzz target: the JSON request body path (nesting check, parser, number range). Every bad body
// must come out as a Problem with a 4xx status, never as a crash or another exception.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  try {
    nlohmann::json j = gz::http::parse_json_text(body);
    (void)j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const gz::Problem& p) {
    if (p.http_status() < 400 || p.http_status() >= 500) std::abort();
  }
  return 0;
}
