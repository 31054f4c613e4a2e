// Gazelle's side of the customer-value analytics benchmark (bench/analytics/run.sh): loads the
// order and interaction history from a Gazelle database exactly as the server does
// (store::AnalyticsStore::load), then times, in memory, the analyses the peers run as SQL —
// RFM (quintile scores + segments), profitability per customer, concentration of revenue and of
// net profit — with the default settings (domain::AnalyticsSettings::defaults()), the same calls
// as modules/analytics/analytics_service.cpp. Then the lifetime-value fits over the same purchases
// (BG/NBD + Gamma-Gamma, and Pareto/NBD apart), calibration end = the last order day.
//
// Prints `R <key> <value>` figures (compared with the peers by compare.mjs) and `TIME <phase>
// <seconds>` lines.
//   bench_analytics --db <database> [--threads N] [--repeat N] [--no-clv]
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "core/memory.h"
#include "modules/analytics/clv_models.h"
#include "modules/analytics/customer_value.h"
#include "modules/analytics/analytics_service.h"
#include "modules/analytics/analytics_store.h"
#include "store/database.h"

using namespace gz;
using Clock = std::chrono::steady_clock;
static double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
// CPU seconds of the process, all threads: on a shared machine the wall time also counts waiting.
static double cpu() { return double(std::clock()) / CLOCKS_PER_SEC; }

int main(int argc, char** argv) {
  gz::memory::keep_freed_memory_for_reuse();  // as `gazelle` does
  std::string path;
  int threads = 2, repeat = 5;
  bool clv = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) path = argv[++i];
    else if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (a == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[++i]);
    else if (a == "--no-clv") clv = false;
    else {
      std::fprintf(stderr, "usage: bench_analytics --db <database> [--threads N] [--repeat N] [--no-clv]\n");
      return 2;
    }
  }
  if (path.empty() || threads < 1 || repeat < 1) {
    std::fprintf(stderr, "bench_analytics: --db is required; --threads and --repeat must be at least 1\n");
    return 2;
  }
  try {
    auto db = store::Database::open(path);
    // ---- Load: the columnar history, as the server builds it.
    auto t0 = Clock::now();
    double cpu0 = cpu();
    analytics::OrderHistory h;
    store::with_transaction(*db, false, [&](store::Connection& c) { h = store::AnalyticsStore::load(c); });
    analytics::Grouping g = analytics::make_grouping(h, analytics::Unit::Contacts);
    double load_s = since(t0), load_cpu = cpu() - cpu0;
    if (h.orders() == 0) {
      std::fprintf(stderr, "bench_analytics: no counted order in %s\n", path.c_str());
      return 1;
    }
    auto [mn, mx] = std::minmax_element(h.order_day.begin(), h.order_day.end());
    const int32_t first = *mn, as_of = *mx;
    const auto st = domain::AnalyticsSettings::defaults();

    // ---- Compute: `repeat` runs, the first one (it also warms the caches) and the best one both
    // reported, as the peers do (compute = the best).
    analytics::RfmResult r;
    analytics::ProfitTotals pt;
    analytics::Concentration conc_revenue, conc_profit;
    double best = 1e300, best_cpu = 0, rfm_s = 0, profit_s = 0, conc_s = 0, first_s = 0, first_cpu = 0;
    for (int k = 0; k < repeat; ++k) {
      auto c0 = Clock::now();
      double k0 = cpu();
      auto all = analytics::accumulate(h, g, {INT32_MIN, as_of}, nullptr, threads);
      r = analytics::rfm(all, as_of, st.rfm_bins);
      auto c1 = Clock::now();
      auto costs = analytics::interaction_costs(h, st.channel_costs_cents);
      auto totals = analytics::accumulate(h, g, {first, as_of}, &costs, threads);
      auto rows = analytics::profitability(totals, st.default_margin_rate);
      pt = analytics::profit_totals(rows);
      auto c2 = Clock::now();
      std::vector<int64_t> revenue, profit;
      revenue.reserve(rows.size());
      profit.reserve(rows.size());
      for (const auto& row : rows) {
        revenue.push_back(row.revenue);
        profit.push_back(row.net_profit);
      }
      conc_revenue = analytics::concentration(revenue, profit);
      conc_profit = analytics::concentration(profit, profit);
      double total = since(c0);
      if (k == 0) {  // the first run also pays for fresh memory
        first_s = total;
        first_cpu = cpu() - k0;
      }
      if (total < best) {
        best = total;
        best_cpu = cpu() - k0;
        rfm_s = std::chrono::duration<double>(c1 - c0).count();
        profit_s = std::chrono::duration<double>(c2 - c1).count();
        conc_s = since(c2);
      }
    }

    std::printf("R as_of_day %d\n", as_of);
    std::printf("R rfm.customers %zu\n", r.customers.size());
    std::printf("R rfm.revenue %lld\n", (long long)r.revenue);
    for (const auto& s : r.segments) std::printf("R seg.%s %lld\n", analytics::segment_name(s.segment), (long long)s.customers);
    for (const auto& s : r.segments)
      std::printf("R seg_revenue.%s %lld\n", analytics::segment_name(s.segment), (long long)s.revenue);
    std::printf("R profit.customers %lld\nR profit.losing %lld\n", (long long)pt.customers, (long long)pt.losing_customers);
    std::printf("R profit.purchases %lld\nR profit.discounts %lld\nR profit.revenue %lld\n", (long long)pt.purchases,
                (long long)pt.discounts, (long long)pt.revenue);
    std::printf("R profit.gross %lld\nR profit.solicitation %lld\nR profit.net %lld\n", (long long)pt.gross_profit,
                (long long)pt.solicitation_cost, (long long)pt.net_profit);
    auto conc = [](const char* name, const analytics::Concentration& c) {
      if (c.gini) std::printf("R %s.gini %.15g\n", name, *c.gini);
      else std::printf("R %s.gini null\n", name);
      for (const auto& p : c.top_shares) {
        if (p.share) std::printf("R %s.top%g %.15g\n", name, p.customers_pct, *p.share);
        else std::printf("R %s.top%g null\n", name, p.customers_pct);
      }
    };
    conc("conc_revenue", conc_revenue);
    conc("conc_profit", conc_profit);
    if (conc_profit.stobachoff_peak.share) std::printf("R stobachoff.peak %.15g\n", *conc_profit.stobachoff_peak.share);
    std::printf("INFO history: %zu customers, %zu orders, %zu interactions; compute = best of %d runs "
                "(rfm %.3f s, profitability %.3f s, concentration %.3f s), %d threads\n",
                h.customers(), h.orders(), h.interactions(), repeat, rfm_s, profit_s, conc_s, threads);
    std::printf("TIME load %.3f\nTIME repeat %d\nTIME compute_first %.3f\nTIME compute_first_cpu %.3f\n", load_s, repeat,
                first_s, first_cpu);
    std::printf("TIME compute %.3f\nTIME load_cpu %.3f\nTIME compute_cpu %.3f\n", best, load_cpu, best_cpu);

    if (clv) {
      // ---- Lifetime value: the purchases (returns excluded) as of the last order day.
      auto v0 = Clock::now();
      double clv_cpu0 = cpu();
      std::vector<analytics::Purchase> purchases;
      purchases.reserve(h.orders());
      for (size_t i = 0; i < h.orders(); ++i) {
        if (h.order_is_return[i]) continue;
        int32_t c = h.order_customer[i];
        purchases.push_back({h.customer_id[size_t(c)], uint8_t(h.customer_type[size_t(c)]), h.order_day[i],
                             double(h.order_revenue[i]) / 100.0});
      }
      auto summaries = analytics::summarize(std::move(purchases), as_of);
      double summarize_s = since(v0);
      analytics::FitOptions fo;
      fo.threads = threads;
      auto f0 = Clock::now();
      auto bg = analytics::fit_bgnbd(summaries, fo);
      double bg_s = since(f0);
      auto f1 = Clock::now();
      auto gg = analytics::fit_gammagamma(summaries, fo);
      double gg_s = since(f1);
      auto f2 = Clock::now();
      auto pn = analytics::fit_pnbd(summaries, fo);
      double pn_s = since(f2);
      std::printf("INFO clv: %zu customers; BG/NBD r=%.4g alpha=%.4g a=%.4g b=%.4g LL=%.6g (%d evaluations, %zu rows); "
                  "Gamma-Gamma p=%.4g q=%.4g gamma=%.4g; Pareto/NBD r=%.4g alpha=%.4g s=%.4g beta=%.4g LL=%.6g\n",
                  summaries.size(), bg.params.r, bg.params.alpha, bg.params.a, bg.params.b, bg.info.log_likelihood,
                  bg.info.evaluations, bg.info.rows, gg.params.p, gg.params.q, gg.params.gamma, pn.params.r,
                  pn.params.alpha, pn.params.s, pn.params.beta, pn.info.log_likelihood);
      std::printf("TIME clv_summaries %.3f\nTIME clv_bgnbd %.3f\nTIME clv_gammagamma %.3f\nTIME clv_pnbd %.3f\n",
                  summarize_s, bg_s, gg_s, pn_s);
      std::printf("TIME clv_bgnbd_gammagamma %.3f\n", summarize_s + bg_s + gg_s);
      std::printf("TIME clv_all_cpu %.3f\n", cpu() - clv_cpu0);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_analytics: %s\n", e.what());
    return 1;
  }
  return 0;
}
