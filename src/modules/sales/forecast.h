// Forecasts and results (docs/sales.md, "Forecast"): the weighted pipeline by month, owner and
// team; a weekly snapshot of each open opportunity (category, amount, close date) from which
// forecast accuracy is measured — what each salesperson committed for a month against what they
// won —; win rates and sales-cycle lengths by source, owner and pipeline; targets per person and
// month against what was won.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/access.h"
#include "store/database.h"

namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http

namespace gz::modules::sales {

using json = nlohmann::json;

// "2026-12" -> "2027-01"; whether a text is a month written YYYY-MM.
std::string next_month(const std::string& ym);
bool is_month(const std::string& s);

// Snapshots every open opportunity for the week of `today` (its Monday), once per week: a second
// call in the same week writes nothing. Returns how many were written.
int64_t take_forecast_snapshot(store::Database& db, const std::string& today);

struct ForecastQuery {
  std::string from_month, to_month;  // "YYYY-MM", inclusive
  std::optional<int64_t> owner_id, team_id;
};
// Per month of expected close: open amount, weighted amount, amount per forecast category, and
// won (closed_on in the month); and the same per owner. Only what the reader may see.
json forecast(store::Database& db, const domain::Actor& actor, const ForecastQuery& q);
// For one month: per owner, what the snapshot taken before the month began said would close in
// it as commit (and commit + best case), what was won in it, and accuracy = won / committed.
json forecast_accuracy(store::Database& db, const domain::Actor& actor, const std::string& month);
// Win rate (won / (won + lost)) and average sales cycle (days from creation to close of the won
// ones) by source, owner and pipeline, for deals closed between from and to (dates).
json performance(store::Database& db, const domain::Actor& actor, const std::string& from, const std::string& to);

void add_forecast_routes(http::Api& api, http::Services& s);

}  // namespace gz::modules::sales
