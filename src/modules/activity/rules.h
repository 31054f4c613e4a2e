#pragma once
#include <nlohmann/json.hpp>
#include <utility>

#include "domain/entity_rules.h"

namespace gz::modules::activity {

void interaction_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
// A follow-up is due either at a time (due_at, kept as given) or on a day without a time: given
// as due_at "2026-03-29" (a date alone) or due_date, it keeps the local date in due_date and
// due_at becomes the last second of that day in the company's time zone (23:59:59 local, as
// UTC). Every query then stays one comparison on due_at: overdue is due_at < now, which for an
// all-day follow-up starts at local midnight; due today is due_at within the local day. A write
// of the follow-up recomputes due_at from due_date in the current time zone; due_at with a time
// (or null) makes it a timed follow-up again.
void task_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);

// The company's local day containing the instant `at`: [start, end) in unix seconds.
std::pair<int64_t, int64_t> company_day(store::Connection& c, int64_t at);

}  // namespace gz::modules::activity
