#include "modules/sales/sales_routes.h"
#include "modules/sales/sales_store.h"
#include "modules/sales/results.h"

#include <map>
#include <set>

#include "core/clock.h"
#include "core/message.h"
#include "core/zoned_time.h"
#include "domain/records.h"
#include "http/api.h"
#include "http/params.h"
#include "modules/sales/forecast.h"
#include "modules/sales/sales_automation.h"
#include "modules/sales/exchange_rates.h"
#include "modules/settings/company_settings.h"
#include "store/record_store.h"

namespace gz::modules::sales {

void opportunity_after_write(domain::WriteContext& ctx, const json& record) {
  const bool now_won = text_of(record, "status") == "won";
  const bool was_won = ctx.before && text_of(*ctx.before, "status") == "won";
  const json referrer = record.value("referred_by_contact_id", json());
  if (!now_won || was_won || !referrer.is_number_integer()) return;
  const int64_t opp = record["id"].get<int64_t>();
  if (!ctx.conn.query_one("SELECT id FROM referral_rewards WHERE opportunity_id = ?", {opp}).is_null()) return;  // once
  json s = read_sales_settings(ctx.conn);
  const std::string kind = text_of(s, "referral_reward_kind", "points");
  const int64_t value = s.value("referral_reward_value", int64_t(100));
  json reward = {{"contact_id", referrer}, {"opportunity_id", opp}, {"referred_contact_id", record["contact_id"]},
                 {"referred_account_id", record["account_id"]}, {"earned_on", record["closed_on"]}, {"status", "earned"}};
  if (kind == "points") {
    reward["kind"] = "points";
    reward["points"] = value;
  } else {
    reward["kind"] = "amount";
    // "percent": basis points of the deal's amount, rounded to the cent.
    reward["amount_cents"] = kind == "amount" ? value : (num(record["amount_cents"]) * value + 5000) / 10000;
  }
  domain::RecordService::create_in(ctx.conn, domain::system_actor(), kernel::entity("referral_rewards"), reward);
}

json reassign_records(store::Database& db, const domain::Actor& actor, int64_t from_user, int64_t to_user) {
  if (!manages_sales(actor)) throw Problem(ProblemKind::Forbidden, tr("only a manager or an admin reassigns a salesperson's records"));
  if (from_user == to_user) throw Problem(ProblemKind::Unprocessable, tr("choose two different people"), {{"to_user_id", tr("choose two different people")}});
  return store::with_transaction(db, true, [&](store::Connection& c) {
    for (int64_t u : {from_user, to_user})
      if (c.query_one("SELECT id FROM users WHERE id = ?", {u}).is_null())
        throw Problem(ProblemKind::Unprocessable, tr("user {id} does not exist", {{"id", std::to_string(u)}}),
                      {{u == from_user ? "from_user_id" : "to_user_id", tr("user {id} does not exist", {{"id", std::to_string(u)}})}});
    json counts = json::object();
    struct Target {
      const char* entity;
      const char* column;
      const char* open;  // only the records still in progress
    };
    for (const Target& t : {Target{"accounts", "owner_id", "archived_at IS NULL"}, Target{"contacts", "owner_id", "archived_at IS NULL"},
                            Target{"opportunities", "owner_id", "status = 'open' AND archived_at IS NULL"},
                            Target{"quotes", "owner_id", "status IN ('draft', 'sent') AND archived_at IS NULL"},
                            Target{"tasks", "assignee_id", "status = 'open'"}}) {
      const kernel::Entity& e = kernel::entity(t.entity);
      int64_t n = 0;
      for (const auto& r : c.query(std::string("SELECT id FROM ") + t.entity + " WHERE " + t.column + " = ? AND " + t.open + " ORDER BY id",
                                   {from_user})) {
        domain::RecordService::update_in(c, actor, e, r["id"].get<int64_t>(), {{t.column, to_user}}, std::nullopt, false);
        ++n;
      }
      counts[t.entity] = n;
    }
    return counts;
  });
}

json sales_results(store::Database& db, const domain::Actor& actor, const std::string& month) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    const std::string start = month + "-01", end = next_month(month) + "-01";
    const std::string now = clock::now_utc();
    std::vector<json> people = manages_sales(actor)
                                   ? c.query("SELECT id, name, role, team_id FROM users WHERE role IN ('sales', 'manager') "
                                             "AND active <> 0 ORDER BY name")
                                   : c.query("SELECT id, name, role, team_id FROM users WHERE id = ?", {actor.user_id});
    // A manager of a team sees their team; an admin everyone.
    if (!actor.is_admin() && actor.role == "manager") {
      std::vector<json> team;
      for (const auto& p : people)
        if (p["team_id"] == json(actor.team_id) || p["id"] == json(actor.user_id)) team.push_back(p);
      people = team;
    }
    json out = {{"month", month}, {"people", json::array()}, {"currency", company_currency(c)}};
    json totals = {{"target_cents", 0}, {"won_cents", 0}, {"open_weighted_cents", 0}};
    for (const auto& p : people) {
      const json id = p["id"];
      json t = c.query_one("SELECT amount_cents FROM sales_targets WHERE user_id = ? AND month = ?", {id, month});
      json won = c.query_one("SELECT COUNT(*) AS n, COALESCE(SUM(company_amount_cents), 0) AS amount FROM opportunities WHERE owner_id = ? "
                             "AND status = 'won' AND closed_on >= ? AND closed_on < ?",
                             {id, start, end});
      json lost = c.query_one("SELECT COUNT(*) AS n FROM opportunities WHERE owner_id = ? AND status = 'lost' AND closed_on >= ? "
                              "AND closed_on < ?",
                              {id, start, end});
      json open = c.query_one("SELECT COUNT(*) AS n, COALESCE(SUM(company_amount_cents), 0) AS amount, "
                              "COALESCE(SUM(company_amount_cents * COALESCE(probability_pct, 0)), 0) AS wx FROM opportunities "
                              "WHERE owner_id = ? AND status = 'open' AND archived_at IS NULL",
                              {id});
      int64_t stale = 0;
      for (const auto& o : c.query("SELECT o.stage_entered_at, s.stale_after_days FROM opportunities o JOIN pipeline_stages s ON "
                                   "s.pipeline_id = o.pipeline_id AND s.key = o.stage WHERE o.owner_id = ? AND o.status = 'open' "
                                   "AND o.archived_at IS NULL AND s.stale_after_days IS NOT NULL",
                                   {id})) {
        auto entered = o["stage_entered_at"].is_string() ? clock::parse_utc(o["stage_entered_at"].get<std::string>()) : std::nullopt;
        if (entered && clock::now_unix() - *entered >= num(o["stale_after_days"]) * 86400) ++stale;
      }
      json calls = c.query_one("SELECT COUNT(*) AS n FROM interactions WHERE user_id = ? AND occurred_at >= ? AND occurred_at < ?",
                               {id, start + "T00:00:00Z", end + "T00:00:00Z"});
      json done = c.query_one("SELECT COUNT(*) AS n FROM tasks WHERE assignee_id = ? AND status = 'done' AND completed_at >= ? "
                              "AND completed_at < ?",
                              {id, start + "T00:00:00Z", end + "T00:00:00Z"});
      json overdue = c.query_one("SELECT COUNT(*) AS n FROM tasks WHERE assignee_id = ? AND status = 'open' AND due_at < ?", {id, now});
      const int64_t w = num(won["n"]), l = num(lost["n"]);
      json row = {{"user_id", id},
                  {"name", p["name"]},
                  {"target_cents", t.is_null() ? json() : t["amount_cents"]},
                  {"won_cents", num(won["amount"])},
                  {"won_count", w},
                  {"lost_count", l},
                  {"win_rate", w + l ? json(double(w) / double(w + l)) : json()},
                  {"open_count", num(open["n"])},
                  {"open_cents", num(open["amount"])},
                  {"open_weighted_cents", (num(open["wx"]) + 50) / 100},
                  {"stale_count", stale},
                  {"interactions", num(calls["n"])},
                  {"tasks_done", num(done["n"])},
                  {"tasks_overdue", num(overdue["n"])}};
      row["target_reached"] = t.is_null() || num(t["amount_cents"]) == 0 ? json() : json(double(num(won["amount"])) / double(num(t["amount_cents"])));
      totals["target_cents"] = num(totals["target_cents"]) + (t.is_null() ? 0 : num(t["amount_cents"]));
      totals["won_cents"] = num(totals["won_cents"]) + num(won["amount"]);
      totals["open_weighted_cents"] = num(totals["open_weighted_cents"]) + row["open_weighted_cents"].get<int64_t>();
      out["people"].push_back(row);
    }
    out["totals"] = totals;
    return out;
  });
}

json lifecycle_funnel(store::Database& db, const domain::Actor& actor, const std::string& entity, const std::string& from,
                      const std::string& to, const std::string& by) {
  static const std::vector<std::string> ladder = {"suspect", "prospect", "new_customer", "regular_customer", "customer", "advocate", "partner"};
  const kernel::Entity& e = kernel::entity(entity);
  return store::with_transaction(db, false, [&](store::Connection& c) {
    store::Params p = {entity, from + "T00:00:00Z", zoned::next_date(to, 1) + "T00:00:00Z"};
    store::Scope scope = domain::read_scope(actor, e);
    if (scope.none) throw Problem(ProblemKind::Forbidden, tr("your role cannot read {entity}", {{"entity", e.label.in("en")}}));
    std::string v = store::RecordStore::visibility_sql(e, "t", scope, p);
    const std::string column = by == "owner" ? "t.owner_id" : by == "source" ? "t.source_type" : "NULL";
    auto rows = c.query("SELECT h.record_id, h.stage, h.reason, " + column + " AS grp FROM stage_history h JOIN " + entity +
                            " t ON t.id = h.record_id WHERE h.entity = ? AND h.changed_at >= ? AND h.changed_at < ?" +
                            (v.empty() ? "" : " AND " + v) + " ORDER BY h.record_id, h.id",
                        p);
    // Per group: which records reached each stage in the period, and how those that left did.
    struct Group {
      json key;
      std::map<std::string, std::set<int64_t>> reached;
      std::map<std::string, int64_t> reasons;
    };
    std::map<std::string, Group> groups;
    for (const auto& r : rows) {
      const std::string k = r["grp"].is_null() ? "" : r["grp"].is_string() ? r["grp"].get<std::string>() : r["grp"].dump();
      Group& g = groups[k];
      g.key = r["grp"];
      const std::string stage = r["stage"].get<std::string>();
      g.reached[stage].insert(r["record_id"].get<int64_t>());
      if ((stage == "disqualified" || stage == "inactive"))
        ++g.reasons[stage + ":" + (r["reason"].is_string() ? r["reason"].get<std::string>() : "")];
    }
    json out = {{"entity", entity}, {"from", from}, {"to", to}, {"by", by}, {"groups", json::array()}, {"names", json::object()}};
    if (by == "owner")
      for (const auto& u : c.query("SELECT id, name FROM users")) out["names"][u["id"].dump()] = u["name"];
    for (auto& [k, g] : groups) {
      json steps = json::array();
      for (size_t i = 0; i < ladder.size(); ++i) {
        const auto& here = g.reached[ladder[i]];
        json step = {{"stage", ladder[i]}, {"reached", here.size()}};
        if (i + 1 < ladder.size()) {
          int64_t went_on = 0, dropped = 0;
          for (int64_t id : here) {
            bool on = false;
            for (size_t j = i + 1; j < ladder.size() && !on; ++j) on = g.reached[ladder[j]].count(id) > 0;
            if (on) ++went_on;
            else if (g.reached["disqualified"].count(id) || g.reached["inactive"].count(id)) ++dropped;
          }
          step["converted"] = went_on;
          step["dropped"] = dropped;
          step["conversion_rate"] = here.empty() ? json() : json(double(went_on) / double(here.size()));
        }
        steps.push_back(step);
      }
      json reasons = json::array();
      for (const auto& [rk, n] : g.reasons) {
        auto colon = rk.find(':');
        reasons.push_back({{"stage", rk.substr(0, colon)}, {"reason", rk.substr(colon + 1).empty() ? json() : json(rk.substr(colon + 1))}, {"count", n}});
      }
      out["groups"].push_back({{"key", g.key}, {"steps", steps}, {"disqualified", g.reached["disqualified"].size()},
                               {"inactive", g.reached["inactive"].size()}, {"exit_reasons", reasons}});
    }
    return out;
  });
}

void add_results_routes(http::Api& api, http::Services& s) {
  api.add({"GET", "/api/v1/sales/funnel",
           "The lifecycle funnel over a period (entity: contacts or accounts; from, to: dates, default the last 12 "
           "months; by: source, owner or none): per group, how many records reached each stage from suspect to partner "
           "in the period, how many of them went further (conversion) or were disqualified or became inactive "
           "(drop-out), and the exit reasons",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"entity", "from", "to", "by"});
             const std::string entity = customer_entity_param(ctx.req);
             const std::string by = http::query_text(ctx.req, "by", "none");
             if (by != "source" && by != "owner" && by != "none")
               throw Problem(ProblemKind::BadRequest, tr("by must be source, owner or none"), {{"by", tr("must be source, owner or none")}});
             const ReportPeriod p = report_period(s.db, ctx.req);
             http::send_json(ctx.res, 200, lifecycle_funnel(s.db, ctx.actor, entity, p.from, p.to, by));
           }});
  api.add({"GET", "/api/v1/sales/results",
           "One month's results (month: YYYY-MM, default this month) per salesperson: target, won, win rate, open and "
           "weighted pipeline, stale deals, interactions logged, follow-ups done and overdue. A salesperson sees their "
           "own row, a manager their team's, an admin everyone's",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"month"});
             std::string month = http::query_text(ctx.req, "month", company_today(s.db).substr(0, 7));
             if (!is_month(month))
               throw Problem(ProblemKind::BadRequest, tr("{param} must be a month written YYYY-MM", {{"param", "month"}}),
                             {{"month", tr("must be a month written YYYY-MM")}});
             http::send_json(ctx.res, 200, sales_results(s.db, ctx.actor, month));
           }});
  api.add({"POST", "/api/v1/sales/reassign",
           "Hand a departing salesperson's records to another (manager or admin): from_user_id, to_user_id. Accounts, "
           "contacts, open opportunities, open quotes and open follow-ups change owner, each change audited",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             FieldErrors errors;
             for (const char* k : {"from_user_id", "to_user_id"})
               if (!b.value(k, json()).is_number_integer()) errors.add(k, tr("must be a user id"));
             errors.throw_if_any();
             http::send_json(ctx.res, 200, reassign_records(s.db, ctx.actor, b["from_user_id"].get<int64_t>(), b["to_user_id"].get<int64_t>()));
           }, 200});
}

}  // namespace gz::modules::sales
