#include "store/database.h"

#include "store/postgres/pg_database.h"
#include "store/sqlite/sqlite_database.h"

namespace gz::store {

Lease::Lease(Database* db, std::unique_ptr<Connection> c) : db_(db), conn_(std::move(c)) {
  if (db_ && conn_) ++db_->leased_;
}

Lease::~Lease() {
  if (db_ && conn_) {
    --db_->leased_;
    db_->release(std::move(conn_));
  }
}

std::unique_ptr<Database> Database::open(const std::string& location) {
  if (location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0)
    return std::make_unique<postgres::PgDatabase>(location);
  return std::make_unique<sqlite::SqliteDatabase>(location);
}

}  // namespace gz::store
