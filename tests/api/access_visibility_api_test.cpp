// Reads within the reader's visibility: the 360° view names a linked record the reader cannot
// open without showing it, and a merged record whose survivor the reader cannot see is absent.
#include "api_fixture.h"

using namespace gzt;

class AccessVisibilityApi : public ApiTest {};

TEST_F(AccessVisibilityApi, View360ShowsOnlyTheNameOfWhatTheReaderCannotOpen) {
  // Team B's company and household; a contact of Team A's sales user linked to both.
  json account = create("accounts", {{"name", "Brasserie Bêta"}, {"website", "https://beta.example.fr"},
                                     {"owner_id", uid("sales_b")}});
  json household = create("households", {{"name", "Famille Bêta"}, {"owner_id", uid("sales_b")}});
  json other = create("contacts", {{"last_name", "Membre Caché"}, {"household_id", household["id"]}, {"owner_id", uid("sales_b")}});
  json mine = create("contacts", {{"last_name", "Client Alpha"}, {"account_id", account["id"]}, {"household_id", household["id"]},
                                  {"owner_id", uid("sales_a")}});
  std::string path = "/api/v1/contacts/" + mine["id"].dump() + "/360";

  Response v = get(path, as("sales_a"));
  ASSERT_EQ(v.status, 200) << v.dump();
  EXPECT_EQ(v.j["account"], json({{"id", account["id"]}, {"name", "Brasserie Bêta"}, {"restricted", true}})) << v.dump();
  EXPECT_EQ(v.j["household"], json({{"id", household["id"]}, {"name", "Famille Bêta"}, {"restricted", true}})) << v.dump();
  EXPECT_EQ(v.body.find("beta.example.fr"), std::string::npos);
  EXPECT_EQ(v.body.find("Membre Cach"), std::string::npos) << "no member of a household one cannot open";
  // The linked records stay closed to the reader themselves.
  EXPECT_EQ(get("/api/v1/accounts/" + account["id"].dump(), as("sales_a")).status, 404);

  // Who may open them gets them whole.
  Response full = get(path, as("admin"));
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(full.j["account"]["website"], "https://beta.example.fr");
  EXPECT_FALSE(full.j["account"].contains("restricted"));
  EXPECT_EQ(full.j["household"]["members"].size(), 2u) << full.dump();
  // Shared with the reader: whole as well.
  ASSERT_EQ(post("/api/v1/accounts/" + account["id"].dump() + "/shares", as("admin"), {{"user_id", uid("sales_a")}}).status, 204);
  Response shared = get(path, as("sales_a"));
  EXPECT_EQ(shared.j["account"]["website"], "https://beta.example.fr") << shared.dump();
  EXPECT_TRUE(shared.j["household"]["restricted"].get<bool>());
  (void)other;
}

TEST_F(AccessVisibilityApi, MergedRecordWhoseSurvivorIsHiddenIsNotFound) {
  json survivor = create("contacts", {{"last_name", "Gardé Bêta"}, {"owner_id", uid("sales_b")}});
  json absorbed = create("contacts", {{"last_name", "Absorbé Alpha"}, {"owner_id", uid("sales_a")}});
  Response m = post("/api/v1/contacts/merge", as("admin"), {{"survivor_id", survivor["id"]}, {"absorbed_ids", {absorbed["id"]}}});
  ASSERT_EQ(m.status, 201) << m.dump();
  std::string path = "/api/v1/contacts/" + absorbed["id"].dump();
  // Who sees the survivor is sent to it…
  Response b = get(path, as("sales_b"));
  EXPECT_EQ(b.status, 308) << b.dump();
  EXPECT_EQ(b.header("X-Merged-Into"), survivor["id"].dump());
  EXPECT_EQ(get(path + "/360", as("admin")).status, 308);
  // …who does not learns nothing: not even that it was merged, nor into which id.
  for (const std::string& p : {path, path + "/360"}) {
    Response a = get(p, as("sales_a"));
    EXPECT_EQ(a.status, 404) << p << ": " << a.dump();
    EXPECT_TRUE(a.header("X-Merged-Into").empty());
    EXPECT_FALSE(a.j.is_object() && a.j.contains("merged_into")) << a.dump();
  }
  EXPECT_EQ(get(path, Auth::token("gz_unknown")).status, 401);
}
