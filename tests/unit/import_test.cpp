#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/problem.h"
#include "domain/access.h"
#include "domain/import_service.h"
#include "domain/records.h"
#include "store/migrations.h"
#include "store/record_store.h"

using namespace gz;
using json = nlohmann::json;

namespace {

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::init();
    dir_ = std::filesystem::temp_directory_path() / ("gz-import-" + crypto::random_token(6));
    std::filesystem::create_directories(dir_);
    db_ = store::Database::open((dir_ / "test.db").string());
    store::apply_migrations(*db_);
    records_ = std::make_unique<domain::RecordService>(*db_);
    service_ = std::make_unique<domain::ImportService>(*records_);
  }
  void TearDown() override {
    service_.reset();
    records_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  domain::ImportReport import(const std::string& entity, const std::string& csv, domain::ImportOptions o = {}) {
    std::istringstream in(csv);
    return service_->import_csv(domain::system_actor(), domain::entity(entity), in, o);
  }

  // The record with that external_id, or null.
  json by_ext(const std::string& entity, const std::string& ext) {
    const auto& e = domain::entity(entity);
    auto id = store::with_transaction(*db_, false, [&](store::Connection& c) {
      return store::RecordStore::find_id_by_external_id(c, e, ext);
    });
    if (!id) return json();
    auto rec = records_->get(domain::system_actor(), e, *id);
    return rec ? *rec : json();
  }

  size_t count(const std::string& entity) {
    domain::ListRequest req{{{"limit", "500"}}};
    return records_->list(domain::system_actor(), domain::entity(entity), req).data.size();
  }

  void add_product(const std::string& sku, const std::string& name, int64_t price) {
    records_->create(domain::system_actor(), domain::entity("products"),
                     {{"sku", sku}, {"name", name}, {"unit_price_cents", price}});
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<domain::RecordService> records_;
  std::unique_ptr<domain::ImportService> service_;
};

const char* kAccounts =
    "external_id,name,industry,tier\n"
    "A1,Boulangerie Martin,food,gold\n"
    "A2,Garage Dupuis,automotive,\n";

const char* kContacts =
    "external_id,first_name,last_name,emails,phones,account_external_id,consent,lifecycle_stage\n"
    "C1,Jean,Martin,jean@martin.fr|j.martin@gmail.com,06 12 34 56 78,A1,\"{\"\"email\"\": {\"\"status\"\": \"\"granted\"\", "
    "\"\"date\"\": \"\"2024-01-02T10:00:00Z\"\", \"\"origin\"\": \"\"web form\"\"}}\",prospect\n"
    "C2,Anne,Dupuis,anne@dupuis.fr,,A2,,\n"
    "C3,,Sans Contact,,,,,\n";  // no e-mail, no phone: accepted

bool has_error(const domain::ImportReport& r, int64_t line, const std::string& column) {
  for (const auto& e : r.errors)
    if (e.line == line && e.column == column) return true;
  return false;
}

std::string dump_errors(const domain::ImportReport& r) {
  std::string s;
  for (const auto& e : r.errors) s += "line " + std::to_string(e.line) + " [" + e.column + "] " + e.message.english() + "\n";
  return s;
}

}  // namespace

TEST_F(ImportTest, CreatesThenCountsUpdatedAndUnchanged) {
  auto r = import("accounts", kAccounts);
  EXPECT_EQ(r.created, 2) << dump_errors(r);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_TRUE(r.written);
  auto r2 = import("accounts",
                   "external_id,name,industry,tier\n"
                   "A1,Boulangerie Martin,food,silver\n"  // tier changed
                   "A2,Garage Dupuis,automotive,\n"       // same
                   "A3,Pharmacie Leroy,health,bronze\n");  // new
  EXPECT_EQ(r2.created, 1) << dump_errors(r2);
  EXPECT_EQ(r2.updated, 1);
  EXPECT_EQ(r2.unchanged, 1);
  EXPECT_EQ(by_ext("accounts", "A1")["tier"], "silver");
  EXPECT_EQ(by_ext("accounts", "A1")["version"], 2);
  EXPECT_EQ(count("accounts"), 3u);
}

TEST_F(ImportTest, SameFileTwiceChangesNothing) {
  ASSERT_EQ(import("accounts", kAccounts).created, 2);
  auto r = import("contacts", kContacts);
  ASSERT_EQ(r.created, 3) << dump_errors(r);
  json c1 = by_ext("contacts", "C1");
  EXPECT_EQ(c1["emails"], json({"jean@martin.fr", "j.martin@gmail.com"}));
  EXPECT_EQ(c1["phones"], json({"+33612345678"}));
  EXPECT_EQ(c1["account_id"], by_ext("accounts", "A1")["id"]);
  EXPECT_EQ(c1["consent"]["email"]["status"], "granted");
  EXPECT_TRUE(by_ext("contacts", "C3")["emails"].empty());

  auto again = import("contacts", kContacts);
  EXPECT_EQ(again.created, 0) << dump_errors(again);
  EXPECT_EQ(again.updated, 0) << dump_errors(again);
  EXPECT_EQ(again.unchanged, 3);
  EXPECT_EQ(by_ext("contacts", "C1")["version"], c1["version"]);
  EXPECT_EQ(count("contacts"), 3u);
}

TEST_F(ImportTest, RejectedRowsReportLineAndColumnAndLeaveDataAsItWas) {
  ASSERT_EQ(import("contacts", "external_id,Nom,Email\nK1,Durand,k1@example.fr\n",
                   {.map = {{"Nom", "last_name"}, {"Email", "emails"}}})
                .created,
            1);
  domain::ImportOptions o;
  o.map = {{"Nom", "last_name"}, {"Email", "emails"}, {"Stage", "lifecycle_stage"}};
  auto r = import("contacts",
                  "external_id,Nom,Email,Stage\n"
                  "K2,\"Multi\nLigne\",k2@example.fr,\n"    // line 2-3: last_name with a control character
                  "K1,Durand,not-an-email,\n"               // line 4: bad e-mail for an existing record
                  "K3,Petit,k3@example.fr,customer\n"       // line 5: fine
                  "K4,Grand,k4@example.fr,superstar\n",     // line 6: bad stage
                  o);
  EXPECT_EQ(r.created, 1) << dump_errors(r);
  EXPECT_EQ(r.rejected, 3) << dump_errors(r);
  EXPECT_TRUE(has_error(r, 2, "Nom")) << dump_errors(r);
  EXPECT_TRUE(has_error(r, 4, "Email")) << dump_errors(r);
  EXPECT_TRUE(has_error(r, 6, "Stage")) << dump_errors(r);
  EXPECT_EQ(by_ext("contacts", "K1")["emails"], json({"k1@example.fr"}));
  EXPECT_EQ(by_ext("contacts", "K1")["version"], 1);
  EXPECT_FALSE(by_ext("contacts", "K3").is_null());
  EXPECT_TRUE(by_ext("contacts", "K4").is_null());
}

TEST_F(ImportTest, AllOrNothingWritesNothingWhenOneRowIsBad) {
  domain::ImportOptions o;
  o.all_or_nothing = true;
  auto r = import("accounts", "external_id,name,size\nB1,Alpha,1-9\nB2,Beta,huge\nB3,Gamma,10-49\n", o);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_TRUE(has_error(r, 3, "size")) << dump_errors(r);
  EXPECT_FALSE(r.written);
  EXPECT_EQ(count("accounts"), 0u);

  auto ok = import("accounts", "external_id,name,size\nB1,Alpha,1-9\nB3,Gamma,10-49\n", o);
  EXPECT_TRUE(ok.written);
  EXPECT_EQ(count("accounts"), 2u);
}

TEST_F(ImportTest, DryRunReportsButWritesNothing) {
  domain::ImportOptions o;
  o.dry_run = true;
  auto r = import("accounts", kAccounts, o);
  EXPECT_EQ(r.created, 2);
  EXPECT_FALSE(r.written);
  EXPECT_EQ(count("accounts"), 0u);
}

TEST_F(ImportTest, UnknownColumnFailsBeforeAnyRowUnlessSkipped) {
  try {
    import("accounts", "external_id,name,colour\nA1,Alpha,blue\n");
    FAIL() << "an unknown column was accepted";
  } catch (const Problem& p) {
    EXPECT_NE(p.detail().find("colour"), std::string::npos) << p.detail();
  }
  EXPECT_EQ(count("accounts"), 0u);
  domain::ImportOptions o;
  o.map = {{"colour", "-"}};
  EXPECT_EQ(import("accounts", "external_id,name,colour\nA1,Alpha,blue\n", o).created, 1);
}

TEST_F(ImportTest, BrokenQuotingFailsWithLineAndWritesNothing) {
  try {
    import("accounts", "external_id,name\nA1,Alpha\nA2,Be\"ta\n");
    FAIL() << "broken quoting was accepted";
  } catch (const Problem& p) {
    EXPECT_NE(p.detail().find("line 3"), std::string::npos) << p.detail();
  }
  EXPECT_EQ(count("accounts"), 0u);
}

TEST_F(ImportTest, WrongColumnCountRejectsTheRowOnly) {
  auto r = import("accounts", "external_id,name\nA1,Alpha\nA2,Beta,extra\nA3,Gamma\n");
  EXPECT_EQ(r.created, 2);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_TRUE(has_error(r, 3, "")) << dump_errors(r);
}

TEST_F(ImportTest, OrdersOneRowPerOrder) {
  ASSERT_EQ(import("accounts", kAccounts).created, 2);
  ASSERT_EQ(import("contacts", kContacts).created, 3);
  auto r = import("orders",
                  "external_id,contact_external_id,account_external_id,ordered_at,amount,status,channel\n"
                  "O1,C1,,15/03/2024,\"12,50\",paid,store\n"
                  "O2,,A2,2024-03-16T09:30:00+01:00,1234.5,confirmed,web\n"
                  "O3,C9,,2024-03-17,10,paid,web\n");  // unknown contact
  EXPECT_EQ(r.created, 2) << dump_errors(r);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_TRUE(has_error(r, 4, "contact_external_id")) << dump_errors(r);
  json o1 = by_ext("orders", "O1");
  EXPECT_EQ(o1["total_cents"], 1250);
  EXPECT_EQ(o1["ordered_at"], "2024-03-15T00:00:00Z");
  EXPECT_EQ(o1["contact_id"], by_ext("contacts", "C1")["id"]);
  EXPECT_EQ(o1["account_id"], by_ext("accounts", "A1")["id"]);  // from the contact's company
  json o2 = by_ext("orders", "O2");
  EXPECT_EQ(o2["total_cents"], 123450);
  EXPECT_EQ(o2["ordered_at"], "2024-03-16T08:30:00Z");

  auto cents = import("orders", "external_id,account_external_id,total_cents\nO4,A1,999\nO5,A1,9.99\n");
  EXPECT_EQ(cents.created, 1);
  EXPECT_TRUE(has_error(cents, 3, "total_cents")) << dump_errors(cents);
  EXPECT_EQ(by_ext("orders", "O4")["total_cents"], 999);
}

TEST_F(ImportTest, OrdersOneRowPerLineAreGroupedWithTotals) {
  ASSERT_EQ(import("accounts", kAccounts).created, 2);
  add_product("BAG-01", "Baguette", 120);
  add_product("CRO-01", "Croissant", 110);
  const std::string csv =
      "external_id,account_external_id,ordered_at,status,product_sku,description,quantity,unit_price,discount\n"
      "L1,A1,2024-04-01,paid,BAG-01,,10,,\n"            // 10 × 1,20 = 12,00
      "L1,A1,2024-04-01,paid,CRO-01,,4,\"1,50\",\"0,50\"\n"  // 4 × 1,50 − 0,50 = 5,50
      "L2,A2,2024-04-02,paid,,Livraison,1,\"7,90\",\n"    // 7,90
      "L3,A2,2024-04-03,paid,NOPE,,1,,\n";                // unknown SKU
  auto r = import("orders", csv);
  EXPECT_EQ(r.created, 2) << dump_errors(r);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_TRUE(has_error(r, 5, "product_sku")) << dump_errors(r);
  json l1 = by_ext("orders", "L1");
  EXPECT_EQ(l1["total_cents"], 1200 + 550);
  EXPECT_EQ(l1["discount_cents"], 50);
  ASSERT_EQ(l1["lines"].size(), 2u);
  EXPECT_EQ(l1["lines"][1]["unit_price_cents"], 150);
  EXPECT_EQ(by_ext("orders", "L2")["total_cents"], 790);

  auto again = import("orders", csv);
  EXPECT_EQ(again.created, 0) << dump_errors(again);
  EXPECT_EQ(again.updated, 0) << dump_errors(again);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(by_ext("orders", "L1")["version"], l1["version"]);

  // A changed quantity updates the order's lines and total.
  auto changed = import("orders",
                        "external_id,product_sku,quantity\n"
                        "L1,BAG-01,5\n"
                        "L1,CRO-01,4\n");
  EXPECT_EQ(changed.updated, 1) << dump_errors(changed);
  EXPECT_EQ(by_ext("orders", "L1")["total_cents"], 600 + 440);
}

TEST_F(ImportTest, FrenchSemicolonFileWithAccents) {
  std::string csv =
      "\xEF\xBB\xBF"
      "Réf;Nom;Prénom;Ville;Téléphones;Courriels\r\n"
      "F1;Lefèvre;Hélène;Orléans;06 12 34 56 78|01 23 45 67 89;helene@exemple.fr\r\n"
      "F2;N'Diaye;Françoise;Besançon;;\r\n";
  domain::ImportOptions o;
  o.map = {{"Réf", "external_id"}, {"Nom", "last_name"}, {"Prénom", "first_name"},
           {"Ville", "city"},      {"Téléphones", "phones"}, {"Courriels", "emails"}};
  auto r = import("contacts", csv, o);
  EXPECT_EQ(r.created, 2) << dump_errors(r);
  json f1 = by_ext("contacts", "F1");
  EXPECT_EQ(f1["last_name"], "Lefèvre");
  EXPECT_EQ(f1["first_name"], "Hélène");
  EXPECT_EQ(f1["city"], "Orléans");
  EXPECT_EQ(f1["phones"], json({"+33612345678", "+33123456789"}));
  EXPECT_EQ(by_ext("contacts", "F2")["first_name"], "Françoise");
  EXPECT_EQ(import("contacts", csv, o).unchanged, 2);
}

TEST_F(ImportTest, ExportReimportsCleanly) {
  ASSERT_EQ(import("accounts", kAccounts).created, 2);
  ASSERT_EQ(import("contacts", kContacts).created, 3);
  records_->create(domain::system_actor(), domain::entity("contacts"),
                   {{"last_name", "Sans Réf"}, {"emails", {"a@b.fr"}}});  // no external_id
  ASSERT_EQ(import("orders", "external_id,contact_external_id,amount\nO1,C1,\"12,50\"\n").created, 1);
  for (const char* entity : {"accounts", "contacts", "orders"}) {
    std::ostringstream out;
    service_->export_csv(domain::system_actor(), domain::entity(entity), out);
    std::string csv = out.str();
    EXPECT_EQ(csv.rfind("id,external_id,", 0), 0u) << csv;
    size_t before = count(entity);
    auto r = import(entity, csv);
    EXPECT_EQ(r.rejected, 0) << entity << "\n" << dump_errors(r) << csv;
    EXPECT_EQ(r.created, 0) << entity << "\n" << csv;
    EXPECT_EQ(r.updated, 0) << entity << "\n" << csv;
    EXPECT_EQ(r.unchanged, int64_t(before)) << entity;
  }
  std::ostringstream out;
  service_->export_csv(domain::system_actor(), domain::entity("orders"), out);
  EXPECT_NE(out.str().find(",1250,"), std::string::npos) << out.str();
}

TEST_F(ImportTest, ExportsXlsx) {
  ASSERT_EQ(import("accounts", kAccounts).created, 2);
  auto path = dir_ / "accounts.xlsx";
  service_->export_xlsx(domain::system_actor(), domain::entity("accounts"), path.string());
  std::ifstream f(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_GT(data.size(), 1000u);
  EXPECT_EQ(data.substr(0, 2), "PK");  // a zip container
}
