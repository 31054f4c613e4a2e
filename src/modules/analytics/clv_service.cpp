#include "modules/analytics/clv_service.h"

#include <algorithm>
#include <cmath>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/memory.h"
#include "core/problem.h"
#include "modules/analytics/analytics_store.h"

namespace gz::domain {

namespace an = gz::analytics;
using json = nlohmann::json;

namespace {

void require_view(const Actor& a) {
  if (!can_view_analytics(a))
    throw Problem(ProblemKind::Forbidden, "customer value analytics are for the admin, manager and marketing roles");
}

double number_param(const Query& q, const char* name, double dflt, double lo, double hi) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return dflt;
  // The bounds as %g writes them, with a decimal comma in French.
  auto bound = [](double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", x);
    std::string en = b, fr = b;
    for (char& c : fr) if (c == '.') c = ',';
    return Message::both(fr, en);
  };
  try {
    size_t pos;
    double v = std::stod(it->second, &pos);
    if (pos == it->second.size() && std::isfinite(v) && v >= lo && v <= hi) return v;
  } catch (...) {
  }
  throw Problem(ProblemKind::BadRequest,
                tr("{name} must be a number from {min} to {max}", {{"name", name}, {"min", bound(lo)}, {"max", bound(hi)}}),
                {{name, tr("must be a number from {min} to {max}", {{"min", bound(lo)}, {"max", bound(hi)}})}});
}

json params_json(const ClvRun& r) {
  if (r.model == "gammagamma") return {{"p", r.gg.p}, {"q", r.gg.q}, {"gamma", r.gg.gamma}};
  if (r.model == "pnbd") return {{"r", r.count.pnbd.r}, {"alpha", r.count.pnbd.alpha}, {"s", r.count.pnbd.s}, {"beta", r.count.pnbd.beta}};
  return {{"r", r.count.bg.r}, {"alpha", r.count.bg.alpha}, {"a", r.count.bg.a}, {"b", r.count.bg.b}};
}

int64_t cents(double units) { return std::llround(units * 100); }

// ---- process-wide cache of fits -----------------------------------------------------------

// A fit does not keep its snapshot alive: once the analytics cache has replaced a snapshot (the
// data changed), the fits made on it are of no use, and holding it would keep a whole history
// in memory per entry (about 100 MB at 1,000,000 contacts).
struct CachedRun {
  const store::Database* db;
  std::string key;
  std::weak_ptr<const AnalyticsSnapshot> snapshot;
  std::shared_ptr<const ClvRun> run;
};

std::mutex cache_mu;          // guards `cache`
std::mutex fit_mu;            // one fit at a time: a second request for the same fit waits for it
std::list<CachedRun> cache;   // most recent first, a few entries
constexpr size_t kCacheSize = 8;

std::shared_ptr<const ClvRun> cached(const store::Database* db, const std::string& key, std::shared_ptr<const AnalyticsSnapshot>* snap) {
  std::lock_guard lock(cache_mu);
  std::erase_if(cache, [](const CachedRun& c) { return c.snapshot.expired(); });
  for (auto it = cache.begin(); it != cache.end(); ++it)
    if (it->db == db && it->key == key) {
      auto alive = it->snapshot.lock();
      if (!alive) return nullptr;
      cache.splice(cache.begin(), cache, it);
      if (snap) *snap = std::move(alive);
      return it->run;
    }
  return nullptr;
}

std::pair<std::shared_ptr<const ClvRun>, std::shared_ptr<const AnalyticsSnapshot>> run_for(
    store::Database& db, const ClvQuery& q, std::shared_ptr<const AnalyticsSnapshot> snap = nullptr) {
  if (!snap) snap = AnalyticsService(db).snapshot();
  int32_t end = q.calibration_end ? q.calibration_end : snap->last_day;
  std::string key = snap->signature + "|" + q.model + "|" + std::to_string(end) + "|" +
                    (q.unit == an::Unit::Accounts ? "accounts" : "contacts") + (q.count_free_orders ? "|free" : "|paid");
  std::shared_ptr<const AnalyticsSnapshot> cached_snap;
  if (auto r = cached(&db, key, &cached_snap)) return {r, cached_snap};
  std::lock_guard fit_lock(fit_mu);
  if (auto r = cached(&db, key, &cached_snap)) return {r, cached_snap};
  std::vector<an::Purchase> purchases = clv_purchases(*snap, q.unit, q.count_free_orders);
  if (purchases.empty())
    throw Problem(ProblemKind::Unprocessable, "there is no order to fit a lifetime-value model on", {{"calibration_end", "no order"}});
  std::shared_ptr<const ClvRun> r = run_clv(purchases, q.model, end);
  purchases = {};
  memory::release_free_memory();  // the purchases and the fit's temporaries
  std::lock_guard lock(cache_mu);
  cache.push_front({&db, key, snap, r});
  if (cache.size() > kCacheSize) cache.pop_back();
  return {r, snap};
}

}  // namespace

std::vector<an::Purchase> clv_purchases(const AnalyticsSnapshot& snap, an::Unit unit, bool count_free_orders) {
  const auto& g = snap.grouping(unit);
  const auto& h = snap.history;
  std::vector<an::Purchase> purchases;
  purchases.reserve(h.orders());
  for (size_t o = 0; o < h.orders(); ++o) {
    if (!an::is_purchase(h, o, count_free_orders)) continue;  // returns (and free orders unless they count)
    int32_t c = g.group[size_t(h.order_customer[o])];
    purchases.push_back({c, 0, h.order_day[o], double(std::max<int64_t>(0, h.order_revenue[o])) / 100.0});
  }
  return purchases;
}

json ClvRun::quality(const std::string& which) const {
  const bool spend = which == "gammagamma";
  const an::FitInfo& info = spend ? gg_info : count_info;
  json reasons = json::array();
  if (!info.converged) reasons.push_back("not_converged");
  if (!info.at_bounds.empty()) reasons.push_back("parameters_at_bounds");
  if (!spend) {
    // Parameters at the extremes of what they mean, even away from the search bounds: purchase
    // rates that hardly differ between customers (r > 100: a gamma whose spread is under 10 % of
    // its mean), and a dropout hardly anyone makes (BG/NBD: a mean dropout probability after a
    // purchase under 1 %; Pareto/NBD: over 99 % of customers still alive after the mean
    // observation time). An even history (everyone buying at one rate, nobody leaving) gives both.
    const bool bg = count.kind == an::CountModel::Kind::BgNbd;
    double r = bg ? count.bg.r : count.pnbd.r;
    if (r > 100) reasons.push_back("same_rate");
    bool no_dropout = bg ? count.bg.a / (count.bg.a + count.bg.b) < 0.01
                         : std::pow(count.pnbd.beta / (count.pnbd.beta + mean_T), count.pnbd.s) > 0.99;
    if (no_dropout) reasons.push_back("no_dropout");
    if (share_alive >= 0.99) reasons.push_back("everyone_alive");
  }
  bool degenerate = std::any_of(reasons.begin(), reasons.end(), [](const json& r) { return r != "not_converged"; });
  return {{"reliable", reasons.empty()},
          {"converged", info.converged},
          {"degenerate", degenerate},
          {"reasons", reasons},
          {"params_at_bounds", info.at_bounds},
          {"share_alive", spend ? json() : json(share_alive)}};
}

json ClvRun::fit_json() const {
  if (model == "gammagamma")
    return {{"model", model}, {"params", params_json(*this)}, {"log_likelihood", gg_info.log_likelihood}, {"customers", gg_info.rows}};
  return {{"model", model}, {"params", params_json(*this)}, {"log_likelihood", count_info.log_likelihood}, {"customers", summaries.size()}};
}

std::shared_ptr<const std::vector<an::CustomerValue>> ClvRun::values(const an::ClvOptions& o) const {
  std::lock_guard lock(mu_);
  auto key = std::make_tuple(o.horizon_weeks, o.margin, o.annual_discount_rate);
  auto it = values_.find(key);
  if (it != values_.end()) return it->second;
  auto v = std::make_shared<const std::vector<an::CustomerValue>>(an::customer_values(count, spend_model(), summaries, o));
  if (values_.size() > 8) values_.clear();
  values_[key] = v;
  return v;
}

an::CustomerValue ClvRun::value_of(const an::CustomerSummary& s, const an::ClvOptions& o) const {
  const std::array<double, 4> key{s.x, s.T, o.horizon_weeks, o.annual_discount_rate};
  std::optional<double> known;
  {
    std::lock_guard lock(mu_);
    if (auto it = if_alive_.find(key); it != if_alive_.end()) known = it->second;
  }
  const double if_alive = known ? *known : an::discounted_purchases_if_alive(count, s.x, s.T, o);
  if (!known) {
    std::lock_guard lock(mu_);
    if (if_alive_.size() >= 200000) if_alive_.clear();
    if_alive_.emplace(key, if_alive);
  }
  return an::customer_value(count, spend_model(), s, o, if_alive);
}

std::shared_ptr<ClvRun> run_clv(const std::vector<an::Purchase>& purchases, const std::string& model, int32_t calibration_end) {
  if (model != "bgnbd" && model != "pnbd" && model != "gammagamma")
    throw Problem(ProblemKind::BadRequest, "model must be one of bgnbd, pnbd, gammagamma", {{"model", "must be one of bgnbd, pnbd, gammagamma"}});
  auto r = std::make_shared<ClvRun>();
  r->model = model;
  int32_t last = INT32_MIN;
  for (const auto& p : purchases) last = std::max(last, p.day);
  r->calibration_end = calibration_end ? calibration_end : last;
  r->summaries = an::summarize(purchases, r->calibration_end);
  an::FitOptions opt;
  if (model == "pnbd") {
    auto f = an::fit_pnbd(r->summaries, opt);
    r->count.kind = an::CountModel::Kind::ParetoNbd;
    r->count.pnbd = f.params;
    r->count_info = f.info;
  } else {
    auto f = an::fit_bgnbd(r->summaries, opt);
    r->count.bg = f.params;
    r->count_info = f.info;
  }
  try {
    auto g = an::fit_gammagamma(r->summaries, opt);
    r->gg = g.params;
    r->gg_info = g.info;
    r->has_gg = true;
  } catch (const Problem&) {
    if (model == "gammagamma") throw;
  }
  {
    // P(alive) of every customer, once per distinct (x, t_x, T): a fit that finds everyone alive
    // (no dropout in the data) says nothing about who is leaving.
    std::map<std::tuple<double, double, double>, double> seen;
    size_t alive = 0;
    for (const auto& s : r->summaries) {
      auto key = std::make_tuple(s.x, s.t_x, s.T);
      auto it = seen.find(key);
      if (it == seen.end()) it = seen.emplace(key, r->count.p_alive(s.x, s.t_x, s.T)).first;
      alive += it->second > 0.99;
    }
    r->share_alive = r->summaries.empty() ? 0 : double(alive) / double(r->summaries.size());
    for (const auto& s : r->summaries) r->mean_T += s.T;
    if (!r->summaries.empty()) r->mean_T /= double(r->summaries.size());
  }
  if (!r->summaries.empty()) {  // for gammagamma: the BG/NBD curve (used by the CLI's --plot)
    int32_t origin = INT32_MAX;
    for (const auto& s : r->summaries) origin = std::min(origin, s.first_day);
    // Weeks from the first purchase to the last one (at most ten years).
    int weeks = int(std::ceil((std::max(last, r->calibration_end) - origin + 1) / an::kDaysPerWeek));
    r->tracking = an::tracking_curve(r->count, purchases, r->calibration_end, std::clamp(weeks, 1, 520));
  }
  return r;
}

json clv_customer_json(const an::CustomerValue& v, const std::string& type, int64_t id) {
  return {{"customer_type", type},
          {"customer_id", id},
          {"x", v.summary.x},
          {"t_x", v.summary.t_x},
          {"T", v.summary.T},
          {"monetary_cents", cents(v.summary.monetary)},
          {"p_alive", v.p_alive},
          {"expected_purchases", v.expected_purchases},
          {"expected_value_cents", cents(v.expected_value)},
          {"clv_cents", cents(v.clv)}};
}

ClvQuery ClvService::parse(const Query& q, bool paged) {
  for (const auto& [k, _] : q) {
    static const std::set<std::string> fit_keys = {"model", "calibration_end", "unit"};
    static const std::set<std::string> page_keys = {"horizon_weeks", "margin", "discount_rate", "limit", "cursor"};
    if (!fit_keys.count(k) && !(paged && page_keys.count(k)))
      throw Problem(ProblemKind::BadRequest, tr("unknown parameter '{name}'", {{"name", k}}), {{k, "unknown parameter"}});
  }
  ClvQuery out;
  if (auto it = q.find("model"); it != q.end() && !it->second.empty()) out.model = it->second;
  if (out.model != "bgnbd" && out.model != "pnbd" && out.model != "gammagamma")
    throw Problem(ProblemKind::BadRequest, "model must be one of bgnbd, pnbd, gammagamma", {{"model", "must be one of bgnbd, pnbd, gammagamma"}});
  if (auto it = q.find("calibration_end"); it != q.end() && !it->second.empty())
    if (it->second.size() != 10 || !an::parse_day(it->second, out.calibration_end))
      throw Problem(ProblemKind::BadRequest, "calibration_end must be a date YYYY-MM-DD", {{"calibration_end", "must be a date YYYY-MM-DD"}});
  if (auto it = q.find("unit"); it != q.end() && !an::parse_unit(it->second, out.unit))
    throw Problem(ProblemKind::BadRequest, "unit must be one of contacts, accounts", {{"unit", "must be one of contacts, accounts"}});
  AnalyticsSettings st = AnalyticsService(db_).current_settings();
  out.clv.horizon_weeks = number_param(q, "horizon_weeks", 52, 1, 520);
  out.clv.margin = number_param(q, "margin", st.clv_margin_rate, 0, 1);
  out.clv.annual_discount_rate = number_param(q, "discount_rate", st.clv_discount_rate, 0, 1);
  out.count_free_orders = st.count_free_orders;
  out.assumptions = st.assumptions();
  // A margin or discount rate given in the query is the caller's, not a default.
  if (q.count("margin") && !q.at("margin").empty()) {
    out.assumptions["clv_margin_rate"] = out.clv.margin;
    out.assumptions["clv_margin_rate_is_default"] = false;
  }
  if (q.count("discount_rate") && !q.at("discount_rate").empty()) {
    out.assumptions["clv_discount_rate"] = out.clv.annual_discount_rate;
    out.assumptions["clv_discount_rate_is_default"] = false;
  }
  return out;
}

std::shared_ptr<const ClvRun> ClvService::run(const ClvQuery& q, std::shared_ptr<const AnalyticsSnapshot> snap) {
  return run_for(db_, q, std::move(snap)).first;
}

json ClvService::fit(const Actor& a, const Query& q) {
  require_view(a);
  auto cq = parse(q, false);
  // Fitted on the customers the reader may see (a manager: the team's purchases).
  auto r = run(cq, AnalyticsService(db_).snapshot_for(a, cq.unit));
  json out = r->fit_json();
  out["calibration_end"] = an::format_day(r->calibration_end);
  out["unit"] = cq.unit == an::Unit::Accounts ? "accounts" : "contacts";
  out["seconds"] = r->model == "gammagamma" ? r->gg_info.seconds : r->count_info.seconds;
  out["quality"] = r->quality(r->model);
  out["assumptions"] = cq.assumptions;
  json tracking = json::array();
  if (r->model != "gammagamma")
    for (const auto& p : r->tracking) tracking.push_back({{"week", p.week}, {"actual", p.actual}, {"predicted", p.predicted}});
  out["tracking"] = tracking;
  return out;
}

json ClvService::customers(const Actor& a, const Query& q) {
  require_view(a);
  auto cq = parse(q, true);
  if (cq.model == "gammagamma") cq.model = "bgnbd";  // the count model behind the CLV
  size_t limit = size_t(int_param(q, "limit", 100, 1, 1000));
  size_t offset = size_t(int_param(q, "cursor", 0, 0, INT32_MAX));
  auto [r, snap] = run_for(db_, cq, AnalyticsService(db_).snapshot_for(a, cq.unit));
  auto values = r->values(cq.clv);
  const auto& g = snap->grouping(cq.unit);
  size_t begin = std::min(offset, values->size()), end = std::min(values->size(), begin + limit);
  // The customers' names come with the page (one request for the table, not one per row).
  std::vector<int64_t> contact_ids, account_ids;
  for (size_t i = begin; i < end; ++i) {
    size_t k = size_t((*values)[i].summary.customer);
    (g.type[k] == an::CustomerType::Contact ? contact_ids : account_ids).push_back(g.id[k]);
  }
  std::map<int64_t, std::string> contact_names, account_names;
  store::with_transaction(db_, false, [&](store::Connection& c) {
    contact_names = store::AnalyticsStore::names(c, "contacts", contact_ids);
    account_names = store::AnalyticsStore::names(c, "accounts", account_ids);
  });
  json items = json::array();
  for (size_t i = begin; i < end; ++i) {
    const auto& v = (*values)[i];
    size_t k = size_t(v.summary.customer);
    json row = clv_customer_json(v, an::customer_type_name(g.type[k]), g.id[k]);
    const auto& names = g.type[k] == an::CustomerType::Contact ? contact_names : account_names;
    auto it = names.find(g.id[k]);
    row["name"] = it == names.end() ? json() : json(it->second);
    items.push_back(std::move(row));
  }
  return {{"model", cq.model},
          {"calibration_end", an::format_day(r->calibration_end)},
          {"horizon_weeks", cq.clv.horizon_weeks},
          {"margin", cq.clv.margin},
          {"discount_rate", cq.clv.annual_discount_rate},
          {"quality", r->quality(cq.model)},
          {"assumptions", cq.assumptions},
          {"data", items},
          {"next_cursor", end < values->size() ? json(std::to_string(end)) : json()},
          {"total", values->size()}};
}

json ClvService::card(const std::string& type, int64_t id, std::shared_ptr<const AnalyticsSnapshot> given,
                     const AnalyticsSettings& st) {
  json out = {{"clv_cents", nullptr}, {"p_alive", nullptr}, {"expected_purchases", nullptr}, {"model", "bgnbd"},
              {"calibration_end", nullptr}, {"reliable", nullptr}};
  ClvQuery q;
  q.unit = type == "accounts" ? an::Unit::Accounts : an::Unit::Contacts;
  q.clv.margin = st.clv_margin_rate;
  q.clv.annual_discount_rate = st.clv_discount_rate;
  q.count_free_orders = st.count_free_orders;
  std::shared_ptr<const ClvRun> r;
  std::shared_ptr<const AnalyticsSnapshot> snap;
  try {
    std::tie(r, snap) = run_for(db_, q, given);
  } catch (const Problem&) {
    return out;  // nothing to fit on (no order, no repeat purchase): the card shows no CLV
  }
  out["calibration_end"] = an::format_day(r->calibration_end);
  // A fit that cannot be trusted (docs/analytics.md, "When a fit says nothing") is said so on the
  // card rather than shown as a finding.
  out["reliable"] = r->reliable();
  const auto& g = snap->grouping(q.unit);
  auto t = type == "accounts" ? an::CustomerType::Account : an::CustomerType::Contact;
  // The customer's index in the grouping: through the history's own index when the customer
  // is one of its customers (a hash lookup), else by a walk of a grouping into accounts (an
  // account none of whose orders is its own).
  int32_t k = -1;
  if (const int32_t h = snap->history.find_customer(t, id); h >= 0) {
    const int32_t group = g.identity ? h : g.group[size_t(h)];
    if (g.type[size_t(group)] == t && g.id[size_t(group)] == id) k = group;
  }
  // (An identity grouping holds the history's customers only: not found there, not found.)
  for (size_t i = 0; !g.identity && i < g.size() && k < 0; ++i)
    if (g.type[i] == t && g.id[i] == id) k = int32_t(i);
  if (k < 0) return out;
  // The fit's summaries are sorted by (kind, customer) (an::summarize); the card's purchases are
  // all of kind 0. Only this customer's figures are computed: every customer's values, sorted by
  // CLV, took a walk of 300,000 entries per view and 27 MB per fit at 1,000,000 contacts.
  auto it = std::lower_bound(r->summaries.begin(), r->summaries.end(), int64_t(k), [](const an::CustomerSummary& s, int64_t key) {
    return s.kind == 0 && s.customer < key;
  });
  if (it == r->summaries.end() || it->kind != 0 || it->customer != k) return out;
  const an::CustomerValue v = r->value_of(*it, q.clv);
  out["clv_cents"] = cents(v.clv);
  out["p_alive"] = v.p_alive;
  out["expected_purchases"] = v.expected_purchases;
  return out;
}

}  // namespace gz::domain
