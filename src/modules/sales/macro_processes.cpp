#include "modules/sales/macro_processes.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/message.h"
#include "core/zoned_time.h"
#include "http/api.h"
#include "http/params.h"
#include "kernel/catalogue.h"
#include "modules/analytics/analytics_service.h"
#include "modules/analytics/customer_value.h"
#include "modules/sales/sales_routes.h"
#include "modules/sales/sales_store.h"
#include "store/record_store.h"

namespace gz::modules::sales {

namespace an = gz::analytics;

namespace {

// The customer stages of the lifecycle ladder, in order (the funnel's ladder from new customer on).
const std::vector<std::string>& customer_ladder() {
  static const std::vector<std::string> l = {"new_customer", "regular_customer", "customer", "advocate", "partner"};
  return l;
}
int customer_rank(const std::string& stage) {
  const auto& l = customer_ladder();
  auto it = std::find(l.begin(), l.end(), stage);
  return it == l.end() ? -1 : int(it - l.begin());
}

struct Counts {
  int64_t recruit = 0, retain = 0, develop = 0, win_back = 0, lost = 0, active = 0;
};

// By the lifecycle stages: the stage history of the records the reader may see, up to the end of
// the period, one record at a time.
//   recruit:  reached new customer in the period (the funnel's count for that stage);
//   retain:   at a customer stage when the period began and still at one when it ended;
//   develop:  moved up between customer stages in the period (new → regular → customer → advocate
//             → partner);
//   win_back: came back from inactive to a customer stage in the period;
//   lost:     became inactive in the period.
Counts funnel_counts(store::Connection& c, const domain::Actor& actor, const kernel::Entity& e, const std::string& from,
                     const std::string& to, const MacroFilter& f) {
  const std::string from_ts = from + "T00:00:00Z";
  store::Params p = {from_ts, e.name, zoned::next_date(to, 1) + "T00:00:00Z"};
  store::Scope scope = domain::read_scope(actor, e);
  if (scope.none) throw Problem(ProblemKind::Forbidden, tr("your role cannot read {entity}", {{"entity", e.label.in("en")}}));
  std::string sql =
      "SELECT h.record_id, h.stage, CASE WHEN h.changed_at >= ? THEN 1 ELSE 0 END AS in_period FROM stage_history h "
      "JOIN " + e.name + " t ON t.id = h.record_id WHERE h.entity = ? AND h.changed_at < ?";
  std::string v = store::RecordStore::visibility_sql(e, "t", scope, p);
  if (!v.empty()) sql += " AND " + v;
  if (f.owner_id) sql += " AND t.owner_id = ?", p.push_back(*f.owner_id);
  if (f.source) sql += " AND t.source_type = ?", p.push_back(*f.source);
  auto rows = c.query(sql + " ORDER BY h.record_id, h.id", p);

  Counts n;
  size_t i = 0;
  while (i < rows.size()) {
    const int64_t id = rows[i]["record_id"].get<int64_t>();
    std::string at_start, prev;
    bool recruit = false, develop = false, won_back = false, lost = false;
    for (; i < rows.size() && rows[i]["record_id"].get<int64_t>() == id; ++i) {
      const std::string stage = rows[i]["stage"].get<std::string>();
      const bool in = rows[i]["in_period"].get<int64_t>() == 1;
      if (!in) {
        at_start = stage;
      } else {
        const int rank = customer_rank(stage), before = customer_rank(prev);
        if (stage == "new_customer") recruit = true;
        if (rank >= 0 && prev == "inactive") won_back = true;
        if (rank >= 0 && before >= 0 && rank > before) develop = true;
        if (stage == "inactive" && prev != "inactive" && !prev.empty()) lost = true;
      }
      prev = stage;
    }
    n.recruit += recruit;
    n.develop += develop;
    n.win_back += won_back;
    n.lost += lost;
    n.retain += customer_rank(at_start) >= 0 && customer_rank(prev) >= 0;
  }
  return n;
}

// The customers (contacts and accounts) the filter keeps, or nothing when there is no filter.
std::optional<std::set<std::pair<an::CustomerType, int64_t>>> kept_customers(store::Connection& c, const MacroFilter& f) {
  if (!f.owner_id && !f.source) return std::nullopt;
  std::set<std::pair<an::CustomerType, int64_t>> keep;
  for (auto [table, type] : {std::pair{"contacts", an::CustomerType::Contact}, {"accounts", an::CustomerType::Account}}) {
    std::string sql = std::string("SELECT id FROM ") + table + " WHERE 1 = 1";
    store::Params p;
    if (f.owner_id) sql += " AND owner_id = ?", p.push_back(*f.owner_id);
    if (f.source) sql += " AND source_type = ?", p.push_back(*f.source);
    for (const auto& r : c.query(sql, p)) keep.insert({type, r["id"].get<int64_t>()});
  }
  return keep;
}

// By what customers bought: the analytics' definitions of its macro-processes (docs/analytics.md,
// "Cohorts, churn and the four macro-processes") over this period and the previous one, on the
// analytics module's history of the customers the reader may see, with its own per-customer sums.
Counts analytics_counts(store::Database& db, const domain::Actor& actor, const std::string& entity, int32_t from, int32_t to,
                        const std::optional<std::set<std::pair<an::CustomerType, int64_t>>>& keep) {
  domain::AnalyticsService service(db);
  const domain::AnalyticsSettings st = service.current_settings();
  const an::Unit unit = entity == "accounts" ? an::Unit::Accounts : an::Unit::Contacts;
  auto snap = service.snapshot_for(actor, unit);
  const an::Grouping& g = snap->grouping(unit);
  auto [prev_from, prev_to] = previous_period(from, to);
  auto now = an::accumulate(snap->history, g, {from, to, st.count_free_orders}, nullptr);
  auto prev = an::accumulate(snap->history, g, {prev_from, prev_to, st.count_free_orders}, nullptr);
  auto earlier = an::accumulate(snap->history, g, {INT32_MIN, prev_from - 1, st.count_free_orders}, nullptr);
  Counts n;
  for (size_t k = 0; k < g.size(); ++k) {
    if (keep && !keep->count({g.type[k], g.id[k]})) continue;
    const bool bought = now[k].purchases > 0, bought_before = prev[k].purchases > 0, bought_earlier = earlier[k].purchases > 0;
    if (bought) ++n.active;
    if (bought && !bought_before && !bought_earlier) ++n.recruit;
    else if (bought && bought_before) {
      ++n.retain;
      if (now[k].revenue > prev[k].revenue) ++n.develop;
    } else if (bought && bought_earlier) {
      ++n.win_back;
    }
    if (bought_before && !bought) ++n.lost;
  }
  return n;
}

}  // namespace

std::pair<int32_t, int32_t> previous_period(int32_t from, int32_t to) {
  const int32_t m_from = an::month_of(from), m_to = an::month_of(to);
  const bool whole_months = an::period_last_day(an::PeriodKind::Month, m_from - 1) + 1 == from &&
                            an::period_last_day(an::PeriodKind::Month, m_to) == to;
  if (whole_months) {
    const int32_t months = m_to - m_from + 1;
    return {an::period_last_day(an::PeriodKind::Month, m_from - months - 1) + 1, from - 1};
  }
  const int32_t days = to - from + 1;
  return {from - days, from - 1};
}

json macro_processes(store::Database& db, const domain::Actor& actor, const std::string& entity, const std::string& from,
                     const std::string& to, const MacroFilter& filter) {
  const kernel::Entity& e = kernel::entity(entity);
  int32_t from_day = 0, to_day = 0;
  if (!an::parse_date(from, from_day) || !an::parse_date(to, to_day) || from_day > to_day)
    throw Problem(ProblemKind::BadRequest, tr("from must be a date on or before to"), {{"from", tr("must be a date on or before to")}});
  auto [funnel, keep] = store::with_transaction(db, false, [&](store::Connection& c) {
    return std::pair{funnel_counts(c, actor, e, from, to, filter), kept_customers(c, filter)};
  });
  const Counts bought = analytics_counts(db, actor, entity, from_day, to_day, keep);
  auto [prev_from, prev_to] = previous_period(from_day, to_day);
  json processes = json::array();
  for (auto [key, f, a] : {std::tuple{"recruit", funnel.recruit, bought.recruit}, {"retain", funnel.retain, bought.retain},
                           {"develop", funnel.develop, bought.develop}, {"win_back", funnel.win_back, bought.win_back}})
    processes.push_back({{"key", key}, {"funnel", f}, {"analytics", a}});
  return {{"entity", entity},
          {"from", from},
          {"to", to},
          {"previous_from", an::date_text(prev_from)},
          {"previous_to", an::date_text(prev_to)},
          {"owner_id", filter.owner_id ? json(*filter.owner_id) : json()},
          {"source", filter.source ? json(*filter.source) : json()},
          {"processes", processes},
          {"lost", {{"funnel", funnel.lost}, {"analytics", bought.lost}}},
          {"active", bought.active}};
}

void add_macro_process_routes(http::Api& api, http::Services& s) {
  api.add({"GET", "/api/v1/sales/macro-processes",
           "The four macro-processes over the funnel's period (entity: contacts or accounts; from, to: dates, default the "
           "last 12 months; owner_id, source: only the records of this owner or source): recruit, retain, develop and win "
           "back, each counted by the lifecycle stages (funnel) and by purchases as the analytics cohorts define them "
           "(analytics, against the previous period of the same length), with the customers lost",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"entity", "from", "to", "owner_id", "source"});
             const std::string entity = customer_entity_param(ctx.req);
             MacroFilter filter;
             if (http::query_text(ctx.req, "owner_id")) filter.owner_id = http::query_id(ctx.req, "owner_id", 0, "a user id");
             if (auto src = http::query_text(ctx.req, "source")) {
               const kernel::Field* f = kernel::entity(entity).field("source_type");
               if (!f || std::find(f->values.begin(), f->values.end(), *src) == f->values.end())
                 throw Problem(ProblemKind::BadRequest, tr("source must be one of the sources of a record"),
                               {{"source", tr("must be one of the sources of a record")}});
               filter.source = *src;
             }
             const ReportPeriod p = report_period(s.db, ctx.req);  // the funnel's
             http::send_json(ctx.res, 200, macro_processes(s.db, ctx.actor, entity, p.from, p.to, filter));
           }});
}

}  // namespace gz::modules::sales
