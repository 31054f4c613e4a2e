// Calls from a phone system (docs/cti.md, "Call events"): ringing, answered and ended events
// for an agent's extension. Each event is recorded once (a repeated event changes nothing); a
// ringing call looks the caller up as the ringing agent may see the file and leaves a screen pop
// in the database, which that agent's event stream reads whichever application server holds it;
// an ended call becomes an interaction with its duration (and an event of its case).
#include "core/clock.h"
#include "core/json_text.h"
#include "core/message.h"
#include "domain/auth.h"
#include "domain/records.h"
#include "modules/lookup/lookup.h"
#include "modules/service/service.h"
#include "modules/service/vocabulary.h"
#include "store/user_store.h"

namespace gz::modules::service {

namespace {

int64_t id_of(const json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

json parse_array(const json& v) {
  json a = v.is_string() ? json::parse(v.get<std::string>(), nullptr, false) : v;
  return a.is_array() ? a : json::array();
}

std::string field_text(const json& body, const char* key, size_t max, FieldErrors& errors, bool required) {
  const json& v = body.value(key, json());
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) {
    if (required) errors.add(key, tr("is required"));
    return "";
  }
  if (!v.is_string() && !v.is_number_integer()) {
    errors.add(key, tr("must be a text"));
    return "";
  }
  std::string s = v.is_string() ? v.get<std::string>() : std::to_string(v.get<int64_t>());
  if (s.size() > max) errors.add(key, tr("is too long"));
  return s;
}

// What the agent's screen shows for a caller: the look-up's contacts and accounts, and the open
// cases of those customers.
json caller_file(store::Database& db, const domain::Actor& agent, const std::string& caller) {
  json found;
  try {
    found = lookup::PhoneLookup(db).by_phone(agent, caller, 5, 5);
  } catch (const Problem&) {  // an anonymous or withheld number: nothing to look up
    found = {{"number", caller}, {"valid", false}, {"contacts", json::array()}, {"accounts", json::array()}};
  }
  json cases = json::array();
  store::with_transaction(db, false, [&](store::Connection& c) {
    // The tier the desk serves each caller at (the company's manual tier first), as a case would.
    for (auto& p : found["contacts"]) {
      json row = {{"contact_id", p["id"]}, {"account_id", p.value("account_id", json())}};
      auto tier = case_tier(c, row);
      p["service_tier"] = tier ? json(*tier) : json();
      p["service_tier_label"] = tier ? json(choice_label(value_tiers(), *tier)) : json();
    }
    std::vector<int64_t> contacts, accounts;
    for (const auto& p : found["contacts"]) contacts.push_back(id_of(p["id"]));
    for (const auto& a : found["accounts"]) accounts.push_back(id_of(a["id"]));
    for (const auto& [ids, column] : {std::pair{contacts, "contact_id"}, std::pair{accounts, "account_id"}})
      for (int64_t id : ids)
        for (auto& r : c.query(std::string("SELECT id, number, subject, status, priority, sla_due_at, sla_state FROM cases WHERE ") + column +
                                   " = ? AND status NOT IN ('solved', 'closed') ORDER BY created_at DESC LIMIT 5",
                               {id})) {
          bool seen = false;
          for (const auto& x : cases) seen = seen || x["id"] == r["id"];
          if (seen) continue;
          r["status_label"] = choice_label(case_statuses(), text_of(r, "status"));
          r["priority_label"] = choice_label(case_priorities(), text_of(r, "priority"));
          cases.push_back(r);
        }
  });
  return json{{"lookup", found}, {"open_cases", cases}};
}

}  // namespace

json call_event(store::Database& db, const domain::Actor& actor, const json& body) {
  if (!body.is_object()) throw Problem(ProblemKind::BadRequest, tr("the body must be a JSON object"));
  FieldErrors errors;
  const std::string call_id = field_text(body, "call_id", 200, errors, true);
  const std::string event = field_text(body, "event", 20, errors, true);
  if (!event.empty() && event != "ringing" && event != "answered" && event != "ended")
    errors.add("event", tr("must be ringing, answered or ended"));
  const std::string caller = field_text(body, "caller", 40, errors, false);
  const std::string called = field_text(body, "called", 40, errors, false);
  const std::string extension = field_text(body, "extension", 20, errors, event == "ringing" || event == "answered");
  std::string direction = body.value("direction", json("inbound")).is_string() ? body.value("direction", std::string("inbound")) : "";
  if (direction != "inbound" && direction != "outbound") errors.add("direction", tr("must be inbound or outbound"));
  std::string at = clock::now_utc();
  if (body.contains("at") && !body["at"].is_null()) {
    auto t = body["at"].is_string() ? clock::parse_utc(body["at"].get<std::string>()) : std::nullopt;
    if (!t) errors.add("at", tr("must be a UTC time written YYYY-MM-DDTHH:MM:SSZ"));
    else at = clock::format_utc(*t);
  }
  errors.throw_if_any();

  // Who rings: the agent of the extension (an unknown one is refused, nothing written).
  json agent_row;
  if (!extension.empty()) {
    agent_row = store::with_transaction(db, false, [&](store::Connection& c) {
      return c.query_one("SELECT a.user_id FROM service_agents a WHERE a.extension = ?", {extension});
    });
    if (agent_row.is_null())
      throw Problem(ProblemKind::Unprocessable, tr("no agent has the extension {e}", {{"e", extension}}),
                    {{"extension", tr("no agent has the extension {e}: set it on the agent in « Agents du service client »", {{"e", extension}})}});
  }
  // The caller's file as the agent may see it, read before the write transaction.
  std::optional<domain::Actor> agent;
  if (!agent_row.is_null()) {
    auto u = store::with_transaction(db, false, [&](store::Connection& c) {
      return store::UserStore::user_by_id(c, agent_row["user_id"].get<int64_t>());
    });
    if (u) agent = domain::actor_from_row(*u);
  }
  json pop;
  if (event == "ringing" && agent && direction == "inbound") pop = caller_file(db, *agent, caller);

  return store::with_transaction(db, true, [&](store::Connection& c) {
    json call = c.query_one("SELECT * FROM calls WHERE call_id = ?", {call_id});
    const std::string now = clock::now_utc();
    if (call.is_null()) {
      c.insert("INSERT INTO calls (call_id, direction, caller, called, extension, agent_id, state, events, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, 'new', '[]', ?, ?)",
               {call_id, direction, caller, called, extension.empty() ? json() : json(extension),
                agent_row.is_null() ? json() : agent_row["user_id"], now, now});
      call = c.query_one("SELECT * FROM calls WHERE call_id = ?", {call_id});
    }
    json seen = parse_array(call["events"]);
    // The same event again (a retry of the phone system): nothing changes.
    const std::string key = event + "@" + extension;
    for (const auto& k : seen)
      if (k == key) return json{{"call_id", call_id}, {"duplicate", true}, {"state", call["state"]}};
    seen.push_back(key);
    c.execute("UPDATE calls SET events = ?, updated_at = ? WHERE id = ?", {seen.dump(), now, call["id"]});
    const json agent_id = agent_row.is_null() ? call["agent_id"] : agent_row["user_id"];
    if (event == "ringing") {
      json match = pop.is_object() ? pop["lookup"] : json();
      json contact = match.is_object() && match["contacts"].size() == 1 ? match["contacts"][0]["id"] : json();
      json account = match.is_object() && match["contacts"].empty() && match["accounts"].size() == 1 ? match["accounts"][0]["id"] : json();
      if (contact.is_number_integer() && match["contacts"][0]["account"].is_object()) account = match["contacts"][0]["account"]["id"];
      c.execute("UPDATE calls SET state = 'ringing', ringing_at = ?, agent_id = ?, contact_id = COALESCE(contact_id, ?), "
                "account_id = COALESCE(account_id, ?) WHERE id = ?",
                {at, agent_id, contact, account, call["id"]});
      if (agent_id.is_number_integer()) {
        json payload = pop.is_object() ? pop : json::object();
        payload.update({{"call_id", call_id}, {"event", "ringing"}, {"caller", caller}, {"at", at}});
        c.insert("INSERT INTO screen_pops (agent_id, call_id, event, payload, created_at) VALUES (?, ?, 'call', ?, ?)",
                 {agent_id, call_id, payload.dump(), now});
      }
    } else if (event == "answered") {
      c.execute("UPDATE calls SET state = 'answered', answered_at = ?, agent_id = ? WHERE id = ?", {at, agent_id, call["id"]});
      if (agent_id.is_number_integer())
        c.insert("INSERT INTO screen_pops (agent_id, call_id, event, payload, created_at) VALUES (?, ?, 'call', ?, ?)",
                 {agent_id, call_id, json{{"call_id", call_id}, {"event", "answered"}, {"at", at}}.dump(), now});
    } else {
      const auto answered = clock::parse_utc(text_of(call, "answered_at"));
      const auto ended = clock::parse_utc(at).value_or(0);
      const int64_t duration = answered ? std::max<int64_t>(0, ended - *answered) : 0;
      c.execute("UPDATE calls SET state = ?, ended_at = ?, duration_seconds = ? WHERE id = ?",
                {answered ? "ended" : "missed", at, duration, call["id"]});
      call = c.query_one("SELECT * FROM calls WHERE id = ?", {call["id"]});
      if (call["contact_id"].is_number_integer() || call["account_id"].is_number_integer()) {
        json in = {{"channel", "phone"}, {"direction", direction}, {"occurred_at", text_of(call, "ringing_at").empty() ? at : text_of(call, "ringing_at")},
                   {"subject", answered ? (direction == "inbound" ? "Appel entrant" : "Appel sortant") : "Appel manqué"},
                   {"duration_seconds", duration}, {"outcome", answered ? "reached" : "missed"}, {"commercial", false}};
        if (call["contact_id"].is_number_integer()) in["contact_id"] = call["contact_id"];
        if (call["account_id"].is_number_integer()) in["account_id"] = call["account_id"];
        if (agent_id.is_number_integer()) in["user_id"] = agent_id;
        json made = domain::RecordService::create_in(c, domain::system_actor(), kernel::entity("interactions"), in);
        c.execute("UPDATE calls SET interaction_id = ? WHERE id = ?", {made["id"], call["id"]});
      }
      if (call["case_id"].is_number_integer()) {
        record_case_event(c, call["case_id"].get<int64_t>(), "call", agent_id.is_number_integer() ? std::optional<int64_t>(agent_id.get<int64_t>()) : std::nullopt,
                          {{"call_id", call_id}, {"duration_seconds", duration}, {"caller", caller}});
        c.execute("UPDATE cases SET handling_seconds = COALESCE(handling_seconds, 0) + ? WHERE id = ?", {duration, call["case_id"]});
      }
      if (agent_id.is_number_integer())
        c.insert("INSERT INTO screen_pops (agent_id, call_id, event, payload, created_at) VALUES (?, ?, 'call', ?, ?)",
                 {agent_id, call_id, json{{"call_id", call_id}, {"event", "ended"}, {"duration_seconds", duration}}.dump(), now});
    }
    json out = c.query_one("SELECT call_id, state, caller, extension, agent_id, contact_id, account_id, case_id, interaction_id, "
                           "duration_seconds FROM calls WHERE call_id = ?",
                           {call_id});
    out["duplicate"] = false;
    return out;
  });
}

// Links a call to a contact (the number joins the contact's phones when missing: "link to a
// contact" for an unknown caller) and/or a case (the call's talk joins the case's history).
json link_call(store::Database& db, const domain::Actor& actor, const std::string& call_id, const json& body) {
  return store::with_transaction(db, true, [&](store::Connection& c) {
    json call = c.query_one("SELECT * FROM calls WHERE call_id = ?", {call_id});
    if (call.is_null()) throw Problem(ProblemKind::NotFound, tr("this call does not exist"));
    bool phone_added = false;
    if (body.value("contact_id", json()).is_number_integer()) {
      const int64_t contact_id = body["contact_id"].get<int64_t>();
      json contact = domain::RecordService::load_visible(c, actor, kernel::entity("contacts"), contact_id);
      json phones = contact.value("phones", json::array());
      const std::string caller = text_of(call, "caller");
      if (!caller.empty()) {
        auto key = lookup::phone_key(caller);
        bool has = false;
        for (const auto& p : phones) has = has || p == key.e164;
        if (!has && key.valid) {
          phones.push_back(key.e164);
          domain::RecordService::update_in(c, actor, kernel::entity("contacts"), contact_id, {{"phones", phones}}, std::nullopt, false);
          phone_added = true;
        }
      }
      c.execute("UPDATE calls SET contact_id = ?, account_id = ? WHERE id = ?", {contact_id, contact.value("account_id", json()), call["id"]});
      if (call["interaction_id"].is_number_integer())
        c.execute("UPDATE interactions SET contact_id = ? WHERE id = ? AND contact_id IS NULL", {contact_id, call["interaction_id"]});
    }
    if (body.value("case_id", json()).is_number_integer()) {
      const int64_t case_id = body["case_id"].get<int64_t>();
      writable_case(c, actor, case_id);
      c.execute("UPDATE calls SET case_id = ? WHERE id = ?", {case_id, call["id"]});
      // The agent on the line is answering the customer: a response by phone.
      if (!text_of(call, "answered_at").empty() || text_of(call, "state") == "ringing")
        record_case_event(c, case_id, "customer_message", actor.user_id, {{"channel", "phone"}, {"call_id", call_id}},
                          text_of(call, "ringing_at").empty() ? std::nullopt : std::optional<std::string>(text_of(call, "ringing_at")));
      c.execute("UPDATE work_items SET status = 'accepted', agent_id = ?, accepted_at = ? WHERE case_id = ? AND status IN ('waiting', 'offered')",
                {actor.user_id, clock::now_utc(), case_id});
      refresh_case_sla(c, case_id, clock::now_unix());
    }
    json out = c.query_one("SELECT call_id, state, caller, contact_id, account_id, case_id, interaction_id FROM calls WHERE id = ?", {call["id"]});
    out["phone_added"] = phone_added;  // false: already among its phones, or not a number to keep
    return out;
  });
}

// The screen pops and offers of one agent after `after_id`, oldest first.
std::vector<json> pops_after(store::Database& db, int64_t agent_id, int64_t after_id) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    return c.query("SELECT id, call_id, event, payload, created_at FROM screen_pops WHERE agent_id = ? AND id > ? ORDER BY id LIMIT 20",
                   {agent_id, after_id});
  });
}

// Where a new stream starts: after the pops older than 10 s (a call ringing while the page
// loads still shows).
int64_t pops_start(store::Database& db, int64_t agent_id) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    json r = c.query_one("SELECT MAX(id) AS n FROM screen_pops WHERE agent_id = ? AND created_at < ?",
                         {agent_id, clock::format_utc(clock::now_unix() - 10)});
    return r.is_null() || !r["n"].is_number_integer() ? int64_t(0) : r["n"].get<int64_t>();
  });
}

}  // namespace gz::modules::service
