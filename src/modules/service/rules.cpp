// The service entities' rules (kernel hooks): calendars and policies checked, a case numbered,
// its tier and history kept and its service levels replayed after every write, agents, call
// scripts, articles and their versions, interventions without conflicts.
#include <set>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/text.h"
#include "core/json_text.h"
#include "core/message.h"
#include "core/zoned_time.h"
#include "domain/records.h"
#include "modules/service/service.h"
#include "modules/service/vocabulary.h"
#include "modules/settings/company_settings.h"
#include "store/job_store.h"

namespace gz::modules::service {

using domain::WriteContext;

namespace {

int64_t id_of(const json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

bool errors_named(const FieldErrors& errors, const std::string& field) {
  for (const auto& e : errors.list())
    if (e.field == field || e.field.rfind(field + ".", 0) == 0) return true;
  return false;
}

json default_ranges() {
  json out = json::array();
  for (int d = 1; d <= 5; ++d) {
    out.push_back({{"weekday", std::to_string(d)}, {"starts", "09:00"}, {"ends", "12:30"}});
    out.push_back({{"weekday", std::to_string(d)}, {"starts", "14:00"}, {"ends", "18:00"}});
  }
  return out;
}

// Whether a record's value changed in this write (always on create).
bool changed(const WriteContext& ctx, const json& record, const char* key) {
  if (!ctx.before) return true;
  return ctx.before->value(key, json()) != record.value(key, json());
}

}  // namespace

void calendar_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  json& children = ctx.scratch["children"];
  if (!ctx.before && !children.contains("ranges")) {
    // A calendar made without ranges gets office hours with a lunch break (edited afterwards).
    children["ranges"] = default_ranges();
    ctx.scratch["changed_children"].push_back("ranges");
  }
  CalendarSpec spec;
  spec.time_zone = text_of(record, "time_zone", "Europe/Paris");
  std::vector<std::pair<int, TimeRange>> ranges;
  if (children.contains("ranges")) {
    const json& list = children["ranges"];
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string p = "ranges[" + std::to_string(i) + "]";
      auto s = parse_hhmm(text_of(list[i], "starts")), e = parse_hhmm(text_of(list[i], "ends"));
      if (!s) errors.add(p + ".starts", tr("must be a time written HH:MM, e.g. 09:00"));
      if (!e) errors.add(p + ".ends", tr("must be a time written HH:MM, e.g. 18:00 (24:00 for midnight)"));
      ranges.push_back({std::atoi(text_of(list[i], "weekday").c_str()), {s.value_or(0), e.value_or(0)}});
    }
  }
  using K = CalendarError::Kind;
  for (const auto& e : check_calendar(spec, ranges)) {
    if (errors_named(errors, e.field)) continue;  // a time already refused as written
    switch (e.kind) {
      case K::Zone: errors.add(e.field, tr("is not a known time zone, e.g. Europe/Paris")); break;
      case K::Weekday: errors.add(e.field + ".weekday", tr("must be a day from 1 (Monday) to 7 (Sunday)")); break;
      case K::Bounds:
      case K::Order: errors.add(e.field + ".ends", tr("the range must end after it starts")); break;
      case K::Overlap:
        errors.add(e.field + ".starts", tr("{a}–{b} overlaps {c}–{d} on the same day", {{"a", hh_mm(e.range.start)}, {"b", hh_mm(e.range.end)},
                                                                                          {"c", hh_mm(e.other.start)}, {"d", hh_mm(e.other.end)}}));
        break;
      case K::Date: errors.add(e.field, tr("must be a date written YYYY-MM-DD")); break;
    }
  }
  if (children.contains("closures")) {
    std::set<std::string> days;
    const json& list = children["closures"];
    for (size_t i = 0; i < list.size(); ++i)
      if (!days.insert(text_of(list[i], "day")).second)
        errors.add("closures[" + std::to_string(i) + "].day", tr("this day is already a closing day of the calendar"));
  }
}

void sla_policy_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  bool any = false;
  for (const char* k : {"first_response_minutes", "next_response_minutes", "resolution_minutes"}) {
    const json& v = record.value(k, json());
    if (v.is_null()) continue;
    any = true;
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 525600)
      errors.add(k, tr("must be a number of minutes from 1 to 525,600 (one year)"));
  }
  if (!any) errors.add("first_response_minutes", tr("a policy needs at least one target: first response, next response or resolution"));
  const json& w = record.value("warn_before_minutes", json(30));
  if (!w.is_number_integer() || w.get<int64_t>() < 0 || w.get<int64_t>() > 10080)
    errors.add("warn_before_minutes", tr("must be a number of minutes from 0 to 10,080"));
  (void)ctx;
}

void case_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  store::Connection& c = ctx.conn;
  const std::string now = clock::now_utc();
  if (ctx.before && (*ctx.before)["merged_into_id"].is_number_integer()) {
    errors.add("status", tr("this case was merged into another one: change that one"));
    return;
  }
  if (!ctx.before) {
    const std::string year = now.substr(0, 4);
    json row = c.query_one(
        "INSERT INTO service_sequences (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = service_sequences.value + 1 "
        "RETURNING value",
        {"case-" + year});
    char buf[40];
    std::snprintf(buf, sizeof buf, "SAV-%s-%05lld", year.c_str(), (long long)row["value"].get<int64_t>());
    record["number"] = buf;
    // A case an agent opens while on the phone is theirs.
    if (text_of(record, "channel", "phone") == "phone" && !record.value("assignee_id", json()).is_number_integer() && ctx.actor.user_id &&
        !c.query_one("SELECT id FROM service_agents WHERE user_id = ?", {ctx.actor.user_id}).is_null())
      record["assignee_id"] = ctx.actor.user_id;
  }
  if (text_of(record, "type") == "complaint" && !record.value("complaint_reason_id", json()).is_number_integer())
    errors.add("complaint_reason_id", tr("a complaint is coded by its reason: choose one"));
  // The contact's company, when the case names only the contact.
  if (record.value("contact_id", json()).is_number_integer() && !record.value("account_id", json()).is_number_integer()) {
    json p = c.query_one("SELECT account_id FROM contacts WHERE id = ?", {record["contact_id"]});
    if (!p.is_null() && p["account_id"].is_number_integer()) record["account_id"] = p["account_id"];
  }
  const std::string before_status = ctx.before ? text_of(*ctx.before, "status") : "";
  std::string status = text_of(record, "status", "new");
  if (before_status == "closed" && status != "closed") {
    errors.add("status", tr("a closed case stays closed: a new request of the customer opens a new case linked to it"));
    return;
  }
  // Reopening a solved case: its status says so, whatever status was asked.
  if (before_status == "solved" && (status == "open" || status == "new")) record["status"] = status = "reopened";
  if (status == "solved" && before_status != "solved") record["solved_at"] = now;
  if (status != "solved" && status != "closed") record["solved_at"] = nullptr;
  if (status == "closed" && before_status != "closed") {
    record["closed_at"] = now;
    if (record.value("solved_at", json()).is_null()) record["solved_at"] = now;
  }
  const std::string lang = text_of(record, "language", "fr");
  if (lang.size() < 2 || lang.size() > 10) errors.add("language", tr("must be a language code, e.g. fr"));
  auto tier = case_tier(c, record);
  record["value_tier"] = tier ? json(*tier) : json();
}

void case_after_write(WriteContext& ctx, const json& record) {
  store::Connection& c = ctx.conn;
  const int64_t id = record["id"].get<int64_t>();
  const std::optional<int64_t> by = ctx.actor.user_id ? std::optional<int64_t>(ctx.actor.user_id) : std::nullopt;
  const std::string now = clock::now_utc();
  if (!ctx.before) {
    record_case_event(c, id, "created", by, {{"channel", record.value("channel", json())}, {"status", record.value("status", json())}},
                      text_of(record, "created_at").empty() ? std::nullopt : std::optional<std::string>(text_of(record, "created_at")));
    if (!record.value("assignee_id", json()).is_number_integer() && is_open_status(text_of(record, "status")))
      QueueService::enqueue(c, id, text_of(record, "channel", "phone"));
  } else {
    auto from_to = [&](const char* key) {
      return json{{"from", ctx.before->value(key, json())}, {"to", record.value(key, json())}};
    };
    if (changed(ctx, record, "status")) record_case_event(c, id, "status", by, from_to("status"));
    if (changed(ctx, record, "priority")) record_case_event(c, id, "priority", by, from_to("priority"));
    if (changed(ctx, record, "tier_override")) record_case_event(c, id, "tier_override", by, from_to("tier_override"));
    if (changed(ctx, record, "assignee_id")) {
      json d = from_to("assignee_id");
      if (record["assignee_id"].is_number_integer()) {
        json u = c.query_one("SELECT name FROM users WHERE id = ?", {record["assignee_id"]});
        if (!u.is_null()) d["to_name"] = u["name"];
        // Assigned by hand: the queue's item is taken by that agent.
        c.execute("UPDATE work_items SET status = 'accepted', agent_id = ?, accepted_at = ? WHERE case_id = ? AND status IN ('waiting', 'offered')",
                  {record["assignee_id"], now, id});
      }
      record_case_event(c, id, "assignment", by, d);
    }
  }
  const std::string status = text_of(record, "status");
  if (!is_open_status(status)) {
    c.execute("UPDATE work_items SET status = 'done', done_at = ? WHERE case_id = ? AND status IN ('waiting', 'offered', 'accepted')",
              {now, id});
    if (status == "solved" && (!ctx.before || text_of(*ctx.before, "status") != "solved")) create_survey(c, id, clock::now_unix());
  } else if (ctx.before && !is_open_status(text_of(*ctx.before, "status")) &&
             !record.value("assignee_id", json()).is_number_integer()) {
    QueueService::enqueue(c, id, text_of(record, "channel", "phone"));  // reopened with nobody on it
  }
  refresh_case_sla(c, id, clock::now_unix());
}

void agent_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  for (const char* k : {"phone_capacity", "email_capacity", "web_capacity"}) {
    const json& v = record.value(k, json());
    if (!v.is_null() && (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 100))
      errors.add(k, tr("must be a number from 0 to 100"));
  }
  const std::string ext = text_of(record, "extension");
  if (!ext.empty() && ext.find_first_not_of("0123456789*#+") != std::string::npos)
    errors.add("extension", tr("must be written with digits, e.g. 201"));
  if (!ctx.before || changed(ctx, record, "availability")) record["availability_since"] = clock::now_utc();
  if (record.value("user_id", json()).is_number_integer() &&
      !ctx.conn.query_one("SELECT id FROM service_agents WHERE user_id = ? AND id <> ?",
                          {record["user_id"], ctx.before ? (*ctx.before)["id"] : json(0)})
           .is_null())
    errors.add("user_id", tr("this user is already an agent of the service"));
  if (!ext.empty() && !ctx.conn.query_one("SELECT id FROM service_agents WHERE extension = ? AND id <> ?",
                                          {ext, ctx.before ? (*ctx.before)["id"] : json(0)})
                           .is_null())
    errors.add("extension", tr("another agent already has this extension"));
}

void script_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  (void)record;
  json& children = ctx.scratch["children"];
  if (!children.contains("steps")) return;
  const json& steps = children["steps"];
  std::set<std::string> keys;
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string key = text_of(steps[i], "key");
    if (!keys.insert(key).second)
      errors.add("steps[" + std::to_string(i) + "].key", tr("« {k} » is already the key of another question", {{"k", key}}));
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string p = "steps[" + std::to_string(i) + "]";
    const json& s = steps[i];
    if (text_of(s, "answer_kind") == "choice" && text_of(s, "choices").empty())
      errors.add(p + ".choices", tr("a choice needs its answers, separated by ;"));
    auto known = [&](const std::string& k) {
      const std::string f = text::fold(k);
      return keys.count(k) || f == "fin" || f == "end";
    };
    const std::string next = text_of(s, "next");
    if (!next.empty() && !known(next)) errors.add(p + ".next", tr("« {k} » is not the key of a question of this script", {{"k", next}}));
    const std::string branches = text_of(s, "branches");
    auto parsed = parse_branches(branches);
    if (!branches.empty() && parsed.empty())
      errors.add(p + ".branches", tr("write each branch as answer > key, separated by ; e.g. Oui > panne; Non > fin"));
    for (const auto& [answer, target] : parsed)
      if (!known(target))
        errors.add(p + ".branches", tr("« {k} » is not the key of a question of this script", {{"k", target}}));
  }
}

void article_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  (void)errors;
  if (!ctx.before) {
    record["revision"] = 1;
    record["helpful_count"] = 0;
    record["not_helpful_count"] = 0;
  } else if (changed(ctx, record, "title") || changed(ctx, record, "body")) {
    record["revision"] = id_of((*ctx.before)["revision"]) + 1;
  }
}

void article_after_write(WriteContext& ctx, const json& record) {
  if (ctx.before && !changed(ctx, record, "title") && !changed(ctx, record, "body")) return;
  ctx.conn.insert("INSERT INTO kb_article_versions (article_id, revision, title, body, saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?)",
                  {record["id"], record["revision"], record["title"], record["body"], clock::now_utc(),
                   ctx.actor.user_id ? json(ctx.actor.user_id) : json()});
}

// The département of a French postal code: its first two digits, three overseas (971…), 2A/2B
// for Corsica (20…). Empty when it is not a five-digit code.
std::string departement(const std::string& postal_code) {
  if (postal_code.size() != 5 || postal_code.find_first_not_of("0123456789") != std::string::npos) return "";
  if (postal_code.rfind("97", 0) == 0 || postal_code.rfind("98", 0) == 0) return postal_code.substr(0, 3);
  if (postal_code.rfind("20", 0) == 0) return postal_code < "20200" ? "2A" : "2B";
  return postal_code.substr(0, 2);
}

void intervention_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  store::Connection& c = ctx.conn;
  // The case's customer and address by default.
  if (record.value("case_id", json()).is_number_integer()) {
    json cs = c.query_one("SELECT contact_id, account_id FROM cases WHERE id = ?", {record["case_id"]});
    if (!cs.is_null()) {
      if (!record.value("contact_id", json()).is_number_integer()) record["contact_id"] = cs["contact_id"];
      if (!record.value("account_id", json()).is_number_integer()) record["account_id"] = cs["account_id"];
    }
  }
  if (record.value("contact_id", json()).is_number_integer() && text_of(record, "address").empty() &&
      text_of(record, "postal_code").empty()) {
    json p = c.query_one("SELECT street, postcode, city FROM contacts WHERE id = ?", {record["contact_id"]});
    if (!p.is_null()) {
      if (!text_of(p, "street").empty()) record["address"] = p["street"];
      if (!text_of(p, "postcode").empty()) record["postal_code"] = p["postcode"];
      if (!text_of(p, "city").empty() && text_of(record, "city").empty()) record["city"] = p["city"];
    }
  }
  auto starts = clock::parse_utc(text_of(record, "starts_at")), ends = clock::parse_utc(text_of(record, "ends_at"));
  if (!starts || !ends) return;  // the field checks reported it
  if (*ends <= *starts) errors.add("ends_at", tr("must be after the start"));
  const bool moved = !ctx.before || changed(ctx, record, "starts_at") || changed(ctx, record, "ends_at") ||
                     changed(ctx, record, "technician_id") || changed(ctx, record, "postal_code");
  const std::string status = text_of(record, "status", "planned");
  if (status != "planned" || !moved) return;
  if (*starts < clock::now_unix()) errors.add("starts_at", tr("is in the past: choose a time to come"));
  if (*ends - *starts > 12 * 3600) errors.add("ends_at", tr("an intervention lasts at most 12 hours"));
  const json self = ctx.before ? (*ctx.before)["id"] : json(0);
  const std::string s = text_of(record, "starts_at"), e = text_of(record, "ends_at");
  // Another planned appointment of the technician overlapping this one.
  json clash = c.query_one(
      "SELECT i.title, i.starts_at, i.ends_at FROM interventions i WHERE i.technician_id = ? AND i.status = 'planned' AND i.id <> ? "
      "AND i.starts_at < ? AND i.ends_at > ? ORDER BY i.starts_at LIMIT 1",
      {record["technician_id"], self, e, s});
  if (!clash.is_null()) {
    errors.add("starts_at", tr("the technician already has « {t} » from {a} to {b}",
                               {{"t", text_of(clash, "title")}, {"a", text_of(clash, "starts_at")}, {"b", text_of(clash, "ends_at")}}));
    return;
  }
  // A day's appointments stay in one département, with 30 minutes to travel between two places.
  const std::string dep = departement(text_of(record, "postal_code"));
  if (dep.empty()) return;
  zoned::Zone zone(settings::company_time_zone(c));
  const std::string day = zone.local_date(*starts);
  const std::string day_start = clock::format_utc(zone.day_start(day)), day_end = clock::format_utc(zone.day_end(day));
  for (const auto& other : c.query("SELECT title, starts_at, ends_at, postal_code, city FROM interventions WHERE technician_id = ? "
                                   "AND status = 'planned' AND id <> ? AND starts_at >= ? AND starts_at < ?",
                                   {record["technician_id"], self, day_start, day_end})) {
    const std::string od = departement(text_of(other, "postal_code"));
    if (od.empty()) continue;
    if (od != dep) {
      errors.add("postal_code", tr("that day the technician is in the {d} (« {t} » in {c}): a day's appointments stay in one département",
                                   {{"d", od}, {"t", text_of(other, "title")}, {"c", text_of(other, "city")}}));
      return;
    }
    if (text_of(other, "postal_code") != text_of(record, "postal_code")) {
      const int64_t os = clock::parse_utc(text_of(other, "starts_at")).value_or(0), oe = clock::parse_utc(text_of(other, "ends_at")).value_or(0);
      if ((oe <= *starts && *starts - oe < 1800) || (*ends <= os && os - *ends < 1800))
        errors.add("starts_at", tr("leave 30 minutes to travel from « {t} » in {c}", {{"t", text_of(other, "title")}, {"c", text_of(other, "city")}}));
    }
  }
}

void intervention_after_write(WriteContext& ctx, const json& record) {
  store::Connection& c = ctx.conn;
  const int64_t id = record["id"].get<int64_t>();
  // The invitation follows what the customer must know: a new appointment, a change of time or
  // place, a cancellation. Each is a new SEQUENCE of the same UID (RFC 5546).
  const bool cancelled = text_of(record, "status") == "cancelled";
  bool send = false;
  int64_t sequence = id_of(record.value("ical_sequence", json()));
  if (!ctx.before) {
    send = true;
    sequence = 0;
    c.execute("UPDATE interventions SET ical_uid = ?, ical_sequence = 0 WHERE id = ?",
              {"intervention-" + std::to_string(id) + "-" + crypto::random_token(8) + "@gazelle", id});
  } else {
    const bool rescheduled = changed(ctx, record, "starts_at") || changed(ctx, record, "ends_at") || changed(ctx, record, "address") ||
                             changed(ctx, record, "postal_code") || changed(ctx, record, "city");
    const bool now_cancelled = cancelled && text_of(*ctx.before, "status") != "cancelled";
    if ((rescheduled && text_of(record, "status") == "planned") || now_cancelled) {
      send = true;
      sequence += 1;
      c.execute("UPDATE interventions SET ical_sequence = ? WHERE id = ?", {sequence, id});
    }
  }
  if (send && record.value("contact_id", json()).is_number_integer()) {
    store::JobStore::enqueue(c, "service_invitation", {{"intervention_id", id}, {"sequence", sequence}}, clock::now_utc(), 5,
                             "service_invitation:" + std::to_string(id) + ":" + std::to_string(sequence), clock::now_utc());
    c.execute("UPDATE interventions SET invitation_status = ? WHERE id = ?", {cancelled ? "cancel_queued" : "queued", id});
  }
  if (record.value("case_id", json()).is_number_integer() && (!ctx.before || changed(ctx, record, "status") || send))
    record_case_event(c, record["case_id"].get<int64_t>(), "intervention", ctx.actor.user_id ? std::optional<int64_t>(ctx.actor.user_id) : std::nullopt,
                      {{"intervention_id", id}, {"title", record["title"]}, {"starts_at", record["starts_at"]},
                       {"status", record["status"]}, {"sequence", sequence}});
}

}  // namespace gz::modules::service
