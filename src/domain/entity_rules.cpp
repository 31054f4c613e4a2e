#include "domain/entity_rules.h"

#include "store/history_store.h"
#include "store/record_store.h"

namespace gz::domain {

using json = nlohmann::json;

namespace {

// The record's search text, given or computed. (The previous row is deleted even for a new
// record: a row left by a record deleted outside Gazelle would otherwise make the insert fail.)
void write_record_search(WriteContext& ctx, const json& record) {
  std::string body = ctx.search_body ? *ctx.search_body : search_body(ctx.conn, ctx.entity, record).value_or("");
  store::RecordStore::write_search(ctx.conn, ctx.entity, record["id"].get<int64_t>(), body);
}

void record_stage_change(WriteContext& ctx, const json& record) {
  json stage = record.value("lifecycle_stage", json());
  json old = ctx.before ? ctx.before->value("lifecycle_stage", json()) : json();
  if (stage.is_string() && stage != old)
    store::HistoryStore::append_stage(ctx.conn, ctx.entity.name, record["id"].get<int64_t>(), stage.get<std::string>(),
                                      record.value("stage_reason", json()), ctx.actor.user_id);
}

}  // namespace

void apply_entity_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  if (ctx.entity.hooks.rules) ctx.entity.hooks.rules(ctx, record, errors);
}

void after_entity_write(WriteContext& ctx, const json& record) {
  if (ctx.entity.searchable) write_record_search(ctx, record);
  if (ctx.entity.stage_history) record_stage_change(ctx, record);
  if (ctx.entity.hooks.after_write) ctx.entity.hooks.after_write(ctx, record);
}

std::optional<std::string> search_body(store::Connection& c, const Entity& e, const json& record) {
  if (!e.searchable || !e.hooks.search_body) return std::nullopt;
  return e.hooks.search_body(c, record);
}

void expand_record(store::Connection& c, const Entity& e, json& record) {
  if (e.hooks.expand) e.hooks.expand(c, record);
}

}  // namespace gz::domain
