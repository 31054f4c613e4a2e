// HttpServer: the API on a cpp-httplib server with TCP_NODELAY on (see ENGINEERING.md: without
// it keep-alive clients wait on delayed ACKs) and a worker pool sized for open keep-alive
// connections, since httplib holds one thread per connection.
#pragma once
#include <memory>
#include <string>

#include "http/api.h"

namespace gz::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;        // 0 = any free port
  int threads = 64;
  std::string web_dir;    // built web interface; empty = <exe dir>/../web/dist, else the source tree's
};

class HttpServer {
 public:
  HttpServer(Services& services, ServerOptions options);
  ~HttpServer();
  // Binds; returns the port actually bound. Throws on failure.
  int bind();
  // Serves until stop() is called (from another thread or a signal handler).
  void serve();
  void stop();

 private:
  Services& services_;
  ServerOptions options_;
  Api api_;
  httplib::Server server_;
};

}  // namespace gz::http
