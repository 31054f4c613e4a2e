#include "modules/analytics/customer_value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <thread>

namespace gz::analytics {

std::vector<int64_t> interaction_costs(const OrderHistory& h, const std::map<std::string, int64_t>& by_channel) {
  std::vector<int64_t> out(h.interaction_channels.size(), 0);
  for (size_t i = 0; i < out.size(); ++i) {
    auto it = by_channel.find(h.interaction_channels[i]);
    if (it != by_channel.end()) out[i] = it->second;
  }
  return out;
}

int64_t CustomerTotals::gross_profit(double default_margin_rate) const {
  return rated_margin + std::llround(double(unrated) * default_margin_rate);
}

namespace {

// ---- Sorting the per-customer arrays --------------------------------------------------------
// LSD radix sorts on 64-bit keys, 16 bits a pass (a pass whose digit is the same for every key is
// skipped): several times faster than std::sort on arrays of a million customers' figures.

constexpr size_t kRadixMin = 4096;  // below this, std::sort

// Signed values as unsigned keys in the same order (descending: reversed).
inline uint64_t radix_key(int64_t v, bool descending) {
  uint64_t k = uint64_t(v) ^ (uint64_t(1) << 63);
  return descending ? ~k : k;
}

// Sorts keys (and, when given, the row numbers that travel with them) ascending, stably.
void radix_sort_keys(std::vector<uint64_t>& keys, std::vector<uint32_t>* rows) {
  size_t n = keys.size();
  std::vector<uint64_t> kbuf(n);
  std::vector<uint32_t> rbuf(rows ? n : 0);
  std::vector<uint32_t> count(size_t(1) << 16);
  for (int shift = 0; shift < 64; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t k : keys) ++count[(k >> shift) & 0xFFFF];
    if (count[(keys[0] >> shift) & 0xFFFF] == n) continue;  // one digit for all: nothing to move
    uint32_t sum = 0;
    for (auto& c : count) {
      uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (size_t i = 0; i < n; ++i) {
      uint32_t to = count[(keys[i] >> shift) & 0xFFFF]++;
      kbuf[to] = keys[i];
      if (rows) rbuf[to] = (*rows)[i];
    }
    keys.swap(kbuf);
    if (rows) rows->swap(rbuf);
  }
}

void sort_values(std::vector<int64_t>& v, bool descending) {
  if (v.size() < kRadixMin) {
    if (descending) std::sort(v.begin(), v.end(), std::greater<>());
    else std::sort(v.begin(), v.end());
    return;
  }
  std::vector<uint64_t> keys(v.size());
  for (size_t i = 0; i < v.size(); ++i) keys[i] = radix_key(v[i], descending);
  radix_sort_keys(keys, nullptr);
  const uint64_t flip = descending ? ~uint64_t(0) : 0;
  for (size_t i = 0; i < v.size(); ++i) v[i] = int64_t((keys[i] ^ flip) ^ (uint64_t(1) << 63));
}

// Row numbers of v in ascending order of value (stable).
std::vector<uint32_t> ascending_rows(const std::vector<int64_t>& v) {
  std::vector<uint32_t> rows(v.size());
  std::iota(rows.begin(), rows.end(), 0u);
  if (v.size() < kRadixMin) {
    std::stable_sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) { return v[a] < v[b]; });
    return rows;
  }
  std::vector<uint64_t> keys(v.size());
  for (size_t i = 0; i < v.size(); ++i) keys[i] = radix_key(v[i], false);
  radix_sort_keys(keys, &rows);
  return rows;
}

void merge_into(CustomerTotals& a, const CustomerTotals& b) {
  a.revenue += b.revenue;
  a.discounts += b.discounts;
  a.rated_margin += b.rated_margin;
  a.unrated += b.unrated;
  a.solicitation_cost += b.solicitation_cost;
  a.purchases += b.purchases;
  a.returns += b.returns;
  a.interactions += b.interactions;
  a.first_day = std::min(a.first_day, b.first_day);
  a.last_day = std::max(a.last_day, b.last_day);
}

// Adds orders [o0, o1) and interactions [i0, i1) of the period into out.
void accumulate_range(const OrderHistory& h, const Grouping& g, Period p, const std::vector<int64_t>* costs,
                      size_t o0, size_t o1, size_t i0, size_t i1, std::vector<CustomerTotals>& out) {
  const int32_t* day = h.order_day.data();
  const int32_t* cust = h.order_customer.data();
  const int32_t* group = g.group.data();
  for (size_t o = o0; o < o1; ++o) {
    int32_t d = day[o];
    if (d < p.from || d > p.to) continue;
    CustomerTotals& t = out[size_t(group[cust[o]])];
    t.revenue += h.order_revenue[o];
    t.discounts += h.order_discount[o];
    t.rated_margin += h.order_rated_margin[o];
    t.unrated += h.order_unrated[o];
    if (h.order_is_return[o]) {
      ++t.returns;
    } else if (is_purchase(h, o, p.count_free_orders)) {
      ++t.purchases;
      if (d < t.first_day) t.first_day = d;
      if (d > t.last_day) t.last_day = d;
    }
  }
  if (!costs) return;
  for (size_t i = i0; i < i1; ++i) {
    int32_t d = h.interaction_day[i];
    if (d < p.from || d > p.to) continue;
    CustomerTotals& t = out[size_t(group[h.interaction_customer[i]])];
    ++t.interactions;
    t.solicitation_cost += (*costs)[h.interaction_channel[i]];
  }
}

}  // namespace

std::vector<CustomerTotals> accumulate(const OrderHistory& h, const Grouping& g, Period p,
                                       const std::vector<int64_t>* costs, int threads) {
  size_t n = g.size(), no = h.orders(), ni = costs ? h.interactions() : 0;
  std::vector<CustomerTotals> out(n);
  // Below a few hundred thousand rows a thread costs more than it saves.
  if (threads < 2 || no + ni < 400000) {
    accumulate_range(h, g, p, costs, 0, no, 0, ni, out);
    return out;
  }
  if (h.clustered && g.identity) {
    // Rows sorted by customer, one unit customer per customer: each thread takes the rows of
    // one half of the customers and writes only their totals, in the same array.
    size_t mid = no / 2;
    while (mid > 0 && mid < no && h.order_customer[mid] == h.order_customer[mid - 1]) ++mid;
    int32_t first_of_second = mid < no ? h.order_customer[mid] : INT32_MAX;
    size_t imid = size_t(std::lower_bound(h.interaction_customer.begin(), h.interaction_customer.begin() + long(ni),
                                          first_of_second) - h.interaction_customer.begin());
    std::thread t([&] { accumulate_range(h, g, p, costs, mid, no, imid, ni, out); });
    accumulate_range(h, g, p, costs, 0, mid, 0, imid, out);
    t.join();
    return out;
  }
  // Each thread sums half the rows into its own array; the halves are then merged.
  std::vector<CustomerTotals> other(n);
  std::thread t([&] { accumulate_range(h, g, p, costs, no / 2, no, ni / 2, ni, other); });
  accumulate_range(h, g, p, costs, 0, no / 2, 0, ni / 2, out);
  t.join();
  for (size_t c = 0; c < n; ++c) merge_into(out[c], other[c]);
  return out;
}

// ---- RFM ----------------------------------------------------------------------------------

const char* segment_name(Segment s) {
  static const char* names[kSegments] = {"champions", "loyal", "potential_loyalists", "new", "promising",
                                         "need_attention", "about_to_sleep", "at_risk", "cant_lose",
                                         "hibernating", "lost"};
  return names[int(s)];
}

bool parse_segment(std::string_view s, Segment& out) {
  for (int i = 0; i < kSegments; ++i)
    if (s == segment_name(Segment(i))) {
      out = Segment(i);
      return true;
    }
  return false;
}

Segment segment_of(int r, int f, int bins) {
  auto to5 = [bins](int s) { return std::clamp((s * 5 + bins - 1) / bins, 1, 5); };
  r = to5(r);
  f = to5(f);
  using S = Segment;
  static const S table[5][5] = {
      // f = 1 … 5, rows r = 1 … 5
      {S::Lost, S::Hibernating, S::AtRisk, S::AtRisk, S::CantLose},
      {S::Hibernating, S::Hibernating, S::AtRisk, S::AtRisk, S::CantLose},
      {S::AboutToSleep, S::AboutToSleep, S::NeedAttention, S::Loyal, S::Loyal},
      {S::Promising, S::PotentialLoyalists, S::PotentialLoyalists, S::Loyal, S::Loyal},
      {S::New, S::PotentialLoyalists, S::PotentialLoyalists, S::Champions, S::Champions},
  };
  return table[r - 1][f - 1];
}

std::vector<uint8_t> quantile_scores(const std::vector<int64_t>& values, int bins) {
  size_t n = values.size();
  std::vector<uint8_t> out(n);
  if (n == 0) return out;
  auto [mn, mx] = std::minmax_element(values.begin(), values.end());
  int64_t lo = *mn;
  uint64_t range = uint64_t(*mx) - uint64_t(*mn);
  auto score = [&](uint64_t worse) { return uint8_t(1 + (worse * uint64_t(bins)) / n); };
  if (range < 4 * n + 1024) {
    // Counting sort: worse[v] = number of values below v.
    std::vector<uint32_t> below(size_t(range) + 2, 0);
    for (int64_t v : values) ++below[size_t(uint64_t(v) - uint64_t(lo)) + 1];
    for (size_t i = 1; i < below.size(); ++i) below[i] += below[i - 1];
    for (size_t i = 0; i < n; ++i) out[i] = score(below[size_t(uint64_t(values[i]) - uint64_t(lo))]);
  } else {
    // In ascending order, each value's "worse" count is the position where its run of equals starts.
    auto rows = ascending_rows(values);
    size_t run = 0;
    for (size_t k = 0; k < n; ++k) {
      if (k > 0 && values[rows[k]] != values[rows[k - 1]]) run = k;
      out[rows[k]] = score(run);
    }
  }
  return out;
}

RfmResult rfm(const std::vector<CustomerTotals>& totals, int32_t as_of, int bins) {
  if (bins < 2 || bins > 10) throw std::invalid_argument("bins must be from 2 to 10");
  RfmResult res;
  res.as_of = as_of;
  res.bins = bins;
  std::vector<int64_t> rv, fv, mv;
  for (size_t c = 0; c < totals.size(); ++c) {
    const CustomerTotals& t = totals[c];
    if (t.purchases == 0 || t.last_day > as_of) continue;
    RfmCustomer rc;
    rc.customer = int32_t(c);
    rc.recency_days = as_of - t.last_day;
    rc.frequency = t.purchases;
    rc.monetary = t.revenue;
    res.customers.push_back(rc);
    rv.push_back(-int64_t(rc.recency_days));  // recent is better
    fv.push_back(rc.frequency);
    mv.push_back(rc.monetary);
  }
  auto rs = quantile_scores(rv, bins), fs = quantile_scores(fv, bins), ms = quantile_scores(mv, bins);
  res.segments.resize(kSegments);
  for (int s = 0; s < kSegments; ++s) res.segments[size_t(s)].segment = Segment(s);
  res.grid.resize(size_t(bins * bins));
  for (int r = 1; r <= bins; ++r)
    for (int f = 1; f <= bins; ++f) {
      res.grid[size_t((r - 1) * bins + f - 1)].r = r;
      res.grid[size_t((r - 1) * bins + f - 1)].f = f;
    }
  for (size_t i = 0; i < res.customers.size(); ++i) {
    RfmCustomer& rc = res.customers[i];
    rc.r = rs[i];
    rc.f = fs[i];
    rc.m = ms[i];
    rc.segment = segment_of(rc.r, rc.f, bins);
    SegmentStat& s = res.segments[size_t(rc.segment)];
    ++s.customers;
    s.revenue += rc.monetary;
    RfmCell& cell = res.grid[size_t((rc.r - 1) * bins + rc.f - 1)];
    ++cell.customers;
    cell.revenue += rc.monetary;
    res.revenue += rc.monetary;
  }
  double n = double(res.customers.size());
  for (auto& s : res.segments) {
    s.share_customers = n > 0 ? double(s.customers) / n : 0;
    s.share_revenue = res.revenue != 0 ? double(s.revenue) / double(res.revenue) : 0;
  }
  return res;
}

// ---- Profitability ------------------------------------------------------------------------

std::vector<ProfitRow> profitability(const std::vector<CustomerTotals>& totals, double default_margin_rate) {
  std::vector<ProfitRow> rows;
  rows.reserve(totals.size());
  for (size_t c = 0; c < totals.size(); ++c) {
    const CustomerTotals& t = totals[c];
    if (!t.active()) continue;
    ProfitRow r;
    r.customer = int32_t(c);
    r.orders = t.purchases + t.returns;
    r.interactions = t.interactions;
    r.purchases = t.purchases_cents();
    r.discounts = t.discounts;
    r.revenue = t.revenue;
    r.gross_profit = t.gross_profit(default_margin_rate);
    r.solicitation_cost = t.solicitation_cost;
    r.net_profit = r.gross_profit - r.solicitation_cost;
    rows.push_back(r);
  }
  return rows;
}

ProfitTotals profit_totals(const std::vector<ProfitRow>& rows) {
  ProfitTotals t;
  for (const auto& r : rows) {
    ++t.customers;
    if (r.net_profit < 0) ++t.losing_customers;
    t.purchases += r.purchases;
    t.discounts += r.discounts;
    t.revenue += r.revenue;
    t.gross_profit += r.gross_profit;
    t.solicitation_cost += r.solicitation_cost;
    t.net_profit += r.net_profit;
  }
  return t;
}

void sort_by_net_profit(std::vector<ProfitRow>& rows, const Grouping& g, bool descending) {
  std::sort(rows.begin(), rows.end(), [&](const ProfitRow& a, const ProfitRow& b) {
    if (a.net_profit != b.net_profit) return descending ? a.net_profit > b.net_profit : a.net_profit < b.net_profit;
    if (g.type[size_t(a.customer)] != g.type[size_t(b.customer)]) return g.type[size_t(a.customer)] < g.type[size_t(b.customer)];
    return g.id[size_t(a.customer)] < g.id[size_t(b.customer)];
  });
}

// ---- Concentration ------------------------------------------------------------------------

namespace {

// Gini of values already sorted from the largest down (the i-th smallest has rank n − i).
std::optional<double> gini_of_descending(const std::vector<int64_t>& x) {
  size_t n = x.size();
  if (n == 0) return std::nullopt;
  long double sum = 0, weighted = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += x[i];
    weighted += (long double)(n - i) * x[i];
  }
  if (sum <= 0) return std::nullopt;
  return double(2 * weighted / ((long double)n * sum) - (long double)(n + 1) / n);
}

}  // namespace

std::optional<double> gini(std::vector<int64_t> x) {
  sort_values(x, true);
  return gini_of_descending(x);
}

namespace {

// Cumulative shares of values sorted descending at customers_pct = 0…100, and the peak.
std::vector<CurvePoint> curve(const std::vector<int64_t>& desc, int64_t total, CurvePoint* peak) {
  size_t n = desc.size();
  std::vector<int64_t> cum(n + 1, 0);
  for (size_t i = 0; i < n; ++i) cum[i + 1] = cum[i] + desc[i];
  std::vector<CurvePoint> out;
  for (int pct = 0; pct <= 100; ++pct) {
    size_t k = (size_t(pct) * n + 99) / 100;
    CurvePoint p{double(pct), std::nullopt};
    if (total > 0) p.share = double(cum[k]) / double(total);
    out.push_back(p);
  }
  if (peak) {
    size_t best = 0;
    for (size_t k = 1; k <= n; ++k)
      if (cum[k] > cum[best]) best = k;
    peak->customers_pct = n ? 100.0 * double(best) / double(n) : 0;
    peak->share = total > 0 ? std::optional<double>(double(cum[best]) / double(total)) : std::nullopt;
  }
  return out;
}

}  // namespace

Concentration concentration(std::vector<int64_t> measure, std::vector<int64_t> profit) {
  Concentration c;
  c.customers = int64_t(measure.size());
  sort_values(measure, true);
  c.gini = gini_of_descending(measure);
  sort_values(profit, true);
  c.total = std::accumulate(measure.begin(), measure.end(), int64_t(0));
  int64_t total_profit = std::accumulate(profit.begin(), profit.end(), int64_t(0));
  c.pareto = curve(measure, c.total, nullptr);
  c.stobachoff = curve(profit, total_profit, &c.stobachoff_peak);
  size_t n = measure.size();
  for (double pct : {1.0, 5.0, 10.0, 20.0, 50.0}) {
    size_t k = size_t(std::ceil(pct * double(n) / 100.0 - 1e-9));
    int64_t s = 0;
    for (size_t i = 0; i < k && i < n; ++i) s += measure[i];
    c.top_shares.push_back({pct, c.total > 0 ? std::optional<double>(double(s) / double(c.total)) : std::nullopt});
  }
  return c;
}

// ---- Cohorts ------------------------------------------------------------------------------

bool parse_period_kind(std::string_view s, PeriodKind& k) {
  if (s == "month") k = PeriodKind::Month;
  else if (s == "quarter") k = PeriodKind::Quarter;
  else if (s == "year") k = PeriodKind::Year;
  else return false;
  return true;
}

int32_t period_of_month(PeriodKind k, int32_t month) {
  switch (k) {
    case PeriodKind::Month: return month;
    case PeriodKind::Quarter: return month / 3;
    case PeriodKind::Year: return month / 12;
  }
  return month;
}

std::string period_label(PeriodKind k, int32_t p) {
  char buf[16];
  switch (k) {
    case PeriodKind::Month: std::snprintf(buf, sizeof buf, "%04d-%02d", p / 12, p % 12 + 1); break;
    case PeriodKind::Quarter: std::snprintf(buf, sizeof buf, "%04d-Q%d", p / 4, p % 4 + 1); break;
    case PeriodKind::Year: std::snprintf(buf, sizeof buf, "%04d", p); break;
  }
  return buf;
}

int32_t period_last_day(PeriodKind k, int32_t p) {
  int32_t last_month = k == PeriodKind::Month ? p : k == PeriodKind::Quarter ? p * 3 + 2 : p * 12 + 11;
  int32_t next = last_month + 1;  // the day before the first day of the next month
  return date_to_day(next / 12, next % 12 + 1, 1) - 1;
}

CohortResult cohorts(const OrderHistory& h, const Grouping& g, int32_t from, int32_t to, int32_t as_of, PeriodKind k,
                     bool count_free_orders) {
  CohortResult res;
  size_t n = g.size(), no = h.orders();
  // Orders up to as_of, grouped by unit customer (counting sort into CSR form).
  std::vector<int32_t> start(n + 1, 0);
  int32_t min_day = INT32_MAX;
  for (size_t o = 0; o < no; ++o)
    if (h.order_day[o] <= as_of) {
      ++start[size_t(g.group[size_t(h.order_customer[o])]) + 1];
      min_day = std::min(min_day, h.order_day[o]);
    }
  if (min_day == INT32_MAX) return res;
  for (size_t c = 0; c < n; ++c) start[c + 1] += start[c];
  std::vector<int32_t> pos(start.begin(), start.end() - 1), idx(size_t(start[n]));
  for (size_t o = 0; o < no; ++o)
    if (h.order_day[o] <= as_of) idx[size_t(pos[size_t(g.group[size_t(h.order_customer[o])])]++)] = int32_t(o);

  const int32_t m0 = month_of(min_day), m1 = month_of(as_of);
  const int32_t M = m1 - m0 + 1;
  const int32_t from_m = std::max(m0, month_of(std::max(from, min_day))), to_m = std::min(m1, month_of(std::min(to, as_of)));
  const int32_t p0 = period_of_month(k, m0), p1 = period_of_month(k, m1), P = p1 - p0 + 1;
  const int32_t from_p = period_of_month(k, from_m), to_p = period_of_month(k, to_m);

  // Cohort cells: cohort month (from_m…to_m) × months since (0…m1 − cohort).
  int32_t C = std::max(0, to_m - from_m + 1);
  std::vector<int64_t> cohort_size(size_t(C), 0), active_cell(size_t(C) * size_t(M), 0), revenue_cell(size_t(C) * size_t(M), 0);
  std::vector<int64_t> active(size_t(P), 0), recruited(size_t(P), 0), retained(size_t(P), 0), developed(size_t(P), 0),
      won_back(size_t(P), 0), lost(size_t(P), 0);

  // Per-customer scratch, reset through the touched lists.
  std::vector<int64_t> month_rev(size_t(M), 0), period_rev(size_t(P), 0);
  std::vector<uint8_t> month_active(size_t(M), 0), period_active(size_t(P), 0);
  std::vector<int32_t> touched_m, touched_p;
  for (size_t c = 0; c < n; ++c) {
    touched_m.clear();
    touched_p.clear();
    int32_t first_m = INT32_MAX;
    for (int32_t j = start[c]; j < start[c + 1]; ++j) {
      size_t o = size_t(idx[size_t(j)]);
      int32_t mi = month_of(h.order_day[o]) - m0;
      int32_t pi = period_of_month(k, mi + m0) - p0;
      if (!month_active[size_t(mi)] && month_rev[size_t(mi)] == 0) touched_m.push_back(mi);
      if (!period_active[size_t(pi)] && period_rev[size_t(pi)] == 0) touched_p.push_back(pi);
      month_rev[size_t(mi)] += h.order_revenue[o];
      period_rev[size_t(pi)] += h.order_revenue[o];
      if (is_purchase(h, o, count_free_orders)) {
        month_active[size_t(mi)] = 1;
        period_active[size_t(pi)] = 1;
        first_m = std::min(first_m, mi + m0);
      }
    }
    // Guard against a touched entry whose revenue summed back to zero before being marked.
    std::sort(touched_m.begin(), touched_m.end());
    touched_m.erase(std::unique(touched_m.begin(), touched_m.end()), touched_m.end());
    std::sort(touched_p.begin(), touched_p.end());
    touched_p.erase(std::unique(touched_p.begin(), touched_p.end()), touched_p.end());
    if (first_m != INT32_MAX) {
      if (first_m >= from_m && first_m <= to_m) {
        size_t row = size_t(first_m - from_m);
        ++cohort_size[row];
        for (int32_t mi : touched_m) {
          int32_t since = mi + m0 - first_m;
          if (since < 0) continue;  // a return before the first purchase
          if (month_active[size_t(mi)]) ++active_cell[row * size_t(M) + size_t(since)];
          revenue_cell[row * size_t(M) + size_t(since)] += month_rev[size_t(mi)];
        }
      }
      int32_t first_p = period_of_month(k, first_m) - p0;
      for (int32_t pi : touched_p) {
        if (period_active[size_t(pi)]) {
          ++active[size_t(pi)];
          bool prev = pi > 0 && period_active[size_t(pi - 1)];
          if (pi == first_p) ++recruited[size_t(pi)];
          else if (prev) {
            ++retained[size_t(pi)];
            if (period_rev[size_t(pi)] > period_rev[size_t(pi - 1)]) ++developed[size_t(pi)];
          } else if (first_p < pi - 1) {
            ++won_back[size_t(pi)];
          }
          if (pi + 1 < P && !period_active[size_t(pi + 1)]) ++lost[size_t(pi + 1)];
        }
      }
    }
    for (int32_t mi : touched_m) {
      month_rev[size_t(mi)] = 0;
      month_active[size_t(mi)] = 0;
    }
    for (int32_t pi : touched_p) {
      period_rev[size_t(pi)] = 0;
      period_active[size_t(pi)] = 0;
    }
  }
  res.last_month_partial = as_of < period_last_day(PeriodKind::Month, m1);
  for (int32_t r = 0; r < C; ++r) {
    if (cohort_size[size_t(r)] == 0) continue;  // a month without a new customer is no cohort
    CohortRow row;
    row.month = from_m + r;
    row.customers = cohort_size[size_t(r)];
    row.partial = row.month == m1 && res.last_month_partial;
    for (int32_t s = 0; s <= m1 - row.month; ++s) {
      size_t cell = size_t(r) * size_t(M) + size_t(s);
      row.retention.push_back(row.customers ? double(active_cell[cell]) / double(row.customers) : 0.0);
      row.revenue.push_back(revenue_cell[cell]);
    }
    res.cohorts.push_back(std::move(row));
  }
  for (int32_t p = from_p; p <= to_p; ++p) {
    size_t pi = size_t(p - p0);
    PeriodRow row;
    row.period = p;
    row.active = active[pi];
    row.recruited = recruited[pi];
    row.retained = retained[pi];
    row.developed = developed[pi];
    row.won_back = won_back[pi];
    row.lost = lost[pi];
    row.partial = as_of < period_last_day(k, p);
    if (pi > 0 && active[pi - 1] > 0 && !row.partial) row.churn = double(lost[pi]) / double(active[pi - 1]);
    res.periods.push_back(row);
  }
  return res;
}

// ---- Tiers --------------------------------------------------------------------------------

std::vector<int> assign_tiers(const std::vector<int64_t>& value, const std::vector<uint8_t>& eligible,
                              const Grouping& g, const std::vector<TierRule>& rules) {
  std::vector<int> tier(value.size(), -1);
  std::vector<int32_t> order;
  for (size_t c = 0; c < value.size(); ++c)
    if (eligible[c]) order.push_back(int32_t(c));
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    if (value[size_t(a)] != value[size_t(b)]) return value[size_t(a)] > value[size_t(b)];
    if (g.type[size_t(a)] != g.type[size_t(b)]) return g.type[size_t(a)] < g.type[size_t(b)];
    return g.id[size_t(a)] < g.id[size_t(b)];
  });
  size_t n = order.size(), rank = 0;
  double cum = 0;
  for (size_t k = 0; k < rules.size(); ++k) {
    cum += rules[k].top_pct;
    size_t end = k + 1 == rules.size() ? n : std::min(n, size_t(std::ceil(double(n) * cum / 100.0 - 1e-9)));
    for (; rank < end; ++rank) tier[size_t(order[rank])] = int(k);
  }
  return tier;
}

// ---- Calculators --------------------------------------------------------------------------

DemandResult static_demand(const DemandInput& in) {
  DemandResult r;
  double v = in.households;
  r.steps.push_back({"households", 1, v});
  v *= in.category_penetration;
  r.steps.push_back({"category_buyers", in.category_penetration, v});
  v *= in.brand_penetration;
  r.steps.push_back({"brand_buyers", in.brand_penetration, v});
  v *= in.quantity_per_buyer;
  r.steps.push_back({"brand_buyers_quantity", in.quantity_per_buyer, v});
  v *= in.share_of_requirements;
  r.steps.push_back({"demand", in.share_of_requirements, v});
  r.demand = v;
  return r;
}

RetentionResult retention_vs_acquisition(const RetentionInput& in) {
  RetentionResult r;
  r.retain.gross_profit = r.replace.gross_profit = in.annual_gross_profit * in.years;
  r.retain.acquisition_cost = in.acquisition_cost;                 // recruited once
  r.retain.retention_cost = in.retention_cost * (in.years - 1);     // kept for the years after the first
  r.replace.acquisition_cost = in.acquisition_cost * in.years;     // a new customer every year
  r.retain.net = r.retain.gross_profit - r.retain.acquisition_cost - r.retain.retention_cost;
  r.replace.net = r.replace.gross_profit - r.replace.acquisition_cost;
  r.difference = r.retain.net - r.replace.net;
  if (r.retain.net > 0) r.replace_earns_less_pct = 100.0 * double(r.difference) / double(r.retain.net);
  return r;
}

}  // namespace gz::analytics
