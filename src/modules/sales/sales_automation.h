// What the sales module does on its own, through the job queue: the automatic follow-ups
// (relances: a quote unanswered, a deal stale in its stage, a prospect nobody contacted — each a
// task for the owner and a notification, once per occasion), and the lead-scoring model learned
// from the base's won and lost opportunities. Its settings are one row (sales_settings): the
// scoring rules, the learned model, and the follow-up delays. docs/sales.md.
#pragma once
#include <nlohmann/json.hpp>

#include "domain/access.h"
#include "store/database.h"

namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http
namespace gz::domain {
class JobHandlers;
}

namespace gz::modules::sales {

using json = nlohmann::json;

// The settings row, defaults filled in (quote_followup_days 7, prospect_contact_days 2,
// followups_enabled true, scoring_rules [], model null).
json read_sales_settings(store::Connection& c);

// Runs the follow-up rules once; returns how many tasks each rule made ({"quote_unanswered": 1, …}).
// A rule fires once per occasion: the same quote, the same stay of a deal in a stage, the same
// prospect never get a second task.
json run_followups(store::Database& db, int64_t now_unix);

// Trains the learned score on the closed opportunities and stores it; returns its summary.
json train_scoring_model(store::Database& db);

// The two scores of an opportunity, side by side and explained, in lang.
json score_opportunity(store::Database& db, const domain::Actor& actor, int64_t id, const std::string& lang);

void add_sales_automation_jobs(domain::JobHandlers& h);
void add_sales_automation_routes(http::Api& api, http::Services& s);

}  // namespace gz::modules::sales
