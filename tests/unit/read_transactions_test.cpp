// Read transactions (store::with_transaction(db, false, …)) on each backend. PostgreSQL opens one
// on the server only when it first writes or locks (src/store/postgres/pg_database.cpp): what it
// writes must still be all or nothing, and reads need no transaction to see what is committed.
#include <gtest/gtest.h>

#include <stdexcept>

#include "scratch_database.h"
#include "store/migrations.h"

using namespace gz;

class ReadTransactions : public ::testing::TestWithParam<std::string> {};

TEST_P(ReadTransactions, WritesOfAReadTransactionAreAllOrNothing) {
  gzt::ScratchDatabase scratch(GetParam(), "readtx");
  if (!scratch.available()) GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set";
  auto db = store::Database::open(scratch.location());
  store::apply_migrations(*db);
  const std::string now = "2026-01-01T00:00:00Z";
  auto count = [&] {
    return store::with_transaction(*db, false, [](store::Connection& c) {
      return c.query_one("SELECT COUNT(*) AS n FROM contacts WHERE last_name LIKE 'Tx%'")["n"].get<int64_t>();
    });
  };
  // Reads first, then two writes, then a failure: neither write stays.
  EXPECT_THROW(store::with_transaction(*db, false,
                                       [&](store::Connection& c) {
                                         c.query("SELECT id FROM contacts LIMIT 1");
                                         c.execute("INSERT INTO contacts (last_name, created_at, updated_at) VALUES ('Tx1', ?, ?)", {now, now});
                                         c.execute("INSERT INTO contacts (last_name, created_at, updated_at) VALUES ('Tx2', ?, ?)", {now, now});
                                         throw std::runtime_error("fails after its writes");
                                       }),
               std::runtime_error);
  EXPECT_EQ(count(), 0) << "a read transaction's writes rolled back together";
  // Committed, they are seen by the next read transaction, and the connection is reusable.
  store::with_transaction(*db, false, [&](store::Connection& c) {
    c.execute("INSERT INTO contacts (last_name, created_at, updated_at) VALUES ('Tx3', ?, ?)", {now, now});
  });
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(count(), 1) << "a read-only transaction leaves its connection ready for the next";
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadTransactions, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
