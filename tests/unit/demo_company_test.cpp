// The default demo company (`make run`, `gazelle serve --demo-if-new`, `gazelle demo`;
// docs/demo.md) as a French SME's first hour finds it: a purchase history real customers could
// have made (repeat buyers at varied rates, some gone — BG/NBD fits plausible parameters and the
// fit is not flagged), product margins behind the profit figures, one demo user per role, and an
// admin whose "My day" has follow-ups and recent activity. The old even history (--order-skew 0:
// everyone buys at one rate, nobody leaves) is kept to show that its fit is flagged.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <set>

#include "core/clock.h"
#include "domain/auth.h"
#include "kernel/catalogue.h"
#include "modules/analytics/analytics_service.h"
#include "modules/analytics/clv_service.h"
#include "modules/demo/demo.h"
#include "store/database.h"
#include "store/migrations.h"

using namespace gz;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct DemoBase {
  fs::path dir;
  std::unique_ptr<store::Database> db;
  explicit DemoBase(const domain::DemoOptions& o) {
    char tmpl[] = "/tmp/gazelle-demo-company-XXXXXX";
    EXPECT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
    db = store::Database::open((dir / "d.db").string());
    store::apply_migrations(*db);
    domain::generate_demo(*db, o, nullptr);
  }
  ~DemoBase() {
    db.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// One default demo for the suite (generating it takes a second, most of it hashing passwords).
DemoBase& default_demo() {
  static DemoBase base{domain::DemoOptions{}};
  return base;
}

}  // namespace

TEST(DemoCompany, DefaultHistoryGivesAPlausibleBgNbdFit) {
  auto& base = default_demo();
  json fit = domain::ClvService(*base.db).fit(domain::system_actor(), {{"model", "bgnbd"}});
  const json& p = fit["params"];
  std::printf("demo BG/NBD: %lld customers, r %.4f alpha %.4f a %.4f b %.4f, LL %.2f, quality %s\n",
              (long long)fit["customers"].get<int64_t>(), p["r"].get<double>(), p["alpha"].get<double>(),
              p["a"].get<double>(), p["b"].get<double>(), fit["log_likelihood"].get<double>(), fit["quality"].dump().c_str());
  EXPECT_EQ(fit["quality"]["reliable"], true) << fit["quality"].dump();
  // Parameters of the order of published fits (CDNOW: 0.24, 4.4 weeks, 0.79, 2.4), not at the
  // ends of the search (the even history gave r = 394, a = 0.00006).
  EXPECT_GT(p["r"].get<double>(), 0.05);
  EXPECT_LT(p["r"].get<double>(), 5);
  EXPECT_GT(p["alpha"].get<double>(), 0.1);
  EXPECT_LT(p["alpha"].get<double>(), 100);
  EXPECT_GT(p["a"].get<double>(), 0.05);
  EXPECT_LT(p["a"].get<double>(), 20);
  EXPECT_GT(p["b"].get<double>(), 0.1);
  EXPECT_LT(p["b"].get<double>(), 100);
  EXPECT_LT(fit["quality"]["share_alive"].get<double>(), 0.9);
  // Repeat buyers at varied rates, and some who have left.
  json customers = domain::ClvService(*base.db).customers(domain::system_actor(), {{"limit", "1000"}});
  int one_off = 0, frequent = 0, gone = 0;
  for (const auto& c : customers["data"]) {
    one_off += c["x"].get<double>() == 0;
    frequent += c["x"].get<double>() >= 5;
    gone += c["p_alive"].get<double>() < 0.3;
  }
  int n = int(customers["data"].size());
  std::printf("demo customers: %d, one-off %d, 5+ repeat purchases %d, P(alive) < 0.3: %d\n", n, one_off, frequent, gone);
  EXPECT_GT(one_off, n / 20);
  EXPECT_GT(frequent, n / 20);
  EXPECT_GT(gone, n / 20);
}

TEST(DemoCompany, EvenOrdersGiveAFitThatIsFlagged) {
  domain::DemoOptions o;
  o.order_skew = 0;
  o.interactions = 0;
  o.tasks = 0;
  DemoBase even(o);
  json fit = domain::ClvService(*even.db).fit(domain::system_actor(), {{"model", "bgnbd"}});
  std::printf("even history BG/NBD: %s, quality %s\n", fit["params"].dump().c_str(), fit["quality"].dump().c_str());
  EXPECT_EQ(fit["quality"]["reliable"], false) << fit.dump();
  EXPECT_EQ(fit["quality"]["degenerate"], true) << fit.dump();
}

TEST(DemoCompany, ProductMarginsMakeProfitDifferFromRevenue) {
  auto& base = default_demo();
  domain::AnalyticsService svc(*base.db);
  json p = svc.profitability(domain::system_actor(), {});
  double revenue = double(p["totals"]["revenue_cents"].get<int64_t>());
  double gross = double(p["totals"]["gross_profit_cents"].get<int64_t>());
  std::printf("demo profitability: revenue %.0f, gross profit %.0f (%.1f %%), net %.0f, losing customers %lld\n", revenue / 100,
              gross / 100, 100 * gross / revenue, double(p["totals"]["net_profit_cents"].get<int64_t>()) / 100,
              (long long)p["losing_customers"].get<int64_t>());
  EXPECT_GT(gross / revenue, 0.2);
  EXPECT_LT(gross / revenue, 0.6);
  EXPECT_EQ(p["assumptions"]["revenue_at_default_margin_cents"], 0) << "every demo product has its margin";
  // Some customers cost more than they bring (contacts called and met who bought little): the
  // Stobachoff curve rises above 100 % of the profit.
  EXPECT_GT(p["losing_customers"].get<int64_t>(), 0);
  json c = svc.concentration(domain::system_actor(), {{"measure", "profit"}});
  std::printf("demo Stobachoff peak: %s\n", c["stobachoff_peak"].dump().c_str());
  EXPECT_GT(c["stobachoff_peak"]["share"].get<double>(), 1.0);
  EXPECT_EQ(c["total_cents"], p["totals"]["net_profit_cents"]);
}

TEST(DemoCompany, EveryRoleHasADemoUser) {
  auto& base = default_demo();
  std::set<std::string> roles;
  for (const auto& u : domain::AuthService(*base.db).list_users()) roles.insert(u["role"].get<std::string>());
  for (const auto& r : kernel::roles()) EXPECT_TRUE(roles.count(r.name)) << "no demo user with the role " << r.name;
}

TEST(DemoCompany, TheAdminsDayIsNotEmpty) {
  auto& base = default_demo();
  std::string now = clock::now_utc(), today = now.substr(0, 10);
  store::with_transaction(*base.db, false, [&](store::Connection& c) {
    int64_t admin = c.query_one("SELECT id FROM users WHERE email = 'admin@demo.gazelle.fr'")["id"];
    // Follow-ups: open, assigned to the admin, overdue or due today.
    json due = c.query_one(
        "SELECT SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END) AS overdue, "
        "SUM(CASE WHEN due_at >= ? AND substr(due_at, 1, 10) = ? THEN 1 ELSE 0 END) AS later_today "
        "FROM tasks WHERE assignee_id = ? AND status = 'open'",
        {now, now, today, admin});
    EXPECT_GE(due["overdue"].get<int64_t>() + due["later_today"].get<int64_t>(), 5) << due.dump();
    EXPECT_GE(due["overdue"].get<int64_t>(), 2) << due.dump();
    // Recent activity of their own: interactions logged in the last three days.
    int64_t three_days_ago = clock::now_unix() - 3 * 86400;
    json mine = c.query_one("SELECT COUNT(*) AS n FROM interactions WHERE user_id = ? AND occurred_at >= ?",
                            {admin, clock::format_utc(three_days_ago)});
    EXPECT_GE(mine["n"].get<int64_t>(), 3) << mine.dump();
  });
}
