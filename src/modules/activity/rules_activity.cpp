// Interaction and task rules: who and when by default, the customer they belong to, and a
// task's completion time.
#include "core/clock.h"
#include "core/zoned_time.h"
#include "modules/activity/rules.h"
#include "modules/settings/company_settings.h"
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

  // Due on a day, or at a time (rules.h). The input tells which: a date alone in due_at (which
  // field validation already read as that date's midnight UTC), or due_date.
  const json& in = ctx.input;
  const bool in_due_at = in.is_object() && in.contains("due_at");
  const bool in_due_date = in.is_object() && in.contains("due_date");
  if (in_due_at && in["due_at"].is_string() && in["due_at"].get<std::string>().size() == 10)
    record["due_date"] = in["due_at"].get<std::string>();
  else if (in_due_at && !in_due_date)
    record["due_date"] = nullptr;  // a time, or no due date at all
  const json& day = record.value("due_date", json());
  if (day.is_string()) {
    try {
      zoned::Zone zone = settings::company_zone(ctx.conn);
      record["due_at"] = clock::format_utc(zone.day_end(day.get<std::string>()) - 1);
    } catch (const std::invalid_argument&) {
      errors.add("due_date", tr("'{value}' is not a date (YYYY-MM-DD)", {{"value", day.get<std::string>()}}));
    }
  }
}

std::pair<int64_t, int64_t> company_day(store::Connection& c, int64_t at) {
  zoned::Zone zone = settings::company_zone(c);
  std::string today = zone.local_date(at);
  return {zone.day_start(today), zone.day_end(today)};
}

}  // namespace gz::modules::activity
