#include "kernel/catalogue.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "kernel/module.h"

namespace gz::kernel {

namespace {

struct Catalogue {
  std::vector<Entity> entities;
  std::vector<Role> roles;
  std::map<std::string, std::map<std::string, Right, std::less<>>, std::less<>> rights;  // role → entity → right
};

// Everything the modules declare, checked once: names are unique, references and rights point
// at entities and roles that exist. A mistake here is a programming error: it stops the start.
Catalogue build() {
  Catalogue c;
  for (const Module* m : modules()) {
    for (Entity e : m->entities) {
      if (find_if(c.entities.begin(), c.entities.end(), [&](const Entity& x) { return x.name == e.name; }) !=
          c.entities.end())
        throw std::logic_error("entity " + e.name + " is declared by two modules");
      e.module = m->name;
      for (const auto& cc : e.children)  // child lines are input keys of the parent, not columns
        if (std::find(e.nested.begin(), e.nested.end(), cc.name) == e.nested.end()) e.nested.push_back(cc.name);
      c.entities.push_back(std::move(e));
    }
    for (const Role& r : m->roles) {
      if (find_if(c.roles.begin(), c.roles.end(), [&](const Role& x) { return x.name == r.name; }) != c.roles.end())
        throw std::logic_error("role " + r.name + " is declared by two modules");
      c.roles.push_back(r);
    }
  }
  // Fields added to another module's entity, before its common trailing fields.
  for (const Module* m : modules())
    for (const FieldExtension& x : m->extends) {
      auto e = find_if(c.entities.begin(), c.entities.end(), [&](const Entity& y) { return y.name == x.entity; });
      if (e == c.entities.end()) throw std::logic_error("module " + m->name + " extends unknown entity " + x.entity);
      auto at = find_if(e->fields.begin(), e->fields.end(), [](const Field& f) {
        return f.name == "owner_id" || f.name == "version";
      });
      for (const Field& f : x.fields) {
        if (e->field(f.name)) throw std::logic_error("module " + m->name + " adds " + x.entity + "." + f.name + " twice");
        at = std::next(e->fields.insert(at, f));
      }
    }
  auto known_entity = [&](const std::string& n) {
    return std::any_of(c.entities.begin(), c.entities.end(), [&](const Entity& e) { return e.name == n; });
  };
  for (const Module* m : modules())
    for (const Right& r : m->rights) {
      if (!known_entity(r.entity)) throw std::logic_error("module " + m->name + " grants a right on unknown entity " + r.entity);
      if (find_if(c.roles.begin(), c.roles.end(), [&](const Role& x) { return x.name == r.role; }) == c.roles.end())
        throw std::logic_error("module " + m->name + " grants a right to unknown role " + r.role);
      c.rights[r.role][r.entity] = r;
    }
  for (const Entity& e : c.entities)
    for (const Field& f : e.fields)
      if (f.kind == FieldKind::Reference && f.references != "users" && f.references != "teams" && !known_entity(f.references))
        throw std::logic_error(e.name + "." + f.name + " refers to unknown entity " + f.references);
  return c;
}

const Catalogue& catalogue() {
  static const Catalogue c = build();
  return c;
}

}  // namespace

std::string Field::value_label(const std::string& value, std::string_view lang) const {
  for (size_t i = 0; i < values.size() && i < value_labels.size(); ++i)
    if (values[i] == value) return value_labels[i].in(lang);
  return value;
}

const Field* Entity::field(std::string_view n) const {
  for (const auto& f : fields) if (f.name == n) return &f;
  return nullptr;
}

const ChildCollection* Entity::child(std::string_view n) const {
  for (const auto& c : children) if (c.name == n) return &c;
  return nullptr;
}

const std::vector<Entity>& entities() { return catalogue().entities; }

const Entity* find_entity(std::string_view name) {
  for (const auto& e : entities()) if (e.name == name) return &e;
  return nullptr;
}

const Entity& entity(std::string_view name) {
  const Entity* e = find_entity(name);
  if (!e) throw std::out_of_range("unknown entity " + std::string(name));
  return *e;
}

const std::vector<Role>& roles() { return catalogue().roles; }

const Role* find_role(std::string_view name) {
  for (const auto& r : roles()) if (r.name == name) return &r;
  return nullptr;
}

std::optional<Right> right_of(std::string_view role, std::string_view entity) {
  const Role* r = find_role(role);
  if (!r) return std::nullopt;
  if (r->admin) return Right{r->name, std::string(entity), true, true, Delete::Any};
  // Read on every request (read_scope, can_write): no string is built for the look-up.
  const auto& rights = catalogue().rights;
  auto by_role = rights.find(role);
  if (by_role == rights.end()) return std::nullopt;
  auto it = by_role->second.find(entity);
  if (it == by_role->second.end()) return std::nullopt;
  return it->second;
}

bool role_has(std::string_view role, std::string_view permission) {
  const Role* r = find_role(role);
  if (!r) return false;
  return r->admin || std::find(r->permissions.begin(), r->permissions.end(), permission) != r->permissions.end();
}

std::vector<const Entity*> entities_with(bool Entity::*trait) {
  std::vector<const Entity*> out;
  for (const auto& e : entities()) if (e.*trait) out.push_back(&e);
  return out;
}

std::string names_with(bool Entity::*trait) {
  auto list = entities_with(trait);
  std::string out;
  for (size_t i = 0; i < list.size(); ++i)
    out += (i == 0 ? "" : i + 1 == list.size() ? " or " : ", ") + list[i]->name;
  return out;
}

const char* kind_name(FieldKind k) {
  using K = FieldKind;
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

const char* kind_code(FieldKind k) {
  using K = FieldKind;
  switch (k) {
    case K::Text: return "text";
    case K::LongText: return "long_text";
    case K::Integer: return "integer";
    case K::Boolean: return "boolean";
    case K::Money: return "money";
    case K::Date: return "date";
    case K::DateTime: return "datetime";
    case K::Enum: return "enum";
    case K::Reference: return "reference";
    case K::EmailList: return "email_list";
    case K::PhoneList: return "phone_list";
    case K::TagList: return "tag_list";
    case K::Phone: return "phone";
    case K::Url: return "url";
    case K::Currency: return "currency";
    case K::Country: return "country";
    case K::Object: return "object";
  }
  return "text";
}

}  // namespace gz::kernel
