// The supervisor's dashboard (docs/service.md, "Dashboard"): backlog by status and age, service
// level attainment by tier and policy (from the last replay of each case), first-contact
// resolution, handling and waiting times, CSAT and NPS with their weekly trends, complaints by
// reason, per agent; and the cost of service per customer that the profitability analysis adds.
#include <map>

#include "core/clock.h"
#include "core/json_text.h"
#include "core/message.h"
#include "core/zoned_time.h"
#include "modules/service/service.h"
#include "modules/service/vocabulary.h"

namespace gz::modules::service {

namespace {

int64_t id_of(const json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

double pct(int64_t part, int64_t whole) { return whole ? std::round(1000.0 * part / whole) / 10.0 : 0.0; }

// The Monday of an ISO date's week.
std::string week_of(const std::string& date) { return zoned::next_date(date, 1 - zoned::weekday(date)); }

// Met: every metric with a target met in time; breached: any missed.
struct Attainment {
  int64_t cases = 0, met = 0, breached = 0;
  json to_json() const { return {{"cases", cases}, {"met", met}, {"breached", breached}, {"attainment_pct", pct(met, met + breached)}}; }
};

void count(Attainment& a, const json& row) {
  bool any_target = false, breached = false, pending = false;
  for (const char* k : {"first_response_state", "next_response_state", "resolution_state"}) {
    const std::string s = text_of(row, k);
    if (s.empty() || s == "none") continue;
    any_target = true;
    if (s == "breached") breached = true;
    else if (s != "met") pending = true;
  }
  if (!any_target) return;
  ++a.cases;
  if (breached) ++a.breached;
  else if (!pending) ++a.met;
}

}  // namespace

json dashboard(store::Database& db, const domain::Actor& actor, const std::string& from, const std::string& to, const std::string& lang) {
  if (!(actor.is_admin() || actor.may("service.supervise") || actor.role == "manager"))
    throw Problem(ProblemKind::Forbidden, tr("the service dashboard is for supervisors and managers"));
  return store::with_transaction(db, false, [&](store::Connection& c) {
    const std::string start = from + "T00:00:00Z", end = zoned::next_date(to) + "T00:00:00Z";
    const std::string now = clock::now_utc();
    json out = {{"from", from}, {"to", to}};
    // Backlog: every open case, whenever it was opened.
    json by_status = json::array();
    for (const auto& r : c.query("SELECT status, COUNT(*) AS n FROM cases WHERE status NOT IN ('solved', 'closed') GROUP BY status"))
      by_status.push_back({{"status", r["status"]}, {"label", choice_label(case_statuses(), text_of(r, "status"), lang)}, {"count", r["n"]}});
    const int64_t t = clock::now_unix();
    const std::vector<std::pair<int64_t, const char*>> buckets = {{86400, "Moins d'un jour"}, {3 * 86400, "1 à 3 jours"},
                                                                   {7 * 86400, "3 à 7 jours"}, {INT64_MAX, "Plus de 7 jours"}};
    std::vector<int64_t> age(buckets.size(), 0);
    for (const auto& r : c.query("SELECT created_at FROM cases WHERE status NOT IN ('solved', 'closed')")) {
      const int64_t a = t - clock::parse_utc(text_of(r, "created_at")).value_or(t);
      for (size_t i = 0; i < buckets.size(); ++i)
        if (a < buckets[i].first) {
          ++age[i];
          break;
        }
    }
    json by_age = json::array();
    for (size_t i = 0; i < buckets.size(); ++i) by_age.push_back({{"bucket", i}, {"label", buckets[i].second}, {"count", age[i]}});
    out["backlog"] = {{"by_status", by_status}, {"by_age", by_age}, {"open", [&] {
                        int64_t n = 0;
                        for (auto x : age) n += x;
                        return n;
                      }()}};

    // Service levels of the cases opened in the period.
    std::map<std::string, Attainment> tiers;
    std::map<int64_t, Attainment> policies;
    Attainment all;
    std::map<int64_t, std::pair<Attainment, int64_t>> agent_sla;  // with solved count
    for (const auto& r : c.query("SELECT cs.assignee_id, s.tier, s.policy_id, s.first_response_state, s.next_response_state, s.resolution_state "
                                 "FROM cases cs JOIN case_sla s ON s.case_id = cs.id WHERE cs.created_at >= ? AND cs.created_at < ? "
                                 "AND cs.merged_into_id IS NULL",
                                 {start, end})) {
      count(tiers[text_of(r, "tier", "none")], r);
      if (r["policy_id"].is_number_integer()) count(policies[r["policy_id"].get<int64_t>()], r);
      count(all, r);
      if (r["assignee_id"].is_number_integer()) count(agent_sla[r["assignee_id"].get<int64_t>()].first, r);
    }
    json by_tier = json::array();
    for (const char* tier : {"gold", "silver", "bronze", "none"})
      if (tiers.count(tier)) {
        json j = tiers[tier].to_json();
        j["tier"] = tier;
        j["label"] = std::string(tier) == "none" ? (lang == "en" ? "No tier" : "Sans niveau") : choice_label(value_tiers(), tier, lang);
        by_tier.push_back(j);
      }
    json by_policy = json::array();
    for (auto& [pid, a] : policies) {
      json j = a.to_json();
      j["policy_id"] = pid;
      j["name"] = text_of(c.query_one("SELECT name FROM sla_policies WHERE id = ?", {pid}), "name");
      by_policy.push_back(j);
    }
    out["sla"] = {{"overall", all.to_json()}, {"by_tier", by_tier}, {"by_policy", by_policy}};

    // First-contact resolution: solved cases of the period answered once and never reopened.
    json fcr = c.query_one(
        "SELECT COUNT(*) AS solved, CAST(SUM(CASE WHEN (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cs.id AND e.kind = 'reply') <= 1 "
        "AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cs.id AND e.kind = 'status' AND e.data LIKE '%\"to\":\"reopened\"%') "
        "THEN 1 ELSE 0 END) AS BIGINT) AS first_contact FROM cases cs WHERE cs.solved_at >= ? AND cs.solved_at < ? AND cs.merged_into_id IS NULL",
        {start, end});
    out["solved"] = id_of(fcr["solved"]);
    out["first_contact_resolution_pct"] = pct(id_of(fcr["first_contact"]), id_of(fcr["solved"]));
    // Handling: opening to solution; waiting: queue to acceptance; calls: talk time.
    int64_t handling_total = 0, handling_n = 0;
    for (const auto& r : c.query("SELECT created_at, solved_at FROM cases WHERE solved_at >= ? AND solved_at < ? AND merged_into_id IS NULL",
                                 {start, end})) {
      auto a = clock::parse_utc(text_of(r, "created_at")), b = clock::parse_utc(text_of(r, "solved_at"));
      if (a && b && *b >= *a) handling_total += *b - *a, ++handling_n;
    }
    out["avg_handling_minutes"] = handling_n ? handling_total / handling_n / 60 : 0;
    int64_t wait_total = 0, wait_n = 0;
    for (const auto& r : c.query("SELECT created_at, accepted_at FROM work_items WHERE accepted_at >= ? AND accepted_at < ?", {start, end})) {
      auto a = clock::parse_utc(text_of(r, "created_at")), b = clock::parse_utc(text_of(r, "accepted_at"));
      if (a && b && *b >= *a) wait_total += *b - *a, ++wait_n;
    }
    out["avg_wait_minutes"] = wait_n ? wait_total / wait_n / 60 : 0;
    json calls = c.query_one("SELECT COUNT(*) AS n, CAST(SUM(duration_seconds) AS BIGINT) AS s, CAST(SUM(CASE WHEN state = 'missed' THEN 1 ELSE 0 END) AS BIGINT) AS missed "
                             "FROM calls WHERE created_at >= ? AND created_at < ?",
                             {start, end});
    out["calls"] = {{"count", id_of(calls["n"])}, {"missed", id_of(calls["missed"])}};
    out["avg_call_seconds"] = id_of(calls["n"]) - id_of(calls["missed"]) > 0 ? id_of(calls["s"]) / (id_of(calls["n"]) - id_of(calls["missed"])) : 0;

    // Satisfaction: CSAT (mean of 1–5) and NPS (% promoters 9–10 − % detractors 0–6), per week.
    std::map<std::string, std::array<int64_t, 5>> weeks;  // csat sum, csat n, promoters, detractors, nps n
    std::array<int64_t, 6> tot{};                          // csat sum, csat n, promoters, passives, detractors, nps n
    std::map<int64_t, std::pair<int64_t, int64_t>> agent_csat;
    for (const auto& r : c.query("SELECT answered_at, csat, nps, agent_id FROM surveys WHERE answered_at >= ? AND answered_at < ?", {start, end})) {
      auto& w = weeks[week_of(text_of(r, "answered_at").substr(0, 10))];
      if (r["csat"].is_number_integer()) {
        w[0] += r["csat"].get<int64_t>(), ++w[1], tot[0] += r["csat"].get<int64_t>(), ++tot[1];
        if (r["agent_id"].is_number_integer()) {
          auto& a = agent_csat[r["agent_id"].get<int64_t>()];
          a.first += r["csat"].get<int64_t>(), ++a.second;
        }
      }
      if (r["nps"].is_number_integer()) {
        const int64_t n = r["nps"].get<int64_t>();
        ++w[4], ++tot[5];
        if (n >= 9) ++w[2], ++tot[2];
        else if (n <= 6) ++w[3], ++tot[4];
        else ++tot[3];
      }
    }
    json csat_trend = json::array(), nps_trend = json::array();
    for (const auto& [week, w] : weeks) {
      if (w[1]) csat_trend.push_back({{"week", week}, {"avg", std::round(100.0 * w[0] / w[1]) / 100.0}, {"responses", w[1]}});
      if (w[4]) nps_trend.push_back({{"week", week}, {"score", std::lround(100.0 * (w[2] - w[3]) / w[4])}, {"responses", w[4]}});
    }
    out["csat"] = {{"avg", tot[1] ? json(std::round(100.0 * tot[0] / tot[1]) / 100.0) : json()}, {"responses", tot[1]}, {"trend", csat_trend}};
    out["nps"] = {{"score", tot[5] ? json(std::lround(100.0 * (tot[2] - tot[4]) / tot[5])) : json()}, {"responses", tot[5]},
                  {"promoters", tot[2]}, {"passives", tot[3]}, {"detractors", tot[4]}, {"trend", nps_trend}};

    json complaints = json::array();
    for (const auto& r : c.query("SELECT r.name, COUNT(*) AS n FROM cases cs JOIN complaint_reasons r ON r.id = cs.complaint_reason_id "
                                 "WHERE cs.type = 'complaint' AND cs.created_at >= ? AND cs.created_at < ? GROUP BY r.name ORDER BY n DESC, r.name",
                                 {start, end}))
      complaints.push_back({{"reason", r["name"]}, {"count", r["n"]}});
    out["complaints_by_reason"] = complaints;

    json agents = json::array();
    for (const auto& r : c.query("SELECT cs.assignee_id, u.name, COUNT(*) AS n FROM cases cs JOIN users u ON u.id = cs.assignee_id "
                                 "WHERE cs.solved_at >= ? AND cs.solved_at < ? GROUP BY cs.assignee_id, u.name ORDER BY n DESC, u.name",
                                 {start, end})) {
      const int64_t uid = r["assignee_id"].get<int64_t>();
      auto cs = agent_csat.count(uid) ? agent_csat[uid] : std::pair<int64_t, int64_t>{0, 0};
      json sla = agent_sla.count(uid) ? agent_sla[uid].first.to_json() : Attainment{}.to_json();
      agents.push_back({{"agent_id", uid}, {"name", r["name"]}, {"solved", r["n"]},
                        {"csat_avg", cs.second ? json(std::round(100.0 * cs.first / cs.second) / 100.0) : json()},
                        {"attainment_pct", sla["attainment_pct"]}});
    }
    out["by_agent"] = agents;
    out["generated_at"] = now;
    return out;
  });
}

json service_costs(store::Connection& c, const std::string& from, const std::string& to) {
  // The handling time an agent spent (calls, counted on the case) at the hourly cost, and each
  // intervention at its cost, per customer.
  json st = c.query_one("SELECT hourly_cost_cents, intervention_cost_cents FROM service_settings WHERE id = 1");
  const int64_t hourly = st.is_null() ? 0 : id_of(st["hourly_cost_cents"]), per_visit = st.is_null() ? 0 : id_of(st["intervention_cost_cents"]);
  const std::string start = from + "T00:00:00Z", end = zoned::next_date(to) + "T00:00:00Z";
  std::map<std::pair<std::string, int64_t>, int64_t> cost;
  for (const auto& r : c.query("SELECT contact_id, account_id, COALESCE(handling_seconds, 0) AS s FROM cases WHERE created_at >= ? AND created_at < ?",
                               {start, end})) {
    const int64_t cents = r["s"].get<int64_t>() * hourly / 3600;
    if (r["contact_id"].is_number_integer()) cost[{"contacts", r["contact_id"].get<int64_t>()}] += cents;
    else if (r["account_id"].is_number_integer()) cost[{"accounts", r["account_id"].get<int64_t>()}] += cents;
  }
  for (const auto& r : c.query("SELECT contact_id, account_id FROM interventions WHERE status = 'done' AND starts_at >= ? AND starts_at < ?", {start, end})) {
    if (r["contact_id"].is_number_integer()) cost[{"contacts", r["contact_id"].get<int64_t>()}] += per_visit;
    else if (r["account_id"].is_number_integer()) cost[{"accounts", r["account_id"].get<int64_t>()}] += per_visit;
  }
  json out = json::array();
  for (const auto& [k, v] : cost) out.push_back({{"entity", k.first}, {"id", k.second}, {"service_cost_cents", v}});
  return out;
}

}  // namespace gz::modules::service
