// Storage and RecordService against a temporary SQLite file: migrations, CRUD, keyset
// pagination, optimistic concurrency, audit trail, visibility through store::Scope.
#include <gtest/gtest.h>

#include "kernel/module.h"
#include <unistd.h>

#include <filesystem>
#include <set>

#include "core/crypto.h"
#include "core/problem.h"
#include "domain/access.h"
#include "domain/records.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/record_store.h"
#include "store/user_store.h"

using namespace gz;
using namespace gz::domain;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/gazelle-unit-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

int64_t count_rows(store::Database& db, const std::string& sql, const store::Params& p = {}) {
  return store::with_transaction(db, false, [&](store::Connection& c) { return c.query_one(sql, p)["n"].get<int64_t>(); });
}

}  // namespace

TEST(Migrations, ApplyOnceAndAreIdempotent) {
  crypto::init();
  TempDir dir;
  std::string path = dir.file("gazelle.db");
  {
    auto db = store::Database::open(path);
    auto applied = store::apply_migrations(*db);
    ASSERT_FALSE(applied.empty());
    // The core migrations, then the modules' own (kernel::Module::migrations).
    size_t core = size_t(std::count_if(store::embedded_migrations().begin(), store::embedded_migrations().end(),
                                       [](const auto& m) { return m.backend == "sqlite"; }));
    size_t of_modules = 0;
    for (const kernel::Module* mod : kernel::modules())
      for (const auto& m : mod->migrations) of_modules += m.backend == "sqlite";
    EXPECT_EQ(applied.size(), core + of_modules);
    EXPECT_EQ(count_rows(*db, "SELECT COUNT(*) AS n FROM schema_migrations"), int64_t(core));
    EXPECT_EQ(count_rows(*db, "SELECT COUNT(*) AS n FROM module_migrations"), int64_t(of_modules));
    EXPECT_TRUE(store::apply_migrations(*db).empty()) << "second run applies nothing";
    EXPECT_EQ(count_rows(*db, "SELECT COUNT(*) AS n FROM schema_migrations"), int64_t(core));
    // The tables exist.
    for (const auto& e : entities())
      EXPECT_EQ(count_rows(*db, "SELECT COUNT(*) AS n FROM " + e.name), 0) << e.name;
  }
  // Reopening the file: still nothing to do, data kept.
  auto db = store::Database::open(path);
  EXPECT_TRUE(store::apply_migrations(*db).empty());
  RecordService records(*db);
  records.create(system_actor(), entity("accounts"), {{"name", "Persistante"}});
  auto db2 = store::Database::open(path);
  EXPECT_TRUE(store::apply_migrations(*db2).empty());
  EXPECT_EQ(count_rows(*db2, "SELECT COUNT(*) AS n FROM accounts"), 1);
}

// Every full-text table gets a prefix index for every length up to 10
// (migrations/sqlite/014_search_prefixes.sql and the modules' own); a base made before keeps its
// indexed rows through the rebuild.
TEST(Migrations, SearchTablesAreRebuiltWithEveryPrefixLengthRowsKept) {
  crypto::init();
  TempDir dir;
  auto db = store::Database::open(dir.file("gazelle.db"));
  store::apply_migrations(*db);
  auto tables = store::with_transaction(*db, false, [](store::Connection& c) {
    return c.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'");
  });
  ASSERT_GE(tables.size(), 7u);  // contacts, accounts, households, opportunities, quotes, cases, kb_articles
  for (const auto& t : tables)
    EXPECT_NE(t["sql"].get<std::string>().find("prefix = '1 2 3 4 5 6 7 8 9 10'"), std::string::npos) << t.dump();
  // contacts_search as 001 made it, with rows, and 014 not yet applied.
  store::with_transaction(*db, true, [](store::Connection& c) {
    c.execute_script(
        "DROP TABLE contacts_search;"
        "CREATE VIRTUAL TABLE contacts_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');"
        "INSERT INTO contacts_search(rowid, body) VALUES (7, 'julien d almeida lyon'), (9, 'agnes d almeida paris');"
        "DELETE FROM schema_migrations WHERE version = 14;");
    return 0;
  });
  EXPECT_EQ(store::apply_migrations(*db), std::vector<std::string>{"014_search_prefixes"});
  EXPECT_EQ(count_rows(*db, "SELECT COUNT(*) AS n FROM contacts_search WHERE contacts_search MATCH 'd* AND almeida*'"), 2);
  EXPECT_EQ(count_rows(*db, "SELECT rowid AS n FROM contacts_search WHERE contacts_search MATCH 'lyon'"), 7);
  EXPECT_EQ(count_rows(*db, "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'contacts_search' AND sql LIKE "
                            "'%prefix = ''1 2 3 4 5 6 7 8 9 10''%'"),
            1);
}

TEST(Migrations, EmbeddedMigrationsAreOrdered) {
  int last = 0;
  for (const auto& m : store::embedded_migrations()) {
    if (m.backend != "sqlite") continue;
    EXPECT_GT(m.version, last) << m.name;
    last = m.version;
    EXPECT_FALSE(m.sql.empty());
  }
  EXPECT_GE(last, 1);
}

class Storage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::init(); }
  void SetUp() override {
    db_ = store::Database::open(dir_.file("gazelle.db"));
    store::apply_migrations(*db_);
    records_ = std::make_unique<RecordService>(*db_);
    team_a_ = add_team("A");
    team_b_ = add_team("B");
    sales_a_ = add_user("sales.a@example.fr", "sales", team_a_);
    sales_a2_ = add_user("sales.a2@example.fr", "sales", team_a_);
    sales_b_ = add_user("sales.b@example.fr", "sales", team_b_);
    manager_b_ = add_user("manager.b@example.fr", "manager", team_b_);
    admin_ = add_user("admin@example.fr", "admin", 0);
    read_only_ = add_user("ro@example.fr", "read_only", 0);
  }

  int64_t add_team(const std::string& name) {
    return store::with_transaction(*db_, true, [&](store::Connection& c) { return store::UserStore::team_id_for_name(c, name); });
  }
  Actor add_user(const std::string& email, const std::string& role, int64_t team) {
    int64_t id = store::with_transaction(*db_, true, [&](store::Connection& c) {
      return store::UserStore::insert_user(c, email, email.substr(0, email.find('@')), role, team ? json(team) : json(), "");
    });
    Actor a;
    a.user_id = id;
    a.email = email;
    a.name = email.substr(0, email.find('@'));
    a.role = role;
    a.team_id = team;
    return a;
  }

  // All ids of a list walked page by page.
  std::vector<int64_t> walk(const Actor& a, const Entity& e, std::map<std::string, std::string> params, int* pages = nullptr) {
    std::vector<int64_t> ids;
    int n = 0;
    while (n < 1000) {
      ListRequest req{params};
      ListResult r = records_->list(a, e, req);
      ++n;
      for (const auto& rec : r.data) ids.push_back(rec["id"].get<int64_t>());
      if (r.next_cursor.empty()) break;
      params["cursor"] = r.next_cursor;
    }
    if (pages) *pages = n;
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<RecordService> records_;
  int64_t team_a_ = 0, team_b_ = 0;
  Actor sales_a_, sales_a2_, sales_b_, manager_b_, admin_, read_only_;
  const Entity& contacts_ = entity("contacts");
  const Entity& accounts_ = entity("accounts");
};

TEST_F(Storage, CreateReadUpdateDelete) {
  json c = records_->create(sales_a_, contacts_,
                            {{"first_name", "Hélène"}, {"last_name", "Lefèvre"}, {"phones", {"06 12 34 56 78"}}});
  int64_t id = c["id"];
  EXPECT_GT(id, 0);
  EXPECT_EQ(c["version"], 1);
  EXPECT_EQ(c["owner_id"], sales_a_.user_id);
  EXPECT_EQ(c["team_id"], team_a_);
  EXPECT_EQ(c["created_by"], sales_a_.user_id);
  EXPECT_EQ(c["phones"], json::array({"+33612345678"}));
  EXPECT_EQ(c["lifecycle_stage"], "suspect");
  EXPECT_TRUE(c["created_at"].is_string());

  auto read = records_->get(sales_a_, contacts_, id);
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)["last_name"], "Lefèvre");

  json u = records_->update(sales_a_, contacts_, id, {{"job_title", "Gérante"}}, 1);
  EXPECT_EQ(u["version"], 2);
  EXPECT_EQ(u["job_title"], "Gérante");
  EXPECT_EQ(u["first_name"], "Hélène") << "PATCH keeps the other fields";

  // An update that changes nothing makes no new version.
  json same = records_->update(sales_a_, contacts_, id, {{"job_title", "Gérante"}}, 2);
  EXPECT_EQ(same["version"], 2);

  records_->remove(sales_a_, contacts_, id, 2);
  EXPECT_FALSE(records_->get(sales_a_, contacts_, id));
  EXPECT_FALSE(records_->get(admin_, contacts_, id));
  try {
    records_->remove(sales_a_, contacts_, id, std::nullopt);
    ADD_FAILURE() << "deleting twice must fail";
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::NotFound);
  }
}

TEST_F(Storage, PutClearsMissingFields) {
  json c = records_->create(sales_a_, contacts_,
                            {{"first_name", "Hélène"}, {"last_name", "Lefèvre"}, {"phones", {"06 12 34 56 78"}}});
  int64_t id = c["id"];
  // PUT with only the required field: the others are cleared (columns with a default get it back).
  json replaced = records_->update(sales_a_, contacts_, id, {{"last_name", "Lefèvre"}}, 1, true);
  EXPECT_EQ(replaced["version"], 2);
  EXPECT_TRUE(replaced["first_name"].is_null()) << "PUT clears missing fields";
  EXPECT_EQ(replaced["phones"], json::array());
  EXPECT_EQ(replaced["owner_id"], sales_a_.user_id);
}

TEST_F(Storage, NullForAColumnWithADefaultIsNotADatabaseError) {
  json a = records_->create(sales_a_, accounts_, {{"name", "Défaut"}, {"country", "BE"}});
  // Clearing a field whose column is NOT NULL with a default must give a validation error or
  // the default, not a database constraint failure (an HTTP 500).
  try {
    json r = records_->update(sales_a_, accounts_, a["id"], {{"country", nullptr}}, std::nullopt);
    EXPECT_TRUE(r["country"].is_string());
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::Unprocessable);
  }
  json t = records_->create(sales_a_, entity("tasks"), {{"title", "Statut"}});
  try {
    json r = records_->update(sales_a_, entity("tasks"), t["id"], {{"status", nullptr}}, std::nullopt);
    EXPECT_TRUE(r["status"].is_string());
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::Unprocessable);
  }
}

TEST_F(Storage, StaleVersionIsPreconditionFailedAndChangesNothing) {
  json a = records_->create(sales_a_, accounts_, {{"name", "Scierie"}, {"city", "Épinal"}});
  int64_t id = a["id"];
  records_->update(sales_a_, accounts_, id, {{"city", "Nancy"}}, 1);
  try {
    records_->update(sales_a_, accounts_, id, {{"city", "Metz"}, {"name", "Autre"}}, 1);
    ADD_FAILURE() << "stale version accepted";
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::PreconditionFailed);
    EXPECT_EQ(p.http_status(), 412);
  }
  auto after = records_->get(sales_a_, accounts_, id);
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["city"], "Nancy");
  EXPECT_EQ((*after)["name"], "Scierie");
  EXPECT_EQ((*after)["version"], 2);
  try {
    records_->remove(sales_a_, accounts_, id, 1);
    ADD_FAILURE() << "stale delete accepted";
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::PreconditionFailed);
  }
  EXPECT_TRUE(records_->get(sales_a_, accounts_, id));
  // No audit entry for the refused operations.
  auto trail = records_->audit_trail(sales_a_, accounts_, id);
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[0]["action"], "update");
  EXPECT_EQ(trail[0]["changes"]["city"], json::array({"Épinal", "Nancy"}));
}

TEST_F(Storage, InvalidInputThrowsEveryFieldAndWritesNothing) {
  try {
    records_->create(sales_a_, contacts_,
                     {{"last_name", 12}, {"emails", {"bad"}}, {"phones", {"12"}}, {"shoe_size", 44}, {"lifecycle_stage", "vip"}});
    ADD_FAILURE() << "invalid contact accepted";
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::Unprocessable);
    std::set<std::string> fields;
    for (const auto& f : p.fields()) fields.insert(f.field);
    for (const char* f : {"last_name", "emails[0]", "phones[0]", "shoe_size", "lifecycle_stage"})
      EXPECT_TRUE(fields.count(f)) << f;
  }
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) AS n FROM contacts"), 0);
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) AS n FROM audit_log"), 0);
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) AS n FROM contacts_search"), 0);
  try {
    records_->create(sales_a_, contacts_, json::array({1}));
    ADD_FAILURE();
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::BadRequest);
  }
  try {
    records_->create(read_only_, contacts_, {{"last_name", "X"}});
    ADD_FAILURE();
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::Forbidden);
  }
}

TEST_F(Storage, AuditEntriesWritten) {
  json c = records_->create(sales_a_, contacts_, {{"last_name", "Audit"}});
  int64_t id = c["id"];
  records_->update(sales_a2_, contacts_, id, {{"first_name", "Anne"}}, std::nullopt);
  records_->share(sales_a_, contacts_, id, sales_b_.user_id);
  auto trail = records_->audit_trail(admin_, contacts_, id);
  ASSERT_EQ(trail.size(), 3u);
  EXPECT_EQ(trail[0]["action"], "share");
  EXPECT_EQ(trail[1]["action"], "update");
  EXPECT_EQ(trail[1]["user_id"], sales_a2_.user_id);
  EXPECT_EQ(trail[1]["user_name"], "sales.a2");
  EXPECT_EQ(trail[1]["changes"]["first_name"], json::array({nullptr, "Anne"}));
  EXPECT_EQ(trail[2]["action"], "create");
  EXPECT_EQ(trail[2]["changes"]["last_name"], "Audit");
  EXPECT_FALSE(trail[2]["changes"].contains("version")) << "bookkeeping columns are not audited";
  records_->remove(admin_, contacts_, id, std::nullopt);
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'contacts' AND record_id = ? AND "
                             "action = 'delete'", {id}),
            1);
}

TEST_F(Storage, KeysetPaginationOverManyPages) {
  // 23 contacts with many equal last names and some missing first names: ties and NULLs.
  std::set<int64_t> created;
  const char* last[] = {"Martin", "Bernard", "Martin", "Dubois", "Martin"};
  for (int i = 0; i < 23; ++i) {
    json body = {{"last_name", last[i % 5]}};
    if (i % 4) body["first_name"] = std::string(1, char('A' + (i * 7) % 5));
    if (i % 6 == 0) body["city"] = "Lyon";
    created.insert(records_->create(sales_a_, contacts_, body)["id"].get<int64_t>());
  }
  for (const char* sort : {"", "last_name", "-last_name", "first_name", "-first_name", "city", "-city", "id", "-id",
                           "created_at", "-updated_at"}) {
    for (int limit : {1, 4, 5, 23, 50}) {
      std::map<std::string, std::string> params = {{"limit", std::to_string(limit)}};
      if (*sort) params["sort"] = sort;
      int pages = 0;
      auto ids = walk(sales_a_, contacts_, params, &pages);
      std::set<int64_t> seen(ids.begin(), ids.end());
      EXPECT_EQ(seen.size(), ids.size()) << "duplicates, sort=" << sort << " limit=" << limit;
      EXPECT_EQ(seen, created) << "gaps, sort=" << sort << " limit=" << limit;
      EXPECT_EQ(pages, (23 + limit - 1) / limit) << "sort=" << sort << " limit=" << limit;
    }
  }
  // Order within pages follows the sort, then id.
  ListResult r = records_->list(sales_a_, contacts_, ListRequest{{{"limit", "23"}}});
  for (size_t i = 1; i < r.data.size(); ++i) {
    auto a = r.data[i - 1]["last_name"].get<std::string>(), b = r.data[i]["last_name"].get<std::string>();
    EXPECT_TRUE(a < b || (a == b && r.data[i - 1]["id"] < r.data[i]["id"]));
  }
  ListResult counted = records_->list(sales_a_, contacts_, ListRequest{{{"limit", "2"}, {"count", "true"}}});
  ASSERT_TRUE(counted.total);
  EXPECT_EQ(*counted.total, 23);
  EXPECT_EQ(counted.data.size(), 2u);
  ListResult filtered = records_->list(sales_a_, contacts_, ListRequest{{{"city", "Lyon"}, {"count", "1"}}});
  EXPECT_EQ(*filtered.total, 4);
  EXPECT_EQ(filtered.data.size(), 4u);
}

TEST_F(Storage, ListParameterErrors) {
  auto expect_bad = [&](std::map<std::string, std::string> params, const std::string& field) {
    try {
      records_->list(admin_, contacts_, ListRequest{params});
      ADD_FAILURE() << field << " accepted";
    } catch (const Problem& p) {
      EXPECT_EQ(p.kind(), ProblemKind::BadRequest) << field;
      ASSERT_FALSE(p.fields().empty()) << field;
      EXPECT_EQ(p.fields()[0].field, field);
    }
  };
  expect_bad({{"limit", "-1"}}, "limit");
  expect_bad({{"limit", "9999"}}, "limit");
  expect_bad({{"sort", "nope"}}, "sort");
  expect_bad({{"colour", "red"}}, "colour");
  expect_bad({{"cursor", "%%%"}}, "cursor");
  expect_bad({{"account_id", "x"}}, "account_id");
}

TEST_F(Storage, TeamVisibilityThroughScope) {
  json a_acc = records_->create(sales_a_, accounts_, {{"name", "Alpha"}});
  json b_acc = records_->create(sales_b_, accounts_, {{"name", "Bravo"}});
  json a_contact = records_->create(sales_a_, contacts_, {{"last_name", "Alpha"}, {"account_id", a_acc["id"]}});
  int64_t a_id = a_acc["id"], b_id = b_acc["id"];
  EXPECT_EQ(b_acc["team_id"], team_b_);

  // RecordService through read_scope.
  EXPECT_TRUE(records_->get(sales_a_, accounts_, a_id));
  EXPECT_TRUE(records_->get(sales_a2_, accounts_, a_id)) << "same team";
  EXPECT_FALSE(records_->get(sales_a_, accounts_, b_id));
  EXPECT_TRUE(records_->get(manager_b_, accounts_, b_id));
  EXPECT_FALSE(records_->get(manager_b_, accounts_, a_id));
  EXPECT_TRUE(records_->get(admin_, accounts_, b_id));
  EXPECT_TRUE(records_->get(read_only_, accounts_, b_id));
  auto ids = walk(sales_a_, accounts_, {});
  EXPECT_EQ(ids, std::vector<int64_t>{a_id});
  EXPECT_EQ(walk(admin_, accounts_, {}).size(), 2u);

  // Store level: the Scope alone decides.
  store::with_transaction(*db_, false, [&](store::Connection& c) {
    store::Scope all;
    store::Scope owner_only{false, sales_a_.user_id, 0};
    store::Scope team_a{false, sales_a2_.user_id, team_a_};
    store::Scope stranger{false, 9999, 0};
    EXPECT_TRUE(store::RecordStore::find(c, accounts_, b_id, all));
    EXPECT_TRUE(store::RecordStore::find(c, accounts_, a_id, owner_only));
    EXPECT_FALSE(store::RecordStore::find(c, accounts_, a_id, store::Scope{false, sales_a2_.user_id, 0}))
        << "without the team, a colleague's record is hidden";
    EXPECT_TRUE(store::RecordStore::find(c, accounts_, a_id, team_a));
    EXPECT_FALSE(store::RecordStore::find(c, accounts_, a_id, stranger));
    store::ListQuery q;
    q.sort_column = "id";
    EXPECT_EQ(store::RecordStore::count(c, accounts_, q, all), 2);
    EXPECT_EQ(store::RecordStore::count(c, accounts_, q, team_a), 1);
    EXPECT_EQ(store::RecordStore::count(c, accounts_, q, stranger), 0);
    EXPECT_EQ(store::RecordStore::list(c, accounts_, q, stranger).size(), 0u);
    // Products are a catalogue: visible whatever the scope.
    store::Params unused;
    EXPECT_EQ(store::RecordStore::visibility_sql(entity("products"), "t", stranger, unused), "");
  });

  // Sales B cannot attach an activity to team A's contact, nor change or delete it.
  EXPECT_THROW(records_->create(sales_b_, entity("interactions"), {{"channel", "phone"}, {"contact_id", a_contact["id"]}}),
               Problem);
  EXPECT_THROW(records_->update(sales_b_, accounts_, a_id, {{"city", "X"}}, std::nullopt), Problem);
  EXPECT_THROW(records_->remove(sales_b_, accounts_, a_id, std::nullopt), Problem);
  EXPECT_EQ(count_rows(*db_, "SELECT COUNT(*) AS n FROM interactions"), 0);

  // Activities follow their customer's visibility, and their actor's.
  json i = records_->create(sales_a_, entity("interactions"), {{"channel", "phone"}, {"contact_id", a_contact["id"]}});
  EXPECT_EQ(i["account_id"], a_id) << "the contact's company is filled in";
  EXPECT_TRUE(records_->get(sales_a2_, entity("interactions"), i["id"]));
  EXPECT_FALSE(records_->get(sales_b_, entity("interactions"), i["id"]));

  // A share opens the record to one user.
  records_->share(sales_a_, accounts_, a_id, sales_b_.user_id);
  EXPECT_TRUE(records_->get(sales_b_, accounts_, a_id));
  EXPECT_FALSE(records_->get(manager_b_, accounts_, a_id)) << "shared with the user, not the team";
  EXPECT_EQ(walk(sales_b_, accounts_, {}).size(), 2u);
  EXPECT_TRUE(records_->get(sales_b_, entity("interactions"), i["id"])) << "the account's activities come along";
}

TEST_F(Storage, OwnerAssignmentRules) {
  json c = records_->create(sales_a_, contacts_, {{"last_name", "Pour collègue"}, {"owner_id", sales_a2_.user_id}});
  EXPECT_EQ(c["owner_id"], sales_a2_.user_id);
  EXPECT_EQ(c["team_id"], team_a_);
  EXPECT_THROW(records_->create(sales_a_, contacts_, {{"last_name", "X"}, {"owner_id", sales_b_.user_id}}), Problem);
  json moved = records_->update(admin_, contacts_, c["id"], {{"owner_id", sales_b_.user_id}}, std::nullopt);
  EXPECT_EQ(moved["team_id"], team_b_) << "the team follows the owner";
  EXPECT_FALSE(records_->get(sales_a2_, contacts_, c["id"]));
  EXPECT_THROW(records_->create(admin_, contacts_, {{"last_name", "X"}, {"owner_id", 424242}}), Problem);
}

TEST_F(Storage, StageHistoryAndRules) {
  json c = records_->create(sales_a_, contacts_, {{"last_name", "Étape"}});
  int64_t id = c["id"];
  records_->update(sales_a_, contacts_, id, {{"lifecycle_stage", "prospect"}}, std::nullopt);
  EXPECT_THROW(records_->update(sales_a_, contacts_, id, {{"lifecycle_stage", "disqualified"}}, std::nullopt), Problem);
  records_->update(sales_a_, contacts_, id, {{"lifecycle_stage", "new_customer"}}, std::nullopt);
  try {
    records_->update(sales_a_, contacts_, id, {{"lifecycle_stage", "prospect"}}, std::nullopt);
    ADD_FAILURE();
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::Unprocessable);
    ASSERT_EQ(p.fields().size(), 1u);
    EXPECT_EQ(p.fields()[0].field, "lifecycle_stage");
  }
  auto h = records_->stage_history(sales_a_, contacts_, id);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0]["stage"], "suspect");
  EXPECT_EQ(h[1]["stage"], "prospect");
  EXPECT_EQ(h[2]["stage"], "new_customer");
  EXPECT_EQ(h[2]["user_id"], sales_a_.user_id);
  EXPECT_TRUE(h[2]["changed_at"].is_string());
}

TEST_F(Storage, SearchThroughTheIndex) {
  json acc = records_->create(sales_a_, accounts_, {{"name", "Quincaillerie Zéphyrin"}});
  json c = records_->create(sales_a_, contacts_, {{"first_name", "Hélène"}, {"last_name", "Lefèvre"},
                                                   {"phones", {"06 12 34 56 78"}}, {"account_id", acc["id"]}});
  records_->create(sales_b_, contacts_, {{"first_name", "Hélène"}, {"last_name", "Lefèvre"}});
  for (const char* q : {"helene lefevre", "HÉLÈNE", "06 12 34 56 78", "+33612345678", "zephyrin", "lefe"}) {
    auto ids = walk(sales_a_, contacts_, {{"q", q}});
    EXPECT_EQ(ids, std::vector<int64_t>{c["id"].get<int64_t>()}) << "q=" << q;
  }
  EXPECT_EQ(walk(admin_, contacts_, {{"q", "helene"}}).size(), 2u);
  EXPECT_TRUE(walk(admin_, contacts_, {{"q", "???"}}).empty());
}
