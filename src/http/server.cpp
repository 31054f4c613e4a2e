#include "http/server.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "core/memory.h"
#include "http/web_static.h"

namespace gz::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kKeepAliveComment = std::chrono::seconds(15);  // SSE comment when nothing else was sent
constexpr auto kStreamWriteStall = std::chrono::seconds(30);  // an event stream nobody reads is closed
constexpr auto kWriteTimeout = std::chrono::seconds(60);      // plus the body at the minimum rate
constexpr auto kLinger = std::chrono::seconds(2);             // draining an unread body before closing
constexpr size_t kLingerBytes = 32 * 1024 * 1024;
constexpr size_t kStreamQueue = 256;                          // queued SSE chunks before giving up

std::string size_text(size_t bytes) {
  if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB (" + std::to_string(bytes) + " bytes)";
  if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB (" + std::to_string(bytes) + " bytes)";
  return std::to_string(bytes) + " bytes";
}

constexpr size_t kBigBody = 4 * 1024 * 1024;

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

// Header values go out verbatim: a CR or LF in one (from data) must not start a new header.
std::string header_safe(const std::string& v) {
  std::string out = v;
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

std::string status_line(int status) {
  auto reason = bhttp::obsolete_reason(bhttp::int_to_status(unsigned(status)));
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason.data(), reason.size()) + "\r\n";
}

// Written straight to a connection refused at accept time (no session, no thread).
const std::string& refused_response() {
  static const std::string text = [] {
    std::string body = json{{"type", "about:blank"}, {"title", "Service Unavailable"}, {"status", 503},
                            {"detail", "too many open connections from your address (or in all); close some and try again"},
                            {"instance", ""}}.dump();
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body;
  }();
  return text;
}

}  // namespace

class Session;

struct HttpServer::State {
  State(Services& s, const ServerOptions& o, Api& a, std::string dir)
      : services(s), opt(o), api(a), web_dir(std::move(dir)),
        workers(o.handlers_on_io ? 1 : size_t(std::max(1, o.threads))) {
    if (pipe2(stop_pipe, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    stop_reader.assign(stop_pipe[0]);
  }
  ~State() {
    workers.join();
    if (stop_pipe[1] >= 0) ::close(stop_pipe[1]);
  }

  void accept();
  void on_accept(tcp::socket socket);
  void release(const std::string& client, Session* s);
  void begin_stop();
  void serve_metrics(const httplib::Request& req, httplib::Response& res);

  Services& services;
  const ServerOptions& opt;
  Api& api;
  std::string web_dir;
  std::atomic<bool> stopping{false};
  int stop_pipe[2] = {-1, -1};

  std::mutex mu;  // guards the counts and the session list
  std::unordered_map<std::string, int> per_client;
  int total = 0;
  std::map<Session*, std::weak_ptr<Session>> sessions;

  net::thread_pool workers;  // handlers: they block on the database
  // Declared after what sessions touch in their destructor: destroyed first, with the handlers
  // (and sessions) its queue still holds.
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::posix::stream_descriptor stop_reader{ioc};
  net::steady_timer stop_timer{ioc};
};

// One connection: reads requests one after the other; between two, or while a client is slow,
// it is only a socket and a buffer waiting in the io_context.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::State& st, tcp::socket&& socket, std::string client)
      : st_(st), stream_(std::move(socket)), client_(std::move(client)), timer_(stream_.get_executor()) {
    st_.api.metrics().open_connections++;
  }
  ~Session() {
    st_.api.metrics().open_connections--;
    st_.release(client_, this);
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_request(); });
  }

  // The server stops: a connection waiting for a request or streaming closes now; one whose
  // handler runs closes after its response.
  void on_stop() {
    if (streaming_) return close_stream();
    if (phase_ == Phase::Waiting) close();
  }

 private:
  enum class Phase { Waiting, Working, Writing };

  // The request being served.
  struct Exchange {
    httplib::Request req;
    httplib::Response res;
    Admission admission;
    std::optional<EventStream> stream;
    bool head = false;        // HEAD: the GET's headers, no body
    bool keep_alive = true;
    bool done = false;        // res is the answer (no handler left to run)
    std::string out_head;     // serialized status line and headers
  };

  template <class F>
  void on_worker(F&& f) {
    // handlers_on_io: the I/O threads are the workers; we are on this session's strand already.
    if (st_.opt.handlers_on_io) return f();
    net::post(st_.workers, [self = shared_from_this(), f = std::forward<F>(f),
                            work = net::make_work_guard(st_.ioc)]() mutable { f(); });
  }
  template <class F>
  void on_io(F&& f) {
    // Runs at once when already on the strand (handlers_on_io), else is queued to it.
    net::dispatch(stream_.get_executor(), [self = shared_from_this(), f = std::forward<F>(f)]() mutable { f(); });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  // Keep-alive: the idle deadline runs until the next request's first byte; from there the
  // whole header block must arrive within the header deadline.
  void wait_request() {
    phase_ = Phase::Waiting;
    ex_.reset();
    release_if_big();
    if (st_.stopping) return close();
    if (buffer_.size() > 0) return read_header();
    stream_.expires_after(std::chrono::seconds(st_.opt.idle_timeout_s));
    stream_.async_read_some(buffer_.prepare(8192), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) {
        if (ec == beast::error::timeout) self->st_.api.metrics().timed_out_connections++;
        return self->close();
      }
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    header_.emplace();
    header_->header_limit(std::uint32_t(st_.opt.max_header_bytes));
    // The Content-Length is judged after routing (a 401 or 404 comes first). Not boost::none:
    // Beast 1.74 compares the length with the optional, and anything is above none.
    header_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(std::chrono::seconds(st_.opt.header_timeout_s));
    bhttp::async_read_header(stream_, buffer_, *header_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        st_.api.metrics().oversized_requests++;
        return refuse(431, "Request Header Fields Too Large",
                      tr("the request line and headers exceed the limit of {limit}", {{"limit", size_text(st_.opt.max_header_bytes)}}));
      }
      if (ec == beast::error::timeout) {
        st_.api.metrics().timed_out_connections++;  // the stream is closed already
        return;
      }
      if (is_parse_error(ec) && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
        return refuse(400, "Bad request", tr("malformed HTTP request: {reason}", {{"reason", ec.message()}}));
      return close();
    }
    stream_.expires_never();
    phase_ = Phase::Working;
    ex_ = std::make_unique<Exchange>();
    auto& m = header_->get();
    httplib::Request& req = ex_->req;
    req.method = std::string(m.method_string());
    req.target = std::string(m.target());
    req.version = m.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
    auto q = req.target.find('?');
    req.path = httplib::detail::decode_url(req.target.substr(0, q), false);
    if (q != std::string::npos) httplib::detail::parse_query_text(req.target.substr(q + 1), req.params);
    for (const auto& f : m) req.headers.emplace(std::string(f.name_string()), std::string(f.value()));
    req.remote_addr = client_;
    beast::error_code ignored;
    auto remote = stream_.socket().remote_endpoint(ignored);
    req.remote_port = remote.port();
    auto local = stream_.socket().local_endpoint(ignored);
    req.local_addr = local.address().to_string();
    req.local_port = local.port();
    ex_->head = m.method() == bhttp::verb::head;
    ex_->keep_alive = m.keep_alive();
    bool has_body = header_->chunked() || header_->content_length().value_or(0) > 0;
    on_worker([this, has_body] {
      route(has_body);
      on_io([this, has_body] { after_route(has_body); });
    });
  }

  // On a worker thread: the transport's own routes, then the API's (authenticated here, before
  // any body), then the web interface. A request without a body runs its handler at once.
  void route(bool has_body) {
    httplib::Request& req = ex_->req;
    httplib::Response& res = ex_->res;
    bool get = req.method == "GET" || req.method == "HEAD";
    try {
      if (get && req.path == "/metrics") {
        st_.serve_metrics(req, res);
        ex_->done = true;
        return;
      }
      ex_->admission = st_.api.admit(req, res);
      if (ex_->admission.answered) {
        ex_->done = true;
      } else if (!ex_->admission.route) {
        if (get && is_static_path(req.path)) serve_static(st_.web_dir, req, res);
        else send_problem(res, Problem(ProblemKind::NotFound, tr("no route for {method} {path}", {{"method", req.method}, {"path", req.path}})), req);
        ex_->done = true;
      } else if (!has_body) {
        st_.api.run(ex_->admission, req, res, &ex_->stream);
        ex_->done = true;
      }
    } catch (const std::exception& e) {
      std::cerr << "error: " << req.method << " " << req.path << ": " << e.what() << std::endl;
      send_status_problem(res, 500, "Internal Server Error", "internal error", req);
      ex_->done = true;
    }
  }

  void after_route(bool has_body) {
    if (ex_->done) {
      if (has_body) ex_->keep_alive = false;  // its body was not read: the connection cannot go on
      return respond();
    }
    auto length = header_->content_length();
    if (length && *length > st_.opt.max_body_bytes) return refuse_too_large();
    const auto& m = header_->get();
    auto expect = m[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      // The client waits for this before sending the body it announced.
      static const std::string cont = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(kWriteTimeout);
      return net::async_write(stream_, net::buffer(cont), [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->close();
        self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    auto length = header_->content_length();
    body_.emplace(std::move(*header_));
    header_.reset();
    // Decoded bytes, whatever the framing: a chunked body fails as soon as it passes the limit.
    body_->body_limit(st_.opt.max_body_bytes);
    size_t expected = length ? size_t(*length) : st_.opt.max_body_bytes;
    stream_.expires_after(std::chrono::seconds(st_.opt.body_timeout_s) +
                          std::chrono::seconds(expected / std::max<size_t>(1, st_.opt.body_min_rate)));
    bhttp::async_read(stream_, buffer_, *body_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->on_body(ec);
    });
  }

  void release_if_big() {
    if (buffered_ < kBigBody) return;
    buffered_ = 0;
    on_worker([] { memory::release_free_memory(); });  // after a large body (core/memory.h)
  }

  void on_body(beast::error_code ec) {
    if (body_) buffered_ = body_->get().body().capacity();
    if (ec == bhttp::error::body_limit) return refuse_too_large();
    if (ec == beast::error::timeout) {
      st_.api.metrics().timed_out_connections++;
      return;
    }
    if (ec && is_parse_error(ec) && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
      return refuse(400, "Bad request", tr("malformed HTTP request body: {reason}", {{"reason", ec.message()}}));
    if (ec) return close();
    stream_.expires_never();
    ex_->req.body = std::move(body_->get().body());
    body_.reset();
    on_worker([this] {
      try {
        st_.api.run(ex_->admission, ex_->req, ex_->res, &ex_->stream);
      } catch (const std::exception& e) {
        send_status_problem(ex_->res, 500, "Internal Server Error", "internal error", ex_->req);
      }
      on_io([this] { respond(); });
    });
  }

  void refuse_too_large() {
    st_.api.metrics().oversized_requests++;
    refuse(413, "Payload Too Large",
           tr("the request body exceeds the limit of {limit}; send less per request", {{"limit", size_text(st_.opt.max_body_bytes)}}));
  }

  // A transport error answered before (or instead of) the body: the connection closes after it.
  void refuse(int status, const char* title, const Message& detail) {
    if (!ex_) {
      ex_ = std::make_unique<Exchange>();
      if (header_) ex_->req.path = std::string(header_->get().target());
    }
    ex_->res = httplib::Response();
    send_status_problem(ex_->res, status, title, detail, ex_->req);
    ex_->keep_alive = false;
    ex_->head = false;
    respond();
  }

  void respond() {
    phase_ = Phase::Writing;
    httplib::Response& res = ex_->res;
    if (ex_->stream && (res.status == -1 || res.status == 200)) return start_stream();
    ex_->stream.reset();
    if (res.status == -1) res.status = 200;
    // As cpp-httplib's error handler did: an error without a body gets a problem saying why.
    if (res.status >= 400 && res.body.empty()) {
      int status = res.status;
      if (status == 404)
        send_problem(res, Problem(ProblemKind::NotFound, tr("no route for {method} {path}", {{"method", ex_->req.method}, {"path", ex_->req.path}})), ex_->req);
      else send_status_problem(res, status, "Error", "request refused", ex_->req);
      res.status = status;
    }
    bool keep_alive = ex_->keep_alive && !st_.stopping;
    bool no_body = res.status == 204 || res.status == 304 || res.status < 200;
    std::string& h = ex_->out_head;
    h = status_line(res.status);
    for (const auto& [k, v] : res.headers) {
      if (beast::iequals(k, "Content-Length") || beast::iequals(k, "Connection") || beast::iequals(k, "Transfer-Encoding") ||
          beast::iequals(k, "Keep-Alive"))
        continue;
      h += k + ": " + header_safe(v) + "\r\n";
    }
    if (!res.has_header("X-Content-Type-Options")) h += "X-Content-Type-Options: nosniff\r\n";
    if (!res.has_header("Cache-Control")) h += "Cache-Control: no-store\r\n";
    if (!no_body) h += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
    h += keep_alive ? "Connection: keep-alive\r\nKeep-Alive: timeout=" + std::to_string(st_.opt.idle_timeout_s) + "\r\n"
                    : "Connection: close\r\n";
    h += "\r\n";
    bool send_body = !no_body && !ex_->head;
    std::array<net::const_buffer, 2> bufs{net::buffer(h), send_body ? net::buffer(res.body) : net::const_buffer()};
    stream_.expires_after(kWriteTimeout + std::chrono::seconds(res.body.size() / std::max<size_t>(1, st_.opt.body_min_rate)));
    net::async_write(stream_, bufs, [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
      if (ec) return self->close();
      if (keep_alive) return self->wait_request();
      self->linger();
    });
  }

  // Closing with unread request bytes makes the kernel send a reset, which can destroy the
  // response before the client reads it: say we are done writing, then drain for a moment.
  void linger() {
    header_.reset();
    body_.reset();
    ex_.reset();
    release_if_big();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(kLinger);
    drain();
  }
  void drain() {
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kLingerBytes) return self->close();
      self->drain();
    });
  }

  // ---- server-sent events ----

  void start_stream() {
    streaming_ = true;
    st_.api.metrics().event_streams++;
    stream_.expires_never();
    httplib::Response& res = ex_->res;
    std::string h = status_line(200);
    for (const auto& [k, v] : res.headers)
      if (!beast::iequals(k, "Content-Type") && !beast::iequals(k, "Content-Length") && !beast::iequals(k, "Connection") &&
          !beast::iequals(k, "Transfer-Encoding") && !beast::iequals(k, "Cache-Control"))
        h += k + ": " + header_safe(v) + "\r\n";
    if (!res.has_header("X-Content-Type-Options")) h += "X-Content-Type-Options: nosniff\r\n";
    h += "Content-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Accel-Buffering: no\r\n"
         "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n";
    queue_raw(std::move(h));
    stream_end_ = Clock::now() + ex_->stream->max_duration;
    last_sent_ = Clock::now();
    next_poll_ = Clock::now();
    // The client sends nothing more on an event stream: any byte, or its closing, ends it.
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code, size_t) {
      self->close_stream();
    });
    tick();
  }

  void tick() {
    if (!streaming_) return;
    auto now = Clock::now();
    if (now >= stream_end_ || st_.stopping) return end_stream();
    if (writing_ && now - write_started_ > kStreamWriteStall) return close_stream();
    if (!polling_ && now >= next_poll_) {
      polling_ = true;
      next_poll_ = now + ex_->stream->interval;
      on_worker([this] {
        std::string out;
        bool go = true;
        try {
          go = ex_->stream->poll(out);
        } catch (const std::exception& e) {
          std::cerr << "error: event stream " << ex_->req.path << ": " << e.what() << std::endl;
          go = false;
        }
        on_io([this, out = std::move(out), go]() mutable {
          polling_ = false;
          if (!streaming_) return;
          if (!out.empty()) queue_chunk(out);
          if (!go) end_stream();
        });
      });
    }
    if (streaming_ && !polling_ && Clock::now() - last_sent_ >= kKeepAliveComment) queue_chunk(": keep-alive\n\n");
    auto wait = std::min<Clock::duration>(ex_->stream->interval, kKeepAliveComment);
    timer_.expires_after(std::min<Clock::duration>(wait, std::chrono::seconds(5)));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->tick();
    });
  }

  void queue_chunk(const std::string& data) {
    char size[20];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    queue_raw(size + data + "\r\n");
    last_sent_ = Clock::now();
  }
  void queue_raw(std::string data) {
    if (!streaming_) return;
    if (out_.size() >= kStreamQueue) return close_stream();  // a client that stopped reading
    out_.push_back(std::move(data));
    if (!writing_) write_next();
  }
  void write_next() {
    writing_ = true;
    write_started_ = Clock::now();
    net::async_write(stream_, net::buffer(out_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      if (ec) return self->close_stream();
      self->out_.pop_front();
      if (!self->out_.empty()) return self->write_next();
      if (self->ending_) self->close_stream();
    });
  }
  // The last chunk, then close.
  void end_stream() {
    if (!streaming_ || ending_) return;
    queue_raw("0\r\n\r\n");
    ending_ = true;
    if (!writing_) close_stream();
  }
  void close_stream() {
    if (!streaming_) return;
    streaming_ = false;
    st_.api.metrics().event_streams--;
    timer_.cancel();
    close();
  }

  HttpServer::State& st_;
  beast::tcp_stream stream_;
  std::string client_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_;
  std::unique_ptr<Exchange> ex_;
  Phase phase_ = Phase::Waiting;
  std::array<char, 16384> scratch_;
  size_t drained_ = 0;
  size_t buffered_ = 0;  // capacity of the last body read
  // Event stream state (touched on the session's strand only).
  net::steady_timer timer_;
  bool streaming_ = false, polling_ = false, writing_ = false, ending_ = false;
  std::deque<std::string> out_;
  Clock::time_point stream_end_, last_sent_, next_poll_, write_started_;
};

void HttpServer::State::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors, typically: try again shortly rather than spin.
      stop_timer.expires_after(std::chrono::milliseconds(50));
      stop_timer.async_wait([this](beast::error_code e) {
        if (!e && !stopping) accept();
      });
      return;
    }
    on_accept(std::move(socket));
    accept();
  });
}

void HttpServer::State::on_accept(tcp::socket socket) {
  beast::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) return;
  std::string addr = remote.address().to_string();
  socket.set_option(tcp::no_delay(true), ec);  // else keep-alive clients wait on delayed ACKs
  bool refused = false;
  {
    std::lock_guard lock(mu);
    auto it = per_client.find(addr);
    int mine = it == per_client.end() ? 0 : it->second;
    if (total >= opt.max_connections || (opt.max_client_connections > 0 && mine >= opt.max_client_connections)) {
      refused = true;
    } else {
      ++total;
      ++per_client[addr];
    }
  }
  if (refused) {
    // Answered at once, without a session: the socket's buffer takes these few hundred bytes.
    api.metrics().refused_connections++;
    socket.non_blocking(true, ec);
    socket.write_some(net::buffer(refused_response()), ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
    return;
  }
  auto s = std::make_shared<Session>(*this, std::move(socket), addr);
  {
    std::lock_guard lock(mu);
    sessions[s.get()] = s;
  }
  s->start();
}

void HttpServer::State::release(const std::string& client, Session* s) {
  std::lock_guard lock(mu);
  sessions.erase(s);
  --total;
  auto it = per_client.find(client);
  if (it != per_client.end() && --it->second <= 0) per_client.erase(it);
}

void HttpServer::State::begin_stop() {
  stopping = true;
  beast::error_code ec;
  acceptor.close(ec);
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(mu);
    for (auto& [p, w] : sessions)
      if (auto s = w.lock()) open.push_back(std::move(s));
  }
  for (auto& s : open) net::post(s->executor(), [s] { s->on_stop(); });
}

void HttpServer::State::serve_metrics(const httplib::Request& req, httplib::Response& res) {
  // Open to this machine (not through a proxy), else an admin's API token.
  bool proxied = req.has_header("X-Forwarded-For") || req.has_header("X-Real-IP") || req.has_header("Forwarded");
  if (!Metrics::trusted_local(req.remote_addr, proxied)) {
    std::string auth = req.get_header_value("Authorization");
    auto actor = auth.rfind("Bearer ", 0) == 0 ? services.auth.bearer(auth.substr(7)) : std::nullopt;
    if (!actor) return send_problem(res, Problem(ProblemKind::Unauthorized, "send an admin's API token: Authorization: Bearer <token>"), req);
    if (!actor->is_admin()) return send_problem(res, Problem(ProblemKind::Forbidden, "only admins read the metrics"), req, &*actor);
  }
  res.set_content(api.metrics().render(&services.db), "text/plain; version=0.0.4; charset=utf-8");
}

HttpServer::HttpServer(Services& services, ServerOptions options)
    : services_(services), options_(std::move(options)), api_(services) {
  api_.prepare();
  state_ = std::make_unique<State>(services_, options_, api_, find_web_dir(options_.web_dir));
}

HttpServer::~HttpServer() {
  stop();
  // The worker pool finishes the handlers still running before the sessions go (State's
  // destructor joins it first).
  state_.reset();
}

int HttpServer::bind() {
  auto& st = *state_;
  beast::error_code ec;
  tcp::resolver resolver(st.ioc);
  auto found = resolver.resolve(options_.host, std::to_string(options_.port), tcp::resolver::passive, ec);
  auto fail = [&](const std::string& why) {
    return std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port) + " (" + why + ")");
  };
  if (ec || found.empty()) throw fail("unknown host");
  tcp::endpoint ep = *found.begin();
  st.acceptor.open(ep.protocol(), ec);
  if (ec) throw fail(ec.message());
  // SO_REUSEADDR only (restarts despite TIME_WAIT); never SO_REUSEPORT, which would let a second
  // server bind the same port and silently share its requests: a taken port must be an error.
  st.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  st.acceptor.bind(ep, ec);
  if (ec) throw fail(ec.message() + "; is another server using that port?");
  st.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw fail(ec.message());
  return st.acceptor.local_endpoint().port();
}

void HttpServer::serve() {
  auto& st = *state_;
  st.stop_reader.async_wait(net::posix::stream_descriptor::wait_read, [&st](beast::error_code ec) {
    if (ec) return;
    st.begin_stop();
    // Done when every session is gone, or after 10 s (a handler that never ends, a stuck client).
    auto deadline = Clock::now() + std::chrono::seconds(10);
    auto check = std::make_shared<std::function<void()>>();
    *check = [&st, deadline, check] {
      bool empty;
      {
        std::lock_guard lock(st.mu);
        empty = st.sessions.empty();
      }
      if (empty || Clock::now() >= deadline) {
        st.ioc.stop();
        *check = nullptr;  // breaks the cycle
        return;
      }
      st.stop_timer.expires_after(std::chrono::milliseconds(20));
      st.stop_timer.async_wait([check](beast::error_code) {
        if (*check) (*check)();
      });
    };
    (*check)();
  });
  st.accept();
  std::vector<std::thread> extra;
  int io_threads = options_.handlers_on_io ? std::max(1, options_.threads) : options_.io_threads;
  for (int i = 1; i < io_threads; ++i) extra.emplace_back([&st] { st.ioc.run(); });
  st.ioc.run();
  for (auto& t : extra) t.join();
}

void HttpServer::stop() {
  // Only a flag and a write(2): safe in a signal handler.
  if (!state_) return;
  char c = 1;
  ssize_t n = ::write(state_->stop_pipe[1], &c, 1);
  (void)n;
}

}  // namespace gz::http
