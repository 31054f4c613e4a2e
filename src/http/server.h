// HttpServer: the API, the metrics and the web interface over HTTP/1.1 on Boost.Beast + Asio.
//
// The I/O is asynchronous on a few threads, so an idle keep-alive connection, a slow client or
// an open event stream holds a socket and a few KB, never a thread (issue 12: 70 clients sending
// one header line every 3 s starved cpp-httplib's thread-per-connection pool). Handlers block on
// the database, so they run on a separate worker pool. A request is routed and authenticated
// after its headers and before its body: an unknown route or bad credentials are answered
// without reading the body, and the body is read only up to the limit, whatever its framing.
// The route handlers keep cpp-httplib's plain Request/Response structs (built here).
#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include "http/api.h"

namespace gz::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;        // 0 = any free port
  int threads = 16;       // worker threads running handlers (database work); connections need none
  int io_threads = 1;     // threads doing the network I/O (parsing, writing)
  // Run handlers on `threads` I/O threads instead of handing them to a separate pool: no thread
  // switch per request; a connection still holds no thread while it waits (bench/README.md).
  bool handlers_on_io = false;
  std::string web_dir;    // built web interface; empty = <exe dir>/../web/dist, else the source tree's
  size_t max_body_bytes = 16 * 1024 * 1024;  // decoded body, whatever the framing: above -> 413
  size_t max_header_bytes = 64 * 1024;       // request line + headers: above -> 431
  int header_timeout_s = 10;   // the whole header block must arrive within this
  int body_timeout_s = 60;     // the body within this, plus its size at body_min_rate
  size_t body_min_rate = 64 * 1024;  // bytes/s granted on top of body_timeout_s
  int idle_timeout_s = 65;     // a keep-alive connection with no request is closed after this
  int max_client_connections = 32;  // per client address; 0 = no cap (behind a proxy on this machine)
  int max_connections = 10000;      // in all
};

class HttpServer {
 public:
  HttpServer(Services& services, ServerOptions options);
  ~HttpServer();
  // Binds; returns the port actually bound. Throws on failure (e.g. the port is taken).
  int bind();
  // Serves until stop() is called (from another thread or a signal handler).
  void serve();
  // Async-signal-safe: asks serve() to close every connection and return.
  void stop();

  struct State;  // the Asio objects and the sessions (server.cpp)

 private:
  Services& services_;
  ServerOptions options_;
  Api api_;
  std::unique_ptr<State> state_;
};

}  // namespace gz::http
