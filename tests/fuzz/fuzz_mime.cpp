// Fuzz target: the e-mail module's MIME and HTML layers as a received message goes through them:
// parse_message, then sanitize_html of its HTML and html_to_text, then write_message of what was
// read. A message that cannot be read must come out as a Problem (400), a message to write with a
// bad field as a Problem (422); every string read must be valid UTF-8, and the sanitised HTML may
// hold no script, handler or javascript: URL. Anything else aborts.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/problem.h"
#include "modules/email/html_sanitize.h"
#include "core/utf8.h"
#include "modules/email/mime_message.h"

using namespace gz::modules::email;
namespace utf8 = gz::utf8;

namespace {

void require_utf8(const std::string& s) {
  if (!utf8::valid(s)) std::abort();
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

void check_sanitised(const std::string& html) {
  require_utf8(html);
  std::string l = lower(html);
  // Text cannot hold a '<' (escaped): each '<' opens a tag the sanitiser wrote, name then
  // attributes as name="value" (a '"' in a value escaped).
  for (size_t i = l.find('<'); i != std::string::npos; i = l.find('<', i + 1)) {
    size_t p = i + 1;
    if (p < l.size() && l[p] == '/') ++p;
    size_t name_end = l.find_first_of(" >", p);
    if (name_end == std::string::npos) std::abort();  // a tag left open
    std::string name = l.substr(p, name_end - p);
    for (const char* banned : {"script", "style", "iframe", "object", "embed", "meta", "base", "link", "svg", "math",
                               "form", "frame", "body", "html"})
      if (name == banned) std::abort();
    p = name_end;
    while (p < l.size() && l[p] != '>') {
      if (l[p] == ' ') {
        ++p;
        continue;
      }
      size_t eq = l.find('=', p);
      if (eq == std::string::npos || eq + 1 >= l.size() || l[eq + 1] != '"') std::abort();
      std::string attr = l.substr(p, eq - p);
      size_t close = l.find('"', eq + 2);
      if (close == std::string::npos) std::abort();
      std::string value = l.substr(eq + 2, close - eq - 2);
      if (attr.rfind("on", 0) == 0 || attr == "style" || attr == "class" || attr == "id" || attr == "background")
        std::abort();
      if (attr == "href") {
        std::string scheme = value.substr(0, value.find(':'));
        if (scheme != "http" && scheme != "https" && scheme != "mailto") std::abort();
      }
      if (attr == "src" && value.rfind("/api/v1/email/inline/", 0) != 0) std::abort();
      p = close + 1;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  for (const auto& a : parse_address_list(raw.substr(0, 2000))) require_utf8(a.name), require_utf8(a.address);
  ParsedMessage m;
  try {
    m = parse_message(raw, MimeLimits{20, 200, 1u << 20});
  } catch (const gz::Problem& p) {
    if (p.kind() != gz::ProblemKind::BadRequest) std::abort();
    return 0;
  }
  for (const std::string* s : {&m.message_id, &m.in_reply_to, &m.subject, &m.from.name, &m.from.address, &m.text,
                               &m.html, &m.original_message_id})
    require_utf8(*s);
  for (const auto& r : m.references) require_utf8(r);
  for (const auto* list : {&m.to, &m.cc, &m.reply_to})
    for (const auto& a : *list) require_utf8(a.name), require_utf8(a.address);
  for (const auto& a : m.attachments) require_utf8(a.filename), require_utf8(a.content_type), require_utf8(a.content_id);
  for (const auto& f : m.failures) require_utf8(f.recipient), require_utf8(f.status), require_utf8(f.diagnostic);

  std::string source = m.html.empty() ? m.text : m.html;
  SanitizedHtml s = sanitize_html(source, [](std::string_view cid) -> std::optional<std::string> {
    if (cid.size() % 2) return std::nullopt;
    static const char hex[] = "0123456789abcdef";
    std::string url = "/api/v1/email/inline/";
    for (unsigned char c : cid) url += hex[c >> 4], url += hex[c & 15];
    return url;
  });
  check_sanitised(s.html);
  require_utf8(html_to_text(source));

  OutgoingMessage out;
  out.from = m.from;
  out.to = m.to;
  out.cc = m.cc;
  out.subject = m.subject;
  out.text = m.text;
  out.html = s.html;
  out.in_reply_to = m.in_reply_to;
  out.references = m.references;
  for (size_t i = 0; i < m.attachments.size() && i < 3; ++i) out.attachments.push_back(m.attachments[i]);
  try {
    std::string written = write_message(out);
    ParsedMessage again = parse_message(written);
    // A plain ASCII subject (single spaces, no encoded-word look-alike) reads back as written.
    const std::string& b = m.subject;
    bool plain = b.find("  ") == std::string::npos && b.find("=?") == std::string::npos;
    for (unsigned char c : b) plain = plain && c >= 0x20 && c < 0x7F;
    if (plain && again.subject != b) std::abort();
  } catch (const gz::Problem& p) {
    if (p.kind() != gz::ProblemKind::Unprocessable) std::abort();
  }
  return 0;
}
