#include "store/import_session.h"

namespace gz::store {

namespace {
constexpr int kImportCacheKiB = 65536;  // 64 MB of pages for the length of the import
}

ImportSession::ImportSession(Database& db) : db_(db), lease_(db.acquire()) {
  if (lease_->dialect().name() != "sqlite") return;  // PostgreSQL: the server's shared buffers
  json row = lease_->query_one("PRAGMA cache_size");
  if (!row.is_object() || !row.contains("cache_size") || !row["cache_size"].is_number_integer()) return;
  int64_t usual = row["cache_size"].get<int64_t>();
  lease_->execute_script("PRAGMA cache_size=-" + std::to_string(kImportCacheKiB));
  restore_ = "PRAGMA cache_size=" + std::to_string(usual);
}

ImportSession::~ImportSession() {
  if (restore_.empty()) return;
  try {
    lease_->rollback();  // no transaction is open by now; harmless when none is
    lease_->execute_script(restore_);
  } catch (...) {
    // The connection goes back to the pool with the larger cache: slower to free, still correct.
  }
}

}  // namespace gz::store
