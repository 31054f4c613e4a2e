// The batched import (one transaction per batch on one held connection, store/import_session.h)
// gives the same report and leaves the same database as the same file imported one row per
// transaction: records, versions, audit entries, search index and stage history.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "core/crypto.h"
#include "domain/access.h"
#include "domain/import_service.h"
#include "domain/records.h"
#include "store/import_session.h"
#include "store/migrations.h"

using namespace gz;
using json = nlohmann::json;

namespace {

struct Base {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<domain::RecordService> records;
  std::unique_ptr<domain::ImportService> service;

  explicit Base(const std::filesystem::path& file) {
    db = store::Database::open(file.string());
    store::apply_migrations(*db);
    records = std::make_unique<domain::RecordService>(*db);
    service = std::make_unique<domain::ImportService>(*records);
  }
  domain::ImportReport import(const std::string& csv, int batch_size, bool pipeline = true) {
    std::istringstream in(csv);
    domain::ImportOptions o;
    o.batch_size = batch_size;
    o.pipeline = pipeline;
    o.strict = true;  // K5's unassigned number rejects its row (not strict: set aside with a warning)
    return service->import_csv(domain::system_actor(), domain::entity("contacts"), in, o);
  }
  // Everything the import writes, without the clock's values.
  json state() {
    return store::with_transaction(*db, false, [](store::Connection& c) {
      json s;
      s["contacts"] = c.query(
          "SELECT id, external_id, first_name, last_name, emails, phones, postcode, city, lifecycle_stage, version "
          "FROM contacts ORDER BY id");
      s["audit"] = c.query("SELECT entity, record_id, action, changes FROM audit_log ORDER BY id");
      s["search"] = c.query("SELECT rowid AS id, body FROM contacts_search ORDER BY rowid");
      s["stages"] = c.query("SELECT entity, record_id, stage, reason FROM stage_history ORDER BY id");
      return s;
    });
  }
};

json errors_of(const domain::ImportReport& r) {
  json out = json::array();
  for (const auto& e : r.errors) out.push_back({e.line, e.column, e.message.english()});
  return out;
}

const char* kFirst =
    "external_id,first_name,last_name,emails,phones,postcode,city,lifecycle_stage\n"
    "K1,Jean,Petit,jean.petit@example.fr,06 42 25 63 86,29657,Paris,prospect\n"
    "K2,Anne,Roux,anne.roux@example.fr,07 51 20 30 40,69001,Lyon,prospect\n"
    "K3,Hugo,Simon,hugo.simon@example.fr,01 42 68 53 00,75008,Paris,suspect\n";

// Unchanged (K1), updated (K2: city; K3: stage), created (K4, K7), rejected (K5: unassigned
// mobile range; K6: e-mail; K8: a stage that does not exist).
const char* kMixed =
    "external_id,first_name,last_name,emails,phones,postcode,city,lifecycle_stage\n"
    "K1,Jean,Petit,jean.petit@example.fr,06 42 25 63 86,29657,Paris,prospect\n"
    "K2,Anne,Roux,anne.roux@example.fr,07 51 20 30 40,69001,Villeurbanne,prospect\n"
    "K4,Léa,Moreau,lea.moreau@example.fr,06.12.34.56.78,13001,Marseille,prospect\n"
    "K5,Zoé,Durand,zoe.durand@example.fr,06 39 97 81 23,31000,Toulouse,prospect\n"
    "K6,Inès,Leroy,ines.leroy@@example.fr,06 13 14 15 16,44000,Nantes,prospect\n"
    "K3,Hugo,Simon,hugo.simon@example.fr,01 42 68 53 00,75008,Paris,prospect\n"
    "K7,Louis,Garcia,,+44 20 7946 0958,59000,Lille,new_customer\n"
    "K8,Jules,Michel,jules.michel@example.fr,06 20 21 22 23,35000,Rennes,champion\n";

class ImportBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::init();
    dir_ = std::filesystem::temp_directory_path() / ("gz-import-batch-" + crypto::random_token(6));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
};

}  // namespace

TEST_F(ImportBatchTest, BatchMixingCreatesUpdatesUnchangedAndRejectsMatchesRowByRow) {
  Base batched(dir_ / "batched.db"), single(dir_ / "single.db");
  ASSERT_EQ(batched.import(kFirst, 1000).created, 3);
  ASSERT_EQ(single.import(kFirst, 1).created, 3);

  auto a = batched.import(kMixed, 1000);
  auto b = single.import(kMixed, 1);
  EXPECT_EQ(a.rows, 8);
  EXPECT_EQ(a.created, 2);
  EXPECT_EQ(a.updated, 2);
  EXPECT_EQ(a.unchanged, 1);
  EXPECT_EQ(a.rejected, 3);
  EXPECT_EQ(std::make_tuple(a.rows, a.created, a.updated, a.unchanged, a.rejected),
            std::make_tuple(b.rows, b.created, b.updated, b.unchanged, b.rejected));
  json errors = errors_of(a);
  EXPECT_EQ(errors, errors_of(b));
  ASSERT_EQ(errors.size(), 3u) << errors.dump();
  EXPECT_EQ(errors[0], json::array({5, "phones",
                                    "'06 39 97 81 23' is not a valid phone number (national numbers are read as "
                                    "FR; add the country code, e.g. +44…)"}));
  EXPECT_EQ(errors[1][0], 6);
  EXPECT_EQ(errors[1][1], "emails");
  EXPECT_EQ(errors[2][0], 9);
  EXPECT_EQ(errors[2][1], "lifecycle_stage");

  json sa = batched.state(), sb = single.state();
  EXPECT_EQ(sa, sb);
  // Normalised as entered by hand: E.164 phones, every record indexed and audited.
  ASSERT_EQ(sa["contacts"].size(), 5u);
  EXPECT_EQ(sa["contacts"][3]["phones"], "[\"+33612345678\"]");
  EXPECT_EQ(sa["contacts"][4]["phones"], "[\"+442079460958\"]");
  EXPECT_EQ(sa["search"].size(), 5u);
  EXPECT_NE(sa["search"][3]["body"].get<std::string>().find("0612345678"), std::string::npos);
  EXPECT_EQ(sa["audit"].size(), 3u + 2u + 2u);  // 3 creates, then 2 updates and 2 creates
  EXPECT_EQ(sa["stages"].size(), 3u + 1u + 2u);  // K3's change of stage, K4 and K7

  // A re-run changes nothing, in either form.
  auto again = batched.import(kMixed, 1000);
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.updated, 0);
  EXPECT_EQ(again.unchanged, 5);
  EXPECT_EQ(again.rejected, 3);
  EXPECT_EQ(batched.state(), sa);
}

// The two-thread import (rows checked as new records on a read-only connection while the
// previous batch is written) against the one-thread import, on rows that must not be taken as
// new: an external_id stored before, one that an earlier batch of the same file created (not yet
// visible to the reading thread's snapshot), partial rows that are valid updates but not valid
// creates, and a partial row with nothing to update.
TEST_F(ImportBatchTest, TwoThreadImportWritesWhatTheOneThreadImportWrites) {
  const char* kTricky =
      "external_id,first_name,last_name,emails,phones,postcode,city,lifecycle_stage\n"
      "K9,Manon,Blanc,manon@example.fr,06 55 44 33 22,75001,Paris,prospect\n"
      "K1,,,,,,Brest,\n"
      "K9,Manon,Blanc,manon.blanc@example.fr,06 55 44 33 22,75001,Paris,prospect\n"
      "K10,,,nobody@example.fr,,,,\n"
      "K11,Chloé,Bernard,chloe@example.fr,07 60 00 00 01,67000,Strasbourg,suspect\n"
      "K11,Chloé,Bernard,chloe@example.fr,07 60 00 00 01,67000,Strasbourg,prospect\n"
      "K12,Nathan,Fournier,nathan@@example.fr,,,Lyon,prospect\n";
  for (int batch : {1, 2, 1000}) {
    SCOPED_TRACE("batch size " + std::to_string(batch));
    Base two(dir_ / ("two" + std::to_string(batch) + ".db")), one(dir_ / ("one" + std::to_string(batch) + ".db"));
    ASSERT_EQ(two.import(kFirst, batch).created, 3);
    ASSERT_EQ(one.import(kFirst, batch, false).created, 3);
    auto a = two.import(kTricky, batch);
    auto b = one.import(kTricky, batch, false);
    EXPECT_EQ(a.created, 2);    // K9, K11
    EXPECT_EQ(a.updated, 3);    // K1's city, K9's e-mail, K11's stage
    EXPECT_EQ(a.rejected, 2);   // K10 (no last name to create it with), K12 (e-mail)
    EXPECT_EQ(std::make_tuple(a.rows, a.created, a.updated, a.unchanged, a.rejected),
              std::make_tuple(b.rows, b.created, b.updated, b.unchanged, b.rejected));
    EXPECT_EQ(errors_of(a), errors_of(b));
    EXPECT_EQ(two.state(), one.state());
  }
}

TEST_F(ImportBatchTest, SessionRaisesThePageCacheOnlyForTheImport) {
  Base base(dir_ / "cache.db");
  auto cache_size = [](store::Connection& c) { return c.query_one("PRAGMA cache_size")["cache_size"].get<int64_t>(); };
  int64_t usual = store::with_transaction(*base.db, false, cache_size);
  EXPECT_EQ(usual, -4000);
  {
    store::ImportSession session(*base.db);
    int64_t during = 0;
    session.transaction(true, [&](store::Connection& c) { during = cache_size(c); });
    EXPECT_EQ(during, -65536);
    // A failing batch rolls back and the session goes on.
    EXPECT_THROW(session.transaction(true, [&](store::Connection& c) {
      c.execute("INSERT INTO teams (name, created_at) VALUES (?, ?)", {"Rolled back", "2026-01-01T00:00:00Z"});
      throw std::runtime_error("batch failed");
    }), std::runtime_error);
    session.transaction(false, [&](store::Connection& c) {
      EXPECT_TRUE(c.query_one("SELECT id FROM teams WHERE name = ?", {"Rolled back"}).is_null());
    });
  }
  // The connection went back to the pool with its usual cache.
  EXPECT_EQ(store::with_transaction(*base.db, false, cache_size), usual);
}
