// What the full-text index holds for a record, and how a user's query is read. Both sides go
// through text::fold so that "helene lefevre" finds "Hélène Lefèvre"; phone numbers are indexed
// as E.164 digits and as national digits, and a query that looks like a phone number is parsed
// the same way, so "06 12 34 56 78", "+33612345678" and "0033 6 12 34 56 78" find one contact.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gz::domain {

// Index body of a contact (with its company's name), an account or a household.
std::string contact_search_body(const nlohmann::json& contact, const std::string& account_name);
std::string account_search_body(const nlohmann::json& account);
std::string household_search_body(const nlohmann::json& household);

// Query -> groups of alternative prefixes, all groups required (see store::ListQuery::search).
// Empty when the query holds no searchable word.
std::vector<std::vector<std::string>> parse_search_query(const std::string& q);

}  // namespace gz::domain
