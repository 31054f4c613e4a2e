#include "build_paths.h"
#include "http/web_static.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace gz::http {

namespace fs = std::filesystem;

namespace {

const char* kNotBuilt = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gazelle CRM</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
code{background:#eef1f4;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>Gazelle CRM</h1>
<p>The server is running, but the web interface has not been built: run <code>make build</code>
(it builds <code>web/dist</code>) or start the server with <code>--web-dir</code>.
The API lives under <code>/api/v1</code> (<code>/api/v1/openapi.json</code> once logged in).</p>
<p>Health: <a href="/healthz">/healthz</a></p></body></html>
)HTML";

const std::map<std::string, std::string>& mime_types() {
  static const std::map<std::string, std::string> m = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".webp", "image/webp"}, {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"}};
  return m;
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return false;
  std::ostringstream s;
  s << f.rdbuf();
  out = s.str();
  return true;
}

void set_cache(httplib::Response& res, const std::string& value) {
  res.headers.erase("Cache-Control");
  res.set_header("Cache-Control", value);
}

void send_index(const std::string& dir, httplib::Response& res) {
  std::string body;
  if (dir.empty() || !read_file(fs::path(dir) / "index.html", body)) {
    res.set_content(kNotBuilt, "text/html; charset=utf-8");
    return;
  }
  set_cache(res, "no-cache");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                 "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
  res.set_content(body, "text/html; charset=utf-8");
}

}  // namespace

std::string find_web_dir(const std::string& configured) {
  std::vector<fs::path> candidates;
  if (!configured.empty()) {
    candidates.push_back(configured);
  } else {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back(exe.parent_path() / ".." / "web" / "dist");
#ifdef GAZELLE_SOURCE_DIR
    candidates.push_back(fs::path(GAZELLE_SOURCE_DIR) / "web" / "dist");
#endif
  }
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c / "index.html", ec)) return fs::canonical(c, ec).string();  // real path: resolve_static_file compares against it
  }
  return "";
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict UTF-8: no overlong forms (%C0%AE is a '.' in disguise), no surrogates, nothing past
// U+10FFFF.
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    int n;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; min = 0x10000; }
    else return false;
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

std::optional<fs::path> resolve_static_file(const std::string& web_root, std::string_view raw_path) {
  if (web_root.empty() || raw_path.size() < 2 || raw_path.front() != '/' || raw_path.size() > 1024) return std::nullopt;
  // Decode once. An escape may not produce a separator, a NUL, another escape (double
  // encoding) or a control character: no file of a built web app is named so.
  std::string path;
  path.reserve(raw_path.size());
  for (size_t i = 0; i < raw_path.size(); ++i) {
    char c = raw_path[i];
    if (c == '%') {
      if (i + 2 >= raw_path.size()) return std::nullopt;
      int hi = hex_value(raw_path[i + 1]), lo = hex_value(raw_path[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      if (c == '/' || c == '%') return std::nullopt;
      i += 2;
    }
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
    path.push_back(c);
  }
  if (!valid_utf8(path)) return std::nullopt;
  // Every segment a plain name: no empty segment (repeated or trailing slashes, which would
  // make the rest absolute), no "." or "..", no dot-file.
  fs::path file(web_root);
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    std::string_view seg(path.data() + pos, end - pos);
    if (seg.empty() || seg.front() == '.') return std::nullopt;
    file /= std::string(seg);
    pos = end + 1;
  }
  // The real path, symlinks resolved, must still be under the root.
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(real, ec)) return std::nullopt;
  const std::string& root = web_root;
  const std::string r = real.string();
  if (r.size() <= root.size() + 1 || r.compare(0, root.size(), root) != 0 || r[root.size()] != '/') return std::nullopt;
  return real;
}

// Called by the server's router for every GET (and HEAD) but the API, the health check and the
// metrics (is_static_path).
void serve_static(const std::string& web_dir, const httplib::Request& req, httplib::Response& res) {
  // The path as it came on the wire, decoded once by the resolver (not the decoded req.path).
  std::string_view raw = req.target.empty() ? std::string_view(req.path) : std::string_view(req.target);
  raw = raw.substr(0, raw.find('?'));
  if (raw == "/") return send_index(web_dir, res);
  if (auto file = resolve_static_file(web_dir, raw)) {
    std::string body;
    if (read_file(*file, body)) {
      auto it = mime_types().find(file->extension().string());
      // Vite names built assets by content hash: they never change under one name.
      set_cache(res, raw.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache");
      res.set_content(body, it != mime_types().end() ? it->second : "application/octet-stream");
      return;
    }
  }
  // The app's own paths (/contacts/42) are plain names without an extension: they get the app.
  // Anything else (a missing file, a refused path) is a 404.
  bool app_path = raw.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_") ==
                      std::string_view::npos &&
                  raw.find("//") == std::string_view::npos;
  if (!app_path) {
    res.status = 404;
    return;
  }
  send_index(web_dir, res);
}

bool is_static_path(const std::string& path) {
  // Not the API nor the server's own pages (the service desk's public help, surveys and form).
  static const std::regex re(R"(/(?!api/|api$|healthz$|metrics$|kb/|kb$|survey/|support$).*)");
  return std::regex_match(path, re);
}

}  // namespace gz::http
