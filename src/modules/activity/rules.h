#pragma once
#include <nlohmann/json.hpp>

#include "domain/entity_rules.h"

namespace gz::modules::activity {

void interaction_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void task_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);

}  // namespace gz::modules::activity
