#include "modules/email/smtp_client.h"

#include <cstring>
#include <memory>

#include "modules/email/mail_transport_curl.h"

namespace gz::modules::email {

namespace {

constexpr const char* kSmtp = "SMTP";

// An address as it goes between < and >: no brackets, spaces or control characters.
void check_address(const std::string& address, bool empty_ok) {
  bool ok = empty_ok || !address.empty();
  for (char c : address)
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == 0x7F) ok = false;
  if (!ok)
    throw MailError(tr("'{address}' is not an address the SMTP server can be given", {{"address", address}}), true);
}

struct Upload {
  std::string data;
  size_t at = 0;
};

size_t read_upload(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* u = static_cast<Upload*>(userdata);
  size_t n = std::min(size * nitems, u->data.size() - u->at);
  std::memcpy(buffer, u->data.data() + u->at, n);
  u->at += n;
  return n;
}

// The server's last refusal ("554 5.7.1 <x@y>: Relay access denied"), kept from libcurl's debug
// stream: the lines it received that start with 4 or 5 (what it sends, credentials included, is
// not looked at).
int keep_reply(CURL*, curl_infotype type, char* data, size_t size, void* userdata) {
  if (type != CURLINFO_HEADER_IN || size == 0 || (data[0] != '4' && data[0] != '5')) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  *static_cast<std::string*>(userdata) = line;
  return 0;
}

}  // namespace

void smtp_send(const MailServer& server, const Envelope& envelope, std::string_view raw) {
  detail::Endpoint endpoint = detail::parse_endpoint(server.url, {"smtp", "smtps"}, kSmtp);
  if (envelope.recipients.empty()) throw MailError(tr("The message has no recipient"), true);
  check_address(envelope.from, true);
  for (const auto& r : envelope.recipients) check_address(r, false);

  auto cleanup = [](CURL* c) {
    detail::NoSigpipe no_sigpipe;  // QUIT may be written to a closed connection
    curl_easy_cleanup(c);
  };
  std::unique_ptr<CURL, decltype(cleanup)> curl(curl_easy_init(), cleanup);
  if (!curl) throw std::bad_alloc();
  char errbuf[CURL_ERROR_SIZE];
  Upload upload{detail::crlf_lines(raw)};
  // Bounded by the message's size: 5 minutes, and 1 more per 5 MB (low-speed limit aside).
  long total = 300 + long(upload.data.size() / (5 << 20)) * 60;
  detail::set_common_options(curl.get(), server, endpoint, total, errbuf);

  std::string from = "<" + envelope.from + ">";
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> rcpt(nullptr, curl_slist_free_all);
  for (const auto& r : envelope.recipients) {
    curl_slist* next = curl_slist_append(rcpt.get(), ("<" + r + ">").c_str());
    if (!next) throw std::bad_alloc();
    rcpt.release();
    rcpt.reset(next);
  }
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.data.size()));
  std::string reply;
  curl_easy_setopt(curl.get(), CURLOPT_DEBUGFUNCTION, keep_reply);
  curl_easy_setopt(curl.get(), CURLOPT_DEBUGDATA, &reply);
  curl_easy_setopt(curl.get(), CURLOPT_VERBOSE, 1L);  // feeds keep_reply; nothing is printed

  CURLcode rc;
  {
    detail::NoSigpipe no_sigpipe;
    rc = curl_easy_perform(curl.get());
  }
  if (rc == CURLE_OK) return;
  long code = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &code);
  if (rc != CURLE_LOGIN_DENIED && code >= 400 && code < 600) {
    // A refusal: which step failed is in libcurl's error text ("RCPT failed: 554").
    std::string step(errbuf);
    bool permanent = code >= 500;
    std::string said = reply.empty() ? std::to_string(code) : reply;
    if (step.rfind("MAIL", 0) == 0)
      throw MailError(tr("The SMTP server {server} refused the sender {address}: {reply}",
                         {{"server", endpoint.display}, {"address", envelope.from}, {"reply", said}}),
                      permanent, int(code));
    if (step.rfind("RCPT", 0) == 0)
      throw MailError(tr("The SMTP server {server} refused a recipient: {reply}",
                         {{"server", endpoint.display}, {"reply", said}}),
                      permanent, int(code));
    throw MailError(tr("The SMTP server {server} refused the message: {reply}",
                       {{"server", endpoint.display}, {"reply", said}}),
                    permanent, int(code));
  }
  try {
    detail::throw_curl_error(rc, endpoint, kSmtp, errbuf);
  } catch (MailError& e) {
    if (code > 0) e.code = int(code);
    throw;
  }
}

}  // namespace gz::modules::email
