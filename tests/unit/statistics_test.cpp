// The planner's statistics (store/statistics.h), the SQLite page settings, and the caller
// look-up's contact_phones index kept by triggers (modules/lookup), on each backend.
#include <gtest/gtest.h>

#include "scratch_database.h"
#include "store/migrations.h"
#include "store/statistics.h"

using namespace gz;
using json = nlohmann::json;

namespace {

std::vector<std::string> phones_of(store::Database& db, int64_t contact_id) {
  std::vector<std::string> out;
  for (const auto& r : db.acquire()->query("SELECT phone FROM contact_phones WHERE contact_id = ? ORDER BY phone", {contact_id}))
    out.push_back(r["phone"].get<std::string>());
  return out;
}

}  // namespace

TEST(Statistics, SqliteBoundedAnalyzeAndNoMemoryMapByDefault) {
  gzt::ScratchDatabase scratch("sqlite", "stats");
  auto db = store::Database::open(scratch.location());
  store::apply_migrations(*db);
  EXPECT_EQ(db->acquire()->query("PRAGMA mmap_size")[0].begin()->get<int64_t>(), 0) << "pread by default";
  // A small base: the hourly refresh computes nothing.
  json r = store::refresh_statistics(*db);
  EXPECT_FALSE(r["analyzed"].get<bool>()) << r.dump();
  EXPECT_TRUE(db->acquire()->query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").empty());
  // After a bulk write: statistics.
  auto c = db->acquire();
  for (int i = 0; i < 50; ++i)
    c->execute("INSERT INTO contacts (last_name, created_at, updated_at) VALUES (?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
               {"N" + std::to_string(i)});
  store::analyze_after_bulk_write(*db);
  EXPECT_FALSE(c->query("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'contacts'").empty());
}

class ContactPhones : public ::testing::TestWithParam<std::string> {};

TEST_P(ContactPhones, TriggersFollowEveryWriteOfAContact) {
  gzt::ScratchDatabase scratch(GetParam(), "phones");
  if (!scratch.available()) GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set";
  auto db = store::Database::open(scratch.location());
  store::apply_migrations(*db);
  auto c = db->acquire();
  const std::string now = "2026-01-01T00:00:00Z";
  c->execute("INSERT INTO contacts (id, last_name, phones, created_at, updated_at) VALUES (1, 'A', ?, ?, ?)",
             {R"(["+33612345678","+442079460958","+33612345678"])", now, now});
  c->execute("INSERT INTO contacts (id, last_name, created_at, updated_at) VALUES (2, 'B', ?, ?)", {now, now});
  EXPECT_EQ(phones_of(*db, 1), (std::vector<std::string>{"+33612345678", "+442079460958"}));
  EXPECT_TRUE(phones_of(*db, 2).empty());
  c->execute("UPDATE contacts SET phones = ? WHERE id = 1", {R"(["+33751525354"])"});
  EXPECT_EQ(phones_of(*db, 1), (std::vector<std::string>{"+33751525354"}));
  c->execute("UPDATE contacts SET last_name = 'A2' WHERE id = 1");  // phones untouched
  EXPECT_EQ(phones_of(*db, 1), (std::vector<std::string>{"+33751525354"}));
  c->execute("UPDATE contacts SET phones = '[]' WHERE id = 1");
  EXPECT_TRUE(phones_of(*db, 1).empty());
  c->execute("UPDATE contacts SET phones = ? WHERE id = 2", {R"(["+33472102030"])"});
  c->execute("DELETE FROM contacts WHERE id = 2");
  EXPECT_TRUE(phones_of(*db, 2).empty());
  // Statistics after a bulk write run on either backend.
  EXPECT_GE(store::analyze_after_bulk_write(*db), 0.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ContactPhones, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
