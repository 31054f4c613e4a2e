#include "store/database.h"

#include "store/sqlite/sqlite_database.h"

namespace gz::store {

Lease::~Lease() {
  if (db_ && conn_) db_->release(std::move(conn_));
}

std::unique_ptr<Database> Database::open(const std::string& location) {
  if (location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0)
    throw std::runtime_error("PostgreSQL is not supported by this build yet: use a SQLite file path");
  return std::make_unique<sqlite::SqliteDatabase>(location);
}

}  // namespace gz::store
