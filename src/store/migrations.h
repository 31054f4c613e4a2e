// Versioned schema migrations. The SQL lives in migrations/<backend>/NNN_name.sql; the build
// embeds those files in the binary. apply_migrations() runs, in order and each in its own
// transaction, every migration of the database's backend not yet recorded in schema_migrations.
#pragma once
#include <string>
#include <vector>

#include "store/database.h"

namespace gz::store {

struct EmbeddedMigration {
  std::string backend;
  int version;
  std::string name;
  std::string sql;
};

const std::vector<EmbeddedMigration>& embedded_migrations();

// Returns the names of the migrations it applied (empty when the schema was current).
std::vector<std::string> apply_migrations(Database& db);

}  // namespace gz::store
