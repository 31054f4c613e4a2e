#include "modules/analytics/clv_models.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlopt.hpp>
#include <sstream>
#include <thread>

#include "core/problem.h"

namespace gz::analytics {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double digamma(double x) {
  double r = 0;
  while (x < 6) {
    r -= 1 / x;
    x += 1;
  }
  double f = 1 / (x * x);
  return r + std::log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
}

double log_add(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  double m = std::max(a, b);
  return m + std::log1p(std::exp(-std::fabs(a - b)));
}

// log(exp(a) − exp(b)) for a ≥ b; −inf when they are equal.
double log_sub(double a, double b) {
  if (b == kNegInf) return a;
  if (b >= a) return kNegInf;
  return a + std::log1p(-std::exp(b - a));
}

// log 2F1(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, summing the (positive) series. Terms can
// grow for a long while before they shrink (b in the hundreds for a customer with hundreds of
// purchases, z near 1), so the running sum is rescaled instead of being allowed to overflow.
double log_hyp2f1(double a, double b, double c, double z) {
  if (z <= 0) return 0;
  double term = 1, sum = 1, log_scale = 0;
  for (int k = 0; k < 2000000; ++k) {
    double ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
    term *= ratio;
    sum += term;
    if (sum > 1e250) {
      sum *= 1e-250;
      term *= 1e-250;
      log_scale += 250 * std::log(10.0);
    }
    if (ratio < 1 && term < 1e-17 * sum) break;
  }
  return std::log(sum) + log_scale;
}

// 2F1(a, b; c; z) by its series for |z| < 1 and parameters whose terms stay moderate (signs allowed).
double hyp2f1(double a, double b, double c, double z) {
  double term = 1, sum = 1;
  for (int k = 0; k < 2000000; ++k) {
    double ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
    term *= ratio;
    sum += term;
    if (std::fabs(ratio) < 1 && std::fabs(term) < 1e-17 * std::fabs(sum)) break;
    if (term == 0) break;
  }
  return sum;
}

// Sums K accumulators of fn(begin, end, acc) over [0, n) on up to `threads` threads.
template <size_t K>
std::array<double, K> parallel_sum(size_t n, int threads, const std::function<void(size_t, size_t, std::array<double, K>&)>& fn) {
  std::array<double, K> total{};
  size_t t = std::max(1, threads);
  if (n < 20000 || t == 1) {
    fn(0, n, total);
    return total;
  }
  std::vector<std::array<double, K>> parts(t, std::array<double, K>{});
  std::vector<std::thread> pool;
  size_t chunk = (n + t - 1) / t;
  for (size_t i = 1; i < t; ++i) {
    size_t b = i * chunk, e = std::min(n, b + chunk);
    if (b < e) pool.emplace_back([&, i, b, e] { fn(b, e, parts[i]); });
  }
  fn(0, std::min(n, chunk), parts[0]);
  for (auto& th : pool) th.join();
  for (const auto& p : parts)
    for (size_t k = 0; k < K; ++k) total[k] += p[k];
  return total;
}

// The summaries compressed to distinct (x, t_x, T) rows with weights; each row refers to the
// distinct x, t_x and T values so that logs and special functions are computed once per value.
struct Compressed {
  std::vector<double> xs, txs, Ts;
  struct Row {
    uint32_t ix, itx, iT;
    double w;
  };
  std::vector<Row> rows;
  std::vector<double> wx;  // total weight per distinct x
  double total = 0;
};

std::vector<double> distinct(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

uint32_t index_of(const std::vector<double>& v, double value) {
  return uint32_t(std::lower_bound(v.begin(), v.end(), value) - v.begin());
}

Compressed compress(const std::vector<CustomerSummary>& c) {
  Compressed out;
  std::vector<std::array<double, 3>> triples;
  triples.reserve(c.size());
  for (const auto& s : c) triples.push_back({s.x, s.t_x, s.T});
  std::sort(triples.begin(), triples.end());
  std::vector<double> xs, txs, Ts;
  for (const auto& t : triples) {
    xs.push_back(t[0]);
    txs.push_back(t[1]);
    Ts.push_back(t[2]);
  }
  out.xs = distinct(std::move(xs));
  out.txs = distinct(std::move(txs));
  out.Ts = distinct(std::move(Ts));
  out.wx.assign(out.xs.size(), 0);
  for (size_t i = 0; i < triples.size();) {
    size_t j = i;
    while (j < triples.size() && triples[j] == triples[i]) ++j;
    Compressed::Row row{index_of(out.xs, triples[i][0]), index_of(out.txs, triples[i][1]), index_of(out.Ts, triples[i][2]),
                        double(j - i)};
    out.wx[row.ix] += row.w;
    out.rows.push_back(row);
    i = j;
  }
  out.total = double(c.size());
  return out;
}

void check_rf_input(const std::vector<CustomerSummary>& c) {
  if (c.empty()) throw Problem(ProblemKind::Unprocessable, "no customer with a purchase before the calibration end", {{"calibration_end", "no customer"}});
  bool repeat = false;
  for (const auto& s : c) {
    if (!(s.x >= 0 && s.t_x >= 0 && s.T >= s.t_x) || !std::isfinite(s.T))
      throw Problem(ProblemKind::Unprocessable,
                    tr("customer {id} has an impossible summary (x, t_x, T)", {{"id", std::to_string(s.customer)}}));
    if (s.x > 0) repeat = true;
  }
  if (!repeat)
    throw Problem(ProblemKind::Unprocessable, "no customer made a repeat purchase in the calibration period: the model cannot be fitted",
                  {{"calibration_end", "no repeat purchase before it"}});
}

// ---- BG/NBD likelihood over compressed rows, with its gradient in log-parameters ----------

double bgnbd_ll_grad(const Compressed& d, const double* u, double* grad, int threads) {
  const double r = std::exp(u[0]), alpha = std::exp(u[1]), a = std::exp(u[2]), b = std::exp(u[3]);
  const size_t nx = d.xs.size();
  std::vector<double> lnA4(nx), rx(nx), inv_b(nx);
  double ll = 0, g[4] = {0, 0, 0, 0};
  const double lg_r = std::lgamma(r), lg_ab = std::lgamma(a + b), lg_b = std::lgamma(b), ln_alpha = std::log(alpha);
  const double psi_r = digamma(r), psi_ab = digamma(a + b), psi_b = digamma(b);
  for (size_t j = 0; j < nx; ++j) {
    double x = d.xs[j], w = d.wx[j];
    rx[j] = r + x;
    lnA4[j] = x > 0 ? std::log(a) - std::log(b + x - 1) : kNegInf;
    inv_b[j] = x > 0 ? 1 / (b + x - 1) : 0;
    if (w == 0) continue;
    ll += w * (std::lgamma(r + x) - lg_r + r * ln_alpha + lg_ab + std::lgamma(b + x) - lg_b - std::lgamma(a + b + x));
    double psi_abx = digamma(a + b + x);
    g[0] += w * (digamma(r + x) - psi_r + ln_alpha);
    g[1] += w * (r / alpha);
    g[2] += w * (psi_ab - psi_abx);
    g[3] += w * (psi_ab + digamma(b + x) - psi_b - psi_abx);
  }
  std::vector<double> Lt(d.txs.size()), It(d.txs.size()), LT(d.Ts.size()), IT(d.Ts.size());
  for (size_t i = 0; i < d.txs.size(); ++i) {
    Lt[i] = std::log(alpha + d.txs[i]);
    It[i] = 1 / (alpha + d.txs[i]);
  }
  for (size_t i = 0; i < d.Ts.size(); ++i) {
    LT[i] = std::log(alpha + d.Ts[i]);
    IT[i] = 1 / (alpha + d.Ts[i]);
  }
  auto sums = parallel_sum<5>(d.rows.size(), threads, [&](size_t begin, size_t end, std::array<double, 5>& acc) {
    double s_ll = 0, s_r = 0, s_al = 0, s_a = 0, s_b = 0;
    for (size_t i = begin; i < end; ++i) {
      const auto& row = d.rows[i];
      double A3 = -rx[row.ix] * LT[row.iT];
      if (lnA4[row.ix] == kNegInf) {
        s_ll += row.w * A3;
        s_r -= row.w * LT[row.iT];
        s_al -= row.w * rx[row.ix] * IT[row.iT];
        continue;
      }
      double A4 = lnA4[row.ix] - rx[row.ix] * Lt[row.itx];
      double diff = A3 - A4;
      double e = std::exp(-std::fabs(diff));
      double L = std::max(A3, A4) + std::log1p(e);
      double w3 = diff >= 0 ? 1 / (1 + e) : e / (1 + e);
      double w4 = 1 - w3;
      s_ll += row.w * L;
      s_r -= row.w * (w3 * LT[row.iT] + w4 * Lt[row.itx]);
      s_al -= row.w * rx[row.ix] * (w3 * IT[row.iT] + w4 * It[row.itx]);
      s_a += row.w * w4;
      s_b -= row.w * w4 * inv_b[row.ix];
    }
    acc[0] += s_ll;
    acc[1] += s_r;
    acc[2] += s_al;
    acc[3] += s_a;
    acc[4] += s_b;
  });
  ll += sums[0];
  if (grad) {
    grad[0] = r * (g[0] + sums[1]);
    grad[1] = alpha * (g[1] + sums[2]);
    grad[2] = a * (g[2] + sums[3] / a);
    grad[3] = b * (g[3] + sums[4]);
  }
  return ll;
}

// ---- Pareto/NBD -------------------------------------------------------------------------

// log of A0 = F(t_x) − F(T), F(y) = 2F1(r+s+x, b'; r+s+x+1; |α−β|/(m+y)) / (m+y)^(r+s+x) with
// m = max(α, β) and b' = s+1 when α ≥ β, r+x otherwise: the ordering keeps the argument in [0, 1).
double pnbd_log_A0(double r, double alpha, double s, double beta, double x, double t_x, double T) {
  double n = r + s + x, m = std::max(alpha, beta), d = std::fabs(alpha - beta);
  double b2 = alpha >= beta ? s + 1 : r + x;
  double f1 = log_hyp2f1(n, b2, n + 1, d / (m + t_x)) - n * std::log(m + t_x);
  double f2 = log_hyp2f1(n, b2, n + 1, d / (m + T)) - n * std::log(m + T);
  return log_sub(f1, f2);
}

double pnbd_row_ll(double r, double alpha, double s, double beta, double x, double t_x, double T) {
  double head = std::lgamma(r + x) - std::lgamma(r) + r * std::log(alpha) + s * std::log(beta);
  double first = -(r + x) * std::log(alpha + T) - s * std::log(beta + T);
  double second = std::log(s) - std::log(r + s + x) + pnbd_log_A0(r, alpha, s, beta, x, t_x, T);
  return head + log_add(first, second);
}

double pnbd_ll(const Compressed& d, const double* u, int threads) {
  const double r = std::exp(u[0]), alpha = std::exp(u[1]), s = std::exp(u[2]), beta = std::exp(u[3]);
  auto sums = parallel_sum<1>(d.rows.size(), threads, [&](size_t begin, size_t end, std::array<double, 1>& acc) {
    for (size_t i = begin; i < end; ++i) {
      const auto& row = d.rows[i];
      acc[0] += row.w * pnbd_row_ll(r, alpha, s, beta, d.xs[row.ix], d.txs[row.itx], d.Ts[row.iT]);
    }
  });
  return sums[0];
}

// ---- Gamma-Gamma --------------------------------------------------------------------------

struct GgData {
  std::vector<double> xs, wx;     // distinct x and counts
  std::vector<uint32_t> ix;        // per customer
  std::vector<double> xz;          // per customer x·zbar
  double c_p = 0, c_0 = 0;         // Σ x(ln zbar + ln x), Σ ln zbar
};

GgData gg_data(const std::vector<CustomerSummary>& c) {
  GgData d;
  std::vector<double> xs;
  for (const auto& s : c)
    if (s.x > 0 && s.monetary > 0) xs.push_back(s.x);
  d.xs = distinct(std::move(xs));
  d.wx.assign(d.xs.size(), 0);
  for (const auto& s : c) {
    if (!(s.x > 0 && s.monetary > 0)) continue;
    uint32_t i = index_of(d.xs, s.x);
    d.ix.push_back(i);
    d.xz.push_back(s.x * s.monetary);
    d.wx[i] += 1;
    d.c_p += s.x * (std::log(s.monetary) + std::log(s.x));
    d.c_0 += std::log(s.monetary);
  }
  return d;
}

double gg_ll_grad(const GgData& d, const double* u, double* grad, int threads) {
  const double p = std::exp(u[0]), q = std::exp(u[1]), g = std::exp(u[2]);
  double ll = p * d.c_p - d.c_0, gp = d.c_p, gq = 0, gg = 0;
  const double lg_q = std::lgamma(q), ln_g = std::log(g), psi_q = digamma(q);
  std::vector<double> px_q(d.xs.size());
  for (size_t j = 0; j < d.xs.size(); ++j) {
    double x = d.xs[j], w = d.wx[j];
    px_q[j] = p * x + q;
    ll += w * (std::lgamma(p * x + q) - std::lgamma(p * x) - lg_q + q * ln_g);
    double psi = digamma(p * x + q);
    gp += w * x * (psi - digamma(p * x));
    gq += w * (psi - psi_q + ln_g);
    gg += w * q / g;
  }
  auto sums = parallel_sum<4>(d.xz.size(), threads, [&](size_t begin, size_t end, std::array<double, 4>& acc) {
    double s_ll = 0, s_p = 0, s_q = 0, s_g = 0;
    for (size_t i = begin; i < end; ++i) {
      double den = g + d.xz[i], l = std::log(den), x = d.xs[d.ix[i]], k = px_q[d.ix[i]];
      s_ll -= k * l;
      s_p -= x * l;
      s_q -= l;
      s_g -= k / den;
    }
    acc[0] += s_ll;
    acc[1] += s_p;
    acc[2] += s_q;
    acc[3] += s_g;
  });
  ll += sums[0];
  if (grad) {
    grad[0] = p * (gp + sums[1]);
    grad[1] = q * (gq + sums[2]);
    grad[2] = g * (gg + sums[3]);
  }
  return ll;
}

// ---- optimiser ------------------------------------------------------------------------------

// Maximises ll(u) over log-parameters u: L-BFGS with the gradient (analytic, or central
// differences when `analytic` is false), then a Nelder-Mead polish from the optimum so that a
// gradient stopped by round-off still ends at the tolerance.
struct Objective {
  std::function<double(const double*, double*)> ll;  // grad may be null
  bool analytic = true;
  double scale = 1;  // 1 / number of customers, so tolerances do not depend on the data size
  int evaluations = 0;
};

double nlopt_objective(unsigned n, const double* u, double* grad, void* data) {
  auto* o = static_cast<Objective*>(data);
  ++o->evaluations;
  double v;
  if (grad && !o->analytic) {
    v = o->ll(u, nullptr);
    std::vector<double> w(u, u + n);
    for (unsigned i = 0; i < n; ++i) {
      const double h = 1e-5;
      w[i] = u[i] + h;
      double up = o->ll(w.data(), nullptr);
      w[i] = u[i] - h;
      double down = o->ll(w.data(), nullptr);
      w[i] = u[i];
      grad[i] = -(up - down) / (2 * h) * o->scale;
    }
    o->evaluations += 2 * int(n);
  } else {
    v = o->ll(u, grad);
    if (grad)
      for (unsigned i = 0; i < n; ++i) grad[i] = -grad[i] * o->scale;
  }
  if (!std::isfinite(v)) return 1e300;
  return -v * o->scale;
}

// Parameters are optimised as logarithms within [-18, upper] (18 unless `upper` says otherwise).
// info.converged says whether the final polish stopped on a tolerance; info.at_bounds names the
// parameters (`names`, in order) that ended within 1 (a factor e) of a bound.
constexpr double kLogLower = -18.0;
std::vector<double> maximise(Objective& obj, std::vector<double> u, const FitOptions& o, FitInfo& info,
                             const std::vector<std::string>& names, std::vector<double> upper = {}) {
  const unsigned n = unsigned(u.size());
  if (upper.size() != n) upper.assign(n, 18.0);
  nlopt::result last = nlopt::FAILURE;
  auto run = [&](nlopt::algorithm alg, double step) {
    nlopt::opt opt(alg, n);
    opt.set_lower_bounds(std::vector<double>(n, kLogLower));
    opt.set_upper_bounds(upper);
    opt.set_min_objective(nlopt_objective, &obj);
    opt.set_xtol_rel(o.xtol_rel);
    opt.set_ftol_rel(1e-15);
    opt.set_maxeval(o.max_evaluations);
    if (step > 0) opt.set_initial_step(step);
    double f = 0;
    try {
      last = opt.optimize(u, f);
    } catch (const nlopt::roundoff_limited&) {
      // u holds the best point found; the polish below continues from it.
      last = nlopt::ROUNDOFF_LIMITED;
    } catch (const std::runtime_error&) {
      last = nlopt::FAILURE;
    }
  };
  run(nlopt::LD_LBFGS, 0);
  run(nlopt::LN_NELDERMEAD, 0.01);
  info.optimiser = obj.analytic ? "L-BFGS (analytic gradient) + Nelder-Mead polish" : "L-BFGS (numerical gradient) + Nelder-Mead polish";
  info.converged = last == nlopt::SUCCESS || last == nlopt::STOPVAL_REACHED || last == nlopt::FTOL_REACHED ||
                   last == nlopt::XTOL_REACHED;
  info.at_bounds.clear();
  for (unsigned i = 0; i < n && i < names.size(); ++i)
    if (u[i] <= kLogLower + 1 || u[i] >= upper[i] - 1) info.at_bounds.push_back(names[i]);
  return u;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

// ---- dates and summaries ---------------------------------------------------------------------

int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int32_t(doe) - 719468;
}

std::string format_day(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = int(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

bool parse_day(const std::string& text, int32_t& day) {
  int y, m, d;
  auto digits = [&](size_t from, size_t n) {
    if (text.size() < from + n) return -1;
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text.size() == 8) {
    y = digits(0, 4), m = digits(4, 2), d = digits(6, 2);
  } else if (text.size() >= 10 && text[4] == '-' && text[7] == '-' && (text.size() == 10 || text[10] == 'T' || text[10] == ' ')) {
    y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  } else {
    return false;
  }
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > mdays[m - 1] + (m == 2 && leap)) return false;
  day = days_from_civil(y, unsigned(m), unsigned(d));
  return true;
}

std::vector<CustomerSummary> summarize(std::vector<Purchase> purchases, int32_t calibration_end_day) {
  std::sort(purchases.begin(), purchases.end(), [](const Purchase& a, const Purchase& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.customer != b.customer) return a.customer < b.customer;
    return a.day < b.day;
  });
  std::vector<CustomerSummary> out;
  for (size_t i = 0; i < purchases.size();) {
    size_t j = i;
    while (j < purchases.size() && purchases[j].customer == purchases[i].customer && purchases[j].kind == purchases[i].kind) ++j;
    const Purchase& first = purchases[i];
    if (first.day <= calibration_end_day) {
      CustomerSummary s;
      s.customer = first.customer;
      s.kind = first.kind;
      s.first_day = first.day;
      int32_t last = first.day;
      double repeat_sum = 0;
      // Walk the purchase-days: the first day is the customer's birth, every later day a repeat.
      for (size_t k = i; k < j && purchases[k].day <= calibration_end_day;) {
        size_t e = k;
        double amount = 0;
        while (e < j && purchases[e].day == purchases[k].day) amount += purchases[e++].amount;
        if (purchases[k].day != first.day) {
          s.x += 1;
          repeat_sum += amount;
          last = purchases[k].day;
        }
        k = e;
      }
      s.t_x = (last - first.day) / kDaysPerWeek;
      s.T = (calibration_end_day - first.day) / kDaysPerWeek;
      s.monetary = s.x > 0 ? repeat_sum / s.x : 0;
      out.push_back(s);
    }
    i = j;
  }
  return out;
}

std::vector<Purchase> read_cdnow(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw Problem(ProblemKind::BadRequest, tr("cannot read {file}", {{"file", path}}), {{"input", tr("cannot open {file}", {{"file", path}})}});
  std::vector<Purchase> out;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream ss(line);
    std::vector<std::string> f;
    for (std::string w; ss >> w;) f.push_back(w);
    if (f.empty()) continue;
    if (line_no == 1 && f[0] == "customer_id") continue;  // the master file's header
    if (f.size() != 4 && f.size() != 5)
      throw Problem(ProblemKind::BadRequest,
                    tr("line {line}: expected 4 or 5 columns, found {n}", {{"line", std::to_string(line_no)}, {"n", f.size()}}),
                    {{"line " + std::to_string(line_no), "expected 'id [sample_id] yyyymmdd cds dollars'"}});
    Purchase p;
    const std::string& id = f.size() == 5 ? f[1] : f[0];
    const std::string& date = f[f.size() - 3];
    const std::string& dollars = f.back();
    try {
      size_t pos;
      p.customer = std::stoll(id, &pos);
      if (pos != id.size()) throw std::invalid_argument(id);
      p.amount = std::stod(dollars, &pos);
      if (pos != dollars.size() || !std::isfinite(p.amount)) throw std::invalid_argument(dollars);
    } catch (const std::exception&) {
      throw Problem(ProblemKind::BadRequest,
                    tr("line {line}: bad customer id or amount in '{text}'", {{"line", std::to_string(line_no)}, {"text", line}}),
                    {{"line " + std::to_string(line_no), "customer id and dollars must be numbers"}});
    }
    if (!parse_day(date, p.day))
      throw Problem(ProblemKind::BadRequest, tr("line {line}: bad date '{value}'", {{"line", std::to_string(line_no)}, {"value", date}}),
                    {{"line " + std::to_string(line_no), "date must be yyyymmdd"}});
    out.push_back(p);
  }
  return out;
}

// ---- likelihoods and fits ---------------------------------------------------------------------

double bgnbd_log_likelihood(const BgNbdParams& p, const std::vector<CustomerSummary>& c) {
  auto d = compress(c);
  double u[4] = {std::log(p.r), std::log(p.alpha), std::log(p.a), std::log(p.b)};
  return bgnbd_ll_grad(d, u, nullptr, 1);
}

double pnbd_log_likelihood(const ParetoNbdParams& p, const std::vector<CustomerSummary>& c) {
  auto d = compress(c);
  double u[4] = {std::log(p.r), std::log(p.alpha), std::log(p.s), std::log(p.beta)};
  return pnbd_ll(d, u, 1);
}

double gammagamma_log_likelihood(const GammaGammaParams& p, const std::vector<CustomerSummary>& c) {
  auto d = gg_data(c);
  double u[3] = {std::log(p.p), std::log(p.q), std::log(p.gamma)};
  return gg_ll_grad(d, u, nullptr, 1);
}

BgNbdFit fit_bgnbd(const std::vector<CustomerSummary>& c, const FitOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  check_rf_input(c);
  auto d = compress(c);
  double prepared = seconds_since(t0);
  Objective obj;
  obj.ll = [&](const double* u, double* g) { return bgnbd_ll_grad(d, u, g, o.threads); };
  obj.scale = 1 / d.total;
  double mean_T = 0;
  for (const auto& s : c) mean_T += s.T;
  mean_T /= double(c.size());
  // Start from a = b = r = 1 and α of the order of the observation window.
  std::vector<double> u = {0, std::log(std::max(mean_T, 1e-3) / 4), 0, 0};
  BgNbdFit fit;
  // a and b at most 10^3: when the data show no heterogeneity in the dropout probability the
  // likelihood keeps rising, ever more slowly, as a and b grow together (the Beta collapses to
  // its mean). Past 10^3 (a Beta whose spread is about 1 %) the gain is nil, but the expectations' hypergeometric series then need
  // millions of terms per customer (a demo base of 20,000 contacts went to a ≈ 8·10^6 and its
  // 360° value cards took minutes).
  const double ab_max = std::log(1e3);
  u = maximise(obj, u, o, fit.info, {"r", "alpha", "a", "b"}, {18.0, 18.0, ab_max, ab_max});
  fit.params = {std::exp(u[0]), std::exp(u[1]), std::exp(u[2]), std::exp(u[3])};
  fit.info.log_likelihood = bgnbd_ll_grad(d, u.data(), nullptr, o.threads);
  if (!std::isfinite(fit.info.log_likelihood)) fit.info.converged = false;
  fit.info.evaluations = obj.evaluations;
  fit.info.rows = d.rows.size();
  fit.info.seconds = seconds_since(t0);
  fit.info.prepare_seconds = prepared;
  return fit;
}

ParetoNbdFit fit_pnbd(const std::vector<CustomerSummary>& c, const FitOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  check_rf_input(c);
  auto d = compress(c);
  double prepared = seconds_since(t0);
  Objective obj;
  obj.ll = [&](const double* u, double*) { return pnbd_ll(d, u, o.threads); };
  obj.analytic = false;
  obj.scale = 1 / d.total;
  double mean_T = 0;
  for (const auto& s : c) mean_T += s.T;
  mean_T /= double(c.size());
  double a0 = std::log(std::max(mean_T, 1e-3) / 4);
  std::vector<double> u = {0, a0, 0, a0};
  ParetoNbdFit fit;
  // r and s at most 10^2, as a and b of BG/NBD: when every customer buys at one rate or leaves at
  // one rate, the likelihood keeps rising ever more slowly as r and α (s and β) grow together,
  // while the hypergeometric series of A0 then needs about max(α, β)/(min(α, β) + T) terms (its
  // argument tends to 1) — a demo base whose lifetimes all had the same mean went to s ≈ 7,400,
  // β ≈ 265,000 and the fit had not ended after ten minutes; one whose customers all bought at
  // the same rate took a minute with r at 10^3. Past 10^2 (a gamma whose spread is 10 % of its
  // mean) the rates are the same for everyone, and the fit is flagged (parameters at bounds).
  u = maximise(obj, u, o, fit.info, {"r", "alpha", "s", "beta"}, {std::log(1e2), 18.0, std::log(1e2), 18.0});
  fit.params = {std::exp(u[0]), std::exp(u[1]), std::exp(u[2]), std::exp(u[3])};
  fit.info.log_likelihood = pnbd_ll(d, u.data(), o.threads);
  if (!std::isfinite(fit.info.log_likelihood)) fit.info.converged = false;
  fit.info.evaluations = obj.evaluations;
  fit.info.rows = d.rows.size();
  fit.info.seconds = seconds_since(t0);
  fit.info.prepare_seconds = prepared;
  return fit;
}

GammaGammaFit fit_gammagamma(const std::vector<CustomerSummary>& c, const FitOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  auto d = gg_data(c);
  double prepared = seconds_since(t0);
  if (d.xz.empty())
    throw Problem(ProblemKind::Unprocessable, "no customer with a repeat purchase of positive value: the Gamma-Gamma model cannot be fitted",
                  {{"calibration_end", "no repeat purchase before it"}});
  Objective obj;
  obj.ll = [&](const double* u, double* g) { return gg_ll_grad(d, u, g, o.threads); };
  obj.scale = 1 / double(d.xz.size());
  double mean = 0;
  for (size_t i = 0; i < d.xz.size(); ++i) mean += d.xz[i] / d.xs[d.ix[i]];
  mean /= double(d.xz.size());
  // Start at p = 1, q = 2, γ = mean: the prior mean γp/(q−1) equals the observed mean.
  std::vector<double> u = {0, std::log(2.0), std::log(std::max(mean, 1e-6))};
  GammaGammaFit fit;
  u = maximise(obj, u, o, fit.info, {"p", "q", "gamma"});
  fit.params = {std::exp(u[0]), std::exp(u[1]), std::exp(u[2])};
  fit.info.log_likelihood = gg_ll_grad(d, u.data(), nullptr, o.threads);
  if (!std::isfinite(fit.info.log_likelihood)) fit.info.converged = false;
  fit.info.evaluations = obj.evaluations;
  fit.info.rows = d.xz.size();
  fit.info.seconds = seconds_since(t0);
  fit.info.prepare_seconds = prepared;
  return fit;
}

// ---- BG/NBD expectations ------------------------------------------------------------------

double bgnbd_expected(const BgNbdParams& p, double t) {
  if (t <= 0) return 0;
  // (a+b−1)/(a−1) [1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))], with Euler's transformation
  // (α/(α+t))^r 2F1(r, b; a+b−1; z) = (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b−1; z), whose terms stay small.
  double z = t / (p.alpha + t);
  double h = std::pow(1 - z, p.a - 1) * hyp2f1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b - 1, z);
  return (p.a + p.b - 1) / (p.a - 1) * (1 - h);
}

double bgnbd_pmf(const BgNbdParams& p, double t, int x) {
  if (x < 0) return 0;
  auto lbeta = [](double u, double v) { return std::lgamma(u) + std::lgamma(v) - std::lgamma(u + v); };
  double la = std::log(p.alpha / (p.alpha + t)), lz = std::log(t / (p.alpha + t));
  double lb_ab = lbeta(p.a, p.b);
  double first = std::exp(lbeta(p.a, p.b + x) - lb_ab + std::lgamma(p.r + x) - std::lgamma(p.r) - std::lgamma(x + 1.0) + p.r * la +
                          (x > 0 ? x * lz : 0));
  if (x == 0) return first;
  double sum = 0;
  for (int j = 0; j < x; ++j)
    sum += std::exp(std::lgamma(p.r + j) - std::lgamma(p.r) - std::lgamma(j + 1.0) + p.r * la + (j > 0 ? j * lz : 0));
  return first + std::exp(lbeta(p.a + 1, p.b + x - 1) - lb_ab) * (1 - sum);
}

double bgnbd_p_alive(const BgNbdParams& p, double x, double t_x, double T) {
  if (x <= 0) return 1;
  double l = std::log(p.a) - std::log(p.b + x - 1) + (p.r + x) * (std::log(p.alpha + T) - std::log(p.alpha + t_x));
  return 1 / (1 + std::exp(l));
}

namespace {
// E[Y(t) | x, T, alive]: the conditional expectation without its P(alive) factor, which alone
// depends on t_x and not on t (discounted_purchases reads it for every week of the horizon).
double bgnbd_expected_if_alive(const BgNbdParams& p, double t, double x, double T) {
  // ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z) = (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z)
  // (Euler), which neither overflows nor loses precision for customers with hundreds of purchases.
  double z = t / (p.alpha + T + t);
  // With a > 1 and a + b > 1 + r every term of the series is positive: summed in logarithms, so
  // that a large a (a vanishing (1−z)^(a−1) times a huge series) stays finite.
  double h = p.a > 1 && p.a + p.b - 1 - p.r > 0
                 ? std::exp((p.a - 1) * std::log1p(-z) + log_hyp2f1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b + x - 1, z))
                 : std::pow(1 - z, p.a - 1) * hyp2f1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b + x - 1, z);
  return (p.a + p.b + x - 1) / (p.a - 1) * (1 - h);
}
}  // namespace

double bgnbd_conditional_expected(const BgNbdParams& p, double t, double x, double t_x, double T) {
  if (t <= 0) return 0;
  return bgnbd_expected_if_alive(p, t, x, T) * bgnbd_p_alive(p, x, t_x, T);
}

// ---- Pareto/NBD expectations --------------------------------------------------------------

namespace {
// (1 − (u/(u+t))^(s−1)) / (s−1), with its limit ln((u+t)/u) at s = 1.
double pnbd_decay(double s, double u, double t) {
  double l = std::log((u + t) / u);
  if (std::fabs(s - 1) < 1e-10) return l;
  return -std::expm1(-(s - 1) * l) / (s - 1);
}
}  // namespace

double pnbd_expected(const ParetoNbdParams& p, double t) {
  if (t <= 0) return 0;
  return p.r * p.beta / p.alpha * pnbd_decay(p.s, p.beta, t);
}

double pnbd_p_alive(const ParetoNbdParams& p, double x, double t_x, double T) {
  double l = std::log(p.s) - std::log(p.r + p.s + x) + (p.r + x) * std::log(p.alpha + T) + p.s * std::log(p.beta + T) +
             pnbd_log_A0(p.r, p.alpha, p.s, p.beta, x, t_x, T);
  if (l == kNegInf) return 1;
  return 1 / (1 + std::exp(l));
}

namespace {
double pnbd_expected_if_alive(const ParetoNbdParams& p, double t, double x, double T) {
  return (p.r + x) * (p.beta + T) / (p.alpha + T) * pnbd_decay(p.s, p.beta + T, t);
}
}  // namespace

double pnbd_conditional_expected(const ParetoNbdParams& p, double t, double x, double t_x, double T) {
  if (t <= 0) return 0;
  return pnbd_expected_if_alive(p, t, x, T) * pnbd_p_alive(p, x, t_x, T);
}

// Fader & Hardie (2006), "Deriving an expression for P(X(t) = x) under the Pareto/NBD model".
double pnbd_pmf(const ParetoNbdParams& p, double t, int x) {
  if (x < 0) return 0;
  const double r = p.r, al = p.alpha, s = p.s, be = p.beta;
  double first = std::exp(std::lgamma(r + x) - std::lgamma(r) - std::lgamma(x + 1.0) + r * std::log(al / (al + t)) +
                          (x > 0 ? x * std::log(t / (al + t)) : 0) + s * std::log(be / (be + t)));
  double m = std::max(al, be), d = std::fabs(al - be), b2 = al >= be ? s + 1 : r + x;
  double lcoef = r * std::log(al) + s * std::log(be) + std::lgamma(r + x) + std::lgamma(s + 1) - std::lgamma(r + s + x + 1) -
                 (std::lgamma(r) + std::lgamma(s) - std::lgamma(r + s));
  double lB1 = log_hyp2f1(r + s, b2, r + s + x + 1, d / m) - (r + s) * std::log(m);
  double lsum = kNegInf;
  for (int j = 0; j <= x; ++j) {
    double term = std::lgamma(r + s + j) - std::lgamma(r + s) - std::lgamma(j + 1.0) + (j > 0 ? j * std::log(t) : 0) +
                  log_hyp2f1(r + s + j, b2, r + s + x + 1, d / (m + t)) - (r + s + j) * std::log(m + t);
    lsum = log_add(lsum, term);
  }
  return first + std::exp(lcoef + log_sub(lB1, lsum));
}

double gammagamma_expected_value(const GammaGammaParams& p, double x, double monetary) {
  if (x <= 0 || monetary <= 0) return p.q > 1 ? p.gamma * p.p / (p.q - 1) : 0;
  return p.p * (p.gamma + x * monetary) / (p.p * x + p.q - 1);
}

double CountModel::expected(double t) const { return kind == Kind::BgNbd ? bgnbd_expected(bg, t) : pnbd_expected(pnbd, t); }

double CountModel::p_alive(double x, double t_x, double T) const {
  return kind == Kind::BgNbd ? bgnbd_p_alive(bg, x, t_x, T) : pnbd_p_alive(pnbd, x, t_x, T);
}

double CountModel::conditional_expected(double t, double x, double t_x, double T) const {
  return kind == Kind::BgNbd ? bgnbd_conditional_expected(bg, t, x, t_x, T) : pnbd_conditional_expected(pnbd, t, x, t_x, T);
}

double CountModel::expected_if_alive(double t, double x, double T) const {
  if (t <= 0) return 0;
  return kind == Kind::BgNbd ? bgnbd_expected_if_alive(bg, t, x, T) : pnbd_expected_if_alive(pnbd, t, x, T);
}

namespace {
// (1 + d)^(−7k/365.25) for the weeks k of the horizon (the last one possibly partial), the same
// for every customer: kept per thread for the last options asked (a 360°'s value card asks for
// one customer at a time).
const std::vector<double>& weekly_discounts(const ClvOptions& o) {
  thread_local double rate = -1, horizon = -1;
  thread_local std::vector<double> factors;
  if (rate != o.annual_discount_rate || horizon != o.horizon_weeks) {
    factors.clear();
    const int weeks = int(std::ceil(o.horizon_weeks));
    for (int k = 1; k <= weeks; ++k)
      factors.push_back(std::pow(1 + o.annual_discount_rate, -std::min<double>(k, o.horizon_weeks) * kDaysPerWeek / 365.25));
    rate = o.annual_discount_rate;
    horizon = o.horizon_weeks;
  }
  return factors;
}

}  // namespace

double discounted_purchases_if_alive(const CountModel& m, double x, double T, const ClvOptions& o) {
  const std::vector<double>& discounts = weekly_discounts(o);
  double total = 0, prev = 0;
  for (size_t k = 1; k <= discounts.size(); ++k) {
    double cum = m.expected_if_alive(std::min<double>(double(k), o.horizon_weeks), x, T);
    total += (cum - prev) * discounts[k - 1];
    prev = cum;
  }
  return total;
}

namespace {
// Σ_{k=1..H} (E[Y(k)] − E[Y(k−1)]) (1 + d)^(−7k/365.25), E[Y(t)] = E[Y(t) | alive] · P(alive).
double discounted_purchases(const CountModel& m, double x, double t_x, double T, const ClvOptions& o) {
  return m.p_alive(x, t_x, T) * discounted_purchases_if_alive(m, x, T, o);
}
}  // namespace

double discounted_clv(const CountModel& m, const CustomerSummary& c, double expected_value, const ClvOptions& o) {
  return o.margin * expected_value * discounted_purchases(m, c.x, c.t_x, c.T, o);
}

namespace {
// A customer's spend figures, its count figures (p_alive) already set.
void set_spend(CustomerValue& v, const GammaGammaParams& gg, const ClvOptions& o, double discounted_if_alive) {
  v.expected_value = gammagamma_expected_value(gg, v.summary.x, v.summary.monetary);
  v.clv = o.margin * v.expected_value * (v.p_alive * discounted_if_alive);
}
}  // namespace

CustomerValue customer_value(const CountModel& m, const GammaGammaParams& gg, const CustomerSummary& s,
                             const ClvOptions& o, double discounted_if_alive) {
  CustomerValue v;
  v.summary = s;
  v.p_alive = m.p_alive(s.x, s.t_x, s.T);
  v.expected_purchases = m.conditional_expected(o.horizon_weeks, s.x, s.t_x, s.T);
  set_spend(v, gg, o, discounted_if_alive);
  return v;
}

std::vector<CustomerValue> customer_values(const CountModel& m, const GammaGammaParams& gg, const std::vector<CustomerSummary>& c,
                                           const ClvOptions& o) {
  // The count-model figures depend on (x, t_x, T) only: compute them once per distinct triple,
  // and the weekly sum, which depends on (x, T), once per pair.
  std::vector<uint32_t> order(c.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](uint32_t i) { return std::array<double, 3>{c[i].x, c[i].t_x, c[i].T}; };
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
  std::map<std::pair<double, double>, double> if_alive;
  std::vector<CustomerValue> out(c.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && key(order[j]) == key(order[i])) ++j;
    const auto& s = c[order[i]];
    auto [at, fresh] = if_alive.try_emplace({s.x, s.T}, 0.0);
    if (fresh) at->second = discounted_purchases_if_alive(m, s.x, s.T, o);
    const CustomerValue first = customer_value(m, gg, s, o, at->second);
    for (size_t k = i; k < j; ++k) {
      auto& v = out[k];
      v = first;
      v.summary = c[order[k]];
      set_spend(v, gg, o, at->second);
    }
    i = j;
  }
  std::sort(out.begin(), out.end(), [](const CustomerValue& a, const CustomerValue& b) {
    if (a.clv != b.clv) return a.clv > b.clv;
    if (a.summary.kind != b.summary.kind) return a.summary.kind < b.summary.kind;
    return a.summary.customer < b.summary.customer;
  });
  return out;
}

std::vector<TrackingPoint> tracking_curve(const CountModel& m, const std::vector<Purchase>& purchases, int32_t calibration_end_day,
                                          int weeks) {
  // Customers born by the calibration end, their first day and their distinct later purchase days.
  std::vector<Purchase> sorted(purchases);
  std::sort(sorted.begin(), sorted.end(), [](const Purchase& a, const Purchase& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.customer != b.customer) return a.customer < b.customer;
    return a.day < b.day;
  });
  std::vector<int32_t> births, repeats;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j].customer == sorted[i].customer && sorted[j].kind == sorted[i].kind) ++j;
    if (sorted[i].day <= calibration_end_day) {
      births.push_back(sorted[i].day);
      for (size_t k = i + 1; k < j; ++k)
        if (sorted[k].day != sorted[k - 1].day) repeats.push_back(sorted[k].day);
    }
    i = j;
  }
  std::vector<TrackingPoint> out;
  if (births.empty()) return out;
  int32_t origin = *std::min_element(births.begin(), births.end());
  // Many customers share a birth day: E[X(t)] is computed once per distinct day.
  std::sort(births.begin(), births.end());
  std::vector<std::pair<int32_t, double>> birth_counts;
  for (int32_t b : births) {
    if (!birth_counts.empty() && birth_counts.back().first == b)
      birth_counts.back().second += 1;
    else
      birth_counts.push_back({b, 1});
  }
  std::vector<int64_t> per_week(size_t(weeks) + 1, 0);
  for (int32_t d : repeats) {
    int64_t w = (d - origin) / 7 + 1;  // day offsets 0..6 are week 1
    if (w >= 1 && w <= weeks) ++per_week[size_t(w)];
  }
  double cum = 0;
  for (int k = 1; k <= weeks; ++k) {
    cum += double(per_week[size_t(k)]);
    double predicted = 0;
    double end = k * kDaysPerWeek;
    for (const auto& [b, n] : birth_counts) {
      double age = (end - (b - origin)) / kDaysPerWeek;
      if (age > 0) predicted += n * m.expected(age);
    }
    out.push_back({k, cum, predicted});
  }
  return out;
}

std::string tracking_svg(const std::vector<TrackingPoint>& curve, const std::string& title, double calibration_week) {
  const double W = 800, H = 480, left = 80, right = 30, top = 50, bottom = 70;
  const double pw = W - left - right, ph = H - top - bottom;
  double ymax = 1;
  int wmax = 1;
  for (const auto& p : curve) {
    ymax = std::max({ymax, p.actual, p.predicted});
    wmax = std::max(wmax, p.week);
  }
  // A "nice" axis step: 1, 2 or 5 × 10^k giving about 6 ticks.
  auto nice = [](double range, int ticks) {
    double raw = range / ticks, mag = std::pow(10, std::floor(std::log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  };
  double ystep = nice(ymax, 6);
  ymax = std::ceil(ymax / ystep) * ystep;
  double xstep = nice(wmax, 8);
  auto X = [&](double w) { return left + w / wmax * pw; };
  auto Y = [&](double v) { return top + ph - v / ymax * ph; };
  auto esc = [](const std::string& s) {
    std::string o;
    for (char c : s) {
      if (c == '&') o += "&amp;";
      else if (c == '<') o += "&lt;";
      else if (c == '>') o += "&gt;";
      else o += c;
    }
    return o;
  };
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W << " " << H
    << "\" font-family=\"sans-serif\" font-size=\"13\">\n";
  s << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s << "<text x=\"" << W / 2 << "\" y=\"28\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">" << esc(title) << "</text>\n";
  for (double v = 0; v <= ymax + 1e-9; v += ystep) {
    s << "<line x1=\"" << left << "\" y1=\"" << Y(v) << "\" x2=\"" << left + pw << "\" y2=\"" << Y(v) << "\" stroke=\"#e3e3e3\"/>\n";
    s << "<text x=\"" << left - 8 << "\" y=\"" << Y(v) + 4 << "\" text-anchor=\"end\">" << (long long)std::llround(v) << "</text>\n";
  }
  for (double w = 0; w <= wmax + 1e-9; w += xstep) {
    s << "<line x1=\"" << X(w) << "\" y1=\"" << top + ph << "\" x2=\"" << X(w) << "\" y2=\"" << top + ph + 5 << "\" stroke=\"#333\"/>\n";
    s << "<text x=\"" << X(w) << "\" y=\"" << top + ph + 20 << "\" text-anchor=\"middle\">" << (long long)std::llround(w) << "</text>\n";
  }
  s << "<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\"" << top + ph << "\" stroke=\"#333\"/>\n";
  s << "<line x1=\"" << left << "\" y1=\"" << top + ph << "\" x2=\"" << left + pw << "\" y2=\"" << top + ph << "\" stroke=\"#333\"/>\n";
  s << "<text x=\"" << left + pw / 2 << "\" y=\"" << H - 22 << "\" text-anchor=\"middle\">Week</text>\n";
  s << "<text transform=\"translate(22," << top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">Cumulative repeat purchases</text>\n";
  if (calibration_week > 0 && calibration_week < wmax) {
    s << "<line x1=\"" << X(calibration_week) << "\" y1=\"" << top << "\" x2=\"" << X(calibration_week) << "\" y2=\"" << top + ph
      << "\" stroke=\"#888\" stroke-dasharray=\"4 4\"/>\n";
    s << "<text x=\"" << X(calibration_week) + 6 << "\" y=\"" << top + 16 << "\" fill=\"#555\">end of calibration</text>\n";
  }
  auto path = [&](bool predicted) {
    std::ostringstream p;
    p.setf(std::ios::fixed);
    p.precision(1);
    p << X(0) << "," << Y(0);
    for (const auto& pt : curve) p << " " << X(pt.week) << "," << Y(predicted ? pt.predicted : pt.actual);
    return p.str();
  };
  s << "<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2.5\" points=\"" << path(false) << "\"/>\n";
  s << "<polyline fill=\"none\" stroke=\"#d9480f\" stroke-width=\"2.5\" stroke-dasharray=\"8 5\" points=\"" << path(true) << "\"/>\n";
  double lx = left + 20, ly = top + 20;
  s << "<rect x=\"" << lx - 10 << "\" y=\"" << ly - 14 << "\" width=\"170\" height=\"50\" fill=\"white\" stroke=\"#ccc\"/>\n";
  s << "<line x1=\"" << lx << "\" y1=\"" << ly - 4 << "\" x2=\"" << lx + 30 << "\" y2=\"" << ly - 4 << "\" stroke=\"#1f5fbf\" stroke-width=\"2.5\"/>\n";
  s << "<text x=\"" << lx + 38 << "\" y=\"" << ly << "\">Actual</text>\n";
  s << "<line x1=\"" << lx << "\" y1=\"" << ly + 18 << "\" x2=\"" << lx + 30 << "\" y2=\"" << ly + 18
    << "\" stroke=\"#d9480f\" stroke-width=\"2.5\" stroke-dasharray=\"8 5\"/>\n";
  s << "<text x=\"" << lx + 38 << "\" y=\"" << ly + 22 << "\">Predicted by the model</text>\n";
  s << "</svg>\n";
  return s.str();
}

}  // namespace gz::analytics
