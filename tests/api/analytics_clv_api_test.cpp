// Lifetime value over HTTP and the CLI (docs/analytics.md, "Lifetime value"): who may see it,
// parameter errors naming the parameter, fits on orders created through the API equal to the
// library's fit on the same purchases (cancelled and draft orders left out, same-day orders
// merged, account-only orders counted for the account), the customers list sorted by CLV with
// paging, and `gazelle analytics clv` on the published CDNOW sample.
#include "build_paths.h"
#include <cmath>
#include <map>
#include <set>

#include "modules/analytics/clv_models.h"
#include "api_fixture.h"
#include "data_sets.h"

using namespace gzt;
namespace an = gz::analytics;

namespace {

const std::string kCdnowSample = gzdata::data_file("cdnow/CDNOW_sample.txt");

int32_t day_of(const std::string& d) {
  int32_t v = 0;
  EXPECT_TRUE(an::parse_day(d, v)) << d;
  return v;
}

}  // namespace

class ClvApi : public ApiTest {
 protected:
  // Purchases as the server should see them (customer ids: contact id, or −account id).
  std::vector<an::Purchase> expected_;
  int64_t first_contact_ = 0;

  int64_t contact(const std::string& last_name) { return create("contacts", {{"last_name", last_name}})["id"].get<int64_t>(); }
  void order(const json& who, const std::string& day, int64_t price, const std::string& status = "confirmed") {
    json body = {{"ordered_at", day + "T10:00:00Z"},
                 {"status", status},
                 {"lines", json::array({{{"description", "Article"}, {"quantity", 1}, {"unit_price_cents", price}}})}};
    body.update(who);
    create("orders", body);
    if (status == "confirmed") {
      int64_t id = who.contains("contact_id") ? who["contact_id"].get<int64_t>() : -who["account_id"].get<int64_t>();
      expected_.push_back({id, 0, day_of(day), double(price) / 100});
    }
  }

  // Seven customers between 2025-01-02 and 2025-04-14; nine repeat purchase-days up to 2025-03-31.
  void seed() {
    int64_t a = contact("Assidue"), b = contact("Bis"), c = contact("Unique"), d = contact("Double"), e = contact("Annulée"),
            f = contact("Partie");
    int64_t g = create("accounts", {{"name", "Compte Seul"}})["id"].get<int64_t>();
    first_contact_ = a;
    for (const char* day : {"2025-01-06", "2025-01-20", "2025-02-10", "2025-03-03", "2025-04-14"}) order({{"contact_id", a}}, day, 4000);
    order({{"contact_id", b}}, "2025-01-10", 12000);
    order({{"contact_id", b}}, "2025-03-15", 8000);
    order({{"contact_id", c}}, "2025-02-01", 2500);
    order({{"contact_id", d}}, "2025-01-15", 1000);
    order({{"contact_id", d}}, "2025-01-15", 3000);  // same day: one purchase-day of 40.00
    order({{"contact_id", d}}, "2025-02-20", 5000);
    order({{"contact_id", e}}, "2025-03-20", 7000);
    order({{"contact_id", e}}, "2025-03-25", 7000, "cancelled");
    order({{"contact_id", e}}, "2025-03-26", 7000, "draft");
    for (const char* day : {"2025-01-02", "2025-01-09", "2025-01-16", "2025-01-23"}) order({{"contact_id", f}}, day, 2000);
    order({{"account_id", g}}, "2025-02-05", 30000);
    order({{"account_id", g}}, "2025-03-01", 20000);
  }
};

TEST_F(ClvApi, AccessParametersFitsAndCustomers) {
  // Access: analytics roles only.
  EXPECT_EQ(get("/api/v1/analytics/clv", Auth::none()).status, 401);
  EXPECT_EQ(get("/api/v1/analytics/clv", as("sales_a")).status, 403);
  EXPECT_EQ(get("/api/v1/analytics/clv/customers", as("service")).status, 403);
  EXPECT_EQ(get("/api/v1/analytics/clv", as("read_only")).status, 403);
  // No order yet: nothing to fit, said so with the parameter named.
  Response empty = get("/api/v1/analytics/clv", as("admin"));
  EXPECT_EQ(empty.status, 422) << empty.dump();
  EXPECT_TRUE(empty.names_field("calibration_end")) << empty.dump();

  seed();
  // Bad parameters name themselves.
  Response bad = get("/api/v1/analytics/clv?model=weibull", as("admin"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.names_field("model")) << bad.dump();
  EXPECT_TRUE(get("/api/v1/analytics/clv?calibration_end=2025-02-30", as("admin")).names_field("calibration_end"));
  EXPECT_TRUE(get("/api/v1/analytics/clv?colour=blue", as("admin")).names_field("colour"));
  EXPECT_TRUE(get("/api/v1/analytics/clv/customers?margin=2", as("admin")).names_field("margin"));
  EXPECT_TRUE(get("/api/v1/analytics/clv/customers?limit=0", as("admin")).names_field("limit"));
  EXPECT_TRUE(get("/api/v1/analytics/clv?horizon_weeks=10", as("admin")).names_field("horizon_weeks"));  // customers only

  // The library's fits on the purchases the server should have counted.
  int32_t end = day_of("2025-03-31");
  auto summaries = an::summarize(expected_, end);
  ASSERT_EQ(summaries.size(), 7u);
  double repeats = 0;
  for (const auto& s : summaries) repeats += s.x;
  ASSERT_EQ(repeats, 9);
  auto bg = an::fit_bgnbd(summaries);
  auto gg = an::fit_gammagamma(summaries);

  Response fit = get("/api/v1/analytics/clv?model=bgnbd&calibration_end=2025-03-31", as("admin"));
  ASSERT_EQ(fit.status, 200) << fit.dump();
  EXPECT_EQ(fit.j["model"], "bgnbd");
  EXPECT_EQ(fit.j["customers"], 7);
  EXPECT_EQ(fit.j["calibration_end"], "2025-03-31");
  // Seven customers do not pin the parameters down (the likelihood is flat towards infinity in
  // some directions), so the check is that the server's parameters reach the same maximum of
  // the same likelihood.
  an::BgNbdParams server_bg{fit.j["params"]["r"].get<double>(), fit.j["params"]["alpha"].get<double>(),
                            fit.j["params"]["a"].get<double>(), fit.j["params"]["b"].get<double>()};
  EXPECT_NEAR(fit.j["log_likelihood"].get<double>(), bg.info.log_likelihood, 1e-5);
  EXPECT_NEAR(an::bgnbd_log_likelihood(server_bg, summaries), bg.info.log_likelihood, 1e-5);
  // Tracking: cumulative repeat purchase-days by week from the first purchase (2025-01-02) to
  // the last (2025-04-14): the 9 of the calibration period, then A's 2025-04-14.
  const json& tr = fit.j["tracking"];
  ASSERT_EQ(tr.size(), 15u) << fit.dump();
  EXPECT_EQ(tr[0]["week"], 1);
  // Repeat purchase-days by week: F 01-09 (w2), A 01-20 and F 01-16 (w3), F 01-23 (w4), A 02-10
  // (w6), D 02-20 (w8), A 03-03 and G 03-01 (w9), B 03-15 (w11), A 04-14 (w15).
  const int cumulative[15] = {0, 1, 3, 4, 4, 5, 5, 6, 8, 8, 9, 9, 9, 9, 10};
  for (int w = 0; w < 15; ++w) EXPECT_EQ(tr[w]["actual"], cumulative[w]) << "week " << w + 1;
  EXPECT_GT(tr[14]["predicted"].get<double>(), 0);

  Response ggfit = get("/api/v1/analytics/clv?model=gammagamma&calibration_end=2025-03-31", as("admin"));
  ASSERT_EQ(ggfit.status, 200) << ggfit.dump();
  EXPECT_EQ(ggfit.j["customers"], 5);  // customers with a repeat purchase
  an::GammaGammaParams server_gg{ggfit.j["params"]["p"].get<double>(), ggfit.j["params"]["q"].get<double>(),
                                 ggfit.j["params"]["gamma"].get<double>()};
  EXPECT_NEAR(ggfit.j["log_likelihood"].get<double>(), gg.info.log_likelihood, 1e-5);
  EXPECT_NEAR(an::gammagamma_log_likelihood(server_gg, summaries), gg.info.log_likelihood, 1e-5);
  EXPECT_TRUE(ggfit.j["tracking"].empty());

  Response pnbd = get("/api/v1/analytics/clv?model=pnbd&calibration_end=2025-03-31", as("admin"));
  ASSERT_EQ(pnbd.status, 200) << pnbd.dump();
  for (const char* k : {"r", "alpha", "s", "beta"}) EXPECT_GT(pnbd.j["params"][k].get<double>(), 0) << k;
  EXPECT_NEAR(pnbd.j["log_likelihood"].get<double>(), an::fit_pnbd(summaries).info.log_likelihood, 1e-3);

  // Customers by CLV, paged; the figures are the library's.
  Response page1 = get("/api/v1/analytics/clv/customers?calibration_end=2025-03-31&margin=0.5&discount_rate=0.08&limit=4", as("admin"));
  ASSERT_EQ(page1.status, 200) << page1.dump();
  EXPECT_EQ(page1.j["total"], 7);
  ASSERT_EQ(page1.j["data"].size(), 4u);
  ASSERT_TRUE(page1.j["next_cursor"].is_string());
  Response page2 = get("/api/v1/analytics/clv/customers?calibration_end=2025-03-31&margin=0.5&discount_rate=0.08&limit=4&cursor=" +
                           page1.j["next_cursor"].get<std::string>(),
                       as("admin"));
  ASSERT_EQ(page2.status, 200) << page2.dump();
  ASSERT_EQ(page2.j["data"].size(), 3u);
  EXPECT_TRUE(page2.j["next_cursor"].is_null());
  json rows = page1.j["data"];
  for (const auto& r : page2.j["data"]) rows.push_back(r);
  an::CountModel m;
  m.bg = server_bg;
  an::ClvOptions o;
  o.margin = 0.5;
  o.annual_discount_rate = 0.08;
  auto values = an::customer_values(m, server_gg, summaries, o);
  ASSERT_EQ(values.size(), rows.size());
  bool account_seen = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (i > 0) EXPECT_GE(rows[i - 1]["clv_cents"].get<int64_t>(), r["clv_cents"].get<int64_t>());
    int64_t key = r["customer_type"] == "accounts" ? -r["customer_id"].get<int64_t>() : r["customer_id"].get<int64_t>();
    account_seen = account_seen || r["customer_type"] == "accounts";
    const an::CustomerValue* v = nullptr;
    for (const auto& w : values)
      if (w.summary.customer == key) v = &w;
    ASSERT_NE(v, nullptr) << r.dump();
    EXPECT_EQ(r["x"].get<double>(), v->summary.x);
    EXPECT_NEAR(r["t_x"].get<double>(), v->summary.t_x, 1e-9);
    EXPECT_NEAR(r["T"].get<double>(), v->summary.T, 1e-9);
    EXPECT_NEAR(r["p_alive"].get<double>(), v->p_alive, 1e-9);
    EXPECT_NEAR(r["expected_purchases"].get<double>(), v->expected_purchases, 1e-9);
    EXPECT_NEAR(r["expected_value_cents"].get<double>(), v->expected_value * 100, 1);
    EXPECT_NEAR(r["clv_cents"].get<double>(), v->clv * 100, 1);
  }
  EXPECT_TRUE(account_seen);
  // The rows carry their customers' names: the page makes one request, not one per row.
  std::map<std::string, int> names;
  for (const auto& r : rows) names[r.value("name", "")]++;
  for (const char* n : {"Assidue", "Bis", "Unique", "Double", "Annulée", "Partie", "Compte Seul"})
    EXPECT_EQ(names[n], 1) << n << " in " << rows.dump();
  // The answer says whether the fit can be trusted, and which rates it assumed.
  ASSERT_TRUE(page1.j["quality"]["reliable"].is_boolean()) << page1.dump();
  ASSERT_TRUE(fit.j["quality"]["reasons"].is_array()) << fit.dump();
  EXPECT_EQ(page1.j["assumptions"]["clv_margin_rate"], 0.5);
  EXPECT_EQ(page1.j["assumptions"]["clv_margin_rate_is_default"], false);  // given in the query
  EXPECT_EQ(fit.j["assumptions"]["clv_margin_rate"], 0.3);
  EXPECT_EQ(fit.j["assumptions"]["clv_margin_rate_is_default"], true);

  // The 360° value card gives each contact the figures of its row in the list made with the
  // same settings (the card computes only that customer's).
  Response all = get("/api/v1/analytics/clv/customers?limit=100", as("admin"));
  ASSERT_EQ(all.status, 200) << all.dump();
  int cards = 0;
  for (const auto& r : all.j["data"]) {
    if (r["customer_type"] != "contacts") continue;
    Response view = get("/api/v1/contacts/" + r["customer_id"].dump() + "/360", as("admin"));
    ASSERT_EQ(view.status, 200) << view.dump();
    const json& card = view.j["value_card"];
    EXPECT_EQ(card["clv_cents"], r["clv_cents"]) << card.dump() << " " << r.dump();
    EXPECT_NEAR(card["p_alive"].get<double>(), r["p_alive"].get<double>(), 1e-12) << card.dump();
    ++cards;
  }
  EXPECT_GE(cards, 5);

  // A new order changes the data: the next answer is a new fit.
  order({{"contact_id", first_contact_}}, "2025-03-30", 1500);
  Response refit = get("/api/v1/analytics/clv?model=bgnbd&calibration_end=2025-03-31", as("admin"));
  ASSERT_EQ(refit.status, 200) << refit.dump();
  EXPECT_NE(refit.j["log_likelihood"].get<double>(), fit.j["log_likelihood"].get<double>());
  EXPECT_EQ(refit.j["tracking"][12]["actual"], 10);
}

// `gazelle analytics clv` on the CDNOW sample: the JSON contract and the published estimates.
TEST(ClvCli, CdnowSampleJsonAndPlot) {
  GAZELLE_NEED_DATA("CDNOW", "cdnow/CDNOW_sample.txt");
  struct Case {
    const char* model;
    std::vector<std::pair<const char*, double>> params;
    double ll;
    int customers;
  };
  std::vector<Case> cases = {
      {"bgnbd", {{"r", 0.2426}, {"alpha", 4.4135}, {"a", 0.7929}, {"b", 2.4259}}, -9582.43, 2357},
      {"pnbd", {{"r", 0.5533}, {"alpha", 10.578}, {"s", 0.6062}, {"beta", 11.668}}, -9594.98, 2357},
      {"gammagamma", {{"p", 6.2496}, {"q", 3.7442}, {"gamma", 15.4436}}, -4055.92, 946},
  };
  for (const auto& c : cases) {
    auto r = run_gazelle({"analytics", "clv", "--model", c.model, "--calibration-end", "1997-09-30", "--format", "json", "--input",
                          kCdnowSample, "--input-format", "cdnow"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    json j = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(j.size(), 4u) << r.out;  // exactly model, params, log_likelihood, customers
    EXPECT_EQ(j["model"], c.model);
    EXPECT_EQ(j["customers"], c.customers);
    EXPECT_NEAR(j["log_likelihood"].get<double>(), c.ll, 0.01) << c.model;
    EXPECT_EQ(j["params"].size(), c.params.size());
    for (const auto& [name, value] : c.params) EXPECT_NEAR(j["params"][name].get<double>() / value, 1, 0.005) << c.model << " " << name;
  }
  // The plot: an SVG with both curves over weeks 1..78.
  fs::path svg = fs::temp_directory_path() / ("clv_cli_" + std::to_string(getpid()) + ".svg");
  auto r = run_gazelle({"analytics", "clv", "--calibration-end", "1997-09-30", "--input", kCdnowSample, "--plot", svg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("78 weeks"), std::string::npos) << r.out;
  std::string text = read_file(svg);
  EXPECT_EQ(text.rfind("<svg", 0), 0u);
  EXPECT_NE(text.find("Actual"), std::string::npos);
  EXPECT_NE(text.find("Predicted"), std::string::npos);
  size_t lines = 0;
  for (size_t p = text.find("<polyline"); p != std::string::npos; p = text.find("<polyline", p + 1)) ++lines;
  EXPECT_EQ(lines, 2u);
  fs::remove(svg);
  // Customers as CSV: a header and one row per customer, by CLV descending.
  r = run_gazelle({"analytics", "clv", "--calibration-end", "1997-09-30", "--input", kCdnowSample, "--customers", "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 500);
  EXPECT_EQ(r.out.rfind("customer_type,customer_id,x,t_x,T,monetary,p_alive,expected_purchases,expected_value,clv\r\n", 0), 0u)  // CSV rows end in CRLF (RFC 4180)
      << r.out.substr(0, 300);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2358);
  // Errors name the option.
  r = run_gazelle({"analytics", "clv", "--calibration-end", "1997-02-30", "--input", kCdnowSample});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--calibration-end"), std::string::npos) << r.out;
  r = run_gazelle({"analytics", "clv", "--input", "/nonexistent/cdnow.txt"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("/nonexistent/cdnow.txt"), std::string::npos) << r.out;
}

// Customers who all buy on a regular rhythm up to the last day (no one has left): BG/NBD cannot
// tell who is leaving — P(alive) is 1 for everyone, the dropout parameter goes to its bound. The
// answer says the fit is not reliable instead of presenting it as a finding; so does the value
// card of the 360° view.
TEST_F(ClvApi, AFitWhereNobodyLeavesIsFlagged) {
  std::vector<int64_t> ids;
  for (int c = 0; c < 6; ++c) {
    ids.push_back(contact("Régulier " + std::to_string(c)));
    int every = 1 + c % 3;  // weekly, every two weeks, every three weeks
    for (int w = 12; w >= 0; w -= every)  // the last purchase on the last day, 2025-03-31
      order({{"contact_id", ids.back()}}, an::format_day(day_of("2025-03-31") - 7 * w), 3000 + 500 * c);
  }
  Response fit = get("/api/v1/analytics/clv?model=bgnbd", as("admin"));
  ASSERT_EQ(fit.status, 200) << fit.dump();
  const json& q = fit.j["quality"];
  EXPECT_EQ(q["reliable"], false) << fit.dump();
  EXPECT_EQ(q["degenerate"], true) << fit.dump();
  std::set<std::string> reasons;
  for (const auto& r : q["reasons"]) reasons.insert(r.get<std::string>());
  EXPECT_TRUE(reasons.count("everyone_alive") || reasons.count("no_dropout") || reasons.count("parameters_at_bounds"))
      << q.dump() << " " << fit.j["params"].dump();
  Response customers = get("/api/v1/analytics/clv/customers", as("admin"));
  ASSERT_EQ(customers.status, 200) << customers.dump();
  EXPECT_EQ(customers.j["quality"]["reliable"], false);
  Response view = get("/api/v1/contacts/" + std::to_string(ids[0]) + "/360", as("admin"));
  ASSERT_EQ(view.status, 200) << view.dump();
  EXPECT_EQ(view.j["value_card"]["clv_reliable"], false) << view.j["value_card"].dump();
}

TEST_F(ClvApi, TiersByLifetimeValue) {
  seed();
  Response bad = put("/api/v1/analytics/settings", as("admin"), {{"tiers", {{"measure", "loyalty"}}}});
  EXPECT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("tiers.measure")) << bad.dump();
  Response set = put("/api/v1/analytics/settings", as("admin"),
                     {{"tiers", {{"measure", "clv"}}}, {"clv_margin_rate", 0.5}, {"clv_discount_rate", 0.08}});
  ASSERT_EQ(set.status, 200) << set.dump();
  EXPECT_EQ(set.j["tiers"]["measure"], "clv");

  Response r = post("/api/v1/analytics/tiers/recompute?as_of=2025-03-31", as("admin"), json::object());
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["measure"], "clv");
  // Seven customers bought by 31 March (six contacts and the account that orders alone): gold
  // ⌈20 % × 7⌉ = 2, silver up to ⌈50 % × 7⌉ = 4 → 2, bronze 3. The account is the top one (two
  // large repeat orders), so the contacts hold 1 gold, 2 silver and 3 bronze.
  EXPECT_EQ(r.j["contacts"]["gold"], 1) << r.dump();
  EXPECT_EQ(r.j["contacts"]["silver"], 2) << r.dump();
  EXPECT_EQ(r.j["contacts"]["bronze"], 3) << r.dump();
  EXPECT_EQ(r.j["contacts"]["none"], 0) << r.dump();
  EXPECT_EQ(r.j["accounts"]["gold"], 1) << r.dump();

  // Tiers follow the lifetime value of the same fit: a higher CLV never gets a lower tier.
  Response list = get("/api/v1/analytics/clv/customers?calibration_end=2025-03-31&margin=0.5&discount_rate=0.08&limit=100",
                      as("admin"));
  ASSERT_EQ(list.status, 200) << list.dump();
  const std::map<std::string, int> rank = {{"gold", 0}, {"silver", 1}, {"bronze", 2}};
  std::vector<std::pair<int64_t, int>> clv_and_rank;  // contacts, by CLV descending
  json data = list.j["data"];
  for (const auto& c : data) {
    if (c["customer_type"] != "contacts") continue;
    Response rec = get("/api/v1/contacts/" + c["customer_id"].dump(), as("admin"));
    ASSERT_TRUE(rec.j["value_tier"].is_string()) << rec.dump();
    clv_and_rank.push_back({c["clv_cents"].get<int64_t>(), rank.at(rec.j["value_tier"].get<std::string>())});
  }
  ASSERT_EQ(clv_and_rank.size(), 6u);
  for (size_t i = 0; i < clv_and_rank.size(); ++i)
    for (size_t j = 0; j < clv_and_rank.size(); ++j)
      if (clv_and_rank[i].first > clv_and_rank[j].first)
        EXPECT_LE(clv_and_rank[i].second, clv_and_rank[j].second) << list.dump();

  // The same settings and tiers through the CLI.
  std::string db = srv().db_location();
  auto cli = run_gazelle({"analytics", "settings", "--db", db, "--format", "csv"});
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  EXPECT_NE(cli.out.find("tiers.measure,clv"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("clv_margin_rate,0.5"), std::string::npos) << cli.out;
  cli = run_gazelle({"analytics", "settings", "--db", db, "--set", R"({"rfm_bins": 11, "tiers": {"measure": "loyalty"}})"});
  EXPECT_EQ(cli.exit_code, 2) << cli.out;
  EXPECT_NE(cli.out.find("rfm_bins"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("tiers.measure"), std::string::npos) << cli.out;
  cli = run_gazelle({"analytics", "tiers", "--db", db, "--as-of", "2025-03-31", "--format", "csv"});
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  EXPECT_NE(cli.out.find("contacts,gold,1"), std::string::npos) << cli.out;
  cli = run_gazelle({"analytics", "settings", "--db", db, "--set", R"({"tiers": {"measure": "net_profit"}})", "--format", "json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  EXPECT_EQ(get("/api/v1/analytics/settings", as("admin")).j["tiers"]["measure"], "net_profit");
}
