#pragma once
#include <nlohmann/json.hpp>

#include "domain/entity_rules.h"

namespace gz::modules::orders {

void product_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void order_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
bool order_line(domain::WriteContext& ctx, const nlohmann::json& in, nlohmann::json& line, const std::string& path,
                FieldErrors& errors);

}  // namespace gz::modules::orders
