// Customer value analytics over HTTP (docs/analytics.md), on orders and interactions created
// through the API: who may see them, settings validation, the SME guide's profitability table,
// RFM and cohorts figures, value tiers stored on the customers, the calculators.
#include "api_fixture.h"

using namespace gzt;

class AnalyticsApi : public ApiTest {
 protected:
  int64_t contact(const std::string& last_name) { return create("contacts", {{"last_name", last_name}})["id"].get<int64_t>(); }
  void order(int64_t contact_id, const std::string& day, int64_t price, int64_t discount, const std::string& status = "confirmed") {
    create("orders", {{"contact_id", contact_id},
                      {"ordered_at", day + "T10:00:00Z"},
                      {"status", status},
                      {"lines", json::array({{{"description", "Article"}, {"quantity", 1}, {"unit_price_cents", price},
                                              {"discount_cents", discount}}})}});
  }
  void interaction(int64_t contact_id, const std::string& channel, const std::string& day) {
    create("interactions", {{"contact_id", contact_id}, {"channel", channel}, {"occurred_at", day + "T09:00:00Z"}});
  }
  // The SME guide's three clients (PRODUCT.md): 300 $ − 10 %, two calls of 30 $; 275 $ − 20 %, a
  // meeting of 100 $; 250 $, nothing.
  std::vector<int64_t> three_clients() {
    Response s = put("/api/v1/analytics/settings", as("admin"),
                     {{"default_margin_rate", 1.0}, {"channel_costs_cents", {{"phone", 3000}, {"meeting", 10000}}}});
    EXPECT_EQ(s.status, 200) << s.dump();
    int64_t c1 = contact("Client Un"), c2 = contact("Client Deux"), c3 = contact("Client Trois");
    order(c1, "2025-03-01", 30000, 3000);
    order(c2, "2025-03-02", 27500, 5500);
    order(c3, "2025-03-03", 25000, 0);
    order(c3, "2025-03-04", 99900, 0, "draft");      // counts nothing
    order(c2, "2025-03-05", 88800, 0, "cancelled");  // counts nothing
    interaction(c1, "phone", "2025-02-01");
    interaction(c1, "phone", "2025-02-10");
    interaction(c2, "meeting", "2025-02-20");
    return {c1, c2, c3};
  }
};

TEST_F(AnalyticsApi, OnlyAdminManagerAndMarketingSeeAnalytics) {
  EXPECT_EQ(get("/api/v1/analytics/rfm", as("sales_a")).status, 403);
  EXPECT_EQ(get("/api/v1/analytics/profitability", as("service")).status, 403);
  EXPECT_EQ(get("/api/v1/analytics/summary", as("read_only")).status, 403);
  EXPECT_EQ(post("/api/v1/analytics/demand", as("sales_b"), json::object()).status, 403);
  EXPECT_EQ(get("/api/v1/analytics/rfm", as("manager_a")).status, 200);
  EXPECT_EQ(get("/api/v1/analytics/summary", Auth::none()).status, 401);
  // Settings: everyone with access reads them; only an admin changes them.
  Response s = get("/api/v1/analytics/settings", as("manager_a"));
  ASSERT_EQ(s.status, 200) << s.dump();
  EXPECT_EQ(s.j["rfm_bins"], 5);
  EXPECT_EQ(s.j["tiers"]["rules"][0]["name"], "gold");
  EXPECT_EQ(put("/api/v1/analytics/settings", as("manager_a"), {{"rfm_bins", 4}}).status, 403);
}

TEST_F(AnalyticsApi, SettingsValidationNamesTheField) {
  Response r = put("/api/v1/analytics/settings", as("admin"),
                   {{"default_margin_rate", 1.5},
                    {"channel_costs_cents", {{"pigeon", 10}, {"phone", -1}}},
                    {"tiers", json::parse(R"({"rules": [{"name": "gold", "top_pct": 20}, {"name": "silver", "top_pct": 30}]})")},
                    {"colour", "blue"}});
  ASSERT_EQ(r.status, 422) << r.dump();
  EXPECT_TRUE(r.is_problem());
  EXPECT_TRUE(r.names_field("default_margin_rate")) << r.dump();
  EXPECT_TRUE(r.names_field("channel_costs_cents.pigeon")) << r.dump();
  EXPECT_TRUE(r.names_field("channel_costs_cents.phone")) << r.dump();
  EXPECT_TRUE(r.names_field("tiers.rules")) << r.dump();  // 20 + 30 ≠ 100
  EXPECT_TRUE(r.names_field("colour")) << r.dump();
  // Nothing was stored: the default (30 %) stays.
  EXPECT_EQ(get("/api/v1/analytics/settings", as("admin")).j["default_margin_rate"], 0.3);
  Response ok = put("/api/v1/analytics/settings", as("admin"), {{"rfm_bins", 4}, {"tiers", {{"measure", "revenue"}}}});
  ASSERT_EQ(ok.status, 200) << ok.dump();
  Response back = get("/api/v1/analytics/settings", as("admin"));
  EXPECT_EQ(back.j["rfm_bins"], 4);
  EXPECT_EQ(back.j["tiers"]["measure"], "revenue");
  EXPECT_EQ(back.j["tiers"]["period_months"], 12);
  Response bad_query = get("/api/v1/analytics/rfm?bins=12", as("admin"));
  EXPECT_EQ(bad_query.status, 400);
  EXPECT_TRUE(bad_query.names_field("bins")) << bad_query.dump();
  EXPECT_TRUE(get("/api/v1/analytics/profitability?from=2025-02-30", as("admin")).names_field("from"));
}

TEST_F(AnalyticsApi, ProfitabilityOfTheSmeGuideTable) {
  auto ids = three_clients();
  Response t = get("/api/v1/analytics/profitability?from=2025-01-01&to=2025-12-31", as("admin"));
  ASSERT_EQ(t.status, 200) << t.dump();
  EXPECT_EQ(t.j["customers"], 3);
  EXPECT_EQ(t.j["losing_customers"], 0);
  EXPECT_EQ(t.j["totals"]["purchases_cents"], 82500);
  EXPECT_EQ(t.j["totals"]["discounts_cents"], 8500);
  EXPECT_EQ(t.j["totals"]["gross_profit_cents"], 74000);
  EXPECT_EQ(t.j["totals"]["solicitation_cost_cents"], 16000);
  EXPECT_EQ(t.j["totals"]["net_profit_cents"], 58000);
  // The admin's customers: the whole company (a manager sees their team's: analytics_visibility_api_test.cpp).
  Response rows = get("/api/v1/analytics/profitability/customers?from=2025-01-01&to=2025-12-31&limit=2", as("admin"));
  ASSERT_EQ(rows.status, 200) << rows.dump();
  ASSERT_EQ(rows.j["data"].size(), 2u);
  EXPECT_EQ(rows.j["data"][0]["customer_id"], ids[2]);  // client 3: 250
  EXPECT_EQ(rows.j["data"][0]["net_profit_cents"], 25000);
  EXPECT_EQ(rows.j["data"][0]["name"], "Client Trois");
  EXPECT_EQ(rows.j["data"][1]["customer_id"], ids[0]);  // client 1: 210, not 220
  EXPECT_EQ(rows.j["data"][1]["net_profit_cents"], 21000);
  EXPECT_EQ(rows.j["data"][1]["solicitation_cost_cents"], 6000);
  ASSERT_TRUE(rows.j["next_cursor"].is_string());
  Response last = get("/api/v1/analytics/profitability/customers?from=2025-01-01&to=2025-12-31&limit=2&cursor=" +
                          rows.j["next_cursor"].get<std::string>(), as("admin"));
  ASSERT_EQ(last.j["data"].size(), 1u);
  EXPECT_EQ(last.j["data"][0]["customer_id"], ids[1]);  // client 2: 120
  EXPECT_EQ(last.j["data"][0]["net_profit_cents"], 12000);
  EXPECT_EQ(last.j["data"][0]["rank"], 3);
  EXPECT_TRUE(last.j["next_cursor"].is_null());

  // Concentration of profit: 250 / 580 for the top customer (top 20 % of 3 = 1 customer).
  Response c = get("/api/v1/analytics/concentration?measure=profit&from=2025-01-01&to=2025-12-31", as("admin"));
  ASSERT_EQ(c.status, 200) << c.dump();
  EXPECT_EQ(c.j["customers"], 3);
  EXPECT_NEAR(c.j["top_shares"][3]["share"].get<double>(), 250.0 / 580.0, 1e-9);
  EXPECT_NEAR(c.j["pareto"][100]["share"].get<double>(), 1.0, 1e-12);
  EXPECT_EQ(c.j["pareto"].size(), 101u);

  // A return counts against its customer's revenue: client 3 returns 100 $.
  order(ids[2], "2025-04-01", 10000, 0, "returned");
  Response after = get("/api/v1/analytics/profitability?from=2025-01-01&to=2025-12-31", as("admin"));
  EXPECT_EQ(after.j["totals"]["net_profit_cents"], 48000);
  Response summary = get("/api/v1/analytics/summary?as_of=2025-12-31", as("admin"));
  EXPECT_EQ(summary.j["orders"], 3);
  EXPECT_EQ(summary.j["returns"], 1);
  EXPECT_EQ(summary.j["revenue_cents"], 74000);
  EXPECT_EQ(summary.j["returns_cents"], 10000);
  EXPECT_EQ(summary.j["customers_with_purchases"], 3);
  EXPECT_EQ(summary.j["first_order"], "2025-03-01");
}

TEST_F(AnalyticsApi, RfmSegmentsAndCohorts) {
  // Five customers: customer i buys i + 1 times, the last time 10 × (5 − i) days before 30 June.
  std::vector<int64_t> ids;
  const char* last_days[] = {"2025-05-11", "2025-05-21", "2025-05-31", "2025-06-10", "2025-06-20"};
  const char* earlier[] = {"2025-01-15", "2025-02-15", "2025-03-15", "2025-04-15"};
  for (int i = 0; i < 5; ++i) {
    ids.push_back(contact("Rfm " + std::to_string(i)));
    order(ids.back(), last_days[i], 10000 * (i + 1), 0);
    for (int k = 0; k < i; ++k) order(ids.back(), earlier[k], 10000 * (i + 1), 0);
  }
  Response r = get("/api/v1/analytics/rfm?as_of=2025-06-30", as("admin"));
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["customers"], 5);
  EXPECT_EQ(r.j["as_of"], "2025-06-30");
  std::map<std::string, int64_t> seg;
  for (const auto& s : r.j["segments"]) seg[s["segment"].get<std::string>()] = s["customers"].get<int64_t>();
  EXPECT_EQ(seg.size(), 11u);
  EXPECT_EQ(seg["champions"], 1);
  EXPECT_EQ(seg["loyal"], 1);
  EXPECT_EQ(seg["need_attention"], 1);
  EXPECT_EQ(seg["hibernating"], 1);
  EXPECT_EQ(seg["lost"], 1);
  EXPECT_EQ(r.j["grid"].size(), 25u);
  Response champs = get("/api/v1/analytics/rfm/customers?as_of=2025-06-30&segment=champions", as("admin"));
  ASSERT_EQ(champs.status, 200) << champs.dump();
  ASSERT_EQ(champs.j["data"].size(), 1u);
  EXPECT_EQ(champs.j["data"][0]["customer_id"], ids[4]);
  EXPECT_EQ(champs.j["data"][0]["recency_days"], 10);
  EXPECT_EQ(champs.j["data"][0]["frequency"], 5);
  EXPECT_EQ(champs.j["data"][0]["monetary_cents"], 250000);
  EXPECT_EQ(get("/api/v1/analytics/rfm/customers?segment=vip", as("admin")).status, 400);

  Response c = get("/api/v1/analytics/cohorts?as_of=2025-06-30&period=quarter", as("admin"));
  ASSERT_EQ(c.status, 200) << c.dump();
  // Customers 1-4 first buy in January (then 2-4 in February, 3-4 in March, 4 in April),
  // customer 0 in May: cohorts January (4) and May (1); months that recruited nobody are no cohort.
  ASSERT_EQ(c.j["cohorts"].size(), 2u);
  EXPECT_EQ(c.j["cohorts"][0]["cohort"], "2025-01");
  EXPECT_EQ(c.j["cohorts"][0]["customers"], 4);
  ASSERT_EQ(c.j["cohorts"][0]["retention"].size(), 6u);
  EXPECT_EQ(c.j["cohorts"][0]["retention"][1], 0.75);
  EXPECT_EQ(c.j["cohorts"][1]["cohort"], "2025-05");
  EXPECT_EQ(c.j["cohorts"][1]["customers"], 1);
  EXPECT_TRUE(c.j["partial_month"].is_null());  // 30 June: the month is over
  EXPECT_EQ(c.j["cohorts"][0]["retention"][5], 0.5);
  ASSERT_EQ(c.j["macro"].size(), 2u);
  EXPECT_EQ(c.j["macro"][0]["period"], "2025-Q1");
  EXPECT_EQ(c.j["macro"][0]["recruited"], 4);
  EXPECT_EQ(c.j["macro"][1]["recruited"], 1);
  EXPECT_EQ(c.j["macro"][1]["retained"], 4);
  EXPECT_EQ(c.j["macro"][1]["developed"], 0);  // each spent less in Q2 than in Q1
  EXPECT_EQ(c.j["churn"][1]["rate"], 0.0);
}

// Two days into June (as_of 2 June), June is not over: no churn rate for it, its retention cells
// null, the cohort it recruits partial — rather than "everyone who has not bought again yet"
// reported as lost.
TEST_F(AnalyticsApi, CohortsLeaveTheCurrentMonthOutOfRates) {
  int64_t a = contact("Avril"), b = contact("Mai"), c = contact("Juin");
  order(a, "2025-04-10", 10000, 0);
  order(a, "2025-05-10", 10000, 0);
  order(b, "2025-05-12", 10000, 0);
  order(c, "2025-06-01", 10000, 0);
  Response r = get("/api/v1/analytics/cohorts?as_of=2025-06-02", as("admin"));
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["partial_month"], "2025-06");
  ASSERT_EQ(r.j["cohorts"].size(), 3u);
  const json& april = r.j["cohorts"][0];
  ASSERT_EQ(april["retention"].size(), 3u);
  EXPECT_EQ(april["retention"][1], 1.0);
  EXPECT_TRUE(april["retention"][2].is_null()) << april.dump();  // June so far: no rate
  EXPECT_EQ(april["partial"], false);
  EXPECT_EQ(r.j["cohorts"][2]["cohort"], "2025-06");
  EXPECT_EQ(r.j["cohorts"][2]["partial"], true);
  const json& june = r.j["churn"].back();
  EXPECT_EQ(june["period"], "2025-06");
  EXPECT_EQ(june["partial"], true);
  EXPECT_TRUE(june["rate"].is_null()) << r.j["churn"].dump();
  EXPECT_EQ(june["lost"], 2);  // so far
  EXPECT_EQ(r.j["macro"].back()["partial"], true);
  EXPECT_EQ(r.j["churn"][1]["partial"], false);
  EXPECT_EQ(r.j["churn"][1]["rate"], 0.0);
}

// Without any setting, gross profit takes the products' own margins and 30 % on the rest (not
// 100 %: "gross profit" equal to revenue and a Stobachoff curve equal to the Pareto curve), and
// the answers say which settings are still the defaults.
TEST_F(AnalyticsApi, DefaultMarginIsThirtyPercentAndProductsKeepTheirs) {
  Response st = get("/api/v1/analytics/settings", as("admin"));
  ASSERT_EQ(st.status, 200) << st.dump();
  EXPECT_EQ(st.j["default_margin_rate"], 0.3);
  EXPECT_EQ(st.j["count_free_orders"], true);
  int64_t coffee = create("products", {{"name", "Café en grains 1 kg"}, {"unit_price_cents", 10000}, {"margin_bp", 5000}})["id"];
  int64_t buyer = contact("Marge");
  create("orders", {{"contact_id", buyer},
                    {"ordered_at", "2025-03-01T10:00:00Z"},
                    {"lines", json::array({{{"product_id", coffee}, {"quantity", 1}},
                                           {{"description", "Article sans produit"}, {"quantity", 1}, {"unit_price_cents", 10000}}})}});
  Response p = get("/api/v1/analytics/profitability", as("admin"));
  ASSERT_EQ(p.status, 200) << p.dump();
  EXPECT_EQ(p.j["totals"]["revenue_cents"], 20000);
  EXPECT_EQ(p.j["totals"]["gross_profit_cents"], 5000 + 3000);  // 50 % of the coffee, 30 % of the rest
  const json& assumed = p.j["assumptions"];
  EXPECT_EQ(assumed["default_margin_rate"], 0.3);
  EXPECT_EQ(assumed["default_margin_rate_is_default"], true);
  EXPECT_EQ(assumed["channel_costs_are_default"], true);
  EXPECT_EQ(assumed["revenue_cents"], 20000);
  EXPECT_EQ(assumed["revenue_at_default_margin_cents"], 10000);
  Response c = get("/api/v1/analytics/concentration?measure=profit", as("admin"));
  ASSERT_EQ(c.status, 200) << c.dump();
  EXPECT_EQ(c.j["total_cents"], 8000);
  EXPECT_EQ(c.j["assumptions"]["default_margin_rate_is_default"], true);
  // Once an admin sets it, it is no longer a default.
  ASSERT_EQ(put("/api/v1/analytics/settings", as("admin"), {{"default_margin_rate", 0.4}}).status, 200);
  Response again = get("/api/v1/analytics/profitability", as("admin"));
  EXPECT_EQ(again.j["totals"]["gross_profit_cents"], 5000 + 4000);
  EXPECT_EQ(again.j["assumptions"]["default_margin_rate"], 0.4);
  EXPECT_EQ(again.j["assumptions"]["default_margin_rate_is_default"], false);
}

// An order worth nothing (a free sample) is a purchase occasion by default, as in the published
// models; the setting count_free_orders = false leaves it out of frequencies, cohorts and fits.
TEST_F(AnalyticsApi, FreeOrdersCountAsPurchasesUnlessSetOtherwise) {
  int64_t a = contact("Payant"), b = contact("Gratuit");
  order(a, "2025-03-01", 10000, 0);
  order(a, "2025-03-20", 0, 0);
  order(b, "2025-03-21", 0, 0);
  Response s = get("/api/v1/analytics/summary", as("admin"));
  ASSERT_EQ(s.status, 200) << s.dump();
  EXPECT_EQ(s.j["orders"], 3);
  EXPECT_EQ(s.j["customers_with_purchases"], 2);
  Response bad = put("/api/v1/analytics/settings", as("admin"), {{"count_free_orders", "no"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(bad.names_field("count_free_orders")) << bad.dump();
  ASSERT_EQ(put("/api/v1/analytics/settings", as("admin"), {{"count_free_orders", false}}).status, 200);
  s = get("/api/v1/analytics/summary", as("admin"));
  EXPECT_EQ(s.j["orders"], 1);
  EXPECT_EQ(s.j["customers_with_purchases"], 1);
  EXPECT_EQ(s.j["revenue_cents"], 10000);
  Response c = get("/api/v1/analytics/cohorts?as_of=2025-03-31", as("admin"));
  ASSERT_EQ(c.j["cohorts"].size(), 1u);
  EXPECT_EQ(c.j["cohorts"][0]["customers"], 1);
  EXPECT_EQ(c.j["assumptions"]["count_free_orders"], false);
  EXPECT_EQ(c.j["assumptions"]["count_free_orders_is_default"], false);
}

TEST_F(AnalyticsApi, TierRecomputeStoresTiersOnContacts) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(contact("Tier " + std::to_string(i)));
    order(ids.back(), "2025-05-0" + std::to_string(i + 1), 10000 * (i + 1), 0);
  }
  int64_t idle = contact("Sans achat");
  Response r = post("/api/v1/analytics/tiers/recompute?as_of=2025-06-30", as("admin"), json::object());
  ASSERT_EQ(r.status, 200) << r.dump();
  // 5 buyers: gold ⌈20 % × 5⌉ = 1, silver up to ⌈50 % × 5⌉ = 3 → 2, bronze 2; the idle contact none.
  EXPECT_EQ(r.j["contacts"]["gold"], 1);
  EXPECT_EQ(r.j["contacts"]["silver"], 2);
  EXPECT_EQ(r.j["contacts"]["bronze"], 2);
  EXPECT_EQ(r.j["contacts"]["none"], 1);
  EXPECT_EQ(get("/api/v1/contacts/" + std::to_string(ids[4]), as("admin")).j["value_tier"], "gold");
  EXPECT_EQ(get("/api/v1/contacts/" + std::to_string(ids[0]), as("admin")).j["value_tier"], "bronze");
  EXPECT_TRUE(get("/api/v1/contacts/" + std::to_string(idle), as("admin")).j["value_tier"].is_null());
  Response gold = get("/api/v1/contacts?value_tier=gold", as("admin"));
  ASSERT_EQ(gold.status, 200) << gold.dump();
  ASSERT_EQ(gold.j["data"].size(), 1u);
  EXPECT_EQ(gold.j["data"][0]["id"], ids[4]);
  Response counts = get("/api/v1/analytics/tiers", as("admin"));
  ASSERT_EQ(counts.status, 200) << counts.dump();
  EXPECT_EQ(counts.j["contacts"]["gold"], 1);
  // The 360° view carries the value card.
  Response v = get("/api/v1/contacts/" + std::to_string(ids[4]) + "/360", as("admin"));
  ASSERT_EQ(v.status, 200) << v.dump();
  EXPECT_EQ(v.j["value_card"]["tier"], "gold");
  EXPECT_EQ(v.j["value_card"]["rfm"]["monetary_cents"], 50000);
  EXPECT_EQ(v.j["value_card"]["net_profit_cents"], 15000);  // 30 % (the default margin) of 500.00
  Response none = get("/api/v1/contacts/" + std::to_string(idle) + "/360", as("admin"));
  EXPECT_TRUE(none.j["value_card"]["rfm"].is_null());
  // Settings change the rules: everyone with a purchase is gold.
  ASSERT_EQ(put("/api/v1/analytics/settings", as("admin"), json::parse(R"({"tiers": {"rules": [{"name": "gold", "top_pct": 100}]}})")).status, 200);
  Response all = post("/api/v1/analytics/tiers/recompute?as_of=2025-06-30", as("admin"), json::object());
  EXPECT_EQ(all.j["contacts"]["gold"], 5);
  EXPECT_FALSE(all.j["contacts"].contains("silver"));
}

TEST_F(AnalyticsApi, Calculators) {
  Response d = post("/api/v1/analytics/demand", as("admin"),
                    {{"households", 20000000}, {"category_penetration", 0.4}, {"brand_penetration", 0.3},
                     {"quantity_per_buyer", 5}, {"share_of_requirements", 0.5}});
  ASSERT_EQ(d.status, 200) << d.dump();
  EXPECT_DOUBLE_EQ(d.j["demand"].get<double>(), 6000000.0);
  EXPECT_EQ(d.j["steps"].size(), 5u);
  Response bad = post("/api/v1/analytics/demand", as("admin"), {{"households", 100}, {"category_penetration", 40}});
  ASSERT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("category_penetration"));
  EXPECT_TRUE(bad.names_field("brand_penetration"));
  Response r = post("/api/v1/analytics/retention-vs-acquisition", as("manager_a"),
                    {{"annual_gross_profit_cents", 20000}, {"acquisition_cost_cents", 10000}, {"years", 2}});
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["retain"]["net_cents"], 30000);
  EXPECT_EQ(r.j["replace"]["net_cents"], 20000);
  EXPECT_NEAR(r.j["replace_earns_less_pct"].get<double>(), 33.333, 0.001);
}
