// The customer value analytics as a service (docs/analytics.md): checks the caller's right,
// parses and validates the parameters (every error names its parameter), runs the analyses of
// modules/analytics/customer_value.h on the in-memory history and shapes the JSON answers shared by the
// API and the CLI. Settings live in the database (analytics_settings) with defaults.
//
// The loaded history is cached per database in the process and reloaded when the data changed
// (store::AnalyticsStore::signature, checked on each call), so repeated requests run from
// memory. Thread-safe: any number of AnalyticsService objects on one database share the cache.
//
// The 360° value card must not wait for a reload of millions of order lines after every write:
// while a server runs an AnalyticsRefresher, a card whose snapshot is out of date is answered
// from the previous snapshot, marked stale, and the refresher reloads it (and refits the
// lifetime-value model) in the background, at most once a second. Without a refresher (the CLI,
// in-process tests) the card reloads inline.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "modules/analytics/customer_value.h"
#include "domain/access.h"
#include "store/database.h"

namespace gz::domain {

using json = nlohmann::json;
using Query = std::map<std::string, std::string>;  // query parameters (API) or options (CLI)

// Integer parameter in [lo, hi], dflt when absent; otherwise a 400 naming it.
int64_t int_param(const Query& q, const char* name, int64_t dflt, int64_t lo, int64_t hi);

// Analytics are for the roles granted the module's permissions (module.cpp: analytics.view for
// admin, manager and marketing; analytics.settings for admin).
bool can_view_analytics(const Actor& a);
bool can_change_analytics_settings(const Actor& a);

struct AnalyticsSettings {
  // 30 %, the CLV's margin too: a realistic gross margin for a reseller when products carry no
  // margin_bp of their own (100 % would make gross profit equal revenue and the Stobachoff curve
  // the Pareto curve).
  double default_margin_rate = 0.30;
  std::map<std::string, int64_t> channel_costs_cents;
  int rfm_bins = 5;
  std::string tier_measure = "net_profit";
  int tier_period_months = 12;
  std::vector<analytics::TierRule> tier_rules;
  double clv_discount_rate = 0.10;
  double clv_margin_rate = 0.30;
  // An order worth nothing before discounts is a purchase occasion (frequency, recency, cohorts,
  // CLV), as in the published models; false for a shop whose price-0 lines are adjustments.
  bool count_free_orders = true;
  std::set<std::string> stored;  // the keys an admin has set (the others are defaults)
  json to_json() const;
  // What the figures of an analysis rest on, for the pages to say which values are defaults:
  // {default_margin_rate, default_margin_rate_is_default, channel_costs_are_default,
  //  count_free_orders, count_free_orders_is_default, clv_margin_rate, clv_margin_rate_is_default,
  //  clv_discount_rate, clv_discount_rate_is_default}.
  json assumptions() const;
  static AnalyticsSettings defaults();
};

// The history as loaded at one moment, with both groupings.
struct AnalyticsSnapshot {
  double load_seconds = 0;  // time the load and groupings took
  std::string signature;
  analytics::OrderHistory history;
  analytics::Grouping contacts, accounts;
  int32_t first_day = 0, last_day = 0;  // of the counted orders (today when none)
  bool empty = true;
  const analytics::Grouping& grouping(analytics::Unit u) const {
    return u == analytics::Unit::Contacts ? contacts : accounts;
  }
};

class AnalyticsService {
 public:
  explicit AnalyticsService(store::Database& db) : db_(db) {}

  json summary(const Actor& a, const Query& q);
  json rfm(const Actor& a, const Query& q);
  json rfm_customers(const Actor& a, const Query& q);
  json profitability(const Actor& a, const Query& q);
  json profitability_customers(const Actor& a, const Query& q);
  json concentration(const Actor& a, const Query& q);
  json cohorts(const Actor& a, const Query& q);
  json share_of_wallet(const Actor& a, const Query& q);

  json settings(const Actor& a);
  // Merges the given keys into the stored settings; 422 naming every wrong field.
  json put_settings(const Actor& a, const json& body);
  AnalyticsSettings current_settings();

  json tiers(const Actor& a);
  // Ranks customers and stores contacts.value_tier / accounts.value_tier (query: as_of).
  json recompute_tiers(const Actor& a, const Query& q);

  // Calculators of the SME guide; bodies validated field by field.
  static json demand(const Actor& a, const json& body);
  static json retention_vs_acquisition(const Actor& a, const json& body);

  // The value card of a contact's or account's 360° view (no access check: the caller has
  // already shown the record): {rfm, net_profit_cents, tier, clv_cents, p_alive}.
  json value_card(const std::string& type, int64_t id, const json& stored_tier);
  // The same with the data's signature and the stored settings already read (a 360° reads them
  // with its lists: store::AnalyticsStore::settings_and_signature_statements).
  json value_card(const std::string& type, int64_t id, const json& stored_tier, const std::string& signature,
                  const std::map<std::string, json>& stored);

  // The cached snapshot, reloaded when the database changed. Recent: a previous snapshot may be
  // returned while a running AnalyticsRefresher reloads (see above); *stale tells.
  enum class Freshness { Current, Recent };
  // known_signature: the data's signature when the caller has just read it (value_card).
  std::shared_ptr<const AnalyticsSnapshot> snapshot(Freshness f = Freshness::Current, bool* stale = nullptr,
                                                    const std::string* known_signature = nullptr);
  // What a reader's analyses run over: the whole company's snapshot for one who sees every
  // customer (admin, marketing, service, read_only), else the history of the customers of `unit`
  // the reader may see (a manager: the team's), with the company's first and last order days so
  // that "as of" means the same day for everyone. Cached per data signature and visible set.
  std::shared_ptr<const AnalyticsSnapshot> snapshot_for(const Actor& a, analytics::Unit unit);

 private:
  store::Database& db_;
};

// Reloads the analytics snapshot of a database in the background, and refits the value card's
// lifetime-value model, when asked (a stale card) and once at start (so that the first 360°
// view after a server start does not wait for the load). Owned by `gazelle serve`; stops and
// joins its thread when destroyed, before the database goes.
class AnalyticsRefresher {
 public:
  explicit AnalyticsRefresher(store::Database& db);
  ~AnalyticsRefresher();
  AnalyticsRefresher(const AnalyticsRefresher&) = delete;
  AnalyticsRefresher& operator=(const AnalyticsRefresher&) = delete;
  void wait_idle();  // until no reload is asked for or running (tests)
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace gz::domain
