// Interaction and task rules: who and when by default, the customer they belong to, and a
// task's completion time.
#include "core/clock.h"
#include "domain/entity_rules.h"
#include "store/record_store.h"

namespace gz::domain {

using json = nlohmann::json;

// An activity or order belongs to a contact or an account; a contact's company is filled in.
void attach_customer(WriteContext& ctx, json& record, FieldErrors& errors, bool required) {
  json contact = record.value("contact_id", json()), account = record.value("account_id", json());
  if (contact.is_null() && account.is_null()) {
    if (required) errors.add("contact_id", "an " + ctx.entity.singular + " needs a contact_id or an account_id");
    return;
  }
  if (contact.is_number_integer() && account.is_null()) {
    auto c = store::RecordStore::find(ctx.conn, entity("contacts"), contact.get<int64_t>(), store::Scope{});
    if (c && (*c)["account_id"].is_number_integer()) record["account_id"] = (*c)["account_id"];
  }
}

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

}  // namespace gz::domain
