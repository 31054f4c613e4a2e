// Copying a whole company from a SQLite database to a PostgreSQL one (`gazelle migrate-data`):
// every table of the source (discovered from sqlite_master, without SQLite's own tables, FTS5
// shadow tables and schema_migrations, which each side's migrations own), ids kept, parents
// before children (self-references are written in a second pass), the FTS5 search tables as
// (rowid, body). Each table is copied and then verified inside its own target transaction, and
// committed only when its row count and checksum equal the source's, so a target table is
// always either empty or an exact copy; identity sequences are moved past the largest id.
//
// Resuming: an interrupted copy (even kill -9) leaves whole tables. Run again with force: tables
// already identical to the source are kept, every other one is emptied and copied again.
//
// The checksum of a table is order-independent, so that it does not depend on either side's
// collation: each row is rendered canonically (columns by name; NULL, integers — booleans as
// 0/1 —, floats with 17 significant digits and text each tagged and length-prefixed), hashed
// with SHA-256, the digests are added modulo 2^256, and the checksum is SHA-256(rows, sum).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/database.h"

namespace gz::store {

// A table as the copy sees it.
struct TableShape {
  std::string name;
  std::vector<std::string> columns;      // sorted by name; FTS5 tables get "rowid" too
  std::vector<std::string> primary_key;  // on the source ("rowid" when none is declared)
  std::vector<std::string> self_refs;    // columns referencing the same table
  bool fts = false;                      // an FTS5 table on SQLite
};

// The tables of a SQLite database holding data, parents before children (foreign keys).
std::vector<TableShape> describe_source_tables(Database& sqlite_db);

struct TableSummary {
  int64_t rows = 0;
  std::string checksum;  // hex SHA-256
};

// Row count and checksum of one table, computed the same way on either backend.
TableSummary summarize_table(Database& db, const TableShape& shape);

struct TableCopy {
  std::string table;
  TableSummary source, target;
  bool copied = false;  // false: the target already held the same rows, kept as they were
  double seconds = 0;
  bool ok() const { return source.rows == target.rows && source.checksum == target.checksum; }
};

struct DataCopyOptions {
  bool force = false;  // write into a target that already holds rows (see Resuming above)
  int batch = 500;     // rows per INSERT statement
  // Called after each batch and when a table is done.
  std::function<void(const std::string& table, int64_t done, int64_t total)> progress;
};

// Copies source (SQLite) into target (PostgreSQL), both already at the current schema. Throws
// Problem(Conflict) when the target holds rows and !force, runtime_error when a table cannot be
// copied identically (that table's transaction is rolled back). Returns one entry per table.
std::vector<TableCopy> copy_database(Database& source, Database& target, const DataCopyOptions& options);

}  // namespace gz::store
