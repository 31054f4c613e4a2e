#include "domain/import_mappings.h"

#include <algorithm>

#include "core/clock.h"
#include "core/problem.h"
#include "domain/import_runs.h"
#include "domain/import_service.h"
#include "store/import_store.h"
#include "store/user_store.h"

namespace gz::domain {

namespace {

// A saved mapping may be changed by its creator, a member of the creator's team, or an admin; a
// mapping saved without a user (CLI) by an admin only.
void check_owner(store::Connection& c, const Actor& actor, const json& mapping) {
  if (actor.is_admin()) return;
  const json& by = mapping.value("created_by", json());
  if (by.is_number_integer() && by.get<int64_t>() == actor.user_id) return;
  if (by.is_number_integer() && actor.team_id) {
    auto creator = store::UserStore::brief(c, by.get<int64_t>());
    if (creator && creator->value("team_id", json()) == json(actor.team_id)) return;
  }
  throw Problem(ProblemKind::Forbidden,
                tr("the mapping '{name}' belongs to another team; save yours under another name",
                   {{"name", mapping.value("name", std::string())}}),
                {{"name", tr("belongs to another team")}});
}

std::optional<int64_t> user_of(const Actor& a) { return a.user_id > 0 ? std::optional<int64_t>(a.user_id) : std::nullopt; }

Message role_of(const Actor& a) {
  const kernel::Role* r = kernel::find_role(a.role);
  return r ? Message::both(r->label.fr, r->label.en) : Message::verbatim(a.role);
}

Message entity_named(const std::string& name) {
  const Entity* e = find_entity(name);
  return e ? Message::both(e->label.fr, e->label.en) : Message::verbatim(name);
}

}  // namespace

const Entity& importable_entity(const std::string& name) {
  const auto& names = transfer_entities();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw Problem(ProblemKind::Unprocessable, tr("'{entity}' cannot be imported", {{"entity", name.substr(0, 40)}}),
                  {{"entity", tr("use {entities}", {{"entities", kernel::names_with(&Entity::importable)}})}});
  return entity(name);
}

void ImportMappingService::check_name(const std::string& name) {
  FieldErrors errors;
  if (name.empty() || name.size() > 100) errors.add("name", tr("is required, at most 100 characters"));
  errors.throw_if_any();
}

std::vector<json> ImportMappingService::list(const std::string& entity) {
  if (!entity.empty()) importable_entity(entity);
  return store::with_transaction(db_, false, [&](store::Connection& c) { return store::ImportMappingStore::list(c, entity); });
}

std::optional<json> ImportMappingService::find(int64_t id) {
  return store::with_transaction(db_, false, [&](store::Connection& c) { return store::ImportMappingStore::find(c, id); });
}

json ImportMappingService::by_name(const std::string& entity, const std::string& name) {
  auto saved = store::with_transaction(db_, false, [&](store::Connection& c) {
    return store::ImportMappingStore::find(c, entity, name);
  });
  if (!saved)
    throw Problem(ProblemKind::NotFound,
                  tr("no saved mapping '{name}' for {entity}", {{"name", name}, {"entity", entity_named(entity)}}));
  return *saved;
}

json ImportMappingService::save(const Actor& actor, const std::string& entity_name, const std::string& name,
                                const json& raw, OnTaken on_taken) {
  check_name(name);
  const Entity& e = importable_entity(entity_name);
  if (!can_write(actor, e))
    throw Problem(ProblemKind::Forbidden,
                  tr("your role ({role}) cannot import {entity}", {{"role", role_of(actor)}, {"entity", entity_named(e.name)}}));
  json mapping = normalise_mapping(raw);
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    if (auto same = store::ImportMappingStore::find(c, e.name, name)) {
      if (on_taken == OnTaken::Refuse && (*same)["mapping"] != mapping)
        throw Problem(ProblemKind::Conflict,
                      tr("another mapping of {entity} is named {name}; choose another name or replace it",
                         {{"entity", entity_named(e.name)}, {"name", name}}),
                      {{"name", tr("already taken")}});
      // Saving under a taken name replaces that mapping: only where its owner allows it.
      check_owner(c, actor, *same);
    }
    int64_t id = store::ImportMappingStore::save(c, e.name, name, mapping, user_of(actor), clock::now_utc());
    return *store::ImportMappingStore::find(c, id);
  });
}

json ImportMappingService::update(const Actor& actor, int64_t id, const std::string& name, const json& raw) {
  check_name(name);
  json mapping = normalise_mapping(raw);
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    auto old = store::ImportMappingStore::find(c, id);
    if (!old) throw Problem(ProblemKind::NotFound, tr("mapping not found"));
    if (!can_write(actor, entity((*old)["entity"].get<std::string>())))
      throw Problem(ProblemKind::Forbidden, tr("your role ({role}) cannot change this mapping", {{"role", role_of(actor)}}));
    check_owner(c, actor, *old);
    auto same = store::ImportMappingStore::find(c, (*old)["entity"].get<std::string>(), name);
    if (same && (*same)["id"] != json(id))
      throw Problem(ProblemKind::Conflict,
                    tr("another mapping of {entity} is named {name}",
                       {{"entity", entity_named((*old)["entity"].get<std::string>())}, {"name", name}}),
                    {{"name", tr("already taken")}});
    store::ImportMappingStore::update(c, id, name, mapping, clock::now_utc());
    return *store::ImportMappingStore::find(c, id);
  });
}

void ImportMappingService::remove(const Actor& actor, int64_t id) {
  store::with_transaction(db_, true, [&](store::Connection& c) {
    auto old = store::ImportMappingStore::find(c, id);
    if (!old) throw Problem(ProblemKind::NotFound, tr("mapping not found"));
    if (!can_write(actor, entity((*old)["entity"].get<std::string>())))
      throw Problem(ProblemKind::Forbidden, tr("your role ({role}) cannot delete this mapping", {{"role", role_of(actor)}}));
    check_owner(c, actor, *old);
    store::ImportMappingStore::remove(c, id);
  });
}

}  // namespace gz::domain
