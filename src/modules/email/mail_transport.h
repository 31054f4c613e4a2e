// What the IMAP client (imap_client.h) and the SMTP client (smtp_client.h) share: the server a
// mailbox is reached at, the error they throw, and the French of their messages.
//
// Both speak through libcurl's easy interface: TLS (imaps://, smtps://, or STARTTLS on imap://
// and smtp:// whenever the server offers it), authentication, timeouts (10 s to connect, bounded
// operations) and no signals. A MailError says whether trying again later can help (`permanent`
// false: connection refused, timeout, lost connection, SMTP 4xx) or not (`permanent` true:
// refused login, SMTP 5xx, an IMAP command refused, a bad URL, a certificate that does not
// verify), and carries its text as a Message naming the server, for an administrator.
#pragma once
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/message.h"

namespace gz::modules::email {

struct MailServer {
  std::string url;       // imap://host:port, imaps://…, smtp://…, smtps://… (path ignored)
  std::string username;  // empty: no authentication (SMTP relay on a trusted network)
  std::string password;
  bool verify_tls = true;    // false: any certificate is accepted (self-signed test servers)
  bool require_tls = false;  // imap://, smtp://: fail unless the server offers STARTTLS
};

class MailError : public std::runtime_error {
 public:
  MailError(Message message, bool permanent, int code = 0)
      : std::runtime_error(message.english()), permanent(permanent), code(code), message_(std::move(message)) {}
  // The text in the reader's language: message().french(), message().render(lang).
  const Message& message() const { return message_; }

  bool permanent;  // trying again later will fail the same way
  int code;        // the SMTP reply code (550, 421…) when the server gave one, else 0

 private:
  Message message_;
};

// The French of the messages of the e-mail transport (this file, imap_client, smtp_client), for
// the e-mail module's Module::messages_fr.
std::vector<std::pair<std::string, std::string>> transport_messages_fr();

}  // namespace gz::modules::email
