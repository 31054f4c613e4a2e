// Every analysis runs over the customers the reader may see (docs/api.md, "Customer value
// analytics"): a manager gets their team's customers and figures, an admin the company's. Team
// A's four customers bought 30,000 cents in all, Team B's four 300,000.
#include <set>

#include "api_fixture.h"

using namespace gzt;

class AnalyticsVisibilityApi : public ApiTest {
 protected:
  static std::vector<int64_t>& team_a() {
    static std::vector<int64_t> v;
    return v;
  }
  static std::vector<int64_t>& team_b() {
    static std::vector<int64_t> v;
    return v;
  }
  static void SetUpTestSuite() {
    team_a().clear();
    team_b().clear();
    ApiTest::SetUpTestSuite();
  }
  void SetUp() override {
    ApiTest::SetUp();
    if (!team_a().empty()) return;
    // Three orders each, on days that differ per customer (so that the lifetime-value fit has
    // repeat purchases to work on).
    for (int team = 0; team < 2; ++team)
      for (int i = 0; i < 4; ++i) {
        json body = {{"last_name", std::string(team ? "Bêta " : "Alpha ") + std::to_string(i)},
                     {"owner_id", uid(team ? "sales_b" : "sales_a")}};
        if (i == 0) body["category_spend_cents"] = 1000000;
        int64_t id = create("contacts", body)["id"].get<int64_t>();
        (team ? team_b() : team_a()).push_back(id);
        int64_t price = (team ? 10000 : 1000) * (i + 1);
        for (const char* day : {"2025-01-0", "2025-03-1", "2025-05-2"})
          create("orders", {{"contact_id", id},
                            {"ordered_at", std::string(day) + std::to_string(i + 1) + "T10:00:00Z"},
                            {"status", "confirmed"},
                            {"lines", json::array({{{"description", "Article"}, {"quantity", 1}, {"unit_price_cents", price}}})}});
      }
  }
  json ok(const std::string& path, const std::string& who) {
    Response r = get(path, as(who));
    EXPECT_EQ(r.status, 200) << who << " " << path << ": " << r.dump();
    return r.j;
  }
  // The customer ids of a list answer's rows; checks they all belong to `team`.
  void only_team(const json& rows, const std::vector<int64_t>& team, const char* key = "customer_id") {
    std::set<int64_t> allowed(team.begin(), team.end());
    ASSERT_TRUE(rows.is_array());
    for (const auto& r : rows) EXPECT_TRUE(allowed.count(r[key].get<int64_t>())) << "outside the team: " << r.dump();
  }
};

TEST_F(AnalyticsVisibilityApi, Summary) {
  const std::string p = "/api/v1/analytics/summary?as_of=2025-12-31";
  json a = ok(p, "manager_a"), b = ok(p, "manager_b"), all = ok(p, "admin");
  EXPECT_EQ(a["revenue_cents"], 30000);
  EXPECT_EQ(a["customers_with_purchases"], 4);
  EXPECT_EQ(a["orders"], 12);
  EXPECT_EQ(b["revenue_cents"], 300000);
  EXPECT_EQ(all["revenue_cents"], 330000);
  EXPECT_EQ(all["customers_with_purchases"], 8);
  // "As of" is the company's last order day for everyone.
  EXPECT_EQ(ok("/api/v1/analytics/summary", "manager_a")["as_of"], ok("/api/v1/analytics/summary", "admin")["as_of"]);
}

TEST_F(AnalyticsVisibilityApi, Rfm) {
  json a = ok("/api/v1/analytics/rfm?as_of=2025-12-31", "manager_a");
  EXPECT_EQ(a["customers"], 4);
  EXPECT_EQ(a["revenue_cents"], 30000);
  EXPECT_EQ(ok("/api/v1/analytics/rfm?as_of=2025-12-31", "admin")["customers"], 8);
  json rows = ok("/api/v1/analytics/rfm/customers?as_of=2025-12-31", "manager_a");
  EXPECT_EQ(rows["total"], 4);
  only_team(rows["data"], team_a());
  only_team(ok("/api/v1/analytics/rfm/customers?as_of=2025-12-31", "manager_b")["data"], team_b());
  EXPECT_EQ(ok("/api/v1/analytics/rfm/customers?as_of=2025-12-31", "admin")["total"], 8);
}

TEST_F(AnalyticsVisibilityApi, Profitability) {
  const std::string q = "?from=2025-01-01&to=2025-12-31";
  json a = ok("/api/v1/analytics/profitability" + q, "manager_a");
  EXPECT_EQ(a["customers"], 4);
  EXPECT_EQ(a["totals"]["revenue_cents"], 30000);
  EXPECT_EQ(ok("/api/v1/analytics/profitability" + q, "admin")["totals"]["revenue_cents"], 330000);
  json rows = ok("/api/v1/analytics/profitability/customers" + q, "manager_a");
  EXPECT_EQ(rows["total"], 4);
  only_team(rows["data"], team_a());
  EXPECT_EQ(rows["data"][0]["rank"], 1);
  EXPECT_EQ(rows["data"][0]["customer_id"], team_a()[3]);  // the team's best, not the company's
}

TEST_F(AnalyticsVisibilityApi, Concentration) {
  const std::string p = "/api/v1/analytics/concentration?measure=revenue&from=2025-01-01&to=2025-12-31";
  json a = ok(p, "manager_a"), all = ok(p, "admin");
  EXPECT_EQ(a["customers"], 4);
  EXPECT_EQ(a["total_cents"], 30000);
  // The team's top customer (12,000 of 30,000) is 25 % of its customers.
  EXPECT_NEAR(a["top_shares"][3]["share"].get<double>(), 12000.0 / 30000.0, 1e-9);
  EXPECT_EQ(all["customers"], 8);
  EXPECT_EQ(all["total_cents"], 330000);
}

TEST_F(AnalyticsVisibilityApi, Cohorts) {
  auto recruited = [&](const std::string& who) {
    int64_t n = 0;
    json r = ok("/api/v1/analytics/cohorts?as_of=2025-12-31", who);
    for (const auto& c : r["cohorts"]) n += c["customers"].get<int64_t>();
    return n;
  };
  EXPECT_EQ(recruited("manager_a"), 4);
  EXPECT_EQ(recruited("manager_b"), 4);
  EXPECT_EQ(recruited("admin"), 8);
}

TEST_F(AnalyticsVisibilityApi, Tiers) {
  ASSERT_EQ(post("/api/v1/analytics/tiers/recompute?as_of=2025-12-31", as("admin"), json::object()).status, 200);
  auto counted = [&](const std::string& who) {
    int64_t n = 0;
    json t = ok("/api/v1/analytics/tiers", who);
    for (auto& [k, v] : t["contacts"].items()) n += v.get<int64_t>();
    return std::make_pair(n, t["contacts"].value("gold", int64_t(-1)));
  };
  // Company tiers (the rules rank the whole file); each reader counts the records they see.
  EXPECT_EQ(counted("manager_a").first, 4);
  EXPECT_EQ(counted("manager_a").second, 0) << "Team A has none of the company's two gold customers";
  EXPECT_EQ(counted("manager_b").second, 2);
  EXPECT_EQ(counted("admin").first, 8);
}

TEST_F(AnalyticsVisibilityApi, LifetimeValueCustomers) {
  const std::string p = "/api/v1/analytics/clv/customers?calibration_end=2025-12-31&limit=100";
  json a = ok(p, "manager_a");
  EXPECT_EQ(a["total"], 4) << a.dump();
  only_team(a["data"], team_a());
  EXPECT_EQ(ok(p, "admin")["total"], 8);
}

TEST_F(AnalyticsVisibilityApi, ShareOfWallet) {
  json a = ok("/api/v1/analytics/share-of-wallet?as_of=2025-12-31", "manager_a");
  ASSERT_EQ(a["data"].size(), 1u) << a.dump();
  EXPECT_EQ(a["data"][0]["customer_id"], team_a()[0]);
  EXPECT_EQ(ok("/api/v1/analytics/share-of-wallet?as_of=2025-12-31", "admin")["data"].size(), 2u);
}

TEST_F(AnalyticsVisibilityApi, Dashboard) {
  auto revenue = [&](const std::string& who) {
    int64_t n = 0;
    json r = ok("/api/v1/dashboard?months=36", who);
    for (const auto& m : r["revenue_by_month"]) n += m["revenue_cents"].get<int64_t>();
    return n;
  };
  EXPECT_EQ(revenue("manager_a"), 30000);
  EXPECT_EQ(revenue("manager_b"), 300000);
  EXPECT_EQ(revenue("admin"), 330000);
}
