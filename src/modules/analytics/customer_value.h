// Customer value analyses over an OrderHistory (docs/analytics.md gives every definition):
// per-customer totals over a period, RFM scores and segments, profitability (purchases −
// discounts → gross profit − solicitation cost → net profit), concentration (top shares, Pareto
// and Stobachoff curves, Gini), cohorts with churn and the four macro-processes, value tiers,
// and two calculators from the SME guide (static demand, retention vs acquisition).
//
// Every function is pure: same input, same output (ties are broken by customer type then id),
// safe to call from several threads on one shared history. Inner loops run over flat arrays;
// ranks come from counting sorts where the values are small integers.
#pragma once
#include <climits>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/analytics/order_history.h"

namespace gz::analytics {

struct Period {
  int32_t from = INT32_MIN;  // first day counted
  int32_t to = INT32_MAX;    // last day counted (inclusive)
  // Whether an order worth nothing before discounts (only free lines) is a purchase occasion, as
  // in the published models (the analytics setting count_free_orders, default true); false for a
  // shop whose price-0 lines are adjustments (Online Retail): such an order then adds to revenue
  // (0) but to no frequency, recency, cohort or lifetime value.
  bool count_free_orders = true;
};

// Whether order o is a purchase occasion: not a return, and worth something before discounts
// unless free orders count (an order whose subtotal is negative without being a return is none).
inline bool is_purchase(const OrderHistory& h, size_t o, bool count_free_orders) {
  if (h.order_is_return[o]) return false;
  int64_t worth = h.order_purchases[o];
  return worth > 0 || (worth == 0 && count_free_orders);
}

// Unit cost of one interaction per channel code of the history; unknown channels cost 0.
std::vector<int64_t> interaction_costs(const OrderHistory& h, const std::map<std::string, int64_t>& by_channel);

// What one unit customer did in a period. Days are INT32_MAX / INT32_MIN when no purchase.
struct CustomerTotals {
  int64_t revenue = 0;        // purchases − discounts, returns included (negative)
  int64_t discounts = 0;
  int64_t rated_margin = 0;   // margin of lines whose product has a margin rate
  int64_t unrated = 0;        // revenue the default margin applies to
  int64_t solicitation_cost = 0;
  int32_t purchases = 0;      // purchase occasions (is_purchase)
  int32_t returns = 0;
  int32_t interactions = 0;
  int32_t first_day = INT32_MAX;  // of a purchase
  int32_t last_day = INT32_MIN;
  int64_t purchases_cents() const { return revenue + discounts; }
  int64_t gross_profit(double default_margin_rate) const;
  bool active() const { return purchases + returns + interactions > 0; }
};
// One entry per customer of the grouping. `costs` (from interaction_costs) may be null: the
// interactions are then not read.
std::vector<CustomerTotals> accumulate(const OrderHistory& h, const Grouping& g, Period p,
                                       const std::vector<int64_t>* costs, int threads = 2);

// ---- RFM ----------------------------------------------------------------------------------
enum class Segment : uint8_t {
  Champions, Loyal, PotentialLoyalists, New, Promising, NeedAttention, AboutToSleep, AtRisk,
  CantLose, Hibernating, Lost
};
constexpr int kSegments = 11;
const char* segment_name(Segment s);  // "champions", "potential_loyalists", "cant_lose"…
bool parse_segment(std::string_view s, Segment& out);
// The common R×F table on a 1–5 scale (scores of other bin counts are mapped ⌈s × 5 / bins⌉).
Segment segment_of(int r, int f, int bins);

// score = 1 + ⌊bins × (customers with a strictly worse value) / n⌋; equal values, equal scores.
std::vector<uint8_t> quantile_scores(const std::vector<int64_t>& values, int bins);

struct RfmCustomer {
  int32_t customer = 0;   // index in the grouping
  int32_t recency_days = 0;
  int32_t frequency = 0;
  int64_t monetary = 0;
  uint8_t r = 0, f = 0, m = 0;
  Segment segment = Segment::Lost;
};
struct RfmCell { int r = 0, f = 0; int64_t customers = 0, revenue = 0; };
struct SegmentStat { Segment segment; int64_t customers = 0, revenue = 0; double share_customers = 0, share_revenue = 0; };
struct RfmResult {
  int32_t as_of = 0;
  int bins = 5;
  int64_t revenue = 0;
  std::vector<RfmCustomer> customers;   // those with a purchase up to as_of, by grouping index
  std::vector<SegmentStat> segments;    // all kSegments, in enum order
  std::vector<RfmCell> grid;            // bins × bins, r major
};
// `totals` accumulated over (−∞, as_of].
RfmResult rfm(const std::vector<CustomerTotals>& totals, int32_t as_of, int bins);

// ---- Profitability ------------------------------------------------------------------------
struct ProfitRow {
  int32_t customer = 0;
  int32_t orders = 0, interactions = 0;
  int64_t purchases = 0, discounts = 0, revenue = 0, gross_profit = 0, solicitation_cost = 0, net_profit = 0;
};
struct ProfitTotals {
  int64_t customers = 0, losing_customers = 0;
  int64_t purchases = 0, discounts = 0, revenue = 0, gross_profit = 0, solicitation_cost = 0, net_profit = 0;
};
// Customers with an order or an interaction in the period, in grouping order.
std::vector<ProfitRow> profitability(const std::vector<CustomerTotals>& totals, double default_margin_rate);
ProfitTotals profit_totals(const std::vector<ProfitRow>& rows);
// Sorts by net profit (descending or ascending), ties by customer type then id.
void sort_by_net_profit(std::vector<ProfitRow>& rows, const Grouping& g, bool descending);

// ---- Concentration ------------------------------------------------------------------------
struct CurvePoint { double customers_pct = 0; std::optional<double> share; };
struct Concentration {
  int64_t customers = 0;
  int64_t total = 0;
  std::optional<double> gini;
  std::vector<CurvePoint> top_shares;   // top 1, 5, 10, 20, 50 %
  std::vector<CurvePoint> pareto;       // 101 points of the measure
  std::vector<CurvePoint> stobachoff;   // 101 points of the profit
  CurvePoint stobachoff_peak;
};
// measure: one value per customer (revenue or net profit); profit: their net profits.
Concentration concentration(std::vector<int64_t> measure, std::vector<int64_t> profit);
// 2 Σ i·x_i / (n Σ x) − (n + 1)/n over x ascending; nullopt when Σ x ≤ 0.
std::optional<double> gini(std::vector<int64_t> values);

// ---- Cohorts, churn, macro-processes ------------------------------------------------------
enum class PeriodKind { Month, Quarter, Year };
bool parse_period_kind(std::string_view s, PeriodKind& k);
std::string period_label(PeriodKind k, int32_t period);  // "2025-03", "2025-Q1", "2025"
int32_t period_of_month(PeriodKind k, int32_t month);

// Last day (days since 1970-01-01) of a period of kind k.
int32_t period_last_day(PeriodKind k, int32_t period);

struct CohortRow {
  int32_t month = 0;              // month index (year × 12 + month − 1)
  int64_t customers = 0;
  std::vector<double> retention;  // by months since the first purchase, up to as_of's month
  std::vector<int64_t> revenue;
  bool partial = false;           // the cohort's month is not over on as_of: it is still recruiting
};
struct PeriodRow {
  int32_t period = 0;
  int64_t active = 0, recruited = 0, retained = 0, developed = 0, won_back = 0, lost = 0;
  // The period is not over on as_of (the current month of a live base): its counts are so far,
  // and its churn is left out (customers who will still buy this period would count as lost).
  bool partial = false;
  std::optional<double> churn;  // lost / active in the previous period; none for a partial period
};
struct CohortResult {
  std::vector<CohortRow> cohorts;  // cohorts with at least one customer
  std::vector<PeriodRow> periods;
  // as_of's month is not over: the last entry of every cohort's retention and revenue is so far,
  // not a rate to compare (the API answers it null).
  bool last_month_partial = false;
};
// Cohorts whose month and periods that lie in [from, to] (days); nothing after as_of counts.
// Months without a new customer give no cohort.
CohortResult cohorts(const OrderHistory& h, const Grouping& g, int32_t from, int32_t to, int32_t as_of, PeriodKind k,
                     bool count_free_orders = true);

// ---- Value tiers --------------------------------------------------------------------------
struct TierRule { std::string name; double top_pct = 0; };
// Tier index per customer (−1 = none) for the customers with eligible[c]; ranked by value
// descending, ties by type then id; tier k takes the ranks below ⌈n × (cumulative pct) / 100⌉.
std::vector<int> assign_tiers(const std::vector<int64_t>& value, const std::vector<uint8_t>& eligible,
                              const Grouping& g, const std::vector<TierRule>& rules);

// ---- Calculators (SME guide) --------------------------------------------------------------
struct DemandInput {
  double households = 0, category_penetration = 0, brand_penetration = 0, quantity_per_buyer = 0,
         share_of_requirements = 0;
};
struct DemandStep { std::string label; double factor = 0; double value = 0; };
struct DemandResult { double demand = 0; std::vector<DemandStep> steps; };
DemandResult static_demand(const DemandInput& in);

struct RetentionInput {
  int64_t annual_gross_profit = 0, acquisition_cost = 0, retention_cost = 0;  // cents; retention cost per year kept
  int years = 2;
};
struct RetentionScenario { int64_t gross_profit = 0, acquisition_cost = 0, retention_cost = 0, net = 0; };
struct RetentionResult {
  RetentionScenario retain, replace;
  int64_t difference = 0;                        // retain.net − replace.net
  std::optional<double> replace_earns_less_pct;  // difference / retain.net × 100
};
RetentionResult retention_vs_acquisition(const RetentionInput& in);

}  // namespace gz::analytics
