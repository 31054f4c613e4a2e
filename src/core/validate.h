// Validation of the values a CRM receives from people: e-mail addresses, French company
// identifiers, phone numbers, dates. Each function is pure and thread-safe; a failed check
// returns an explanation to show next to the field, success returns std::nullopt.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/message.h"

namespace gz::validate {

std::optional<std::string> email(std::string_view value);

// SIREN (9 digits) or SIRET (14 digits) with the Luhn key; spaces are allowed in input.
// La Poste's establishments (SIREN 356000000) use their own key rule and are accepted.
std::optional<std::string> siren_or_siret(std::string_view value);
bool luhn_valid(std::string_view digits);

struct PhoneResult {
  std::string e164;  // set when valid
  Message error;     // set when invalid: too short, too long, not in use, not a number
};
// Parses and validates a number with libphonenumber; national numbers are read in default_region.
// Written as people write them: "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78",
// "0612345678", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78", with no-break
// spaces or tabs between the groups (a spreadsheet's number format), and without the leading 0
// that a spreadsheet drops ("612345678").
PhoneResult phone(std::string_view value, const std::string& default_region = "FR");
// National form of an E.164 number without spaces, e.g. "+33612345678" -> "0612345678".
std::string phone_national_digits(const std::string& e164);

// ISO 8601 date "YYYY-MM-DD"; returns the canonical form or nullopt.
std::optional<std::string> iso_date(std::string_view value);
// ISO 8601 date-time with an offset or Z (or a bare date, taken as midnight UTC); returns it
// converted to UTC as "YYYY-MM-DDTHH:MM:SSZ", or nullopt.
std::optional<std::string> iso_datetime_utc(std::string_view value);

}  // namespace gz::validate
