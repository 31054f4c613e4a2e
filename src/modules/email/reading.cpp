// Reading messages as a user may: a message on the timeline follows its interaction's access
// (the contacts' visibility, a private message its user alone); a message waiting in the inbox
// (unknown sender) is seen by the users who may handle it — a shared mailbox's by every user who
// writes interactions, a personal mailbox's by its owner.
#include "core/clock.h"
#include "core/message.h"
#include "core/problem.h"
#include "core/json_text.h"
#include "domain/records.h"
#include "domain/schema.h"
#include "modules/email/email_service.h"
#include "modules/email/email_store.h"

namespace gz::modules::email {

using store::Connection;

namespace {

json parsed(const json& row, const char* column) {
  json j = json::parse(text_of(row, column).empty() ? "[]" : text_of(row, column), nullptr, false);
  return j.is_discarded() ? json::array() : j;
}

}  // namespace

bool may_use_mailbox(const domain::Actor& actor, const json& mailbox) {
  if (actor.is_admin()) return true;
  if (text_of(mailbox, "kind") == "personal")
    return mailbox["user_id"].is_number_integer() && mailbox["user_id"].get<int64_t>() == actor.user_id;
  return domain::can_write(actor, domain::entity("interactions"));
}

bool may_read(Connection& c, const domain::Actor& actor, const json& row) {
  if (row["interaction_id"].is_number_integer()) {
    auto visible = store::RecordStore::find(c, domain::entity("interactions"), row["interaction_id"].get<int64_t>(),
                                            domain::read_scope(actor, domain::entity("interactions")));
    if (visible) return true;
  }
  if (row["user_id"].is_number_integer() && row["user_id"].get<int64_t>() == actor.user_id) return true;
  if (actor.is_admin()) return true;
  if (row["interaction_id"].is_number_integer()) return false;
  // Not on a timeline: the inbox's rules.
  if (!row["mailbox_id"].is_number_integer()) return domain::can_write(actor, domain::entity("interactions"));
  auto mailbox = EmailStore::mailbox(c, row["mailbox_id"].get<int64_t>());
  return mailbox && may_use_mailbox(actor, *mailbox);
}

namespace {

json view(Connection& c, const domain::Actor& actor, const json& row) {
  json out = {{"id", row["id"]},
              {"message_id", row["message_id"]},
              {"thread_id", row["thread_id"]},
              {"interaction_id", row["interaction_id"]},
              {"mailbox_id", row["mailbox_id"]},
              {"direction", row["direction"]},
              {"from", {{"name", text_of(row, "from_name")}, {"address", text_of(row, "from_address")}}},
              {"to", parsed(row, "to_json")},
              {"cc", parsed(row, "cc_json")},
              {"subject", text_of(row, "subject")},
              {"sent_at", row["sent_at"]},
              {"text", text_of(row, "text_body")},
              {"remote_images_blocked", row["remote_images_blocked"]},
              {"kind", row["kind"]},
              {"status", row["status"]},
              {"error", row["error"]},
              {"marketing", row["marketing"].get<int64_t>() != 0},
              {"is_private", row["is_private"].get<int64_t>() != 0},
              {"inbox_state", row["inbox_state"]},
              {"user_id", row["user_id"]}};
  for (const auto& h : parsed(row, "headers_json"))
    if (h.is_array() && h.size() == 2 && h[0] == "List-Unsubscribe") {
      std::string link = h[1].get<std::string>();
      if (link.size() > 2 && link.front() == '<' && link.back() == '>') out["unsubscribe_url"] = link.substr(1, link.size() - 2);
    }
  // Blind copies: only to whoever sent the message.
  if (row["user_id"].is_number_integer() && row["user_id"].get<int64_t>() == actor.user_id) out["bcc"] = parsed(row, "bcc_json");
  out["has_html"] = row.value("has_html", json(0)) == 1;
  json atts = json::array();
  for (auto a : EmailStore::attachments(c, row["id"].get<int64_t>())) {
    a["is_inline"] = a["is_inline"].get<int64_t>() != 0;
    a["truncated"] = a["truncated"].get<int64_t>() != 0;
    a["url"] = "/api/v1/emails/" + std::to_string(row["id"].get<int64_t>()) + "/attachments/" +
               std::to_string(a["position"].get<int64_t>());
    atts.push_back(a);
  }
  out["attachments"] = atts;
  if (row["mailbox_id"].is_number_integer())
    if (auto m = EmailStore::mailbox(c, row["mailbox_id"].get<int64_t>())) out["mailbox"] = {{"id", (*m)["id"]}, {"name", (*m)["name"]}};
  if (row["interaction_id"].is_number_integer()) {
    json contacts = json::array();
    for (const auto& ct : c.query("SELECT c.id, c.first_name, c.last_name FROM interactions i JOIN contacts c ON c.id = "
                                  "i.contact_id WHERE i.id = ? UNION SELECT c.id, c.first_name, c.last_name FROM "
                                  "interaction_contacts l JOIN contacts c ON c.id = l.contact_id WHERE l.interaction_id = ? "
                                  "ORDER BY 3, 2",
                                  {row["interaction_id"], row["interaction_id"]}))
      contacts.push_back({{"id", ct["id"]}, {"name", (text_of(ct, "first_name") + " " + text_of(ct, "last_name"))}});
    out["contacts"] = contacts;
  }
  return out;
}

}  // namespace

std::optional<json> EmailService::message(const domain::Actor& actor, int64_t email_id) {
  return store::with_transaction(db_, false, [&](Connection& c) -> std::optional<json> {
    auto row = EmailStore::email(c, email_id);
    if (!row || !may_read(c, actor, *row)) return std::nullopt;
    return view(c, actor, *row);
  });
}

std::vector<json> EmailService::thread(const domain::Actor& actor, int64_t email_id) {
  return store::with_transaction(db_, false, [&](Connection& c) {
    auto row = EmailStore::email(c, email_id);
    if (!row || !may_read(c, actor, *row)) throw Problem(ProblemKind::NotFound, tr("no such message"));
    std::vector<json> out;
    for (const auto& r : EmailStore::thread(c, (*row)["thread_id"].get<int64_t>()))
      if (r["kind"] != "delivery_report" && may_read(c, actor, r)) out.push_back(view(c, actor, r));
    return out;
  });
}

std::optional<std::string> EmailService::html_view(const domain::Actor& actor, int64_t email_id) {
  return store::with_transaction(db_, false, [&](Connection& c) -> std::optional<std::string> {
    auto row = EmailStore::email(c, email_id);
    if (!row || !may_read(c, actor, *row)) return std::nullopt;
    auto rows = c.query("SELECT html_body FROM email_messages WHERE id = ?", {email_id});
    if (rows.empty() || !rows[0]["html_body"].is_string()) return std::nullopt;
    return rows[0]["html_body"].get<std::string>();
  });
}

std::optional<EmailService::Download> EmailService::attachment(const domain::Actor& actor, int64_t email_id, int64_t position) {
  return store::with_transaction(db_, false, [&](Connection& c) -> std::optional<Download> {
    auto row = EmailStore::email(c, email_id);
    if (!row || !may_read(c, actor, *row)) return std::nullopt;
    auto a = EmailStore::attachment(c, email_id, position);
    if (!a || a->truncated) return std::nullopt;
    return Download{a->filename.empty() ? "piece-jointe-" + std::to_string(position) : a->filename, a->content_type, a->data};
  });
}

std::vector<json> EmailService::inbox(const domain::Actor& actor, int64_t limit) {
  return store::with_transaction(db_, false, [&](Connection& c) {
    std::vector<json> out;
    for (const auto& r : EmailStore::inbox(c, limit))
      if (may_read(c, actor, r)) out.push_back(view(c, actor, r));
    return out;
  });
}

json EmailService::link_inbox_message(const domain::Actor& actor, int64_t email_id, int64_t contact_id) {
  store::with_transaction(db_, true, [&](Connection& c) {
    auto row = EmailStore::email(c, email_id);
    if (!row || !may_read(c, actor, *row)) throw Problem(ProblemKind::NotFound, tr("no such message"));
    if (!(*row)["inbox_state"].is_string())
      throw Problem(ProblemKind::Conflict, tr("this message is already on a contact's timeline"));
    const auto& contacts = domain::entity("contacts");
    json contact = domain::RecordService::load_visible(c, actor, contacts, contact_id);
    // The sender's address joins the contact's, so that the next message finds it.
    const std::string from = text_of(*row, "from_address");
    json emails = contact["emails"].is_array() ? contact["emails"] : json::array();
    bool known = false;
    for (const auto& e : emails) known = known || address_key(e.get<std::string>()) == address_key(from);
    if (!known && !from.empty()) {
      emails.push_back(from);
      domain::RecordService::update_in(c, actor, contacts, contact_id, {{"emails", emails}}, std::nullopt, false);
    }
    EmailRow r;
    r.direction = text_of(*row, "direction");
    r.subject = text_of(*row, "subject");
    r.text_body = text_of(*row, "text_body");
    r.sent_at = text_of(*row, "sent_at");
    r.is_private = (*row)["is_private"].get<int64_t>() != 0;
    r.user_id = actor.user_id;
    auto ct = c.query("SELECT id, owner_id, account_id FROM contacts WHERE id = ?", {contact_id});
    create_interaction(c, email_id, r, ct);
    return 0;
  });
  return *message(actor, email_id);
}

void EmailService::dismiss_inbox_message(const domain::Actor& actor, int64_t email_id) {
  store::with_transaction(db_, true, [&](Connection& c) {
    auto row = EmailStore::email(c, email_id);
    if (!row || !may_read(c, actor, *row)) throw Problem(ProblemKind::NotFound, tr("no such message"));
    if (!(*row)["inbox_state"].is_string())
      throw Problem(ProblemKind::Conflict, tr("this message is already on a contact's timeline"));
    EmailStore::set_inbox_state(c, email_id, "dismissed", clock::now_utc());
    return 0;
  });
}

std::optional<json> EmailService::address_status(const std::string& address) {
  return store::with_transaction(db_, false, [&](Connection& c) { return EmailStore::address_status(c, address_key(address)); });
}

}  // namespace gz::modules::email
