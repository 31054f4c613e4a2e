#include "modules/activity/dashboard.h"

#include <cstdio>

#include "core/clock.h"
#include "core/problem.h"
#include "domain/schema.h"
#include "modules/activity/dashboard_store.h"

namespace gz::domain {

std::string DashboardService::window_start(int months, const std::string& today) {
  int y = std::stoi(today.substr(0, 4)), m = std::stoi(today.substr(5, 2)) - (months - 1);
  while (m < 1) {
    m += 12;
    --y;
  }
  char since[16];
  std::snprintf(since, sizeof since, "%04d-%02d-01", y % 10000, m % 100);
  return since;
}

json DashboardService::figures(const Actor& actor, int months) {
  if (months < kMinMonths || months > kMaxMonths)
    throw Problem(ProblemKind::BadRequest, "months must be an integer from 1 to 36", {{"months", "must be an integer from 1 to 36"}});
  std::string since = window_start(months, clock::now_utc());
  store::Scope scope = read_scope(actor, entity("contacts"));
  json body = store::with_transaction(db_, false, [&](store::Connection& c) {
    return store::DashboardStore::figures(c, scope, since);
  });
  body["since"] = since;
  body["months"] = months;
  return body;
}

}  // namespace gz::domain
