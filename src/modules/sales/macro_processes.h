// The four macro-processes of customer management — recruit, retain, develop, win back
// (docs/sales.md, "The four macro-processes") — over the lifecycle funnel's period, counted twice
// side by side: by the lifecycle stages the salespeople set (the funnel's stage history) and by
// what customers bought (the analytics' cohort definitions, docs/analytics.md, run on the
// analytics module's in-memory order history).
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

struct MacroFilter {
  std::optional<int64_t> owner_id;      // records (customers) of this owner only
  std::optional<std::string> source;    // records whose source_type is this one
};

// The period that comes just before [from, to] (days since 1970-01-01), of the same length: the
// same number of whole months when [from, to] is whole months (a month, a quarter, a year — so
// that the analytics' figures equal its monthly, quarterly or yearly cohort rows), else the same
// number of days.
std::pair<int32_t, int32_t> previous_period(int32_t from, int32_t to);

// {entity, from, to, previous_from, previous_to, owner_id, source, processes: [{key, funnel,
// analytics}] for recruit, retain, develop, win_back, lost: {funnel, analytics}, active}
// over the records and customers the reader may see. from and to are YYYY-MM-DD, from ≤ to.
json macro_processes(store::Database& db, const domain::Actor& actor, const std::string& entity, const std::string& from,
                     const std::string& to, const MacroFilter& filter);

void add_macro_process_routes(http::Api& api, http::Services& s);

}  // namespace gz::modules::sales
