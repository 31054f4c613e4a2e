// The figures of the web interface's home page (GET /api/v1/dashboard), over the customers the
// actor can see: revenue and new customers by month, contacts and accounts by stage. Computed
// in SQL (dashboard_store, beside it).
#pragma once
#include <string>

#include "domain/access.h"
#include "store/database.h"

namespace gz::domain {

using json = nlohmann::json;

class DashboardService {
 public:
  static constexpr int kMinMonths = 1, kMaxMonths = 36, kDefaultMonths = 12;
  explicit DashboardService(store::Database& db) : db_(db) {}
  // The last `months` calendar months up to today (UTC), this month included: the figures with
  // `since` (the first day) and `months`. 400 naming months outside 1–36.
  json figures(const Actor& actor, int months = kDefaultMonths);
  // The first day (YYYY-MM-01) of the window of `months` months ending with the month of today.
  static std::string window_start(int months, const std::string& today);

 private:
  store::Database& db_;
};

}  // namespace gz::domain
