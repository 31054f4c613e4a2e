// Interventions (docs/service.md, "Interventions"): the appointment is an entity whose rules keep
// a technician's day free of overlaps and of far-apart places (rules.cpp); here the invitation the
// customer receives — an iCalendar REQUEST, or a CANCEL with the same UID and a higher SEQUENCE —
// and the technician's report that closes it.
#include "core/clock.h"
#include "core/json_text.h"
#include "core/message.h"
#include "domain/jobs.h"
#include "domain/records.h"
#include "modules/email/email_service.h"
#include "modules/service/icalendar.h"
#include "modules/service/service.h"
#include "modules/service/vocabulary.h"
#include "modules/settings/company_settings.h"

namespace gz::modules::service {

json send_invitation(store::Database& db, domain::JobQueue& queue, int64_t intervention_id, int64_t sequence) {
  struct Plan {
    json row;
    std::string to, to_name, organizer_name, organizer_email, company;
    std::optional<int64_t> mailbox;
  };
  Plan p = store::with_transaction(db, false, [&](store::Connection& c) {
    Plan p;
    p.row = c.query_one("SELECT i.*, u.name AS technician_name FROM interventions i JOIN users u ON u.id = i.technician_id WHERE i.id = ?",
                        {intervention_id});
    if (p.row.is_null()) return p;
    json ct = c.query_one("SELECT first_name, last_name, emails FROM contacts WHERE id = ?", {p.row["contact_id"]});
    if (!ct.is_null()) {
      json emails = json::parse(text_of(ct, "emails", "[]"), nullptr, false);
      if (emails.is_array() && !emails.empty() && emails[0].is_string()) p.to = emails[0].get<std::string>();
      p.to_name = text_of(ct, "first_name") + (text_of(ct, "first_name").empty() ? "" : " ") + text_of(ct, "last_name");
    }
    json m = c.query_one("SELECT id, name, address FROM mailboxes WHERE active = 1 AND (opens_cases = 1 OR sends_notifications = 1) "
                         "ORDER BY opens_cases DESC, id LIMIT 1");
    if (!m.is_null()) {
      p.mailbox = m["id"].get<int64_t>();
      p.organizer_name = text_of(m, "name");
      p.organizer_email = text_of(m, "address");
    }
    json co = c.query_one("SELECT company_name FROM company_settings WHERE id = 1");
    p.company = co.is_null() ? "" : text_of(co, "company_name");
    return p;
  });
  if (p.row.is_null()) return {{"sent", false}, {"reason", "no such intervention"}};
  // A newer change superseded this invitation: its own job sends the current one.
  if (p.row["ical_sequence"].is_number_integer() && p.row["ical_sequence"].get<int64_t>() != sequence)
    return {{"sent", false}, {"reason", "superseded"}};
  auto mark = [&](const std::string& status) {
    store::with_transaction(db, true, [&](store::Connection& c) {
      c.execute("UPDATE interventions SET invitation_status = ?, invitation_sent_at = ? WHERE id = ?",
                {status, status == "sent" || status == "cancel_sent" ? json(clock::now_utc()) : json(), intervention_id});
    });
  };
  if (p.to.empty()) {
    mark("no_address");
    return {{"sent", false}, {"reason", "the contact has no e-mail address"}};
  }
  if (!p.mailbox) {
    mark("no_mailbox");
    return {{"sent", false}, {"reason", "no mailbox sends automatic messages"}};
  }
  const bool cancel = text_of(p.row, "status") == "cancelled";
  Invitation inv;
  inv.uid = text_of(p.row, "ical_uid");
  inv.sequence = static_cast<int>(sequence);
  inv.starts_at = clock::parse_utc(text_of(p.row, "starts_at")).value_or(0);
  inv.ends_at = clock::parse_utc(text_of(p.row, "ends_at")).value_or(0);
  inv.stamp = clock::now_unix();
  inv.summary = text_of(p.row, "title");
  inv.description = "Intervention de " + text_of(p.row, "technician_name") + (p.company.empty() ? "" : " (" + p.company + ")") + ".";
  std::string where = text_of(p.row, "address");
  for (const char* k : {"postal_code", "city"})
    if (!text_of(p.row, k).empty()) where += (where.empty() ? "" : std::string(k) == "city" ? " " : ", ") + text_of(p.row, k);
  inv.location = where;
  inv.organizer_name = p.organizer_name;
  inv.organizer_email = p.organizer_email;
  inv.attendee_name = p.to_name;
  inv.attendee_email = p.to;
  inv.method = cancel ? Invitation::Method::Cancel : Invitation::Method::Request;
  const std::string ics = icalendar(inv);
  // The dates in the text as the customer reads them: local, in French.
  const std::string local = store::with_transaction(db, false, [&](store::Connection& c) {
    zoned::Zone z = settings::company_zone(c);
    std::string s = z.local_date_time(inv.starts_at), e = z.local_date_time(inv.ends_at);
    return s.substr(8, 2) + "/" + s.substr(5, 2) + "/" + s.substr(0, 4) + " de " + s.substr(11, 5) + " à " + e.substr(11, 5);
  });
  email::SendRequest r;
  r.mailbox_id = *p.mailbox;
  r.to = p.to;
  if (p.row["contact_id"].is_number_integer()) r.contact_id = p.row["contact_id"].get<int64_t>();
  r.subject = (cancel ? "Annulation : " : sequence > 0 ? "Modification : " : "Rendez-vous : ") + inv.summary + " le " + local;
  r.body = "Bonjour" + (p.to_name.empty() ? std::string() : " " + p.to_name) + ",\n\n" +
           (cancel ? "Le rendez-vous suivant est annulé :\n\n" : sequence > 0 ? "Le rendez-vous est modifié :\n\n" : "Votre rendez-vous est confirmé :\n\n") +
           inv.summary + "\nLe " + local + (where.empty() ? "" : "\nAdresse : " + where) + "\nTechnicien : " + text_of(p.row, "technician_name") +
           "\n\nL'invitation jointe s'ajoute à votre agenda.\n\nCordialement,\nLe service client";
  email::MailAttachment att;
  att.filename = cancel ? "annulation.ics" : "invitation.ics";
  att.content_type = std::string("text/calendar; charset=UTF-8; method=") + icalendar_method(inv);
  att.data = ics;
  r.attachments.push_back(att);
  email::EmailService(db).queue_send(domain::system_actor(), r, queue, "");
  mark(cancel ? "cancel_sent" : "sent");
  return {{"sent", true}, {"method", icalendar_method(inv)}, {"sequence", sequence}};
}

json report_intervention(store::Database& db, const domain::Actor& actor, int64_t id, const json& body) {
  FieldErrors errors;
  const std::string report = text_of(body, "report");
  const std::string outcome = text_of(body, "outcome", "done");
  if (report.find_first_not_of(" \t\r\n") == std::string::npos) errors.add("report", tr("write what was done"));
  if (outcome != "done" && outcome != "no_show") errors.add("outcome", tr("must be done or no_show"));
  errors.throw_if_any();
  return store::with_transaction(db, true, [&](store::Connection& c) {
    const kernel::Entity& e = kernel::entity("interventions");
    json before = domain::RecordService::load_visible(c, actor, e, id);
    if (text_of(before, "status") == "cancelled")
      throw Problem(ProblemKind::Conflict, tr("this intervention was cancelled"));
    json rec = domain::RecordService::update_in(c, actor, e, id, {{"status", outcome}, {"report", report}}, std::nullopt, false);
    // A visit made is a meeting on the customer's timeline: the profitability analysis counts it
    // at the meeting channel's cost, as every reply and call of the desk at its channel's.
    if (outcome == "done" && (rec["contact_id"].is_number_integer() || rec["account_id"].is_number_integer())) {
      const int64_t seconds = (clock::parse_utc(text_of(rec, "ends_at")).value_or(0) - clock::parse_utc(text_of(rec, "starts_at")).value_or(0));
      json in = {{"channel", "meeting"}, {"direction", "outbound"}, {"subject", "Intervention : " + text_of(rec, "title")},
                 {"content", report}, {"occurred_at", rec["starts_at"]}, {"duration_seconds", seconds}, {"commercial", false},
                 {"user_id", rec["technician_id"]}};
      for (const char* k : {"contact_id", "account_id"})
        if (rec[k].is_number_integer()) in[k] = rec[k];
      domain::RecordService::create_in(c, domain::system_actor(), kernel::entity("interactions"), in);
    }
    if (body.value("solve_case", false) && rec["case_id"].is_number_integer()) {
      json cs = visible_case(c, actor, rec["case_id"].get<int64_t>());
      if (is_open_status(text_of(cs, "status")))
        domain::RecordService::update_in(c, actor, kernel::entity("cases"), rec["case_id"].get<int64_t>(), {{"status", "solved"}},
                                         std::nullopt, false);
    }
    return domain::RecordService::load_visible(c, actor, e, id);
  });
}

}  // namespace gz::modules::service
