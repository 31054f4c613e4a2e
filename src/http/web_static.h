// The web interface (web/, a React single-page app built into web/dist) served by the API's
// server: files from the built directory, and index.html for every other GET path that is not
// the API, the health check or the metrics, so that the app's own routes (/contacts/42) load.
#pragma once
#include <httplib.h>

#include <string>

namespace gz::http {

// The directory to serve: `configured` when given, else <executable dir>/../web/dist, else the
// source tree's web/dist (GAZELLE_SOURCE_DIR). Empty when none holds an index.html.
std::string find_web_dir(const std::string& configured);

// Registers the static files and the SPA fallback; call after the API routes are mounted.
void mount_web(httplib::Server& server, const std::string& web_dir);

}  // namespace gz::http
