// Referrals, reassignment and results (docs/sales.md): the reward a referrer earns when the deal
// they brought is won; a departing salesperson's records handed to another in one recorded
// action; targets per person and month; the salesperson's and the manager's results.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "domain/access.h"
#include "domain/entity_rules.h"
#include "store/database.h"

namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http

namespace gz::modules::sales {

using json = nlohmann::json;

// After an opportunity's write: when it has just been won and someone referred it, the referrer's
// reward (the sales settings say points or an amount, fixed or a share of the deal), once.
void opportunity_after_write(domain::WriteContext& ctx, const json& record);

// Hands every account, contact, open opportunity, open quote and open follow-up of from_user to
// to_user, each through the record service (audited), and returns the counts.
json reassign_records(store::Database& db, const domain::Actor& actor, int64_t from_user, int64_t to_user);

// One month's results per salesperson the reader may see: target, won, open pipeline (weighted),
// deals stale in their stage, activity (interactions logged, follow-ups done), win rate.
json sales_results(store::Database& db, const domain::Actor& actor, const std::string& month);

// Stage-to-stage conversion and drop-out of contacts or accounts over a period (stage changes in
// [from, to]), grouped by source, owner or nothing, with the exit reasons.
json lifecycle_funnel(store::Database& db, const domain::Actor& actor, const std::string& entity, const std::string& from,
                      const std::string& to, const std::string& by);

void add_results_routes(http::Api& api, http::Services& s);

}  // namespace gz::modules::sales
