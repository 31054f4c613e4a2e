// SQLite backend: a pool of connections to one file in WAL mode with foreign keys on. Readers
// run concurrently; writers are serialised by SQLite (BEGIN IMMEDIATE + busy timeout). Each
// connection caches its prepared statements by SQL text.
#pragma once
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.h"

namespace gz::store::sqlite {

class SqliteDialect : public Dialect {
 public:
  std::string name() const override { return "sqlite"; }
  std::string search_match_sql(const std::string& entity, const std::string& alias) const override {
    return alias + "." + entity + "_search MATCH ?";
  }
  std::string search_expression(const std::vector<std::vector<std::string>>& groups) const override;
  std::string returning_id() const override { return ""; }
  std::string without_index(const std::string& column) const override { return "+" + column; }
  std::string skip_locked() const override { return ""; }  // writers are serialised by BEGIN IMMEDIATE
  std::string json_array_contains_sql(const std::string& column) const override {
    return "EXISTS (SELECT 1 FROM json_each(" + column + ") WHERE json_each.value = ?)";
  }
  static const SqliteDialect& instance();
};

class SqliteDatabase : public Database {
 public:
  explicit SqliteDatabase(std::string path);
  ~SqliteDatabase() override;
  Lease acquire() override;
  const Dialect& dialect() const override { return dialect_; }
  std::string location() const override { return path_; }
  void backup_to(const std::string& path) override;
  PoolStats pool_stats() override;
  std::unique_lock<WriteQueue> exclusive_writer() override { return std::unique_lock(writers_); }

  // Called by the pool's connections after each commit with the WAL's length in pages.
  void wal_grew(int pages);

 protected:
  void release(std::unique_ptr<Connection> c) override;

 private:
  std::unique_ptr<Connection> open_connection();
  void checkpoints();  // the checkpointer thread

  std::string path_;
  SqliteDialect dialect_;
  std::mutex mu_;
  WriteQueue writers_;
  std::vector<std::unique_ptr<Connection>> idle_;
  // WAL checkpoints run on a thread of their own (docs/architecture.md, "store").
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false, stopping_ = false;
  std::thread checkpointer_;
};

}  // namespace gz::store::sqlite
