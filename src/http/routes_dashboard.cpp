// GET /api/v1/dashboard: the figures of the web interface's home page in one call, computed in
// SQL (store/dashboard_store) over what the caller may see.
#include <ctime>

#include "core/clock.h"
#include "http/api.h"
#include "store/dashboard_store.h"

namespace gz::http {

void Api::add_dashboard_routes() {
  add({"GET", "/api/v1/dashboard",
       "Home-page figures over the customers you can see: revenue_by_month, new_customers_by_month (contacts whose "
       "first purchase falls in the month), contacts_by_stage, accounts_by_stage; query: months (1-36, default 12)",
       "dashboard", true, "", "dashboard", [this](RequestContext& ctx) {
         int months = 12;
         if (ctx.req.has_param("months")) {
           std::string v = ctx.req.get_param_value("months");
           try {
             size_t pos;
             months = std::stoi(v, &pos);
             if (pos != v.size()) months = 0;
           } catch (...) {
             months = 0;
           }
           if (months < 1 || months > 36)
             throw Problem(ProblemKind::BadRequest, "months must be a number from 1 to 36", {{"months", "1 to 36"}});
         }
         for (const auto& [k, v] : ctx.req.params)
           if (k != "months") throw Problem(ProblemKind::BadRequest, "unknown query parameter '" + k + "'", {{k, "unknown parameter"}});
         std::time_t now = std::time(nullptr);
         std::tm tm{};
         gmtime_r(&now, &tm);
         int y = tm.tm_year + 1900, m = tm.tm_mon + 1 - (months - 1);
         while (m < 1) { m += 12; --y; }
         char since[16];
         std::snprintf(since, sizeof since, "%04d-%02d-01", y, m);
         const auto& contacts = domain::entity("contacts");
         store::Scope scope = domain::read_scope(ctx.actor, contacts);
         json body = store::with_transaction(s_.db, false, [&](store::Connection& c) {
           return store::DashboardStore::figures(c, scope, since);
         });
         body["since"] = since;
         body["months"] = months;
         send_json(ctx.res, 200, body);
       }, 200});
}

}  // namespace gz::http
