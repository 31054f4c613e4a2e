// Sending a message over SMTP (libcurl): the envelope (MAIL FROM, RCPT TO) is given apart from
// the message, which is sent as it is (its Bcc header, if any, already removed by the caller).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "modules/email/mail_transport.h"

namespace gz::modules::email {

struct Envelope {
  std::string from;                     // the return path (bounces go there); "" for <>
  std::vector<std::string> recipients;  // plain addresses, "someone@example.com"
};

// Sends `raw` (an RFC 5322 message; bare LF line ends are sent as CRLF) through the server
// (smtp:// with STARTTLS when offered, or smtps://), authenticating when server.username is
// set. All or nothing: when the server refuses any recipient, nothing is sent. Throws MailError:
// permanent for a 5xx reply or a refused login, temporary for a 4xx reply or a connection that
// failed (code: the SMTP reply code, when there was one).
void smtp_send(const MailServer& server, const Envelope& envelope, std::string_view raw);

}  // namespace gz::modules::email
