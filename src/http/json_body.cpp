#include "http/json_body.h"

namespace gz::http {

namespace {

bool too_deep(std::string_view body, int max_depth) {
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

}  // namespace

nlohmann::json parse_json_text(std::string_view body) {
  if (body.empty()) throw Problem(ProblemKind::BadRequest, "the request body is empty; send a JSON object");
  if (too_deep(body, kMaxJsonDepth)) throw Problem(ProblemKind::BadRequest, "the JSON body is nested too deeply");
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("syntax error");
    // The parser's own words (English) are given as they are.
    throw Problem(ProblemKind::BadRequest,
                  tr("malformed JSON at byte {byte}: {reason}",
                     {{"byte", std::to_string(e.byte)}, {"reason", pos != std::string::npos ? what.substr(pos) : what}}));
  } catch (const nlohmann::json::exception& e) {
    // A number beyond the range of a double (1e400) is out_of_range, not parse_error.
    std::string what = e.what();
    auto at = what.find("number overflow");
    if (at == std::string::npos) throw Problem(ProblemKind::BadRequest, "malformed JSON: a value cannot be read");
    throw Problem(ProblemKind::BadRequest, tr("malformed JSON: {reason}", {{"reason", what.substr(at)}}));
  }
}

}  // namespace gz::http
