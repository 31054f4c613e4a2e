// Sending: a message written in Gazelle is checked (recipients, bounced addresses, consent for
// marketing, header injection), stored with its interaction and queued; the send job hands it to
// the mailbox's SMTP server and files a copy in its Sent folder over IMAP. Templates' merge
// fields and unsubscribe links live here too.
#include <regex>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/message.h"
#include "core/problem.h"
#include "core/validate.h"
#include "core/json_text.h"
#include "domain/jobs.h"
#include "domain/records.h"
#include "domain/schema.h"
#include "modules/email/email_service.h"
#include "modules/email/email_store.h"
#include "modules/email/imap_client.h"
#include "modules/email/smtp_client.h"
#include "store/notification_store.h"

namespace gz::modules::email {

using store::Connection;


namespace {

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? "gazelle.invalid" : address.substr(at + 1);
}

std::vector<MailAddress> addresses_of(const json& list) {
  std::vector<MailAddress> out;
  if (!list.is_array()) return out;
  for (const auto& a : list) out.push_back({text_of(a, "name"), text_of(a, "address")});
  return out;
}

std::vector<MailAddress> addresses_of_text(const std::string& column_text) {
  return addresses_of(json::parse(column_text.empty() ? "[]" : column_text, nullptr, false));
}

// {{contact.first_name}} → its value; an unknown field stays as written, so that a typo shows.
std::string merge_fields(const std::string& text, const json& values) {
  static const std::regex field(R"(\{\{\s*([a-z_]+(?:\.[a-z_]+)?)\s*\}\})");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), field);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    out.append(text, last, size_t(m.position()) - last);
    auto v = values.find(m[1].str());
    out += v != values.end() ? v->get<std::string>() : m.str();
    last = size_t(m.position() + m.length());
  }
  out.append(text, last, std::string::npos);
  return out;
}

// The values merge fields read for a contact, its company, the user and the mailbox.
json merge_values(Connection& c, const domain::Actor& actor, std::optional<int64_t> contact_id, const json* mailbox) {
  json v = json::object();
  v["user.name"] = actor.name;
  v["user.email"] = actor.email;
  v["signature"] = mailbox ? text_of(*mailbox, "signature") : "";
  if (contact_id) {
    json contact = domain::RecordService::load_visible(c, actor, domain::entity("contacts"), *contact_id);
    for (const char* f : {"first_name", "last_name", "city", "job_title", "civility"})
      v[std::string("contact.") + f] = text_of(contact, f);
    v["contact.email"] = contact["emails"].is_array() && !contact["emails"].empty() ? contact["emails"][0].get<std::string>() : "";
    v["account.name"] = "";
    if (contact["account_id"].is_number_integer()) {
      auto rows = c.query("SELECT name FROM accounts WHERE id = ?", {contact["account_id"]});
      if (!rows.empty()) v["account.name"] = text_of(rows[0], "name");
    }
  }
  return v;
}

std::string with_prefix(const std::string& prefix, const std::string& subject) {
  if (subject.size() >= prefix.size() && strncasecmp(subject.c_str(), prefix.c_str(), prefix.size()) == 0) return subject;
  return prefix + " " + subject;
}

}  // namespace

json EmailService::render_template(const domain::Actor& actor, int64_t template_id, std::optional<int64_t> contact_id,
                                   std::optional<int64_t> mailbox_id) {
  return store::with_transaction(db_, false, [&](Connection& c) {
    json t = domain::RecordService::load_visible(c, actor, domain::entity("email_templates"), template_id);
    std::optional<json> mailbox = mailbox_id ? EmailStore::mailbox(c, *mailbox_id) : std::nullopt;
    json values = merge_values(c, actor, contact_id, mailbox ? &*mailbox : nullptr);
    return json{{"subject", merge_fields(text_of(t, "subject"), values)},
                {"body", merge_fields(text_of(t, "body"), values)},
                {"marketing", text_of(t, "purpose") == "marketing"}};
  });
}

json EmailService::queue_send(const domain::Actor& actor, SendRequest r, domain::JobQueue& queue,
                              const std::string& public_base_url) {
  const int64_t email_id = store::with_transaction(db_, true, [&](Connection& c) -> int64_t {
    FieldErrors errors;
    auto mailbox = EmailStore::mailbox(c, r.mailbox_id);
    if (!mailbox) throw Problem(ProblemKind::Unprocessable, tr("this mailbox does not exist"), {{"mailbox_id", tr("this mailbox does not exist")}});
    if (!may_use_mailbox(actor, *mailbox))
      throw Problem(ProblemKind::Forbidden, tr("this personal mailbox is another user's: send from yours or a shared one"));
    if ((*mailbox)["active"].get<int64_t>() == 0 || text_of(*mailbox, "smtp_url").empty())
      throw Problem(ProblemKind::Unprocessable, tr("this mailbox cannot send: give it an SMTP server and activate it"),
                    {{"mailbox_id", tr("this mailbox cannot send: give it an SMTP server and activate it")}});

    EmailRow row;
    std::vector<MailAttachment> attachments = std::move(r.attachments);
    // A reply or a forward takes its recipients, subject and thread from the message it answers.
    std::optional<json> parent;
    if (r.reply_to_email || r.forward_email) {
      const int64_t pid = r.reply_to_email ? *r.reply_to_email : *r.forward_email;
      parent = EmailStore::email(c, pid);
      if (!parent || !may_read(c, actor, *parent)) throw Problem(ProblemKind::NotFound, tr("no such message"));
      row.thread_id = (*parent)["thread_id"].get<int64_t>();
    }
    if (parent && r.reply_to_email) {
      const bool parent_inbound = text_of(*parent, "direction") == "inbound";
      if (r.to.empty()) {
        if (parent_inbound) r.to = text_of(*parent, "from_address");
        else for (const auto& a : addresses_of_text(text_of(*parent, "to_json"))) r.to += (r.to.empty() ? "" : ", ") + a.address;
      }
      if (r.reply_all && r.cc.empty()) {
        const std::string own = address_key(text_of(*mailbox, "address"));
        std::vector<MailAddress> others = addresses_of_text(text_of(*parent, "cc_json"));
        if (parent_inbound)
          for (const auto& a : addresses_of_text(text_of(*parent, "to_json"))) others.push_back(a);
        for (const auto& a : others)
          if (address_key(a.address) != own && r.to.find(a.address) == std::string::npos) r.cc += (r.cc.empty() ? "" : ", ") + a.address;
      }
      if (r.subject.empty()) r.subject = with_prefix("Re:", text_of(*parent, "subject"));
      row.in_reply_to = text_of(*parent, "message_id");
      json refs = json::parse(text_of(*parent, "references_json").empty() ? "[]" : text_of(*parent, "references_json"), nullptr, false);
      if (!refs.is_array()) refs = json::array();
      refs.push_back(row.in_reply_to);
      row.references_json = refs.dump();
    }
    if (parent && r.forward_email) {
      if (r.subject.empty()) r.subject = with_prefix("Fwd:", text_of(*parent, "subject"));
      r.body += "\n\n---------- Message transféré ----------\nDe : " + text_of(*parent, "from_name") + " <" +
                text_of(*parent, "from_address") + ">\nDate : " + text_of(*parent, "sent_at") + "\nObjet : " + text_of(*parent, "subject") +
                "\n\n" + text_of(*parent, "text_body");
      for (const auto& a : EmailStore::attachments(c, (*parent)["id"].get<int64_t>()))
        if (auto full = EmailStore::attachment(c, (*parent)["id"].get<int64_t>(), a["position"].get<int64_t>()))
          if (!full->truncated) attachments.push_back(*full);
    }

    // Recipients, checked one by one.
    auto recipients = [&](const std::string& text, const char* field) {
      std::vector<MailAddress> list = parse_address_list(text);
      for (const auto& a : list)
        if (auto why = validate::email(a.address)) errors.add(field, tr("{address} {problem}", {{"address", a.address}, {"problem", tr(*why)}}));
      return list;
    };
    std::vector<MailAddress> to = recipients(r.to, "to"), cc = recipients(r.cc, "cc"), bcc = recipients(r.bcc, "bcc");
    if (to.empty() && !r.to.empty() && errors.empty()) errors.add("to", tr("no e-mail address could be read here"));
    if (to.empty() && r.to.empty()) errors.add("to", tr("is required: at least one recipient"));
    std::vector<MailAddress> everyone = to;
    everyone.insert(everyone.end(), cc.begin(), cc.end());
    everyone.insert(everyone.end(), bcc.begin(), bcc.end());

    // The contacts on the timeline of which it goes, and whose merge fields a template reads.
    std::vector<json> contacts;
    for (const auto& a : everyone)
      for (auto& ct : EmailStore::contacts_with_address(c, address_key(a.address)))
        if (std::none_of(contacts.begin(), contacts.end(), [&](const json& x) { return x["id"] == ct["id"]; }))
          contacts.push_back(ct);
    if (!r.contact_id && !contacts.empty()) r.contact_id = contacts.front()["id"].get<int64_t>();
    if (r.contact_id) {
      // Sent from a contact's page: that contact first on the timeline.
      domain::RecordService::load_visible(c, actor, domain::entity("contacts"), *r.contact_id);
      std::erase_if(contacts, [&](const json& x) { return x["id"].get<int64_t>() == *r.contact_id; });
      auto rows = c.query("SELECT id, owner_id, account_id FROM contacts WHERE id = ?", {*r.contact_id});
      if (!rows.empty()) contacts.insert(contacts.begin(), rows[0]);
    }
    if (r.template_id) {
      json values = merge_values(c, actor, r.contact_id, &*mailbox);
      json t = domain::RecordService::load_visible(c, actor, domain::entity("email_templates"), *r.template_id);
      if (r.subject.empty()) r.subject = merge_fields(text_of(t, "subject"), values);
      if (r.body.empty()) r.body = merge_fields(text_of(t, "body"), values);
      if (text_of(t, "purpose") == "marketing") r.marketing = true;
    }
    if (r.subject.empty()) errors.add("subject", tr("is required"));
    const std::string signature = text_of(*mailbox, "signature");
    if (!signature.empty() && r.body.find(signature) == std::string::npos) r.body += "\n\n-- \n" + signature;

    // An address that bounced is not written to again; marketing needs the contact's consent.
    for (const auto& a : everyone) {
      if (auto st = EmailStore::address_status(c, address_key(a.address)); st && text_of(*st, "status") == "bounced")
        errors.add("to",
                   tr("{address} was refused by its mail server on {date} ({reason}): correct the address first",
                      {{"address", a.address}, {"date", text_of(*st, "changed_at").substr(0, 10)}, {"reason", text_of(*st, "reason")}}));
    }
    json headers = json::array();
    if (r.marketing) {
      if (everyone.size() != 1) errors.add("to", tr("a marketing message goes to one recipient at a time"));
      else {
        auto owners = EmailStore::contacts_with_address(c, address_key(everyone[0].address));
        bool granted = false;
        int64_t contact_for_link = 0;
        for (const auto& o : owners) {
          auto rows = c.query("SELECT consent FROM contacts WHERE id = ?", {o["id"]});
          json consent = rows.empty() || !rows[0]["consent"].is_string() ? json() : json::parse(rows[0]["consent"].get<std::string>(), nullptr, false);
          if (consent.is_object() && consent.contains("email") && consent["email"].value("status", "") == "granted") {
            granted = true;
            contact_for_link = o["id"].get<int64_t>();
          }
        }
        if (!granted)
          errors.add("to", tr("{address} has not agreed to receive marketing e-mails (consent for e-mail not granted)",
                              {{"address", everyone[0].address}}));
        else {
          const std::string link = public_base_url + "/unsubscribe/" + unsubscribe_token(contact_for_link, everyone[0].address);
          headers.push_back({"List-Unsubscribe", "<" + link + ">"});
          headers.push_back({"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"});
          r.body += "\n\nPour ne plus recevoir nos e-mails : " + link;
        }
      }
    }
    errors.throw_if_any();

    // Written once now, so that a header injection or a bad address is refused before anything is stored.
    OutgoingMessage out;
    out.from = {text_of(*mailbox, "kind") == "personal" ? actor.name : text_of(*mailbox, "name"), text_of(*mailbox, "address")};
    out.to = to; out.cc = cc; out.bcc = bcc;
    out.subject = r.subject;
    out.text = r.body;
    out.message_id = new_message_id(domain_of(out.from.address));
    out.in_reply_to = row.in_reply_to;
    for (const auto& ref : json::parse(row.references_json)) out.references.push_back(ref.get<std::string>());
    out.attachments = attachments;
    for (const auto& h : headers) out.extra_headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    write_message(out);

    const std::string now = clock::now_utc();
    row.message_id = out.message_id;
    row.mailbox_id = r.mailbox_id;
    row.direction = "outbound";
    row.from_address = out.from.address;
    row.from_name = out.from.name;
    row.to_json = addresses_json(to).dump();
    row.cc_json = addresses_json(cc).dump();
    row.bcc_json = addresses_json(bcc).dump();
    row.subject = r.subject;
    row.sent_at = now;
    row.text_body = r.body;
    row.status = "queued";
    row.marketing = r.marketing;
    if (actor.user_id) row.user_id = actor.user_id;  // 0: the system (a confirmation, a digest)
    row.headers_json = headers.dump();
    row.is_private = text_of(*mailbox, "kind") == "personal" && mailbox->value("private_by_default", 0) != 0;
    row.now = now;
    const int64_t id = EmailStore::insert_email(c, row);
    if (!row.thread_id) EmailStore::set_thread(c, id, id);
    int64_t position = 0;
    for (const auto& a : attachments) EmailStore::insert_attachment(c, id, ++position, a);
    if (!contacts.empty()) {
      create_interaction(c, id, row, contacts);
    }
    return id;
  });
  domain::EnqueueOptions o;
  o.max_attempts = 5;
  o.created_by = actor.user_id;
  o.unique_key = "email_send:" + std::to_string(email_id);
  queue.enqueue("email_send", {{"email_id", email_id}}, o);
  return *message(actor, email_id);
}

void EmailService::send_now(int64_t email_id, bool last_attempt) {
  auto [row, mailbox, smtp, imap, attachments] = store::with_transaction(db_, false, [&](Connection& c) {
    auto e = EmailStore::email(c, email_id);
    if (!e) throw domain::PermanentJobError("message " + std::to_string(email_id) + " is gone");
    auto m = EmailStore::mailbox(c, (*e)["mailbox_id"].is_number_integer() ? (*e)["mailbox_id"].get<int64_t>() : 0);
    if (!m) throw domain::PermanentJobError("the mailbox of message " + std::to_string(email_id) + " is gone");
    std::vector<MailAttachment> list;
    for (const auto& a : EmailStore::attachments(c, email_id))
      if (auto full = EmailStore::attachment(c, email_id, a["position"].get<int64_t>())) list.push_back(*full);
    return std::tuple{*e, *m, mailbox_server(db_, c, *m, "smtp_url"), mailbox_server(db_, c, *m, "imap_url"), list};
  });
  if (text_of(row, "status") != "queued") return;  // sent already (a job run twice)
  OutgoingMessage out;
  out.from = {text_of(row, "from_name"), text_of(row, "from_address")};
  out.to = addresses_of_text(text_of(row, "to_json"));
  out.cc = addresses_of_text(text_of(row, "cc_json"));
  out.bcc = addresses_of_text(text_of(row, "bcc_json"));
  out.subject = text_of(row, "subject");
  out.text = text_of(row, "text_body");
  out.message_id = text_of(row, "message_id");
  out.in_reply_to = text_of(row, "in_reply_to");
  for (const auto& ref : json::parse(text_of(row, "references_json").empty() ? "[]" : text_of(row, "references_json")))
    out.references.push_back(ref.get<std::string>());
  for (const auto& h : json::parse(text_of(row, "headers_json").empty() ? "[]" : text_of(row, "headers_json")))
    out.extra_headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  out.attachments = attachments;
  if (auto t = clock::parse_utc(text_of(row, "sent_at"))) out.date = *t;
  const std::string raw = write_message(out);
  Envelope envelope{out.from.address, {}};
  for (const auto* list : {&out.to, &out.cc, &out.bcc})
    for (const auto& a : *list) envelope.recipients.push_back(a.address);

  auto fail = [&](const std::string& error) {
    store::with_transaction(db_, true, [&](Connection& c) {
      const std::string now = clock::now_utc();
      EmailStore::set_status(c, email_id, "failed", error, now);
      if (row["user_id"].is_number_integer())
        store::NotificationStore::insert(c, row["user_id"].get<int64_t>(), "email_failed", "E-mail non envoyé",
                                         "Le message « " + text_of(row, "subject") + " » n'a pas pu être envoyé : " + error,
                                         "interactions",
                                         row["interaction_id"].is_number_integer() ? row["interaction_id"].get<int64_t>() : 0, now);
      return 0;
    });
  };
  try {
    smtp_send(smtp, envelope, raw);
  } catch (const MailError& e) {
    const std::string error = e.message().french();
    if (e.permanent || last_attempt) {
      fail(error);
      throw domain::PermanentJobError(e.what());
    }
    store::with_transaction(db_, true, [&](Connection& c) {
      c.execute("UPDATE email_messages SET attempts = attempts + 1, error = ? WHERE id = ?", {error, email_id});
      return 0;
    });
    throw;
  }
  // Sent. The copy in the Sent folder is a convenience: its failure is noted, the message stays sent.
  std::string note;
  const std::string sent_folder = text_of(mailbox, "sent_folder");
  if (!imap.url.empty() && !sent_folder.empty()) {
    try {
      ImapClient(imap).append(sent_folder, raw, true);
    } catch (const MailError& e) {
      note = "Envoyé, mais la copie dans le dossier « " + sent_folder + " » a échoué : " + e.message().french();
    }
  }
  store::with_transaction(db_, true, [&](Connection& c) {
    EmailStore::set_status(c, email_id, "sent", note, clock::now_utc());
    return 0;
  });
}

namespace {

// A signed link's token: "contact id:address" for one purpose (unsubscribe, opt-in), with an
// HMAC of the server key; nothing is stored.
std::string sign(const std::string& key, const std::string& purpose, const std::string& payload) {
  return crypto::base64url_encode(payload) + "." + crypto::hmac_hex(key, purpose + ":" + payload).substr(0, 32);
}

std::optional<std::pair<int64_t, std::string>> verify(const std::string& key, const std::string& purpose, const std::string& token) {
  const auto dot = token.find('.');
  if (dot == std::string::npos) return std::nullopt;
  auto payload = crypto::base64url_decode(token.substr(0, dot));
  if (!payload) return std::nullopt;
  if (!crypto::equal_constant_time(crypto::hmac_hex(key, purpose + ":" + *payload).substr(0, 32), token.substr(dot + 1)))
    return std::nullopt;
  const auto colon = payload->find(':');
  if (colon == std::string::npos) return std::nullopt;
  try {
    return std::pair{std::stoll(payload->substr(0, colon)), payload->substr(colon + 1)};
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

std::string EmailService::signed_token(const std::string& purpose, int64_t contact_id, const std::string& address) const {
  return sign(server_key(db_), purpose, std::to_string(contact_id) + ":" + address_key(address));
}

std::optional<std::pair<int64_t, std::string>> EmailService::verify_token(const std::string& purpose, const std::string& token) const {
  return verify(server_key(db_), purpose, token);
}

std::string EmailService::unsubscribe_token(int64_t contact_id, const std::string& address) const {
  return signed_token("unsubscribe", contact_id, address);
}

bool EmailService::unsubscribe_token_valid(const std::string& token) const { return verify_token("unsubscribe", token).has_value(); }

bool EmailService::set_email_consent(const std::string& purpose, const std::string& token, const std::string& status,
                                     const std::string& origin, std::string* address_out) {
  auto signed_by_us = verify_token(purpose, token);
  if (!signed_by_us) return false;
  const auto& [contact_id, address] = *signed_by_us;
  if (address_out) *address_out = address;
  return store::with_transaction(db_, true, [&](Connection& c) {
    auto rows = c.query("SELECT consent FROM contacts WHERE id = ?", {contact_id});
    if (rows.empty()) return true;  // the contact is gone: nothing more will be sent to it
    json consent = rows[0]["consent"].is_string() ? json::parse(rows[0]["consent"].get<std::string>(), nullptr, false) : json();
    if (!consent.is_object()) consent = json::object();
    if (consent.contains("email") && consent["email"].value("status", "") == status) return true;  // said already
    consent["email"] = {{"status", status}, {"origin", origin}, {"date", clock::now_utc()}};
    domain::RecordService::update_in(c, domain::system_actor(), domain::entity("contacts"), contact_id, {{"consent", consent}},
                                     std::nullopt, false);
    return true;
  });
}

bool EmailService::unsubscribe(const std::string& token, std::string* address_out) {
  return set_email_consent("unsubscribe", token, "denied", "unsubscribe link", address_out);
}

bool EmailService::confirm_optin(const std::string& token, std::string* address_out) {
  return set_email_consent("optin", token, "granted", "double opt-in", address_out);
}

std::optional<int64_t> EmailService::notification_mailbox() {
  return store::with_transaction(db_, false, [](Connection& c) -> std::optional<int64_t> {
    auto rows = c.query("SELECT id FROM mailboxes WHERE sends_notifications = 1 AND active = 1 AND smtp_url IS NOT NULL ORDER BY id LIMIT 1");
    if (rows.empty()) return std::nullopt;
    return rows[0]["id"].get<int64_t>();
  });
}

bool EmailService::send_optin_request(int64_t contact_id, const std::string& address, const std::string& form_name,
                                      domain::JobQueue& queue, const std::string& public_base_url) {
  auto mailbox = notification_mailbox();
  if (!mailbox) return false;
  SendRequest r;
  r.mailbox_id = *mailbox;
  r.to = address;
  r.contact_id = contact_id;
  r.subject = "Confirmez votre inscription";
  r.body = "Bonjour,\n\nVous avez demandé à recevoir nos informations par e-mail (formulaire « " + form_name +
           " »). Pour le confirmer, ouvrez ce lien :\n\n" + public_base_url + "/confirm/" + signed_token("optin", contact_id, address) +
           "\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : vous ne recevrez rien de plus.";
  queue_send(domain::system_actor(), std::move(r), queue, public_base_url);
  return true;
}

}  // namespace gz::modules::email
