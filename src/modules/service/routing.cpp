// One queue for every channel (docs/service.md, "The queue"): a case waiting for an agent is a
// work item of its channel. dispatch() offers each waiting item, most urgent first (the
// customer's tier, then the nearest service-level deadline, then the priority), to the most
// competent available agent with room for that channel (the category's skill, the case's
// language), round-robin among equals; an offer not accepted within the hand-off time goes to the
// next agent. Everything is in the database, so every application server sees the same queue.
#include <algorithm>
#include <map>
#include <tuple>

#include "core/clock.h"
#include "core/json_text.h"
#include "core/message.h"
#include "core/text.h"
#include "domain/records.h"
#include "modules/customers/vocabulary.h"
#include "modules/service/service.h"
#include "modules/service/vocabulary.h"

namespace gz::modules::service {

namespace {

int64_t id_of(const json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

int tier_rank(const std::string& t) { return t == "gold" ? 0 : t == "silver" ? 1 : t == "bronze" ? 2 : 3; }

json parse_array(const json& v) {
  json a = v.is_string() ? json::parse(v.get<std::string>(), nullptr, false) : v;
  return a.is_array() ? a : json::array();
}

bool has_text(const json& list, const std::string& s) {
  for (const auto& x : list)
    if (x.is_string() && text::fold(x.get<std::string>()) == text::fold(s)) return true;
  return false;
}

const char* capacity_column(const std::string& channel) {
  if (channel == "phone") return "phone_capacity";
  if (channel == "email") return "email_capacity";
  return "web_capacity";
}

// The channel family a capacity counts in (an API or in-person case is web work).
std::string family(const std::string& channel) { return channel == "phone" || channel == "email" ? channel : "web"; }

const std::vector<kernel::Choice>& item_statuses() {
  static const std::vector<kernel::Choice> v = {{"waiting", {"En attente", "Waiting"}},
                                                {"offered", {"Proposée", "Offered"}},
                                                {"accepted", {"Prise en charge", "Accepted"}}};
  return v;
}

void notify_offer(store::Connection& c, int64_t agent_id, const json& item) {
  c.insert("INSERT INTO screen_pops (agent_id, call_id, event, payload, created_at) VALUES (?, ?, 'offer', ?, ?)",
           {agent_id, "", item.dump(), clock::now_utc()});
}

bool supervises(const domain::Actor& a) { return a.is_admin() || a.may("service.supervise") || a.role == "manager"; }

}  // namespace

int64_t handoff_seconds(store::Connection& c) {
  json s = c.query_one("SELECT handoff_minutes FROM service_settings WHERE id = 1");
  int64_t minutes = s.is_null() ? 2 : id_of(s["handoff_minutes"]);
  return std::clamp<int64_t>(minutes, 1, 240) * 60;
}

void QueueService::enqueue(store::Connection& c, int64_t case_id, const std::string& channel, std::optional<std::string> call_id) {
  if (!c.query_one("SELECT id FROM work_items WHERE case_id = ? AND status IN ('waiting', 'offered', 'accepted')", {case_id}).is_null())
    return;
  json cs = c.query_one("SELECT value_tier, sla_due_at, priority, created_at FROM cases WHERE id = ?", {case_id});
  c.insert("INSERT INTO work_items (case_id, channel, call_id, status, created_at, urgency) VALUES (?, ?, ?, 'waiting', ?, ?)",
           {case_id, channel, call_id ? json(*call_id) : json(), clock::now_utc(),
            urgency_key(text_of(cs, "value_tier"), text_of(cs, "sla_due_at"), text_of(cs, "priority"), text_of(cs, "created_at"))});
}

std::string urgency_key(const std::string& tier, const std::string& sla_due_at, const std::string& priority, const std::string& created_at) {
  return std::to_string(tier_rank(tier)) + "|" + (sla_due_at.empty() ? "9999" : sla_due_at) + "|" + std::to_string(priority_rank(priority)) +
         "|" + created_at;
}

bool QueueService::dispatch_needed(int64_t now) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    if (!c.query_one("SELECT id FROM work_items WHERE status = 'offered' AND offered_at <= ? LIMIT 1",
                     {clock::format_utc(now - handoff_seconds(c))}).is_null())
      return true;
    if (c.query_one("SELECT id FROM work_items WHERE status = 'waiting' AND channel <> 'phone' LIMIT 1").is_null()) return false;
    // An available agent with room left in a channel.
    return !c.query_one(
                 "SELECT a.id FROM service_agents a WHERE a.availability = 'available' AND ("
                 "(SELECT COUNT(*) FROM work_items w WHERE w.agent_id = a.user_id AND w.status IN ('offered', 'accepted') AND w.channel = 'email') < a.email_capacity OR "
                 "(SELECT COUNT(*) FROM work_items w WHERE w.agent_id = a.user_id AND w.status IN ('offered', 'accepted') AND w.channel NOT IN ('email', 'phone')) < a.web_capacity) LIMIT 1")
                .is_null();
  });
}

int QueueService::dispatch(int64_t now) {
  return store::with_transaction(db, true, [&](store::Connection& c) {
    const std::string now_s = clock::format_utc(now);
    // Offers left unanswered go back to the queue, remembering who let them pass.
    const std::string expired = clock::format_utc(now - handoff_seconds(c));
    for (auto& it : c.query("SELECT id, case_id, agent_id, passed_by FROM work_items WHERE status = 'offered' AND offered_at <= ?", {expired})) {
      json passed = parse_array(it["passed_by"]);
      passed.push_back(it["agent_id"]);
      c.execute("UPDATE work_items SET status = 'waiting', agent_id = NULL, offered_at = NULL, passed_by = ? WHERE id = ?",
                {passed.dump(), it["id"]});
      if (it["case_id"].is_number_integer())
        record_case_event(c, it["case_id"].get<int64_t>(), "handoff", std::nullopt, {{"from", it["agent_id"]}});
    }
    std::vector<json> agents = c.query(
        "SELECT a.user_id, a.group_id, a.skills, a.languages, a.phone_capacity, a.email_capacity, a.web_capacity, a.last_offered_at, u.name "
        "FROM service_agents a JOIN users u ON u.id = a.user_id WHERE a.availability = 'available' AND u.active = 1");
    if (agents.empty()) return 0;
    // Each agent's current load per channel family.
    std::map<std::pair<int64_t, std::string>, int64_t> load;
    for (const auto& r : c.query("SELECT agent_id, channel, COUNT(*) AS n FROM work_items WHERE status IN ('offered', 'accepted') "
                                 "AND agent_id IS NOT NULL GROUP BY agent_id, channel"))
      load[{id_of(r["agent_id"]), family(text_of(r, "channel"))}] += id_of(r["n"]);
    // The most urgent waiting items first (urgency_key), a bounded round at a time.
    std::vector<json> items = c.query(
        "SELECT w.id, w.case_id, w.channel, w.passed_by, cs.number, cs.subject, cs.language, cs.group_id, cat.skill "
        "FROM work_items w JOIN cases cs ON cs.id = w.case_id LEFT JOIN case_categories cat ON cat.id = cs.category_id "
        "WHERE w.status = 'waiting' AND w.channel <> 'phone' ORDER BY w.urgency, w.id LIMIT 300");
    int offered = 0;
    auto room_left = [&] {
      for (const auto& a : agents)
        for (const char* fam : {"email", "web"})
          if (load[{id_of(a["user_id"]), fam}] < id_of(a[capacity_column(fam)])) return true;
      return false;
    };
    for (const auto& it : items) {
      if (!room_left()) break;
      const std::string fam = family(text_of(it, "channel")), skill = text_of(it, "skill"), lang = text_of(it, "language", "fr");
      json passed = parse_array(it["passed_by"]);
      auto eligible = [&](const json& a, bool ignore_passed) {
        const int64_t uid = id_of(a["user_id"]);
        if (!ignore_passed)
          for (const auto& p : passed)
            if (id_of(p) == uid) return false;
        if (!skill.empty() && !has_text(parse_array(a["skills"]), skill)) return false;
        if (!has_text(parse_array(a["languages"]), lang)) return false;
        return load[{uid, fam}] < id_of(a[capacity_column(fam)]);
      };
      // Everyone has let it pass: it goes round again.
      bool ignore_passed = std::none_of(agents.begin(), agents.end(), [&](const json& a) { return eligible(a, false); });
      const json* best = nullptr;
      // Competence first (the category's skill, the case's group), then round-robin: whoever was
      // offered something longest ago, then the lower user id.
      auto score = [&](const json& a) {
        const int competence = (!skill.empty() && has_text(parse_array(a["skills"]), skill) ? 1 : 0) +
                               (it["group_id"].is_number_integer() && a["group_id"] == it["group_id"] ? 1 : 0);
        return std::make_tuple(-competence, text_of(a, "last_offered_at"), id_of(a["user_id"]));
      };
      for (const auto& a : agents)
        if (eligible(a, ignore_passed) && (!best || score(a) < score(*best))) best = &a;
      if (!best) continue;
      const int64_t uid = id_of((*best)["user_id"]);
      c.execute("UPDATE work_items SET status = 'offered', agent_id = ?, offered_at = ? WHERE id = ?", {uid, now_s, it["id"]});
      c.execute("UPDATE service_agents SET last_offered_at = ? WHERE user_id = ?", {now_s, uid});
      for (auto& a : agents)
        if (id_of(a["user_id"]) == uid) a["last_offered_at"] = now_s;
      load[{uid, fam}] += 1;
      notify_offer(c, uid, {{"item_id", it["id"]}, {"case_id", it["case_id"]}, {"case_number", it["number"]}, {"subject", it["subject"]}});
      ++offered;
    }
    return offered;
  });
}

json QueueService::queue(const domain::Actor& actor, bool everyone) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    const bool sup = supervises(actor);
    json me = c.query_one("SELECT id, availability FROM service_agents WHERE user_id = ?", {actor.user_id});
    // The items taken or offered (the reader's, or everyone's for a supervisor), then the most
    // urgent waiting ones: both read by index (work_items_agent, work_items_urgency).
    const std::string select =
        "SELECT w.id, w.case_id, w.channel, w.status, w.agent_id, w.created_at AS waiting_since, w.offered_at, cs.number AS case_number, "
        "cs.subject, cs.contact_id, cs.account_id, cs.value_tier, cs.priority, cs.sla_due_at, cs.sla_state, u.name AS agent_name, "
        "p.first_name, p.last_name, a.name AS account_name FROM work_items w JOIN cases cs ON cs.id = w.case_id "
        "LEFT JOIN users u ON u.id = w.agent_id LEFT JOIN contacts p ON p.id = cs.contact_id LEFT JOIN accounts a ON a.id = cs.account_id ";
    std::vector<json> rows = (everyone && sup)
        ? c.query(select + "WHERE w.status IN ('offered', 'accepted') ORDER BY w.urgency, w.id LIMIT 300")
        : c.query(select + "WHERE w.agent_id = ? AND w.status IN ('offered', 'accepted') ORDER BY w.urgency, w.id LIMIT 300", {actor.user_id});
    for (auto& r : c.query(select + "WHERE w.status = 'waiting' ORDER BY w.urgency, w.id LIMIT 50")) rows.push_back(std::move(r));
    // How many wait, counted up to 1,000 (a count of a long queue costs more than the page).
    const int64_t waiting =
        id_of(c.query_one("SELECT COUNT(*) AS n FROM (SELECT 1 FROM work_items WHERE status = 'waiting' LIMIT 1000) w")["n"]);
    json items = json::array();
    for (auto& r : rows) {
      const std::string name = (text_of(r, "first_name") + " " + text_of(r, "last_name"));
      r["customer_name"] = name == " " ? r["account_name"] : json(name.substr(name.front() == ' ' ? 1 : 0));
      for (const char* k : {"first_name", "last_name", "account_name"}) r.erase(k);
      r["tier_label"] = r["value_tier"].is_string() ? json(choice_label(value_tiers(), text_of(r, "value_tier"))) : json();
      r["tier"] = r["value_tier"];
      r.erase("value_tier");
      r["channel_label"] = choice_label(case_channels(), text_of(r, "channel"));
      r["priority_label"] = choice_label(case_priorities(), text_of(r, "priority"));
      r["status_label"] = choice_label(item_statuses(), text_of(r, "status"));
      r["sla_state_label"] = r["sla_state"].is_string() ? json(choice_label(sla_states(), text_of(r, "sla_state"))) : json();
      items.push_back(r);
    }
    json out = {{"items", items}, {"waiting", waiting}, {"waiting_capped", waiting >= 1000}, {"supervisor", sup}, {"handoff_minutes", handoff_seconds(c) / 60}};
    out["me"] = me.is_null() ? json()
                             : json{{"agent_id", me["id"]}, {"user_id", actor.user_id}, {"availability", me["availability"]},
                                    {"availability_label", choice_label(availabilities(), text_of(me, "availability"))}};
    return out;
  });
}

namespace {

json item_for(store::Connection& c, int64_t item_id) {
  json it = c.query_one("SELECT * FROM work_items WHERE id = ?", {item_id});
  if (it.is_null()) throw Problem(ProblemKind::NotFound, tr("this work item does not exist"));
  return it;
}

}  // namespace

json QueueService::accept(const domain::Actor& actor, int64_t item_id) {
  return store::with_transaction(db, true, [&](store::Connection& c) {
    json it = item_for(c, item_id);
    const std::string st = text_of(it, "status");
    if (st == "accepted" || st == "done" || st == "cancelled" || (st == "offered" && id_of(it["agent_id"]) != actor.user_id))
      throw Problem(ProblemKind::Conflict, tr("this work item was taken by someone else or is finished"));
    if (c.query_one("SELECT id FROM service_agents WHERE user_id = ?", {actor.user_id}).is_null())
      throw Problem(ProblemKind::Forbidden, tr("you are not an agent of the service: a supervisor adds you in « Agents du service client »"));
    visible_case(c, actor, it["case_id"].get<int64_t>());
    c.execute("UPDATE work_items SET status = 'accepted', agent_id = ?, accepted_at = ? WHERE id = ?",
              {actor.user_id, clock::now_utc(), item_id});
    json cs = domain::RecordService::update_in(c, actor, kernel::entity("cases"), it["case_id"].get<int64_t>(),
                                               {{"assignee_id", actor.user_id}}, std::nullopt, false);
    if (text_of(cs, "status") == "new") domain::RecordService::update_in(c, actor, kernel::entity("cases"), id_of(cs["id"]), {{"status", "open"}}, std::nullopt, false);
    return item_for(c, item_id);
  });
}

json QueueService::decline(const domain::Actor& actor, int64_t item_id) {
  store::with_transaction(db, true, [&](store::Connection& c) {
    json it = item_for(c, item_id);
    if (text_of(it, "status") != "offered" || id_of(it["agent_id"]) != actor.user_id)
      throw Problem(ProblemKind::Conflict, tr("this work item is not offered to you"));
    json passed = parse_array(it["passed_by"]);
    passed.push_back(actor.user_id);
    c.execute("UPDATE work_items SET status = 'waiting', agent_id = NULL, offered_at = NULL, passed_by = ? WHERE id = ?",
              {passed.dump(), item_id});
  });
  dispatch(clock::now_unix());
  return store::with_transaction(db, false, [&](store::Connection& c) { return item_for(c, item_id); });
}

json QueueService::reassign(const domain::Actor& actor, int64_t item_id, int64_t agent_user_id) {
  if (!supervises(actor)) throw Problem(ProblemKind::Forbidden, tr("only a supervisor of the service reassigns work"));
  return store::with_transaction(db, true, [&](store::Connection& c) {
    json it = item_for(c, item_id);
    if (text_of(it, "status") == "done" || text_of(it, "status") == "cancelled")
      throw Problem(ProblemKind::Conflict, tr("this work item is finished"));
    if (c.query_one("SELECT id FROM service_agents WHERE user_id = ?", {agent_user_id}).is_null())
      throw Problem(ProblemKind::Unprocessable, tr("this user is not an agent of the service"), {{"agent_id", tr("choose an agent")}});
    c.execute("UPDATE work_items SET status = 'accepted', agent_id = ?, accepted_at = ? WHERE id = ?",
              {agent_user_id, clock::now_utc(), item_id});
    domain::RecordService::update_in(c, actor, kernel::entity("cases"), it["case_id"].get<int64_t>(), {{"assignee_id", agent_user_id}},
                                     std::nullopt, false);
    notify_offer(c, agent_user_id, {{"item_id", item_id}, {"case_id", it["case_id"]}, {"assigned", true}});
    return item_for(c, item_id);
  });
}

json QueueService::set_availability(const domain::Actor& actor, const std::string& availability) {
  if (!customers::is_value(availabilities(), availability))
    throw Problem(ProblemKind::Unprocessable, tr("unknown availability"), {{"availability", tr("must be available, busy, away or offline")}});
  json out = store::with_transaction(db, true, [&](store::Connection& c) {
    json me = c.query_one("SELECT id FROM service_agents WHERE user_id = ?", {actor.user_id});
    if (me.is_null())
      throw Problem(ProblemKind::NotFound, tr("you are not an agent of the service: a supervisor adds you in « Agents du service client »"));
    return domain::RecordService::update_in(c, domain::system_actor(), kernel::entity("service_agents"), id_of(me["id"]),
                                            {{"availability", availability}}, std::nullopt, false);
  });
  if (availability == "available") dispatch(clock::now_unix());
  out["availability_label"] = choice_label(availabilities(), availability);
  return out;
}

json QueueService::agents(const domain::Actor& actor) {
  (void)actor;
  return store::with_transaction(db, false, [&](store::Connection& c) {
    std::map<std::pair<int64_t, std::string>, int64_t> load;
    for (const auto& r : c.query("SELECT agent_id, channel, COUNT(*) AS n FROM work_items WHERE status IN ('offered', 'accepted') "
                                 "AND agent_id IS NOT NULL GROUP BY agent_id, channel"))
      load[{id_of(r["agent_id"]), family(text_of(r, "channel"))}] += id_of(r["n"]);
    json out = json::array();
    for (auto& a : c.query("SELECT a.user_id, u.name, a.extension, a.skills, a.languages, a.availability, a.availability_since, "
                           "a.phone_capacity, a.email_capacity, a.web_capacity, a.group_id FROM service_agents a "
                           "JOIN users u ON u.id = a.user_id ORDER BY u.name")) {
      const int64_t uid = id_of(a["user_id"]);
      out.push_back({{"user_id", uid}, {"name", a["name"]}, {"extension", a["extension"]}, {"skills", parse_array(a["skills"])},
                     {"languages", parse_array(a["languages"])}, {"availability", a["availability"]},
                     {"availability_label", choice_label(availabilities(), text_of(a, "availability"))},
                     {"availability_since", a["availability_since"]}, {"group_id", a["group_id"]},
                     {"load", {{"phone", load[{uid, "phone"}]}, {"email", load[{uid, "email"}]}, {"web", load[{uid, "web"}]}}},
                     {"capacity", {{"phone", a["phone_capacity"]}, {"email", a["email_capacity"]}, {"web", a["web_capacity"]}}}});
    }
    return json{{"data", out}};
  });
}

}  // namespace gz::modules::service
