#include "modules/email/email_store.h"

#include "core/crypto.h"

namespace gz::modules::email {

using store::Connection;

namespace {

json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(); }
json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(); }

bool is_postgres(Connection& c) { return c.dialect().name() == "postgresql"; }

// The first three of a contact's e-mails, lower-cased, as the expression indexes of module.cpp
// hold them (the same expressions, so that the planner uses them).
std::string email_expression(Connection& c, int i) {
  return is_postgres(c) ? "lower(emails::jsonb->>" + std::to_string(i) + ")"
                        : "lower(json_extract(emails, '$[" + std::to_string(i) + "]'))";
}

const char* kEmailColumns =
    "id, message_id, interaction_id, thread_id, mailbox_id, direction, from_address, from_name, to_json, cc_json, "
    "bcc_json, subject, sent_at, text_body, remote_images_blocked, in_reply_to, references_json, kind, status, error, "
    "attempts, is_private, marketing, inbox_state, user_id, headers_json, created_at, updated_at, "
    "CASE WHEN html_body IS NULL THEN 0 ELSE 1 END AS has_html";

}  // namespace

json addresses_json(const std::vector<MailAddress>& list) {
  json out = json::array();
  for (const auto& a : list) out.push_back({{"name", a.name}, {"address", a.address}});
  return out;
}

std::optional<int64_t> EmailStore::email_id_by_message_id(Connection& c, const std::string& message_id) {
  auto rows = c.query("SELECT id FROM email_messages WHERE message_id = ?", {message_id});
  if (rows.empty()) return std::nullopt;
  return rows[0]["id"].get<int64_t>();
}

std::optional<json> EmailStore::email(Connection& c, int64_t id) {
  auto rows = c.query(std::string("SELECT ") + kEmailColumns + " FROM email_messages WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return rows[0];
}

int64_t EmailStore::insert_email(Connection& c, const EmailRow& r) {
  return c.insert(
      "INSERT INTO email_messages (message_id, thread_id, mailbox_id, direction, from_address, from_name, to_json, cc_json, "
      "bcc_json, subject, sent_at, text_body, in_reply_to, references_json, kind, status, is_private, marketing, "
      "inbox_state, user_id, headers_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?)",
      {r.message_id, opt(r.thread_id), opt(r.mailbox_id), r.direction, r.from_address, r.from_name, r.to_json, r.cc_json,
       r.bcc_json, r.subject, r.sent_at, r.text_body, r.in_reply_to, r.references_json, r.kind, r.status,
       int64_t(r.is_private), int64_t(r.marketing), opt(r.inbox_state), opt(r.user_id), r.headers_json, r.now, r.now});
}

void EmailStore::set_thread(Connection& c, int64_t id, int64_t thread_id) {
  c.execute("UPDATE email_messages SET thread_id = ? WHERE id = ?", {thread_id, id});
}

void EmailStore::set_html(Connection& c, int64_t id, const std::string& html, int remote_images_blocked) {
  c.execute("UPDATE email_messages SET html_body = ?, remote_images_blocked = ? WHERE id = ?",
            {html, int64_t(remote_images_blocked), id});
}

void EmailStore::set_interaction(Connection& c, int64_t id, int64_t interaction_id) {
  c.execute("UPDATE email_messages SET interaction_id = ?, inbox_state = NULL WHERE id = ?", {interaction_id, id});
}

void EmailStore::set_status(Connection& c, int64_t id, const std::string& status, const std::string& error,
                            const std::string& now) {
  c.execute("UPDATE email_messages SET status = ?, error = ?, updated_at = ? WHERE id = ?",
            {status, error.empty() ? json() : json(error), now, id});
}

void EmailStore::set_inbox_state(Connection& c, int64_t id, const std::optional<std::string>& state, const std::string& now) {
  c.execute("UPDATE email_messages SET inbox_state = ?, updated_at = ? WHERE id = ?", {opt(state), now, id});
}

std::vector<json> EmailStore::thread(Connection& c, int64_t thread_id) {
  return c.query(std::string("SELECT ") + kEmailColumns + " FROM email_messages WHERE thread_id = ? ORDER BY sent_at, id",
                 {thread_id});
}

std::vector<json> EmailStore::inbox(Connection& c, int64_t limit) {
  return c.query(std::string("SELECT ") + kEmailColumns +
                     " FROM email_messages WHERE inbox_state = 'waiting' ORDER BY sent_at DESC, id DESC LIMIT ?",
                 {limit});
}

void EmailStore::insert_attachment(Connection& c, int64_t email_id, int64_t position, const MailAttachment& a) {
  c.execute(
      "INSERT INTO email_attachments (email_id, position, filename, content_type, content_id, is_inline, size, truncated, "
      "data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {email_id, position, a.filename, a.content_type.empty() ? "application/octet-stream" : a.content_type,
       a.content_id.empty() ? json() : json(a.content_id), int64_t(a.is_inline), int64_t(a.data.size()),
       int64_t(a.truncated), a.truncated ? json() : json(crypto::base64url_encode(a.data))});
}

std::vector<json> EmailStore::attachments(Connection& c, int64_t email_id) {
  return c.query(
      "SELECT position, filename, content_type, content_id, is_inline, size, truncated FROM email_attachments WHERE "
      "email_id = ? ORDER BY position",
      {email_id});
}

std::optional<MailAttachment> EmailStore::attachment(Connection& c, int64_t email_id, int64_t position) {
  auto rows = c.query(
      "SELECT filename, content_type, content_id, is_inline, truncated, data FROM email_attachments WHERE email_id = ? "
      "AND position = ?",
      {email_id, position});
  if (rows.empty()) return std::nullopt;
  const json& r = rows[0];
  MailAttachment a;
  a.filename = r["filename"].is_string() ? r["filename"].get<std::string>() : "";
  a.content_type = r["content_type"].get<std::string>();
  a.content_id = r["content_id"].is_string() ? r["content_id"].get<std::string>() : "";
  a.is_inline = r["is_inline"].get<int64_t>() != 0;
  a.truncated = r["truncated"].get<int64_t>() != 0;
  if (r["data"].is_string()) a.data = crypto::base64url_decode(r["data"].get<std::string>()).value_or("");
  return a;
}

std::optional<json> EmailStore::mailbox(Connection& c, int64_t id) {
  auto rows = c.query("SELECT * FROM mailboxes WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return rows[0];
}

std::vector<int64_t> EmailStore::mailboxes_to_poll(Connection& c) {
  std::vector<int64_t> out;
  for (const auto& r : c.query("SELECT id FROM mailboxes WHERE active = 1 AND imap_url IS NOT NULL AND has_password = 1 "
                               "ORDER BY id"))
    out.push_back(r["id"].get<int64_t>());
  return out;
}

std::optional<std::string> EmailStore::sealed_password(Connection& c, int64_t mailbox_id) {
  auto rows = c.query("SELECT sealed FROM mailbox_secrets WHERE mailbox_id = ?", {mailbox_id});
  if (rows.empty()) return std::nullopt;
  return rows[0]["sealed"].get<std::string>();
}

void EmailStore::set_sealed_password(Connection& c, int64_t mailbox_id, const std::string& sealed) {
  if (c.execute("UPDATE mailbox_secrets SET sealed = ? WHERE mailbox_id = ?", {sealed, mailbox_id}) == 0)
    c.execute("INSERT INTO mailbox_secrets (mailbox_id, sealed) VALUES (?, ?)", {mailbox_id, sealed});
  c.execute("UPDATE mailboxes SET has_password = 1 WHERE id = ?", {mailbox_id});
}

std::optional<json> EmailStore::sync_position(Connection& c, int64_t mailbox_id) {
  auto rows = c.query("SELECT folder, uidvalidity, last_uid, highestmodseq FROM mailbox_sync WHERE mailbox_id = ?",
                      {mailbox_id});
  if (rows.empty()) return std::nullopt;
  return rows[0];
}

void EmailStore::set_sync_position(Connection& c, int64_t mailbox_id, const std::string& folder, int64_t uidvalidity,
                                   int64_t last_uid, std::optional<int64_t> highestmodseq) {
  if (c.execute("UPDATE mailbox_sync SET folder = ?, uidvalidity = ?, last_uid = ?, highestmodseq = ? WHERE mailbox_id = ?",
                {folder, uidvalidity, last_uid, opt(highestmodseq), mailbox_id}) == 0)
    c.execute("INSERT INTO mailbox_sync (mailbox_id, folder, uidvalidity, last_uid, highestmodseq) VALUES (?, ?, ?, ?, ?)",
              {mailbox_id, folder, uidvalidity, last_uid, opt(highestmodseq)});
}

void EmailStore::set_sync_state(Connection& c, int64_t mailbox_id, const std::string& status, std::optional<int64_t> total,
                                int64_t imported_increment, const std::string& error, const std::string& now) {
  c.execute(
      "UPDATE mailboxes SET sync_status = ?, messages_total = COALESCE(?, messages_total), "
      "messages_imported = messages_imported + ?, last_error = ?, last_sync_at = ? WHERE id = ?",
      {status, opt(total), imported_increment, error.empty() ? json() : json(error), now, mailbox_id});
}

bool EmailStore::is_our_address(Connection& c, const std::string& key) {
  if (key.empty()) return false;
  return !c.query("SELECT 1 FROM mailboxes WHERE lower(address) = ? UNION ALL SELECT 1 FROM users WHERE lower(email) = ?",
                  {key, key})
              .empty();
}

std::vector<json> EmailStore::contacts_with_address(Connection& c, const std::string& key) {
  std::string sql = "SELECT id, owner_id, account_id FROM contacts WHERE archived_at IS NULL AND (";
  for (int i = 0; i < 3; ++i) sql += (i ? " OR " : "") + email_expression(c, i) + " = ?";
  return c.query(sql + ") ORDER BY id", {key, key, key});
}

std::vector<json> EmailStore::contacts_of_interaction(Connection& c, int64_t interaction_id) {
  return c.query(
      "SELECT c.id, c.owner_id, c.account_id FROM interactions i JOIN contacts c ON c.id = i.contact_id WHERE i.id = ? "
      "UNION SELECT c.id, c.owner_id, c.account_id FROM interaction_contacts l JOIN contacts c ON c.id = l.contact_id "
      "WHERE l.interaction_id = ?",
      {interaction_id, interaction_id});
}

void EmailStore::link_contact(Connection& c, int64_t interaction_id, int64_t contact_id) {
  if (c.query("SELECT 1 FROM interaction_contacts WHERE interaction_id = ? AND contact_id = ?", {interaction_id, contact_id})
          .empty())
    c.execute("INSERT INTO interaction_contacts (interaction_id, contact_id) VALUES (?, ?)", {interaction_id, contact_id});
}

std::optional<int64_t> EmailStore::first_admin(Connection& c) {
  auto rows = c.query("SELECT id FROM users WHERE role = 'admin' AND active = 1 ORDER BY id LIMIT 1");
  if (rows.empty()) return std::nullopt;
  return rows[0]["id"].get<int64_t>();
}

void EmailStore::mark_bounced(Connection& c, const std::string& key, const std::string& reason, const std::string& now,
                              int64_t email_id) {
  if (c.execute("UPDATE email_address_status SET status = 'bounced', reason = ?, changed_at = ?, email_id = ? WHERE address = ?",
                {reason, now, email_id, key}) == 0)
    c.execute("INSERT INTO email_address_status (address, status, reason, changed_at, email_id) VALUES (?, 'bounced', ?, ?, ?)",
              {key, reason, now, email_id});
}

std::optional<json> EmailStore::address_status(Connection& c, const std::string& key) {
  auto rows = c.query("SELECT address, status, reason, changed_at FROM email_address_status WHERE address = ?", {key});
  if (rows.empty()) return std::nullopt;
  return rows[0];
}

}  // namespace gz::modules::email
