#include "modules/analytics/analytics_service.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <iostream>
#include <list>
#include <mutex>
#include <thread>
#include <set>
#include <unordered_map>

#include "core/clock.h"
#include "core/memory.h"
#include "core/problem.h"
#include "modules/analytics/clv_service.h"
#include "domain/schema.h"
#include "modules/analytics/analytics_store.h"

namespace gz::domain {

namespace an = gz::analytics;
using an::Unit;

// ---- settings -----------------------------------------------------------------------------

AnalyticsSettings AnalyticsSettings::defaults() {
  AnalyticsSettings s;
  s.channel_costs_cents = {{"meeting", 5000}, {"phone", 500}, {"in_store", 300}, {"chat", 200},
                           {"letter", 150},   {"fax", 100},   {"social", 50},    {"email", 20},
                           {"sms", 10},       {"web", 0},     {"note", 0}};
  s.tier_rules = {{"gold", 20}, {"silver", 30}, {"bronze", 50}};
  return s;
}

json AnalyticsSettings::to_json() const {
  json rules = json::array();
  for (const auto& r : tier_rules) rules.push_back({{"name", r.name}, {"top_pct", r.top_pct}});
  return {{"default_margin_rate", default_margin_rate},
          {"channel_costs_cents", channel_costs_cents},
          {"rfm_bins", rfm_bins},
          {"tiers", {{"measure", tier_measure}, {"period_months", tier_period_months}, {"rules", rules}}},
          {"clv_discount_rate", clv_discount_rate},
          {"clv_margin_rate", clv_margin_rate},
          {"count_free_orders", count_free_orders}};
}

json AnalyticsSettings::assumptions() const {
  auto is_default = [&](const char* k) { return !stored.count(k); };
  return {{"default_margin_rate", default_margin_rate},
          {"default_margin_rate_is_default", is_default("default_margin_rate")},
          {"channel_costs_are_default", is_default("channel_costs_cents")},
          {"count_free_orders", count_free_orders},
          {"count_free_orders_is_default", is_default("count_free_orders")},
          {"clv_margin_rate", clv_margin_rate},
          {"clv_margin_rate_is_default", is_default("clv_margin_rate")},
          {"clv_discount_rate", clv_discount_rate},
          {"clv_discount_rate_is_default", is_default("clv_discount_rate")}};
}

namespace {

// A snapshot of a million customers is a few hundred MB: when the last reader lets go of one
// (a newer one replaced it), its memory goes back to the system rather than staying in the
// allocator beside its successor.
std::shared_ptr<AnalyticsSnapshot> new_snapshot() {
  return std::shared_ptr<AnalyticsSnapshot>(new AnalyticsSnapshot, [](AnalyticsSnapshot* s) {
    delete s;
    memory::release_free_memory();
  });
}

bool is_rate(const json& v) { return v.is_number() && v.get<double>() >= 0 && v.get<double>() <= 1; }

// Applies `body` (any subset of the keys) to s, collecting every error with its field path.
void apply_settings(AnalyticsSettings& s, const json& body, FieldErrors& errors) {
  if (!body.is_object()) {
    errors.add("body", "must be a JSON object of settings");
    return;
  }
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    if (k == "default_margin_rate") {
      if (!is_rate(v)) errors.add(k, "must be a number from 0 to 1 (0.35 = 35 %)");
      else s.default_margin_rate = v.get<double>();
    } else if (k == "clv_discount_rate" || k == "clv_margin_rate") {
      if (!is_rate(v)) errors.add(k, "must be a number from 0 to 1");
      else (k == "clv_discount_rate" ? s.clv_discount_rate : s.clv_margin_rate) = v.get<double>();
    } else if (k == "count_free_orders") {
      if (!v.is_boolean()) errors.add(k, "must be true or false");
      else s.count_free_orders = v.get<bool>();
    } else if (k == "rfm_bins") {
      if (!v.is_number_integer() || v.get<int64_t>() < 2 || v.get<int64_t>() > 10) errors.add(k, "must be an integer from 2 to 10");
      else s.rfm_bins = int(v.get<int64_t>());
    } else if (k == "channel_costs_cents") {
      if (!v.is_object()) {
        errors.add(k, "must be an object {channel: cost in cents}");
        continue;
      }
      for (auto c = v.begin(); c != v.end(); ++c) {
        std::string f = k + "." + c.key();
        if (const auto& channels = entity("interactions").field("channel")->values;
            std::find(channels.begin(), channels.end(), c.key()) == channels.end())
          errors.add(f, "is not an interaction channel");
        else if (!c.value().is_number_integer() || c.value().get<int64_t>() < 0 || c.value().get<int64_t>() > 100000000)
          errors.add(f, "must be an integer number of cents from 0 to 100000000");
        else s.channel_costs_cents[c.key()] = c.value().get<int64_t>();
      }
    } else if (k == "tiers") {
      if (!v.is_object()) {
        errors.add(k, "must be an object {measure, period_months, rules}");
        continue;
      }
      for (auto t = v.begin(); t != v.end(); ++t) {
        std::string f = "tiers." + t.key();
        const json& tv = t.value();
        if (t.key() == "measure") {
          if (!tv.is_string() || (tv != "net_profit" && tv != "revenue" && tv != "clv"))
            errors.add(f, "must be net_profit, revenue or clv");
          else s.tier_measure = tv.get<std::string>();
        } else if (t.key() == "period_months") {
          if (!tv.is_number_integer() || tv.get<int64_t>() < 1 || tv.get<int64_t>() > 120) errors.add(f, "must be an integer from 1 to 120");
          else s.tier_period_months = int(tv.get<int64_t>());
        } else if (t.key() == "rules") {
          if (!tv.is_array() || tv.empty() || tv.size() > 10) {
            errors.add(f, "must be an array of 1 to 10 rules {name, top_pct}");
            continue;
          }
          std::vector<an::TierRule> rules;
          std::set<std::string> names;
          double sum = 0;
          bool ok = true;
          for (size_t i = 0; i < tv.size(); ++i) {
            std::string p = f + "[" + std::to_string(i) + "]";
            const json& r = tv[i];
            if (!r.is_object()) { errors.add(p, "must be an object {name, top_pct}"); ok = false; continue; }
            for (auto rk = r.begin(); rk != r.end(); ++rk)
              if (rk.key() != "name" && rk.key() != "top_pct") { errors.add(p + "." + rk.key(), "unknown field"); ok = false; }
            json name = r.value("name", json()), pct = r.value("top_pct", json());
            std::string text = name.is_string() ? name.get<std::string>() : "";
            bool name_ok = !text.empty() && text.size() <= 30 && std::all_of(text.begin(), text.end(), [](char ch) {
              return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
            });
            if (!name_ok) { errors.add(p + ".name", "must be 1 to 30 characters among a-z, 0-9, _ and -"); ok = false; }
            else if (!names.insert(name.get<std::string>()).second) { errors.add(p + ".name", "is used by another rule"); ok = false; }
            if (!pct.is_number() || pct.get<double>() <= 0 || pct.get<double>() > 100) {
              errors.add(p + ".top_pct", "must be a number above 0 and at most 100");
              ok = false;
            } else {
              sum += pct.get<double>();
            }
            if (ok) rules.push_back({name.get<std::string>(), pct.get<double>()});
          }
          if (ok && std::abs(sum - 100) > 1e-6) {
            errors.add(f, tr("top_pct must add up to 100 (they add up to {sum})", {{"sum", Message::number(sum, 2)}}));
            ok = false;
          }
          if (ok) s.tier_rules = rules;
        } else {
          errors.add(f, "unknown tier setting");
        }
      }
    } else {
      errors.add(k, "unknown setting");
    }
  }
}

}  // namespace

bool can_view_analytics(const Actor& a) { return kernel::role_has(a.role, "analytics.view"); }
bool can_change_analytics_settings(const Actor& a) { return kernel::role_has(a.role, "analytics.settings"); }

namespace {

AnalyticsSettings settings_from(const std::map<std::string, json>& rows) {
  AnalyticsSettings s = AnalyticsSettings::defaults();
  FieldErrors ignored;  // stored values were validated on the way in
  json stored = json::object();
  for (auto& [k, v] : rows) {
    stored[k] = v;
    s.stored.insert(k);
  }
  apply_settings(s, stored, ignored);
  return s;
}

AnalyticsSettings load_settings(store::Connection& c) { return settings_from(store::AnalyticsStore::settings(c)); }

void require_view(const Actor& a) {
  if (!can_view_analytics(a))
    throw Problem(ProblemKind::Forbidden, "customer value analytics are for the admin, manager and marketing roles");
}

// ---- query parameters ---------------------------------------------------------------------

void check_keys(const Query& q, std::initializer_list<const char*> allowed) {
  for (const auto& [k, _] : q) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) throw Problem(ProblemKind::BadRequest, tr("unknown parameter '{name}'", {{"name", k}}), {{k, "unknown parameter"}});
  }
}

std::optional<int32_t> date_param(const Query& q, const char* name) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return std::nullopt;
  int32_t d;
  if (it->second.size() != 10 || !an::parse_date(it->second, d))
    throw Problem(ProblemKind::BadRequest, tr("{name} must be a date YYYY-MM-DD", {{"name", name}}), {{name, "must be a date YYYY-MM-DD"}});
  return d;
}


std::string enum_param(const Query& q, const char* name, std::initializer_list<const char*> values) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return *values.begin();
  std::string all;
  for (const char* v : values) {
    if (it->second == v) return v;
    all += (all.empty() ? "" : ", ") + std::string(v);
  }
  throw Problem(ProblemKind::BadRequest, tr("{name} must be one of {values}", {{"name", name}, {"values", all}}),
                {{name, tr("must be one of {values}", {{"values", all}})}});
}

struct Window {
  int32_t as_of = 0;
  an::Period period;         // [from, to] with to ≤ as_of
  std::optional<int32_t> from;  // as given
  Unit unit = Unit::Contacts;
};

Window window(const Query& q, const AnalyticsSnapshot& s) {
  Window w;
  // as_of defaults to `to` when only the period is given, else to the last order's day.
  std::optional<int32_t> as_of = date_param(q, "as_of"), to = date_param(q, "to");
  w.as_of = as_of.value_or(to.value_or(s.last_day));
  w.unit = enum_param(q, "unit", {"contacts", "accounts"}) == "accounts" ? Unit::Accounts : Unit::Contacts;
  w.from = date_param(q, "from");
  w.period = {w.from.value_or(INT32_MIN), std::min(to.value_or(w.as_of), w.as_of)};
  if (w.period.from > w.period.to)
    throw Problem(ProblemKind::BadRequest, "from must not be after to", {{"from", "is after to"}});
  return w;
}

Unit unit_param(const Query& q) {
  return enum_param(q, "unit", {"contacts", "accounts"}) == "accounts" ? Unit::Accounts : Unit::Contacts;
}

// Day `months` months before `day` (clamped to the month's length), plus one day: the first day
// of the trailing window of that many months ending on `day`.
int32_t months_back(int32_t day, int months) {
  int y, m, d;
  an::day_to_date(day, y, m, d);
  int idx = y * 12 + (m - 1) - months;
  int ny = idx / 12, nm = idx % 12 + 1;
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0;
  int maxd = mdays[nm - 1] + (nm == 2 && leap ? 1 : 0);
  return an::date_to_day(ny, nm, std::min(d, maxd)) + 1;
}

json opt(const std::optional<double>& v) { return v ? json(*v) : json(); }

// A page of rows: offset cursors (opaque to clients).
std::pair<size_t, size_t> page(const Query& q, size_t total) {
  size_t limit = size_t(int_param(q, "limit", 100, 1, 1000));
  size_t offset = size_t(int_param(q, "cursor", 0, 0, INT32_MAX));
  return {std::min(offset, total), std::min(total, offset + limit)};
}

json next_cursor(size_t end, size_t total) { return end < total ? json(std::to_string(end)) : json(); }

// Names of the customers of the rows (grouping indexes), by type.
struct Names {
  std::map<int64_t, std::string> contacts, accounts;
  std::string of(an::CustomerType t, int64_t id) const {
    const auto& m = t == an::CustomerType::Contact ? contacts : accounts;
    auto it = m.find(id);
    return it == m.end() ? "" : it->second;
  }
};
Names lookup_names(store::Database& db, const an::Grouping& g, const std::vector<int32_t>& customers) {
  std::vector<int64_t> c, a;
  for (int32_t k : customers) (g.type[size_t(k)] == an::CustomerType::Contact ? c : a).push_back(g.id[size_t(k)]);
  return store::with_transaction(db, false, [&](store::Connection& conn) {
    Names n;
    n.contacts = store::AnalyticsStore::names(conn, "contacts", c);
    n.accounts = store::AnalyticsStore::names(conn, "accounts", a);
    return n;
  });
}

// ---- the process-wide cache ---------------------------------------------------------------

struct CacheEntry {
  std::mutex mu;       // guards the fields
  std::mutex load_mu;  // one loader at a time; others wait for its result
  std::mutex cards_mu;  // one computation of the value cards at a time; others wait for it
  std::string location;
  std::shared_ptr<const AnalyticsSnapshot> snapshot;
  std::weak_ptr<AnalyticsRefresher::State> refresher;  // set while a server runs one
  // Value cards: per snapshot and settings, the RFM and profit of every customer of both units.
  // Kept compact (at 1,000,000 contacts a slot per customer for an optional RFM took 60 MB):
  // the RFM of the customers who bought, in grouping order (found by binary search), and one
  // net profit per customer, kNoProfit for those not active over the year.
  struct Cards {
    static constexpr int64_t kNoProfit = INT64_MIN;
    const AnalyticsSnapshot* snapshot = nullptr;
    std::string settings;
    int bins = 5;
    std::vector<an::RfmCustomer> rfm[2];  // sorted by customer (grouping index)
    std::vector<int64_t> net_profit[2];   // by grouping index
    const an::RfmCustomer* rfm_of(int unit, int32_t k) const {
      const auto& v = rfm[unit];
      auto it = std::lower_bound(v.begin(), v.end(), k, [](const an::RfmCustomer& c, int32_t key) { return c.customer < key; });
      return it != v.end() && it->customer == k ? &*it : nullptr;
    }
  };
  std::shared_ptr<const Cards> cards;
  // Snapshots restricted to a reader's customers (snapshot_for), most recent first.
  std::list<std::shared_ptr<const AnalyticsSnapshot>> restricted;
};

void request_refresh(AnalyticsRefresher::State& st);  // below, with the refresher

CacheEntry& cache_for(store::Database& db) {
  static std::mutex mu;
  static std::map<const store::Database*, std::unique_ptr<CacheEntry>> entries;
  std::lock_guard lock(mu);
  auto& e = entries[&db];
  if (!e || e->location != db.location()) {
    e = std::make_unique<CacheEntry>();
    e->location = db.location();
  }
  return *e;
}

int32_t today() {
  int32_t d = 0;
  an::parse_date(clock::today_utc(), d);
  return d;
}

json counts_json(const std::map<std::string, int64_t>& stored, const std::vector<an::TierRule>& rules) {
  json out = json::object();
  for (const auto& r : rules) out[r.name] = 0;
  int64_t none = 0;
  for (const auto& [k, n] : stored) {
    if (k.empty()) none += n;
    else out[k] = n;
  }
  out["none"] = none;
  return out;
}

}  // namespace

// ---- snapshot -----------------------------------------------------------------------------

std::shared_ptr<const AnalyticsSnapshot> AnalyticsService::snapshot(Freshness f, bool* stale, const std::string* known_signature) {
  if (stale) *stale = false;
  CacheEntry& e = cache_for(db_);
  std::string sig = known_signature ? *known_signature : store::with_transaction(db_, false, [](store::Connection& c) {
    return store::AnalyticsStore::signature(c);
  });
  std::shared_ptr<AnalyticsRefresher::State> refresher;
  std::shared_ptr<const AnalyticsSnapshot> previous;
  {
    std::lock_guard lock(e.mu);
    if (e.snapshot && e.snapshot->signature == sig) return e.snapshot;
    // A reader never waits for a reload while a refresher runs, however quick the last load was:
    // under a stream of writes every card would reload inline, one after the other (360° views
    // took seconds on a small base with a third of the requests writing).
    if (f == Freshness::Recent && e.snapshot) {
      refresher = e.refresher.lock();
      previous = e.snapshot;
    }
  }
  if (refresher) {
    request_refresh(*refresher);
    if (stale) *stale = true;
    return previous;
  }
  std::lock_guard load(e.load_mu);
  {
    std::lock_guard lock(e.mu);
    if (e.snapshot && e.snapshot->signature == sig) return e.snapshot;  // loaded while we waited
  }
  auto started = std::chrono::steady_clock::now();
  auto s = new_snapshot();
  store::with_transaction(db_, false, [&](store::Connection& c) {
    // The signature read in the same transaction as the data, so that both describe one state.
    s->signature = store::AnalyticsStore::signature(c);
    s->history = store::AnalyticsStore::load(c);
  });
  s->contacts = an::make_grouping(s->history, Unit::Contacts);
  s->accounts = an::make_grouping(s->history, Unit::Accounts);
  s->empty = s->history.orders() == 0;
  if (s->empty) {
    s->first_day = s->last_day = today();
  } else {
    auto [mn, mx] = std::minmax_element(s->history.order_day.begin(), s->history.order_day.end());
    s->first_day = *mn;
    s->last_day = *mx;
  }
  s->load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  {
    std::lock_guard lock(e.mu);
    e.snapshot = s;
    e.cards.reset();
    e.restricted.clear();  // made from the previous data
  }
  // The load grew its vectors by doublings and read through temporaries: at 1,000,000 customers
  // that freed memory stayed in the allocator, tens of MB over the server's 300 MB budget.
  memory::release_free_memory();
  return s;
}

std::shared_ptr<const AnalyticsSnapshot> AnalyticsService::snapshot_for(const Actor& a, Unit unit) {
  auto full = snapshot();
  const Entity& contacts = entity("contacts");
  const Entity& accounts = entity("accounts");
  store::Scope scope = read_scope(a, contacts);
  if (scope.all) return full;  // the whole-company path: no copy, no look-up
  // Who sees what changes only with the data (owner and team changes and shares are audited:
  // the signature moves), the reader's team, or a share to the reader deleted by a merge; the
  // visible ids (a scan of the customer tables) are read only when one of these changed.
  int64_t shares = store::with_transaction(db_, false, [&](store::Connection& c) {
    return store::AnalyticsStore::share_count(c, a.user_id);
  });
  std::string key = full->signature + "|visible:" + (unit == Unit::Contacts ? "c" : "a") + std::to_string(a.user_id) + "." +
                    std::to_string(a.team_id) + "." + std::to_string(shares);
  CacheEntry& e = cache_for(db_);
  {
    std::lock_guard lock(e.mu);
    for (auto it = e.restricted.begin(); it != e.restricted.end(); ++it)
      if ((*it)->signature == key) {
        auto found = *it;
        e.restricted.splice(e.restricted.begin(), e.restricted, it);
        return found;
      }
  }
  std::vector<int64_t> vc, va;
  store::with_transaction(db_, false, [&](store::Connection& c) {
    vc = store::AnalyticsStore::visible_ids(c, contacts, scope);
    va = store::AnalyticsStore::visible_ids(c, accounts, read_scope(a, accounts));
  });
  // A customer of the unit is kept when the reader may see it (a contact, or an account with
  // all the orders of its contacts); the history keeps the rows of the kept customers.
  const auto& g = full->grouping(unit);
  std::vector<uint8_t> unit_visible(g.size());
  for (size_t k = 0; k < g.size(); ++k) {
    const auto& ids = g.type[k] == an::CustomerType::Contact ? vc : va;
    unit_visible[k] = std::binary_search(ids.begin(), ids.end(), g.id[k]);
  }
  std::vector<uint8_t> keep(full->history.customers());
  for (size_t c = 0; c < keep.size(); ++c) keep[c] = unit_visible[size_t(g.group[c])];
  auto s = new_snapshot();
  s->signature = key;
  s->history = an::restrict_history(full->history, keep);
  s->contacts = an::make_grouping(s->history, Unit::Contacts);
  s->accounts = an::make_grouping(s->history, Unit::Accounts);
  s->empty = s->history.orders() == 0;
  s->first_day = full->first_day;
  s->last_day = full->last_day;
  s->load_seconds = full->load_seconds;
  std::lock_guard lock(e.mu);
  e.restricted.push_front(s);
  if (e.restricted.size() > 8) e.restricted.pop_back();
  return s;
}

// ---- background refresh -------------------------------------------------------------------

struct AnalyticsRefresher::State {
  explicit State(store::Database& d) : db(d) {}
  store::Database& db;
  std::mutex mu;
  std::condition_variable cv;
  bool requested = true;  // a first load at start
  bool running = false;
  bool stop = false;
  std::thread thread;
};

namespace {

void request_refresh(AnalyticsRefresher::State& st) {
  {
    std::lock_guard lock(st.mu);
    st.requested = true;
  }
  st.cv.notify_all();
}

void refresh_loop(AnalyticsRefresher::State& st) {
  // Reloads are spaced by at least a second, or by the last reload's own length when longer, so
  // that a steady stream of writes costs at most about half a core of reloading.
  auto last_end = std::chrono::steady_clock::time_point{};
  std::chrono::duration<double> last_length{0};
  for (;;) {
    {
      std::unique_lock lock(st.mu);
      st.cv.wait(lock, [&] { return st.requested || st.stop; });
      if (st.stop) return;
      auto gap = std::max<std::chrono::duration<double>>(std::chrono::seconds(1), last_length);
      auto next = last_end + std::chrono::duration_cast<std::chrono::steady_clock::duration>(gap);
      if (st.cv.wait_until(lock, next, [&] { return st.stop; })) return;
      st.requested = false;
      st.running = true;
    }
    auto started = std::chrono::steady_clock::now();
    try {
      // The snapshot, then the value cards of both units (their RFM and profit arrays and the
      // lifetime-value fit), so that the next 360° view finds everything computed.
      AnalyticsService svc(st.db);
      svc.snapshot();  // Current: a card's Recent read would only ask for this refresh again
      svc.value_card("contacts", 0, json());
      svc.value_card("accounts", 0, json());
    } catch (const std::exception& ex) {
      std::cerr << "analytics refresh failed: " << ex.what() << std::endl;
    }
    last_end = std::chrono::steady_clock::now();
    last_length = last_end - started;
    {
      std::lock_guard lock(st.mu);
      st.running = false;
    }
    st.cv.notify_all();
  }
}

}  // namespace

AnalyticsRefresher::AnalyticsRefresher(store::Database& db) : state_(std::make_shared<State>(db)) {
  CacheEntry& e = cache_for(db);
  {
    std::lock_guard lock(e.mu);
    e.refresher = state_;
  }
  state_->thread = std::thread([st = state_.get()] { refresh_loop(*st); });
}

AnalyticsRefresher::~AnalyticsRefresher() {
  {
    std::lock_guard lock(state_->mu);
    state_->stop = true;
  }
  state_->cv.notify_all();
  state_->thread.join();
  CacheEntry& e = cache_for(state_->db);
  std::lock_guard lock(e.mu);
  e.refresher.reset();
}

void AnalyticsRefresher::wait_idle() {
  std::unique_lock lock(state_->mu);
  state_->cv.wait(lock, [&] { return !state_->requested && !state_->running; });
}

AnalyticsSettings AnalyticsService::current_settings() {
  return store::with_transaction(db_, false, [](store::Connection& c) { return load_settings(c); });
}

// ---- analyses -----------------------------------------------------------------------------

json AnalyticsService::summary(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of", "unit"});
  AnalyticsSettings st = current_settings();
  auto s = snapshot_for(a, unit_param(q));
  Window w = window(q, *s);
  const auto& g = s->grouping(w.unit);
  auto totals = an::accumulate(s->history, g, {INT32_MIN, w.as_of, st.count_free_orders}, nullptr);
  int64_t with_purchases = 0, orders = 0, returns = 0, revenue = 0, returned = 0;
  for (const auto& t : totals) {
    if (t.purchases > 0) ++with_purchases;
    orders += t.purchases;
    returns += t.returns;
  }
  int32_t first = INT32_MAX, last = INT32_MIN;
  for (size_t o = 0; o < s->history.orders(); ++o) {
    int32_t d = s->history.order_day[o];
    if (d > w.as_of) continue;
    if (s->history.order_is_return[o]) returned -= s->history.order_revenue[o];
    else revenue += s->history.order_revenue[o];
    first = std::min(first, d);
    last = std::max(last, d);
  }
  return {{"as_of", an::date_text(w.as_of)},
          {"unit", w.unit == Unit::Contacts ? "contacts" : "accounts"},
          {"customers", int64_t(g.size())},
          {"customers_with_purchases", with_purchases},
          {"orders", orders},
          {"returns", returns},
          {"revenue_cents", revenue},
          {"returns_cents", returned},
          {"net_revenue_cents", revenue - returned},
          {"interactions", int64_t(s->history.interactions())},
          {"first_order", first == INT32_MAX ? json() : json(an::date_text(first))},
          {"last_order", last == INT32_MIN ? json() : json(an::date_text(last))}};
}

namespace {

struct RfmRun {
  std::shared_ptr<const AnalyticsSnapshot> s;
  Window w;
  an::RfmResult r;
};

RfmRun run_rfm(AnalyticsService& svc, const Actor& a, const Query& q, const AnalyticsSettings& st) {
  RfmRun run;
  run.s = svc.snapshot_for(a, unit_param(q));
  run.w = window(q, *run.s);
  int bins = int(int_param(q, "bins", st.rfm_bins, 2, 10));
  auto totals = an::accumulate(run.s->history, run.s->grouping(run.w.unit), {INT32_MIN, run.w.as_of, st.count_free_orders}, nullptr);
  run.r = an::rfm(totals, run.w.as_of, bins);
  return run;
}

}  // namespace

json AnalyticsService::rfm(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of", "unit", "bins"});
  RfmRun run = run_rfm(*this, a, q, current_settings());
  json segments = json::array(), grid = json::array();
  for (const auto& s : run.r.segments)
    segments.push_back({{"segment", an::segment_name(s.segment)}, {"customers", s.customers}, {"revenue_cents", s.revenue},
                        {"share_customers", s.share_customers}, {"share_revenue", s.share_revenue}});
  for (const auto& c : run.r.grid) grid.push_back({{"r", c.r}, {"f", c.f}, {"customers", c.customers}, {"revenue_cents", c.revenue}});
  return {{"as_of", an::date_text(run.w.as_of)},
          {"unit", run.w.unit == Unit::Contacts ? "contacts" : "accounts"},
          {"bins", run.r.bins},
          {"customers", int64_t(run.r.customers.size())},
          {"revenue_cents", run.r.revenue},
          {"segments", segments},
          {"grid", grid}};
}

json AnalyticsService::rfm_customers(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of", "unit", "bins", "segment", "limit", "cursor"});
  std::optional<an::Segment> only;
  if (q.count("segment") && !q.at("segment").empty()) {
    an::Segment seg;
    if (!an::parse_segment(q.at("segment"), seg))
      throw Problem(ProblemKind::BadRequest, tr("segment '{value}' is not an RFM segment", {{"value", q.at("segment")}}),
                    {{"segment", "must be one of champions, loyal, potential_loyalists, new, promising, need_attention, "
                                 "about_to_sleep, at_risk, cant_lose, hibernating, lost"}});
    only = seg;
  }
  RfmRun run = run_rfm(*this, a, q, current_settings());
  const auto& g = run.s->grouping(run.w.unit);
  std::vector<const an::RfmCustomer*> rows;
  for (const auto& c : run.r.customers)
    if (!only || c.segment == *only) rows.push_back(&c);
  std::sort(rows.begin(), rows.end(), [&](const an::RfmCustomer* x, const an::RfmCustomer* y) {
    if (x->monetary != y->monetary) return x->monetary > y->monetary;
    if (g.type[size_t(x->customer)] != g.type[size_t(y->customer)]) return g.type[size_t(x->customer)] < g.type[size_t(y->customer)];
    return g.id[size_t(x->customer)] < g.id[size_t(y->customer)];
  });
  auto [begin, end] = page(q, rows.size());
  std::vector<int32_t> shown;
  for (size_t i = begin; i < end; ++i) shown.push_back(rows[i]->customer);
  Names names = lookup_names(db_, g, shown);
  json items = json::array();
  for (size_t i = begin; i < end; ++i) {
    const auto& c = *rows[i];
    auto t = g.type[size_t(c.customer)];
    int64_t id = g.id[size_t(c.customer)];
    items.push_back({{"customer_type", an::customer_type_name(t)}, {"customer_id", id}, {"name", names.of(t, id)},
                     {"recency_days", c.recency_days}, {"frequency", c.frequency}, {"monetary_cents", c.monetary},
                     {"r", c.r}, {"f", c.f}, {"m", c.m}, {"segment", an::segment_name(c.segment)}});
  }
  return {{"as_of", an::date_text(run.w.as_of)}, {"data", items}, {"next_cursor", next_cursor(end, rows.size())},
          {"total", int64_t(rows.size())}};
}

namespace {

struct ProfitRun {
  std::shared_ptr<const AnalyticsSnapshot> s;
  Window w;
  std::vector<an::ProfitRow> rows;
  AnalyticsSettings settings;
  int64_t revenue = 0, at_default_margin = 0;  // net sales, and those no product margin covers
};

ProfitRun run_profit(AnalyticsService& svc, const Actor& a, const Query& q) {
  ProfitRun run;
  run.settings = svc.current_settings();
  const AnalyticsSettings& st = run.settings;
  run.s = svc.snapshot_for(a, unit_param(q));
  run.w = window(q, *run.s);
  run.w.period.count_free_orders = st.count_free_orders;
  auto costs = an::interaction_costs(run.s->history, st.channel_costs_cents);
  auto totals = an::accumulate(run.s->history, run.s->grouping(run.w.unit), run.w.period, &costs);
  for (const auto& t : totals) {
    run.revenue += t.revenue;
    run.at_default_margin += t.unrated;
  }
  run.rows = an::profitability(totals, st.default_margin_rate);
  return run;
}

// The settings behind profit figures and how far the default margin reaches: which values are
// still the defaults, and the net sales no product margin covers (the default rate applies).
json profit_assumptions(const ProfitRun& run) {
  json out = run.settings.assumptions();
  out["revenue_cents"] = run.revenue;
  out["revenue_at_default_margin_cents"] = run.at_default_margin;
  return out;
}

json period_json(const Window& w, const AnalyticsSnapshot& s) {
  return {{"from", an::date_text(w.from.value_or(std::min(s.first_day, w.period.to)))},
          {"to", an::date_text(w.period.to)},
          {"unit", w.unit == Unit::Contacts ? "contacts" : "accounts"}};
}

}  // namespace

json AnalyticsService::profitability(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of", "from", "to", "unit"});
  ProfitRun run = run_profit(*this, a, q);
  an::ProfitTotals t = an::profit_totals(run.rows);
  json out = period_json(run.w, *run.s);
  out["customers"] = t.customers;
  out["losing_customers"] = t.losing_customers;
  out["totals"] = {{"purchases_cents", t.purchases},          {"discounts_cents", t.discounts},
                   {"revenue_cents", t.revenue},              {"gross_profit_cents", t.gross_profit},
                   {"solicitation_cost_cents", t.solicitation_cost}, {"net_profit_cents", t.net_profit}};
  out["assumptions"] = profit_assumptions(run);
  return out;
}

json AnalyticsService::profitability_customers(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of", "from", "to", "unit", "order", "limit", "cursor"});
  bool desc = enum_param(q, "order", {"net_profit_desc", "net_profit_asc"}) == "net_profit_desc";
  ProfitRun run = run_profit(*this, a, q);
  const auto& g = run.s->grouping(run.w.unit);
  an::sort_by_net_profit(run.rows, g, desc);
  auto [begin, end] = page(q, run.rows.size());
  std::vector<int32_t> shown;
  for (size_t i = begin; i < end; ++i) shown.push_back(run.rows[i].customer);
  Names names = lookup_names(db_, g, shown);
  json items = json::array();
  for (size_t i = begin; i < end; ++i) {
    const auto& r = run.rows[i];
    auto t = g.type[size_t(r.customer)];
    int64_t id = g.id[size_t(r.customer)];
    items.push_back({{"rank", int64_t(desc ? i + 1 : run.rows.size() - i)},
                     {"customer_type", an::customer_type_name(t)},
                     {"customer_id", id},
                     {"name", names.of(t, id)},
                     {"orders", r.orders},
                     {"purchases_cents", r.purchases},
                     {"discounts_cents", r.discounts},
                     {"revenue_cents", r.revenue},
                     {"gross_profit_cents", r.gross_profit},
                     {"interactions", r.interactions},
                     {"solicitation_cost_cents", r.solicitation_cost},
                     {"net_profit_cents", r.net_profit}});
  }
  json out = period_json(run.w, *run.s);
  out["data"] = items;
  out["next_cursor"] = next_cursor(end, run.rows.size());
  out["total"] = int64_t(run.rows.size());
  return out;
}

json AnalyticsService::concentration(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of", "from", "to", "unit", "measure"});
  bool revenue = enum_param(q, "measure", {"revenue", "profit"}) == "revenue";
  ProfitRun run = run_profit(*this, a, q);
  std::vector<int64_t> measure, profit;
  measure.reserve(run.rows.size());
  profit.reserve(run.rows.size());
  for (const auto& r : run.rows) {
    measure.push_back(revenue ? r.revenue : r.net_profit);
    profit.push_back(r.net_profit);
  }
  an::Concentration c = an::concentration(std::move(measure), std::move(profit));
  auto points = [](const std::vector<an::CurvePoint>& v, const char* key) {
    json out = json::array();
    for (const auto& p : v) out.push_back({{key, p.customers_pct}, {"share", opt(p.share)}});
    return out;
  };
  json out = period_json(run.w, *run.s);
  out["measure"] = revenue ? "revenue" : "profit";
  out["customers"] = c.customers;
  out["total_cents"] = c.total;
  out["gini"] = opt(c.gini);
  out["top_shares"] = points(c.top_shares, "top_pct");
  out["pareto"] = points(c.pareto, "customers_pct");
  out["stobachoff"] = points(c.stobachoff, "customers_pct");
  out["stobachoff_peak"] = {{"customers_pct", c.stobachoff_peak.customers_pct}, {"share", opt(c.stobachoff_peak.share)}};
  out["assumptions"] = profit_assumptions(run);
  return out;
}

json AnalyticsService::cohorts(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of", "from", "to", "unit", "period"});
  an::PeriodKind kind;
  an::parse_period_kind(enum_param(q, "period", {"month", "quarter", "year"}), kind);
  AnalyticsSettings st = current_settings();
  auto s = snapshot_for(a, unit_param(q));
  Window w = window(q, *s);
  if (!w.from && an::month_of(w.period.to) - an::month_of(s->first_day) > 240)
    w.period.from = months_back(w.period.to, 240);  // at most 20 years of cohorts unless asked
  an::CohortResult r =
      an::cohorts(s->history, s->grouping(w.unit), w.period.from, w.period.to, w.as_of, kind, st.count_free_orders);
  json cohorts = json::array(), churn = json::array(), macro = json::array();
  for (const auto& c : r.cohorts) {
    // The month of as_of, when not over, is no rate yet: its retention is null (its revenue so
    // far is kept), and the cohort recruited in it is marked partial.
    json retention = c.retention;
    if (r.last_month_partial && !retention.empty()) retention.back() = nullptr;
    cohorts.push_back({{"cohort", an::period_label(an::PeriodKind::Month, c.month)}, {"customers", c.customers},
                       {"retention", retention}, {"revenue_cents", c.revenue}, {"partial", c.partial}});
  }
  for (const auto& p : r.periods) {
    std::string label = an::period_label(kind, p.period);
    churn.push_back({{"period", label}, {"rate", opt(p.churn)}, {"lost", p.lost}, {"partial", p.partial}});
    macro.push_back({{"period", label}, {"active", p.active}, {"recruited", p.recruited}, {"retained", p.retained},
                     {"developed", p.developed}, {"won_back", p.won_back}, {"lost", p.lost}, {"partial", p.partial}});
  }
  return {{"as_of", an::date_text(w.as_of)},
          {"unit", w.unit == Unit::Contacts ? "contacts" : "accounts"},
          {"period", enum_param(q, "period", {"month", "quarter", "year"})},
          {"partial_month", r.last_month_partial ? json(an::period_label(an::PeriodKind::Month, an::month_of(w.as_of))) : json()},
          {"cohorts", cohorts},
          {"churn", churn},
          {"macro", macro},
          {"assumptions", st.assumptions()}};
}

json AnalyticsService::share_of_wallet(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of", "limit", "cursor"});
  auto s = snapshot();
  Window w = window(q, *s);
  an::Period last12{months_back(w.as_of, 12), w.as_of};
  auto spend = store::with_transaction(db_, false, [&](store::Connection& c) {
    auto all = store::AnalyticsStore::category_spend(c);
    // Only the customers the reader may see (their own revenue comes from the whole history).
    if (!read_scope(a, entity("contacts")).all) {
      std::map<std::string, std::vector<int64_t>> visible;
      for (const char* t : {"contacts", "accounts", "households"})
        visible[t] = store::AnalyticsStore::visible_ids(c, entity(t), read_scope(a, entity(t)));
      std::erase_if(all, [&](const store::AnalyticsStore::Spend& x) {
        const auto& ids = visible[x.type];
        return !std::binary_search(ids.begin(), ids.end(), x.id);
      });
    }
    return all;
  });
  auto totals = an::accumulate(s->history, s->contacts, last12, nullptr);
  auto revenue_of = [&](an::CustomerType t, int64_t id) -> int64_t {
    int32_t k = s->history.find_customer(t, id);
    return k < 0 ? 0 : totals[size_t(k)].revenue;
  };
  // Accounts are measured with unit=accounts (their contacts' orders included).
  std::vector<an::CustomerTotals> account_totals;
  std::unordered_map<int64_t, int32_t> account_index;
  bool any_account = std::any_of(spend.begin(), spend.end(), [](const auto& x) { return x.type == "accounts"; });
  if (any_account) {
    account_totals = an::accumulate(s->history, s->accounts, last12, nullptr);
    for (size_t k = 0; k < s->accounts.size(); ++k)
      if (s->accounts.type[k] == an::CustomerType::Account) account_index[s->accounts.id[k]] = int32_t(k);
  }
  auto [begin, end] = page(q, spend.size());
  json items = json::array();
  for (size_t i = begin; i < end; ++i) {
    const auto& x = spend[i];
    int64_t rev = 0;
    if (x.type == "contacts") rev = revenue_of(an::CustomerType::Contact, x.id);
    else if (x.type == "accounts") {
      auto it = account_index.find(x.id);
      rev = it == account_index.end() ? 0 : account_totals[size_t(it->second)].revenue;
    } else {
      for (int64_t c : x.contacts) rev += revenue_of(an::CustomerType::Contact, c);
    }
    items.push_back({{"customer_type", x.type}, {"customer_id", x.id}, {"name", x.name}, {"revenue_12m_cents", rev},
                     {"category_spend_cents", x.category_spend_cents},
                     {"share", x.category_spend_cents > 0 ? json(double(rev) / double(x.category_spend_cents)) : json()}});
  }
  return {{"as_of", an::date_text(w.as_of)}, {"from", an::date_text(last12.from)}, {"data", items},
          {"next_cursor", next_cursor(end, spend.size())}, {"total", int64_t(spend.size())}};
}

// ---- settings and tiers -------------------------------------------------------------------

json AnalyticsService::settings(const Actor& a) {
  require_view(a);
  return current_settings().to_json();
}

json AnalyticsService::put_settings(const Actor& a, const json& body) {
  if (!can_change_analytics_settings(a)) throw Problem(ProblemKind::Forbidden, "only an admin changes the analytics settings");
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    AnalyticsSettings s = load_settings(c);
    FieldErrors errors;
    apply_settings(s, body, errors);
    errors.throw_if_any();
    json doc = s.to_json();
    std::string now = clock::now_utc();
    for (auto it = body.begin(); it != body.end(); ++it)
      store::AnalyticsStore::put_setting(c, it.key(), doc[it.key()], a.user_id, now);
    return doc;
  });
}

json AnalyticsService::tiers(const Actor& a) {
  require_view(a);
  AnalyticsSettings st = current_settings();
  json doc = st.to_json()["tiers"];
  // Counts of the records the reader may see.
  store::with_transaction(db_, false, [&](store::Connection& c) {
    doc["contacts"] = counts_json(store::AnalyticsStore::tier_counts(c, "contacts", read_scope(a, entity("contacts"))), st.tier_rules);
    doc["accounts"] = counts_json(store::AnalyticsStore::tier_counts(c, "accounts", read_scope(a, entity("accounts"))), st.tier_rules);
  });
  return doc;
}

json AnalyticsService::recompute_tiers(const Actor& a, const Query& q) {
  require_view(a);
  check_keys(q, {"as_of"});
  AnalyticsSettings st = current_settings();
  auto s = snapshot();
  Window w = window(q, *s);
  an::Period p{months_back(w.as_of, st.tier_period_months), w.as_of, st.count_free_orders};
  // Interaction costs: for net profit only.
  std::vector<int64_t> costs;
  const bool by_profit = st.tier_measure == "net_profit";
  if (by_profit) costs = an::interaction_costs(s->history, st.channel_costs_cents);
  std::vector<std::pair<int64_t, std::string>> assigned[2];
  for (int u = 0; u < 2; ++u) {
    const an::Grouping& g = s->grouping(u == 0 ? Unit::Contacts : Unit::Accounts);
    std::vector<int64_t> value(g.size());
    std::vector<uint8_t> eligible(g.size());
    if (st.tier_measure == "clv") {
      // Discounted lifetime value from the BG/NBD + Gamma-Gamma fit calibrated up to as_of, for
      // the customers who bought by then (the settings' CLV margin and discount rate).
      ClvQuery cq;
      cq.unit = u == 0 ? Unit::Contacts : Unit::Accounts;
      cq.calibration_end = w.as_of;
      cq.clv.margin = st.clv_margin_rate;
      cq.clv.annual_discount_rate = st.clv_discount_rate;
      cq.count_free_orders = st.count_free_orders;
      std::shared_ptr<const ClvRun> run;
      try {
        run = ClvService(db_).run(cq, s);
      } catch (const Problem& err) {
        throw Problem(ProblemKind::Unprocessable,
                      tr("tiers by lifetime value need a fit of the purchases: {reason}", {{"reason", err.detail_message()}}),
                      {{"tiers.measure", "clv cannot be computed on this history; use net_profit or revenue"}});
      }
      for (const auto& v : *run->values(cq.clv)) {
        value[size_t(v.summary.customer)] = std::llround(v.clv * 100);
        eligible[size_t(v.summary.customer)] = 1;
      }
    } else {
      auto totals = an::accumulate(s->history, g, p, by_profit ? &costs : nullptr);
      for (size_t k = 0; k < g.size(); ++k) {
        const auto& t = totals[k];
        value[k] = st.tier_measure == "revenue" ? t.revenue : t.gross_profit(st.default_margin_rate) - t.solicitation_cost;
        eligible[k] = t.purchases > 0;
      }
    }
    auto tier = an::assign_tiers(value, eligible, g, st.tier_rules);
    auto want = u == 0 ? an::CustomerType::Contact : an::CustomerType::Account;
    for (size_t k = 0; k < g.size(); ++k)
      if (tier[k] >= 0 && g.type[k] == want) assigned[u].push_back({g.id[k], st.tier_rules[size_t(tier[k])].name});
  }
  json out = {{"as_of", an::date_text(w.as_of)}, {"from", an::date_text(p.from)}, {"measure", st.tier_measure}};
  store::with_transaction(db_, true, [&](store::Connection& c) {
    store::AnalyticsStore::write_tiers(c, "contacts", assigned[0]);
    store::AnalyticsStore::write_tiers(c, "accounts", assigned[1]);
    out["contacts"] = counts_json(store::AnalyticsStore::tier_counts(c, "contacts", read_scope(a, entity("contacts"))), st.tier_rules);
    out["accounts"] = counts_json(store::AnalyticsStore::tier_counts(c, "accounts", read_scope(a, entity("accounts"))), st.tier_rules);
  });
  return out;
}

// ---- calculators --------------------------------------------------------------------------

namespace {

double number_field(const json& body, const char* name, double lo, double hi, FieldErrors& errors, bool integer = false) {
  json v = body.value(name, json());
  if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi || (integer && !v.is_number_integer())) {
    std::string what = integer ? "an integer" : "a number";
    errors.add(name, v.is_null() ? "is required" : "must be " + what + " from " + json(lo).dump() + " to " + json(hi).dump());
    return 0;
  }
  return v.get<double>();
}

void check_body_keys(const json& body, std::initializer_list<const char*> allowed, FieldErrors& errors) {
  if (!body.is_object()) {
    errors.add("body", "must be a JSON object");
    return;
  }
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool ok = false;
    for (const char* k : allowed) ok = ok || it.key() == k;
    if (!ok) errors.add(it.key(), "unknown field");
  }
}

}  // namespace

json AnalyticsService::demand(const Actor& a, const json& body) {
  require_view(a);
  FieldErrors errors;
  check_body_keys(body, {"households", "category_penetration", "brand_penetration", "quantity_per_buyer", "share_of_requirements"}, errors);
  errors.throw_if_any();
  an::DemandInput in;
  in.households = number_field(body, "households", 0, 1e12, errors);
  in.category_penetration = number_field(body, "category_penetration", 0, 1, errors);
  in.brand_penetration = number_field(body, "brand_penetration", 0, 1, errors);
  in.quantity_per_buyer = number_field(body, "quantity_per_buyer", 0, 1e9, errors);
  in.share_of_requirements = number_field(body, "share_of_requirements", 0, 1, errors);
  errors.throw_if_any();
  an::DemandResult r = an::static_demand(in);
  json steps = json::array();
  for (const auto& s : r.steps) steps.push_back({{"label", s.label}, {"factor", s.factor}, {"value", s.value}});
  return {{"demand", r.demand}, {"steps", steps}};
}

json AnalyticsService::retention_vs_acquisition(const Actor& a, const json& body) {
  require_view(a);
  FieldErrors errors;
  check_body_keys(body, {"annual_gross_profit_cents", "acquisition_cost_cents", "retention_cost_cents", "years"}, errors);
  errors.throw_if_any();
  an::RetentionInput in;
  in.annual_gross_profit = int64_t(number_field(body, "annual_gross_profit_cents", 0, 1e13, errors, true));
  in.acquisition_cost = int64_t(number_field(body, "acquisition_cost_cents", 0, 1e13, errors, true));
  if (body.contains("retention_cost_cents"))
    in.retention_cost = int64_t(number_field(body, "retention_cost_cents", 0, 1e13, errors, true));
  in.years = int(number_field(body, "years", 1, 100, errors, true));
  errors.throw_if_any();
  an::RetentionResult r = an::retention_vs_acquisition(in);
  auto scenario = [](const an::RetentionScenario& s) {
    return json{{"gross_profit_cents", s.gross_profit}, {"acquisition_cost_cents", s.acquisition_cost},
                {"retention_cost_cents", s.retention_cost}, {"net_cents", s.net}};
  };
  return {{"retain", scenario(r.retain)}, {"replace", scenario(r.replace)}, {"difference_cents", r.difference},
          {"replace_earns_less_pct", opt(r.replace_earns_less_pct)}};
}

// ---- value card ---------------------------------------------------------------------------

json AnalyticsService::value_card(const std::string& type, int64_t id, const json& stored_tier) {
  // The settings and the data's signature in one round trip.
  std::map<std::string, json> stored;
  const std::string sig = store::with_transaction(db_, false, [&](store::Connection& c) {
    return store::AnalyticsStore::settings_and_signature(c, stored);
  });
  return value_card(type, id, stored_tier, sig, stored);
}

json AnalyticsService::value_card(const std::string& type, int64_t id, const json& stored_tier, const std::string& sig,
                                  const std::map<std::string, json>& stored) {
  AnalyticsSettings st = settings_from(stored);
  bool stale = false;
  auto s = snapshot(Freshness::Recent, &stale, &sig);
  CacheEntry& e = cache_for(db_);
  std::shared_ptr<const CacheEntry::Cards> cards;
  // The settings are the defaults and the stored rows: the rows name them (dumping the whole
  // settings per card was 1.4 % of a 360°'s CPU).
  std::string settings_key;
  for (const auto& [key, value] : stored) settings_key += key + '=' + value.dump() + '\n';
  {
    std::lock_guard lock(e.mu);
    if (e.cards && e.cards->snapshot == s.get() && e.cards->settings == settings_key) cards = e.cards;
  }
  std::unique_lock<std::mutex> computing;
  if (!cards) {
    // Concurrent cards of a new snapshot wait for one computation rather than each running it.
    computing = std::unique_lock(e.cards_mu);
    std::lock_guard lock(e.mu);
    if (e.cards && e.cards->snapshot == s.get() && e.cards->settings == settings_key) cards = e.cards;
  }
  if (!cards) {
    // RFM as of the last order and net profit over the 12 months before it, for every customer
    // of both units, computed once per snapshot and settings.
    auto fresh = std::make_shared<CacheEntry::Cards>();
    fresh->snapshot = s.get();
    fresh->settings = settings_key;
    fresh->bins = st.rfm_bins;
    auto costs = an::interaction_costs(s->history, st.channel_costs_cents);
    for (int u = 0; u < 2; ++u) {
      const auto& g = s->grouping(u == 0 ? Unit::Contacts : Unit::Accounts);
      auto all = an::accumulate(s->history, g, {INT32_MIN, s->last_day, st.count_free_orders}, nullptr);
      an::RfmResult r = an::rfm(all, s->last_day, st.rfm_bins);
      fresh->rfm[u] = std::move(r.customers);
      fresh->rfm[u].shrink_to_fit();
      auto year = an::accumulate(s->history, g, {months_back(s->last_day, 12), s->last_day, st.count_free_orders}, &costs);
      fresh->net_profit[u].resize(g.size());
      for (size_t k = 0; k < g.size(); ++k)
        fresh->net_profit[u][k] = year[k].active() ? year[k].gross_profit(st.default_margin_rate) - year[k].solicitation_cost
                                                   : CacheEntry::Cards::kNoProfit;
    }
    // The per-customer totals of both passes were several times the cards' size.
    memory::release_free_memory();
    std::lock_guard lock(e.mu);
    e.cards = fresh;
    cards = fresh;
  }
  if (computing.owns_lock()) computing.unlock();
  int u = type == "accounts" ? 1 : 0;
  auto t = u == 1 ? an::CustomerType::Account : an::CustomerType::Contact;
  const auto& g = s->grouping(u == 0 ? Unit::Contacts : Unit::Accounts);
  int32_t k = -1;
  if (u == 0) {
    k = s->history.find_customer(t, id);
  } else {
    // Unit accounts: the account's group is the one of any history customer mapped onto it.
    int32_t h = s->history.find_customer(t, id);
    if (h >= 0) k = g.group[size_t(h)];
    else
      for (size_t c = 0; c < s->history.customers() && k < 0; ++c)
        if (s->history.customer_account[c] == id && s->history.customer_type[c] == an::CustomerType::Contact)
          k = g.group[c];
  }
  // CLV and P(alive) from the BG/NBD fit that ClvService caches per data signature (fitted once
  // after the history changes, then shared by every card).
  json clv = ClvService(db_).card(type, id, s, st);
  // stale: figures of the history before the latest changes, being recomputed in the background.
  json card = {{"rfm", nullptr}, {"net_profit_cents", nullptr}, {"tier", stored_tier},
               {"as_of", an::date_text(s->last_day)}, {"clv_cents", clv["clv_cents"]}, {"p_alive", clv["p_alive"]},
               {"clv_reliable", clv["reliable"]}, {"stale", stale}};
  if (k >= 0) {
    if (const an::RfmCustomer* r = cards->rfm_of(u, k))
      card["rfm"] = {{"r", r->r}, {"f", r->f}, {"m", r->m}, {"segment", an::segment_name(r->segment)},
                     {"recency_days", r->recency_days}, {"frequency", r->frequency}, {"monetary_cents", r->monetary}};
    if (int64_t p = cards->net_profit[u][size_t(k)]; p != CacheEntry::Cards::kNoProfit) card["net_profit_cents"] = p;
  }
  return card;
}

int64_t int_param(const Query& q, const char* name, int64_t dflt, int64_t lo, int64_t hi) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return dflt;
  // The bounds as written (no thousands separator: 2147483647 is a limit one types).
  Message msg = tr("must be an integer from {min} to {max}", {{"min", std::to_string(lo)}, {"max", std::to_string(hi)}});
  try {
    size_t pos;
    int64_t v = std::stoll(it->second, &pos);
    if (pos == it->second.size() && v >= lo && v <= hi) return v;
  } catch (...) {
  }
  throw Problem(ProblemKind::BadRequest,
                tr("{name} must be an integer from {min} to {max}",
                   {{"name", name}, {"min", std::to_string(lo)}, {"max", std::to_string(hi)}}),
                {{name, msg}});
}

}  // namespace gz::domain
