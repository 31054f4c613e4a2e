// Tags on customers (stored folded, filter ?tags=), the team directory non-managers see, and
// deletes refused while a customer still holds orders or contacts.
#include "api_fixture.h"

using namespace gzt;

class TagsApi : public ApiTest {};

TEST_F(TagsApi, TagsAreFoldedDeduplicatedAndFilterable) {
  Auth a = as("sales_a");
  Response c1 = post("/api/v1/contacts", a, {{"last_name", "Tagué"}, {"tags", {"VIP", " Salon  Été ", "vip"}}});
  ASSERT_EQ(c1.status, 201) << c1.dump();
  EXPECT_EQ(c1.j["tags"], json({"vip", "salon ete"}));
  Response c2 = post("/api/v1/contacts", a, {{"last_name", "Sans étiquette"}});
  ASSERT_EQ(c2.status, 201) << c2.dump();
  EXPECT_EQ(c2.j["tags"], json::array());

  // The filter folds its value the same way, and matches a whole tag, not a part of one.
  for (const std::string q : {"vip", "VIP", "Salon%20%C3%A9t%C3%A9"}) {
    Response l = get("/api/v1/contacts?tags=" + q, a);
    ASSERT_EQ(l.status, 200) << q << " " << l.dump();
    ASSERT_EQ(l.j["data"].size(), 1u) << q;
    EXPECT_EQ(l.j["data"][0]["id"], c1.j["id"]);
  }
  EXPECT_EQ(get("/api/v1/contacts?tags=vi", a).j["data"].size(), 0u);

  // Removing a tag is a PATCH of the list.
  Response p = patch("/api/v1/contacts/" + c1.j["id"].dump(), a, {{"tags", {"salon ete"}}});
  ASSERT_EQ(p.status, 200) << p.dump();
  EXPECT_EQ(get("/api/v1/contacts?tags=vip", a).j["data"].size(), 0u);

  // Accounts and households carry tags too.
  Response acc = post("/api/v1/accounts", a, {{"name", "Tags SARL"}, {"tags", {"Partenaire"}}});
  ASSERT_EQ(acc.status, 201) << acc.dump();
  EXPECT_EQ(get("/api/v1/accounts?tags=partenaire", a).j["data"].size(), 1u);
  Response hh = post("/api/v1/households", a, {{"name", "Famille Tag"}, {"tags", "fidèle"}});
  ASSERT_EQ(hh.status, 201) << hh.dump();
  EXPECT_EQ(hh.j["tags"], json({"fidele"}));
}

TEST_F(TagsApi, BadTagsAreRefusedNamingTheTag) {
  Auth a = as("sales_a");
  Response r = post("/api/v1/contacts", a, {{"last_name", "Xtagrefus"}, {"tags", {"ok", 12}}});
  EXPECT_EQ(r.status, 422) << r.dump();
  EXPECT_TRUE(r.names_field("tags[1]")) << r.dump();
  r = post("/api/v1/contacts", a, {{"last_name", "Xtagrefus"}, {"tags", {std::string(51, 'a')}}});
  EXPECT_EQ(r.status, 422) << r.dump();
  EXPECT_TRUE(r.names_field("tags[0]")) << r.dump();
  json many = json::array();
  for (int i = 0; i < 21; ++i) many.push_back("t" + std::to_string(i));
  r = post("/api/v1/contacts", a, {{"last_name", "Xtagrefus"}, {"tags", many}});
  EXPECT_EQ(r.status, 422) << r.dump();
  EXPECT_TRUE(r.names_field("tags")) << r.dump();
  EXPECT_EQ(get("/api/v1/contacts?q=xtagrefus", a).j["data"].size(), 0u) << "nothing was created";
}

TEST_F(TagsApi, SalesSeeTheirTeamInTheUserDirectory) {
  Response mine = get("/api/v1/users", as("sales_a"));
  ASSERT_EQ(mine.status, 200) << mine.dump();
  std::set<int64_t> ids;
  for (const auto& u : mine.j["data"]) ids.insert(u["id"].get<int64_t>());
  EXPECT_TRUE(ids.count(uid("sales_a")));
  EXPECT_TRUE(ids.count(uid("manager_a")));
  EXPECT_FALSE(ids.count(uid("sales_b"))) << "another team's people are not listed";
  EXPECT_FALSE(ids.count(uid("admin")));
  // A manager still lists everyone.
  EXPECT_GE(get("/api/v1/users", as("manager_b")).j["data"].size(), user_specs().size());

  // What the directory offers is what the owner rules accept: hand a record to a teammate.
  Auth a = as("sales_a");
  Response c = post("/api/v1/contacts", a, {{"last_name", "Passation"}});
  ASSERT_EQ(c.status, 201);
  Response p = patch("/api/v1/contacts/" + c.j["id"].dump(), a, {{"owner_id", uid("manager_a")}});
  EXPECT_EQ(p.status, 200) << p.dump();
}

TEST_F(TagsApi, CustomersWithOrdersOrContactsCannotBeDeleted) {
  Auth a = as("sales_a");
  Response acc = post("/api/v1/accounts", a, {{"name", "Historique SA"}});
  ASSERT_EQ(acc.status, 201);
  Response c = post("/api/v1/contacts", a, {{"last_name", "Acheteur"}, {"account_id", acc.j["id"]}});
  ASSERT_EQ(c.status, 201);
  Response o = post("/api/v1/orders", a, {{"contact_id", c.j["id"]}, {"total_cents", 1000}});
  ASSERT_EQ(o.status, 201) << o.dump();

  Response d = del("/api/v1/contacts/" + c.j["id"].dump(), a);
  EXPECT_EQ(d.status, 409) << d.dump();
  EXPECT_NE(d.j.value("detail", "").find("1 × Order"), std::string::npos) << d.dump();
  d = del("/api/v1/accounts/" + acc.j["id"].dump(), a);
  EXPECT_EQ(d.status, 409) << d.dump();
  EXPECT_NE(d.j.value("detail", "").find("1 × Contact"), std::string::npos) << d.dump();
  EXPECT_EQ(get("/api/v1/contacts/" + c.j["id"].dump(), a).status, 200) << "nothing was deleted";

  // Without the order, the contact goes; then the account, with no contact left, goes too.
  ASSERT_EQ(del("/api/v1/orders/" + o.j["id"].dump(), a).status, 204);
  EXPECT_EQ(del("/api/v1/contacts/" + c.j["id"].dump(), a).status, 204);
  EXPECT_EQ(del("/api/v1/accounts/" + acc.j["id"].dump(), a).status, 204);
}
