// Two `gazelle serve` processes on one PostgreSQL database, as behind a load balancer: a
// session opened on one server works on the other, concurrent updates of one record from both
// never lose a write (If-Match / 412), and both servers answer lists and records identically.
// PostgreSQL only (the pg.TwoServersApi.* tests): a SQLite database is one file used by one
// server, so on SQLite the suite is skipped.
#include <atomic>
#include <regex>

#include "api_fixture.h"

using namespace gzt;

class TwoServersApi : public ApiTest {
 protected:
  static Server*& second_ptr() {
    static Server* s = nullptr;
    return s;
  }
  static void SetUpTestSuite() {
    if (!on_postgresql()) return;
    ApiTest::SetUpTestSuite();  // server 1, on a fresh database
    auto* s = new Server();
    try {
      s->start_sharing(*server_ptr());  // server 2, on the same database
    } catch (...) {
      delete s;
      throw;
    }
    second_ptr() = s;
  }
  static void TearDownTestSuite() {
    delete second_ptr();  // before server 1, which drops the database
    second_ptr() = nullptr;
    ApiTest::TearDownTestSuite();
  }
  void SetUp() override {
    if (!on_postgresql())
      GTEST_SKIP() << "two servers share one database only on PostgreSQL (a SQLite file belongs to one server); "
                      "this suite runs as pg.TwoServersApi.*";
    ApiTest::SetUp();
    ASSERT_NE(second_ptr(), nullptr) << "the second gazelle server did not start";
  }
  void TearDown() override {
    if (!on_postgresql()) return;
    if (second_ptr()) {
      for (const auto& e : second_ptr()->take_server_errors()) ADD_FAILURE() << "server 2 error: " << e;
      if (HasFailure()) std::cerr << "--- server 2 stderr ---\n" << second_ptr()->server_stderr() << "\n";
    }
    ApiTest::TearDown();
  }

  // Server 1 or 2.
  Server& server(int n) { return n == 1 ? srv() : *second_ptr(); }

  struct Login {
    std::string session, csrf;
    Response response;
  };
  Login login(int on, const std::string& email, const std::string& password) {
    Login l;
    l.response = server(on).request("POST", "/api/v1/auth/login", Auth::none(),
                                    json{{"email", email}, {"password", password}}.dump());
    std::smatch m;
    std::string cookie = l.response.header("Set-Cookie");
    if (std::regex_search(cookie, m, std::regex("gazelle_session=([0-9a-f]+)"))) l.session = m[1];
    if (l.response.j.is_object() && l.response.j.contains("csrf_token")) l.csrf = l.response.j["csrf_token"];
    return l;
  }

  // The same GET on both servers: both 200 with identical bodies (and ETags). Returns server 1's.
  Response same_on_both(const std::string& path, const Auth& a) {
    Response r1 = server(1).request("GET", path, a), r2 = server(2).request("GET", path, a);
    EXPECT_EQ(r1.status, 200) << path << ": " << r1.dump();
    EXPECT_EQ(r2.status, 200) << path << ": " << r2.dump();
    // A 360° view's value card comes from each server's in-memory analytics, reloaded in the
    // background on its own schedule: the records must agree, the card may lag a reload.
    json b1 = r1.j, b2 = r2.j;
    if (b1.is_object() && b2.is_object()) b1.erase("value_card"), b2.erase("value_card");
    EXPECT_EQ(b1, b2) << path << "\nserver 1: " << r1.dump() << "\nserver 2: " << r2.dump();
    EXPECT_EQ(r1.header("ETag"), r2.header("ETag")) << path;
    return r1;
  }
};

TEST_F(TwoServersApi, SessionFromOneServerWorksOnTheOther) {
  Login l = login(1, "sales.a@gazelle.test", kPassword);
  ASSERT_EQ(l.response.status, 200) << l.response.dump();
  ASSERT_FALSE(l.session.empty());
  ASSERT_FALSE(l.csrf.empty());
  Auth cookie{"", l.session, ""}, cookie_csrf{"", l.session, l.csrf};

  Response me = server(2).request("GET", "/api/v1/me", cookie);
  ASSERT_EQ(me.status, 200) << "session opened on server 1, used on server 2: " << me.dump();
  EXPECT_EQ(me.j["id"], uid("sales_a"));

  // Writes on server 2 with the session need server 1's CSRF token, and only that one.
  const std::string body = json{{"last_name", "Deux serveurs"}}.dump();
  EXPECT_EQ(server(2).request("POST", "/api/v1/contacts", cookie, body).status, 403);
  EXPECT_EQ(server(2).request("POST", "/api/v1/contacts", Auth{"", l.session, "0123456789abcdef0123456789abcdef"}, body).status,
            403);
  Response created = server(2).request("POST", "/api/v1/contacts", cookie_csrf, body);
  ASSERT_EQ(created.status, 201) << created.dump();
  EXPECT_EQ(created.j["owner_id"], uid("sales_a"));
  std::string path = "/api/v1/contacts/" + created.j["id"].dump();
  Response p = server(1).request("PATCH", path, cookie_csrf, json{{"job_title", "Gérante"}}.dump(), {{"If-Match", "\"1\""}});
  ASSERT_EQ(p.status, 200) << "created on server 2, changed on server 1: " << p.dump();
  Response seen = server(2).request("GET", path, cookie);
  EXPECT_EQ(seen.j["job_title"], "Gérante");
  EXPECT_EQ(seen.header("ETag"), "\"2\"");

  // A token made over the API on server 2 authenticates on server 1.
  Response t = server(2).request("POST", "/api/v1/tokens", cookie_csrf, json{{"name", "script"}}.dump());
  ASSERT_EQ(t.status, 201) << t.dump();
  EXPECT_EQ(server(1).request("GET", "/api/v1/me", Auth::token(t.j["token"])).j["id"], uid("sales_a"));

  // Logging out on server 2 ends the session on server 1 too.
  Response out = server(2).request("POST", "/api/v1/auth/logout", cookie_csrf);
  EXPECT_EQ(out.status, 204) << out.dump();
  EXPECT_EQ(server(1).request("GET", "/api/v1/me", cookie).status, 401);
  EXPECT_EQ(server(1).request("POST", "/api/v1/contacts", cookie_csrf, body).status, 401);

  // The login rate limit counts failures on both servers.
  for (int i = 1; i <= 5; ++i)
    EXPECT_EQ(login(i % 2 + 1, "victim@gazelle.test", "wrong-" + std::to_string(i)).response.status, 401) << i;
  EXPECT_EQ(login(1, "victim@gazelle.test", kPassword).response.status, 429);
  EXPECT_EQ(login(2, "victim@gazelle.test", kPassword).response.status, 429);
}

TEST_F(TwoServersApi, ConcurrentUpdatesFromBothServersLoseNothing) {
  // Each worker adds 1 to a product's unit_price_cents kPerWorker times: read -> PATCH with If-Match -> on
  // 412 read again and retry. Nothing may be lost: the final size is the number of accepted
  // writes, and the audit trail holds one update per accepted write, each from a distinct value.
  constexpr int kWorkersPerServer = 3, kPerWorker = 6, kTotal = 2 * kWorkersPerServer * kPerWorker;
  json product = create("products", {{"name", "Compteur " + unique("P")}, {"unit_price_cents", 0}});
  ASSERT_TRUE(product.contains("id"));
  const std::string path = "/api/v1/products/" + product["id"].dump();
  const Auth admin = as("admin");

  std::atomic<int> applied{0}, refused{0};
  std::mutex mu;
  std::vector<std::string> unexpected;
  auto worker = [&](int port) {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(5);
    c.set_read_timeout(20);
    auto fail = [&](const std::string& what) {
      std::lock_guard lock(mu);
      unexpected.push_back(what);
    };
    for (int done = 0, attempts = 0; done < kPerWorker; ++attempts) {
      if (attempts > 2000) return fail("no progress after 2000 attempts");
      Response r = send_request(c, "GET", path, admin);
      if (r.status != 200) return fail("GET " + r.dump());
      int64_t value = r.j["unit_price_cents"].get<int64_t>(), version = r.j["version"].get<int64_t>();
      Response w = send_request(c, "PATCH", path, admin, json{{"unit_price_cents", value + 1}}.dump(),
                                {{"If-Match", r.header("ETag")}});
      if (w.status == 412) {
        ++refused;
        continue;
      }
      if (w.status != 200) return fail("PATCH " + w.dump());
      if (w.j["unit_price_cents"] != value + 1 || w.j["version"] != version + 1)
        return fail("PATCH applied to another version: read " + r.dump() + " got " + w.dump());
      ++applied;
      ++done;
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kWorkersPerServer; ++i) {
    threads.emplace_back(worker, server(1).port());
    threads.emplace_back(worker, server(2).port());
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(unexpected.empty()) << "every write is applied (200) or refused as stale (412): " << unexpected.front();
  EXPECT_EQ(applied.load(), kTotal);
  std::cerr << "[          ] " << applied << " writes applied, " << refused << " refused as stale (412)\n";

  Response final1 = same_on_both(path, admin);
  EXPECT_EQ(final1.j["unit_price_cents"], applied.load()) << "an accepted write was lost";
  EXPECT_EQ(final1.j["version"], applied.load() + 1);
  EXPECT_EQ(final1.header("ETag"), "\"" + std::to_string(applied.load() + 1) + "\"");

  Response audit = same_on_both(path + "/audit", admin);
  ASSERT_EQ(audit.j["data"].size(), size_t(kTotal + 1)) << "one create and one entry per accepted write";
  std::set<int64_t> from;
  for (const auto& e : audit.j["data"]) {
    if (e["action"] == "create") continue;
    EXPECT_EQ(e["action"], "update");
    const json& change = e["changes"]["unit_price_cents"];
    ASSERT_TRUE(change.is_array() && change.size() == 2) << e.dump();
    EXPECT_EQ(change[1].get<int64_t>(), change[0].get<int64_t>() + 1) << e.dump();
    from.insert(change[0].get<int64_t>());
  }
  EXPECT_EQ(from.size(), size_t(kTotal)) << "two accepted writes started from the same value";
  if (!from.empty()) {
    EXPECT_EQ(*from.begin(), 0);
    EXPECT_EQ(*from.rbegin(), kTotal - 1);
  }
}

TEST_F(TwoServersApi, ListsAndRecordsAgreeAcrossServers) {
  // Records written through both servers, by users of both teams.
  const std::string marker = unique("camp");
  std::vector<int64_t> accounts, contacts;
  const char* owners[] = {"sales_a", "sales_b", "manager_a"};
  for (int i = 0; i < 6; ++i) {
    Server& s = server(i % 2 + 1);
    Response a = s.request("POST", "/api/v1/accounts", as(owners[i % 3]),
                           json{{"name", "Société " + std::string(1, char('A' + (5 - i))) + " " + marker},
                                {"city", i % 2 ? "Lyon" : "Évry"}}.dump());
    ASSERT_EQ(a.status, 201) << a.dump();
    accounts.push_back(a.j["id"]);
  }
  const char* last_names[] = {"Émile", "emile", "Zoé", "Bernard", "bernard", "Ångström", "Martin", "martin"};
  for (int i = 0; i < 8; ++i) {
    Server& s = server(i % 2 + 1);
    json body = {{"last_name", last_names[i]}, {"source_campaign", marker}, {"account_id", accounts[i % 6]}};
    if (i % 3) body["first_name"] = "P" + std::to_string(i);
    Response c = s.request("POST", "/api/v1/contacts", as(owners[i % 6 % 3]), body.dump());
    ASSERT_EQ(c.status, 201) << c.dump();
    contacts.push_back(c.j["id"]);
    // Activity and an order, written through the other server.
    Server& o = server(2 - i % 2);
    ASSERT_EQ(o.request("POST", "/api/v1/tasks", as("admin"),
                        json{{"title", "Rappel " + std::to_string(i)}, {"contact_id", c.j["id"]},
                             {"due_at", "2030-01-0" + std::to_string(1 + i % 3) + "T10:00:00Z"}}.dump()).status, 201);
    ASSERT_EQ(o.request("POST", "/api/v1/interactions", as("admin"),
                        json{{"channel", "phone"}, {"contact_id", c.j["id"]},
                             {"occurred_at", "2026-01-0" + std::to_string(1 + i % 4) + "T10:00:00Z"}}.dump()).status, 201);
    ASSERT_EQ(o.request("POST", "/api/v1/orders", as("admin"),
                        json{{"contact_id", c.j["id"]}, {"ordered_at", "2026-02-0" + std::to_string(1 + i % 5) + "T09:00:00Z"},
                             {"lines", {{{"description", "Article"}, {"quantity", 1 + i}, {"unit_price_cents", 250}}}}}.dump()).status, 201);
  }
  // Changes and a delete through the server that did not create the record.
  ASSERT_EQ(server(2).request("PATCH", "/api/v1/contacts/" + std::to_string(contacts[0]), as("admin"),
                              json{{"job_title", "Gérant"}, {"lifecycle_stage", "prospect"}}.dump()).status, 200);
  ASSERT_EQ(server(1).request("PATCH", "/api/v1/accounts/" + std::to_string(accounts[1]), as("admin"),
                              json{{"tier", "gold"}}.dump()).status, 200);
  // A contact created on one server and deleted through the other (the contacts above hold
  // orders, which a delete refuses).
  Response doomed = server(2).request("POST", "/api/v1/contacts", as("admin"), json{{"last_name", "Éphémère"}}.dump());
  ASSERT_EQ(doomed.status, 201) << doomed.dump();
  ASSERT_EQ(server(1).request("DELETE", "/api/v1/contacts/" + doomed.j["id"].dump(), as("admin")).status, 204);
  EXPECT_EQ(server(2).request("GET", "/api/v1/contacts/" + doomed.j["id"].dump(), as("admin")).status, 404);

  // Lists with their totals, for users of different scopes, in several sorts.
  for (const char* who : {"admin", "sales_a", "manager_b"}) {
    SCOPED_TRACE(who);
    for (const char* entity : {"accounts", "contacts", "tasks", "interactions", "orders"})
      for (const char* sort : {"", "&sort=-id", "&sort=-updated_at"})
        same_on_both("/api/v1/" + std::string(entity) + "?count=true&limit=100" + sort, as(who));
    same_on_both("/api/v1/contacts?count=true&source_campaign=" + marker, as(who));
    same_on_both("/api/v1/contacts?count=true&q=martin", as(who));
  }
  Response all = same_on_both("/api/v1/contacts?count=true&limit=100&source_campaign=" + marker, as("admin"));
  EXPECT_EQ(all.j["total"], int64_t(contacts.size()));

  // Pages walked alternately on either server, with the other's cursors: same as one list.
  for (const char* sort : {"last_name", "-first_name", "city", "-id"}) {
    SCOPED_TRACE(sort);
    std::vector<json> walked;
    std::string cursor;
    for (int page = 0; page < 20; ++page) {
      std::string p = "/api/v1/contacts?limit=2&sort=" + std::string(sort) + "&source_campaign=" + marker +
                      (cursor.empty() ? "" : "&cursor=" + enc(cursor));
      Response r = server(page % 2 + 1).request("GET", p, as("admin"));
      ASSERT_EQ(r.status, 200) << r.dump();
      for (const auto& rec : r.j["data"]) walked.push_back(rec);
      if (r.j["next_cursor"].is_null()) break;
      cursor = r.j["next_cursor"].get<std::string>();
    }
    Response whole = same_on_both("/api/v1/contacts?limit=100&sort=" + std::string(sort) + "&source_campaign=" + marker,
                                  as("admin"));
    EXPECT_EQ(json(walked), whole.j["data"]);
  }

  // Each record, with its ETag, 360° view and audit trail.
  for (int64_t id : contacts) {
    std::string p = "/api/v1/contacts/" + std::to_string(id);
    same_on_both(p, as("admin"));
    same_on_both(p + "/360", as("admin"));
    same_on_both(p + "/audit", as("admin"));
  }
  for (int64_t id : accounts) {
    same_on_both("/api/v1/accounts/" + std::to_string(id), as("admin"));
    same_on_both("/api/v1/accounts/" + std::to_string(id) + "/360", as("admin"));
  }
}
