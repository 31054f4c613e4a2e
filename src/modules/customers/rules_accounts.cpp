// Account and household rules: French legal identifiers, lifecycle stage, search index.
#include "core/text.h"
#include "core/validate.h"
#include "modules/customers/rules.h"
#include "domain/search_text.h"
#include "store/record_store.h"
#include "modules/customers/customer_store.h"

namespace gz::modules::customers {

using namespace gz::domain;
using json = nlohmann::json;

void account_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  json legal = record.value("legal_id", json());
  std::string country = record.value("country", json("FR")).is_string() ? record.value("country", std::string("FR")) : "FR";
  if (legal.is_string() && country == "FR") {
    if (auto err = validate::siren_or_siret(legal.get<std::string>())) errors.add("legal_id", *err);
    else record["legal_id"] = text::digits_only(legal.get<std::string>());
  }
  lifecycle_rules(ctx, record, errors);
}

void account_after_write(WriteContext& ctx, const json& record) {
  int64_t id = record["id"].get<int64_t>();
  // Contacts are found by their company's name: re-index them when it changes.
  if (ctx.before && (*ctx.before)["name"] != record["name"]) {
    const Entity& contacts = entity("contacts");
    for (int64_t cid : store::CustomerStore::contact_ids_of_account(ctx.conn, id)) {
      auto c = store::RecordStore::find(ctx.conn, contacts, cid, store::Scope{});
      if (c) store::RecordStore::write_search(ctx.conn, contacts, cid, contact_search_body(*c, record["name"]));
    }
  }
}

void household_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  json size = record.value("size", json());
  if (size.is_number_integer() && (size.get<int64_t>() < 1 || size.get<int64_t>() > 50))
    errors.add("size", "must be from 1 to 50 people");
}

}  // namespace gz::modules::customers
