// gazelle migrate-data (store/data_copy.h): a SQLite company with every kind of record and an
// audit trail, copied into a fresh PostgreSQL database (GAZELLE_TEST_PG_URL: a superuser's URL
// of a throw-away server; the test creates and drops its own database there).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "core/crypto.h"
#include "core/problem.h"
#include "domain/access.h"
#include "modules/demo/demo.h"
#include "domain/records.h"
#include "store/data_copy.h"
#include "store/database.h"
#include "store/migrations.h"

using namespace gz;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// postgresql://user@host:port/postgres -> the same server, database `name`.
std::string with_database(const std::string& url, const std::string& name) {
  auto query = url.find('?');
  std::string base = url.substr(0, query), rest = query == std::string::npos ? "" : url.substr(query);
  auto slash = base.find('/', base.find("://") + 3);
  return (slash == std::string::npos ? base : base.substr(0, slash)) + "/" + name + rest;
}

int64_t scalar(store::Database& db, const std::string& sql, const store::Params& p = {}) {
  return store::with_transaction(db, false, [&](store::Connection& c) {
    auto v = c.query_one(sql, p)["n"];
    return v.is_null() ? int64_t(0) : v.get<int64_t>();
  });
}

class MigrateData : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("GAZELLE_TEST_PG_URL");
    if (!url || !*url)
      GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set: this test needs a PostgreSQL server "
                      "(`make test` starts one; or scripts/pg-cluster.sh start DIR and export the URL it prints)";
    crypto::init();
    admin_url_ = url;
    char tmpl[] = "/tmp/gazelle-migrate-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_name_ = "gz_migrate_data_" + std::to_string(getpid());
    admin_ = store::Database::open(admin_url_);
    {
      auto lease = admin_->acquire();
      lease->execute_script("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
      lease->execute_script("CREATE DATABASE " + db_name_);
    }
    target_url_ = with_database(admin_url_, db_name_);
  }

  void TearDown() override {
    if (admin_) {
      try {
        auto lease = admin_->acquire();
        lease->execute_script("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cannot drop test database " << db_name_ << ": " << e.what();
      }
    }
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  std::string admin_url_, target_url_, db_name_;
  fs::path dir_;
  std::unique_ptr<store::Database> admin_;
};

}  // namespace

TEST_F(MigrateData, CopiesEveryTableVerifiedAndRefusesANonEmptyTarget) {
  // The source: the demo company at a small size, one accented contact, and updates that add
  // audit entries and a self-reference (source_contact_id).
  auto source = store::Database::open((dir_ / "source.db").string());
  store::apply_migrations(*source);
  domain::DemoOptions demo;
  demo.accounts = 40;
  demo.contacts = 200;
  demo.households = 30;
  demo.interactions = 300;
  demo.orders = 150;
  demo.tasks = 80;
  domain::generate_demo(*source, demo, nullptr);
  domain::RecordService records(*source);
  const auto& contacts = domain::entity("contacts");
  auto actor = domain::system_actor();
  json helene = records.create(actor, contacts, {{"first_name", "Hélène"}, {"last_name", "Lefèvre-Çağlar"},
                                                 {"emails", {"helene.lefevre@example.fr"}}});
  int64_t helene_id = helene["id"].get<int64_t>();
  auto some = records.list(actor, contacts, {{{"limit", "5"}}});
  ASSERT_EQ(some.data.size(), 5u);
  for (const auto& c : some.data)
    records.update(actor, contacts, c["id"].get<int64_t>(), {{"job_title", "Directrice « export »"}, {"source_contact_id", helene_id}},
                   std::nullopt);
  records.update(actor, contacts, helene_id, {{"source_contact_id", some.data[0]["id"]}}, std::nullopt);  // a later id's parent

  auto target = store::Database::open(target_url_);
  store::apply_migrations(*target);

  // First copy: every table copied and verified.
  auto report = store::copy_database(*source, *target, {});
  auto shapes = store::describe_source_tables(*source);
  ASSERT_EQ(report.size(), shapes.size());
  std::map<std::string, int64_t> rows;
  for (const auto& t : report) {
    EXPECT_TRUE(t.ok()) << t.table;
    EXPECT_TRUE(t.copied) << t.table;
    rows[t.table] = t.source.rows;
  }
  for (const char* table : {"teams", "users", "accounts", "households", "contacts", "interactions", "tasks", "products",
                            "orders", "order_lines", "audit_log", "stage_history", "contacts_search",
                            "accounts_search", "households_search"}) {
    ASSERT_TRUE(rows.count(table)) << table << " was not copied";
    EXPECT_GT(rows[table], 0) << table;
  }
  EXPECT_FALSE(rows.count("schema_migrations"));
  EXPECT_FALSE(rows.count("contacts_search_data")) << "FTS5 shadow tables are not copied";
  // Computed again, independently, on both sides.
  for (const auto& s : shapes) {
    auto a = store::summarize_table(*source, s), b = store::summarize_table(*target, s);
    EXPECT_EQ(a.rows, b.rows) << s.name;
    EXPECT_EQ(a.checksum, b.checksum) << s.name;
  }
  // Ids kept, audit entries all there.
  for (const char* table : {"contacts", "accounts", "orders", "audit_log"}) {
    std::string sql = std::string("SELECT SUM(id) AS n FROM ") + table;
    EXPECT_EQ(scalar(*source, sql), scalar(*target, sql)) << table;
  }
  EXPECT_GT(scalar(*target, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'update'"), 5);
  EXPECT_EQ(scalar(*target, "SELECT source_contact_id AS n FROM contacts WHERE id = ?", {helene_id}),
            some.data[0]["id"].get<int64_t>());

  // Search on PostgreSQL finds the contact by an accent-free name.
  domain::RecordService pg_records(*target);
  auto found = pg_records.list(actor, contacts, {{{"q", "helene lefevre-caglar"}}});
  ASSERT_EQ(found.data.size(), 1u);
  EXPECT_EQ(found.data[0]["id"].get<int64_t>(), helene_id);
  EXPECT_EQ(found.data[0]["last_name"], "Lefèvre-Çağlar");

  // The identity sequences follow the copied ids.
  int64_t max_contact = scalar(*target, "SELECT MAX(id) AS n FROM contacts");
  json added = pg_records.create(actor, contacts, {{"last_name", "Après-migration"}});
  EXPECT_EQ(added["id"].get<int64_t>(), max_contact + 1);

  // A second run refuses the non-empty target…
  try {
    store::copy_database(*source, *target, {});
    ADD_FAILURE() << "a copy into a non-empty target was not refused";
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::Conflict);
    EXPECT_NE(p.detail().find("--force"), std::string::npos) << p.detail();
  }
  // …and with force makes it identical again: tables that differ (contacts, and by TRUNCATE …
  // CASCADE its children) are copied again, identical ones kept.
  store::DataCopyOptions force;
  force.force = true;
  force.batch = 37;
  auto again = store::copy_database(*source, *target, force);
  std::map<std::string, bool> copied;
  for (const auto& t : again) {
    EXPECT_TRUE(t.ok()) << t.table;
    copied[t.table] = t.copied;
  }
  EXPECT_TRUE(copied["contacts"]);
  EXPECT_TRUE(copied["audit_log"]);
  EXPECT_TRUE(copied["interactions"]) << "emptied by TRUNCATE contacts CASCADE";
  EXPECT_FALSE(copied["teams"]);
  EXPECT_FALSE(copied["products"]);
  EXPECT_EQ(scalar(*target, "SELECT COUNT(*) AS n FROM contacts WHERE last_name = 'Après-migration'"), 0);
  for (const auto& s : shapes) EXPECT_EQ(store::summarize_table(*source, s).checksum, store::summarize_table(*target, s).checksum) << s.name;
}

// The checksum tells 1, 1.0, '1', '' and NULL apart, and does not depend on the order of rows.
TEST(DataCopyChecksum, TellsTypesApartAndIgnoresRowOrder) {
  char tmpl[] = "/tmp/gazelle-checksum-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  fs::path dir = tmpl;
  auto db = store::Database::open((dir / "c.db").string());
  store::TableShape shape{"t", {"id", "v"}, {"id"}, {}, false};
  auto checksum_of = [&](const std::vector<std::pair<int, json>>& rows) {
    store::with_transaction(*db, true, [&](store::Connection& c) {
      c.execute_script("DROP TABLE IF EXISTS t; CREATE TABLE t (id INTEGER PRIMARY KEY, v)");
      for (const auto& [id, v] : rows) c.execute("INSERT INTO t (id, v) VALUES (?, ?)", {id, v});
    });
    return store::summarize_table(*db, shape);
  };
  std::set<std::string> seen;
  for (json v : {json(1), json(1.0), json("1"), json(""), json()}) {
    auto s = checksum_of({{1, v}});
    EXPECT_EQ(s.rows, 1);
    EXPECT_TRUE(seen.insert(s.checksum).second) << v.dump() << " has the checksum of another value";
  }
  EXPECT_EQ(checksum_of({{1, "a"}, {2, "b"}}).checksum, checksum_of({{2, "b"}, {1, "a"}}).checksum);
  EXPECT_NE(checksum_of({{1, "a"}, {2, "b"}}).checksum, checksum_of({{1, "b"}, {2, "a"}}).checksum);
  EXPECT_NE(checksum_of({{1, "ab"}, {2, ""}}).checksum, checksum_of({{1, "a"}, {2, "b"}}).checksum);
  db.reset();
  std::error_code ec;
  fs::remove_all(dir, ec);
}
