// Customer value analytics under /api/v1/analytics (docs/analytics.md): each handler passes
// the query or body to domain::AnalyticsService, which checks the role and every parameter.
#include "modules/analytics/analytics_service.h"
#include "http/api.h"

namespace gz::http {

void add_analytics_routes(Api& api, Services& s) {
  using Fn = json (domain::AnalyticsService::*)(const domain::Actor&, const domain::Query&);
  auto get = [&api, &s](const std::string& path, const std::string& summary, Fn fn) {
    api.add({"GET", path, summary, "analytics", true, "", "", [&s, fn](RequestContext& ctx) {
           domain::AnalyticsService svc(s.db);
           send_json(ctx.res, 200, (svc.*fn)(ctx.actor, query_map(ctx.req)));
         }, 200});
  };
  const std::string window = " Query: as_of (YYYY-MM-DD, default the last order's day), unit (contacts|accounts).";
  const std::string period = " Query: from, to (YYYY-MM-DD, default all history up to as_of), as_of, unit (contacts|accounts).";
  get("/api/v1/analytics/summary",
      "Order history summary: customers, customers_with_purchases, orders, returns, revenue_cents, first_order, "
      "last_order (admin, manager, marketing)." + window,
      &domain::AnalyticsService::summary);
  get("/api/v1/analytics/rfm",
      "RFM: customers by named segment (counts, revenue, shares) and the R×F grid." + window + " bins (2-10).",
      &domain::AnalyticsService::rfm);
  get("/api/v1/analytics/rfm/customers",
      "RFM scores per customer, by monetary value descending." + window +
          " bins, segment (champions, loyal, …), limit (1-1000), cursor.",
      &domain::AnalyticsService::rfm_customers);
  get("/api/v1/analytics/profitability",
      "Profitability totals: purchases − discounts = gross profit − solicitation cost = net profit; losing customers." + period,
      &domain::AnalyticsService::profitability);
  get("/api/v1/analytics/profitability/customers",
      "Net profit per customer, ranked." + period + " order (net_profit_desc|net_profit_asc), limit (1-1000), cursor.",
      &domain::AnalyticsService::profitability_customers);
  get("/api/v1/analytics/concentration",
      "Concentration: top shares, Pareto curve, Stobachoff curve and peak, Gini coefficient." + period +
          " measure (revenue|profit).",
      &domain::AnalyticsService::concentration);
  get("/api/v1/analytics/cohorts",
      "Cohorts by month of first purchase (retention and revenue by month since), churn and the four "
      "macro-processes (recruited, retained, developed, won back) per period." + period + " period (month|quarter|year).",
      &domain::AnalyticsService::cohorts);
  get("/api/v1/analytics/share-of-wallet",
      "Share of wallet: revenue of the last 12 months over the customer's category spend, for customers whose "
      "category_spend_cents is known. Query: as_of, limit (1-1000), cursor.",
      &domain::AnalyticsService::share_of_wallet);
  api.add({"GET", "/api/v1/analytics/settings",
       "Analytics settings: default margin rate, interaction cost per channel, RFM bins, value-tier rules, CLV rates",
       "analytics", true, "", "", [&s](RequestContext& ctx) {
         send_json(ctx.res, 200, domain::AnalyticsService(s.db).settings(ctx.actor));
       }, 200});
  api.add({"PUT", "/api/v1/analytics/settings",
       "Change analytics settings (admin): any subset of the keys; 422 names every invalid field", "analytics", true, "", "",
       [&s](RequestContext& ctx) {
         send_json(ctx.res, 200, domain::AnalyticsService(s.db).put_settings(ctx.actor, parse_json_body(ctx.req)));
       }, 200});
  api.add({"GET", "/api/v1/analytics/tiers", "Value-tier rules and the number of contacts and accounts in each stored tier",
       "analytics", true, "", "", [&s](RequestContext& ctx) {
         send_json(ctx.res, 200, domain::AnalyticsService(s.db).tiers(ctx.actor));
       }, 200});
  api.add({"POST", "/api/v1/analytics/tiers/recompute",
       "Rank customers by the tier measure and store contacts.value_tier and accounts.value_tier; query: as_of",
       "analytics", true, "", "", [&s](RequestContext& ctx) {
         send_json(ctx.res, 200, domain::AnalyticsService(s.db).recompute_tiers(ctx.actor, query_map(ctx.req)));
       }, 200});
  api.add({"POST", "/api/v1/analytics/demand",
       "Static demand: households × category penetration × brand penetration × quantity per buyer × share of "
       "requirements; body {households, category_penetration, brand_penetration, quantity_per_buyer, "
       "share_of_requirements}",
       "analytics", true, "", "", [&s](RequestContext& ctx) {
         send_json(ctx.res, 200, domain::AnalyticsService(s.db).demand(ctx.actor, parse_json_body(ctx.req)));
       }, 200});
  api.add({"POST", "/api/v1/analytics/retention-vs-acquisition",
       "Keep one customer for years vs replace it every year: net of each scenario and how much less replacing earns; "
       "body {annual_gross_profit_cents, acquisition_cost_cents, years, retention_cost_cents}",
       "analytics", true, "", "", [&s](RequestContext& ctx) {
         send_json(ctx.res, 200,
                   domain::AnalyticsService(s.db).retention_vs_acquisition(ctx.actor, parse_json_body(ctx.req)));
       }, 200});
}

}  // namespace gz::http
