// Raw TCP clients for the transport tests: what httplib::Client cannot do (send headers slowly,
// announce a body and not send it, stream a chunked body while reading the answer), from a
// chosen loopback address (the server caps connections per client address, so tests needing
// many clients spread them over 127.0.x.y).
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "api_fixture.h"

namespace gzt {

class RawConn {
 public:
  RawConn(int port, const std::string& from = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &src.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) return;
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(uint16_t(port));
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&dst), sizeof dst) == 0;
  }
  RawConn(const RawConn&) = delete;
  ~RawConn() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool ok() const { return ok_; }

  // Everything, unless the peer closed or reset (false).
  bool send_all(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += size_t(n);
    }
    return true;
  }

  // Waits up to timeout_s for bytes; appends them to in(). False on timeout; eof() tells a close.
  bool read_some(double timeout_s) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, int(timeout_s * 1000)) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;
      return true;
    }
    in_.append(buf, size_t(n));
    return true;
  }

  // Reads until a whole response (headers and Content-Length body), a close or the timeout.
  bool read_response(double timeout_s) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(timeout_s * 1000));
    while (!complete() && !eof_) {
      double left = std::chrono::duration<double>(end - std::chrono::steady_clock::now()).count();
      if (left <= 0 || !read_some(left)) return complete();
    }
    return complete();
  }

  // Reads until `needle` appears in what came, a close or the timeout.
  bool wait_for(const std::string& needle, double timeout_s, size_t from = 0) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(timeout_s * 1000));
    while (in_.find(needle, from) == std::string::npos) {
      if (eof_) return false;
      double left = std::chrono::duration<double>(end - std::chrono::steady_clock::now()).count();
      if (left <= 0 || !read_some(left)) return in_.find(needle, from) != std::string::npos;
    }
    return true;
  }

  // True when the server closes the connection within timeout_s (reading and dropping data).
  bool closed_within(double timeout_s) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(timeout_s * 1000));
    while (!eof_) {
      double left = std::chrono::duration<double>(end - std::chrono::steady_clock::now()).count();
      if (left <= 0) return false;
      read_some(left);
    }
    return true;
  }

  bool complete() const {
    auto h = in_.find("\r\n\r\n");
    if (h == std::string::npos) return false;
    return in_.size() >= h + 4 + content_length();
  }
  size_t content_length() const {
    auto h = in_.find("\r\n\r\n");
    std::string head = in_.substr(0, h);
    for (auto& c : head) c = char(std::tolower(static_cast<unsigned char>(c)));
    auto p = head.find("\r\ncontent-length:");
    return p == std::string::npos ? 0 : size_t(std::atoll(head.c_str() + p + 17));
  }
  int status() const { return in_.rfind("HTTP/1.", 0) == 0 && in_.size() > 12 ? std::atoi(in_.c_str() + 9) : 0; }
  std::string body() const {
    auto h = in_.find("\r\n\r\n");
    return h == std::string::npos ? "" : in_.substr(h + 4);
  }
  const std::string& in() const { return in_; }
  bool eof() const { return eof_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  bool ok_ = false;
  bool eof_ = false;
  std::string in_;
};

// A sample of the Prometheus text of GET /metrics (from loopback: no token needed); -1 if absent.
inline double metric_value(Server& server, const std::string& name) {
  Response r = server.request("GET", "/metrics");
  auto pos = r.body.find("\n" + name + " ");
  if (pos == std::string::npos) return -1;
  return std::atof(r.body.c_str() + pos + name.size() + 2);
}

}  // namespace gzt
