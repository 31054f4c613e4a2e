#include "domain/schema.h"

#include <stdexcept>

namespace gz::domain {

const std::vector<std::string> kLifecycleStages = {
    "suspect", "prospect", "disqualified", "new_customer", "regular_customer",
    "customer", "advocate", "partner", "inactive"};
const std::vector<std::string> kInteractionChannels = {
    "phone", "email", "meeting", "chat", "web", "letter", "fax", "sms", "social", "in_store", "note"};
const std::vector<std::string> kConsentChannels = {"email", "phone", "sms", "post"};

namespace {

using K = FieldKind;

Field F(std::string name, K kind, std::string description = {}) {
  Field f;
  f.name = std::move(name);
  f.kind = kind;
  f.description = std::move(description);
  if (kind == K::LongText) f.max_length = 20000;
  if (kind == K::Url) f.max_length = 500;
  return f;
}
Field& req(Field& f) { f.required = true; return f; }
Field E(std::string name, std::vector<std::string> values, std::string description = {}) {
  Field f = F(std::move(name), K::Enum, std::move(description));
  f.values = std::move(values);
  f.filterable = true;
  return f;
}
Field R(std::string name, std::string entity, std::string description = {}) {
  Field f = F(std::move(name), K::Reference, std::move(description));
  f.references = std::move(entity);
  f.filterable = true;
  return f;
}
Field dflt(Field f, nlohmann::json v) { f.default_value = std::move(v); return f; }
Field filt(Field f) { f.filterable = true; return f; }
Field sortf(Field f) { f.sortable = true; return f; }
Field both(Field f) { f.filterable = true; f.sortable = true; return f; }
Field required(Field f) { f.required = true; return f; }
Field maxlen(Field f, int n) { f.max_length = n; return f; }
// Free labels for grouping and bulk work ("vip", "salon-2026"); ?tags=vip lists the records with one.
Field tags() { return filt(maxlen(F("tags", K::TagList, "Labels, stored lower-cased without accents; at most 20, of 50 characters each"), 50)); }
// Customer value (docs/analytics.md): the tier the analytics compute (read-only), and the
// customer's annual spend in our category, for share of wallet.
Field value_tier() {
  Field f = filt(maxlen(F("value_tier", K::Text, "Value tier computed by the analytics (gold, silver, bronze…); null for none"), 30));
  f.server_set = true;
  return f;
}
Field category_spend() { return F("category_spend_cents", K::Money, "Annual spend in our product category, in cents (share of wallet)"); }

// Fields every record has; owned records also carry an owner and the owner's team.
void add_common(Entity& e) {
  std::vector<Field> head;
  Field id = F("id", K::Integer, "Unique id, assigned by the server");
  id.server_set = true; id.sortable = true;
  head.push_back(id);
  Field ext = F("external_id", K::Text, "Id in another system; re-imports match on it (unique)");
  ext.filterable = true; ext.max_length = 100;
  head.push_back(ext);
  e.fields.insert(e.fields.begin(), head.begin(), head.end());
  if (e.access == Access::Owned) {
    Field owner = R("owner_id", "users", "User who owns the record (the customer's stable referent)");
    e.fields.push_back(owner);
    Field team = R("team_id", "teams", "Owner's team at assignment, set by the server");
    team.server_set = true;
    e.fields.push_back(team);
    // Purge archives rather than deletes (docs/merge.md): lists, search and 360° views leave
    // archived records out unless asked for (?archived=include|only).
    Field archived = F("archived_at", K::DateTime, "When the record was archived (purge); null when active");
    archived.server_set = true; archived.filterable = true; archived.sortable = true;
    e.fields.push_back(archived);
  }
  for (const char* n : {"version"}) {
    Field f = F(n, K::Integer, "Incremented by every change; sent back as the ETag");
    f.server_set = true;
    e.fields.push_back(f);
  }
  for (const char* n : {"created_at", "updated_at"}) {
    Field f = F(n, K::DateTime, "Set by the server");
    f.server_set = true; f.sortable = true; f.filterable = true;
    e.fields.push_back(f);
  }
  for (const char* n : {"created_by", "updated_by"}) {
    Field f = R(n, "users", "User who made the change, set by the server");
    f.server_set = true; f.filterable = false;
    e.fields.push_back(f);
  }
}

std::vector<Field> address() {
  return {F("street", K::Text, "Street address, may span lines"), filt(maxlen(F("postcode", K::Text), 20)),
          both(F("city", K::Text)), dflt(filt(F("country", K::Country, "ISO 3166-1 alpha-2, default FR")), "FR")};
}

std::vector<Entity> build() {
  std::vector<Entity> all;

  Entity account{"accounts", "account", Access::Owned, "", true, "name", {}};
  account.fields = {
      required(sortf(F("name", K::Text, "Company name"))),
      filt(maxlen(F("legal_id", K::Text, "SIREN (9 digits) or SIRET (14) in France, checked; free text elsewhere"), 50)),
      both(F("industry", K::Text)),
      E("size", {"1-9", "10-49", "50-249", "250-4999", "5000+"}, "Head-count band (French size classes)"),
      F("website", K::Url),
      F("phone", K::Phone, "Switchboard, stored in E.164"),
  };
  for (auto& f : address()) account.fields.push_back(f);
  account.fields.push_back(E("tier", {"gold", "silver", "bronze"}, "Value tier; null for none"));
  account.fields.push_back(
      E("lifecycle_stage", kLifecycleStages, "Where the company stands in the relationship"));
  account.fields.push_back(maxlen(F("stage_reason", K::Text, "Why disqualified or inactive"), 500));
  account.fields.push_back(tags());
  account.fields.push_back(value_tier());
  account.fields.push_back(category_spend());
  add_common(account);
  all.push_back(account);

  Entity household{"households", "household", Access::Owned, "", true, "name", {}};
  household.fields = {required(sortf(F("name", K::Text, "Household name, e.g. Famille Martin")))};
  for (auto& f : address()) household.fields.push_back(f);
  household.fields.push_back(both(F("size", K::Integer, "Number of people")));
  household.fields.push_back(filt(maxlen(F("socio_professional_category", K::Text, "PCS/CSP category"), 100)));
  Field attrs = F("attributes", K::Object, "Free attributes: equipment, children's ages, …");
  attrs.max_length = 20000;
  household.fields.push_back(attrs);
  household.fields.push_back(tags());
  household.fields.push_back(category_spend());
  add_common(household);
  all.push_back(household);

  Entity contact{"contacts", "contact", Access::Owned, "", true, "last_name", {}};
  contact.fields = {
      sortf(F("first_name", K::Text)),
      required(sortf(F("last_name", K::Text))),
      F("job_title", K::Text),
      F("emails", K::EmailList, "E-mail addresses, the first is the main one"),
      F("phones", K::PhoneList, "Phone numbers; national numbers are read as French; stored in E.164"),
  };
  for (auto& f : address()) contact.fields.push_back(f);
  contact.fields.push_back(filt(maxlen(F("region", K::Text, "State, region, county or département"), 100)));
  contact.fields.push_back(filt(F("birth_date", K::Date, "Date of birth; strong evidence for duplicate detection")));
  Field identifiers = F("identifiers", K::Object,
                        "Identifiers given by other systems or authorities, {name: value}, e.g. "
                        "{\"customer_no\": \"C-1234\", \"social_security\": \"…\"}; equal values mark duplicates");
  identifiers.max_length = 2000;
  contact.fields.push_back(identifiers);
  contact.fields.push_back(R("account_id", "accounts", "Company the person works for"));
  contact.fields.push_back(
      E("buying_role", {"prescriber", "decision_maker", "buyer", "user"}, "Role in the buying centre"));
  contact.fields.push_back(R("household_id", "households", "Household the person belongs to"));
  contact.fields.push_back(dflt(E("lifecycle_stage", kLifecycleStages, "Kotler's stages; default suspect"), "suspect"));
  contact.fields.push_back(maxlen(F("stage_reason", K::Text, "Required for disqualified and inactive"), 500));
  contact.fields.push_back(E("source_type", {"referral", "campaign", "medium", "other"}, "Where the prospect came from"));
  contact.fields.push_back(R("source_contact_id", "contacts", "Referring contact (source_type referral)"));
  contact.fields.push_back(filt(F("source_campaign", K::Text, "Campaign or promotional activity")));
  contact.fields.push_back(filt(F("source_medium", K::Text, "Medium, e.g. salon, web, radio")));
  Field prefs = F("preferences", K::Object,
                  "{channel, frequency: high|spaced, frequency_cap_per_month, initiative: waits|initiates, "
                  "autonomy: autonomous|accompanied}");
  prefs.max_length = 2000;
  contact.fields.push_back(prefs);
  Field consent = F("consent", K::Object,
                    "Per channel (email, phone, sms, post): {status: granted|denied, date, origin}");
  consent.max_length = 4000;
  contact.fields.push_back(consent);
  contact.fields.push_back(filt(F("email_bounced_at", K::DateTime, "When mail to the main e-mail address bounced; null when it did not")));
  contact.fields.push_back(tags());
  contact.fields.push_back(value_tier());
  contact.fields.push_back(category_spend());
  add_common(contact);
  all.push_back(contact);

  Entity interaction{"interactions", "interaction", Access::ViaCustomer, "user_id", false, "-occurred_at", {}};
  interaction.fields = {
      required(E("channel", kInteractionChannels)),
      dflt(E("direction", {"inbound", "outbound"}, "Default outbound"), "outbound"),
      F("subject", K::Text),
      F("content", K::LongText),
      both(F("occurred_at", K::DateTime, "When it happened; default now")),
      F("duration_seconds", K::Integer),
      maxlen(filt(F("outcome", K::Text, "e.g. reached, voicemail, interested")), 200),
      dflt(filt(F("commercial", K::Boolean, "Commercial (true, default) or relationship-only contact")), true),
      R("contact_id", "contacts"),
      R("account_id", "accounts"),
      R("user_id", "users", "Who handled it; default the current user"),
  };
  add_common(interaction);
  all.push_back(interaction);

  Entity task{"tasks", "task", Access::ViaCustomer, "assignee_id", false, "due_at", {}};
  task.fields = {
      required(sortf(F("title", K::Text))),
      F("description", K::LongText),
      both(F("due_at", K::DateTime, "Due date and time")),
      dflt(E("status", {"open", "done", "cancelled"}, "Default open"), "open"),
      dflt(E("priority", {"low", "normal", "high"}, "Default normal"), "normal"),
      F("completed_at", K::DateTime, "Set when status becomes done"),
      R("assignee_id", "users", "Default the current user"),
      R("contact_id", "contacts"),
      R("account_id", "accounts"),
  };
  task.fields[5].server_set = true;
  add_common(task);
  all.push_back(task);

  Entity product{"products", "product", Access::Catalogue, "", false, "name", {}};
  product.fields = {
      filt(maxlen(F("sku", K::Text, "Stock-keeping unit (unique)"), 100)),
      required(sortf(F("name", K::Text))),
      both(F("category", K::Text)),
      dflt(sortf(F("unit_price_cents", K::Money, "List price in cents")), 0),
      dflt(F("currency", K::Currency, "ISO 4217, default EUR"), "EUR"),
      dflt(filt(F("active", K::Boolean, "Default true")), true),
      F("margin_bp", K::Integer, "Gross margin rate in basis points, 0-10000 (3750 = 37.5 %); null: the analytics default"),
  };
  add_common(product);
  all.push_back(product);

  Entity order{"orders", "order", Access::ViaCustomer, "created_by", false, "-ordered_at", {}};
  order.fields = {
      R("contact_id", "contacts", "Customer (a contact, an account, or both)"),
      R("account_id", "accounts"),
      both(F("ordered_at", K::DateTime, "Order date; default now")),
      E("channel", {"store", "web", "phone", "sales_rep", "email", "marketplace", "other"}),
      dflt(E("status", {"draft", "confirmed", "paid", "shipped", "cancelled", "returned"}, "Default confirmed"), "confirmed"),
      dflt(F("currency", K::Currency, "ISO 4217, default EUR"), "EUR"),
      F("subtotal_cents", K::Money, "Sum of quantity × unit price, computed from the lines"),
      dflt(F("discount_cents", K::Money, "Sum of line discounts, computed"), 0),
      dflt(sortf(F("total_cents", K::Money, "Subtotal − discounts, computed")), 0),
      F("notes", K::LongText),
  };
  order.fields[6].server_set = true;  // subtotal: from the lines
  order.fields[7].description = "Sum of line discounts when lines are given; else the order's discount";
  order.fields[8].description = "Subtotal − discounts when lines are given; else the order's amount";
  order.nested = {"lines", "anonymous"};  // anonymous: true allows an order without customer
  add_common(order);
  all.push_back(order);
  return all;
}

}  // namespace

const Field* Entity::field(std::string_view n) const {
  for (const auto& f : fields) if (f.name == n) return &f;
  return nullptr;
}

const std::vector<Entity>& entities() {
  static const std::vector<Entity> all = build();
  return all;
}

const Entity* find_entity(std::string_view name) {
  for (const auto& e : entities()) if (e.name == name) return &e;
  return nullptr;
}

const Entity& entity(std::string_view name) {
  const Entity* e = find_entity(name);
  if (!e) throw std::out_of_range("unknown entity " + std::string(name));
  return *e;
}

const char* kind_name(FieldKind k) {
  switch (k) {
    case K::Text: return "text";
    case K::LongText: return "long text";
    case K::Integer: return "integer";
    case K::Boolean: return "boolean";
    case K::Money: return "money (integer cents)";
    case K::Date: return "date (YYYY-MM-DD)";
    case K::DateTime: return "date-time (ISO 8601)";
    case K::Enum: return "enum";
    case K::Reference: return "reference (id)";
    case K::EmailList: return "list of e-mail addresses";
    case K::PhoneList: return "list of phone numbers";
    case K::TagList: return "list of tags";
    case K::Phone: return "phone number";
    case K::Url: return "URL";
    case K::Currency: return "currency code";
    case K::Country: return "country code";
    case K::Object: return "object";
  }
  return "value";
}

}  // namespace gz::domain
