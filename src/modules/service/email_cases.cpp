// E-mail cases (docs/service.md, "E-mail"): a message received by a mailbox that opens cases
// becomes a case, or a step of the case whose thread it continues (In-Reply-To / References, or
// the case number [SAV-2026-00012] kept in the subject of our replies). A reply to a case solved
// less than the reopening delay ago reopens it; to a closed case, or one solved longer ago, it
// opens a new case linked to the old one. Runs in the e-mail ingest's transaction.
#include <regex>

#include "core/clock.h"
#include "core/json_text.h"
#include "domain/records.h"
#include "modules/service/service.h"

namespace gz::modules::service {

namespace {

int64_t id_of(const json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

std::string clipped(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + " …";
}

}  // namespace

void on_email_stored(store::Connection& c, int64_t email_id) {
  json m = c.query_one(
      "SELECT em.id, em.mailbox_id, em.direction, em.kind, em.thread_id, em.subject, em.text_body, em.sent_at, em.interaction_id, "
      "mb.opens_cases FROM email_messages em LEFT JOIN mailboxes mb ON mb.id = em.mailbox_id WHERE em.id = ?",
      {email_id});
  if (m.is_null() || id_of(m["opens_cases"]) != 1 || text_of(m, "direction") != "inbound" || text_of(m, "kind") == "auto_reply") return;
  json contact;
  if (m["interaction_id"].is_number_integer())
    contact = c.query_one("SELECT contact_id, account_id FROM interactions WHERE id = ?", {m["interaction_id"]});
  // The case it continues: its thread, else the number in its subject.
  json cs;
  if (m["thread_id"].is_number_integer())
    cs = c.query_one("SELECT cs.* FROM case_threads t JOIN cases cs ON cs.id = t.case_id WHERE t.thread_id = ?", {m["thread_id"]});
  std::smatch tag;
  const std::string subject = text_of(m, "subject");
  if (cs.is_null() && std::regex_search(subject, tag, std::regex(R"(\[(SAV-\d{4}-\d{5})\])")))
    cs = c.query_one("SELECT * FROM cases WHERE number = ?", {tag[1].str()});
  while (!cs.is_null() && cs["merged_into_id"].is_number_integer())  // a merged case's replies go where it went
    cs = c.query_one("SELECT * FROM cases WHERE id = ?", {cs["merged_into_id"]});
  const domain::Actor system = domain::system_actor();
  const std::string body = clipped(text_of(m, "text_body"), 20000);
  bool new_case = cs.is_null();
  json parent;
  if (!cs.is_null()) {
    const std::string status = text_of(cs, "status");
    json st = c.query_one("SELECT reopen_days FROM service_settings WHERE id = 1");
    const int64_t days = st.is_null() ? 7 : id_of(st["reopen_days"]);
    const auto solved = clock::parse_utc(text_of(cs, "solved_at"));
    const bool too_late = status == "closed" || (status == "solved" && solved && clock::now_unix() - *solved > days * 86400);
    if (too_late) {
      parent = cs;
      new_case = true;
    }
  }
  if (new_case) {
    json in = {{"subject", subject.empty() ? std::string("(sans objet)") : clipped(subject, 190)}, {"description", body},
               {"channel", "email"}, {"type", "assistance"}};
    if (!contact.is_null()) {
      if (contact["contact_id"].is_number_integer()) in["contact_id"] = contact["contact_id"];
      if (contact["account_id"].is_number_integer()) in["account_id"] = contact["account_id"];
    }
    if (!parent.is_null()) {
      in["parent_case_id"] = parent["id"];
      for (const char* k : {"contact_id", "account_id", "category_id"})
        if (!in.contains(k) && parent[k].is_number_integer()) in[k] = parent[k];
    }
    cs = domain::RecordService::create_in(c, system, kernel::entity("cases"), in);
    if (m["thread_id"].is_number_integer()) {
      if (c.execute("UPDATE case_threads SET case_id = ? WHERE thread_id = ?", {cs["id"], m["thread_id"]}) == 0)
        c.execute("INSERT INTO case_threads (thread_id, case_id) VALUES (?, ?)", {m["thread_id"], cs["id"]});
    }
  }
  const int64_t case_id = cs["id"].get<int64_t>();
  json data = {{"body", body}, {"channel", "email"}, {"email_id", email_id}, {"subject", subject}};
  if (m["interaction_id"].is_number_integer()) data["interaction_id"] = m["interaction_id"];
  // Received now; a new case's first message is the request it was opened with.
  record_case_event(c, case_id, "customer_message", std::nullopt, data,
                    new_case ? std::optional<std::string>(text_of(cs, "created_at")) : std::nullopt);
  if (!new_case) {
    const std::string status = text_of(cs, "status");
    if (status == "solved") domain::RecordService::update_in(c, system, kernel::entity("cases"), case_id, {{"status", "reopened"}}, std::nullopt, false);
    else if (status == "waiting_customer")
      domain::RecordService::update_in(c, system, kernel::entity("cases"), case_id, {{"status", "open"}}, std::nullopt, false);
  }
  refresh_case_sla(c, case_id, clock::now_unix());
}

}  // namespace gz::modules::service
