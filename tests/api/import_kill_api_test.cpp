// Crash safety of the import (docs/import.md, "Resume"): the real CLI imports a generated order
// file in the one-row-per-line form, is killed with SIGKILL half-way, and the database must hold
// whole batches only (every order with all its lines, as many lines as the checkpoint covers);
// importing the same file again resumes after the checkpoint and ends in exactly the state of a
// clean import.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api_fixture.h"
#include "core/crypto.h"
#include "store/database.h"

using namespace gzt;

namespace {

namespace fs = std::filesystem;

// Orders of 1 to 4 lines; customers and products created by --create-missing.
int64_t write_orders(const fs::path& path, int64_t rows) {
  std::ofstream out(path, std::ios::binary);
  out << "order,customer,date,sku,label,qty,price\n";
  int64_t n = 0, order = 0;
  while (n < rows) {
    ++order;
    int lines = int(order % 4) + 1;
    for (int l = 0; l < lines && n < rows; ++l, ++n) {
      out << "O" << order << ",C" << (order * 7919 % 3000) << ".0,2024-0" << (order % 9 + 1) << "-1" << (order % 9)
          << " 10:0" << l << ":00,P" << ((order + l) % 40) << ",Article " << ((order + l) % 40) << "," << (l + 1) << ","
          << (order % 50) << "." << (l * 25 % 100) << "\n";
    }
  }
  return n;
}

pid_t spawn(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
    std::vector<char*> argv;
    std::string bin = gzt::gazelle_binary();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// Orders and lines as comparable text, by external ids (row ids differ between databases).
std::string snapshot(const std::string& db_path) {
  auto db = gz::store::Database::open(db_path);
  return gz::store::with_transaction(*db, false, [&](gz::store::Connection& c) {
    std::string s;
    for (const auto& r : c.query(
             "SELECT o.external_id AS o, c.external_id AS c, o.ordered_at AS d, o.status AS st, o.total_cents AS t, "
             "l.line_no AS n, p.sku AS sku, l.quantity AS q, l.unit_price_cents AS up FROM orders o "
             "JOIN contacts c ON c.id = o.contact_id JOIN order_lines l ON l.order_id = o.id "
             "LEFT JOIN products p ON p.id = l.product_id ORDER BY o.external_id, l.line_no"))
      s += r.dump() + "\n";
    s += c.query_one("SELECT COUNT(*) AS contacts FROM contacts").dump();
    s += c.query_one("SELECT COUNT(*) AS products FROM products").dump();
    return s;
  });
}

TEST(ImportKill, KilledMidwayLeavesWholeBatchesAndResumeEqualsCleanImport) {
  if (on_postgresql()) GTEST_SKIP() << "runs the CLI on SQLite files (the PostgreSQL path shares the same batches)";
  gz::crypto::init();
  // The CLI's report in English (it speaks the locale's language, French unless English).
  setenv("GAZELLE_LANG", "en", 1);
  fs::path dir = fs::temp_directory_path() / ("gz-import-kill-" + gz::crypto::random_token(6));
  fs::create_directories(dir);
  fs::path file = dir / "orders.csv";
  const int64_t rows = 100000;
  write_orders(file, rows);
  std::string killed_db = (dir / "killed.db").string(), clean_db = (dir / "clean.db").string();
  std::vector<std::string> args = {"import", "orders", file.string(), "--map", "order=external_id",
                                   "--map", "customer=contact_external_id", "--map", "date=ordered_at",
                                   "--map", "label=description", "--map", "qty=quantity", "--map", "price=unit_price",
                                   "--create-missing", "--batch-size", "2000"};
  auto with_db = [&](const std::string& db) {
    auto a = args;
    a.push_back("--db");
    a.push_back(db);
    return a;
  };

  // Migrated first, so that the polling below can read import_runs from the start.
  ASSERT_EQ(run_gazelle({"migrate", "--db", killed_db}).exit_code, 0);
  pid_t pid = spawn(with_db(killed_db));
  int64_t seen = 0;
  {
    auto db = gz::store::Database::open(killed_db);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      json r = gz::store::with_transaction(*db, false, [](gz::store::Connection& c) {
        return c.query_one("SELECT MAX(last_line) AS l FROM import_runs");
      });
      seen = r["l"].is_number() ? r["l"].get<int64_t>() : 0;
      if (seen > rows / 4) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ASSERT_GT(seen, rows / 4) << "the import did not get a quarter of the way in time";
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the import ended before it could be killed; make the file larger";

  // Consistent after the kill: whole orders, and exactly the rows the checkpoint covers.
  {
    auto db = gz::store::Database::open(killed_db);
    gz::store::with_transaction(*db, false, [&](gz::store::Connection& c) {
      json run = c.query_one("SELECT status, last_line, rows_done FROM import_runs ORDER BY id DESC LIMIT 1");
      EXPECT_EQ(run["status"], "running");
      int64_t last_line = run["last_line"].get<int64_t>();
      EXPECT_GE(last_line, seen);
      EXPECT_LT(last_line, rows + 1) << "killed after the end";
      EXPECT_EQ(c.query_one("SELECT COUNT(*) AS n FROM order_lines")["n"].get<int64_t>(), last_line - 1)
          << "order lines must be exactly the file's rows up to the checkpoint (line 1 is the header)";
      EXPECT_EQ(c.query_one("SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS "
                            "(SELECT 1 FROM order_lines l WHERE l.order_id = o.id)")["n"],
                0)
          << "an order without its lines";
      EXPECT_EQ(c.query_one("SELECT COUNT(*) AS n FROM orders o WHERE total_cents <> "
                            "(SELECT SUM(total_cents) FROM order_lines l WHERE l.order_id = o.id)")["n"],
                0)
          << "an order whose lines are not all there";
      EXPECT_EQ(c.query_one("SELECT COUNT(*) AS n FROM orders o WHERE (SELECT COUNT(*) FROM order_lines l "
                            "WHERE l.order_id = o.id) <> (CAST(SUBSTR(o.external_id, 2) AS INTEGER) % 4) + 1")["n"],
                0)
          << "an order with a part of its lines";
    });
  }

  // The same file again: resumed, and the result equals a clean import.
  auto resumed = run_gazelle(with_db(killed_db));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_NE(resumed.out.find("resumed run"), std::string::npos) << resumed.out;
  auto clean = run_gazelle(with_db(clean_db));
  ASSERT_EQ(clean.exit_code, 0) << clean.out;
  std::string a = snapshot(killed_db), b = snapshot(clean_db);
  EXPECT_EQ(std::count(a.begin(), a.end(), '\n'), rows);
  EXPECT_TRUE(a == b) << "the resumed import differs from a clean one";

  // Once done, a third run is idempotent: nothing created, nothing changed.
  auto again = run_gazelle(with_db(clean_db));
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("created 0, updated 0"), std::string::npos) << again.out;
  EXPECT_EQ(snapshot(clean_db), b);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
