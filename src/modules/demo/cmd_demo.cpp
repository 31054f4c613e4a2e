// gazelle demo: fills a database with the demo company (modules/demo/demo.h), at any size.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/cli.h"
#include "modules/demo/demo.h"

namespace gz::cli {

void add_demo_command(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  auto* demo = app.add_subcommand(
      "demo", "Add the demo company (French accounts, households, contacts, interactions, tasks, orders) to the "
              "database; creates the demo users when absent");
  add_db_option(demo, ctx);
  static domain::DemoOptions opts;
  demo->add_option("--accounts", opts.accounts, "Companies to add")->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--contacts", opts.contacts, "People to add")->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--households", opts.households, "Households to add")->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--interactions", opts.interactions, "Interactions to add (last two years)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--orders", opts.orders, "Orders to add, 1–4 lines each (last two years)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--tasks", opts.tasks, "Follow-up tasks to add")->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--order-skew", opts.order_skew,
                   "K > 0 = a customer-value history like real customers': every buyer orders once when "
                   "acquired, repeat orders go mostly to a few heavy buyers (more with a larger K) within each "
                   "buyer's active life, some buyers drop out; 0 = orders spread evenly (nobody leaves)")
      ->capture_default_str()->check(CLI::Range(0.0, 20.0));
  demo->add_option("--seed", opts.seed, "Random seed: the same seed gives the same company")->capture_default_str();
  demo->callback([&ctx, &action] {
    action = [&ctx] {
      using Clock = std::chrono::steady_clock;
      auto db = ctx.open_database();
      const auto start = Clock::now();
      const bool tty = interactive();
      std::string stage;
      auto stage_start = start;
      auto last_print = start;
      domain::DemoProgress progress;
      if (tty) {
        progress = [&](int64_t done, int64_t total, const std::string& s) {
          auto now = Clock::now();
          if (s != stage) {
            if (!stage.empty()) std::fprintf(stderr, "\n");
            stage = s;
            stage_start = now;
          } else if (done != total && now - last_print < std::chrono::milliseconds(200)) {
            return;
          }
          last_print = now;
          double secs = std::chrono::duration<double>(now - stage_start).count();
          double pct = total > 0 ? 100.0 * double(done) / double(total) : 100.0;
          double rate = secs > 0 ? double(done) / secs : 0;
          std::fprintf(stderr, "\r  %-13s %12lld / %-12lld %5.1f %%  %10.0f rows/s  %6.1f s", s.c_str(),
                       (long long)done, (long long)total, pct, rate, secs);
          std::fflush(stderr);
        };
      }
      auto login = domain::generate_demo(*db, opts, progress);
      if (tty && !stage.empty()) std::fprintf(stderr, "\n");
      double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      std::printf(
          "Demo data added: %lld accounts, %lld households, %lld contacts, %lld interactions, %lld tasks, "
          "%lld orders in %.1f s (database %s)\n",
          (long long)opts.accounts, (long long)opts.households, (long long)opts.contacts,
          (long long)opts.interactions, (long long)opts.tasks, (long long)opts.orders, elapsed,
          ctx.db_location.c_str());
      std::printf("Log in as %s with password %s\n", login.email.c_str(), login.password.c_str());
      std::printf("Every role has a demo user with the same password, listed in docs/demo.md.\n");
    };
  });
}

}  // namespace gz::cli
