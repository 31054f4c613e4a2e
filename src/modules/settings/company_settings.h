// The company settings (one row of company_settings): what the company is (name, SIREN/SIRET,
// VAT number, address) and how it counts time and money (IANA time zone, default
// Europe/Paris; ISO 4217 currency, default EUR; default language, fr). Everyone reads them; an
// admin changes them, each field validated (an unknown time zone is a 422 naming time_zone).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/zoned_time.h"
#include "domain/access.h"
#include "store/database.h"

namespace gz::modules::settings {

using json = nlohmann::json;

inline constexpr const char* kDefaultTimeZone = "Europe/Paris";

class CompanySettingsService {
 public:
  explicit CompanySettingsService(store::Database& db) : db_(db) {}
  // The settings: company_name, siret, vat_number, address, postal_code, city, country,
  // time_zone, currency, language, version, updated_at, updated_by.
  json get();
  // Changes the fields given (admin only: 403 otherwise); every wrong field reported at once
  // (422); if_match: the version read (412 when someone changed them since).
  json update(const domain::Actor& actor, const json& patch, std::optional<int64_t> if_match);

 private:
  store::Database& db_;
};

// The settings row read in the caller's transaction (defaults when the row is missing).
json read_company_settings(store::Connection& c);
// The company's time zone, in the caller's transaction: its IANA id, and the zone to compute
// local days with (Europe/Paris when unset or unknown to this ICU).
std::string company_time_zone(store::Connection& c);
zoned::Zone company_zone(store::Connection& c);
// Today's date (YYYY-MM-DD) where the company is.
std::string company_today(store::Connection& c);

// Checks and normalises the patch's values; unknown keys are refused by the caller.
void validate_company_patch(json& patch, FieldErrors& errors);

}  // namespace gz::modules::settings
