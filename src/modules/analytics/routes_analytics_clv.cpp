// Lifetime value under /api/v1/analytics/clv (docs/analytics.md, "Lifetime value"): the handlers
// pass the query to domain::ClvService, which checks the role and every parameter.
#include "modules/analytics/clv_service.h"
#include "http/api.h"

namespace gz::http {

void add_analytics_clv_routes(Api& api, Services& s) {
  const std::string common =
      " Query: model (bgnbd|pnbd|gammagamma, default bgnbd), calibration_end (YYYY-MM-DD, default the last order's "
      "day), unit (contacts|accounts). Admin, manager and marketing.";
  api.add({"GET", "/api/v1/analytics/clv",
       "Lifetime-value model fitted by maximum likelihood on the purchases up to calibration_end (weeks, same-day "
       "purchases merged): {model, params (r, alpha, a, b | r, alpha, s, beta | p, q, gamma), log_likelihood, "
       "customers, calibration_end, tracking:[{week, actual, predicted}] (cumulative repeat purchases)}." + common,
       "analytics", true, "", "", [&s](RequestContext& ctx) {
         domain::ClvService svc(s.db);
         send_json(ctx.res, 200, svc.fit(ctx.actor, query_map(ctx.req)));
       }, 200});
  api.add({"GET", "/api/v1/analytics/clv/customers",
       "Per customer, by discounted CLV descending: customer_type, customer_id, x, t_x, T, monetary_cents, p_alive, "
       "expected_purchases (over horizon_weeks), expected_value_cents (Gamma-Gamma), clv_cents." + common +
           " horizon_weeks (1-520, default 52), margin and discount_rate (0-1, default the analytics settings), "
           "limit (1-1000), cursor.",
       "analytics", true, "", "", [&s](RequestContext& ctx) {
         domain::ClvService svc(s.db);
         send_json(ctx.res, 200, svc.customers(ctx.actor, query_map(ctx.req)));
       }, 200});
}

}  // namespace gz::http
