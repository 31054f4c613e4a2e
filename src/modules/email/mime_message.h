// The e-mail module's MIME layer (GMime 3): reading a received message into its parts (headers
// decoded to UTF-8, bodies converted to UTF-8, attachments, auto-replies and delivery reports
// recognised) and writing an outgoing one (RFC 5322, CRLF, RFC 2047 headers, RFC 2231 file names).
// No database, no network. GMime and glib headers stay in mime_message.cpp: this header includes
// none, so that only that file is compiled with their flags (CMakeLists.txt).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gz::modules::email {

struct MailAddress {
  std::string name;     // decoded, UTF-8
  std::string address;  // as written, trimmed
};

struct MailAttachment {
  std::string filename;      // decoded (RFC 2231 / RFC 2047), UTF-8
  std::string content_type;  // "application/pdf"
  std::string content_id;    // without < >
  bool is_inline = false;
  std::string data;          // the decoded bytes
  bool truncated = false;    // over MimeLimits::max_attachment_bytes: kept without its data
};

// One recipient of an RFC 3464 delivery status notification.
struct DeliveryFailure {
  std::string recipient;   // Final-Recipient (or Original-Recipient), address only
  std::string status;      // "5.1.1"
  bool permanent = false;  // 5.x.x
  std::string diagnostic;  // Diagnostic-Code, as written
};

enum class MessageKind { Ordinary, AutoReply, DeliveryReport };

struct ParsedMessage {
  std::string message_id;               // without < >; empty when the message has none
  std::string in_reply_to;              // without < >
  std::vector<std::string> references;  // without < >, in order
  std::string subject;                  // RFC 2047 decoded to UTF-8
  MailAddress from;
  std::vector<MailAddress> to, cc, reply_to;
  std::optional<int64_t> sent_at;  // Date: as Unix seconds
  std::string text;  // the plain-text body, UTF-8, LF line ends (text/plain; with only HTML, its text rendering)
  std::string html;  // the HTML body as received, converted to UTF-8 (NOT sanitised), "" when none
  // Attachments and inline parts (images referenced by cid:); a nested message/rfc822 is one
  // attachment of type message/rfc822.
  std::vector<MailAttachment> attachments;
  MessageKind kind = MessageKind::Ordinary;
  std::vector<DeliveryFailure> failures;  // for a DeliveryReport
  std::string original_message_id;        // for a DeliveryReport: the bounced message's, without < >
  bool list_unsubscribe_present = false;
};

struct MimeLimits {
  std::size_t max_depth = 20;
  std::size_t max_parts = 500;
  std::size_t max_attachment_bytes = 50u << 20;
};

// Never crashes; a message GMime cannot read at all throws gz::Problem (BadRequest). What can be
// read of a damaged message is returned; parts beyond the limits are skipped; an attachment over
// the size limit is kept without its data, flagged truncated. Every string is valid UTF-8.
ParsedMessage parse_message(std::string_view raw, const MimeLimits& limits = {});

struct OutgoingMessage {
  MailAddress from;
  std::vector<MailAddress> to, cc, bcc;  // bcc: checked, never written (the SMTP envelope's)
  std::optional<MailAddress> reply_to;
  std::string subject, text, html;  // html "": text/plain only; otherwise multipart/alternative (text
                                    // "" then: html_to_text(html))
  std::string message_id;           // without < >; new_message_id(from's domain) when empty
  std::string in_reply_to;
  std::vector<std::string> references;
  std::vector<MailAttachment> attachments;  // multipart/mixed (inline ones with a content id)
  std::vector<std::pair<std::string, std::string>> extra_headers;  // List-Unsubscribe, Auto-Submitted…
  int64_t date = 0;  // Unix seconds; 0 = now
};

// RFC 5322 text with CRLF line ends; headers RFC 2047-encoded when not ASCII. Fills
// message.message_id when it was empty. A CR, LF or NUL in a subject, name, address or header, or
// an address that is not one valid mailbox, throws gz::Problem (Unprocessable) naming the field:
// "subject", "from", "to", "cc", "bcc", "reply_to", "headers".
std::string write_message(OutgoingMessage& message);

// "<random>@domain" without the < >: 128 random bits (libsodium), base32.
std::string new_message_id(std::string_view domain);

// "Anne <a@x.fr>, b@y.fr" → [{Anne, a@x.fr}, {"", b@y.fr}]; for recipients typed by a user. Groups
// are flattened; entries without an address are left out.
std::vector<MailAddress> parse_address_list(std::string_view text);

// The French of the messages this layer's problems carry (for the module's messages_fr).
std::vector<std::pair<std::string, std::string>> mime_messages_fr();

}  // namespace gz::modules::email
