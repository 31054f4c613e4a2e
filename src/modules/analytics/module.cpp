#include "modules/analytics/module.h"

#include "cli/cli.h"
#include "domain/analytics_service.h"
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
    return m;
  }();
  return m;
}

}  // namespace gz::modules::analytics
