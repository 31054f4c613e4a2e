// Interaction and task rules: who and when by default, the customer they belong to, and a
// task's completion time.
#include "core/clock.h"
#include "modules/activity/rules.h"
#include "modules/customers/rules.h"
#include "store/record_store.h"

namespace gz::modules::activity {

using namespace gz::domain;
using customers::attach_customer;
using json = nlohmann::json;

void interaction_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  attach_customer(ctx, record, errors, true);
  if (record.value("occurred_at", json()).is_null()) record["occurred_at"] = clock::now_utc();
  if (record.value("user_id", json()).is_null() && ctx.actor.user_id > 0 && !ctx.before)
    record["user_id"] = ctx.actor.user_id;
  json d = record.value("duration_seconds", json());
  if (d.is_number_integer() && (d.get<int64_t>() < 0 || d.get<int64_t>() > 7 * 24 * 3600))
    errors.add("duration_seconds", "must be from 0 to 604800 (one week)");
}

void task_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  attach_customer(ctx, record, errors, false);
  if (!ctx.before && record.value("assignee_id", json()).is_null() && ctx.actor.user_id > 0)
    record["assignee_id"] = ctx.actor.user_id;
  std::string status = record.value("status", json("open")).is_string() ? record.value("status", std::string("open")) : "open";
  if (status == "done" && record.value("completed_at", json()).is_null()) record["completed_at"] = clock::now_utc();
  if (status == "open") record["completed_at"] = nullptr;
}

}  // namespace gz::modules::activity
