// Import of XLSX sheets, households and interactions, constants and options, resume checkpoints
// (docs/import.md).
#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <sstream>

#include "core/crypto.h"
#include "core/problem.h"
#include "domain/access.h"
#include "domain/import_runs.h"
#include "domain/import_service.h"
#include "store/migrations.h"
#include "store/record_store.h"

using namespace gz;
using json = nlohmann::json;

namespace {

class ImportXlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::init();
    dir_ = std::filesystem::temp_directory_path() / ("gz-import-xlsx-" + crypto::random_token(6));
    std::filesystem::create_directories(dir_);
    db_ = store::Database::open((dir_ / "test.db").string());
    store::apply_migrations(*db_);
    records_ = std::make_unique<domain::RecordService>(*db_);
  }
  void TearDown() override {
    records_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  json one(const std::string& sql) {
    return store::with_transaction(*db_, false, [&](store::Connection& c) { return c.query_one(sql); });
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<domain::RecordService> records_;
};

TEST_F(ImportXlsxTest, HouseholdsContactsAndInteractionsFromASecondSheet) {
  std::string path = (dir_ / "base.xlsx").string();
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* notes = workbook_add_worksheet(wb, "Notes");
  lxw_worksheet* foyers = workbook_add_worksheet(wb, "Foyers");
  worksheet_write_string(notes, 0, 0, "rien", nullptr);
  const char* head[] = {"Code", "Nom du foyer", "Ville", "Personnes"};
  for (int i = 0; i < 4; ++i) worksheet_write_string(foyers, 0, lxw_col_t(i), head[i], nullptr);
  worksheet_write_number(foyers, 1, 0, 1001, nullptr);  // a numeric code, as spreadsheets store it
  worksheet_write_string(foyers, 1, 1, "Famille Léveillé", nullptr);
  worksheet_write_string(foyers, 1, 2, "Besançon", nullptr);
  worksheet_write_number(foyers, 1, 3, 4, nullptr);
  worksheet_write_number(foyers, 2, 0, 1002, nullptr);
  worksheet_write_string(foyers, 2, 1, "Famille Roux", nullptr);
  // C3 left empty; D3 not a number of people
  worksheet_write_string(foyers, 2, 3, "beaucoup", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  domain::ImportService service(*records_);
  domain::ImportOptions o;
  o.map = {{"Code", "external_id"}, {"Nom du foyer", "name"}, {"Ville", "city"}, {"Personnes", "size"}};
  auto src = domain::open_source(path, "Foyers");
  auto rep = service.import_rows(domain::system_actor(), domain::entity("households"), *src, o);
  EXPECT_EQ(rep.created, 1);
  EXPECT_EQ(rep.rejected, 1);
  ASSERT_EQ(rep.errors.size(), 1u);
  EXPECT_EQ(rep.errors[0].line, 3);
  EXPECT_EQ(rep.errors[0].column, "Personnes");
  json h = one("SELECT external_id, name, city, size FROM households");
  EXPECT_EQ(h["external_id"], "1001");
  EXPECT_EQ(h["name"], "Famille Léveillé");
  EXPECT_EQ(h["city"], "Besançon");
  EXPECT_EQ(h["size"], 4);

  // Interactions by contact external id, the contact created on the way; a constant channel.
  std::istringstream csv(
      "ref,contact,when,subject\n"
      "I1,9.0,2024-03-01 10:00:00,Premier appel\n"
      "I2,9,2024-03-02 11:30:00,Relance\n");
  domain::ImportOptions io;
  io.map = {{"ref", "external_id"}, {"contact", "contact_external_id"}, {"when", "occurred_at"}};
  io.constants = {{"channel", "phone"}};
  io.create_missing = true;
  auto r2 = service.import_csv(domain::system_actor(), domain::entity("interactions"), csv, io);
  EXPECT_EQ(r2.created, 2) << (r2.errors.empty() ? "" : r2.errors[0].message.english());
  EXPECT_EQ(r2.created_related["contacts"], 1);
  EXPECT_EQ(one("SELECT COUNT(*) AS n FROM interactions WHERE channel = 'phone' AND contact_id = "
                "(SELECT id FROM contacts WHERE external_id = '9')")["n"], 2);
  EXPECT_EQ(one("SELECT occurred_at FROM interactions WHERE external_id = 'I2'")["occurred_at"], "2024-03-02T11:30:00Z");
}

TEST_F(ImportXlsxTest, ResumeSkipsWhatTheCheckpointCoversAndSuggestsAMapping) {
  std::string csv = "external_id,last_name\n";
  for (int i = 1; i <= 25; ++i) csv += "R" + std::to_string(i) + ",Nom" + std::to_string(i) + "\n";
  domain::ImportService service(*records_);
  std::vector<domain::ImportCheckpoint> seen;
  domain::ImportOptions o;
  o.batch_size = 10;
  o.on_commit = [&](store::Connection&, const domain::ImportCheckpoint& cp) { seen.push_back(cp); };
  {
    std::istringstream in(csv);
    auto rep = service.import_csv(domain::system_actor(), domain::entity("contacts"), in, o);
    EXPECT_EQ(rep.created, 25);
  }
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].last_line, 11);
  EXPECT_EQ(seen[0].created, 10);
  EXPECT_EQ(seen[1].last_line, 21);
  EXPECT_EQ(seen[2].last_line, 26);

  // Resumed after the first batch on a fresh database: only rows after line 11 are imported.
  store::with_transaction(*db_, true, [](store::Connection& c) { c.execute("DELETE FROM contacts"); });
  domain::ImportOptions r;
  r.resume = seen[0];
  std::istringstream in(csv);
  auto rep = service.import_csv(domain::system_actor(), domain::entity("contacts"), in, r);
  EXPECT_EQ(rep.created, 25);  // 10 counted before the checkpoint + 15 now
  EXPECT_EQ(one("SELECT COUNT(*) AS n FROM contacts")["n"], 15);
  EXPECT_EQ(one("SELECT MIN(CAST(SUBSTR(external_id, 2) AS INTEGER)) AS m FROM contacts")["m"], 11);

  auto s = domain::ImportService::suggest_mapping(domain::entity("contacts"), {"Prénom", "NOM", "Courriel", "Ville", "Divers"});
  EXPECT_EQ(s, (std::vector<std::string>{"first_name", "last_name", "emails", "city", ""}));
  EXPECT_THROW(domain::normalise_mapping(json{{"options", {{"create_missing", "yes"}}}}), Problem);
}

}  // namespace
