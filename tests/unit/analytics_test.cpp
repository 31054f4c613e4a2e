// Customer value analyses (src/modules/analytics/customer_value.h) on small histories whose figures
// are computed by hand in the comments, and the worked examples of the SME guide (PRODUCT.md).
#include <gtest/gtest.h>

#include <random>

#include "modules/analytics/customer_value.h"

using namespace gz::analytics;

namespace {

int32_t D(const char* s) {
  int32_t d = 0;
  EXPECT_TRUE(parse_date(s, d)) << s;
  return d;
}

void order(OrderHistory& h, int32_t c, const char* day, int64_t purchases, int64_t discount = 0, bool is_return = false) {
  OrderHistory::OrderInput o;
  o.customer = c;
  o.day = D(day);
  o.purchases = purchases;
  o.discount = discount;
  o.is_return = is_return;
  o.channel = "store";
  h.add_order(o);
}

}  // namespace

TEST(AnalyticsDates, CivilDaysRoundTripAndRejectBadDates) {
  EXPECT_EQ(D("1970-01-01"), 0);
  EXPECT_EQ(D("2000-03-01") - D("2000-02-28"), 2);  // 2000 is a leap year
  EXPECT_EQ(date_text(D("2024-12-31T23:59:59Z")), "2024-12-31");
  int32_t d;
  EXPECT_FALSE(parse_date("2023-02-29", d));
  EXPECT_FALSE(parse_date("2023-13-01", d));
  EXPECT_FALSE(parse_date("2023-1-01", d));
  EXPECT_FALSE(parse_date("yesterday", d));
  EXPECT_EQ(month_of(D("2025-03-15")), 2025 * 12 + 2);
}

// The SME guide's table: net profit = purchases − discount − solicitation cost, with a margin of
// 100 %. Client 1: 300 − 10 % = 270, two phone calls of 30 $ → 210 (the guide prints 220).
TEST(AnalyticsProfitability, SmeGuideThreeClients) {
  OrderHistory h;
  int32_t c1 = h.customer(CustomerType::Contact, 1), c2 = h.customer(CustomerType::Contact, 2),
          c3 = h.customer(CustomerType::Contact, 3);
  order(h, c1, "2025-03-01", 30000, 3000);
  order(h, c2, "2025-03-02", 27500, 5500);
  order(h, c3, "2025-03-03", 25000, 0);
  h.add_interaction(c1, D("2025-02-01"), "phone");
  h.add_interaction(c1, D("2025-02-15"), "phone");
  h.add_interaction(c2, D("2025-02-20"), "meeting");
  auto costs = interaction_costs(h, {{"phone", 3000}, {"meeting", 10000}});
  Grouping g = make_grouping(h, Unit::Contacts);
  auto totals = accumulate(h, g, Period{D("2025-01-01"), D("2025-12-31")}, &costs);
  auto rows = profitability(totals, 1.0);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].purchases, 30000);
  EXPECT_EQ(rows[0].gross_profit, 27000);
  EXPECT_EQ(rows[0].solicitation_cost, 6000);
  EXPECT_EQ(rows[0].net_profit, 21000);  // not 22000
  EXPECT_EQ(rows[1].gross_profit, 22000);
  EXPECT_EQ(rows[1].net_profit, 12000);
  EXPECT_EQ(rows[2].net_profit, 25000);
  sort_by_net_profit(rows, g, true);
  EXPECT_EQ(g.id[size_t(rows[0].customer)], 3);
  EXPECT_EQ(g.id[size_t(rows[1].customer)], 1);
  EXPECT_EQ(g.id[size_t(rows[2].customer)], 2);
  auto t = profit_totals(rows);
  EXPECT_EQ(t.purchases, 82500);
  EXPECT_EQ(t.discounts, 8500);
  EXPECT_EQ(t.net_profit, 58000);
  EXPECT_EQ(t.losing_customers, 0);
}

TEST(AnalyticsProfitability, ProductMarginsDefaultMarginReturnsAndPeriod) {
  OrderHistory h;
  int32_t c = h.customer(CustomerType::Contact, 7);
  OrderHistory::OrderInput o;
  o.customer = c;
  o.day = D("2025-05-01");
  o.purchases = 10000;           // 100 €: 60 € of lines at 25 % margin, 40 € unrated
  o.rated_revenue = 6000;
  o.rated_margin = 1500;
  h.add_order(o);
  order(h, c, "2025-05-10", 2000, 0, true);  // a 20 € return: −20 € revenue, −20 € × 40 % margin
  order(h, c, "2026-01-10", 99999);          // outside the period
  h.add_interaction(c, D("2025-06-01"), "email");
  auto costs = interaction_costs(h, {{"email", 20}});
  Grouping g = make_grouping(h, Unit::Contacts);
  auto totals = accumulate(h, g, Period{D("2025-01-01"), D("2025-12-31")}, &costs);
  auto rows = profitability(totals, 0.4);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].orders, 2);
  EXPECT_EQ(rows[0].revenue, 8000);
  // 1500 + 0.4 × (4000 − 2000) = 2300; − 20 of e-mail
  EXPECT_EQ(rows[0].gross_profit, 2300);
  EXPECT_EQ(rows[0].net_profit, 2280);
  EXPECT_EQ(totals[0].purchases, 1);
  EXPECT_EQ(totals[0].returns, 1);
}

TEST(AnalyticsRfm, QuantileScoresTiesGetTheSameScore) {
  auto s = quantile_scores({1, 1, 1, 2, 3}, 5);
  EXPECT_EQ(std::vector<int>(s.begin(), s.end()), (std::vector<int>{1, 1, 1, 4, 5}));
  // Large values take the sorting path: same rule.
  auto m = quantile_scores({5000000000LL, -7, 5000000000LL, 0}, 4);
  EXPECT_EQ(std::vector<int>(m.begin(), m.end()), (std::vector<int>{3, 1, 3, 2}));
  auto ten = quantile_scores({10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 5);
  EXPECT_EQ(std::vector<int>(ten.begin(), ten.end()), (std::vector<int>{5, 5, 4, 4, 3, 3, 2, 2, 1, 1}));
}

TEST(AnalyticsRfm, SegmentTable) {
  EXPECT_EQ(segment_of(5, 5, 5), Segment::Champions);
  EXPECT_EQ(segment_of(5, 1, 5), Segment::New);
  EXPECT_EQ(segment_of(4, 1, 5), Segment::Promising);
  EXPECT_EQ(segment_of(4, 3, 5), Segment::PotentialLoyalists);
  EXPECT_EQ(segment_of(3, 4, 5), Segment::Loyal);
  EXPECT_EQ(segment_of(3, 3, 5), Segment::NeedAttention);
  EXPECT_EQ(segment_of(3, 2, 5), Segment::AboutToSleep);
  EXPECT_EQ(segment_of(2, 4, 5), Segment::AtRisk);
  EXPECT_EQ(segment_of(1, 5, 5), Segment::CantLose);
  EXPECT_EQ(segment_of(2, 2, 5), Segment::Hibernating);
  EXPECT_EQ(segment_of(1, 1, 5), Segment::Lost);
  EXPECT_EQ(segment_of(10, 10, 10), Segment::Champions);  // ⌈10 × 5 / 10⌉ = 5
  EXPECT_EQ(segment_of(1, 1, 3), Segment::Hibernating);   // ⌈1 × 5 / 3⌉ = 2
  Segment s;
  EXPECT_TRUE(parse_segment("cant_lose", s));
  EXPECT_EQ(s, Segment::CantLose);
  EXPECT_FALSE(parse_segment("vip", s));
}

// Customer i (0…4) buys i + 1 times, the last time 10 × (5 − i) days before as_of, for 100 × (i + 1)
// each time: ranks 1…5 on every axis, so R = F = M = i + 1.
TEST(AnalyticsRfm, ScoresSegmentsAndGrid) {
  OrderHistory h;
  int32_t as_of = D("2025-06-30");
  for (int i = 0; i < 5; ++i) {
    int32_t c = h.customer(CustomerType::Contact, 100 + i);
    for (int k = 0; k <= i; ++k) {
      OrderHistory::OrderInput o;
      o.customer = c;
      o.day = as_of - 10 * (5 - i) - 30 * k;
      o.purchases = 10000 * (i + 1);
      h.add_order(o);
    }
  }
  order(h, h.customer(CustomerType::Account, 9), "2025-07-15", 50000);  // after as_of: not counted
  Grouping g = make_grouping(h, Unit::Contacts);
  auto totals = accumulate(h, g, Period{INT32_MIN, as_of}, nullptr);
  RfmResult r = rfm(totals, as_of, 5);
  ASSERT_EQ(r.customers.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    const auto& c = r.customers[size_t(i)];
    EXPECT_EQ(c.recency_days, 10 * (5 - i));
    EXPECT_EQ(c.frequency, i + 1);
    EXPECT_EQ(c.monetary, int64_t(10000) * (i + 1) * (i + 1));
    EXPECT_EQ(c.r, i + 1);
    EXPECT_EQ(c.f, i + 1);
    EXPECT_EQ(c.m, i + 1);
  }
  EXPECT_EQ(r.customers[4].segment, Segment::Champions);
  EXPECT_EQ(r.customers[3].segment, Segment::Loyal);
  EXPECT_EQ(r.customers[2].segment, Segment::NeedAttention);
  EXPECT_EQ(r.customers[1].segment, Segment::Hibernating);
  EXPECT_EQ(r.customers[0].segment, Segment::Lost);
  EXPECT_EQ(r.revenue, 10000 * (1 + 4 + 9 + 16 + 25));
  const auto& champions = r.segments[size_t(Segment::Champions)];
  EXPECT_EQ(champions.customers, 1);
  EXPECT_EQ(champions.revenue, 250000);
  EXPECT_DOUBLE_EQ(champions.share_customers, 0.2);
  EXPECT_DOUBLE_EQ(champions.share_revenue, 25.0 / 55.0);
  ASSERT_EQ(r.grid.size(), 25u);
  EXPECT_EQ(r.grid[0].customers, 1);       // r = 1, f = 1
  EXPECT_EQ(r.grid[1].customers, 0);       // r = 1, f = 2
  EXPECT_EQ(r.grid[24].revenue, 250000);   // r = 5, f = 5
  EXPECT_THROW(rfm(totals, as_of, 1), std::invalid_argument);
}

TEST(AnalyticsGrouping, AccountsUnitMergesContactsOfAnAccount) {
  OrderHistory h;
  int32_t a = h.customer(CustomerType::Contact, 1), b = h.customer(CustomerType::Contact, 2),
          lone = h.customer(CustomerType::Contact, 3), acc = h.customer(CustomerType::Account, 50);
  h.set_account(a, 50);
  h.set_account(b, 50);
  order(h, a, "2025-01-01", 100);
  order(h, b, "2025-01-02", 200);
  order(h, acc, "2025-01-03", 400);
  order(h, lone, "2025-01-04", 800);
  Grouping g = make_grouping(h, Unit::Accounts);
  ASSERT_EQ(g.size(), 2u);
  auto totals = accumulate(h, g, Period{}, nullptr);
  EXPECT_EQ(g.type[size_t(g.group[size_t(a)])], CustomerType::Account);
  EXPECT_EQ(totals[size_t(g.group[size_t(a)])].revenue, 700);
  EXPECT_EQ(totals[size_t(g.group[size_t(a)])].purchases, 3);
  EXPECT_EQ(g.id[size_t(g.group[size_t(lone)])], 3);
  EXPECT_EQ(totals[size_t(g.group[size_t(lone)])].revenue, 800);
}

TEST(AnalyticsAccumulate, TwoThreadsGiveTheSameTotalsAsOne) {
  OrderHistory h;
  std::mt19937 rng(42);
  for (int c = 0; c < 5000; ++c) h.customer(CustomerType::Contact, c + 1);
  const int32_t start = D("2024-01-01");
  for (int i = 0; i < 450000; ++i) {
    OrderHistory::OrderInput o;
    o.customer = int32_t(rng() % 5000);
    o.day = start + int32_t(rng() % 700);
    o.purchases = int64_t(rng() % 100000);
    o.discount = int64_t(rng() % 1000);
    o.is_return = rng() % 20 == 0;
    h.add_order(o);
  }
  Grouping g = make_grouping(h, Unit::Contacts);
  Period p{D("2024-03-01"), D("2025-06-30")};
  auto one = accumulate(h, g, p, nullptr, 1), two = accumulate(h, g, p, nullptr, 2);
  for (size_t c = 0; c < g.size(); ++c) {
    ASSERT_EQ(one[c].revenue, two[c].revenue);
    ASSERT_EQ(one[c].purchases, two[c].purchases);
    ASSERT_EQ(one[c].first_day, two[c].first_day);
    ASSERT_EQ(one[c].last_day, two[c].last_day);
  }
}

TEST(AnalyticsConcentration, GiniHandComputed) {
  EXPECT_DOUBLE_EQ(*gini({0, 0, 0, 100}), 0.75);       // 2·400/(4·100) − 5/4
  EXPECT_DOUBLE_EQ(*gini({400, 0, 300, 100, 200}), 0.4);  // 2·4000/(5·1000) − 6/5
  EXPECT_NEAR(*gini({5, 5, 5, 5}), 0.0, 1e-12);
  EXPECT_FALSE(gini({0, 0}).has_value());
}

// Revenue 400, 300, 200, 100, 0 (total 1000); profit 500, 300, 100, −100, −300 (total 500): the
// three best make 900 = 180 % of the profit (Stobachoff peak at 60 % of customers).
TEST(AnalyticsConcentration, TopSharesParetoAndStobachoff) {
  Concentration c = concentration({100, 400, 0, 300, 200}, {-100, 500, -300, 300, 100});
  EXPECT_EQ(c.customers, 5);
  EXPECT_EQ(c.total, 1000);
  EXPECT_DOUBLE_EQ(*c.gini, 0.4);
  ASSERT_EQ(c.top_shares.size(), 5u);
  EXPECT_DOUBLE_EQ(c.top_shares[0].customers_pct, 1.0);
  EXPECT_DOUBLE_EQ(*c.top_shares[0].share, 0.4);  // ⌈0.05⌉ = 1 customer
  EXPECT_DOUBLE_EQ(*c.top_shares[3].share, 0.4);  // top 20 % = 1 customer
  EXPECT_DOUBLE_EQ(*c.top_shares[4].share, 0.9);  // top 50 % = ⌈2.5⌉ = 3 customers
  ASSERT_EQ(c.pareto.size(), 101u);
  EXPECT_DOUBLE_EQ(*c.pareto[0].share, 0.0);
  EXPECT_DOUBLE_EQ(*c.pareto[40].share, 0.7);
  EXPECT_DOUBLE_EQ(*c.pareto[100].share, 1.0);
  EXPECT_DOUBLE_EQ(*c.stobachoff[20].share, 1.0);
  EXPECT_DOUBLE_EQ(*c.stobachoff[60].share, 1.8);
  EXPECT_DOUBLE_EQ(*c.stobachoff[100].share, 1.0);
  EXPECT_DOUBLE_EQ(c.stobachoff_peak.customers_pct, 60.0);
  EXPECT_DOUBLE_EQ(*c.stobachoff_peak.share, 1.8);
  Concentration none = concentration({0, 0}, {0, 0});
  EXPECT_FALSE(none.pareto[50].share.has_value());
}

// A buys in Jan (100), Feb (200) and Apr; B in Jan and Mar; C in Feb only; as of 30 April.
TEST(AnalyticsCohorts, RetentionChurnAndMacroProcesses) {
  OrderHistory h;
  int32_t a = h.customer(CustomerType::Contact, 1), b = h.customer(CustomerType::Contact, 2),
          c = h.customer(CustomerType::Contact, 3);
  order(h, a, "2025-01-05", 100);
  order(h, a, "2025-02-05", 200);
  order(h, a, "2025-04-05", 50);
  order(h, b, "2025-01-20", 100);
  order(h, b, "2025-03-20", 300);
  order(h, b, "2025-03-25", 30, 0, true);  // a return: revenue, not activity
  order(h, c, "2025-02-10", 70);
  Grouping g = make_grouping(h, Unit::Contacts);
  int32_t as_of = D("2025-04-30");
  CohortResult r = cohorts(h, g, INT32_MIN, INT32_MAX, as_of, PeriodKind::Month);
  ASSERT_EQ(r.cohorts.size(), 2u);  // Jan and Feb: March and April recruited nobody, no cohort
  EXPECT_FALSE(r.last_month_partial);  // 30 April: April is over
  const auto& jan = r.cohorts[0];
  EXPECT_EQ(period_label(PeriodKind::Month, jan.month), "2025-01");
  EXPECT_EQ(jan.customers, 2);
  EXPECT_EQ(jan.retention, (std::vector<double>{1.0, 0.5, 0.5, 0.5}));
  EXPECT_EQ(jan.revenue, (std::vector<int64_t>{200, 200, 270, 50}));
  const auto& feb = r.cohorts[1];
  EXPECT_EQ(feb.customers, 1);
  EXPECT_EQ(feb.retention, (std::vector<double>{1.0, 0.0, 0.0}));
  EXPECT_FALSE(feb.partial);
  ASSERT_EQ(r.periods.size(), 4u);
  for (const auto& p : r.periods) EXPECT_FALSE(p.partial);
  const auto &p1 = r.periods[0], &p2 = r.periods[1], &p3 = r.periods[2], &p4 = r.periods[3];
  EXPECT_EQ(p1.recruited, 2);
  EXPECT_FALSE(p1.churn.has_value());
  EXPECT_EQ(p2.active, 2);
  EXPECT_EQ(p2.recruited, 1);
  EXPECT_EQ(p2.retained, 1);
  EXPECT_EQ(p2.developed, 1);  // A: 200 > 100
  EXPECT_EQ(p2.lost, 1);       // B
  EXPECT_DOUBLE_EQ(*p2.churn, 0.5);
  EXPECT_EQ(p3.won_back, 1);   // B after a month without purchase
  EXPECT_EQ(p3.lost, 2);
  EXPECT_DOUBLE_EQ(*p3.churn, 1.0);
  EXPECT_EQ(p4.won_back, 1);   // A
  EXPECT_EQ(p4.retained, 0);
  EXPECT_DOUBLE_EQ(*p4.churn, 1.0);

  CohortResult q = cohorts(h, g, INT32_MIN, INT32_MAX, as_of, PeriodKind::Quarter);
  ASSERT_EQ(q.periods.size(), 2u);
  EXPECT_EQ(period_label(PeriodKind::Quarter, q.periods[1].period), "2025-Q2");
  EXPECT_EQ(q.periods[0].recruited, 3);
  EXPECT_EQ(q.periods[1].retained, 1);  // A
  EXPECT_EQ(q.periods[1].lost, 2);      // B and C
  EXPECT_EQ(q.periods[1].developed, 0);
}

// As of 2 May (a live base: the last order is two days old), May has hardly begun: its churn
// would be "everyone who has not bought again yet" (the 98.6 % of a demo base two days into a
// month). The period is marked partial and has no churn rate; the cohort recruited in May is
// partial, and May's retention is left to the API to answer null.
TEST(AnalyticsCohorts, TheCurrentPeriodIsPartialAndLeftOutOfRates) {
  OrderHistory h;
  int32_t a = h.customer(CustomerType::Contact, 1), b = h.customer(CustomerType::Contact, 2),
          c = h.customer(CustomerType::Contact, 3);
  order(h, a, "2025-03-05", 100);
  order(h, a, "2025-04-05", 100);
  order(h, b, "2025-04-10", 100);
  order(h, c, "2025-05-02", 100);
  Grouping g = make_grouping(h, Unit::Contacts);
  int32_t as_of = D("2025-05-02");
  CohortResult r = cohorts(h, g, INT32_MIN, INT32_MAX, as_of, PeriodKind::Month);
  EXPECT_TRUE(r.last_month_partial);
  ASSERT_EQ(r.cohorts.size(), 3u);  // March, April, May
  EXPECT_FALSE(r.cohorts[1].partial);
  EXPECT_TRUE(r.cohorts[2].partial);
  EXPECT_EQ(period_label(PeriodKind::Month, r.cohorts[2].month), "2025-05");
  ASSERT_EQ(r.periods.size(), 3u);
  EXPECT_FALSE(r.periods[1].partial);
  ASSERT_TRUE(r.periods[1].churn.has_value());
  EXPECT_DOUBLE_EQ(*r.periods[1].churn, 0.0);  // A bought in March and in April
  EXPECT_TRUE(r.periods[2].partial);
  EXPECT_EQ(r.periods[2].lost, 2);                // A and B have not bought again in two days…
  EXPECT_FALSE(r.periods[2].churn.has_value());  // …which is no 100 % churn
  // Quarters and years: Q2 and 2025 are not over either.
  CohortResult q = cohorts(h, g, INT32_MIN, INT32_MAX, as_of, PeriodKind::Quarter);
  ASSERT_EQ(q.periods.size(), 2u);
  EXPECT_FALSE(q.periods[0].partial);
  EXPECT_TRUE(q.periods[1].partial);
  EXPECT_FALSE(q.periods[1].churn.has_value());
  EXPECT_TRUE(cohorts(h, g, INT32_MIN, INT32_MAX, as_of, PeriodKind::Year).periods.back().partial);
  // As of the last day of the month, the month is whole again.
  CohortResult end = cohorts(h, g, INT32_MIN, INT32_MAX, D("2025-05-31"), PeriodKind::Month);
  EXPECT_FALSE(end.last_month_partial);
  EXPECT_FALSE(end.periods.back().partial);
  EXPECT_TRUE(end.periods.back().churn.has_value());
  EXPECT_EQ(period_last_day(PeriodKind::Quarter, 2025 * 4 + 1), D("2025-06-30"));
  EXPECT_EQ(period_last_day(PeriodKind::Month, 2024 * 12 + 1), D("2024-02-29"));
  EXPECT_EQ(period_last_day(PeriodKind::Year, 2025), D("2025-12-31"));
}

// Whether an order worth nothing before discounts is a purchase occasion is a setting (true by
// default, as the published models count every purchase; Online Retail's price-0 adjustments
// turn it off).
TEST(AnalyticsPurchases, FreeOrdersCountUnlessTheSettingSaysNot) {
  OrderHistory h;
  int32_t a = h.customer(CustomerType::Contact, 1), b = h.customer(CustomerType::Contact, 2);
  order(h, a, "2025-01-10", 100);
  order(h, a, "2025-02-10", 0);  // a free order (a gift, a sample)
  order(h, b, "2025-02-12", 0);  // only free orders
  Grouping g = make_grouping(h, Unit::Contacts);
  auto every = accumulate(h, g, Period{INT32_MIN, D("2025-03-31")}, nullptr);
  EXPECT_EQ(every[size_t(a)].purchases, 2);
  EXPECT_EQ(every[size_t(a)].last_day, D("2025-02-10"));
  EXPECT_EQ(every[size_t(b)].purchases, 1);
  auto paid = accumulate(h, g, Period{INT32_MIN, D("2025-03-31"), false}, nullptr);
  EXPECT_EQ(paid[size_t(a)].purchases, 1);
  EXPECT_EQ(paid[size_t(a)].last_day, D("2025-01-10"));
  EXPECT_EQ(paid[size_t(b)].purchases, 0);
  EXPECT_EQ(cohorts(h, g, INT32_MIN, INT32_MAX, D("2025-03-31"), PeriodKind::Month).cohorts.size(), 2u);
  auto paid_cohorts = cohorts(h, g, INT32_MIN, INT32_MAX, D("2025-03-31"), PeriodKind::Month, false);
  ASSERT_EQ(paid_cohorts.cohorts.size(), 1u);  // B never bought anything worth something
  EXPECT_EQ(paid_cohorts.cohorts[0].retention, (std::vector<double>{1.0, 0.0, 0.0}));
}

TEST(AnalyticsTiers, TopPercentagesTiesByIdAndNoneWithoutPurchase) {
  Grouping g;
  std::vector<int64_t> value;
  std::vector<uint8_t> eligible;
  for (int i = 0; i < 11; ++i) {
    g.type.push_back(CustomerType::Contact);
    g.id.push_back(i + 1);
    g.group.push_back(i);
    value.push_back(i < 10 ? 100 - i : 1000);
    eligible.push_back(i < 10 ? 1 : 0);  // the last has no purchase
  }
  value[2] = value[1];  // ids 2 and 3 tie: id 2 ranks first
  auto tiers = assign_tiers(value, eligible, g, {{"gold", 20}, {"silver", 30}, {"bronze", 50}});
  EXPECT_EQ(tiers, (std::vector<int>{0, 0, 1, 1, 1, 2, 2, 2, 2, 2, -1}));
}

TEST(AnalyticsCalculators, StaticDemandOfTheGuide) {
  DemandResult r = static_demand({20000000, 0.40, 0.30, 5, 0.50});
  EXPECT_DOUBLE_EQ(r.demand, 6000000);
  ASSERT_EQ(r.steps.size(), 5u);
  EXPECT_DOUBLE_EQ(r.steps[1].value, 8000000);
  EXPECT_DOUBLE_EQ(r.steps[2].value, 2400000);
  EXPECT_DOUBLE_EQ(r.steps[3].value, 12000000);
}

// Keep one client two years: 400 − 100 = 300; replace it after a year: 400 − 200 = 200, i.e.
// 33.3 % less.
TEST(AnalyticsCalculators, RetentionVersusAcquisitionOfTheGuide) {
  RetentionResult r = retention_vs_acquisition({20000, 10000, 0, 2});
  EXPECT_EQ(r.retain.net, 30000);
  EXPECT_EQ(r.replace.net, 20000);
  EXPECT_EQ(r.difference, 10000);
  EXPECT_NEAR(*r.replace_earns_less_pct, 33.333, 0.001);
}

// Large arrays take the radix-sort paths (4,096 values and more): same results as the plain
// definitions, with negative values, ties and a range too wide for the counting sort.
TEST(AnalyticsLargeArrays, RadixPathsMatchTheDefinitions) {
  std::mt19937_64 rng(7);
  std::vector<int64_t> v(20000);
  for (auto& x : v) {
    int64_t r = int64_t(rng() % 2000000000) - 500000000;
    x = rng() % 5 == 0 ? (r % 100) * 1000 : r;  // many ties among the small ones
  }
  v[0] = INT64_MIN / 4;
  v[1] = INT64_MAX / 4;
  auto scores = quantile_scores(v, 5);
  std::vector<int64_t> sorted(v);
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < v.size(); ++i) {
    auto below = uint64_t(std::lower_bound(sorted.begin(), sorted.end(), v[i]) - sorted.begin());
    ASSERT_EQ(scores[i], uint8_t(1 + below * 5 / v.size())) << "value " << v[i];
  }
  // Gini and the top shares from a plain sort.
  std::vector<int64_t> pos(v.size());
  for (size_t i = 0; i < v.size(); ++i) pos[i] = std::llabs(v[i] % 1000000007);
  std::vector<int64_t> asc(pos);
  std::sort(asc.begin(), asc.end());
  long double sum = 0, weighted = 0;
  for (size_t i = 0; i < asc.size(); ++i) {
    sum += asc[i];
    weighted += (long double)(i + 1) * asc[i];
  }
  double expected = double(2 * weighted / ((long double)asc.size() * sum) - (long double)(asc.size() + 1) / asc.size());
  ASSERT_TRUE(gini(pos).has_value());
  EXPECT_NEAR(*gini(pos), expected, 1e-12);
  auto c = concentration(pos, v);
  int64_t top = 0;
  for (size_t i = 0; i < asc.size() / 5; ++i) top += asc[asc.size() - 1 - i];
  EXPECT_NEAR(*c.top_shares[3].share, double(top) / double(sum), 1e-12);  // top 20 %
  EXPECT_NEAR(*c.gini, expected, 1e-12);
}
