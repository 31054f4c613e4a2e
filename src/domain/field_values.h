// Turns one input value into the value stored for a field, or explains why it cannot be.
// Generic per FieldKind (text length, enum values, e-mail and phone syntax, dates); rules that
// involve several fields or the database live in the entity rules (entity_rules.h).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "core/problem.h"
#include "domain/schema.h"

namespace gz::domain {

// Integer and Money fields: the accepted range, inclusive (docs/api.md, "Ranges"). Amounts are
// bounded by store::kMaxAmountCents, and refused below 0 where a negative amount makes no sense
// (list prices, category spend, an order's discount).
struct NumericRange { int64_t min, max; };
NumericRange numeric_range(const Field& f);

// Returns the normalised value; on failure adds to errors (under `path`) and returns null.
nlohmann::json normalise_field_value(const Field& f, const nlohmann::json& v, const std::string& path,
                                     FieldErrors& errors);

// Catalogue labels as message arguments, in the reader's language (core/message.h): a field
// ("Téléphones"), an entity in the plural ("Contacts") or singular ("Contact"), a role ("Commercial").
Message label_message(const kernel::Label& l);
Message field_label(const Field& f);
Message entity_label(const Entity& e);
Message singular_label(const Entity& e);
Message role_label(const std::string& role);

// How a JSON value's type is named in error messages ("a string", "an integer", "null", …).
const char* json_type_name(const nlohmann::json& v);

}  // namespace gz::domain
