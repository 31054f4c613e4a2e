// The e-mail module's SQL: messages, attachments, mailboxes' positions and secrets, addresses'
// bounces, and the contacts an address belongs to (expression indexes on the first three of a
// contact's e-mails, module.cpp).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/access.h"
#include "modules/email/mail_transport.h"
#include "modules/email/mime_message.h"
#include "store/database.h"

namespace gz::modules::email {

using json = nlohmann::json;

// One message as stored (email_messages), before its id is known.
struct EmailRow {
  std::string message_id;
  std::optional<int64_t> mailbox_id, thread_id, user_id;
  std::string direction, from_address, from_name, to_json = "[]", cc_json = "[]", bcc_json = "[]";
  std::string subject, sent_at, text_body, in_reply_to, references_json = "[]";
  std::string headers_json = "[]";  // extra headers of a message we send: [[name, value], …]
  std::string kind = "ordinary", status;
  bool is_private = false, marketing = false;
  std::optional<std::string> inbox_state;
  std::string now;
};

struct EmailStore {
  static std::optional<int64_t> email_id_by_message_id(store::Connection& c, const std::string& message_id);
  static std::optional<json> email(store::Connection& c, int64_t id);
  static int64_t insert_email(store::Connection& c, const EmailRow& row);
  static void set_thread(store::Connection& c, int64_t id, int64_t thread_id);
  static void set_html(store::Connection& c, int64_t id, const std::string& html, int remote_images_blocked);
  static void set_interaction(store::Connection& c, int64_t id, int64_t interaction_id);
  static void set_status(store::Connection& c, int64_t id, const std::string& status, const std::string& error,
                         const std::string& now);
  static void set_inbox_state(store::Connection& c, int64_t id, const std::optional<std::string>& state, const std::string& now);
  static std::vector<json> thread(store::Connection& c, int64_t thread_id);
  static std::vector<json> inbox(store::Connection& c, int64_t limit);

  static void insert_attachment(store::Connection& c, int64_t email_id, int64_t position, const MailAttachment& a);
  // Without their bytes.
  static std::vector<json> attachments(store::Connection& c, int64_t email_id);
  static std::optional<MailAttachment> attachment(store::Connection& c, int64_t email_id, int64_t position);

  static std::optional<json> mailbox(store::Connection& c, int64_t id);
  static std::vector<int64_t> mailboxes_to_poll(store::Connection& c);
  static std::optional<std::string> sealed_password(store::Connection& c, int64_t mailbox_id);
  static void set_sealed_password(store::Connection& c, int64_t mailbox_id, const std::string& sealed);
  static std::optional<json> sync_position(store::Connection& c, int64_t mailbox_id);
  static void set_sync_position(store::Connection& c, int64_t mailbox_id, const std::string& folder, int64_t uidvalidity,
                                int64_t last_uid, std::optional<int64_t> highestmodseq);
  // The mailbox's own columns of progress, written without its version (an administrator may be
  // editing its settings meanwhile).
  static void set_sync_state(store::Connection& c, int64_t mailbox_id, const std::string& status,
                             std::optional<int64_t> total, int64_t imported_increment, const std::string& error,
                             const std::string& now);

  // Whether the address is one of ours: a mailbox's or a user's.
  static bool is_our_address(store::Connection& c, const std::string& key);
  // The contacts (id, owner_id, account_id) having the address among their first three e-mails.
  static std::vector<json> contacts_with_address(store::Connection& c, const std::string& key);
  static std::vector<json> contacts_of_interaction(store::Connection& c, int64_t interaction_id);
  static void link_contact(store::Connection& c, int64_t interaction_id, int64_t contact_id);
  static std::optional<int64_t> first_admin(store::Connection& c);

  static void mark_bounced(store::Connection& c, const std::string& key, const std::string& reason, const std::string& now,
                           int64_t email_id);
  static std::optional<json> address_status(store::Connection& c, const std::string& key);
};

// [{name, address}, …] as the message's address columns hold them.
json addresses_json(const std::vector<MailAddress>& list);

// The mailbox's IMAP or SMTP server (url_column "imap_url" or "smtp_url"), its password unsealed.
MailServer mailbox_server(store::Database& db, store::Connection& c, const json& mailbox, const char* url_column);
// Whether the actor may send from the mailbox, or handle the messages waiting in its inbox.
bool may_use_mailbox(const domain::Actor& actor, const json& mailbox);
// Whether the actor may read a stored message (email_messages row): its interaction's access, its
// sender, or the inbox's rules for a message on no timeline.
bool may_read(store::Connection& c, const domain::Actor& actor, const json& row);

// The interaction of a stored message, linked to every one of its contacts (the first is its
// contact_id). Returns its id.
int64_t create_interaction(store::Connection& c, int64_t email_id, const EmailRow& row, const std::vector<json>& contacts);

}  // namespace gz::modules::email
