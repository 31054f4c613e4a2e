#include "modules/orders/order_store.h"

#include "store/amounts.h"

namespace gz::store {

std::optional<json> OrderStore::product(Connection& c, int64_t id) {
  auto r = c.query_one("SELECT id, sku, name, unit_price_cents, currency FROM products WHERE id = ?", {id});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::optional<int64_t> OrderStore::product_id_by_sku(Connection& c, const std::string& sku) {
  auto r = c.query_one("SELECT id FROM products WHERE sku = ?", {sku});
  if (r.is_null()) return std::nullopt;
  return r["id"].get<int64_t>();
}

BatchStatement OrderStore::value_figures(const std::string& column, int64_t id, json& out) {
  const std::string col = column == "account_id" ? "account_id" : "contact_id";
  return {"SELECT COALESCE(SUM(" + clamped_amount_sql("total_cents") + "), 0) AS revenue_cents, COUNT(*) AS order_count, "
          "MIN(ordered_at) AS first_purchase_at, MAX(ordered_at) AS last_purchase_at FROM orders "
          // Three comparisons, not NOT IN: SQLite builds a temporary table for an IN list, on every
          // 360° view (the same rows: a NULL status is in neither).
          "WHERE " + col + " = ? AND status <> 'cancelled' AND status <> 'returned' AND status <> 'draft'",
          {id},
          [&out](const RowView& row) {
            out = row_object(row);
            int64_t n = out["order_count"].get<int64_t>();
            out["average_order_cents"] = n ? out["revenue_cents"].get<int64_t>() / n : 0;
          }};
}

}  // namespace gz::store
