// Probabilistic customer lifetime value: the BG/NBD and Pareto/NBD models for the number of
// future purchases, and the Gamma-Gamma model for their value (Fader, Hardie & Lee 2005;
// Schmittlein, Morrison & Colombo 1987; Fader & Hardie's implementation notes).
//
// Input is a purchase list (customer, day, amount). `summarize` turns it into one summary per
// customer as of a calibration end date: purchases of one customer on one day are merged first,
// x counts the repeat purchase-days (the first purchase is not a repeat), t_x is the time of the
// last purchase and T the time of the calibration end, both measured from the first purchase,
// in weeks (days / 7). Fits are maximum likelihood with NLopt on log-parameters; identical
// (x, t_x, T) triples are compressed into one weighted row, and the per-x / per-t_x / per-T
// special-function terms are computed once per distinct value, so a fit over a million
// customers costs a few milliseconds per likelihood evaluation.
//
// Every function is pure and thread-safe; fits use `FitOptions::threads` worker threads.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gz::analytics {

// One purchase. `day` counts days since 1970-01-01 (UTC); `kind` tells apart customers of
// different kinds sharing an id space (0 = contact, 1 = account; CDNOW uses 0).
struct Purchase {
  int64_t customer = 0;
  uint8_t kind = 0;
  int32_t day = 0;
  double amount = 0;
};

struct CustomerSummary {
  int64_t customer = 0;
  uint8_t kind = 0;
  int32_t first_day = 0;   // day of the first purchase
  double x = 0;            // repeat purchase-days in the calibration period
  double t_x = 0;          // weeks from the first to the last calibration purchase
  double T = 0;            // weeks from the first purchase to the calibration end
  double monetary = 0;     // mean amount of the repeat purchase-days (0 when x = 0)
};

constexpr double kDaysPerWeek = 7.0;

// Days since 1970-01-01 for a civil date; and parsing of "YYYY-MM-DD" (also the date part of an
// ISO date-time) and "YYYYMMDD". Parsing returns false on anything that is not a real date.
int32_t days_from_civil(int y, unsigned m, unsigned d);
bool parse_day(const std::string& text, int32_t& day);
std::string format_day(int32_t day);

// Summaries of the customers whose first purchase is on or before `calibration_end_day`
// (purchases after it are ignored), sorted by (kind, customer).
std::vector<CustomerSummary> summarize(std::vector<Purchase> purchases, int32_t calibration_end_day);

// Reads the CDNOW purchase log (`masterID sampleID yyyymmdd nCDs dollars` or the master file's
// `customer_id date number_of_cds dollar_value` with a header line). Throws gz::Problem naming
// the line on malformed input.
std::vector<Purchase> read_cdnow(const std::string& path);

// ---- models -------------------------------------------------------------------------------

struct BgNbdParams { double r = 1, alpha = 1, a = 1, b = 1; };
struct ParetoNbdParams { double r = 1, alpha = 1, s = 1, beta = 1; };
struct GammaGammaParams { double p = 1, q = 1, gamma = 1; };

struct FitOptions {
  int threads = 2;             // likelihood evaluation threads (used above ~20,000 rows)
  double xtol_rel = 1e-10;     // on the log-parameters
  int max_evaluations = 5000;
};

struct FitInfo {
  double log_likelihood = 0;
  int evaluations = 0;
  double seconds = 0;          // whole fit
  double prepare_seconds = 0;  // of which building the compressed rows
  size_t rows = 0;             // distinct weighted rows the likelihood ran over
  std::string optimiser;
  // The final polish stopped on a tolerance (not on the evaluation cap or an error) at a finite
  // log-likelihood.
  bool converged = true;
  // Parameters the optimum leaves within a factor e of the search bounds (e^−18 … e^18; a and b
  // of BG/NBD at most 10^3): the data do not identify them (no heterogeneity, or nothing of
  // what the parameter describes, such as no dropout), e.g. {"a"}.
  std::vector<std::string> at_bounds;
};

struct BgNbdFit { BgNbdParams params; FitInfo info; };
struct ParetoNbdFit { ParetoNbdParams params; FitInfo info; };
struct GammaGammaFit { GammaGammaParams params; FitInfo info; };

// Log-likelihoods summed over the customers (Gamma-Gamma over those with x > 0 and monetary > 0,
// with the −log(zbar) term of the density of the mean).
double bgnbd_log_likelihood(const BgNbdParams& p, const std::vector<CustomerSummary>& c);
double pnbd_log_likelihood(const ParetoNbdParams& p, const std::vector<CustomerSummary>& c);
double gammagamma_log_likelihood(const GammaGammaParams& p, const std::vector<CustomerSummary>& c);

// Maximum-likelihood fits. Throw gz::Problem when the data cannot identify the model (no
// customer, or no repeat purchase).
BgNbdFit fit_bgnbd(const std::vector<CustomerSummary>& c, const FitOptions& o = {});
ParetoNbdFit fit_pnbd(const std::vector<CustomerSummary>& c, const FitOptions& o = {});
GammaGammaFit fit_gammagamma(const std::vector<CustomerSummary>& c, const FitOptions& o = {});

// BG/NBD: E[X(t)] for a new customer, P(X(t) = x), P(alive | x, t_x, T) and
// E[Y(t) | x, t_x, T] (purchases in the next t weeks).
double bgnbd_expected(const BgNbdParams& p, double t);
double bgnbd_pmf(const BgNbdParams& p, double t, int x);
double bgnbd_p_alive(const BgNbdParams& p, double x, double t_x, double T);
double bgnbd_conditional_expected(const BgNbdParams& p, double t, double x, double t_x, double T);

// Pareto/NBD: the same four quantities.
double pnbd_expected(const ParetoNbdParams& p, double t);
double pnbd_pmf(const ParetoNbdParams& p, double t, int x);
double pnbd_p_alive(const ParetoNbdParams& p, double x, double t_x, double T);
double pnbd_conditional_expected(const ParetoNbdParams& p, double t, double x, double t_x, double T);

// Gamma-Gamma: expected value of a future purchase given x repeat purchases of mean monetary
// (the population mean γp/(q−1) when x = 0; requires q > 1).
double gammagamma_expected_value(const GammaGammaParams& p, double x, double monetary);

// A fitted purchase-count model of either kind, to compute per-customer figures uniformly.
struct CountModel {
  enum class Kind { BgNbd, ParetoNbd } kind = Kind::BgNbd;
  BgNbdParams bg;
  ParetoNbdParams pnbd;
  double expected(double t) const;
  double p_alive(double x, double t_x, double T) const;
  double conditional_expected(double t, double x, double t_x, double T) const;
  // conditional_expected without its P(alive) factor (which alone depends on t_x).
  double expected_if_alive(double t, double x, double T) const;
};

// Discounted CLV over `horizon_weeks`: margin × E[value] × Σ_{k=1..H} (E[Y(k)] − E[Y(k−1)]) ×
// (1 + annual_discount_rate)^(−7k/365.25), i.e. the expected purchases of each future week,
// discounted to today at the annual rate, times the expected margin of one purchase.
struct ClvOptions {
  double horizon_weeks = 52;
  double margin = 0.3;
  double annual_discount_rate = 0.1;
};
double discounted_clv(const CountModel& m, const CustomerSummary& c, double expected_value, const ClvOptions& o);

struct CustomerValue {
  CustomerSummary summary;
  double p_alive = 0;
  double expected_purchases = 0;   // over the horizon
  double expected_value = 0;       // of one purchase (Gamma-Gamma)
  double clv = 0;
};
// Σ_{k=1..H} (E[Y(k) | alive] − E[Y(k−1) | alive]) (1 + d)^(−7k/365.25): the discounted purchases
// of a customer alive today, a function of (x, T) alone (not of t_x); times P(alive), the sum in
// discounted_clv.
double discounted_purchases_if_alive(const CountModel& m, double x, double T, const ClvOptions& o);
// One customer's figures, given discounted_purchases_if_alive(m, s.x, s.T, o), which customers
// share (a caller may keep it per (x, T)).
CustomerValue customer_value(const CountModel& m, const GammaGammaParams& gg, const CustomerSummary& s,
                             const ClvOptions& o, double discounted_if_alive);
// Every customer's figures, sorted by CLV descending (then kind, customer).
std::vector<CustomerValue> customer_values(const CountModel& m, const GammaGammaParams& gg,
                                           const std::vector<CustomerSummary>& c, const ClvOptions& o);

// Weekly cumulative repeat purchases of the whole cohort, actual (from the purchases, same-day
// purchases merged, first purchase of each customer excluded) and expected by the model from
// each customer's first-purchase time. Week k ends `origin_day + 7k` (exclusive); the origin is
// the earliest first purchase.
struct TrackingPoint { int week = 0; double actual = 0; double predicted = 0; };
std::vector<TrackingPoint> tracking_curve(const CountModel& m, const std::vector<Purchase>& purchases,
                                          int32_t calibration_end_day, int weeks);

// An SVG line chart of the tracking curve (predicted vs actual), with axes, ticks, labels, a
// legend and a marker at the calibration end.
std::string tracking_svg(const std::vector<TrackingPoint>& curve, const std::string& title, double calibration_week);

}  // namespace gz::analytics
