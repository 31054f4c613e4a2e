// Saved column mappings of imports (docs/import.md, "Columns and mapping"): the rules every
// caller obeys — the API's /api/v1/import-mappings, the wizard's upload, and `gazelle import
// --mapping/--save-mapping`. A mapping is saved by name and entity; it may be changed or deleted
// by its creator, a member of the creator's team, or an admin (one saved without a user, by the
// CLI, by an admin only); two mappings of an entity never share a name.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "domain/access.h"
#include "store/database.h"

namespace gz::domain {

using json = nlohmann::json;

class ImportMappingService {
 public:
  explicit ImportMappingService(store::Database& db) : db_(db) {}

  // How save treats a name that another mapping of the entity already has.
  enum class OnTaken {
    Replace,  // replace that mapping, where its owner allows it (API POST, `--replace-mapping`)
    Refuse,   // 409 naming `name`, unless the saved mapping is the same (`gazelle import --save-mapping`)
  };

  // The mappings of an entity ("" = every importable entity; another entity is a 422).
  std::vector<json> list(const std::string& entity);
  std::optional<json> find(int64_t id);
  // The entity's mapping of that name: 404 when there is none.
  json by_name(const std::string& entity, const std::string& name);
  // Saves a mapping (checked by normalise_mapping) under name; returns the stored row. The actor
  // must be able to write the entity (403); a name is 1 to 100 characters (422).
  json save(const Actor& actor, const std::string& entity, const std::string& name, const json& mapping,
            OnTaken on_taken = OnTaken::Replace);
  // Renames and/or replaces a mapping: 404, 403 (entity or owner), 409 when another mapping of the
  // entity has the name.
  json update(const Actor& actor, int64_t id, const std::string& name, const json& mapping);
  void remove(const Actor& actor, int64_t id);

  // 422 unless the name is 1 to 100 characters.
  static void check_name(const std::string& name);

 private:
  store::Database& db_;
};

// The importable entity of that name: 422 naming `entity` otherwise.
const Entity& importable_entity(const std::string& name);

}  // namespace gz::domain
