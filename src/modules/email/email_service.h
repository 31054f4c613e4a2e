// The e-mail module's services (docs/email.md): messages received over IMAP or handed over by a
// mail server become interactions on the timeline of every contact whose address they carry
// (ingest.cpp); messages written in Gazelle are queued and sent over SMTP by a job, with a copy
// in the mailbox's Sent folder (outbox.cpp); mailboxes are polled incrementally by a job
// (mailbox_sync.cpp); a hard bounce marks its address; an unsubscribe link records a refusal of
// consent (unsubscribe.cpp). Every write is one transaction.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/access.h"
#include "modules/email/mime_message.h"
#include "store/database.h"

namespace gz::domain { class JobQueue; }

namespace gz::modules::email {

using json = nlohmann::json;

// The key that seals mailbox passwords and signs unsubscribe links, kept out of the database:
// the file named by GAZELLE_SECRET_KEY_FILE, else beside an SQLite database (<file>.secret-key),
// else ~/.config/gazelle/secret.key; created (mode 600) on first use. Several servers on one
// PostgreSQL database must be given the same file.
std::string server_key(const store::Database& db);
// The same key, from a connection of that database (a hook that has no Database).
std::string server_key_for(store::Connection& c);

// Where a message came from, for ingest.
struct IngestSource {
  std::optional<int64_t> mailbox_id;  // none: handed over without a mailbox
};

struct IngestResult {
  int64_t email_id = 0;
  bool created = false;       // false: the same Message-ID was already stored (nothing written)
  std::string outcome;        // "timeline", "inbox", "delivery_report", "duplicate"
  std::optional<int64_t> interaction_id;
};

// What a user asks to send (POST /api/v1/emails).
struct SendRequest {
  int64_t mailbox_id = 0;
  std::string to, cc, bcc;          // typed lists: "Anne Durand <anne@x.fr>, b@y.fr"
  std::string subject, body;        // body: plain text; merge fields when a template is used
  std::optional<int64_t> template_id;
  std::optional<int64_t> contact_id;     // whose merge fields (default: the first recipient's contact)
  std::optional<int64_t> reply_to_email; // a reply (or reply all) to this message
  bool reply_all = false;
  std::optional<int64_t> forward_email;  // forwards this message, its attachments included
  bool marketing = false;                // non-transactional: consent checked, List-Unsubscribe added
  std::vector<MailAttachment> attachments;
};

class EmailService {
 public:
  explicit EmailService(store::Database& db) : db_(db) {}

  // Stores one raw RFC 5322 message (idempotent by Message-ID). Throws Problem on a message that
  // cannot be read at all.
  IngestResult ingest(const std::string& raw, const IngestSource& source);
  IngestResult ingest_in(store::Connection& c, const std::string& raw, const ParsedMessage& m, const IngestSource& source);

  // Checks and stores a message to send, with its interaction, and queues the send job.
  json queue_send(const domain::Actor& actor, SendRequest request, domain::JobQueue& queue,
                  const std::string& public_base_url);
  // The send job: SMTP, then a copy in the Sent folder. Throws what the job queue should retry.
  void send_now(int64_t email_id, bool last_attempt);

  // One polling round of a mailbox: new messages since the last one seen (at most max_messages),
  // each stored with the mailbox's position in one transaction. Returns how many are left.
  int64_t sync_mailbox(int64_t mailbox_id, int64_t max_messages, const std::function<void(const json&)>& progress);
  // Active mailboxes with a server to poll.
  std::vector<int64_t> mailboxes_to_poll();

  // Reading, as the actor may see it.
  std::optional<json> message(const domain::Actor& actor, int64_t email_id);
  std::vector<json> thread(const domain::Actor& actor, int64_t email_id);
  std::optional<std::string> html_view(const domain::Actor& actor, int64_t email_id);
  struct Download { std::string filename, content_type, data; };
  std::optional<Download> attachment(const domain::Actor& actor, int64_t email_id, int64_t position);

  // Messages from unknown senders waiting for a contact.
  std::vector<json> inbox(const domain::Actor& actor, int64_t limit);
  // Links a waiting message to an existing contact (its address added to the contact's e-mails
  // when missing), or dismisses it. Returns the message.
  json link_inbox_message(const domain::Actor& actor, int64_t email_id, int64_t contact_id);
  void dismiss_inbox_message(const domain::Actor& actor, int64_t email_id);

  // Merge fields of a template for a contact: {{contact.first_name}}, {{account.name}}, {{user.name}},
  // {{signature}}…; unknown fields are left as written.
  json render_template(const domain::Actor& actor, int64_t template_id, std::optional<int64_t> contact_id,
                       std::optional<int64_t> mailbox_id);

  // Signed links: a token naming a contact and an address for one purpose ("unsubscribe",
  // "optin"), an HMAC of the server key; nothing stored.
  std::string signed_token(const std::string& purpose, int64_t contact_id, const std::string& address) const;
  std::optional<std::pair<int64_t, std::string>> verify_token(const std::string& purpose, const std::string& token) const;
  // Unsubscribe links (RFC 8058).
  std::string unsubscribe_token(int64_t contact_id, const std::string& address) const;
  bool unsubscribe_token_valid(const std::string& token) const;
  // Records the refusal (consent e-mail denied, dated, origin "unsubscribe link"); false for a bad token.
  bool unsubscribe(const std::string& token, std::string* address_out = nullptr);
  // Double opt-in: the consent a web form's visitor confirms by the link of the e-mail
  // send_optin_request sent (granted, dated, origin "double opt-in"); false for a bad token.
  bool confirm_optin(const std::string& token, std::string* address_out = nullptr);
  // The mailbox automatic messages are sent from (sends_notifications), if any.
  std::optional<int64_t> notification_mailbox();
  // Queues the confirmation e-mail of a double opt-in; false when no mailbox sends automatic messages.
  bool send_optin_request(int64_t contact_id, const std::string& address, const std::string& form_name,
                          domain::JobQueue& queue, const std::string& public_base_url);

  // A hard bounce's mark on an address, or nullopt.
  std::optional<json> address_status(const std::string& address);

 private:
  bool set_email_consent(const std::string& purpose, const std::string& token, const std::string& status,
                         const std::string& origin, std::string* address_out);
  store::Database& db_;
};

// The attachments of a request body ([{filename, content_type, content_base64 (base64url)}]), each
// error naming attachments[i]; none when the key is absent.
std::vector<MailAttachment> attachments_of(const json& body);

// Called for each message ingest stores (not a duplicate, not a delivery report), in ingest's
// transaction: the service desk turns a message to a mailbox that opens cases into a case or a
// step of one (modules/service/email_cases.cpp). Registered once, at start-up.
using StoredMessageListener = std::function<void(store::Connection&, int64_t email_id)>;
void on_message_stored(StoredMessageListener listener);

// Lower-cased address for matching ("Anne.Durand@Exemple.FR" → "anne.durand@exemple.fr").
std::string address_key(std::string_view address);

}  // namespace gz::modules::email
