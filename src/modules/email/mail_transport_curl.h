// Inside the e-mail transport (mail_transport.cpp, imap_client.cpp, smtp_client.cpp): libcurl's
// set-up and its errors as MailError. Not for other files: it includes libcurl's header.
#pragma once
#include <curl/curl.h>
#include <signal.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "modules/email/mail_transport.h"

namespace gz::modules::email::detail {

// curl_global_init, once per process (thread-safe).
void curl_init_once();

// A server URL taken apart: scheme ("imap", "imaps", "smtp", "smtps"), host, port (the scheme's
// default when the URL has none), and how the messages name it ("127.0.0.1:1430").
struct Endpoint {
  std::string scheme;
  std::string host;
  long port = 0;
  std::string display;   // host:port
  std::string base_url;  // scheme://host:port/ (no path, no credentials)
  bool implicit_tls() const { return scheme == "imaps" || scheme == "smtps"; }
};
// Throws a permanent MailError for a URL that is not one of `schemes` (protocol: "IMAP", "SMTP").
Endpoint parse_endpoint(const std::string& url, std::initializer_list<std::string_view> schemes,
                        const char* protocol);

// The options every transfer shares: URL, credentials, TLS (STARTTLS when offered, or required),
// certificate checks, timeouts (connect 10 s, the whole transfer `total_seconds`, and aborted
// below 1 byte/s for 60 s), no signals.
void set_common_options(CURL* curl, const MailServer& server, const Endpoint& endpoint, long total_seconds,
                        char* error_buffer);

// A libcurl failure as a MailError naming the server: refused login, unreachable, timeout, TLS…
// `detail`: the error buffer (CURLOPT_ERRORBUFFER) or "".
[[noreturn]] void throw_curl_error(CURLcode code, const Endpoint& endpoint, const char* protocol,
                                   const std::string& detail);

// While alive, a write to a connection the peer has closed does not kill the process with
// SIGPIPE (OpenSSL writes to the socket itself, without MSG_NOSIGNAL, and CURLOPT_NOSIGNAL keeps
// libcurl from touching signals): SIGPIPE is blocked in this thread, and one raised meanwhile is
// consumed before the mask is restored. Around curl_easy_perform, _send and _cleanup.
class NoSigpipe {
 public:
  NoSigpipe();
  ~NoSigpipe();
  NoSigpipe(const NoSigpipe&) = delete;
  NoSigpipe& operator=(const NoSigpipe&) = delete;

 private:
  sigset_t old_;
  bool was_pending_ = false;
};

// "\n" not preceded by "\r" becomes "\r\n" (IMAP APPEND and SMTP DATA want CRLF lines).
std::string crlf_lines(std::string_view raw);

}  // namespace gz::modules::email::detail
