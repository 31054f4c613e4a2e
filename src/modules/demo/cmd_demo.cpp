// gazelle demo: fills a database with the demo company (modules/demo/demo.h), at any size.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/cli.h"
#include "core/message.h"
#include "modules/demo/demo.h"

namespace gz::cli {

namespace {

// The stage of generate_demo (demo.cpp, Progress::start) as the progress line names it.
Message stage_name(const std::string& s) {
  static const std::vector<std::pair<std::string, Message>> names = {
      {"users", Message::both("utilisateurs", "users")},     {"accounts", Message::both("comptes", "accounts")},
      {"households", Message::both("foyers", "households")}, {"contacts", Message::both("contacts", "contacts")},
      {"interactions", Message::both("échanges", "interactions")}, {"tasks", Message::both("relances", "tasks")},
      {"products", Message::both("produits", "products")},   {"orders", Message::both("commandes", "orders")},
      {"indexes", Message::both("index", "indexes")}, {"statistics", Message::both("statistiques", "statistics")}};
  for (const auto& [code, name] : names)
    if (code == s) return name;
  return Message::verbatim(s);
}

}  // namespace

void add_demo_command(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  auto* demo = app.add_subcommand(
      "demo", "Add the demo company (French accounts, households, contacts, interactions, tasks, orders) to the "
              "database; creates the demo users when absent");
  add_db_option(demo, ctx);
  static domain::DemoOptions opts;
  demo->add_option("--accounts", opts.accounts, "Companies to add")->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--contacts", opts.contacts, "People to add")->capture_default_str()->check(CLI::NonNegativeNumber);
  demo->add_option("--cases", opts.cases, "Service desk cases to add")->capture_default_str()->check(CLI::NonNegativeNumber);
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
      const std::string lang = locale_language();  // what the user reads, in the locale's language
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
          std::fprintf(stderr, "\r  %-13s %s   ", stage_name(s).render(lang).c_str(),
                       tr("{done} / {total}  {percent} %  {rate} rows/s  {seconds} s",
                          {{"done", done}, {"total", total}, {"percent", Message::number(pct, 1)},
                           {"rate", Message::number(rate)}, {"seconds", Message::number(secs, 1)}})
                           .render(lang)
                           .c_str());
          std::fflush(stderr);
        };
      }
      auto login = domain::generate_demo(*db, opts, progress);
      if (tty && !stage.empty()) std::fprintf(stderr, "\n");
      double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      std::cout << tr("Demo data added: {accounts} accounts, {households} households, {contacts} contacts, "
                      "{interactions} interactions, {tasks} tasks, {orders} orders in {seconds} s (database {db})",
                      {{"accounts", opts.accounts}, {"households", opts.households}, {"contacts", opts.contacts},
                       {"interactions", opts.interactions}, {"tasks", opts.tasks}, {"orders", opts.orders},
                       {"seconds", Message::number(elapsed, 1)}, {"db", ctx.db_location}})
                       .render(lang)
                << "\n"
                << tr("Log in as {email} with password {password}", {{"email", login.email}, {"password", login.password}})
                       .render(lang)
                << "\n"
                << tr("Every role has a demo user with the same password, listed in docs/demo.md.").render(lang) << "\n";
    };
  });
}

}  // namespace gz::cli
