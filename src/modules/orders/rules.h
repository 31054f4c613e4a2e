#pragma once
#include <nlohmann/json.hpp>

#include "domain/entity_rules.h"

namespace gz::modules::orders {

void product_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void order_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void order_after_write(domain::WriteContext& ctx, const nlohmann::json& record);
void order_expand(store::Connection& c, nlohmann::json& record);

}  // namespace gz::modules::orders
