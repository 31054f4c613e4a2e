// The sales module's rules (rules_sales.cpp): what RecordService runs around a write of a
// pipeline, an opportunity, a quote or a price list.
#pragma once
#include <nlohmann/json.hpp>

#include "domain/entity_rules.h"

namespace gz::modules::sales {

using domain::WriteContext;

void pipeline_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void pipeline_after_write(WriteContext& ctx, const nlohmann::json& record);
bool opportunity_line(WriteContext& ctx, const nlohmann::json& in, nlohmann::json& line, const std::string& path,
                      FieldErrors& errors);
void opportunity_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
void quote_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
// "D-2026-0007-V3" -> "D-2026-0007": the number every version of a quote shares.
std::string quote_base_number(const std::string& number);
void price_list_rules(WriteContext& ctx, nlohmann::json& record, FieldErrors& errors);
// A quote line: the product gives the description and, through the price lists, the price;
// quantity × unit price − discount is its net amount; its VAT rate is one of the French rates.
bool quote_line(WriteContext& ctx, const nlohmann::json& in, nlohmann::json& line, const std::string& path,
                FieldErrors& errors);
// After a quote is written: its number, and the opportunity's amount follows an accepted quote.
void quote_after_write(WriteContext& ctx, const nlohmann::json& record);

}  // namespace gz::modules::sales
