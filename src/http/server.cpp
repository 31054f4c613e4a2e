#include "http/server.h"

#include "http/web_static.h"

#include <stdexcept>

namespace gz::http {

HttpServer::HttpServer(Services& services, ServerOptions options)
    : services_(services), options_(std::move(options)), api_(services) {
  server_.set_tcp_nodelay(true);
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port and
  // silently share its requests; keep only SO_REUSEADDR so that a taken port is an error.
  server_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof(yes));
  });
  server_.set_keep_alive_max_count(10000);
  server_.set_payload_max_length(16 * 1024 * 1024);
  int threads = options_.threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
  server_.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}});
  api_.mount(server_);
  mount_web(server_, find_web_dir(options_.web_dir));  // the web interface: web/dist, SPA fallback
  // Prometheus metrics: open to this machine (not through a proxy), else an admin's API token.
  server_.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    bool proxied = req.has_header("X-Forwarded-For") || req.has_header("X-Real-IP") || req.has_header("Forwarded");
    if (!Metrics::trusted_local(req.remote_addr, proxied)) {
      std::string auth = req.get_header_value("Authorization");
      auto actor = auth.rfind("Bearer ", 0) == 0 ? services_.auth.bearer(auth.substr(7)) : std::nullopt;
      if (!actor) return send_problem(res, Problem(ProblemKind::Unauthorized, "send an admin's API token: Authorization: Bearer <token>"), req.path);
      if (!actor->is_admin()) return send_problem(res, Problem(ProblemKind::Forbidden, "only admins read the metrics"), req.path);
    }
    res.set_content(api_.metrics().render(&services_.db), "text/plain; version=0.0.4; charset=utf-8");
  });
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
