#include "modules/analytics/module.h"

#include "cli/cli.h"
#include "modules/analytics/analytics_service.h"
#include "domain/jobs.h"
#include "http/api.h"

namespace gz::modules::analytics {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "analytics";
    m.label = {"Valeur client", "Customer value"};
    m.depends = {"users", "customers", "activity", "orders"};
    // The value card (RFM, profit, tier) of a customer's 360°, from the in-memory history.
    m.view360_after = [](store::Database& db, const kernel::Entity& e, int64_t id, nlohmann::json& out) {
      out["value_card"] = domain::AnalyticsService(db).value_card(e.name, id, out[e.singular].value("value_tier", nlohmann::json()));
    };
    m.routes = [](http::Api& api, http::Services& s) {
      http::add_analytics_routes(api, s);      // routes_analytics.cpp
      http::add_analytics_clv_routes(api, s);  // routes_analytics_clv.cpp
    };
    m.commands = [](CLI::App& app, cli::CliContext& ctx, std::function<void()>& action) {
      CLI::App* analytics = cli::add_analytics_commands(app, ctx, action);  // cmd_analytics.cpp
      cli::add_clv_command(analytics, ctx, action);                          // cmd_analytics_clv.cpp
    };
    // Nightly value tiers (docs/analytics.md): rank customers and store contacts/accounts.value_tier.
    m.jobs = [](domain::JobHandlers& h) {
      h.add("analytics.tiers", [](domain::JobContext& ctx) {
        domain::AnalyticsService(ctx.db).recompute_tiers(domain::system_actor(), {});
      });
    };
    m.schedules = {{"analytics.tiers", 86400}};
    // A server keeps the in-memory analytics loaded and reloads them after writes.
    m.while_serving = [](store::Database& db) -> std::shared_ptr<void> {
      return std::make_shared<domain::AnalyticsRefresher>(db);
    };
    return m;
  }();
  return m;
}

}  // namespace gz::modules::analytics
