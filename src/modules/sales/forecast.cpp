#include "modules/sales/sales_routes.h"
#include "modules/sales/sales_store.h"
#include "modules/sales/forecast.h"

#include <map>

#include "core/clock.h"
#include "core/message.h"
#include "core/zoned_time.h"
#include "http/api.h"
#include "http/params.h"
#include "modules/sales/exchange_rates.h"
#include "modules/settings/company_settings.h"
#include "store/record_store.h"

namespace gz::modules::sales {

namespace {

const kernel::Entity& opportunities() { return kernel::entity("opportunities"); }

// " AND <what the reader may see of o>", its parameters appended.
std::string visible(const domain::Actor& actor, store::Params& p) {
  const kernel::Entity& e = opportunities();
  store::Scope scope = domain::read_scope(actor, e);
  if (scope.none) throw Problem(ProblemKind::Forbidden, tr("your role cannot read opportunities"));
  std::string v = store::RecordStore::visibility_sql(e, "o", scope, p);
  return v.empty() ? "" : " AND " + v;
}

}  // namespace

std::string next_month(const std::string& ym) {
  int y = std::stoi(ym.substr(0, 4)), m = std::stoi(ym.substr(5, 2)) + 1;
  if (m == 13) m = 1, ++y;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

bool is_month(const std::string& s) {
  return s.size() == 7 && s[4] == '-' && std::isdigit(s[0]) && std::isdigit(s[3]) && std::isdigit(s[5]) && std::isdigit(s[6]) &&
         s.substr(5, 2) >= "01" && s.substr(5, 2) <= "12";
}

namespace {

json owner_names(store::Connection& c) {
  json out = json::object();
  for (const auto& u : c.query("SELECT id, name FROM users")) out[u["id"].dump()] = u["name"];
  return out;
}

}  // namespace

int64_t take_forecast_snapshot(store::Database& db, const std::string& today) {
  const std::string monday = zoned::next_date(today, 1 - zoned::weekday(today));
  return store::with_transaction(db, true, [&](store::Connection& c) {
    return c.execute(
        "INSERT INTO opportunity_snapshots (snapshot_week, opportunity_id, owner_id, team_id, pipeline_id, stage, "
        "forecast_category, amount_cents, probability_pct, expected_close_date, taken_at) "
        "SELECT ?, id, owner_id, team_id, pipeline_id, stage, forecast_category, company_amount_cents, probability_pct, "
        "expected_close_date, ? FROM opportunities WHERE status = 'open' AND archived_at IS NULL "
        "ON CONFLICT (snapshot_week, opportunity_id) DO NOTHING",
        {monday, clock::now_utc()});
  });
}

json forecast(store::Database& db, const domain::Actor& actor, const ForecastQuery& q) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    store::Params p = {q.from_month + "-01", next_month(q.to_month) + "-01"};
    std::string where = " AND o.archived_at IS NULL" + visible(actor, p);
    if (q.owner_id) where += " AND o.owner_id = ?", p.push_back(*q.owner_id);
    if (q.team_id) where += " AND o.team_id = ?", p.push_back(*q.team_id);
    auto open = c.query("SELECT substr(o.expected_close_date, 1, 7) AS month, o.owner_id, o.forecast_category, "
                        "SUM(o.company_amount_cents) AS amount, SUM(o.company_amount_cents * COALESCE(o.probability_pct, 0)) AS weighted_x100 "
                        "FROM opportunities o WHERE o.status = 'open' AND o.expected_close_date >= ? AND o.expected_close_date < ?" +
                            where + " GROUP BY substr(o.expected_close_date, 1, 7), o.owner_id, o.forecast_category",
                        p);
    auto won = c.query("SELECT substr(o.closed_on, 1, 7) AS month, o.owner_id, SUM(o.company_amount_cents) AS amount, COUNT(*) AS n "
                       "FROM opportunities o WHERE o.status = 'won' AND o.closed_on >= ? AND o.closed_on < ?" +
                           where + " GROUP BY substr(o.closed_on, 1, 7), o.owner_id",
                       p);
    auto empty_row = [] {
      return json{{"open_cents", 0}, {"weighted_cents", 0}, {"commit_cents", 0}, {"best_case_cents", 0},
                  {"pipeline_cents", 0}, {"omitted_cents", 0}, {"won_cents", 0}, {"won_count", 0}};
    };
    std::map<std::string, json> months;
    std::map<std::pair<std::string, int64_t>, json> per_owner;
    for (std::string m = q.from_month; m <= q.to_month; m = next_month(m)) months[m] = empty_row();
    auto add = [](json& row, const char* k, int64_t v) { row[k] = row[k].get<int64_t>() + v; };
    for (const auto& r : open) {
      const std::string m = r["month"].get<std::string>();
      const int64_t owner = r["owner_id"].is_number_integer() ? r["owner_id"].get<int64_t>() : 0;
      json& o = per_owner.try_emplace({m, owner}, empty_row()).first->second;
      const std::string cat = text_of(r, "forecast_category", "pipeline") + "_cents";
      const int64_t amount = num(r["amount"]), weighted = (num(r["weighted_x100"]) + 50) / 100;
      for (json* row : {&months[m], &o}) {
        add(*row, "open_cents", amount);
        add(*row, "weighted_cents", weighted);
        if (row->contains(cat)) add(*row, cat.c_str(), amount);
      }
    }
    for (const auto& r : won) {
      const std::string m = r["month"].get<std::string>();
      const int64_t owner = r["owner_id"].is_number_integer() ? r["owner_id"].get<int64_t>() : 0;
      json& o = per_owner.try_emplace({m, owner}, empty_row()).first->second;
      for (json* row : {&months[m], &o}) {
        add(*row, "won_cents", num(r["amount"]));
        add(*row, "won_count", num(r["n"]));
      }
    }
    json out = {{"months", json::array()}, {"owners", json::array()}, {"names", owner_names(c)}, {"currency", company_currency(c)}};
    for (auto& [m, row] : months) {
      row["month"] = m;
      out["months"].push_back(row);
    }
    for (auto& [key, row] : per_owner) {
      row["month"] = key.first;
      row["owner_id"] = key.second ? json(key.second) : json();
      out["owners"].push_back(row);
    }
    return out;
  });
}

json forecast_accuracy(store::Database& db, const domain::Actor& actor, const std::string& month) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    const std::string start = month + "-01", end = next_month(month) + "-01";
    json snap = c.query_one("SELECT MAX(snapshot_week) AS week FROM opportunity_snapshots WHERE snapshot_week <= ?", {start});
    json out = {{"month", month}, {"snapshot_week", snap["week"]}, {"owners", json::array()}, {"names", owner_names(c)},
                {"currency", company_currency(c)}};
    std::map<int64_t, json> rows;
    auto row = [&](int64_t owner) -> json& {
      return rows.try_emplace(owner, json{{"owner_id", owner ? json(owner) : json()}, {"commit_cents", 0}, {"best_case_cents", 0},
                                          {"won_cents", 0}, {"won_committed_cents", 0}})
          .first->second;
    };
    if (snap["week"].is_string()) {
      store::Params p = {snap["week"], start, end};
      std::string v = visible(actor, p);
      for (const auto& r : c.query(
               "SELECT s.owner_id, SUM(CASE WHEN s.forecast_category = 'commit' THEN s.amount_cents ELSE 0 END) AS commit_cents, "
               "SUM(CASE WHEN s.forecast_category IN ('commit', 'best_case') THEN s.amount_cents ELSE 0 END) AS best_cents "
               "FROM opportunity_snapshots s JOIN opportunities o ON o.id = s.opportunity_id WHERE s.snapshot_week = ? "
               "AND s.expected_close_date >= ? AND s.expected_close_date < ?" + v + " GROUP BY s.owner_id",
               p)) {
        json& x = row(r["owner_id"].is_number_integer() ? r["owner_id"].get<int64_t>() : 0);
        x["commit_cents"] = num(r["commit_cents"]);
        x["best_case_cents"] = num(r["best_cents"]);
      }
      // Of what was committed, how much was won in the month.
      store::Params p2 = {snap["week"], start, end, start, end};
      std::string v2 = visible(actor, p2);
      for (const auto& r : c.query(
               "SELECT s.owner_id, SUM(o.company_amount_cents) AS won FROM opportunity_snapshots s JOIN opportunities o ON "
               "o.id = s.opportunity_id WHERE s.snapshot_week = ? AND s.forecast_category = 'commit' AND s.expected_close_date >= ? "
               "AND s.expected_close_date < ? AND o.status = 'won' AND o.closed_on >= ? AND o.closed_on < ?" + v2 +
                   " GROUP BY s.owner_id",
               p2))
        row(r["owner_id"].is_number_integer() ? r["owner_id"].get<int64_t>() : 0)["won_committed_cents"] = num(r["won"]);
    }
    store::Params p3 = {start, end};
    std::string v3 = visible(actor, p3);
    for (const auto& r : c.query("SELECT o.owner_id, SUM(o.company_amount_cents) AS won FROM opportunities o WHERE o.status = 'won' "
                                 "AND o.closed_on >= ? AND o.closed_on < ? AND o.archived_at IS NULL" + v3 + " GROUP BY o.owner_id",
                                 p3))
      row(r["owner_id"].is_number_integer() ? r["owner_id"].get<int64_t>() : 0)["won_cents"] = num(r["won"]);
    int64_t commit = 0, won = 0;
    for (auto& [owner, x] : rows) {
      const int64_t cm = x["commit_cents"].get<int64_t>();
      // won / committed: 1 is a forecast kept exactly; above 1, more was won than committed.
      x["accuracy"] = cm > 0 ? json(double(x["won_cents"].get<int64_t>()) / double(cm)) : json();
      commit += cm;
      won += x["won_cents"].get<int64_t>();
      out["owners"].push_back(x);
    }
    out["commit_cents"] = commit;
    out["won_cents"] = won;
    out["accuracy"] = commit > 0 ? json(double(won) / double(commit)) : json();
    return out;
  });
}

json performance(store::Database& db, const domain::Actor& actor, const std::string& from, const std::string& to) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    store::Params p = {from, to};
    std::string v = visible(actor, p);
    auto rows = c.query("SELECT o.source, o.owner_id, o.pipeline_id, o.status, o.created_at, o.closed_on, o.company_amount_cents AS amount_cents "
                        "FROM opportunities o WHERE o.status IN ('won', 'lost') AND o.closed_on >= ? AND o.closed_on <= ? "
                        "AND o.archived_at IS NULL" + v,
                        p);
    json out = {{"from", from}, {"to", to}, {"names", owner_names(c)}, {"currency", company_currency(c)}};
    for (const char* dim : {"source", "owner_id", "pipeline_id"}) {
      std::map<std::string, json> groups;
      for (const auto& r : rows) {
        const std::string key = r[dim].is_null() ? "" : r[dim].is_string() ? r[dim].get<std::string>() : r[dim].dump();
        json& g = groups.try_emplace(key, json{{"key", r[dim]}, {"won", 0}, {"lost", 0}, {"won_cents", 0}, {"cycle_days_sum", 0}})
                      .first->second;
        if (r["status"] == "won") {
          g["won"] = g["won"].get<int64_t>() + 1;
          g["won_cents"] = g["won_cents"].get<int64_t>() + num(r["amount_cents"]);
          auto created = clock::parse_utc(r["created_at"].get<std::string>());
          auto closed = clock::parse_utc(r["closed_on"].get<std::string>() + "T00:00:00Z");
          if (created && closed) g["cycle_days_sum"] = g["cycle_days_sum"].get<int64_t>() + std::max<int64_t>(0, (*closed - *created) / 86400);
        } else {
          g["lost"] = g["lost"].get<int64_t>() + 1;
        }
      }
      json list = json::array();
      for (auto& [k, g] : groups) {
        const int64_t w = g["won"].get<int64_t>(), l = g["lost"].get<int64_t>();
        g["win_rate"] = w + l ? json(double(w) / double(w + l)) : json();
        g["average_cycle_days"] = w ? json(double(g["cycle_days_sum"].get<int64_t>()) / double(w)) : json();
        g.erase("cycle_days_sum");
        list.push_back(g);
      }
      out[std::string("by_") + (std::string(dim) == "owner_id" ? "owner" : std::string(dim) == "pipeline_id" ? "pipeline" : "source")] = list;
    }
    return out;
  });
}

void add_forecast_routes(http::Api& api, http::Services& s) {
  api.add({"GET", "/api/v1/sales/forecast",
           "The weighted pipeline by month of expected close (from, to: YYYY-MM; default this month and the next "
           "two), per owner too: open, weighted, per forecast category, and won; owner_id, team_id to narrow",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"from", "to", "owner_id", "team_id"});
             ForecastQuery q;
             const std::string today = company_today(s.db);
             q.from_month = http::query_text(ctx.req, "from", today.substr(0, 7));
             q.to_month = http::query_text(ctx.req, "to", is_month(q.from_month) ? next_month(next_month(q.from_month)) : q.from_month);
             for (const auto& [k, v] : {std::pair{"from", q.from_month}, {"to", q.to_month}})
               if (!is_month(v))
                 throw Problem(ProblemKind::BadRequest, tr("{param} must be a month written YYYY-MM", {{"param", k}}),
                               {{k, tr("must be a month written YYYY-MM")}});
             const std::string limit = std::to_string(std::stoi(q.from_month.substr(0, 4)) + 3) + q.from_month.substr(4);
             if (q.to_month < q.from_month || q.to_month > limit)
               throw Problem(ProblemKind::BadRequest, tr("to must follow from, within three years"), {{"to", tr("must follow from, within three years")}});
             if (int64_t o = http::query_id(ctx.req, "owner_id", 0, "a user id")) q.owner_id = o;
             if (int64_t t = http::query_id(ctx.req, "team_id", 0, "a team id")) q.team_id = t;
             http::send_json(ctx.res, 200, forecast(s.db, ctx.actor, q));
           }});
  api.add({"GET", "/api/v1/sales/forecast/accuracy",
           "Forecast accuracy of a month (month: YYYY-MM): per owner, what the last weekly snapshot before the month "
           "had as commit (and commit + best case) closing in it, what was won in it, accuracy = won / committed",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"month"});
             std::string month = http::query_text(ctx.req, "month", "");
             if (!is_month(month))
               throw Problem(ProblemKind::BadRequest, tr("{param} must be a month written YYYY-MM", {{"param", "month"}}),
                             {{"month", tr("must be a month written YYYY-MM")}});
             http::send_json(ctx.res, 200, forecast_accuracy(s.db, ctx.actor, month));
           }});
  api.add({"GET", "/api/v1/sales/performance",
           "Win rate and average sales cycle (days) by source, owner and pipeline, for deals closed from `from` to `to` "
           "(dates; default the last 12 months)",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"from", "to"});
             const ReportPeriod p = report_period(s.db, ctx.req);
             http::send_json(ctx.res, 200, performance(s.db, ctx.actor, p.from, p.to));
           }});
  api.add({"POST", "/api/v1/sales/forecast/snapshot",
           "Take this week's forecast snapshot now (manager or admin; the job takes it every day, once a week counts)",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             if (!manages_sales(ctx.actor))
               throw Problem(ProblemKind::Forbidden, tr("only a manager or an admin changes the sales settings"));
             const std::string today = company_today(s.db);
             http::send_json(ctx.res, 200, {{"written", take_forecast_snapshot(s.db, today)}});
           }, 200});
}

}  // namespace gz::modules::sales
