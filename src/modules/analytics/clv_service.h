// Lifetime value (docs/analytics.md, "Lifetime value"): fits the BG/NBD, Pareto/NBD and
// Gamma-Gamma models of modules/analytics/clv_models.h on the purchase history and answers the API, the
// CLI and the value card of the 360° views.
//
// Purchases are the counted orders of the analytics history (AnalyticsService::snapshot: not
// draft, cancelled or returned), one customer per order's contact, else its account (unit
// contacts; unit accounts folds contacts into their account); amounts in currency units
// (revenue in cents / 100), so that γ is in currency units and money answers are in cents.
//
// Fits are cached in the process per (database, data signature, model, calibration end, unit),
// so the value card and repeated requests reuse them; the cache follows the data (a changed
// signature refits). Thread-safe.
#pragma once
#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "modules/analytics/clv_models.h"
#include "domain/access.h"
#include "modules/analytics/analytics_service.h"
#include "store/database.h"

namespace gz::domain {

// One fit and what comes with it, for purchases given in memory (CLI --input) or the database.
struct ClvRun {
  std::string model;                  // bgnbd | pnbd | gammagamma
  int32_t calibration_end = 0;
  analytics::CountModel count;        // BG/NBD for bgnbd and gammagamma, Pareto/NBD for pnbd
  analytics::FitInfo count_info;
  analytics::GammaGammaParams gg;     // always fitted when some repeat purchase has a value
  analytics::FitInfo gg_info;
  bool has_gg = false;
  std::vector<analytics::CustomerSummary> summaries;
  std::vector<analytics::TrackingPoint> tracking;  // of the count model (BG/NBD for gammagamma)
  // Share of the customers whose P(alive) under the count model is above 0.99 (computed once
  // per distinct (x, t_x, T) when the fit is made).
  double share_alive = 0;
  double mean_T = 0;  // mean weeks from the first purchase to the calibration end
  // The contract of `gazelle analytics clv --format json` and the head of GET /analytics/clv:
  // {model, params, log_likelihood, customers}.
  nlohmann::json fit_json() const;
  // Whether the fit can be presented as a finding (docs/analytics.md, "When a fit says
  // nothing"): {reliable, converged, degenerate, reasons:[…], params_at_bounds:[…],
  // share_alive}. Reasons: "not_converged", "parameters_at_bounds", "same_rate" (r > 100),
  // "no_dropout" (hardly anyone leaves), "everyone_alive" (99 % of the customers have a P(alive)
  // above 0.99); degenerate: any but not_converged. `model` gammagamma judges the spend fit (no
  // P(alive)); the others the purchase-count fit.
  nlohmann::json quality(const std::string& model) const;
  // Judged once per fit: every value card asks (building quality() each time was 1 % of a 360°).
  bool reliable() const {
    std::call_once(reliable_once_, [this] { reliable_ = quality(model)["reliable"].get<bool>(); });
    return reliable_;
  }
  // Customers sorted by CLV descending (cached per option set).
  std::shared_ptr<const std::vector<analytics::CustomerValue>> values(const analytics::ClvOptions& o) const;
  // One customer's figures, the same as its entry in values(o) (each is computed from the
  // customer's own summary): what a value card needs, without every customer's.
  analytics::CustomerValue value_of(const analytics::CustomerSummary& s, const analytics::ClvOptions& o) const;

 private:
  // Without a Gamma-Gamma fit (no repeat purchase with a value) there is no spend to learn
  // from: γ = 0 makes every expected value, hence every CLV, 0.
  analytics::GammaGammaParams spend_model() const { return has_gg ? gg : analytics::GammaGammaParams{1, 2, 0}; }
  mutable std::once_flag reliable_once_;
  mutable bool reliable_ = false;
  mutable std::mutex mu_;
  mutable std::map<std::tuple<double, double, double>, std::shared_ptr<const std::vector<analytics::CustomerValue>>> values_;
  // value_of's weekly sums (analytics::discounted_purchases_if_alive) per (x, T, horizon, rate):
  // a series per week of the horizon, the same for every customer of the same (x, T), which
  // most cards share (x repeat purchases, T whole days). Bounded.
  mutable std::map<std::array<double, 4>, double> if_alive_;
};

// Fits `model` on the purchases with the calibration end given (the last purchase day when 0)
// and computes the tracking curve up to the last purchase. Throws Problem (422) naming
// calibration_end when the data cannot be fitted.
std::shared_ptr<ClvRun> run_clv(const std::vector<analytics::Purchase>& purchases, const std::string& model,
                                int32_t calibration_end);

// The purchases of the fits: the purchase occasions (analytics::is_purchase) of a snapshot's
// history, one per order, for the customers of `unit` (the customer is the grouping index),
// amounts = revenue in currency units.
std::vector<analytics::Purchase> clv_purchases(const AnalyticsSnapshot& snap, analytics::Unit unit, bool count_free_orders);

// Validated options for a CLV answer.
struct ClvQuery {
  std::string model = "bgnbd";
  int32_t calibration_end = 0;  // 0: the last order day
  analytics::Unit unit = analytics::Unit::Contacts;
  analytics::ClvOptions clv;
  bool count_free_orders = true;  // the analytics setting (orders worth nothing are purchases)
  nlohmann::json assumptions;     // the settings behind the figures (AnalyticsSettings::assumptions)
};

class ClvService {
 public:
  explicit ClvService(store::Database& db) : db_(db) {}

  // GET /api/v1/analytics/clv: {model, params, log_likelihood, customers, calibration_end, tracking}.
  nlohmann::json fit(const Actor& a, const Query& q);
  // GET /api/v1/analytics/clv/customers: {data:[…], next_cursor, total} by CLV descending.
  nlohmann::json customers(const Actor& a, const Query& q);
  // For the value card (no access check: the caller shows the record): {clv_cents, p_alive,
  // expected_purchases, model, calibration_end, reliable} from the cached BG/NBD fit, nulls when the
  // history cannot be fitted or the customer has no purchase before the calibration end.
  // snap and settings: those the rest of the card comes from (read once for the whole card).
  nlohmann::json card(const std::string& type, int64_t id, std::shared_ptr<const AnalyticsSnapshot> snap,
                      const AnalyticsSettings& settings);

  // The fit for a query, from the cache or fitted now, on the given snapshot (default: current).
  std::shared_ptr<const ClvRun> run(const ClvQuery& q, std::shared_ptr<const AnalyticsSnapshot> snap = nullptr);
  ClvQuery parse(const Query& q, bool paged);

 private:
  store::Database& db_;
};

// One customer's row of the customers list; `type`/`id` name the customer.
nlohmann::json clv_customer_json(const analytics::CustomerValue& v, const std::string& type, int64_t id);

}  // namespace gz::domain
