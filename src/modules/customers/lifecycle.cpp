#include "modules/customers/lifecycle.h"

#include "modules/customers/rules.h"
#include "store/record_store.h"

namespace gz::modules::customers {

using namespace gz::domain;

bool is_customer_stage(const std::string& s) {
  return s == "new_customer" || s == "regular_customer" || s == "customer" || s == "advocate" || s == "partner";
}

bool stage_needs_reason(const std::string& s) { return s == "disqualified" || s == "inactive"; }

std::optional<std::string> stage_transition_error(const std::string& from, const std::string& to) {
  if (from.empty() || from == to) return std::nullopt;
  bool back_to_pre_sale = to == "suspect" || to == "prospect" || to == "disqualified";
  if (back_to_pre_sale && (is_customer_stage(from) || from == "inactive"))
    return "cannot go from " + from + " back to " + to +
           ": a customer who has bought stays a customer; mark them inactive with a reason instead";
  if (from == "inactive" && to != "inactive" && !is_customer_stage(to))
    return "an inactive customer can only come back as a customer stage (won back)";
  return std::nullopt;
}

using json = nlohmann::json;

// On contacts and accounts: a move between stages must be allowed; disqualified and inactive
// need a reason, which belongs to the stage it explained.
void lifecycle_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  std::string stage = record.value("lifecycle_stage", json()).is_string() ? record["lifecycle_stage"].get<std::string>() : "";
  std::string from;
  if (ctx.before && (*ctx.before).value("lifecycle_stage", json()).is_string())
    from = (*ctx.before)["lifecycle_stage"].get<std::string>();
  if (!stage.empty() && !from.empty())
    if (auto err = stage_transition_error(from, stage)) errors.add("lifecycle_stage", *err);
  if (stage_needs_reason(stage) && !record.value("stage_reason", json()).is_string())
    errors.add("stage_reason", "is required when lifecycle_stage is " + stage +
                                   (stage == "disqualified" ? " (e.g. cannot afford, would not be profitable)"
                                                            : " (e.g. bankruptcy, moved, dissatisfied)"));
  if (!stage_needs_reason(stage) && ctx.input.contains("lifecycle_stage") && !ctx.input.contains("stage_reason"))
    record["stage_reason"] = nullptr;  // a reason belongs to the stage it explained
}

// An activity or order belongs to a contact or an account; a contact's company is filled in.
void attach_customer(WriteContext& ctx, json& record, FieldErrors& errors, bool required) {
  json contact = record.value("contact_id", json()), account = record.value("account_id", json());
  if (contact.is_null() && account.is_null()) {
    if (required) errors.add("contact_id", "an " + ctx.entity.singular + " needs a contact_id or an account_id");
    return;
  }
  if (contact.is_number_integer() && account.is_null()) {
    auto c = store::RecordStore::find(ctx.conn, entity("contacts"), contact.get<int64_t>(), store::Scope{});
    if (c && (*c)["account_id"].is_number_integer()) record["account_id"] = (*c)["account_id"];
  }
}

}  // namespace gz::modules::customers
