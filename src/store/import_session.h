// The connection of one long import (domain/import_service.cpp): held from the first batch to the
// last, so that every batch reuses the statements the connection has prepared and, on SQLite, a
// page cache large enough for the indexes a load of a million rows keeps touching (a pooled
// connection has 4 MB, sized for the server's many short requests; a load with a small cache
// rereads the same index pages from the operating system for every row). The usual cache size
// comes back when the session ends.
//
// Durability is not traded: WAL journaling and synchronous=NORMAL stay, each batch is one
// transaction, so a killed import leaves the database as of its last committed batch.
#pragma once
#include <string>

#include "store/database.h"

namespace gz::store {

class ImportSession {
 public:
  explicit ImportSession(Database& db);
  ~ImportSession();
  ImportSession(const ImportSession&) = delete;
  ImportSession& operator=(const ImportSession&) = delete;

  // Like with_transaction(db, write, fn), on the session's connection.
  template <class Fn>
  void transaction(bool write, Fn&& fn) {
    std::unique_lock<WriteQueue> writer;
    if (write) writer = db_.exclusive_writer();
    lease_->begin(write);
    try {
      fn(*lease_);
      lease_->commit();
    } catch (...) {
      try { lease_->rollback(); } catch (...) {}
      throw;
    }
  }

 private:
  Database& db_;
  Lease lease_;
  std::string restore_;  // statement giving the connection its settings back ("" when none changed)
};

}  // namespace gz::store
