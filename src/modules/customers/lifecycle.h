// Kotler's lifecycle stages of a customer and the moves allowed between them.
#pragma once
#include <optional>
#include <string>

#include "core/message.h"

namespace gz::modules::customers {

bool is_customer_stage(const std::string& stage);  // new_customer … partner
bool stage_needs_reason(const std::string& stage);  // disqualified, inactive
// nullopt when moving from `from` to `to` is allowed, else why not (naming the stages by their labels).
std::optional<Message> stage_transition_error(const std::string& from, const std::string& to);

}  // namespace gz::modules::customers
