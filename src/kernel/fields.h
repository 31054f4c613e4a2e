// Short builders for the field declarations of the modules (src/modules/*/module.cpp), and the
// fields every record has.
#pragma once
#include "kernel/catalogue.h"

namespace gz::kernel::fields {

using K = FieldKind;

Field F(std::string name, FieldKind kind, Label label, std::string description = {});
// An enum: filterable, with its values and their labels.
Field E(std::string name, const std::vector<Choice>& values, Label label, std::string description = {});
// A reference to a record of `entity` (or "users", "teams"): filterable.
Field R(std::string name, std::string entity, Label label, std::string description = {});
inline Field dflt(Field f, nlohmann::json v) { f.default_value = std::move(v); return f; }
inline Field filt(Field f) { f.filterable = true; return f; }
inline Field sortf(Field f) { f.sortable = true; return f; }
inline Field both(Field f) { f.filterable = true; f.sortable = true; return f; }
inline Field required(Field f) { f.required = true; return f; }
inline Field maxlen(Field f, int n) { f.max_length = n; return f; }
inline Field server(Field f) { f.server_set = true; return f; }
inline Field keeps(Field f) { f.keeps_referred = true; return f; }

// Fields every record has — id and external_id first; owner, team and archived_at for Owned
// entities; version, times and authors last — appended around the entity's own fields.
void add_common(Entity& e);

// Rights of several roles on one entity.
std::vector<Right> grant(std::initializer_list<const char*> roles, const std::string& entity, bool write,
                         Delete remove);

}  // namespace gz::kernel::fields
