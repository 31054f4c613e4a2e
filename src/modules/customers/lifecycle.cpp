#include "modules/customers/lifecycle.h"

#include "domain/field_values.h"
#include "modules/customers/rules.h"
#include "modules/customers/vocabulary.h"
#include "store/record_store.h"

namespace gz::modules::customers {

using namespace gz::domain;

bool is_customer_stage(const std::string& s) {
  return s == "new_customer" || s == "regular_customer" || s == "customer" || s == "advocate" || s == "partner";
}

bool stage_needs_reason(const std::string& s) { return s == "disqualified" || s == "inactive"; }

namespace {

// A stage as users read it ("Client", "Customer"); the code when it is no stage.
Message stage_label(const std::string& s) {
  for (const auto& c : lifecycle_stages())
    if (c.value == s) return Message::both(c.label.fr, c.label.en);
  return Message::verbatim(s);
}

// The customer stages, as a list in the reader's language: « Nouveau client », « Client régulier »…
Message customer_stages() {
  std::string fr, en;
  for (const auto& c : lifecycle_stages())
    if (is_customer_stage(c.value)) {
      fr += (fr.empty() ? "" : ", ") + ("\u00ab\u00a0" + c.label.fr + "\u00a0\u00bb");
      en += (en.empty() ? "" : ", ") + c.label.en;
    }
  return Message::both(fr, en);
}

// A field of the entity by its label, its code when the entity has no such field.
Message label_of(const Entity& e, const std::string& field) {
  const Field* f = e.field(field);
  return f ? field_label(*f) : Message::verbatim(field);
}

}  // namespace

std::optional<Message> stage_transition_error(const std::string& from, const std::string& to) {
  if (from.empty() || from == to) return std::nullopt;
  bool back_to_pre_sale = to == "suspect" || to == "prospect" || to == "disqualified";
  if (back_to_pre_sale && (is_customer_stage(from) || from == "inactive"))
    return tr("cannot go from {from} back to {to}: a customer who has bought stays a customer; "
              "mark them {inactive} with a reason instead",
              {{"from", stage_label(from)}, {"to", stage_label(to)}, {"inactive", stage_label("inactive")}});
  if (from == "inactive" && to != "inactive" && !is_customer_stage(to))
    return tr("an inactive customer can only come back at a customer stage (won back): {stages}",
              {{"stages", customer_stages()}});
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
    errors.add("stage_reason",
               stage == "disqualified"
                   ? tr("is required when {field} is {stage} (e.g. cannot afford, would not be profitable)",
                        {{"field", label_of(ctx.entity, "lifecycle_stage")}, {"stage", stage_label(stage)}})
                   : tr("is required when {field} is {stage} (e.g. bankruptcy, moved, dissatisfied)",
                        {{"field", label_of(ctx.entity, "lifecycle_stage")}, {"stage", stage_label(stage)}}));
  if (!stage_needs_reason(stage) && ctx.input.contains("lifecycle_stage") && !ctx.input.contains("stage_reason"))
    record["stage_reason"] = nullptr;  // a reason belongs to the stage it explained
}

// An activity or order belongs to a contact or an account; a contact's company is filled in.
void attach_customer(WriteContext& ctx, json& record, FieldErrors& errors, bool required) {
  json contact = record.value("contact_id", json()), account = record.value("account_id", json());
  if (contact.is_null() && account.is_null()) {
    if (required)
      errors.add("contact_id", tr("fill in {contact} or {account}: each {entity} record belongs to a contact or an account",
                                  {{"contact", label_of(ctx.entity, "contact_id")},
                                   {"account", label_of(ctx.entity, "account_id")},
                                   {"entity", singular_label(ctx.entity)}}));
    return;
  }
  if (contact.is_number_integer() && account.is_null()) {
    auto c = store::RecordStore::find(ctx.conn, entity("contacts"), contact.get<int64_t>(), store::Scope{});
    if (c && (*c)["account_id"].is_number_integer()) record["account_id"] = (*c)["account_id"];
  }
}

}  // namespace gz::modules::customers
