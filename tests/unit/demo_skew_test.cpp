// `gazelle demo --order-skew` (the default demo's purchase history, K = 3, and bench/analytics'):
// every buyer orders at least once, orders concentrate on a few heavy buyers, and no buyer gets
// an absurd share. With --order-skew 0 the demo spreads orders evenly.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "modules/demo/demo.h"
#include "store/database.h"
#include "store/migrations.h"

using namespace gz;
namespace fs = std::filesystem;

namespace {

struct Spread {
  int64_t buyers = 0, customers = 0, orders = 0, top20 = 0, max = 0, one_off = 0;
};

Spread spread(double skew) {
  char tmpl[] = "/tmp/gazelle-demo-skew-XXXXXX";
  EXPECT_NE(mkdtemp(tmpl), nullptr);
  fs::path dir = tmpl;
  Spread s;
  {
    auto db = store::Database::open((dir / "d.db").string());
    store::apply_migrations(*db);
    domain::DemoOptions o;
    o.accounts = 30;
    o.households = 60;
    o.contacts = 500;
    o.interactions = 0;
    o.tasks = 0;
    o.orders = 1200;  // about 4 per buyer, as in the benchmark
    o.order_skew = skew;
    domain::generate_demo(*db, o, nullptr);
    store::with_transaction(*db, false, [&](store::Connection& c) {
      s.buyers = c.query("SELECT COUNT(*) AS n FROM contacts WHERE lifecycle_stage IN "
                         "('new_customer', 'regular_customer', 'customer', 'advocate', 'partner', 'inactive')")[0]["n"];
      std::vector<int64_t> counts;
      // The generated purchase history only: the demo's accepted quotes add orders of their own.
      for (const auto& r : c.query("SELECT COUNT(*) AS n FROM orders WHERE id NOT IN "
                                   "(SELECT order_id FROM quotes WHERE order_id IS NOT NULL) GROUP BY contact_id"))
        counts.push_back(r["n"]);
      std::sort(counts.rbegin(), counts.rend());
      s.customers = int64_t(counts.size());
      s.orders = std::accumulate(counts.begin(), counts.end(), int64_t(0));
      s.top20 = std::accumulate(counts.begin(), counts.begin() + (s.customers + 4) / 5, int64_t(0));
      s.max = counts.empty() ? 0 : counts.front();
      s.one_off = std::count(counts.begin(), counts.end(), 1);
    });
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return s;
}

}  // namespace

TEST(DemoOrderSkew, EveryBuyerOrdersAndAFewBuyHeavily) {
  Spread skewed = spread(3);
  EXPECT_EQ(skewed.orders, 1200);
  EXPECT_EQ(skewed.customers, skewed.buyers) << "every buyer orders once when acquired";
  EXPECT_GT(double(skewed.top20) / double(skewed.orders), 0.45) << "the top 20 % of customers make most orders";
  EXPECT_GT(double(skewed.one_off) / double(skewed.customers), 0.2) << "many customers buy only once";
  EXPECT_LT(skewed.max, skewed.orders / 10) << "no single customer makes a tenth of the orders";

  Spread even = spread(0);
  EXPECT_EQ(even.orders, 1200);
  EXPECT_LT(double(even.top20) / double(even.orders), double(skewed.top20) / double(skewed.orders));
}
