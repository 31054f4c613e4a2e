#include "modules/settings/company_settings.h"

#include <unicode/ucurr.h>

#include <algorithm>
#include <tuple>
#include <vector>
#include <cctype>

#include "core/clock.h"
#include "core/problem.h"
#include "core/text.h"
#include "core/validate.h"

namespace gz::modules::settings {

namespace {

const char* kColumns =
    "company_name, siret, vat_number, address, postal_code, city, country, time_zone, currency, language, version, "
    "updated_at, updated_by";

json defaults() {
  return {{"company_name", nullptr}, {"siret", nullptr},   {"vat_number", nullptr}, {"address", nullptr},
          {"postal_code", nullptr},  {"city", nullptr},    {"country", "FR"},       {"time_zone", kDefaultTimeZone},
          {"currency", "EUR"},       {"language", "fr"},   {"version", 0},          {"updated_at", nullptr},
          {"updated_by", nullptr}};
}

// The French and English name of each field, for the messages that name it.
Message label(const std::string& field) {
  static const std::vector<std::tuple<std::string, std::string, std::string>> labels = {
      {"company_name", "Raison sociale", "Company name"},
      {"siret", "SIREN ou SIRET", "SIREN or SIRET"},
      {"vat_number", "Numéro de TVA intracommunautaire", "VAT number"},
      {"address", "Adresse", "Address"},
      {"postal_code", "Code postal", "Postal code"},
      {"city", "Ville", "City"},
      {"country", "Pays", "Country"},
      {"time_zone", "Fuseau horaire", "Time zone"},
      {"currency", "Devise", "Currency"},
      {"language", "Langue par défaut", "Default language"},
  };
  for (const auto& [k, fr, en] : labels)
    if (k == field) return Message::both(fr, en);
  return Message::verbatim(field);
}

std::string upper_without_spaces(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '.' && c != '-')
      out += char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool known_currency(const std::string& code) {
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return false;
  UChar u[4] = {UChar(code[0]), UChar(code[1]), UChar(code[2]), 0};
  UErrorCode status = U_ZERO_ERROR;
  // A code ICU's currency data knows as legal tender at some time (EUR, USD, CHF; not "EUX").
  UBool ok = ucurr_isAvailable(u, U_DATE_MIN, U_DATE_MAX, &status);
  return U_SUCCESS(status) && ok;
}

// An intra-community VAT number: two letters then 2–13 letters or digits; a French one is FR,
// a two-digit key and the SIREN, the key being (12 + 3 × (SIREN mod 97)) mod 97.
bool valid_vat(const std::string& v) {
  if (v.size() < 4 || v.size() > 15 || !std::isalpha(static_cast<unsigned char>(v[0])) ||
      !std::isalpha(static_cast<unsigned char>(v[1])) ||
      !std::all_of(v.begin() + 2, v.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
    return false;
  if (v.compare(0, 2, "FR") != 0) return true;
  if (v.size() != 13) return false;
  std::string siren = v.substr(4);
  if (!std::all_of(siren.begin(), siren.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return true;  // FR followed by letters in the key: the new-style keys are not checked
  if (!std::isdigit(static_cast<unsigned char>(v[2])) || !std::isdigit(static_cast<unsigned char>(v[3]))) return true;
  int64_t n = std::stoll(siren);
  int key = std::stoi(v.substr(2, 2));
  return key == int((12 + 3 * (n % 97)) % 97);
}

}  // namespace

void validate_company_patch(json& patch, FieldErrors& errors) {
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& k = it.key();
    json& v = it.value();
    if (!v.is_null() && !v.is_string()) {
      errors.add(k, label(k), tr("must be a string or null"));
      continue;
    }
    std::string s = v.is_string() ? text::trim(v.get<std::string>()) : "";
    if (v.is_string()) v = s;
    const bool required = k == "time_zone" || k == "currency" || k == "language" || k == "country";
    if (s.empty()) {
      if (required) errors.add(k, label(k), tr("is required"));
      else v = nullptr;
      continue;
    }
    if (s.size() > (k == "address" ? 500u : 200u)) {
      errors.add(k, label(k), tr("must be at most {max} characters", {{"max", k == "address" ? 500 : 200}}));
      continue;
    }
    if (k == "time_zone") {
      if (!zoned::is_known_zone(s))
        errors.add(k, label(k), tr("'{value}' is not a known time zone (e.g. Europe/Paris)", {{"value", s.substr(0, 64)}}));
    } else if (k == "currency") {
      std::string c = upper_without_spaces(s);
      if (!known_currency(c))
        errors.add(k, label(k), tr("'{value}' is not an ISO 4217 currency code (e.g. EUR)", {{"value", s.substr(0, 20)}}));
      else
        v = c;
    } else if (k == "language") {
      if (s != "fr" && s != "en") errors.add(k, label(k), tr("must be fr or en"));
    } else if (k == "country") {
      std::string c = upper_without_spaces(s);
      if (c.size() != 2 || !std::all_of(c.begin(), c.end(), [](char x) { return x >= 'A' && x <= 'Z'; }))
        errors.add(k, label(k), tr("'{value}' is not an ISO 3166 country code (e.g. FR)", {{"value", s.substr(0, 20)}}));
      else
        v = c;
    } else if (k == "siret") {
      if (auto err = validate::siren_or_siret(s)) errors.add(k, label(k), *err);
      else v = upper_without_spaces(s);
    } else if (k == "vat_number") {
      std::string c = upper_without_spaces(s);
      if (!valid_vat(c)) errors.add(k, label(k), tr("'{value}' is not a valid VAT number (e.g. FR40303265045)", {{"value", s.substr(0, 20)}}));
      else v = c;
    }
  }
}

json read_company_settings(store::Connection& c) {
  json row = c.query_one(std::string("SELECT ") + kColumns + " FROM company_settings WHERE id = 1");
  if (row.is_null()) return defaults();
  return row;
}

std::string company_time_zone(store::Connection& c) {
  json row = c.query_one("SELECT time_zone FROM company_settings WHERE id = 1");
  std::string tz = row.is_object() && row["time_zone"].is_string() ? row["time_zone"].get<std::string>() : "";
  return zoned::is_known_zone(tz) ? tz : kDefaultTimeZone;
}

zoned::Zone company_zone(store::Connection& c) { return zoned::Zone(company_time_zone(c)); }

json CompanySettingsService::get() {
  return store::with_transaction(db_, false, [&](store::Connection& c) { return read_company_settings(c); });
}

std::string company_today(store::Connection& c) { return company_zone(c).local_date(clock::now_unix()); }

json CompanySettingsService::update(const domain::Actor& actor, const json& patch_in, std::optional<int64_t> if_match) {
  if (!actor.is_admin()) throw Problem(ProblemKind::Forbidden, tr("only admins change the company settings"));
  if (!patch_in.is_object()) throw Problem(ProblemKind::BadRequest, tr("the body must be a JSON object"));
  json patch = patch_in;
  for (auto it = patch.begin(); it != patch.end(); ++it)
    if (it.key() == "version" || it.key() == "updated_at" || it.key() == "updated_by" ||
        defaults().count(it.key()) == 0)
      throw Problem(ProblemKind::BadRequest, tr("unknown setting '{key}'", {{"key", it.key().substr(0, 60)}}),
                    {{it.key().substr(0, 60), tr("unknown setting"), {}}});
  FieldErrors errors;
  validate_company_patch(patch, errors);
  errors.throw_if_any();
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    // No row yet: the defaults, version 0, until this first write creates it.
    json before = c.query_one("SELECT version FROM company_settings WHERE id = 1");
    int64_t version = before.is_null() ? 0 : before["version"].get<int64_t>();
    if (if_match && *if_match != version)
      throw Problem(ProblemKind::PreconditionFailed,
                    tr("the company settings were changed by someone else: reload them before saving"));
    if (before.is_null())  // two first writes at once: the second updates nothing below, hence 412
      c.execute("INSERT INTO company_settings (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
    std::string sql = "UPDATE company_settings SET ";
    store::Params p;
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      sql += it.key() + " = ?, ";  // one of the known columns (checked above)
      p.push_back(it.value());
    }
    sql += "version = version + 1, updated_at = ?, updated_by = ? WHERE id = 1 AND version = ?";
    p.push_back(clock::now_utc());
    p.push_back(actor.user_id > 0 ? json(actor.user_id) : json());
    p.push_back(version);
    if (c.execute(sql, p) != 1)
      throw Problem(ProblemKind::PreconditionFailed,
                    tr("the company settings were changed by someone else: reload them before saving"));
    return read_company_settings(c);
  });
}

}  // namespace gz::modules::settings
