// The planner's statistics (store/statistics.h), the SQLite page settings, the caller look-up's
// phone indexes (modules/lookup), on each backend, and PostgreSQL's search plans.
#include <gtest/gtest.h>

#include <tuple>

#include "domain/access.h"
#include "modules/lookup/lookup.h"
#include "scratch_database.h"
#include "store/migrations.h"
#include "store/record_store.h"
#include "store/statistics.h"

using namespace gz;
using json = nlohmann::json;

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

class PhoneIndexes : public ::testing::TestWithParam<std::string> {};

// The look-up finds a number wherever it sits in a contact's list (the first three through their
// indexes, the fourth and later through the partial index of long lists), and follows updates
// and deletions without any code of its own.
TEST_P(PhoneIndexes, TheLookupFollowsEveryWriteOfAContact) {
  gzt::ScratchDatabase scratch(GetParam(), "phones");
  if (!scratch.available()) GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set";
  auto db = store::Database::open(scratch.location());
  store::apply_migrations(*db);
  auto c = db->acquire();
  const std::string now = "2026-01-01T00:00:00Z";
  c->execute("INSERT INTO contacts (last_name, phones, created_at, updated_at) VALUES ('A', ?, ?, ?)",
             {R"(["+33612345678","+442079460958","+33145678910","+33556001122","+33472102030"])", now, now});
  c->execute("INSERT INTO contacts (last_name, phones, created_at, updated_at) VALUES ('B', ?, ?, ?)",
             {R"(["+33145678910"])", now, now});
  auto ids = [&](const std::string& number) {
    std::vector<std::string> out;
    json found = modules::lookup::PhoneLookup(*db).by_phone(domain::system_actor(), number);
    for (const auto& x : found["contacts"]) out.push_back(x["last_name"].get<std::string>());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids("06 12 34 56 78"), V{"A"});
  EXPECT_EQ(ids("+44 20 7946 0958"), V{"A"});
  EXPECT_EQ(ids("01 45 67 89 10"), (V{"A", "B"}));
  EXPECT_EQ(ids("05 56 00 11 22"), V{"A"}) << "the fourth number of a list";
  EXPECT_EQ(ids("04 72 10 20 30"), V{"A"}) << "the fifth";
  c->execute("UPDATE contacts SET phones = ? WHERE last_name = 'A'", {R"(["+33751525354"])"});
  EXPECT_TRUE(ids("06 12 34 56 78").empty());
  EXPECT_TRUE(ids("04 72 10 20 30").empty());
  EXPECT_EQ(ids("07 51 52 53 54"), V{"A"});
  c->execute("DELETE FROM contacts WHERE last_name = 'B'");
  EXPECT_TRUE(ids("01 45 67 89 10").empty());
  // Statistics after a bulk write run on either backend.
  EXPECT_GE(store::analyze_after_bulk_write(*db), 0.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PhoneIndexes, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// PostgreSQL's search sorted by id: a word in few rows is gathered through the full-text index
// and sorted, a word in most rows is read by walking the search table in id order (the planner
// walked for both), chosen from the statistics of the index's words; the rows and their order
// are the same either way, cursors and the archived filter included.
TEST(PostgresSearch, RareWordsGatheredCommonWordsWalkedSameRows) {
  gzt::ScratchDatabase scratch("postgresql", "search");
  if (!scratch.available()) GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set";
  auto db = store::Database::open(scratch.location());
  store::apply_migrations(*db);
  auto c = db->acquire();
  const std::string now = "2026-01-01T00:00:00Z";
  std::vector<int64_t> zola, martin;  // ids, newest first
  for (int i = 1; i <= 2000; ++i) {
    const std::string name = i % 100 == 0 ? "Zola" : "Martin";
    int64_t id = c->insert("INSERT INTO contacts (last_name, created_at, updated_at) VALUES (?, ?, ?)", {name, now, now});
    c->execute("INSERT INTO contacts_search (rowid, body) VALUES (?, ?)", {id, i % 100 == 0 ? "zola marie" : "martin"});
    (name == "Zola" ? zola : martin).insert((name == "Zola" ? zola : martin).begin(), id);
  }
  c->execute("UPDATE contacts SET archived_at = ? WHERE id = ?", {now, zola[2]});  // out of every list
  zola.erase(zola.begin() + 2);
  c->execute_script("ANALYZE contacts_search");
  const kernel::Entity& contacts = kernel::entity("contacts");
  auto query = [](const std::vector<std::vector<std::string>>& groups) {
    store::ListQuery q;
    q.search = groups;
    q.descending = true;
    q.limit = 6;
    q.conditions.push_back({"archived_at", "is null", nullptr});
    return q;
  };
  // "zola ma": the rare word's rows gathered, the common prefix (every row) checked on them.
  using Groups = std::vector<std::vector<std::string>>;
  for (const auto& [word, expected, gathered, checked] :
       {std::tuple{Groups{{"zola"}}, zola, true, false}, std::tuple{Groups{{"martin"}}, martin, false, false},
        std::tuple{Groups{{"zola"}, {"ma"}}, zola, true, true}}) {
    store::ListQuery q = query(word);
    store::Params p;
    const std::string sql = store::RecordStore::list_statement(*c, contacts, q, store::Scope{}, p);
    EXPECT_EQ(sql.find("OFFSET 0") != std::string::npos, gathered) << word[0][0] << ": " << sql;
    EXPECT_EQ(sql.find("_search x") != std::string::npos, checked) << word[0][0] << ": " << sql;
    // Three pages through the cursor, as the API walks them.
    std::vector<int64_t> ids;
    for (int page = 0; page < 3; ++page) {
      auto rows = store::RecordStore::list(*c, contacts, q, store::Scope{});
      for (const auto& r : rows) ids.push_back(r["id"].get<int64_t>());
      if (rows.empty()) break;
      q.has_cursor = true;
      q.after_id = ids.back();
    }
    EXPECT_EQ(ids, std::vector<int64_t>(expected.begin(), expected.begin() + std::min<size_t>(18, expected.size())))
        << word[0][0];
  }
}

// The words a gathered search reads (<entity>_search_words, kept by triggers) follow the search
// rows through inserts, changes, deletions and TRUNCATE, and give the rows the text index gives,
// for a lone word, a group of forms (a phone number's) and several groups ANDed.
TEST(PostgresSearch, WordsFollowTheSearchRowsAndMatchAsTheIndex) {
  gzt::ScratchDatabase scratch("postgresql", "search_words");
  if (!scratch.available()) GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set";
  auto db = store::Database::open(scratch.location());
  store::apply_migrations(*db);
  auto c = db->acquire();
  const std::vector<std::string> bodies = {"martin jean 0612345678", "martine leroux", "leroux jeanne", "dupont marc",
                                           "jean-pierre marchal", "élodie ménard", "zoé"};
  for (size_t i = 0; i < bodies.size(); ++i)
    c->execute("INSERT INTO contacts_search (rowid, body) VALUES (?, ?)", {int64_t(i + 1), bodies[i]});
  c->execute("UPDATE contacts_search SET body = 'martin jean 0698765432' WHERE rowid = 1");
  c->execute("UPDATE contacts_search SET body = body WHERE rowid = 2");  // words unchanged
  c->execute("DELETE FROM contacts_search WHERE rowid = 4");
  using Groups = std::vector<std::vector<std::string>>;
  auto rows = [&](const std::string& sql, const store::Params& p) {
    std::vector<int64_t> ids;
    for (const auto& r : c->query(sql, p)) ids.push_back(r["rowid"].get<int64_t>());
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  for (const Groups& g : {Groups{{"mar"}}, Groups{{"jean"}}, Groups{{"leroux"}, {"jean"}}, Groups{{"06987", "0612"}},
                          Groups{{"0612"}}, Groups{{"ménard"}}, Groups{{"m"}, {"j"}}, Groups{{"pierre"}}, Groups{{"dupont"}},
                          Groups{{"zo"}}, Groups{{"'"}}}) {
    store::Params p;
    const std::string words = c->dialect().search_rowids("contacts", g, p);
    const std::vector<int64_t> gathered = rows(words, p);
    const std::vector<int64_t> indexed = rows("SELECT rowid FROM contacts_search WHERE tsv @@ to_tsquery('simple', ?)",
                                              {c->dialect().search_expression(g)});
    EXPECT_EQ(gathered, indexed) << words;
  }
  store::Params p;
  EXPECT_EQ(rows(c->dialect().search_rowids("contacts", Groups{{"mar"}}, p), p), (std::vector<int64_t>{1, 2, 5}));
  c->execute("TRUNCATE contacts_search");
  EXPECT_EQ(c->query_one("SELECT COUNT(*) AS n FROM contacts_search_words", {})["n"].get<int64_t>(), 0);
}
