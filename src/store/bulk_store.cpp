#include "store/bulk_store.h"

#include <stdexcept>

namespace gz::store {

BulkLoader::BulkLoader(Database& db, int64_t rows_per_commit)
    : lease_(db.acquire()), sqlite_(db.dialect().name() == "sqlite"), rows_per_commit_(rows_per_commit) {
  if (sqlite_) {  // outside any transaction: foreign_keys cannot change inside one
    // The connection's own settings (sqlite_database.cpp), restored by restore().
    for (const char* name : {"synchronous", "foreign_keys", "cache_size"})
      saved_ += std::string("PRAGMA ") + name + "=" +
                std::to_string(lease_->query_one(std::string("PRAGMA ") + name)[name].get<int64_t>()) + "; ";
    lease_->execute_script("PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-262144;");
  }
  lease_->begin(true);
}

BulkLoader::~BulkLoader() {
  if (finished_) return;
  // Keep what was loaded and, above all, the indexes: a half-filled demo beats a schema
  // without its indexes.
  try {
    finish();
  } catch (...) {
    try { lease_->rollback(); } catch (...) {}
    try { restore(); } catch (...) {}
  }
}

int BulkLoader::table(const std::string& table, const std::vector<std::string>& columns) {
  std::string cols, marks;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) { cols += ", "; marks += ", "; }
    cols += columns[i];
    marks += "?";
  }
  sql_.push_back("INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")");
  return int(sql_.size()) - 1;
}

int64_t BulkLoader::insert(int handle, const Params& values) {
  int64_t id = lease_->insert(sql_.at(size_t(handle)), values);
  if (++pending_ >= rows_per_commit_) commit_and_begin();
  return id;
}

void BulkLoader::commit_and_begin() {
  lease_->commit();
  pending_ = 0;
  lease_->begin(true);
}

void BulkLoader::defer_indexes(const std::string& table) {
  if (!sqlite_) return;
  auto rows = lease_->query(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", {table});
  for (auto& r : rows) {
    std::string name = r["name"].get<std::string>();
    lease_->execute_script("DROP INDEX \"" + name + "\"");
    deferred_.emplace_back(name, r["sql"].get<std::string>());
  }
}

int64_t BulkLoader::max_id(const std::string& table) {
  auto r = lease_->query_one("SELECT COALESCE(MAX(id), 0) AS m FROM " + table);
  return r["m"].get<int64_t>();
}

void BulkLoader::finish(const std::function<void(int64_t, int64_t)>& index_progress) {
  if (finished_) return;
  lease_->commit();
  int64_t done = 0, total = int64_t(deferred_.size());
  for (const auto& [name, sql] : deferred_) {
    lease_->begin(true);
    lease_->execute_script(sql);
    lease_->commit();
    if (index_progress) index_progress(++done, total);
  }
  deferred_.clear();
  finished_ = true;
  restore();
}

void BulkLoader::restore() {
  if (!sqlite_) return;
  // The connection's usual settings, then the write-ahead log folded back into the file.
  lease_->execute_script(saved_ + "PRAGMA wal_checkpoint(TRUNCATE);");
}

}  // namespace gz::store
