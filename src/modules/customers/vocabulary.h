// Vocabulary of the customer file shared with the modules that depend on it.
#pragma once
#include <string>
#include <vector>

#include "kernel/catalogue.h"

namespace gz::modules::customers {

// Kotler's lifecycle stages, in order.
const std::vector<kernel::Choice>& lifecycle_stages();
// Channels of a contact with a customer (interactions.channel, a contact's preferred channel).
const std::vector<kernel::Choice>& interaction_channels();
// The value tiers (gold, silver, bronze): a company's manual tier, the service levels' tiers.
const std::vector<kernel::Choice>& value_tiers();
// Channels a contact consents to be reached on.
const std::vector<kernel::Choice>& consent_channels();
// Where a prospect came from (contacts, and accounts through the sales module): referral,
// campaign, medium, web_form, other.
const std::vector<kernel::Choice>& source_types();
bool is_value(const std::vector<kernel::Choice>& choices, const std::string& value);
std::vector<std::string> values_of(const std::vector<kernel::Choice>& choices);

}  // namespace gz::modules::customers
