#include "http/server.h"

#include <stdexcept>

namespace gz::http {

static const char* kHomePage = R"HTML(<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Gazelle CRM</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
code{background:#eef1f4;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>Gazelle CRM</h1>
<p>The server is running. The API lives under <code>/api/v1</code>: log in with
<code>POST /api/v1/auth/login</code>, then read <code>/api/v1/openapi.json</code> for every route.</p>
<p>Le serveur fonctionne. L'API est sous <code>/api/v1</code> ; la documentation OpenAPI est à
<code>/api/v1/openapi.json</code> une fois connecté.</p>
<p>Health: <a href="/healthz">/healthz</a></p></body></html>
)HTML";

HttpServer::HttpServer(Services& services, ServerOptions options)
    : services_(services), options_(std::move(options)), api_(services) {
  server_.set_tcp_nodelay(true);
  server_.set_keep_alive_max_count(10000);
  server_.set_payload_max_length(16 * 1024 * 1024);
  int threads = options_.threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
  server_.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}});
  api_.mount(server_);
  server_.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content(kHomePage, "text/html; charset=utf-8"); });
  server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    Problem p(res.status == 404 ? ProblemKind::NotFound : ProblemKind::BadRequest,
              res.status == 404 ? "no route for " + req.method + " " + req.path : "request refused");
    int status = res.status;
    send_problem(res, p, req.path);
    res.status = status;
  });
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::bind() {
  int port;
  if (options_.port == 0) {
    port = server_.bind_to_any_port(options_.host.c_str());
  } else {
    port = server_.bind_to_port(options_.host.c_str(), options_.port) ? options_.port : -1;
  }
  if (port <= 0) throw std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                                          " (is another server using that port?)");
  return port;
}

void HttpServer::serve() { server_.listen_after_bind(); }

void HttpServer::stop() {
  if (server_.is_running()) server_.stop();
}

}  // namespace gz::http
