// The sales module's value lists (enum values and their labels), shared by its entities, rules
// and documents.
#pragma once
#include <vector>

#include "kernel/catalogue.h"

namespace gz::modules::sales {

const std::vector<kernel::Choice>& stage_outcomes();       // open, won, lost
const std::vector<kernel::Choice>& forecast_categories();  // commit, best_case, pipeline, omitted
const std::vector<kernel::Choice>& lead_sources();         // web_form, referral, campaign…
const std::vector<kernel::Choice>& vat_rate_choices();     // "20", "10", "5.5", "2.1", "0"
// Why a 0 % line carries no VAT, with the wording French law asks on the document.
const std::vector<kernel::Choice>& vat_exemption_choices();
// Where a quote line's price comes from: manual, customer_list, tier_list, segment_list,
// chosen_list, general_list, catalogue.
const std::vector<kernel::Choice>& price_sources();

}  // namespace gz::modules::sales
