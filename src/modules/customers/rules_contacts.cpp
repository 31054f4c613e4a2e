// Contact rules: lifecycle stage with reason and dated history, source, contact preferences
// and per-channel consent; the search index follows every change.
#include <algorithm>

#include "core/clock.h"
#include "core/text.h"
#include "core/validate.h"
#include "modules/customers/lifecycle.h"
#include "modules/customers/rules.h"
#include "modules/customers/vocabulary.h"
#include "domain/search_text.h"
#include "store/record_store.h"
#include "modules/customers/customer_store.h"

namespace gz::modules::customers {

using namespace gz::domain;
using json = nlohmann::json;

namespace {

bool one_of(const json& v, std::initializer_list<const char*> values) {
  if (!v.is_string()) return false;
  for (const char* s : values) if (v.get<std::string>() == s) return true;
  return false;
}

void check_preferences(const json& prefs, FieldErrors& errors) {
  for (auto it = prefs.begin(); it != prefs.end(); ++it) {
    const std::string& k = it.key();
    std::string path = "preferences." + k;
    const json& v = it.value();
    if (v.is_null()) continue;
    if (k == "channel") {
      if (!v.is_string() || !is_value(interaction_channels(), v.get<std::string>()))
        errors.add(path, "must be a channel: email, phone, sms, letter, meeting, …");
    } else if (k == "frequency") {
      if (!one_of(v, {"high", "spaced"})) errors.add(path, "must be high or spaced");
    } else if (k == "frequency_cap_per_month") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 100)
        errors.add(path, "must be an integer from 0 to 100 (contacts per month at most)");
    } else if (k == "initiative") {
      if (!one_of(v, {"waits", "initiates"})) errors.add(path, "must be waits (waits to be contacted) or initiates");
    } else if (k == "autonomy") {
      if (!one_of(v, {"autonomous", "accompanied"})) errors.add(path, "must be autonomous or accompanied");
    } else {
      errors.add(path, "unknown preference; use channel, frequency, frequency_cap_per_month, initiative, autonomy");
    }
  }
}

// consent: {email: {status, date, origin}, …}; a date defaults to now, an origin to who entered it.
void check_consent(json& consent, const json* before_consent, const Actor& actor, FieldErrors& errors) {
  for (auto it = consent.begin(); it != consent.end(); ++it) {
    const std::string& ch = it.key();
    std::string path = "consent." + ch;
    if (!is_value(consent_channels(), ch)) {
      errors.add(path, "unknown channel; consent is given per channel: email, phone, sms, post");
      continue;
    }
    json& c = it.value();
    if (c.is_string()) c = json{{"status", c}};
    if (!c.is_object()) { errors.add(path, "must be an object {status, date, origin}"); continue; }
    for (auto f = c.begin(); f != c.end(); ++f)
      if (f.key() != "status" && f.key() != "date" && f.key() != "origin")
        errors.add(path + "." + f.key(), "unknown; use status, date, origin");
    if (!one_of(c.value("status", json()), {"granted", "denied"}))
      errors.add(path + ".status", "must be granted or denied");
    bool same_as_before = before_consent && before_consent->contains(ch) &&
                          (*before_consent)[ch].value("status", json()) == c.value("status", json());
    if (c.value("date", json()).is_null()) {
      c["date"] = same_as_before ? (*before_consent)[ch].value("date", json(clock::now_utc())) : json(clock::now_utc());
    } else if (!c["date"].is_string() || !validate::iso_datetime_utc(c["date"].get<std::string>())) {
      errors.add(path + ".date", "must be an ISO 8601 date or date-time");
    } else {
      c["date"] = *validate::iso_datetime_utc(c["date"].get<std::string>());
    }
    if (c.value("origin", json()).is_null()) {
      c["origin"] = same_as_before ? (*before_consent)[ch].value("origin", json("")) 
                                   // A code, shown in words by the catalogue's label of "entered by {name}"
                                   // (module.cpp, consent_members): "Saisi par Marie Dupont".
                                   : json(actor.user_id > 0 ? "entered by " + actor.name : "system");
    } else if (!c["origin"].is_string() || text::length(c["origin"].get<std::string>()) > 200) {
      errors.add(path + ".origin", "must be a text of at most 200 characters (e.g. web form, phone call)");
    }
  }
}

// identifiers: {name: value}; a number is kept as its digits (leading zeros must be quoted).
void check_identifiers(json& ids, FieldErrors& errors) {
  for (auto it = ids.begin(); it != ids.end(); ++it) {
    std::string path = "identifiers." + it.key();
    json& v = it.value();
    if (it.key().empty() || text::length(it.key()) > 50) errors.add("identifiers", "each identifier needs a name of 1 to 50 characters");
    if (v.is_number_integer()) v = std::to_string(v.get<int64_t>());
    if (!v.is_string() || text::trim(v.get<std::string>()).empty() || text::length(v.get<std::string>()) > 100)
      errors.add(path, "must be a non-empty text of at most 100 characters");
    else v = text::trim(v.get<std::string>());
  }
}

}  // namespace

void contact_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  if (!record.value("lifecycle_stage", json()).is_string()) record["lifecycle_stage"] = "suspect";
  lifecycle_rules(ctx, record, errors);
  json prefs = record.value("preferences", json::object());
  if (prefs.is_object()) check_preferences(prefs, errors);
  if (record.contains("consent") && record["consent"].is_object()) {
    const json* before_consent = ctx.before && (*ctx.before)["consent"].is_object() ? &(*ctx.before)["consent"] : nullptr;
    check_consent(record["consent"], before_consent, ctx.actor, errors);
  }
  if (record.contains("identifiers") && record["identifiers"].is_object()) check_identifiers(record["identifiers"], errors);
  json birth = record.value("birth_date", json());
  if (birth.is_string() && (birth.get<std::string>() < "1880-01-01" || birth.get<std::string>() > clock::now_utc().substr(0, 10)))
    errors.add("birth_date", tr("'{value}' is not a plausible birth date (from 1880 to today)", {{"value", birth.get<std::string>()}}));
  json src = record.value("source_type", json());
  if (src == "referral" && record.value("source_contact_id", json()).is_null())
    errors.add("source_contact_id", "is required when source_type is referral (who referred this person?)");
  if (ctx.before && record.value("source_contact_id", json()) == (*ctx.before)["id"])
    errors.add("source_contact_id", "a contact cannot refer themselves");
}

std::string contact_search_body_of(store::Connection& c, const json& record) {
  std::string account_name;
  if (record.value("account_id", json()).is_number_integer())
    account_name = store::CustomerStore::account_name(c, record["account_id"].get<int64_t>()).value_or("");
  return contact_search_body(record, account_name);
}

}  // namespace gz::modules::customers
