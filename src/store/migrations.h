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

// A module's migration that rebuilds its SQLite full-text table (an entity's <name>_search),
// rows kept, with the options of migrations/sqlite/014_search_prefixes.sql (a prefix index for
// every length up to 10), which a new module's table should be created with.
std::string sqlite_search_rebuild(const std::string& table);

// PostgreSQL: a search table's words, one row per (word, rowid), kept by triggers on the table and
// filled from its rows. A search that gathers its matches (store/record_store.cpp) reads a word's
// prefix as one range of this B-tree, index only and whatever the matches' number, where the GIN
// index gives rows that must each be read again from the table (FTS5's layout, which SQLite reads).
std::string pg_search_words(const std::string& table);

}  // namespace gz::store
