// Record-level access over HTTP: teams, roles, shares.
#include "api_fixture.h"

using namespace gzt;

class AccessApi : public ApiTest {
 protected:
  static inline int64_t b_account = 0, b_contact = 0, a_account = 0;
  static inline std::string b_name;

  void SetUp() override {
    ApiTest::SetUp();
    if (b_account) return;
    // Team B's account, created by its sales rep; team A's account, by team A's rep.
    b_name = "Scierie " + unique("Bravo");
    b_account = create("accounts", {{"name", b_name}, {"city", "Épinal"}}, "sales_b")["id"];
    b_contact = create("contacts", {{"last_name", "Boisier"}, {"account_id", b_account}}, "sales_b")["id"];
    a_account = create("accounts", {{"name", "Atelier Alpha"}}, "sales_a")["id"];
  }
  static void TearDownTestSuite() {
    b_account = b_contact = a_account = 0;
    ApiTest::TearDownTestSuite();
  }
  std::string acc(int64_t id) { return "/api/v1/accounts/" + std::to_string(id); }
  std::vector<int64_t> search_ids(const std::string& entity, const std::string& q, const std::string& who) {
    Response r = get("/api/v1/" + entity + "?limit=100&q=" + enc(q), as(who));
    EXPECT_EQ(r.status, 200) << r.dump();
    std::vector<int64_t> ids;
    for (const auto& rec : r.j.value("data", json::array())) ids.push_back(rec["id"].get<int64_t>());
    return ids;
  }
};

TEST_F(AccessApi, OwnerTeamIsSetFromTheOwner) {
  Response r = get(acc(b_account), as("sales_b"));
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["owner_id"], uid("sales_b"));
  EXPECT_FALSE(r.j["team_id"].is_null());
  Response a = get(acc(a_account), as("sales_a"));
  EXPECT_NE(a.j["team_id"], r.j["team_id"]);
}

TEST_F(AccessApi, SalesOfAnotherTeamSeesNothing) {
  int st = get(acc(b_account), as("sales_a")).status;
  EXPECT_TRUE(st == 403 || st == 404) << st;
  EXPECT_TRUE(get("/api/v1/contacts/" + std::to_string(b_contact), as("sales_a")).status == 404);
  int st360 = get(acc(b_account) + "/360", as("sales_a")).status;
  EXPECT_TRUE(st360 == 403 || st360 == 404) << st360;
  EXPECT_EQ(get(acc(b_account) + "/audit", as("sales_a")).status, 404);
  EXPECT_EQ(get(acc(b_account) + "/stage-history", as("sales_a")).status, 404);
  EXPECT_FALSE(contains_id(list_ids("accounts", as("sales_a")), b_account));
  EXPECT_TRUE(contains_id(list_ids("accounts", as("sales_a")), a_account));
  EXPECT_FALSE(contains_id(list_ids("contacts", as("sales_a"), "account_id=" + std::to_string(b_account)), b_contact));
  EXPECT_FALSE(contains_id(list_ids("contacts", as("sales_a")), b_contact));
  EXPECT_FALSE(contains_id(search_ids("accounts", b_name, "sales_a"), b_account));
  EXPECT_FALSE(contains_id(search_ids("contacts", "boisier", "sales_a"), b_contact));
  EXPECT_FALSE(contains_id(list_ids("accounts", as("sales_a"), "city=" + enc("Épinal")), b_account));
  // Nor change, delete or share it.
  int pst = patch(acc(b_account), as("sales_a"), {{"city", "Nancy"}}).status;
  EXPECT_TRUE(pst == 403 || pst == 404) << pst;
  int dst = del(acc(b_account), as("sales_a")).status;
  EXPECT_TRUE(dst == 403 || dst == 404) << dst;
  int sst = post(acc(b_account) + "/shares", as("sales_a"), {{"user_id", uid("sales_a")}}).status;
  EXPECT_TRUE(sst == 403 || sst == 404) << sst;
  EXPECT_EQ(get(acc(b_account), as("admin")).j["city"], "Épinal");
  EXPECT_EQ(get(acc(b_account), as("admin")).j["version"], 1);
}

TEST_F(AccessApi, CannotCreateActivityOnInvisibleCustomer) {
  int64_t before = count("interactions");
  int64_t tasks_before = count("tasks");
  Response r = post("/api/v1/interactions", as("sales_a"), {{"channel", "phone"}, {"account_id", b_account}});
  EXPECT_GE(r.status, 400);
  EXPECT_LT(r.status, 500);
  EXPECT_TRUE(r.is_problem());
  EXPECT_TRUE(r.names_field("account_id")) << r.dump();
  Response r2 = post("/api/v1/interactions", as("sales_a"), {{"channel", "phone"}, {"contact_id", b_contact}});
  EXPECT_GE(r2.status, 400);
  EXPECT_LT(r2.status, 500);
  Response r3 = post("/api/v1/tasks", as("sales_a"), {{"title", "Espionner"}, {"account_id", b_account}});
  EXPECT_GE(r3.status, 400);
  EXPECT_LT(r3.status, 500);
  EXPECT_EQ(count("interactions"), before);
  EXPECT_EQ(count("tasks"), tasks_before);
  // Activities on team B's customers stay hidden from team A.
  json i = create("interactions", {{"channel", "meeting"}, {"account_id", b_account}}, "sales_b");
  EXPECT_EQ(get("/api/v1/interactions/" + i["id"].dump(), as("sales_a")).status, 404);
  EXPECT_FALSE(contains_id(list_ids("interactions", as("sales_a")), i["id"]));
  EXPECT_EQ(get("/api/v1/interactions/" + i["id"].dump(), as("manager_b")).status, 200);
}

TEST_F(AccessApi, ManagersSeeTheirTeamAdminSeesAll) {
  EXPECT_EQ(get(acc(b_account), as("manager_b")).status, 200);
  EXPECT_TRUE(contains_id(list_ids("accounts", as("manager_b")), b_account));
  EXPECT_FALSE(contains_id(list_ids("accounts", as("manager_b")), a_account));
  EXPECT_TRUE(contains_id(search_ids("accounts", b_name, "manager_b"), b_account));
  int st = get(acc(b_account), as("manager_a")).status;
  EXPECT_TRUE(st == 403 || st == 404) << st;
  EXPECT_FALSE(contains_id(list_ids("accounts", as("manager_a")), b_account));
  EXPECT_TRUE(contains_id(list_ids("accounts", as("manager_a")), a_account));
  // A manager may change the team's records.
  Response p = patch(acc(b_account), as("manager_b"), {{"tier", "gold"}});
  EXPECT_EQ(p.status, 200) << p.dump();

  EXPECT_EQ(get(acc(b_account), as("admin")).status, 200);
  auto all = list_ids("accounts", as("admin"));
  EXPECT_TRUE(contains_id(all, b_account));
  EXPECT_TRUE(contains_id(all, a_account));
  EXPECT_EQ(int64_t(all.size()), count("accounts", "admin"));
  // Service sees every customer.
  EXPECT_EQ(get(acc(b_account), as("service")).status, 200);
}

TEST_F(AccessApi, ReadOnlyReadsButCannotWrite) {
  Auth ro = as("read_only");
  EXPECT_EQ(get(acc(b_account), ro).status, 200);
  EXPECT_TRUE(contains_id(list_ids("accounts", ro), a_account));
  int64_t before = count("accounts");
  Response c = post("/api/v1/accounts", ro, {{"name", "Interdit"}});
  EXPECT_EQ(c.status, 403) << c.dump();
  EXPECT_TRUE(c.is_problem());
  EXPECT_EQ(count("accounts"), before);
  EXPECT_EQ(patch(acc(b_account), ro, {{"city", "Metz"}}).status, 403);
  EXPECT_EQ(put(acc(b_account), ro, {{"name", "X"}}).status, 403);
  EXPECT_EQ(del(acc(b_account), ro).status, 403);
  EXPECT_EQ(post("/api/v1/interactions", ro, {{"channel", "phone"}, {"account_id", b_account}}).status, 403);
  EXPECT_EQ(post(acc(b_account) + "/shares", ro, {{"user_id", uid("sales_a")}}).status, 403);
  EXPECT_EQ(get(acc(b_account), as("admin")).j["city"], "Épinal");
  // Service may not create accounts either, nor sales products.
  EXPECT_EQ(post("/api/v1/accounts", as("service"), {{"name", "Non"}}).status, 403);
  EXPECT_EQ(post("/api/v1/products", as("sales_a"), {{"name", "Non"}}).status, 403);
  EXPECT_EQ(count("accounts"), before);
}

TEST_F(AccessApi, SalesCannotDeleteColleaguesRecordsOrAssignOutsideTeam) {
  json mine = create("contacts", {{"last_name", "Collègue"}}, "victim");  // team A colleague's contact
  EXPECT_EQ(get("/api/v1/contacts/" + mine["id"].dump(), as("sales_a")).status, 200) << "same team sees it";
  EXPECT_EQ(del("/api/v1/contacts/" + mine["id"].dump(), as("sales_a")).status, 403);
  Response assign = post("/api/v1/contacts", as("sales_a"), {{"last_name", "Cadeau"}, {"owner_id", uid("sales_b")}});
  EXPECT_EQ(assign.status, 422) << assign.dump();
  EXPECT_TRUE(assign.names_field("owner_id"));
  Response ok = post("/api/v1/contacts", as("sales_a"), {{"last_name", "Pour un collègue"}, {"owner_id", uid("victim")}});
  EXPECT_EQ(ok.status, 201) << ok.dump();
  EXPECT_EQ(del("/api/v1/contacts/" + mine["id"].dump(), as("manager_a")).status, 204);
}

TEST_F(AccessApi, SharingMakesVisible) {
  json shared = create("accounts", {{"name", "Partage " + unique("S")}}, "sales_b");
  std::string p = acc(shared["id"]);
  ASSERT_EQ(get(p, as("sales_a")).status == 200, false);
  Response bad = post(p + "/shares", as("sales_b"), {{"user_id", "x"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(bad.names_field("user_id"));
  EXPECT_EQ(post(p + "/shares", as("sales_b"), {{"user_id", 999999}}).status, 422);
  Response s = post(p + "/shares", as("sales_b"), {{"user_id", uid("sales_a")}});
  ASSERT_EQ(s.status, 204) << s.dump();
  EXPECT_EQ(post(p + "/shares", as("sales_b"), {{"user_id", uid("sales_a")}}).status, 204) << "sharing twice is harmless";
  EXPECT_EQ(get(p, as("sales_a")).status, 200);
  EXPECT_TRUE(contains_id(list_ids("accounts", as("sales_a")), shared["id"]));
  EXPECT_TRUE(contains_id(search_ids("accounts", shared["name"], "sales_a"), shared["id"]));
  // The share is for that user only, and is audited.
  EXPECT_NE(get(p, as("manager_a")).status, 200);
  Response audit = get(p + "/audit", as("admin"));
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.j["data"][0]["action"], "share");
  // Now sales_a may record an interaction on it.
  Response i = post("/api/v1/interactions", as("sales_a"), {{"channel", "phone"}, {"account_id", shared["id"]}});
  EXPECT_EQ(i.status, 201) << i.dump();
}
