#include "modules/analytics/module.h"

#include "cli/cli.h"
#include "http/api.h"

namespace gz::modules::analytics {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "analytics";
    m.label = {"Valeur client", "Customer value"};
    m.depends = {"users", "customers", "activity", "orders"};
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
