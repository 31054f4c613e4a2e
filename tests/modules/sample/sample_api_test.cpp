// The sample module's API (module.cpp): its entity with child lines, an enum, a role of its own
// and its rights, import and search, on both backends — served by gazelle_sample, with nothing
// edited outside this folder.
#include <regex>

#include "api_fixture.h"

using namespace gzt;

class SampleModuleApi : public ApiTest {
 protected:
  // A technician, created by the admin like any user: the role exists because the module says so.
  Auth technician() {
    Response u = post("/api/v1/users", as("admin"),
                      {{"email", "tech@gazelle.test"}, {"name", "Théo Technicien"}, {"role", "technician"},
                       {"password", "Sonde-thermique-42"}});
    EXPECT_EQ(u.status, 201) << u.dump();
    Response l = post("/api/v1/auth/login", Auth::none(), {{"email", "tech@gazelle.test"}, {"password", "Sonde-thermique-42"}});
    EXPECT_EQ(l.status, 200) << l.dump();
    std::smatch m;
    std::string cookie = l.header("Set-Cookie");
    Auth a;
    if (std::regex_search(cookie, m, std::regex("gazelle_session=([0-9a-f]+)"))) a.session = m[1];
    a.csrf = l.j.value("csrf_token", "");
    return a;
  }
};

TEST_F(SampleModuleApi, ReportsKeepTheirLinesValidatedVersionedAndAudited) {
  Auth a = as("sales_a");
  json body = {{"title", "Visite Épicerie fine"},
               {"visited_on", "2026-11-30"},
               {"outcome", "follow_up"},
               {"items", {{{"label", "Coffret"}, {"quantity", 2}}, {{"label", "Thé"}, {"quantity", 0}}, {{"label", "X"}, {"qty", 1}}}}};
  Response bad = post("/api/v1/visit_reports", a, body);
  ASSERT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("items[1].quantity")) << bad.dump();
  EXPECT_TRUE(bad.names_field("items[2].qty")) << bad.dump();
  EXPECT_TRUE(bad.names_field("items[2].quantity")) << bad.dump();  // required

  body["items"] = {{{"label", "Coffret"}, {"quantity", 2}}, {{"label", "Thé"}, {"quantity", 5}}};
  Response r = post("/api/v1/visit_reports", a, body);
  ASSERT_EQ(r.status, 201) << r.dump();
  EXPECT_EQ(r.j["total_quantity"], 7);
  ASSERT_EQ(r.j["items"].size(), 2u);
  EXPECT_EQ(r.j["items"][1]["label"], "Thé");
  EXPECT_EQ(r.j["items"][1]["line_no"], 2);
  std::string path = "/api/v1/visit_reports/" + r.j["id"].dump();

  // The same lines sent back are no change; other lines are a new version with an audit entry.
  Response same = patch(path, a, {{"items", body["items"]}});
  ASSERT_EQ(same.status, 200) << same.dump();
  EXPECT_EQ(same.j["version"], 1);
  Response changed = patch(path, a, {{"items", {{{"label", "Coffret"}, {"quantity", 4}}}}});
  ASSERT_EQ(changed.status, 200) << changed.dump();
  EXPECT_EQ(changed.j["version"], 2);
  EXPECT_EQ(changed.j["total_quantity"], 4);
  EXPECT_EQ(get(path, a).j["items"].size(), 1u);
  Response audit = get(path + "/audit", a);
  ASSERT_EQ(audit.status, 200) << audit.dump();
  EXPECT_NE(audit.dump().find("replaced"), std::string::npos) << audit.dump();
}

TEST_F(SampleModuleApi, TheEnumIsCheckedFilteredAndLabelled) {
  Auth a = as("sales_a");
  Response bad = post("/api/v1/visit_reports", a, {{"title", "Visite"}, {"outcome", "maybe"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(bad.names_field("outcome")) << bad.dump();
  ASSERT_EQ(post("/api/v1/visit_reports", a, {{"title", "Visite commande"}, {"outcome", "order"}}).status, 201);
  Response l = get("/api/v1/visit_reports?outcome=order", a);
  ASSERT_EQ(l.status, 200) << l.dump();
  ASSERT_GE(l.j["data"].size(), 1u);
  for (const auto& x : l.j["data"]) EXPECT_EQ(x["outcome"], "order");
  Response s = get("/api/v1/schema?lang=fr", a);
  bool found = false;
  for (const auto& e : s.j["entities"])
    if (e["name"] == "visit_reports") {
      found = true;
      EXPECT_EQ(e["label"], "Comptes rendus de visite");
      EXPECT_EQ(e["module"], "sample_visits");
      EXPECT_EQ(e["children"][0]["label"], "Échantillons remis");
    }
  EXPECT_TRUE(found);
}

TEST_F(SampleModuleApi, TheModulesRoleHasExactlyTheRightsItGrants) {
  Auth t = technician();
  Response r = post("/api/v1/visit_reports", t, {{"title", "Contrôle chaudière"}, {"items", {{{"label", "Joint"}, {"quantity", 1}}}}});
  ASSERT_EQ(r.status, 201) << r.dump();
  EXPECT_EQ(get("/api/v1/contacts?limit=1", t).status, 200);  // reads customers
  EXPECT_EQ(post("/api/v1/contacts", t, {{"last_name", "Refusé"}}).status, 403);  // writes none
  EXPECT_EQ(get("/api/v1/orders?limit=1", t).status, 403);  // granted nothing on orders
  EXPECT_EQ(get("/api/v1/interactions?limit=1", t).status, 403);
  // Others: read_only reads, may not write; a role the module gave nothing to gets nothing.
  EXPECT_EQ(get("/api/v1/visit_reports", as("read_only")).status, 200);
  EXPECT_EQ(post("/api/v1/visit_reports", as("read_only"), {{"title", "Non"}}).status, 403);
  EXPECT_EQ(get("/api/v1/visit_reports", as("service")).status, 403);
  // An unknown role is still refused.
  Response u = post("/api/v1/users", as("admin"), {{"email", "x@gazelle.test"}, {"role", "astronaut"}, {"password", "Sonde-thermique-42"}});
  EXPECT_EQ(u.status, 422);
  EXPECT_TRUE(u.names_field("role")) << u.dump();
}

TEST_F(SampleModuleApi, ReportsAreImportedAndFoundBySearch) {
  Response imp = raw("POST", "/api/v1/import/visit_reports", as("admin"),
                     "external_id,title,visited_on,outcome,notes\n"
                     "VR-1,Visite Boulangerie Zéphyrin,2026-10-02,order,Commande de brioches\n"
                     "VR-2,Visite Fromagerie,2026-10-03,nope,\n");
  ASSERT_EQ(imp.status, 200) << imp.dump();
  EXPECT_EQ(imp.j["created"], 1) << imp.dump();
  EXPECT_EQ(imp.j["rejected"], 1) << imp.dump();
  Response s = get("/api/v1/visit_reports?q=zephyrin", as("admin"));
  ASSERT_EQ(s.status, 200) << s.dump();
  ASSERT_EQ(s.j["data"].size(), 1u) << s.dump();
  EXPECT_EQ(s.j["data"][0]["external_id"], "VR-1");
  EXPECT_EQ(get("/api/v1/visit_reports?q=brioches", as("admin")).j["data"].size(), 1u);
}
