// The service desk's enumerations, with their French labels: one list each, used by the
// entities, the replay and the dashboard.
#pragma once
#include <string>
#include <vector>

#include "kernel/catalogue.h"
#include "modules/customers/vocabulary.h"

namespace gz::modules::service {

const std::vector<kernel::Choice>& case_types();       // information, complaint, assistance, intervention
const std::vector<kernel::Choice>& case_statuses();    // new, open, waiting_customer, waiting_third_party, solved, closed, reopened
const std::vector<kernel::Choice>& case_priorities();  // low, normal, high, urgent
const std::vector<kernel::Choice>& case_channels();    // phone, email, web, api, in_person
using customers::value_tiers;                          // gold, silver, bronze (customers' vocabulary)
const std::vector<kernel::Choice>& sla_states();       // none, running, warning, paused, met, breached
const std::vector<kernel::Choice>& availabilities();   // available, busy, away, offline

// The French (or English) label of a value of one of these lists; the value itself when unknown.
std::string choice_label(const std::vector<kernel::Choice>& list, const std::string& value, const std::string& lang = "fr");

// A case is open (its clocks may run) unless solved or closed.
bool is_open_status(const std::string& status);
// The priority's rank for sorting (urgent first): urgent 0, high 1, normal 2, low 3.
int priority_rank(const std::string& priority);

}  // namespace gz::modules::service
