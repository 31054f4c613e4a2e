// An order whose lines reappear in the file after another order's (Online Retail's invoice
// 542806): the later lines are added to it, its own fields stay those of its first rows, and a
// re-import of the same file changes nothing — nor does it lose or double lines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"
#include "domain/access.h"
#include "domain/import_runs.h"
#include "domain/records.h"
#include "store/migrations.h"

using namespace gz;
using json = nlohmann::json;

namespace {

struct SplitOrderImport : ::testing::Test {
  std::filesystem::path dir;
  std::unique_ptr<store::Database> db;
  void SetUp() override {
    crypto::init();
    dir = std::filesystem::temp_directory_path() / ("gz-split-" + crypto::random_token(6));
    std::filesystem::create_directories(dir);
    db = store::Database::open((dir / "split.db").string());
    store::apply_migrations(*db);
  }
  void TearDown() override {
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  domain::ImportReport import(const std::string& csv) {
    std::string path = (dir / "orders.csv").string();
    std::ofstream(path, std::ios::binary) << csv;
    domain::RecordService records(*db);
    domain::ImportFileRequest req;
    req.entity = "orders";
    req.path = path;
    req.mapping = {{"columns", {{"Invoice", "external_id"}, {"Sku", "sku"}, {"Qty", "quantity"}, {"At", "ordered_at"},
                                {"Price", "unit_price"}, {"Customer", "contact_external_id"}}},
                   {"options", {{"create_missing", true}}}};
    req.restart = true;
    return domain::import_file(records, domain::system_actor(), req).report;
  }
  json order(const std::string& ext) {
    return store::with_transaction(*db, false, [&](store::Connection& c) {
      json o = c.query_one("SELECT id, ordered_at, version, total_cents FROM orders WHERE external_id = ?", {ext});
      o["lines"] = c.query_one("SELECT COUNT(*) AS n, SUM(quantity) AS q FROM order_lines WHERE order_id = ?", {o["id"]});
      return o;
    });
  }
};

const char* kFile =
    "Invoice,Sku,Qty,At,Price,Customer\n"
    "A1,P1,1,2011-02-01 11:19:00,7.95,C1\n"
    "A1,P2,2,2011-02-01 11:19:00,7.95,C1\n"
    "B1,P3,5,2011-02-01 11:19:00,2.50,C2\n"
    "A1,P4,3,2011-02-01 11:20:00,9.95,C1\n"
    "A1,P5,4,2011-02-01 11:20:00,1.00,C1\n";

TEST_F(SplitOrderImport, LaterLinesAreAddedAndAReimportChangesNothing) {
  auto first = import(kFile);
  EXPECT_EQ(first.created, 2);
  EXPECT_EQ(first.rejected, 0);
  EXPECT_EQ(first.warning_kinds["order_split"], 1);
  json a = order("A1");
  EXPECT_EQ(a["lines"]["n"], 4);
  EXPECT_EQ(a["lines"]["q"], 10);
  EXPECT_EQ(a["ordered_at"], "2011-02-01T11:19:00Z") << "the time of the order's first rows";
  EXPECT_EQ(a["total_cents"], 795 + 1590 + 2985 + 400);

  auto again = import(kFile);
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.updated, 0);
  EXPECT_EQ(order("A1"), a);

  // A quantity changed in the later part: the order is updated, its lines neither lost nor doubled.
  std::string changed = kFile;
  changed.replace(changed.find("A1,P5,4"), 7, "A1,P5,8");
  auto third = import(changed);
  EXPECT_EQ(third.created, 0);
  EXPECT_GE(third.updated, 1);
  json after = order("A1");
  EXPECT_EQ(after["lines"]["n"], 4);
  EXPECT_EQ(after["lines"]["q"], 14);
  EXPECT_EQ(after["ordered_at"], "2011-02-01T11:19:00Z");
  EXPECT_EQ(import(changed).updated, 0);
}

}  // namespace
