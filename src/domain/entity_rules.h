// What RecordService runs around the generic rules for an entity: the hooks its module declared
// (kernel::EntityHooks), and the kernel's own steps for the traits it has (search index, stage
// history). No entity is named here.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/problem.h"
#include "domain/access.h"
#include "domain/schema.h"
#include "store/database.h"

namespace gz::domain {

struct WriteContext {
  store::Connection& conn;
  const Actor& actor;
  const Entity& entity;
  const nlohmann::json* before;  // stored record, null on create
  const nlohmann::json& input;   // the request body as received (for nested input)
  nlohmann::json scratch = nlohmann::json::object();  // handed from the rules to after_write
  const std::string* search_body = nullptr;  // computed beforehand (search_body()), or null
};

// After field validation, on the complete record to be stored (before + changes): fill
// defaults, check rules between fields, add what is wrong to errors.
void apply_entity_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
// After the row is written, in the same transaction (record has its id): the search index
// (searchable), the stage history (stage_history), then the entity's own after-write hook.
void after_entity_write(WriteContext& ctx, const nlohmann::json& record);
// The text the search index holds for a record of a searchable entity; nullopt for the others.
std::optional<std::string> search_body(store::Connection& c, const Entity& e, const nlohmann::json& record);
// Whether child lines given as input (an import's) are, once checked as a write would check
// them, the stored ones: a re-import that changes nothing writes nothing.
bool same_child_lines(store::Connection& c, const Actor& actor, const Entity& e, const kernel::ChildCollection& cc,
                      const std::vector<nlohmann::json>& stored, const nlohmann::json& lines);
// Adds what a read shows beyond the row (an order's lines).
void expand_record(store::Connection& c, const Entity& e, nlohmann::json& record);

}  // namespace gz::domain
