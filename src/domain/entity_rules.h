// Rules particular to one entity, called by RecordService around the generic ones. Each entity
// has its own file (rules_contacts.cpp, rules_accounts.cpp, …); the functions here dispatch on
// the entity's name.
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
// After the row is written, in the same transaction (record has its id).
void after_entity_write(WriteContext& ctx, const nlohmann::json& record);
// The text the search index holds for a record of a searchable entity (contacts, accounts,
// households); nullopt for the others. Reads only (a contact's company name).
std::optional<std::string> search_body(store::Connection& c, const Entity& e, const nlohmann::json& record);
// Adds what a read shows beyond the row (an order's lines).
void expand_record(store::Connection& c, const Entity& e, nlohmann::json& record);

// Per-entity parts, one file each.
void contact_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void contact_after_write(WriteContext& ctx, const nlohmann::json& record);
// The search index row of the record just written (after_write of searchable entities).
void write_record_search(WriteContext& ctx, const nlohmann::json& record);
void account_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void account_after_write(WriteContext& ctx, const nlohmann::json& record);
void household_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void household_after_write(WriteContext& ctx, const nlohmann::json& record);
void interaction_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void task_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void order_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void order_after_write(WriteContext& ctx, const nlohmann::json& record);
void order_expand(store::Connection& c, nlohmann::json& record);

// Shared by interactions, tasks and orders: needs a contact or an account (when required);
// fills the account from the contact's company.
void attach_customer(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors, bool required);
// Shared by contacts and accounts: stage reason and allowed moves, stage history.
void lifecycle_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void record_stage_change(WriteContext& ctx, const nlohmann::json& record);

}  // namespace gz::domain
