// Fast loading of many generated rows (demo data, benchmarks): one connection, prepared and
// bound INSERT statements, one write transaction per batch of rows, and, for the duration of
// the load only, no fsync (synchronous=OFF), no foreign-key checks (the caller guarantees its
// references) and a large page cache. Secondary indexes of a table that is about to receive
// millions of rows can be dropped for the load and rebuilt at the end (a sort is far cheaper
// than millions of random B-tree insertions).
//
// Not for concurrent use: one BulkLoader per thread. While indexes are deferred, readers of the
// same database see the tables without them; finish() (or the destructor) rebuilds them.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace gz::store {

class BulkLoader {
 public:
  explicit BulkLoader(Database& db, int64_t rows_per_commit = 50000);
  ~BulkLoader();
  BulkLoader(const BulkLoader&) = delete;
  BulkLoader& operator=(const BulkLoader&) = delete;

  // Prepares the INSERT of `columns` into `table` (column names from code, never from input);
  // the returned handle is given to insert().
  int table(const std::string& table, const std::vector<std::string>& columns);
  // Inserts one row (values in the order of the columns) and returns its id (rowid).
  int64_t insert(int table_handle, const Params& values);

  // Drops the table's secondary indexes (not the UNIQUE constraints) until finish().
  void defer_indexes(const std::string& table);
  // Largest id of the table, 0 when empty.
  int64_t max_id(const std::string& table);
  // The connection, inside the current write transaction (for lookups through other stores).
  Connection& connection() { return *lease_; }

  // Commits, rebuilds deferred indexes (index_progress(done, total) after each) and restores
  // the connection's usual settings.
  void finish(const std::function<void(int64_t, int64_t)>& index_progress = nullptr);

 private:
  void commit_and_begin();
  void restore();

  Lease lease_;
  bool sqlite_;
  int64_t rows_per_commit_;
  int64_t pending_ = 0;
  bool finished_ = false;
  std::string saved_;  // PRAGMAs that restore the connection's settings
  std::vector<std::string> sql_;
  std::vector<std::pair<std::string, std::string>> deferred_;  // index name, CREATE INDEX statement
};

}  // namespace gz::store
