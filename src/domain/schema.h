// The catalogue of Gazelle's record types: for each entity, its fields with their kind and
// constraints, how access to it is decided, and how it is listed. One description drives the
// validation (domain), the SQL (store), the routes and the OpenAPI document (http) and the CSV
// columns (io), so that a field added here exists everywhere under one name.
// Immutable after start-up; safe to read from any thread.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace gz::domain {

enum class FieldKind {
  Text,       // single-line text, max_length code points
  LongText,   // multi-line text
  Integer,
  Boolean,
  Money,      // integer cents
  Date,       // "YYYY-MM-DD"
  DateTime,   // UTC "YYYY-MM-DDTHH:MM:SSZ"; any ISO 8601 offset accepted on input
  Enum,       // one of values
  Reference,  // id of a record of `references`
  EmailList,  // array of e-mail addresses
  PhoneList,  // array of phone numbers, stored in E.164
  TagList,    // array of short labels, trimmed and lower-cased; ?tags=x filters on one
  Phone,      // one phone number, stored in E.164
  Url,
  Currency,   // ISO 4217 code, e.g. "EUR"
  Country,    // ISO 3166-1 alpha-2 code, e.g. "FR"
  Object,     // free JSON object (attributes) or structured one (consent, preferences)
};

struct Field {
  std::string name;
  FieldKind kind = FieldKind::Text;
  bool required = false;
  int max_length = 200;
  std::vector<std::string> values;  // Enum: the allowed values
  std::string references;           // Reference: the entity referred to
  bool filterable = false;          // usable as ?name=value (and name_before/_after for times)
  bool sortable = false;            // usable as ?sort=name or ?sort=-name
  bool server_set = false;          // written by the server only (id, version, times, team)
  nlohmann::json default_value;     // stored when the value is missing or null (null: none)
  std::string description;
};

// Who may see a record of this entity (see domain/access.h).
enum class Access {
  Owned,         // has owner_id and team_id: visible to its owner, the owner's team, shares
  ViaCustomer,   // belongs to a contact/account: visible when that customer is, or to its actor
  Catalogue,     // visible to every user (products)
};

struct Entity {
  std::string name;         // plural, the URL segment and table: "contacts"
  std::string singular;     // "contact"
  Access access = Access::Owned;
  std::string actor_column; // ViaCustomer: the user column that also grants visibility
  bool searchable = false;  // has a <name>_search full-text index and ?q=
  std::string default_sort; // "last_name" or "-occurred_at"
  std::vector<Field> fields;
  // Input keys that are not columns but handled by the entity's rules (an order's "lines").
  std::vector<std::string> nested;

  const Field* field(std::string_view name) const;
};

const std::vector<Entity>& entities();
// Throws std::out_of_range for an unknown name.
const Entity& entity(std::string_view name);
const Entity* find_entity(std::string_view name);

const char* kind_name(FieldKind k);

// Vocabulary shared with the rules and the web interface.
extern const std::vector<std::string> kLifecycleStages;
extern const std::vector<std::string> kInteractionChannels;
extern const std::vector<std::string> kConsentChannels;

}  // namespace gz::domain
