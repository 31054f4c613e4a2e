// Aggregates for the web interface's home page ("My day"): revenue and new customers by month,
// customers by lifecycle stage — over the records the caller's scope lets them see.
#pragma once
#include <string>

#include "store/database.h"
#include "store/record_store.h"

namespace gz::store {

struct DashboardStore {
  // since: "YYYY-MM-01" (UTC); months are "YYYY-MM". Revenue counts orders not draft, cancelled
  // or returned; a new customer is a contact whose first such order falls in the month.
  static json figures(Connection& c, const Scope& scope, const std::string& since);
};

}  // namespace gz::store
