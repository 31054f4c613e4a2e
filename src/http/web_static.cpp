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
    if (fs::is_regular_file(c / "index.html", ec)) return fs::weakly_canonical(c, ec).string();
  }
  return "";
}

// Called by the server's router for every GET (and HEAD) but the API, the health check and the
// metrics (is_static_path).
void serve_static(const std::string& web_dir, const httplib::Request& req, httplib::Response& res) {
  {
    const std::string& path = req.path;
    if (!web_dir.empty() && path != "/" && path.find("..") == std::string::npos && path.find('\\') == std::string::npos) {
      fs::path file = fs::path(web_dir) / path.substr(1);
      std::error_code ec;
      if (fs::is_regular_file(file, ec)) {
        std::string body;
        if (read_file(file, body)) {
          auto it = mime_types().find(file.extension().string());
          // Vite names built assets by content hash: they never change under one name.
          set_cache(res, path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable" : "no-cache");
          res.set_content(body, it != mime_types().end() ? it->second : "application/octet-stream");
          return;
        }
      }
    }
    // A missing file (the app's own paths have no extension) is a 404 problem, not the app.
    if (path != "/" && fs::path(path).has_extension()) {
      res.status = 404;
      return;
    }
    send_index(web_dir, res);
  }
}

bool is_static_path(const std::string& path) {
  static const std::regex re(R"(/(?!api/|api$|healthz$|metrics$).*)");
  return std::regex_match(path, re);
}

}  // namespace gz::http
