#include "modules/analytics/analytics_store.h"
#include "store/amounts.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "store/row_stream.h"

namespace gz::store {

using analytics::CustomerType;
using analytics::OrderHistory;

namespace {

// The customer of a row with (contact_id, account_id) in columns a and a + 1: the contact when
// set, else the account; −1 when neither.
int32_t customer_of(OrderHistory& h, const RowView& r, int col) {
  if (!r.is_null(col)) return h.customer(CustomerType::Contact, r.int64(col));
  if (!r.is_null(col + 1)) return h.customer(CustomerType::Account, r.int64(col + 1));
  return -1;
}

}  // namespace

OrderHistory AnalyticsStore::load(Connection& c) {
  OrderHistory h;
  // Margins of the lines whose product has one, per order (in order id order, merged below).
  // The margin is summed as a float: 10,000 lines of 10^12 cents at 10,000 bp would overflow an
  // integer sum; each line total is clamped to the amount bound (store/amounts.h).
  struct Rated { int64_t order_id; double margin_cents_bp; int64_t total; };
  std::vector<Rated> rated;
  const std::string line_total = clamped_amount_sql("ol.total_cents");
  stream_rows(c,
              "SELECT ol.order_id, SUM(CAST(" + line_total + " AS DOUBLE PRECISION) * p.margin_bp), SUM(" + line_total +
                  ") FROM order_lines ol JOIN products p ON p.id = ol.product_id WHERE p.margin_bp IS NOT NULL "
                  "GROUP BY ol.order_id ORDER BY ol.order_id",
              {}, [&](const RowView& r) { rated.push_back({r.int64(0), r.real(1), clamp_amount(r.int64(2))}); });
  size_t next_rated = 0;
  stream_rows(c,
              "SELECT id, contact_id, account_id, ordered_at, status, channel, subtotal_cents, discount_cents "
              "FROM orders WHERE status NOT IN ('draft', 'cancelled') "
              "AND (contact_id IS NOT NULL OR account_id IS NOT NULL) ORDER BY id",
              {}, [&](const RowView& r) {
                OrderHistory::OrderInput o;
                int64_t id = r.int64(0);
                o.customer = customer_of(h, r, 1);
                if (!analytics::parse_date(r.text(3), o.day))
                  throw std::runtime_error("order " + std::to_string(id) + " has an unreadable ordered_at");
                o.is_return = r.text(4) == "returned";
                o.channel = r.text(5);
                // A row stored before amounts were bounded counts at the bound (store/amounts.h).
                o.purchases = clamp_amount(r.int64(6));
                o.discount = clamp_amount(r.int64(7));
                while (next_rated < rated.size() && rated[next_rated].order_id < id) ++next_rated;
                if (next_rated < rated.size() && rated[next_rated].order_id == id) {
                  o.rated_margin = clamp_amount(std::llround(rated[next_rated].margin_cents_bp / 10000.0));
                  o.rated_revenue = rated[next_rated].total;
                }
                h.add_order(o);
              });
  stream_rows(c,
              "SELECT contact_id, account_id, occurred_at, channel FROM interactions "
              "WHERE contact_id IS NOT NULL OR account_id IS NOT NULL",
              {}, [&](const RowView& r) {
                int32_t day;
                if (!analytics::parse_date(r.text(2), day)) return;  // occurred_at is validated on write
                h.add_interaction(customer_of(h, r, 0), day, r.text(3));
              });
  stream_rows(c, "SELECT id, account_id FROM contacts WHERE account_id IS NOT NULL", {}, [&](const RowView& r) {
    int32_t k = h.find_customer(CustomerType::Contact, r.int64(0));
    if (k >= 0) h.set_account(k, r.int64(1));
  });
  h.cluster_by_customer();
  return h;
}

namespace {

// Index look-ups only (this runs before every analysis and 360° value card): every change made
// through the API or an import writes an audit row, and bulk loads (demo, migrate-data) add rows
// with new ids.
const char* const kSignatureSql =
    "SELECT (SELECT MAX(id) FROM audit_log), (SELECT MAX(id) FROM orders), (SELECT MAX(id) FROM interactions), "
    "(SELECT MAX(id) FROM contacts), (SELECT MAX(id) FROM accounts), (SELECT MAX(id) FROM products)";
// On PostgreSQL the ids' sequences instead: each MAX opened an index and walked to its end (six
// of them were 0.07 ms of PostgreSQL's time per 360°, the view's costliest statement with its
// interactions), a sequence is one page. A sequence moves on every insert, rolled back or not,
// and migrate-data sets each one to the copied rows' highest id: the signature changes whenever
// the highest id would, and sometimes when it would not (a refresh then finds the same data).
const char* const kPgSignatureSql =
    "SELECT (SELECT last_value FROM audit_log_id_seq), (SELECT last_value FROM orders_id_seq), "
    "(SELECT last_value FROM interactions_id_seq), (SELECT last_value FROM contacts_id_seq), "
    "(SELECT last_value FROM accounts_id_seq), (SELECT last_value FROM products_id_seq)";
const char* signature_sql(const Dialect& d) { return d.name() == "postgresql" ? kPgSignatureSql : kSignatureSql; }
const char* const kSettingsSql = "SELECT key, value FROM analytics_settings ORDER BY key";

void append_signature(const RowView& r, std::string& sig) {
  for (int i = 0; i < 6; ++i) {
    sig += r.text(i);
    sig += '|';
  }
}

void add_setting(const RowView& r, std::map<std::string, json>& out) {
  const std::string_view v = r.text(1);
  out[std::string(r.text(0))] = json::parse(v.begin(), v.end());
}

}  // namespace

std::string AnalyticsStore::signature(Connection& c) {
  std::string sig;
  stream_rows(c, signature_sql(c.dialect()), {}, [&](const RowView& r) { append_signature(r, sig); });
  return sig;
}

std::map<std::string, json> AnalyticsStore::settings(Connection& c) {
  std::map<std::string, json> out;
  stream_rows(c, kSettingsSql, {}, [&](const RowView& r) { add_setting(r, out); });
  return out;
}

std::vector<BatchStatement> AnalyticsStore::settings_and_signature_statements(const Dialect& d, std::string& sig,
                                                                              std::map<std::string, json>& settings) {
  return {{signature_sql(d), {}, [&sig](const RowView& r) { append_signature(r, sig); }},
          {kSettingsSql, {}, [&settings](const RowView& r) { add_setting(r, settings); }}};
}

std::string AnalyticsStore::settings_and_signature(Connection& c, std::map<std::string, json>& settings) {
  std::string sig;
  stream_batch(c, settings_and_signature_statements(c.dialect(), sig, settings));
  return sig;
}

void AnalyticsStore::put_setting(Connection& c, const std::string& key, const json& value, int64_t user_id,
                                 const std::string& now) {
  c.execute(
      "INSERT INTO analytics_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
      "updated_by = excluded.updated_by",
      {key, value.dump(), now, user_id ? json(user_id) : json()});
}

void AnalyticsStore::write_tiers(Connection& c, const std::string& table,
                                 const std::vector<std::pair<int64_t, std::string>>& tiers) {
  if (table != "contacts" && table != "accounts") throw std::invalid_argument("write_tiers: " + table);
  c.execute("UPDATE " + table + " SET value_tier = NULL WHERE value_tier IS NOT NULL");
  // Grouped by tier, a few hundred ids per statement.
  std::map<std::string, std::vector<int64_t>> by_tier;
  for (const auto& [id, tier] : tiers) by_tier[tier].push_back(id);
  constexpr size_t kBatch = 500;
  for (const auto& [tier, ids] : by_tier)
    for (size_t i = 0; i < ids.size(); i += kBatch) {
      size_t n = std::min(kBatch, ids.size() - i);
      std::string sql = "UPDATE " + table + " SET value_tier = ? WHERE id IN (";
      Params p{tier};
      for (size_t k = 0; k < n; ++k) {
        sql += k ? ",?" : "?";
        p.push_back(ids[i + k]);
      }
      c.execute(sql + ")", p);
    }
}

std::map<std::string, int64_t> AnalyticsStore::tier_counts(Connection& c, const std::string& table, const Scope& scope) {
  if (table != "contacts" && table != "accounts") throw std::invalid_argument("tier_counts: " + table);
  std::map<std::string, int64_t> out;
  Params p;
  std::string where = RecordStore::visibility_sql(kernel::entity(table), "t", scope, p);
  for (const auto& row : c.query("SELECT t.value_tier, COUNT(*) AS n FROM " + table + " t" + (where.empty() ? "" : " WHERE " + where) +
                                     " GROUP BY t.value_tier", p))
    out[row["value_tier"].is_string() ? row["value_tier"].get<std::string>() : ""] = row["n"].get<int64_t>();
  return out;
}

std::vector<int64_t> AnalyticsStore::visible_ids(Connection& c, const kernel::Entity& e, const Scope& scope) {
  Params p;
  std::string where = RecordStore::visibility_sql(e, "t", scope, p);
  std::vector<int64_t> ids;
  stream_rows(c, "SELECT t.id FROM " + e.name + " t" + (where.empty() ? "" : " WHERE " + where) + " ORDER BY t.id", p,
              [&](const RowView& r) { ids.push_back(r.int64(0)); });
  return ids;
}

int64_t AnalyticsStore::share_count(Connection& c, int64_t user_id) {
  return c.query_one("SELECT COUNT(*) AS n FROM record_shares WHERE user_id = ?", {user_id})["n"].get<int64_t>();
}

std::map<int64_t, std::string> AnalyticsStore::names(Connection& c, const std::string& table, const std::vector<int64_t>& ids) {
  std::string expr;
  if (table == "contacts") expr = "CASE WHEN first_name IS NULL THEN last_name ELSE first_name || ' ' || last_name END";
  else if (table == "accounts" || table == "households") expr = "name";
  else throw std::invalid_argument("names: " + table);
  std::map<int64_t, std::string> out;
  constexpr size_t kBatch = 500;
  for (size_t i = 0; i < ids.size(); i += kBatch) {
    size_t n = std::min(kBatch, ids.size() - i);
    std::string sql = "SELECT id, " + expr + " FROM " + table + " WHERE id IN (";
    Params p;
    for (size_t k = 0; k < n; ++k) {
      sql += k ? ",?" : "?";
      p.push_back(ids[i + k]);
    }
    stream_rows(c, sql + ")", p, [&](const RowView& r) { out[r.int64(0)] = std::string(r.text(1)); });
  }
  return out;
}

std::vector<AnalyticsStore::Spend> AnalyticsStore::category_spend(Connection& c) {
  std::vector<Spend> out;
  stream_rows(c,
              "SELECT 'accounts', id, name, category_spend_cents FROM accounts WHERE category_spend_cents IS NOT NULL "
              "UNION ALL SELECT 'contacts', id, CASE WHEN first_name IS NULL THEN last_name ELSE first_name || ' ' || "
              "last_name END, category_spend_cents FROM contacts WHERE category_spend_cents IS NOT NULL "
              "UNION ALL SELECT 'households', id, name, category_spend_cents FROM households "
              "WHERE category_spend_cents IS NOT NULL ORDER BY 1, 2",
              {}, [&](const RowView& r) {
                Spend s;
                s.type = std::string(r.text(0));
                s.id = r.int64(1);
                s.name = std::string(r.text(2));
                s.category_spend_cents = r.int64(3);
                out.push_back(std::move(s));
              });
  std::map<int64_t, size_t> households;
  for (size_t i = 0; i < out.size(); ++i)
    if (out[i].type == "households") households[out[i].id] = i;
  if (!households.empty())
    stream_rows(c,
                "SELECT c.household_id, c.id FROM contacts c JOIN households h ON h.id = c.household_id "
                "WHERE h.category_spend_cents IS NOT NULL ORDER BY c.household_id, c.id",
                {}, [&](const RowView& r) {
                  auto it = households.find(r.int64(0));
                  if (it != households.end()) out[it->second].contacts.push_back(r.int64(1));
                });
  return out;
}

}  // namespace gz::store
