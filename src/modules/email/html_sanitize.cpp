// HTML made safe to show, and HTML as plain text (see html_sanitize.h): libxml2's HTML parser
// builds the tree as a browser would roughly see it, and the walk below writes back only what the
// allow-lists name, every text and attribute escaped again. No regular expressions.
#include "modules/email/html_sanitize.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "core/utf8.h"

namespace gz::modules::email {

namespace {

// Deeper than this, elements are no longer written: only their text (read without recursion).
constexpr int kMaxDepth = 200;

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

DocPtr parse(std::string_view html) {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  // Valid UTF-8 without NUL bytes, so that libxml2 neither switches to Latin-1 nor stops early.
  std::string input = utf8::make_valid(html);
  std::string clean;
  clean.reserve(input.size());
  for (char c : input) {
    if (c == '\0') clean += "\xEF\xBF\xBD";
    else clean += c;
  }
  if (clean.empty() || clean.size() > size_t(INT_MAX)) return nullptr;
  int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT;
  return DocPtr(htmlReadMemory(clean.data(), int(clean.size()), nullptr, "UTF-8", options));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::string name_of(const xmlNode* n) { return n->name ? lower(reinterpret_cast<const char*>(n->name)) : std::string(); }

template <std::size_t N>
bool one_of(const std::string& s, const char* const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* x) { return s == x; });
}

// Elements dropped with everything inside them.
const char* const kDropped[] = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
                                "form", "svg", "math", "meta", "link", "base", "head", "title", "noscript",
                                "template", "textarea", "select", "option", "button", "input", "audio",
                                "video", "canvas", "param", "noembed", "noframes", "xml", "xmp", "plaintext",
                                "source", "track", "picture", "portal", "dialog", "slot", "isindex", "keygen",
                                "bgsound", "layer", "ilayer", "marquee", "applet", "datalist", "output"};

const char* const kAllowed[] = {"p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "strike", "ul", "ol",
                                "li", "blockquote", "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col", "a",
                                "img", "hr", "font", "small", "big", "sub", "sup", "center", "dl", "dt", "dd",
                                "address", "abbr", "cite", "q", "tt", "kbd", "samp", "var", "del", "ins", "mark",
                                "wbr", "section", "article", "header", "footer", "main", "nav", "aside",
                                "figure", "figcaption"};

const char* const kVoid[] = {"br", "hr", "img", "col", "wbr"};

const char* const kCommonAttributes[] = {"dir", "lang", "title", "align", "valign"};

bool attribute_allowed(const std::string& element, const std::string& attr) {
  if (one_of(attr, kCommonAttributes)) return true;
  if (element == "td" || element == "th")
    return attr == "colspan" || attr == "rowspan" || attr == "width" || attr == "height" || attr == "bgcolor" ||
           attr == "nowrap" || attr == "scope" || attr == "abbr";
  if (element == "table")
    return attr == "width" || attr == "border" || attr == "cellpadding" || attr == "cellspacing" ||
           attr == "bgcolor" || attr == "summary";
  if (element == "tr" || element == "thead" || element == "tbody" || element == "tfoot") return attr == "bgcolor";
  if (element == "col" || element == "colgroup") return attr == "span" || attr == "width";
  if (element == "font") return attr == "color" || attr == "face" || attr == "size";
  if (element == "ol") return attr == "start" || attr == "type" || attr == "reversed";
  if (element == "ul" || element == "li") return attr == "type" || (element == "li" && attr == "value");
  if (element == "img") return attr == "alt" || attr == "width" || attr == "height" || attr == "border";
  if (element == "hr") return attr == "width" || attr == "size" || attr == "noshade";
  return false;
}

void escape_into(std::string& out, std::string_view s, bool attribute) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"':
        if (attribute) out += "&quot;";
        else out += c;
        break;
      case '\'':
        if (attribute) out += "&#39;";
        else out += c;
        break;
      default: out += c;
    }
  }
}

std::string attribute_value(xmlAttr* a) {
  xmlChar* v = xmlNodeGetContent(reinterpret_cast<xmlNode*>(a));
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

// A URL as a browser reads it: control characters and ASCII whitespace anywhere removed (they
// split "java&#x09;script:"), entities already decoded by the parser.
std::string clean_url(std::string_view url) {
  std::string out;
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) continue;
    out += c;
  }
  return out;
}

// The URL's scheme, lower-cased, or "" when it has none (a relative URL).
std::string scheme_of(std::string_view url) {
  for (size_t i = 0; i < url.size(); ++i) {
    char c = url[i];
    if (c == ':') return i == 0 ? std::string() : lower(url.substr(0, i));
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return {};
  }
  return {};
}

std::string percent_decode(std::string_view s) {
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += char(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The text of a subtree, read without recursion (for trees deeper than kMaxDepth).
void subtree_text(const xmlNode* root, std::string& out, bool escape) {
  const xmlNode* n = root->children;
  while (n && n != root) {
    bool descend = false;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) {
        if (escape) escape_into(out, reinterpret_cast<const char*>(n->content), false);
        else out += reinterpret_cast<const char*>(n->content);
      }
    } else if (n->type == XML_ELEMENT_NODE && !one_of(name_of(n), kDropped)) {
      descend = n->children != nullptr;
    }
    if (descend) {
      n = n->children;
      continue;
    }
    while (n && n != root && !n->next) n = n->parent;
    if (n && n != root) n = n->next;
  }
}

struct Sanitizer {
  const std::function<std::optional<std::string>(std::string_view)>& inline_image_url;
  std::string out;
  int blocked = 0;

  void children(const xmlNode* n, int depth) {
    for (const xmlNode* c = n->children; c; c = c->next) node(c, depth);
  }

  void node(const xmlNode* n, int depth) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) escape_into(out, reinterpret_cast<const char*>(n->content), false);
      return;
    }
    if (n->type != XML_ELEMENT_NODE) return;  // comments, processing instructions, DTD
    std::string name = name_of(n);
    if (one_of(name, kDropped)) return;
    if (depth > kMaxDepth) {
      subtree_text(n, out, true);
      return;
    }
    if (!one_of(name, kAllowed)) {  // html, body, unknown elements: unwrapped
      children(n, depth + 1);
      return;
    }
    std::string attrs;
    if (name == "img") {
      if (!image_source(n, attrs)) return;
    }
    bool has_href = false;
    for (xmlAttr* a = n->properties; a; a = a->next) {
      if (!a->name) continue;
      std::string attr = lower(reinterpret_cast<const char*>(a->name));
      if (name == "a" && attr == "href") {
        if (has_href) continue;
        std::string url = clean_url(attribute_value(a));
        std::string scheme = scheme_of(url);
        if (scheme == "http" || scheme == "https" || scheme == "mailto") {
          attrs += " href=\"";
          escape_into(attrs, url, true);
          attrs += "\"";
          has_href = true;
        }
        continue;
      }
      if (!attribute_allowed(name, attr)) continue;
      std::string value = attribute_value(a);
      attrs += " " + attr + "=\"";
      escape_into(attrs, value, true);
      attrs += "\"";
    }
    if (has_href) attrs += " rel=\"noopener noreferrer nofollow\" target=\"_blank\"";
    out += "<" + name + attrs + ">";
    if (one_of(name, kVoid)) return;
    children(n, depth + 1);
    out += "</" + name + ">";
  }

  // Writes the img's src (cid: through inline_image_url) into attrs; false drops the image.
  bool image_source(const xmlNode* n, std::string& attrs) {
    std::string src;
    bool found = false;
    for (xmlAttr* a = n->properties; a; a = a->next)
      if (a->name && lower(reinterpret_cast<const char*>(a->name)) == "src") {
        src = clean_url(attribute_value(a));
        found = true;
        break;
      }
    if (!found) return false;
    std::string scheme = scheme_of(src);
    if (scheme == "http" || scheme == "https" || (scheme.empty() && src.rfind("//", 0) == 0)) {
      ++blocked;
      return false;
    }
    if (scheme != "cid") return false;
    std::string cid = percent_decode(std::string_view(src).substr(4));
    if (!cid.empty() && cid.front() == '<' && cid.back() == '>' && cid.size() >= 2) cid = cid.substr(1, cid.size() - 2);
    if (cid.empty() || !inline_image_url) return false;
    std::optional<std::string> url = inline_image_url(cid);
    if (!url) return false;
    std::string safe_url = clean_url(*url);
    std::string s = scheme_of(safe_url);
    if (!(s.empty() || s == "http" || s == "https")) return false;  // ours: a path or an http(s) URL
    attrs += " src=\"";
    escape_into(attrs, safe_url, true);
    attrs += "\"";
    return true;
  }
};

// ---------------------------------------------------------------------------------------------
// HTML as text

const char* const kBlocks[] = {"p", "div", "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote", "pre",
                               "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "center", "section",
                               "article", "header", "footer", "main", "nav", "aside", "figure", "figcaption",
                               "caption", "thead", "tbody", "tfoot", "body", "html"};
const char* const kParagraphs[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "pre", "ul", "ol"};

struct TextWriter {
  std::string out;
  int pending_newlines = 0;

  void block(int n) { pending_newlines = std::max(pending_newlines, n); }
  bool at_line_start() const { return out.empty() || out.back() == '\n'; }
  void flush() {
    if (pending_newlines && !out.empty()) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      int have = 0;
      for (auto it = out.rbegin(); it != out.rend() && *it == '\n' && have < 2; ++it) ++have;
      for (int i = have; i < pending_newlines; ++i) out += '\n';
    }
    pending_newlines = 0;
  }
  void raw(std::string_view s) {
    if (s.empty()) return;
    flush();
    out += s;
  }
  // Text with HTML's whitespace collapsing.
  void text(std::string_view s) {
    std::string collapsed;
    bool space = false;
    for (char c : s) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        space = true;
      } else {
        if (space) collapsed += ' ';
        space = false;
        collapsed += c;
      }
    }
    if (space) collapsed += ' ';
    if (collapsed.empty()) return;
    if (collapsed.front() == ' ' && (pending_newlines || at_line_start() || out.back() == ' ')) collapsed.erase(0, 1);
    raw(collapsed);
  }
};

struct TextRenderer {
  TextWriter w;
  int pre = 0;

  void children(const xmlNode* n, int depth) {
    for (const xmlNode* c = n->children; c; c = c->next) node(c, depth);
  }

  void node(const xmlNode* n, int depth) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (!n->content) return;
      const char* t = reinterpret_cast<const char*>(n->content);
      if (pre) w.raw(t);
      else w.text(t);
      return;
    }
    if (n->type != XML_ELEMENT_NODE) return;
    std::string name = name_of(n);
    if (one_of(name, kDropped)) return;
    if (depth > kMaxDepth) {
      std::string t;
      subtree_text(n, t, false);
      w.text(t);
      return;
    }
    if (name == "br") {
      w.flush();
      w.out += '\n';
      return;
    }
    if (name == "img") {
      for (xmlAttr* a = n->properties; a; a = a->next)
        if (a->name && lower(reinterpret_cast<const char*>(a->name)) == "alt") {
          std::string alt = attribute_value(a);
          if (!alt.empty()) w.text("[" + alt + "]");
        }
      return;
    }
    bool paragraph = one_of(name, kParagraphs);
    bool block = paragraph || one_of(name, kBlocks);
    if (block) w.block(paragraph ? 2 : 1);
    if (name == "li") {
      w.block(1);
      w.flush();
      w.out += "- ";
    }
    if ((name == "td" || name == "th") && !w.at_line_start() && !w.pending_newlines) w.raw("\t");
    if (name == "hr") {
      w.raw("----");
      w.block(1);
      return;
    }
    if (name == "pre") ++pre;
    size_t before = w.out.size();
    children(n, depth + 1);
    if (name == "pre") --pre;
    if (name == "a") {
      for (xmlAttr* a = n->properties; a; a = a->next) {
        if (!a->name || lower(reinterpret_cast<const char*>(a->name)) != "href") continue;
        std::string url = clean_url(attribute_value(a));
        std::string scheme = scheme_of(url);
        if (scheme != "http" && scheme != "https" && scheme != "mailto") break;
        std::string shown = w.out.size() > before ? w.out.substr(before) : std::string();
        std::string bare = scheme == "mailto" ? url.substr(7) : url;
        auto strip = [](std::string s) {
          while (!s.empty() && (s.back() == ' ' || s.back() == '/' || s.back() == '\n')) s.pop_back();
          while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.erase(0, 1);
          return s;
        };
        if (strip(shown) == strip(bare) || strip(shown) == strip(url)) break;
        if (shown.empty()) w.text(bare);
        else w.raw(" (" + bare + ")");
        break;
      }
    }
    if (block) w.block(paragraph ? 2 : 1);
    if (name == "li") w.block(1);
  }
};

}  // namespace

SanitizedHtml sanitize_html(std::string_view html,
                            const std::function<std::optional<std::string>(std::string_view content_id)>& inline_image_url) {
  SanitizedHtml result;
  DocPtr doc = parse(html);
  if (!doc) return result;
  Sanitizer s{inline_image_url, {}, 0};
  for (const xmlNode* n = doc->children; n; n = n->next) s.node(n, 0);
  result.html = utf8::make_valid(s.out);
  result.remote_images_blocked = s.blocked;
  return result;
}

std::string html_to_text(std::string_view html) {
  DocPtr doc = parse(html);
  if (!doc) return {};
  TextRenderer r;
  for (const xmlNode* n = doc->children; n; n = n->next) r.node(n, 0);
  // Lines without trailing spaces, at most one blank line in a row, none at either end.
  std::string out;
  size_t blank = 0;
  size_t pos = 0;
  const std::string& s = r.w.out;
  while (pos <= s.size()) {
    size_t end = s.find('\n', pos);
    if (end == std::string::npos) end = s.size();
    std::string line = s.substr(pos, end - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    if (line.empty()) {
      ++blank;
    } else {
      if (!out.empty()) out += blank ? "\n\n" : "\n";
      out += line;
      blank = 0;
    }
    pos = end + 1;
  }
  std::string result = utf8::make_valid(out);
  // U+00A0 (from &nbsp;) reads as a space in plain text.
  std::string spaced;
  for (size_t i = 0; i < result.size(); ++i) {
    if (static_cast<unsigned char>(result[i]) == 0xC2 && i + 1 < result.size() && static_cast<unsigned char>(result[i + 1]) == 0xA0) {
      spaced += ' ';
      ++i;
    } else {
      spaced += result[i];
    }
  }
  return spaced;
}

}  // namespace gz::modules::email
