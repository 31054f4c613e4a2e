// Amounts in the company's currency. An opportunity carries its own currency (EUR by default);
// the board, the forecast and the results add amounts up in the company's currency
// (settings), converted at the rate recorded for that currency (`exchange_rates`: units of the
// company's currency for one unit of the other, valid from a date). The converted amount is
// kept on the row (opportunities.company_amount_cents), recomputed at each write of the
// opportunity at the rate valid on that day (its closing day once won or lost).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "domain/entity_rules.h"
#include "store/database.h"

namespace gz::modules::sales {

// "0,9231" or "0.9231" (up to 6 decimals, above 0, below a million) in millionths; nullopt otherwise.
std::optional<int64_t> rate_millionths(std::string_view text);

// cents × rate, rounded half away from zero.
int64_t convert_cents(int64_t cents, int64_t rate_millionths);

// The company's currency (settings; EUR by default).
std::string company_currency(store::Connection& c);

// `cents` of `currency` in the company's currency at the latest rate valid on `date`
// (YYYY-MM-DD); nullopt when no rate is recorded for it.
std::optional<int64_t> in_company_currency(store::Connection& c, int64_t cents, const std::string& currency,
                                           const std::string& date);

// exchange_rates' rules: a decimal rate, stored as written with a dot; not the company's own
// currency; one rate per currency and day.
void exchange_rate_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);

// The opportunity's amount in the company's currency: computed in its rules (a 422 on
// `currency` when no rate is recorded) and written after the row.
void company_amount_rules(domain::WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void company_amount_after_write(domain::WriteContext& ctx, const nlohmann::json& record);

}  // namespace gz::modules::sales
