// Received (and sent) messages into the database: one email_messages row per Message-ID, one
// interaction on the timeline of every contact whose address the message carries, threads by
// In-Reply-To/References, delivery reports marking addresses, unknown senders in the inbox.
#include <algorithm>
#include <set>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/problem.h"
#include "core/text.h"
#include "domain/records.h"
#include "domain/schema.h"
#include "modules/email/email_service.h"
#include "modules/email/email_store.h"
#include "modules/email/html_sanitize.h"
#include "store/notification_store.h"

namespace gz::modules::email {

using store::Connection;

std::string address_key(std::string_view address) {
  std::string out(address);
  // Trimmed and lower-cased (ASCII): mail systems compare domains without case, and in practice
  // local parts too.
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  size_t start = out.find_first_not_of(" \t");
  out = start == std::string::npos ? "" : out.substr(start);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return out;
}

namespace {

// The interactions' notes hold the text up to their field's limit.
std::string clip_to_field(const std::string& text, const char* field) {
  const auto* f = domain::entity("interactions").field(field);
  const size_t max = f ? size_t(f->max_length) : 20000;
  if (text.size() <= max) return text;
  // Cut on a UTF-8 character boundary.
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

}  // namespace

IngestResult EmailService::ingest(const std::string& raw, const IngestSource& source) {
  ParsedMessage m = parse_message(raw);
  return store::with_transaction(db_, true, [&](Connection& c) { return ingest_in(c, raw, m, source); });
}

namespace {
std::vector<StoredMessageListener>& stored_listeners() {
  static std::vector<StoredMessageListener> listeners;
  return listeners;
}
}  // namespace

void on_message_stored(StoredMessageListener listener) { stored_listeners().push_back(std::move(listener)); }

IngestResult EmailService::ingest_in(Connection& c, const std::string& raw, const ParsedMessage& m,
                                     const IngestSource& source) {
  IngestResult result;
  // A message without a Message-ID gets one from its bytes, so that fetching it twice stores it once.
  const std::string message_id =
      !m.message_id.empty() ? m.message_id : "gazelle-" + crypto::sha256_hex(raw).substr(0, 40) + "@no-message-id";
  if (auto id = EmailStore::email_id_by_message_id(c, message_id)) {
    result.email_id = *id;
    result.outcome = "duplicate";
    return result;
  }
  const std::string now = clock::now_utc();
  const std::string sent_at = m.sent_at ? clock::format_utc(*m.sent_at) : now;
  std::optional<json> mailbox;
  if (source.mailbox_id) mailbox = EmailStore::mailbox(c, *source.mailbox_id);

  EmailRow row;
  row.message_id = message_id;
  row.mailbox_id = source.mailbox_id;
  row.from_address = m.from.address;
  row.from_name = m.from.name;
  row.to_json = addresses_json(m.to).dump();
  row.cc_json = addresses_json(m.cc).dump();
  row.subject = m.subject;
  row.sent_at = sent_at;
  row.text_body = m.text;
  row.in_reply_to = m.in_reply_to;
  json refs = json::array();
  for (const auto& r : m.references) refs.push_back(r);
  row.references_json = refs.dump();
  row.status = "received";
  row.now = now;

  // A delivery report: each permanent failure marks its address; the bounced message says so.
  if (m.kind == MessageKind::DeliveryReport) {
    row.kind = "delivery_report";
    row.direction = "inbound";
    result.email_id = EmailStore::insert_email(c, row);
    std::optional<json> original;
    if (!m.original_message_id.empty())
      if (auto oid = EmailStore::email_id_by_message_id(c, m.original_message_id)) original = EmailStore::email(c, *oid);
    for (const auto& f : m.failures) {
      if (!f.permanent) continue;
      EmailStore::mark_bounced(c, address_key(f.recipient), f.status + (f.diagnostic.empty() ? "" : " " + f.diagnostic),
                               now, original ? (*original)["id"].get<int64_t>() : result.email_id);
    }
    if (original && !m.failures.empty()) {
      const bool permanent = std::any_of(m.failures.begin(), m.failures.end(), [](const DeliveryFailure& f) { return f.permanent; });
      if (permanent) {
        EmailStore::set_status(c, (*original)["id"].get<int64_t>(), "bounced",
                               m.failures.front().status + " " + m.failures.front().diagnostic, now);
        if ((*original)["user_id"].is_number_integer())
          store::NotificationStore::insert(
              c, (*original)["user_id"].get<int64_t>(), "email_bounced", "E-mail non distribué",
              "Le message « " + (*original).value("subject", std::string()) + " » n'a pas pu être remis à " +
                  m.failures.front().recipient + ".",
              "interactions", (*original)["interaction_id"].is_number_integer() ? (*original)["interaction_id"].get<int64_t>() : 0,
              now);
      }
    }
    result.created = true;
    result.outcome = "delivery_report";
    return result;
  }
  row.kind = m.kind == MessageKind::AutoReply ? "auto_reply" : "ordinary";

  // Sent by us (one of our mailboxes or users) or received.
  const bool outbound = EmailStore::is_our_address(c, address_key(m.from.address));
  row.direction = outbound ? "outbound" : "inbound";
  if (outbound) row.status = "sent";

  // The correspondents: everyone on the message but us.
  std::vector<std::string> keys;
  auto consider = [&](const MailAddress& a) {
    std::string k = address_key(a.address);
    if (k.empty() || std::find(keys.begin(), keys.end(), k) != keys.end()) return;
    if (EmailStore::is_our_address(c, k)) return;
    keys.push_back(k);
  };
  if (!outbound) consider(m.from);
  for (const auto& a : m.to) consider(a);
  for (const auto& a : m.cc) consider(a);
  std::vector<json> contacts;
  std::set<int64_t> seen;
  for (const auto& k : keys)
    for (auto& ct : EmailStore::contacts_with_address(c, k))
      if (seen.insert(ct["id"].get<int64_t>()).second) contacts.push_back(ct);

  // The thread: the first known message it answers or refers to.
  std::vector<std::string> parents;
  if (!m.in_reply_to.empty()) parents.push_back(m.in_reply_to);
  for (auto it = m.references.rbegin(); it != m.references.rend(); ++it) parents.push_back(*it);
  std::optional<json> parent;
  for (const auto& p : parents)
    if (auto pid = EmailStore::email_id_by_message_id(c, p)) {
      parent = EmailStore::email(c, *pid);
      break;
    }
  if (parent) row.thread_id = (*parent)["thread_id"].get<int64_t>();
  // A reply from an address we do not know, in a thread we do: the thread's contacts.
  if (contacts.empty() && parent && (*parent)["interaction_id"].is_number_integer())
    for (auto& ct : EmailStore::contacts_of_interaction(c, (*parent)["interaction_id"].get<int64_t>()))
      if (seen.insert(ct["id"].get<int64_t>()).second) contacts.push_back(ct);

  row.is_private = mailbox && mailbox->value("kind", "") == "personal" && mailbox->value("private_by_default", 0) != 0;
  if (mailbox && (*mailbox)["user_id"].is_number_integer()) row.user_id = (*mailbox)["user_id"].get<int64_t>();
  if (contacts.empty()) row.inbox_state = "waiting";
  result.email_id = EmailStore::insert_email(c, row);
  if (!row.thread_id) EmailStore::set_thread(c, result.email_id, result.email_id);

  // Attachments, then the HTML view whose inline images point at them.
  std::map<std::string, int64_t> by_content_id;
  int64_t position = 0;
  for (const auto& a : m.attachments) {
    ++position;
    EmailStore::insert_attachment(c, result.email_id, position, a);
    if (!a.content_id.empty()) by_content_id[a.content_id] = position;
  }
  if (!m.html.empty()) {
    auto clean = sanitize_html(m.html, [&](std::string_view cid) -> std::optional<std::string> {
      auto it = by_content_id.find(std::string(cid));
      if (it == by_content_id.end()) return std::nullopt;
      return "/api/v1/emails/" + std::to_string(result.email_id) + "/attachments/" + std::to_string(it->second);
    });
    EmailStore::set_html(c, result.email_id, clean.html, clean.remote_images_blocked);
  }

  if (!contacts.empty()) {
    result.interaction_id = create_interaction(c, result.email_id, row, contacts);
    result.outcome = "timeline";
  } else {
    result.outcome = "inbox";
  }
  result.created = true;
  for (const auto& listener : stored_listeners()) listener(c, result.email_id);
  return result;
}

int64_t create_interaction(Connection& c, int64_t email_id, const EmailRow& row, const std::vector<json>& contacts) {
  // Handled by the mailbox's user, else the main contact's owner, else the first administrator.
  std::optional<int64_t> user = row.user_id;
  if (!user && contacts.front()["owner_id"].is_number_integer()) user = contacts.front()["owner_id"].get<int64_t>();
  if (!user) user = EmailStore::first_admin(c);
  json input = {{"channel", "email"},
                {"direction", row.direction},
                {"subject", row.subject.empty() ? json() : json(clip_to_field(row.subject, "subject"))},
                {"content", row.text_body.empty() ? json() : json(clip_to_field(row.text_body, "content"))},
                {"occurred_at", row.sent_at},
                {"contact_id", contacts.front()["id"]},
                {"is_private", row.is_private}};
  if (user) input["user_id"] = *user;
  if (contacts.front()["account_id"].is_number_integer()) input["account_id"] = contacts.front()["account_id"];
  json created = domain::RecordService::create_in(c, domain::system_actor(), domain::entity("interactions"), input);
  const int64_t interaction_id = created["id"].get<int64_t>();
  // The first is the interaction's contact_id; the link table holds the others only, so that a
  // contact's own e-mails stay one index range in its timeline.
  for (size_t i = 1; i < contacts.size(); ++i) EmailStore::link_contact(c, interaction_id, contacts[i]["id"].get<int64_t>());
  EmailStore::set_interaction(c, email_id, interaction_id);
  return interaction_id;
}

}  // namespace gz::modules::email
