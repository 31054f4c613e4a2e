// Rules of the customer file's entities, hooked into the record service by customers/module.cpp,
// and the parts the modules depending on customers share (attach_customer).
#pragma once
#include <nlohmann/json.hpp>

#include "domain/entity_rules.h"
#include "domain/search_text.h"

namespace gz::modules::customers {

using domain::WriteContext;

void contact_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
// A contact's search text holds its company's name.
std::string contact_search_body_of(store::Connection& c, const nlohmann::json& contact);
void account_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void account_after_write(WriteContext& ctx, const nlohmann::json& record);
void household_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
// Stage reason and allowed moves between lifecycle stages (contacts and accounts).
void lifecycle_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);

// For the records that belong to a customer (interactions, tasks, orders): needs a contact or
// an account when required; fills the account from the contact's company.
void attach_customer(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors, bool required);

}  // namespace gz::modules::customers
