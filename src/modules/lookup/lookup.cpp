#include "modules/lookup/lookup.h"

#include "core/problem.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/customer_view.h"
#include "domain/record_names.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace gz::modules::lookup {

using json = nlohmann::json;

namespace {

constexpr int kMaxMatches = 20;  // per entity: a number shared by more is a switchboard

[[noreturn]] void refuse(Message m) {
  FieldErrors errors;
  errors.add("number", std::move(m));
  errors.throw_if_any();
  throw Problem(ProblemKind::Unprocessable, tr("is not a phone number"));  // not reached
}

// The digits of a number as people write it; refuses anything else than digits, spaces (also
// no-break ones), tabs, dots, dashes, slashes, brackets and one leading +.
std::string checked_digits(std::string_view s, bool& plus) {
  std::string digits;
  plus = false;
  bool any = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    if (ch >= '0' && ch <= '9') {
      digits += char(ch);
      any = true;
    } else if (ch == ' ' || ch == '\t' || ch == '.' || ch == '-' || ch == '/' || ch == '(' || ch == ')') {
    } else if (ch == '+' && !any && !plus) {
      plus = true;
    } else if (s.substr(i, 2) == "\xC2\xA0") {  // no-break space
      ++i;
    } else if (s.substr(i, 3) == "\xE2\x80\xAF") {  // narrow no-break space
      i += 2;
    } else {
      refuse(tr("is not a phone number: only digits, spaces, dots, dashes, brackets and a leading + are read"));
    }
  }
  if (digits.empty())
    refuse(tr("is not a phone number: only digits, spaces, dots, dashes, brackets and a leading + are read"));
  // Fewer than 4 digits is no one's number (the shortest plans have 4 digits after the country
  // code); more than 17 (00, a country code and 15 digits) neither.
  if (digits.size() < 4) refuse(tr("is too short for a phone number (4 digits at least)"));
  if (digits.size() > 17 || s.size() > 60) refuse(tr("is too long for a phone number (15 digits at most after the country code)"));
  return digits;
}

}  // namespace

PhoneKey phone_key(std::string_view number) {
  bool plus = false;
  std::string digits = checked_digits(number, plus);
  // The normaliser of every write path: what it accepts is stored in this very form.
  validate::PhoneResult r = validate::phone(number);
  if (r.error.empty()) return {r.e164, true};
  // Not a valid number for libphonenumber (unassigned range, short number, a foreign number
  // written without its country code): the form it would have, found in no stored record unless
  // the numbering plan changed since it was stored.
  if (plus) return {"+" + digits, false};
  if (digits.rfind("00", 0) == 0) return {"+" + digits.substr(2), false};
  if (digits[0] == '0') return {"+33" + digits.substr(1), false};
  return {"+" + digits, false};
}

json PhoneLookup::by_phone(const domain::Actor& actor, std::string_view number, int tasks, int interactions) {
  const domain::Entity& contacts = domain::entity("contacts");
  const domain::Entity& accounts = domain::entity("accounts");
  if (!domain::can_read(actor, contacts) && !domain::can_read(actor, accounts)) domain::require_read(actor, contacts);
  PhoneKey key = phone_key(number);
  json out = {{"number", std::string(number)}, {"e164", key.e164}, {"valid", key.valid},
              {"contacts", json::array()}, {"accounts", json::array()}};
  const kernel::Entity* task_entity = kernel::find_entity("tasks");
  const kernel::Entity* interaction_entity = kernel::find_entity("interactions");

  store::with_transaction(db_, false, [&](store::Connection& c) {
    // The matches, through the reader's visibility as in the lists (archived records left out).
    auto matches = [&](const domain::Entity& e, const std::string& where, const json& value) {
      store::Params p{value};
      std::string v = store::RecordStore::visibility_sql(e, "t", domain::read_scope(actor, e), p);
      return c.query("SELECT t.* FROM " + e.name + " t WHERE " + where + " AND t.archived_at IS NULL" +
                         (v.empty() ? "" : " AND " + v) + " ORDER BY t.id LIMIT " + std::to_string(kMaxMatches),
                     p);
    };
    auto describe = [&](const domain::Entity& e, const json& record) {
      json item = json::object();
      for (const char* f : {"id", "first_name", "last_name", "name", "job_title", "emails", "phones", "phone", "city",
                            "lifecycle_stage", "tier", "value_tier", "account_id", "owner_id"})
        if (e.field(f) || std::string(f) == "id") item[f] = record.value(f, json());
      item["name"] = domain::record_title(e, record);
      item["owner"] = nullptr;
      if (record.value("owner_id", json()).is_number_integer())
        if (auto u = store::UserStore::brief(c, record["owner_id"].get<int64_t>()))
          item["owner"] = json{{"id", (*u)["id"]}, {"name", (*u)["name"]}};
      json scratch;
      domain::View360 v{c, actor, e, e.singular + "_id", record["id"].get<int64_t>(), record, scratch};
      if (e.name == "contacts") {
        // The company as the 360° names it: only its id and name when the reader cannot open it.
        item["account"] = nullptr;
        if (record.value("account_id", json()).is_number_integer())
          v.linked(accounts, record["account_id"].get<int64_t>(), [&item](json a, bool restricted) {
            item["account"] = restricted ? std::move(a) : json{{"id", a["id"]}, {"name", a["name"]}};
          });
      }
      item["open_tasks"] = task_entity && task_entity->field(v.column) ? v.related("tasks", "due_at", tasks, "", true)
                                                                      : std::vector<json>{};
      item["last_interactions"] = interaction_entity && interaction_entity->field(v.column)
                                      ? v.related("interactions", "-occurred_at", interactions)
                                      : std::vector<json>{};
      return item;
    };
    // The contacts whose list holds the number, through the indexes of module.cpp.
    const bool sqlite = c.dialect().name() == "sqlite";
    const std::string in_list =
        sqlite ? "t.id IN (SELECT id FROM contacts WHERE json_extract(phones, '$[0]') = ?1"
                 " UNION SELECT id FROM contacts WHERE json_extract(phones, '$[1]') = ?1"
                 " UNION SELECT id FROM contacts WHERE json_extract(phones, '$[2]') = ?1"
                 " UNION SELECT id FROM contacts WHERE json_array_length(phones) > 3"
                 " AND EXISTS (SELECT 1 FROM json_each(phones) j WHERE j.value = ?1))"
               : "t.phones <> '[]' AND t.phones::jsonb @> ?::jsonb";
    if (domain::can_read(actor, contacts))
      for (auto& row : matches(contacts, in_list, sqlite ? json(key.e164) : json(json::array({key.e164}).dump())))
        out["contacts"].push_back(describe(contacts, store::RecordStore::to_record(contacts, std::move(row))));
    if (domain::can_read(actor, accounts))
      for (auto& row : matches(accounts, "t.phone = ?", key.e164))
        out["accounts"].push_back(describe(accounts, store::RecordStore::to_record(accounts, std::move(row))));
    return 0;
  });
  return out;
}

}  // namespace gz::modules::lookup
