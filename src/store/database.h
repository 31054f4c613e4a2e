// The storage interface. Every SQL statement of Gazelle runs through it, and only code under
// src/store/ writes SQL. A backend (SQLite now, PostgreSQL next) implements Connection and
// Database; what differs between SQL dialects is isolated in Dialect.
//
// Values and rows are nlohmann::json: a parameter is null, a boolean, an integer, a double or a
// string; a row is a JSON object keyed by column name. Parameters are always bound, never
// spliced into SQL text.
//
// Thread-safety: a Database is shared by all threads; a Connection belongs to one thread at a
// time, handed out by Database::acquire() and returned when the lease is destroyed.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/write_queue.h"

namespace gz::store {

using json = nlohmann::json;
using Params = std::vector<json>;

// SQL differences between backends, asked for by the SQL builders in this folder.
class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual std::string name() const = 0;                 // "sqlite", "postgresql"
  // Full-text search: the condition that row `alias` of <entity>_search (rowid = record id,
  // body) matches one bound parameter, and that parameter built from groups of folded words
  // (every group must match; a group matches when one of its words does, as a prefix).
  virtual std::string search_match_sql(const std::string& entity, const std::string& alias) const = 0;
  virtual std::string search_expression(const std::vector<std::vector<std::string>>& groups) const = 0;
  // The rowids matching the groups, each once and in no order, read from the search's words
  // (PostgreSQL: <entity>_search_words, store::pg_search_words); its parameters appended to p.
  // "" where the backend has no such table (SQLite's FTS5 index is already laid out that way).
  virtual std::string search_rowids(const std::string& entity, const std::vector<std::vector<std::string>>& groups,
                                    Params& p) const {
    (void)entity, (void)groups, (void)p;
    return "";
  }
  virtual std::string returning_id() const = 0;  // "" where the driver reports the new id itself
  // A column reference the planner must not use an index for (SQLite: unary +; PostgreSQL's
  // planner has statistics and needs no hint).
  virtual std::string without_index(const std::string& column) const { return column; }
  // A statement taking a lock held until the end of the transaction, serialising schema
  // migrations between processes ("" where write transactions are serialised anyway).
  virtual std::string migration_lock_sql() const { return ""; }
  // Appended to a SELECT … LIMIT that picks rows to claim (job queue): PostgreSQL locks them and
  // skips rows another transaction holds (" FOR UPDATE SKIP LOCKED"); SQLite needs nothing, its
  // write transactions (BEGIN IMMEDIATE) are serialised.
  virtual std::string skip_locked() const = 0;
  // The condition that the JSON array of strings in `column` holds one bound parameter (tags).
  virtual std::string json_array_contains_sql(const std::string& column) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual const Dialect& dialect() const = 0;
  // Which database this connection reaches, for what a process keeps per database (PostgreSQL:
  // host:port/name; "" for SQLite, whose process-wide caches need none).
  virtual std::string database_identity() const { return ""; }
  // Runs a statement and returns its rows (possibly none).
  virtual std::vector<json> query(const std::string& sql, const Params& params = {}) = 0;
  // Runs a statement and returns the number of rows it changed.
  virtual int64_t execute(const std::string& sql, const Params& params = {}) = 0;
  // Runs an INSERT and returns the id of the new row.
  virtual int64_t insert(const std::string& sql, const Params& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual void execute_script(const std::string& sql) = 0;
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // Convenience: first row, or null json when there is none.
  json query_one(const std::string& sql, const Params& params = {}) {
    auto rows = query(sql, params);
    return rows.empty() ? json() : std::move(rows.front());
  }
};

class Database;

// A connection borrowed from the pool; returned when destroyed.
class Lease {
 public:
  Lease(Database* db, std::unique_ptr<Connection> c);
  Lease(Lease&&) = default;
  ~Lease();
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  Database* db_;
  std::unique_ptr<Connection> conn_;
};

// Connections of a pool, for monitoring (GET /metrics).
struct PoolStats {
  int64_t idle = 0;    // open, waiting in the pool
  int64_t in_use = 0;  // lent out by acquire() now
};

class Database {
 public:
  virtual ~Database() = default;
  // Opens a database by location: a file path (SQLite). Throws std::runtime_error on failure.
  static std::unique_ptr<Database> open(const std::string& location);

  virtual Lease acquire() = 0;
  virtual const Dialect& dialect() const = 0;
  virtual std::string location() const = 0;
  // Online copy of the whole database to a file (SQLite backup API).
  virtual void backup_to(const std::string& path) = 0;
  virtual PoolStats pool_stats() = 0;
  // Held for the length of a write transaction. SQLite allows one writer at a time and makes
  // the others sleep and retry in its busy handler; queueing them in the process instead
  // (store/write_queue.h, first come first served) removes those sleeps from the latency tail.
  // PostgreSQL needs nothing.
  virtual std::unique_lock<WriteQueue> exclusive_writer() { return {}; }

 protected:
  friend class Lease;
  std::atomic<int64_t> leased_{0};  // counted by Lease
  virtual void release(std::unique_ptr<Connection> c) = 0;
};

// Runs fn inside a transaction: committed when fn returns, rolled back when it throws (and the
// exception goes on). Write transactions take the write lock at once so that two writers never
// deadlock on a lock upgrade.
template <class Fn>
auto with_transaction(Database& db, bool write, Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
  std::unique_lock<WriteQueue> writer;
  if (write) writer = db.exclusive_writer();
  Lease lease = db.acquire();
  lease->begin(write);
  try {
    if constexpr (std::is_void_v<decltype(fn(*lease))>) {
      fn(*lease);
      lease->commit();
    } else {
      auto result = fn(*lease);
      lease->commit();
      return result;
    }
  } catch (...) {
    try { lease->rollback(); } catch (...) {}
    throw;
  }
}

}  // namespace gz::store
