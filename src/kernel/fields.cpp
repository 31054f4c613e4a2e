#include "kernel/fields.h"

namespace gz::kernel::fields {

Field F(std::string name, FieldKind kind, Label label, std::string description) {
  Field f;
  f.name = std::move(name);
  f.kind = kind;
  f.label = std::move(label);
  f.description = std::move(description);
  if (kind == K::LongText) f.max_length = 20000;
  if (kind == K::Url) f.max_length = 500;
  return f;
}

Field E(std::string name, const std::vector<Choice>& values, Label label, std::string description) {
  Field f = F(std::move(name), K::Enum, std::move(label), std::move(description));
  for (const auto& c : values) {
    f.values.push_back(c.value);
    f.value_labels.push_back(c.label);
  }
  f.filterable = true;
  return f;
}

Field R(std::string name, std::string entity, Label label, std::string description) {
  Field f = F(std::move(name), K::Reference, std::move(label), std::move(description));
  f.references = std::move(entity);
  f.filterable = true;
  return f;
}

void add_common(Entity& e) {
  std::vector<Field> head;
  head.push_back(server(sortf(F("id", K::Integer, {"N°", "Id"}, "Unique id, assigned by the server"))));
  head.push_back(maxlen(filt(F("external_id", K::Text, {"Identifiant externe", "External id"},
                               "Id in another system; re-imports match on it (unique)")),
                        100));
  e.fields.insert(e.fields.begin(), head.begin(), head.end());
  if (e.access == Access::Owned) {
    e.fields.push_back(R("owner_id", "users", {"Responsable", "Owner"}, "User who owns the record (the customer's stable referent)"));
    e.fields.push_back(server(R("team_id", "teams", {"Équipe", "Team"}, "Owner's team at assignment, set by the server")));
    // Purge archives rather than deletes (docs/merge.md): lists, search and 360° views leave
    // archived records out unless asked for (?archived=include|only).
    e.fields.push_back(server(both(F("archived_at", K::DateTime, {"Archivé le", "Archived"},
                                     "When the record was archived (purge); null when active"))));
  }
  e.fields.push_back(server(F("version", K::Integer, {"Version", "Version"}, "Incremented by every change; sent back as the ETag")));
  e.fields.push_back(server(both(F("created_at", K::DateTime, {"Créé le", "Created"}, "Set by the server"))));
  e.fields.push_back(server(both(F("updated_at", K::DateTime, {"Modifié le", "Updated"}, "Set by the server"))));
  Field by = server(R("created_by", "users", {"Créé par", "Created by"}, "User who made the change, set by the server"));
  by.filterable = false;
  e.fields.push_back(by);
  by = server(R("updated_by", "users", {"Modifié par", "Updated by"}, "User who made the change, set by the server"));
  by.filterable = false;
  e.fields.push_back(by);
}

std::vector<Right> grant(std::initializer_list<const char*> roles, const std::string& entity, bool write, Delete remove) {
  std::vector<Right> out;
  for (const char* r : roles) out.push_back(Right{r, entity, true, write, remove});
  return out;
}

}  // namespace gz::kernel::fields
