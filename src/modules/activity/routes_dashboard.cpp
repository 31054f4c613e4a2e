// GET /api/v1/dashboard: the figures of the web interface's home page in one call
// (domain::DashboardService, over what the caller may see).
#include "modules/activity/dashboard.h"
#include "http/api.h"

namespace gz::http {

void add_dashboard_routes(Api& api, Services& s) {
  api.add({"GET", "/api/v1/dashboard",
       "Home-page figures over the customers you can see: revenue_by_month, new_customers_by_month (contacts whose "
       "first purchase falls in the month), contacts_by_stage, accounts_by_stage; query: months (1-36, default 12)",
       "dashboard", true, "", "dashboard", [&s](RequestContext& ctx) {
         int months = int(query_int(ctx.req, "months", domain::DashboardService::kDefaultMonths,
                                         domain::DashboardService::kMinMonths, domain::DashboardService::kMaxMonths));
         reject_unknown_params(ctx.req, {"months"});
         send_json(ctx.res, 200, domain::DashboardService(s.db).figures(ctx.actor, months));
       }, 200});
}

}  // namespace gz::http
