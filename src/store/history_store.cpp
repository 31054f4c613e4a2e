#include "store/history_store.h"

#include <cstdint>

#include "core/clock.h"
#include "store/amounts.h"

namespace gz::store {

static json user_or_null(int64_t id) { return id > 0 ? json(id) : json(); }

void HistoryStore::append_audit(Connection& c, int64_t user_id, const std::string& entity, int64_t record_id,
                                const std::string& action, const json& changes) {
  append_audit_text(c, user_id, entity, record_id, action, changes.dump());
}

void HistoryStore::append_audit_text(Connection& c, int64_t user_id, const std::string& entity, int64_t record_id,
                                     const std::string& action, const std::string& changes_json) {
  c.execute("INSERT INTO audit_log (at, user_id, entity, record_id, action, changes) VALUES (?, ?, ?, ?, ?, ?)",
            {clock::now_utc(), user_or_null(user_id), entity, record_id, action, changes_json});
}

std::vector<json> HistoryStore::audit_trail(Connection& c, const std::string& entity, int64_t record_id, int limit,
                                            int64_t before_id) {
  auto rows = c.query(
      "SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.changes FROM audit_log a "
      "LEFT JOIN users u ON u.id = a.user_id WHERE a.entity = ? AND a.record_id = ? AND a.id < ? "
      "ORDER BY a.id DESC LIMIT ?",
      {entity, record_id, before_id > 0 ? before_id : INT64_MAX, limit});
  for (auto& r : rows) r["changes"] = json::parse(r["changes"].get<std::string>(), nullptr, false);
  return rows;
}

void HistoryStore::append_stage(Connection& c, const std::string& entity, int64_t record_id, const std::string& stage,
                                const json& reason, int64_t user_id) {
  c.execute("INSERT INTO stage_history (entity, record_id, stage, reason, changed_at, user_id) VALUES (?, ?, ?, ?, ?, ?)",
            {entity, record_id, stage, reason, clock::now_utc(), user_or_null(user_id)});
}

std::vector<json> HistoryStore::stage_history(Connection& c, const std::string& entity, int64_t record_id) {
  return c.query(
      "SELECT stage, reason, changed_at, user_id FROM stage_history WHERE entity = ? AND record_id = ? ORDER BY id",
      {entity, record_id});
}

void HistoryStore::add_share(Connection& c, const std::string& entity, int64_t record_id, int64_t user_id) {
  c.execute("INSERT INTO record_shares (entity, record_id, user_id, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            {entity, record_id, user_id, clock::now_utc()});
}

std::optional<json> OrderLineStore::product(Connection& c, int64_t id) {
  auto r = c.query_one("SELECT id, sku, name, unit_price_cents, currency FROM products WHERE id = ?", {id});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::optional<int64_t> OrderLineStore::product_id_by_sku(Connection& c, const std::string& sku) {
  auto r = c.query_one("SELECT id FROM products WHERE sku = ?", {sku});
  if (r.is_null()) return std::nullopt;
  return r["id"].get<int64_t>();
}

json CustomerStore::value_figures(Connection& c, const std::string& column, int64_t id) {
  const std::string col = column == "account_id" ? "account_id" : "contact_id";
  auto r = c.query_one("SELECT COALESCE(SUM(" + clamped_amount_sql("total_cents") + "), 0) AS revenue_cents, COUNT(*) AS order_count, "
                       "MIN(ordered_at) AS first_purchase_at, MAX(ordered_at) AS last_purchase_at FROM orders "
                       "WHERE " + col + " = ? AND status NOT IN ('cancelled', 'returned', 'draft')",
                       {id});
  int64_t n = r["order_count"].get<int64_t>();
  r["average_order_cents"] = n ? r["revenue_cents"].get<int64_t>() / n : 0;
  return r;
}

std::optional<std::string> CustomerStore::account_name(Connection& c, int64_t account_id) {
  auto r = c.query_one("SELECT name FROM accounts WHERE id = ?", {account_id});
  if (r.is_null()) return std::nullopt;
  return r["name"].get<std::string>();
}

std::vector<int64_t> CustomerStore::contact_ids_of_account(Connection& c, int64_t account_id) {
  std::vector<int64_t> ids;
  for (auto& r : c.query("SELECT id FROM contacts WHERE account_id = ?", {account_id})) ids.push_back(r["id"]);
  return ids;
}

std::optional<json> CustomerStore::user_brief(Connection& c, int64_t user_id) {
  auto r = c.query_one("SELECT id, name, email, role, team_id, active FROM users WHERE id = ?", {user_id});
  if (r.is_null()) return std::nullopt;
  return r;
}

}  // namespace gz::store
