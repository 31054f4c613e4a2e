// The web interface (web/, a React single-page app built into web/dist) served by the API's
// server: files from the built directory, and index.html for every other GET path that is not
// the API, the health check or the metrics, so that the app's own routes (/contacts/42) load.
#pragma once
#include <httplib.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gz::http {

// The file of `web_root` (a canonical directory) that the request path `raw_path` names, or
// nullopt. `raw_path` is the path as it came on the wire (percent-encoded, without the query):
// it is decoded here, once. Refused: escapes that decode to '/', '\\', NUL, '%' or a control
// character, malformed escapes, invalid or overlong UTF-8, backslashes, empty, "." and ".."
// segments (so repeated slashes and absolute paths), dot-files, and anything whose real path
// (symlinks resolved) is not inside the root. Only regular files are returned.
std::optional<std::filesystem::path> resolve_static_file(const std::string& web_root, std::string_view raw_path);

// The directory to serve: `configured` when given, else <executable dir>/../web/dist, else the
// source tree's web/dist (GAZELLE_SOURCE_DIR). Empty when none holds an index.html.
std::string find_web_dir(const std::string& configured);

// Answers a GET with a file of web_dir, or the SPA's index.html (404 for a missing file with an
// extension). The server calls it for the GETs that is_static_path accepts and no route took.
void serve_static(const std::string& web_dir, const httplib::Request& req, httplib::Response& res);
// Every path but the API (/api, /api/…), the health check and the metrics.
bool is_static_path(const std::string& path);

}  // namespace gz::http
