#include "domain/entity_rules.h"

#include "domain/lifecycle.h"
#include "domain/search_text.h"
#include "store/history_store.h"
#include "store/record_store.h"

namespace gz::domain {

using json = nlohmann::json;

void apply_entity_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  const std::string& n = ctx.entity.name;
  if (n == "contacts") contact_rules(ctx, record, errors);
  else if (n == "accounts") account_rules(ctx, record, errors);
  else if (n == "households") household_rules(ctx, record, errors);
  else if (n == "interactions") interaction_rules(ctx, record, errors);
  else if (n == "tasks") task_rules(ctx, record, errors);
  else if (n == "orders") order_rules(ctx, record, errors);
  else if (n == "products") {
    // The margin rate the profitability analysis applies to the product's order lines.
    const json& m = record.value("margin_bp", json());
    if (!m.is_null() && (!m.is_number_integer() || m.get<int64_t>() < 0 || m.get<int64_t>() > 10000))
      errors.add("margin_bp", "must be an integer from 0 to 10000 basis points (3750 = 37.5 %)");
  }
}

void after_entity_write(WriteContext& ctx, const json& record) {
  const std::string& n = ctx.entity.name;
  if (n == "contacts") contact_after_write(ctx, record);
  else if (n == "accounts") account_after_write(ctx, record);
  else if (n == "households") household_after_write(ctx, record);
  else if (n == "orders") order_after_write(ctx, record);
}

std::optional<std::string> search_body(store::Connection& c, const Entity& e, const json& record) {
  if (e.name == "contacts") {
    std::string account_name;
    if (record.value("account_id", json()).is_number_integer())
      account_name = store::CustomerStore::account_name(c, record["account_id"].get<int64_t>()).value_or("");
    return contact_search_body(record, account_name);
  }
  if (e.name == "accounts") return account_search_body(record);
  if (e.name == "households") return household_search_body(record);
  return std::nullopt;
}

// The record's search text, given or computed. (The previous row is deleted even for a new
// record: a row left by a record deleted outside Gazelle would otherwise make the insert fail.)
void write_record_search(WriteContext& ctx, const json& record) {
  std::string body = ctx.search_body ? *ctx.search_body : search_body(ctx.conn, ctx.entity, record).value_or("");
  store::RecordStore::write_search(ctx.conn, ctx.entity, record["id"].get<int64_t>(), body);
}

void expand_record(store::Connection& c, const Entity& e, json& record) {
  if (e.name == "orders") order_expand(c, record);
}

void lifecycle_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  std::string stage = record.value("lifecycle_stage", json()).is_string() ? record["lifecycle_stage"].get<std::string>() : "";
  std::string from;
  if (ctx.before && (*ctx.before).value("lifecycle_stage", json()).is_string())
    from = (*ctx.before)["lifecycle_stage"].get<std::string>();
  if (!stage.empty() && !from.empty())
    if (auto err = stage_transition_error(from, stage)) errors.add("lifecycle_stage", *err);
  if (stage_needs_reason(stage) && !record.value("stage_reason", json()).is_string())
    errors.add("stage_reason", "is required when lifecycle_stage is " + stage +
                                   (stage == "disqualified" ? " (e.g. cannot afford, would not be profitable)"
                                                            : " (e.g. bankruptcy, moved, dissatisfied)"));
  if (!stage_needs_reason(stage) && ctx.input.contains("lifecycle_stage") && !ctx.input.contains("stage_reason"))
    record["stage_reason"] = nullptr;  // a reason belongs to the stage it explained
}

void record_stage_change(WriteContext& ctx, const json& record) {
  json stage = record.value("lifecycle_stage", json());
  json old = ctx.before ? ctx.before->value("lifecycle_stage", json()) : json();
  if (stage.is_string() && stage != old)
    store::HistoryStore::append_stage(ctx.conn, ctx.entity.name, record["id"].get<int64_t>(), stage.get<std::string>(),
                                      record.value("stage_reason", json()), ctx.actor.user_id);
}

}  // namespace gz::domain
