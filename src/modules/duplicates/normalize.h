// Normalisation of customer data for matching. The stored values stay as the user typed them;
// these functions derive the comparable forms (all pure and thread-safe):
//   names      case- and accent-folded with ICU (text::fold), punctuation to spaces, particles kept
//   e-mails    trimmed and lower-cased
//   phones     E.164 (libphonenumber, national numbers read as French), digits only
//   postcodes  upper-cased letters and digits only ("75 008" -> "75008", "sw1a 1aa" -> "SW1A1AA")
//   company ids  SIREN: the 9 first digits of a SIRET or SIREN; other ids: letters and digits
//   addresses  folded words, street types abbreviated (rue -> r, avenue -> av, street -> st …),
//              numbers kept as tokens, French/English number words ("bis", "ter") attached
//   dates      "YYYY-MM-DD" or "YYYYMMDD" -> "YYYYMMDD"
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace gz::matching {

std::string norm_name(std::string_view s);
std::string norm_email(std::string_view s);
// "" when the text is not a phone number.
std::string norm_phone(std::string_view s, const std::string& default_region = "FR");
std::string norm_postcode(std::string_view s);
std::string norm_identifier(std::string_view s);
std::string norm_company_id(std::string_view s);
// Company name without legal form and filler words ("SARL Dupont & Fils" -> "dupont fils").
std::string norm_company_name(std::string_view s);
// Address tokens joined by one space ("12, Avenue des Champs-Élysées" -> "12 av des champs elysees").
std::string norm_address(std::string_view s);
std::vector<std::string> address_tokens(std::string_view normalised);
// "" when not a date in one of the accepted forms.
std::string norm_date(std::string_view s);
// Web site or e-mail domain: "https://www.Dupont.fr/contact" -> "dupont.fr".
std::string norm_domain(std::string_view s);

}  // namespace gz::matching
