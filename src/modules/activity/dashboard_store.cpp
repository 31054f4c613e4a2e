#include "modules/activity/dashboard_store.h"
#include "store/amounts.h"

namespace gz::store {

namespace {

std::string and_visible(const kernel::Entity& e, const std::string& alias, const Scope& scope, Params& p) {
  std::string v = RecordStore::visibility_sql(e, alias, scope, p);
  return v.empty() ? "" : " AND " + v;
}

const char* kCounted = "status NOT IN ('draft', 'cancelled', 'returned')";

}  // namespace

json DashboardStore::figures(Connection& c, const Scope& scope, const std::string& since) {
  json out = json::object();
  {
    Params p{since};
    std::string sql = std::string("SELECT SUBSTR(t.ordered_at, 1, 7) AS month, COALESCE(SUM(" + clamped_amount_sql("t.total_cents") + "), 0) AS revenue_cents, "
                                  "COUNT(*) AS order_count FROM orders t WHERE t.ordered_at >= ? AND t.") +
                      kCounted + and_visible(kernel::entity("orders"), "t", scope, p) +
                      " GROUP BY SUBSTR(t.ordered_at, 1, 7) ORDER BY month";
    out["revenue_by_month"] = c.query(sql, p);
  }
  {
    Params p{since};
    std::string sql = std::string("SELECT SUBSTR(f.first_at, 1, 7) AS month, COUNT(*) AS customers FROM "
                                  "(SELECT contact_id, MIN(ordered_at) AS first_at FROM orders WHERE contact_id IS NOT NULL AND ") +
                      kCounted + " GROUP BY contact_id) f JOIN contacts t ON t.id = f.contact_id WHERE f.first_at >= ?" +
                      and_visible(kernel::entity("contacts"), "t", scope, p) +
                      " GROUP BY SUBSTR(f.first_at, 1, 7) ORDER BY month";
    out["new_customers_by_month"] = c.query(sql, p);
  }
  for (const char* name : {"contacts", "accounts"}) {
    Params p;
    std::string v = RecordStore::visibility_sql(kernel::entity(name), "t", scope, p);
    std::string sql = std::string("SELECT t.lifecycle_stage AS stage, COUNT(*) AS count FROM ") + name + " t" +
                      (v.empty() ? "" : " WHERE " + v) + " GROUP BY t.lifecycle_stage ORDER BY count DESC";
    out[std::string(name) + "_by_stage"] = c.query(sql, p);
  }
  return out;
}

}  // namespace gz::store
