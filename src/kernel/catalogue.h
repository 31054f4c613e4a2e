// The catalogue: every record type of the installed modules (src/modules), with its fields,
// their kinds, limits and French/English labels, how access to it is decided, what each role may
// do with it, and the hooks its module runs around the generic record service. One description
// drives the validation (domain), the SQL (store), the routes, the OpenAPI document and the
// served catalogue (http, GET /api/v1/schema) and the CSV columns (io), so that a field declared
// in its module exists everywhere under one name.
//
// The kernel knows no entity by name: the composition root (src/modules/composition.cpp) lists
// the modules, and the catalogue is built from them on first use. Immutable afterwards; safe to
// read from any thread.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gz::store {
class Connection;
}
namespace gz {
class FieldErrors;
}
namespace gz::domain {
struct WriteContext;
struct ImportOptions;
}

namespace gz::kernel {

// A text shown to users, in French and English. in("en") gives English, anything else French.
struct Label {
  std::string fr;
  std::string en;
  const std::string& in(std::string_view lang) const { return lang == "en" && !en.empty() ? en : fr; }
};

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

// One value of an enum field and its label.
struct Choice {
  std::string value;
  Label label;
};

struct Field {
  std::string name;
  FieldKind kind = FieldKind::Text;
  bool required = false;
  int max_length = 200;
  std::vector<std::string> values;  // Enum: the allowed values
  std::vector<Label> value_labels;  // Enum: the label of values[i]
  std::string references;           // Reference: the entity referred to
  // Reference: the record referred to cannot be deleted while this one refers to it (an order
  // keeps its customer, a contact its company); archive or merge it instead.
  bool keeps_referred = false;
  bool filterable = false;          // usable as ?name=value (and name_before/_after for times)
  bool sortable = false;            // usable as ?sort=name or ?sort=-name
  bool server_set = false;          // written by the server only (id, version, times, team)
  nlohmann::json default_value;     // stored when the value is missing or null (null: none)
  std::string description;
  Label label;                      // what users read: "Nom" / "Last name"

  // The label of one of the enum's values; the value itself when unknown.
  std::string value_label(const std::string& value, std::string_view lang) const;
};

// Who may see a record of this entity (see domain/access.h).
enum class Access {
  Owned,         // has owner_id and team_id: visible to its owner, the owner's team, shares
  ViaCustomer,   // belongs to a contact/account: visible when that customer is, or to its actor
  Catalogue,     // visible to every user who may read the entity (products)
};

// What a role may do with an entity's records (on top of which records it sees).
enum class Delete { None, Own, Any };  // Own: the records it owns or created
struct Right {
  std::string role;
  std::string entity;
  bool read = true;
  bool write = false;
  Delete remove = Delete::None;
};

struct Role {
  std::string name;   // stored in users.role
  Label label;
  bool admin = false;     // every right on everything, user administration
  bool sees_all = false;  // sees every customer record; otherwise its own, its team's and shares
  std::vector<std::string> permissions;  // named rights beyond records: "analytics.view", …
};

// One condition of a list query (store/record_store.h builds the SQL, every value bound).
struct Condition {
  std::string column;
  std::string op;  // "=", "!=", "<", "<=", ">", ">=", "is null", "is not null", "linked" (the
                   // reference equals the value, or a customer link of the entity gives it)
  nlohmann::json value;
};

// A list filter an entity offers beyond its fields' own (?overdue=true on follow-ups): the
// conditions a query value stands for; throws a Problem naming the parameter on a bad value.
struct ListFilter {
  std::string name;
  Label label;
  std::function<std::vector<Condition>(const std::string& value)> conditions;
  // Instead of conditions, for a filter that reads the database (?due=today on follow-ups needs
  // the company's time zone): called in a read transaction of its own.
  std::function<std::vector<Condition>(store::Connection&, const std::string& value)> conditions_in;
};

// Behaviour an entity adds around the generic record service (domain/records.h). Each is
// optional; RecordService calls the ones set, in one transaction with the write.
struct EntityHooks {
  // After field validation, on the complete record to be stored: defaults, rules between fields.
  std::function<void(domain::WriteContext&, nlohmann::json& record, FieldErrors&)> rules;
  // After the row is written, in the same transaction (record has its id).
  std::function<void(domain::WriteContext&, const nlohmann::json& record)> after_write;
  // The text the search index holds for a record (searchable entities).
  std::function<std::string(store::Connection&, const nlohmann::json& record)> search_body;
  // What a read shows beyond the row (an order's lines).
  std::function<void(store::Connection&, nlohmann::json& record)> expand;
  // Importable entities: the input of a record an import creates for an external id that a
  // reference names and that does not exist yet (options.create_missing); without it, none is.
  std::function<nlohmann::json(const std::string& external_id)> placeholder;
  // Importable entities: what the import's options add to one record's input (an order whose
  // number has the returns prefix is a return), after its cells were read.
  std::function<void(const domain::ImportOptions&, const std::string& external_id, nlohmann::json& input)> import_row;
};

// A collection of ordered child lines kept with their parent (an order's lines, a quote's
// lines): validated per line (errors name lines[3].quantity), stored in a table of their own,
// read back with the parent, versioned and audited with it (domain/entity_rules.cpp).
struct ChildCollection {
  std::string name;             // the parent's input and output key: "lines"
  Label label;
  std::string item;             // one line, in messages: "an order line"
  std::string table;            // "order_lines"
  std::string parent_column;    // "order_id"
  std::string position_column;  // "line_no", 1, 2, 3… in the order given
  size_t max_items = 10000;
  std::vector<Field> fields;    // the stored columns; server-set ones are computed by `line`
  std::vector<std::string> also_accepted;  // input keys read by `line` but not stored ("sku")
  // An input key that designates a referenced record by one of its fields (an order line's sku
  // designates its product_id's product by that product's sku). An import with create_missing
  // creates the record when none has it, its fields taken from the line (create_from: field of
  // the new record -> key of the line, the key's own value when the line has none).
  struct Lookup {
    std::string key;                                  // "sku"
    std::string reference_field;                      // "product_id"
    std::string by_field;                             // "sku"
    std::map<std::string, std::string> create_from;   // {"name": "description", …}
  };
  std::vector<Lookup> lookups;
  // Money fields an import warns about when a line gives 0 (price_zero: kept, with no revenue).
  std::vector<std::string> zero_price_warned;
  // Turns one input line (an object, unknown keys already refused) into the stored line; adds
  // errors under path ("lines[3]"). Returns false when the line is unusable (it is left out).
  // Without it, each non-server-set field is checked by its kind (domain/field_values.h).
  std::function<bool(domain::WriteContext&, const nlohmann::json& in, nlohmann::json& line, const std::string& path,
                     FieldErrors&)>
      line;
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

  std::string module;          // the module declaring it
  Label label;                 // "Contacts"
  Label label_singular;        // "Contact"
  std::vector<std::string> title_fields;  // joined by a space: how a record is named
  std::vector<std::string> list_columns;  // the columns a list shows by default
  int menu_order = -1;         // place in the web's navigation; -1: not in it
  // Traits: what the generic services offer for it.
  bool importable = false;     // CSV/XLSX import (domain/import_service)
  bool exportable = false;     // CSV/XLSX export of the whole file
  bool mergeable = false;      // duplicates merge and purge (modules/duplicates/merge)
  bool stage_history = false;  // changes of stage_field kept in stage_history
  // The field whose changes the stage history keeps, and the field giving the reason of a move
  // (contacts and accounts: their lifecycle stage; opportunities: their pipeline stage).
  std::string stage_field = "lifecycle_stage";
  std::string stage_reason_field = "stage_reason";
  std::vector<ChildCollection> children;
  std::vector<ListFilter> filters;  // ?name=value filters beyond the fields' own
  // Import column names that stand for another target (folded as written: "amount" ->
  // "total_eur"); applied after the user's own mapping.
  std::map<std::string, std::string> import_aliases;
  EntityHooks hooks;
  // ViaCustomer: further customers a record belongs to, through a link table (an e-mail's every
  // correspondent, interaction_contacts). The record is visible when one of them is, and each
  // one's 360° lists it.
  struct CustomerLink {
    std::string table;            // "interaction_contacts"
    std::string record_column;    // "interaction_id"
    std::string customer_column;  // "contact_id", also the name of the record's own reference
    std::string customer_entity;  // "contacts"
  };
  std::vector<CustomerLink> customer_links;
  // ViaCustomer: a 0/1 column that, when 1, keeps the record to its actor alone (a personal
  // mailbox's private e-mail).
  std::string private_column;

  const Field* field(std::string_view name) const;
  const ChildCollection* child(std::string_view name) const;
};

// The installed catalogue, built from the modules of the composition root on first use.
const std::vector<Entity>& entities();
// Throws std::out_of_range for an unknown name.
const Entity& entity(std::string_view name);
const Entity* find_entity(std::string_view name);

const std::vector<Role>& roles();
const Role* find_role(std::string_view name);
// The right of role on entity; nullopt: none was granted (the role may not even read it).
std::optional<Right> right_of(std::string_view role, std::string_view entity);
bool role_has(std::string_view role, std::string_view permission);

// The entities that have a trait (&Entity::mergeable…), in catalogue order, and their names for
// a message: "accounts, households or contacts".
std::vector<const Entity*> entities_with(bool Entity::*trait);
std::string names_with(bool Entity::*trait);

const char* kind_name(FieldKind k);  // for messages and the OpenAPI document: "money (integer cents)"
const char* kind_code(FieldKind k);  // for the served catalogue: "money"

}  // namespace gz::kernel
