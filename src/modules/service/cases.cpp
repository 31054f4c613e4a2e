// Cases: their history (case_events), the replay of that history into service levels, replies,
// notes, the customer's messages, merges and call-script answers (docs/service.md).
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/json_text.h"
#include "core/message.h"
#include "core/text.h"
#include "domain/jobs.h"
#include "domain/records.h"
#include "modules/email/email_service.h"
#include "modules/customers/vocabulary.h"
#include "modules/service/service.h"
#include "modules/service/vocabulary.h"

namespace gz::modules::service {

namespace {

int64_t id_of(const json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

std::optional<int64_t> instant(const json& v) {
  return v.is_string() ? clock::parse_utc(v.get<std::string>()) : std::nullopt;
}

json utc_or_null(const std::optional<int64_t>& t) { return t ? json(clock::format_utc(*t)) : json(); }

// A calendar open round the clock, for a policy without one.
const CalendarSpec& round_the_clock() {
  static const CalendarSpec spec = [] {
    CalendarSpec s;
    s.time_zone = "UTC";
    s.french_holidays = false;
    for (int d = 1; d <= 7; ++d) s.week[d] = {{0, 1440}};
    return s;
  }();
  return spec;
}

// The policies that apply to a case: every active one whose tier, priority and channel match
// (an empty criterion matches all); none matching, the default ones.
std::vector<json> applicable_policies(store::Connection& c, const json& case_row, const std::optional<std::string>& tier) {
  const std::string priority = text_of(case_row, "priority"), channel = text_of(case_row, "channel");
  std::vector<json> matching, defaults;
  for (auto& p : c.query("SELECT * FROM sla_policies WHERE active = 1 ORDER BY id")) {
    if (id_of(p["is_default"]) == 1) {  // only for a case no other policy matches
      defaults.push_back(p);
      continue;
    }
    const std::string pt = text_of(p, "tier"), pp = text_of(p, "priority"), pc = text_of(p, "channel");
    const bool tier_ok = pt.empty() || (tier ? pt == *tier : pt == "none");
    if (tier_ok && (pp.empty() || pp == priority) && (pc.empty() || pc == channel)) matching.push_back(p);
  }
  if (matching.empty()) return defaults;
  return matching;
}

EventKind kind_of(const std::string& k) {
  if (k == "reply") return EventKind::AgentReply;
  if (k == "customer_message") return EventKind::CustomerMessage;
  if (k == "note") return EventKind::InternalNote;
  if (k == "status") return EventKind::StatusChange;
  return EventKind::Created;
}

const char* metric_key(int i) { return i == 0 ? "first_response" : i == 1 ? "next_response" : "resolution"; }

}  // namespace

std::optional<int> parse_hhmm(const std::string& t) {
  if (t.size() != 5 || t[2] != ':' || !isdigit((unsigned char)t[0]) || !isdigit((unsigned char)t[1]) ||
      !isdigit((unsigned char)t[3]) || !isdigit((unsigned char)t[4]))
    return std::nullopt;
  const int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::optional<CalendarSpec> load_calendar(store::Connection& c, int64_t calendar_id) {
  json cal = c.query_one("SELECT time_zone, french_holidays FROM business_calendars WHERE id = ?", {calendar_id});
  if (cal.is_null()) return std::nullopt;
  CalendarSpec spec;
  spec.time_zone = text_of(cal, "time_zone");
  spec.french_holidays = id_of(cal["french_holidays"]) == 1;
  for (const auto& r : c.query("SELECT weekday, starts, ends FROM calendar_ranges WHERE calendar_id = ? ORDER BY position",
                               {calendar_id})) {
    const int day = std::atoi(text_of(r, "weekday").c_str());
    auto s = parse_hhmm(text_of(r, "starts")), e = parse_hhmm(text_of(r, "ends"));
    if (day >= 1 && day <= 7 && s && e && *s < *e) spec.week[day].push_back({*s, *e});
  }
  for (auto& d : spec.week) std::sort(d.begin(), d.end(), [](auto& a, auto& b) { return a.start < b.start; });
  for (const auto& r : c.query("SELECT day FROM calendar_closures WHERE calendar_id = ?", {calendar_id}))
    spec.closed_dates.insert(text_of(r, "day"));
  return spec;
}

std::optional<std::string> case_tier(store::Connection& c, const json& row) {
  if (!text_of(row, "tier_override").empty()) return text_of(row, "tier_override");
  if (row.value("account_id", json()).is_number_integer()) {
    json a = c.query_one("SELECT tier, value_tier FROM accounts WHERE id = ?", {row["account_id"]});
    if (!a.is_null() && !text_of(a, "tier").empty()) return text_of(a, "tier");
  }
  if (row.value("contact_id", json()).is_number_integer()) {
    json p = c.query_one("SELECT value_tier FROM contacts WHERE id = ?", {row["contact_id"]});
    if (!p.is_null() && !text_of(p, "value_tier").empty()) return text_of(p, "value_tier");
  }
  if (row.value("account_id", json()).is_number_integer()) {
    json a = c.query_one("SELECT value_tier FROM accounts WHERE id = ?", {row["account_id"]});
    if (!a.is_null() && !text_of(a, "value_tier").empty()) return text_of(a, "value_tier");
  }
  return std::nullopt;
}

CaseSla replay_case(store::Connection& c, const json& row, int64_t now) {
  CaseSla out;
  out.tier = case_tier(c, row);
  std::vector<CaseEvent> events;
  for (const auto& e : c.query("SELECT at, kind, data FROM case_events WHERE case_id = ? ORDER BY at, id", {row["id"]})) {
    const std::string k = text_of(e, "kind");
    if (k != "created" && k != "reply" && k != "customer_message" && k != "note" && k != "status") continue;
    CaseEvent ev;
    ev.at = instant(e["at"]).value_or(0);
    ev.kind = kind_of(k);
    if (k == "status") {
      json d = json::parse(text_of(e, "data"), nullptr, false);
      ev.status = d.is_object() ? text_of(d, "to") : "";
    }
    events.push_back(ev);
  }
  std::map<int64_t, std::unique_ptr<BusinessClock>> clocks;  // by calendar id (0: round the clock)
  std::vector<SlaPolicy> policies;
  for (const auto& p : applicable_policies(c, row, out.tier)) {
    const int64_t cal = id_of(p["calendar_id"]);
    if (!clocks.count(cal)) {
      auto spec = cal ? load_calendar(c, cal) : std::nullopt;
      clocks[cal] = std::make_unique<BusinessClock>(spec ? *spec : round_the_clock());
    }
    SlaPolicy sp;
    sp.id = id_of(p["id"]);
    sp.name = text_of(p, "name");
    auto minutes = [&](const char* k) { return p[k].is_number_integer() ? std::optional<int64_t>(p[k].get<int64_t>()) : std::nullopt; };
    sp.targets.first_response_minutes = minutes("first_response_minutes");
    sp.targets.next_response_minutes = minutes("next_response_minutes");
    sp.targets.resolution_minutes = minutes("resolution_minutes");
    sp.targets.warn_before_minutes = p["warn_before_minutes"].is_number_integer() ? p["warn_before_minutes"].get<int64_t>() : 30;
    sp.clock = clocks[cal].get();
    policies.push_back(sp);
    out.policies.push_back({{"id", sp.id}, {"name", sp.name}});
  }
  out.result = replay_sla(events, policies, now);
  return out;
}

CaseSla refresh_case_sla(store::Connection& c, int64_t case_id, int64_t now) {
  json row = c.query_one("SELECT * FROM cases WHERE id = ?", {case_id});
  if (row.is_null()) return {};
  CaseSla sla = replay_case(c, row, now);
  const SlaResult& r = sla.result;
  json ids = json::array();
  for (const auto& p : sla.policies) ids.push_back(p["id"]);
  // What lists sort by: the earliest deadline not yet met, a missed one included (overdue first).
  std::optional<int64_t> due;
  for (const Metric* m : {&r.first_response, &r.next_response, &r.resolution})
    if (m->due_at && !m->met_at &&
        (m->state == MetricState::Running || m->state == MetricState::Warning || m->state == MetricState::Breached))
      due = due ? std::min(*due, *m->due_at) : *m->due_at;
  c.execute(
      "UPDATE cases SET value_tier = ?, sla_policy_ids = ?, sla_state = ?, first_response_due_at = ?, next_response_due_at = ?, "
      "resolution_due_at = ?, sla_due_at = ?, first_responded_at = ? WHERE id = ?",
      {sla.tier ? json(*sla.tier) : json(), ids.dump(), metric_state_code(r.overall), utc_or_null(r.first_response.due_at),
       utc_or_null(r.next_response.due_at), utc_or_null(r.resolution.due_at), utc_or_null(due),
       utc_or_null(r.first_response.met_at), case_id});
  c.execute("UPDATE work_items SET urgency = ? WHERE case_id = ? AND status IN ('waiting', 'offered', 'accepted')",
            {urgency_key(sla.tier.value_or(""), due ? clock::format_utc(*due) : "", text_of(row, "priority"),
                         text_of(row, "created_at")),
             case_id});
  const std::string at = clock::format_utc(now);
  const json policy = r.resolution.policy_id ? json(*r.resolution.policy_id)
                      : r.first_response.policy_id ? json(*r.first_response.policy_id) : json();
  const json vals = {policy, sla.tier ? json(*sla.tier) : json(), metric_state_code(r.first_response.state),
                     metric_state_code(r.next_response.state), metric_state_code(r.resolution.state), r.next_response.breaches, at};
  if (c.execute("UPDATE case_sla SET policy_id = ?, tier = ?, first_response_state = ?, next_response_state = ?, "
                "resolution_state = ?, next_response_breaches = ?, replayed_at = ? WHERE case_id = ?",
                {vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], case_id}) == 0)
    c.execute("INSERT INTO case_sla (case_id, policy_id, tier, first_response_state, next_response_state, resolution_state, "
              "next_response_breaches, replayed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {case_id, vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6]});
  return sla;
}

json sla_json(const CaseSla& sla, const std::string& lang) {
  json out = {{"state", metric_state_code(sla.result.overall)},
              {"state_label", choice_label(sla_states(), metric_state_code(sla.result.overall), lang)},
              {"tier", sla.tier ? json(*sla.tier) : json()},
              {"tier_label", sla.tier ? json(choice_label(value_tiers(), *sla.tier, lang)) : json()},
              {"policies", sla.policies},
              {"next_due_at", utc_or_null(sla.result.next_due_at)}};
  const Metric* metrics[] = {&sla.result.first_response, &sla.result.next_response, &sla.result.resolution};
  for (int i = 0; i < 3; ++i) {
    const Metric& m = *metrics[i];
    std::string policy_name;
    for (const auto& p : sla.policies)
      if (m.policy_id && p["id"] == *m.policy_id) policy_name = text_of(p, "name");
    out[metric_key(i)] = {{"state", metric_state_code(m.state)},
                          {"state_label", choice_label(sla_states(), metric_state_code(m.state), lang)},
                          {"due_at", utc_or_null(m.due_at)},
                          {"met_at", utc_or_null(m.met_at)},
                          {"breached_at", utc_or_null(m.breached_at)},
                          {"remaining_minutes", m.remaining_seconds / 60},
                          {"elapsed_minutes", m.elapsed_seconds / 60},
                          {"breaches", m.breaches},
                          {"policy_id", m.policy_id ? json(*m.policy_id) : json()},
                          {"policy", policy_name.empty() ? json() : json(policy_name)}};
  }
  return out;
}

int64_t record_case_event(store::Connection& c, int64_t case_id, const std::string& kind, std::optional<int64_t> user_id,
                          const json& data, std::optional<std::string> at) {
  const json interaction = data.value("interaction_id", json()), email = data.value("email_id", json());
  return c.insert("INSERT INTO case_events (case_id, at, kind, user_id, data, interaction_id, email_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {case_id, at ? *at : clock::now_utc(), kind, user_id && *user_id ? json(*user_id) : json(), data.dump(),
                   interaction, email});
}

json visible_case(store::Connection& c, const domain::Actor& actor, int64_t case_id) {
  return domain::RecordService::load_visible(c, actor, kernel::entity("cases"), case_id);
}

json writable_case(store::Connection& c, const domain::Actor& actor, int64_t case_id) {
  json cs = visible_case(c, actor, case_id);
  if (!domain::can_write(actor, kernel::entity("cases"))) throw Problem(ProblemKind::Forbidden, tr("your role cannot change cases"));
  return cs;
}

namespace {

std::string checked_body(const std::string& body, const char* field) {
  std::string b = body;
  while (!b.empty() && isspace((unsigned char)b.back())) b.pop_back();
  if (b.empty()) throw Problem(ProblemKind::Unprocessable, tr("the text is empty"), {{field, tr("write the text")}});
  if (b.size() > 100000) throw Problem(ProblemKind::Unprocessable, tr("the text is too long"), {{field, tr("at most 100,000 characters")}});
  return b;
}

// The interaction a reply or a customer's message leaves on the customer's timeline.
int64_t timeline_entry(store::Connection& c, const domain::Actor& actor, const json& cs, const std::string& channel,
                       const std::string& direction, const std::string& subject, const std::string& body) {
  json in = {{"channel", channel}, {"direction", direction}, {"subject", subject}, {"content", body}, {"commercial", false}};
  if (cs["contact_id"].is_number_integer()) in["contact_id"] = cs["contact_id"];
  if (cs["account_id"].is_number_integer()) in["account_id"] = cs["account_id"];
  if (!cs["contact_id"].is_number_integer() && !cs["account_id"].is_number_integer()) return 0;
  if (actor.user_id) in["user_id"] = actor.user_id;
  return domain::RecordService::create_in(c, domain::system_actor(), kernel::entity("interactions"), in)["id"].get<int64_t>();
}

std::string interaction_channel(const std::string& case_channel) {
  if (case_channel == "phone") return "phone";
  if (case_channel == "email") return "email";
  if (case_channel == "in_person") return "meeting";
  return "web";
}

// The mailbox a case's e-mail goes out from: the one its customer wrote to, else one that opens
// cases, else the one that sends automatic messages.
std::optional<int64_t> case_mailbox(store::Connection& c, int64_t case_id) {
  json m = c.query_one(
      "SELECT em.mailbox_id FROM case_events ev JOIN email_messages em ON em.id = ev.email_id "
      "WHERE ev.case_id = ? AND em.mailbox_id IS NOT NULL ORDER BY ev.id DESC LIMIT 1",
      {case_id});
  if (!m.is_null() && m["mailbox_id"].is_number_integer()) return m["mailbox_id"].get<int64_t>();
  m = c.query_one("SELECT id FROM mailboxes WHERE active = 1 AND opens_cases = 1 ORDER BY id LIMIT 1");
  if (!m.is_null()) return m["id"].get<int64_t>();
  m = c.query_one("SELECT id FROM mailboxes WHERE active = 1 AND sends_notifications = 1 ORDER BY id LIMIT 1");
  if (!m.is_null()) return m["id"].get<int64_t>();
  return std::nullopt;
}

// Moves a case to a status through the record service, so that its rules and history apply.
void set_status(store::Connection& c, const domain::Actor& actor, int64_t case_id, const std::string& status) {
  domain::RecordService::update_in(c, actor, kernel::entity("cases"), case_id, {{"status", status}}, std::nullopt, false);
}

}  // namespace

json CaseService::reply(const domain::Actor& actor, int64_t case_id, ReplyRequest r, domain::JobQueue& queue,
                        const std::string& base_url) {
  r.body = checked_body(r.body, "body");
  if (r.status && !customers::is_value(case_statuses(), *r.status))
    throw Problem(ProblemKind::Unprocessable, tr("unknown status"), {{"status", tr("must be one of the case statuses")}});
  // What the e-mail needs is read first: sending stores the message in its own transaction.
  json cs, contact_email;
  std::optional<int64_t> mailbox, reply_to;
  store::with_transaction(db_, false, [&](store::Connection& c) {
    cs = writable_case(c, actor, case_id);
    if (cs["merged_into_id"].is_number_integer())
      throw Problem(ProblemKind::Conflict, tr("this case was merged into another one: reply there"));
    if (!r.by_email) return;
    mailbox = case_mailbox(c, case_id);
    json last = c.query_one("SELECT email_id FROM case_events WHERE case_id = ? AND kind = 'customer_message' AND email_id IS NOT NULL "
                            "ORDER BY id DESC LIMIT 1",
                            {case_id});
    if (!last.is_null()) reply_to = last["email_id"].get<int64_t>();
    if (cs["contact_id"].is_number_integer()) {
      json p = c.query_one("SELECT emails FROM contacts WHERE id = ?", {cs["contact_id"]});
      json list = p.is_null() ? json() : json::parse(text_of(p, "emails"), nullptr, false);
      if (list.is_array() && !list.empty()) contact_email = list[0];
    }
  });
  std::optional<int64_t> email_id, interaction_id;
  const std::string subject = "[" + text_of(cs, "number") + "] " + text_of(cs, "subject");
  if (r.by_email && mailbox && (reply_to || contact_email.is_string())) {
    email::SendRequest sr;
    sr.mailbox_id = *mailbox;
    if (reply_to) sr.reply_to_email = reply_to;
    else sr.to = contact_email.get<std::string>();
    sr.subject = subject;
    sr.body = r.body;
    if (cs["contact_id"].is_number_integer()) sr.contact_id = cs["contact_id"].get<int64_t>();
    sr.attachments = r.attachments;
    json sent = email::EmailService(db_).queue_send(actor, sr, queue, base_url);
    email_id = sent.value("id", int64_t(0));
    if (sent.value("interaction_id", json()).is_number_integer()) interaction_id = sent["interaction_id"].get<int64_t>();
  }
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    cs = visible_case(c, actor, case_id);
    if (!interaction_id)
      if (int64_t i = timeline_entry(c, actor, cs, interaction_channel(text_of(cs, "channel")), "outbound", subject, r.body))
        interaction_id = i;
    json data = {{"body", r.body}, {"channel", email_id ? "email" : text_of(cs, "channel")}};
    if (interaction_id) data["interaction_id"] = *interaction_id;
    if (email_id) data["email_id"] = *email_id;
    const int64_t ev = record_case_event(c, case_id, "reply", actor.user_id, data);
    if (email_id) {
      json t = c.query_one("SELECT thread_id FROM email_messages WHERE id = ?", {*email_id});
      if (!t.is_null() && t["thread_id"].is_number_integer() &&
          c.query_one("SELECT case_id FROM case_threads WHERE thread_id = ?", {t["thread_id"]}).is_null())
        c.execute("INSERT INTO case_threads (thread_id, case_id) VALUES (?, ?)", {t["thread_id"], case_id});
    }
    for (const auto& a : r.attachments)
      c.insert("INSERT INTO case_attachments (case_id, event_id, filename, content_type, size, data) VALUES (?, ?, ?, ?, ?, ?)",
               {case_id, ev, a.filename, a.content_type, (int64_t)a.data.size(), crypto::base64url_encode(a.data)});
    const std::string status = text_of(cs, "status");
    if (r.status && *r.status != status) set_status(c, actor, case_id, *r.status);
    else if (!r.status && (status == "new" || status == "reopened")) set_status(c, actor, case_id, "open");
    refresh_case_sla(c, case_id, clock::now_unix());
    return json{{"event_id", ev}, {"email_id", email_id ? json(*email_id) : json()},
                {"interaction_id", interaction_id ? json(*interaction_id) : json()}, {"sent_by_email", email_id.has_value()},
                {"case", visible_case(c, actor, case_id)}};
  });
}

json CaseService::note(const domain::Actor& actor, int64_t case_id, const std::string& text) {
  const std::string body = checked_body(text, "body");
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    json cs = writable_case(c, actor, case_id);
    const int64_t ev = record_case_event(c, case_id, "note", actor.user_id, {{"body", body}});
    return json{{"event_id", ev}, {"case", cs}};
  });
}

json CaseService::customer_message(const domain::Actor& actor, int64_t case_id, const std::string& text, const std::string& channel) {
  const std::string body = checked_body(text, "body");
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    json cs = writable_case(c, actor, case_id);
    const std::string ch = channel.empty() ? text_of(cs, "channel") : channel;
    if (!customers::is_value(case_channels(), ch))
      throw Problem(ProblemKind::Unprocessable, tr("unknown channel"), {{"channel", tr("must be phone, email, web, api or in_person")}});
    json data = {{"body", body}, {"channel", ch}};
    if (int64_t i = timeline_entry(c, actor, cs, interaction_channel(ch), "inbound", text_of(cs, "subject"), body))
      data["interaction_id"] = i;
    const int64_t ev = record_case_event(c, case_id, "customer_message", actor.user_id, data);
    const std::string status = text_of(cs, "status");
    if (status == "waiting_customer") set_status(c, actor, case_id, "open");
    else if (status == "solved") set_status(c, actor, case_id, "reopened");
    refresh_case_sla(c, case_id, clock::now_unix());
    return json{{"event_id", ev}, {"case", visible_case(c, actor, case_id)}};
  });
}

json CaseService::history(const domain::Actor& actor, int64_t case_id, const std::string& lang) {
  return store::with_transaction(db_, false, [&](store::Connection& c) {
    json cs = visible_case(c, actor, case_id);
    json events = json::array();
    std::map<int64_t, json> attachments;
    for (auto& a : c.query("SELECT id, event_id, filename, content_type, size FROM case_attachments WHERE case_id = ? ORDER BY id", {case_id}))
      if (a["event_id"].is_number_integer()) {
        auto& list = attachments[a["event_id"].get<int64_t>()];
        if (list.is_null()) list = json::array();
        a.erase("event_id");
        list.push_back(a);
      }
    for (auto& e : c.query("SELECT ev.id, ev.at, ev.kind, ev.user_id, ev.data, ev.interaction_id, ev.email_id, u.name AS user_name "
                           "FROM case_events ev LEFT JOIN users u ON u.id = ev.user_id WHERE ev.case_id = ? ORDER BY ev.at, ev.id",
                           {case_id})) {
      json d = json::parse(text_of(e, "data"), nullptr, false);
      e["data"] = d.is_object() ? d : json::object();
      const std::string k = text_of(e, "kind");
      if (k == "status") {
        e["data"]["from_label"] = choice_label(case_statuses(), text_of(e["data"], "from"), lang);
        e["data"]["to_label"] = choice_label(case_statuses(), text_of(e["data"], "to"), lang);
      } else if (k == "priority") {
        e["data"]["from_label"] = choice_label(case_priorities(), text_of(e["data"], "from"), lang);
        e["data"]["to_label"] = choice_label(case_priorities(), text_of(e["data"], "to"), lang);
      } else if (k == "tier_override") {
        e["data"]["to_label"] = choice_label(value_tiers(), text_of(e["data"], "to"), lang);
      }
      e["public"] = k == "reply" || k == "customer_message";
      if (attachments.count(e["id"].get<int64_t>())) e["attachments"] = attachments[e["id"].get<int64_t>()];
      events.push_back(e);
    }
    return json{{"case", cs}, {"events", events}, {"sla", sla_json(replay_case(c, cs, clock::now_unix()), lang)}};
  });
}

json CaseService::merge(const domain::Actor& actor, int64_t source_id, int64_t target_id) {
  if (source_id == target_id)
    throw Problem(ProblemKind::Unprocessable, tr("a case cannot be merged into itself"), {{"into_id", tr("choose another case")}});
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    json src = writable_case(c, actor, source_id);
    json dst = visible_case(c, actor, target_id);
    const kernel::Entity& cases = kernel::entity("cases");
    if (src["merged_into_id"].is_number_integer())
      throw Problem(ProblemKind::Conflict, tr("this case was already merged into another one"));
    if (dst["merged_into_id"].is_number_integer())
      throw Problem(ProblemKind::Unprocessable, tr("the case to merge into was itself merged"), {{"into_id", tr("choose the case it was merged into")}});
    c.execute("UPDATE case_events SET case_id = ? WHERE case_id = ? AND kind IN ('reply', 'customer_message', 'note', 'call', 'script')",
              {target_id, source_id});
    c.execute("UPDATE case_attachments SET case_id = ? WHERE case_id = ?", {target_id, source_id});
    c.execute("UPDATE case_threads SET case_id = ? WHERE case_id = ?", {target_id, source_id});
    c.execute("UPDATE interventions SET case_id = ? WHERE case_id = ?", {target_id, source_id});
    c.execute("UPDATE work_items SET status = 'cancelled', done_at = ? WHERE case_id = ? AND status IN ('waiting', 'offered', 'accepted')",
              {clock::now_utc(), source_id});
    record_case_event(c, target_id, "merged", actor.user_id, {{"from_id", source_id}, {"from_number", src["number"]}});
    record_case_event(c, source_id, "merged", actor.user_id, {{"into_id", target_id}, {"into_number", dst["number"]}});
    domain::RecordService::update_in(c, actor, cases, source_id, {{"status", "closed"}}, std::nullopt, false);
    c.execute("UPDATE cases SET merged_into_id = ? WHERE id = ?", {target_id, source_id});
    refresh_case_sla(c, target_id, clock::now_unix());
    refresh_case_sla(c, source_id, clock::now_unix());
    return json{{"merged", visible_case(c, actor, source_id)}, {"into", visible_case(c, actor, target_id)}};
  });
}

namespace {

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<std::string> split_list(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!trim(cur).empty()) out.push_back(trim(cur));
    cur.clear();
  };
  for (char ch : text) {
    if (ch == sep) flush();
    else cur += ch;
  }
  flush();
  return out;
}

}  // namespace

std::map<std::string, std::string> parse_branches(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const auto& part : split_list(text, ';')) {
    const size_t gt = part.find('>');
    if (gt == std::string::npos) continue;
    const std::string answer = trim(part.substr(0, gt)), target = trim(part.substr(gt + 1));
    if (!answer.empty() && !target.empty()) out[text::fold(answer)] = target;
  }
  return out;
}

json CaseService::answer_script(const domain::Actor& actor, int64_t case_id, int64_t script_id, const json& answers) {
  if (!answers.is_object())
    throw Problem(ProblemKind::BadRequest, tr("answers must be an object: question key → answer"), {{"answers", tr("must be an object")}});
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    json cs = writable_case(c, actor, case_id);
    json script = c.query_one("SELECT id, name, active FROM call_scripts WHERE id = ?", {script_id});
    if (script.is_null())
      throw Problem(ProblemKind::Unprocessable, tr("this call script does not exist"), {{"script_id", tr("choose a script")}});
    std::vector<json> steps = c.query("SELECT * FROM call_script_steps WHERE script_id = ? ORDER BY position", {script_id});
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < steps.size(); ++i) index[text_of(steps[i], "key")] = i;
    FieldErrors errors;
    json path = json::array();
    std::map<std::string, std::string> case_fields, contact_fields;
    std::set<std::string> visited;
    size_t i = 0;
    while (i < steps.size() && !visited.count(text_of(steps[i], "key"))) {
      const json& st = steps[i];
      const std::string key = text_of(st, "key"), kind = text_of(st, "answer_kind");
      visited.insert(key);
      const json a = answers.value(key, json());
      std::string answer = a.is_string() ? a.get<std::string>() : a.is_boolean() ? (a.get<bool>() ? "Oui" : "Non")
                           : a.is_number() ? a.dump() : "";
      const std::string field = "answers." + key;
      if (answer.empty()) {
        if (id_of(st["required"]) == 1) errors.add(field, tr("« {q} » needs an answer", {{"q", text_of(st, "question")}}));
      } else if (kind == "choice") {
        bool ok = false;
        for (const auto& ch : split_list(text_of(st, "choices"), ';'))
          if (text::fold(ch) == text::fold(answer)) ok = true, answer = ch;
        if (!ok) errors.add(field, tr("« {a} » is not one of the answers offered: {c}", {{"a", answer}, {"c", text_of(st, "choices")}}));
      } else if (kind == "yes_no") {
        const std::string f = text::fold(answer);
        if (f == "oui" || f == "yes" || f == "true") answer = "Oui";
        else if (f == "non" || f == "no" || f == "false") answer = "Non";
        else errors.add(field, tr("answer Oui or Non"));
      } else if (kind == "number") {
        char* end = nullptr;
        std::string t = answer;
        std::replace(t.begin(), t.end(), ',', '.');
        std::strtod(t.c_str(), &end);
        if (t.empty() || *end) errors.add(field, tr("must be a number"));
      } else if (kind == "date") {
        if (!clock::parse_utc(answer + "T00:00:00Z")) errors.add(field, tr("must be a date written YYYY-MM-DD"));
      }
      path.push_back({{"key", key}, {"question", st["question"]}, {"answer", answer.empty() ? json() : json(answer)}});
      const std::string target = text_of(st, "maps_to");
      if (!answer.empty() && target.rfind("case.", 0) == 0) case_fields[target.substr(5)] = answer;
      if (!answer.empty() && target.rfind("contact.", 0) == 0) contact_fields[target.substr(8)] = answer;
      // The next question: the branch of this answer, else the step's next, else the following one.
      std::string next;
      if (!answer.empty()) {
        auto branches = parse_branches(text_of(st, "branches"));
        auto b = branches.find(text::fold(answer));
        if (b != branches.end()) next = b->second;
      }
      if (next.empty()) next = text_of(st, "next");
      if (next.empty()) ++i;
      else if (text::fold(next) == "fin" || text::fold(next) == "end") break;
      else if (index.count(next)) i = index[next];
      else {
        errors.add(field, tr("the script sends this answer to « {k} », which is not one of its questions", {{"k", next}}));
        break;
      }
    }
    for (auto it = answers.begin(); it != answers.end(); ++it)
      if (!visited.count(it.key()))
        errors.add("answers." + it.key(), index.count(it.key()) ? tr("this question is not on the path of the answers given")
                                                                 : tr("this script has no question with this key"));
    errors.throw_if_any();
    const kernel::Entity& cases = kernel::entity("cases");
    json update = json::object();
    for (const auto& [k, v] : case_fields) update[k] = v;
    if (text_of(cs, "script_id").empty() && cs["script_id"].is_null()) update["script_id"] = script_id;
    if (!update.empty()) domain::RecordService::update_in(c, actor, cases, case_id, update, std::nullopt, false);
    c.execute("UPDATE cases SET script_answers = ? WHERE id = ?",
              {json{{"script_id", script_id}, {"script", script["name"]}, {"answers", path}}.dump(), case_id});
    if (!contact_fields.empty() && cs["contact_id"].is_number_integer()) {
      json upd = json::object();
      for (const auto& [k, v] : contact_fields) upd[k] = v;
      domain::RecordService::update_in(c, actor, kernel::entity("contacts"), cs["contact_id"].get<int64_t>(), upd, std::nullopt, false);
    }
    record_case_event(c, case_id, "script", actor.user_id, {{"script", script["name"]}, {"answers", path}});
    return visible_case(c, actor, case_id);
  });
}

}  // namespace gz::modules::service
