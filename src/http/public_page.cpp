#include "http/public_page.h"

#include <sodium.h>

#include <httplib.h>

#include "http/api.h"

namespace gz::http {

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) out += {hex[c >> 4], hex[c & 15]};
  return out;
}

std::string public_page(const std::string& title, const std::string& body, const std::string& max_width,
                        const std::string& own_css) {
  return "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width, initial-scale=1\"><title>" +
         html_escape(title) + "</title><style>body{font-family:system-ui,sans-serif;max-width:" + max_width +
         ";margin:2rem auto;padding:0 1rem;color:#1f2933}label{display:block;margin:.8rem 0 .2rem;font-weight:600}"
         "button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit}.ok{color:#05603a}.err{color:#b42318}" +
         own_css + "</style></head><body>" + body + "</body></html>";
}

nlohmann::json posted_fields(const httplib::Request& req, bool& html) {
  const std::string type = req.get_header_value("Content-Type");
  html = type.find("application/x-www-form-urlencoded") != std::string::npos;
  if (!html) return parse_json_body(req);
  httplib::Params params;
  httplib::detail::parse_query_text(req.body, params);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : params) out[k] = v;
  return out;
}

}  // namespace gz::http
