// Caller look-up (GET /api/v1/lookup/phone/{number}, docs/cti.md): any written form of a number
// finds the contacts and accounts that carry it, within the reader's visibility, with their owner,
// open tasks and latest interactions; the index follows every write (create, update, import,
// merge, delete). Runs on SQLite and on PostgreSQL like every API test.
#include "api_fixture.h"

using namespace gzt;

class LookupApi : public ApiTest {
 protected:
  json lookup(const std::string& number, const std::string& who = "admin") {
    Response r = get("/api/v1/lookup/phone/" + enc(number), as(who));
    EXPECT_EQ(r.status, 200) << number << ": " << r.dump();
    return r.j;
  }
  static std::vector<int64_t> ids(const json& list) {
    std::vector<int64_t> out;
    for (const auto& x : list) out.push_back(x["id"].get<int64_t>());
    return out;
  }
};

TEST_F(LookupApi, EveryWrittenFormFindsTheContactWithItsOwnerTasksAndInteractions) {
  json account = create("accounts", {{"name", "Boulangerie Appel"}});
  json c = create("contacts?allow_duplicate=true", {{"first_name", "Léa"}, {"last_name", "Appelante"},
                                                    {"phones", {"06 12 34 56 78"}}, {"account_id", account["id"]},
                                                    {"owner_id", uid("sales_a")}});
  create("tasks", {{"title", "Rappeler Léa"}, {"contact_id", c["id"]}});
  create("interactions", {{"channel", "phone"}, {"contact_id", c["id"]}, {"subject", "Premier appel"}});
  for (const std::string& form : {"06 12 34 56 78", "+33612345678", "0033612345678", "06.12.34.56.78", "06-12-34-56-78",
                                  "0612345678", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78"}) {
    json r = lookup(form);
    EXPECT_EQ(r["e164"], "+33612345678") << form;
    ASSERT_EQ(ids(r["contacts"]), std::vector<int64_t>{c["id"].get<int64_t>()}) << form << ": " << r.dump();
    EXPECT_TRUE(r["accounts"].empty()) << form;
  }
  json hit = lookup("06 12 34 56 78")["contacts"][0];
  EXPECT_EQ(hit["name"], "Léa Appelante");
  EXPECT_EQ(hit["owner"]["id"], uid("sales_a"));
  EXPECT_TRUE(hit["owner"]["name"].is_string() && !hit["owner"]["name"].get<std::string>().empty()) << hit.dump();
  EXPECT_TRUE(hit.contains("value_tier"));
  EXPECT_EQ(hit["account"], json({{"id", account["id"]}, {"name", "Boulangerie Appel"}}));
  ASSERT_EQ(hit["open_tasks"].size(), 1u) << hit.dump();
  EXPECT_EQ(hit["open_tasks"][0]["title"], "Rappeler Léa");
  ASSERT_EQ(hit["last_interactions"].size(), 1u) << hit.dump();
  EXPECT_EQ(hit["last_interactions"][0]["subject"], "Premier appel");
}

TEST_F(LookupApi, ForeignNumbersAndTheSecondPhoneOfAList) {
  json c = create("contacts?allow_duplicate=true",
                  {{"last_name", "Londonienne"}, {"phones", {"01 45 67 89 10", "+44 20 7946 0958"}}});
  for (const std::string& form : {"+44 20 7946 0958", "+442079460958", "0044 20 7946 0958", "01 45 67 89 10"})
    EXPECT_EQ(ids(lookup(form)["contacts"]), std::vector<int64_t>{c["id"].get<int64_t>()}) << form;
}

TEST_F(LookupApi, AnAccountsSwitchboardFindsTheAccount) {
  json a = create("accounts", {{"name", "Standard Durand"}, {"phone", "04 72 10 20 30"}, {"owner_id", uid("manager_a")}});
  for (const std::string& form : {"04 72 10 20 30", "+33472102030", "0033 4 72 10 20 30", "04.72.10.20.30"}) {
    json r = lookup(form);
    ASSERT_EQ(ids(r["accounts"]), std::vector<int64_t>{a["id"].get<int64_t>()}) << form << ": " << r.dump();
    EXPECT_TRUE(r["contacts"].empty());
  }
  json hit = lookup("0472102030")["accounts"][0];
  EXPECT_EQ(hit["name"], "Standard Durand");
  EXPECT_EQ(hit["owner"]["id"], uid("manager_a"));
  EXPECT_TRUE(hit["open_tasks"].is_array());
  EXPECT_TRUE(hit["last_interactions"].is_array());
}

TEST_F(LookupApi, AContactTheCallerMayNotSeeIsNotReturned) {
  json mine = create("contacts?allow_duplicate=true", {{"last_name", "Visible"}, {"phones", {"06 22 33 44 55"}},
                                                       {"owner_id", uid("sales_a")}});
  json theirs = create("contacts?allow_duplicate=true", {{"last_name", "Cachée"}, {"phones", {"06 22 33 44 55"}},
                                                         {"owner_id", uid("sales_b")}});
  json hidden_account = create("accounts", {{"name", "Société Cachée"}, {"phone", "06 22 33 44 55"}, {"owner_id", uid("sales_b")}});
  json a = lookup("0622334455", "sales_a");
  EXPECT_EQ(ids(a["contacts"]), std::vector<int64_t>{mine["id"].get<int64_t>()}) << a.dump();
  EXPECT_TRUE(a["accounts"].empty()) << a.dump();
  EXPECT_EQ(a.dump().find("Cach"), std::string::npos) << a.dump();
  json b = lookup("0622334455", "sales_b");
  EXPECT_EQ(ids(b["contacts"]), std::vector<int64_t>{theirs["id"].get<int64_t>()});
  EXPECT_EQ(ids(b["accounts"]), std::vector<int64_t>{hidden_account["id"].get<int64_t>()});
  json all = lookup("0622334455", "admin");
  EXPECT_EQ(all["contacts"].size(), 2u);
  // Shared with the reader: found.
  ASSERT_EQ(post("/api/v1/contacts/" + theirs["id"].dump() + "/shares", as("admin"), {{"user_id", uid("sales_a")}}).status, 204);
  EXPECT_EQ(lookup("0622334455", "sales_a")["contacts"].size(), 2u);
}

TEST_F(LookupApi, TheIndexFollowsUpdatesDeletesImportsAndMerges) {
  json c = create("contacts?allow_duplicate=true", {{"last_name", "Changeante"}, {"phones", {"06 31 41 59 26"}}});
  std::string path = "/api/v1/contacts/" + c["id"].dump();
  Response p = patch(path, as("admin"), {{"phones", {"07 51 52 53 54"}}}, {{"If-Match", "\"" + c["version"].dump() + "\""}});
  ASSERT_EQ(p.status, 200) << p.dump();
  EXPECT_TRUE(lookup("06 31 41 59 26")["contacts"].empty()) << "the old number no longer matches";
  EXPECT_EQ(ids(lookup("07 51 52 53 54")["contacts"]), std::vector<int64_t>{c["id"].get<int64_t>()});

  json a = create("accounts", {{"name", "Ancien Standard"}, {"phone", "05 56 00 11 22"}});
  Response pa = patch("/api/v1/accounts/" + a["id"].dump(), as("admin"), {{"phone", "05 56 00 11 33"}},
                      {{"If-Match", "\"" + a["version"].dump() + "\""}});
  ASSERT_EQ(pa.status, 200) << pa.dump();
  EXPECT_TRUE(lookup("05 56 00 11 22")["accounts"].empty());
  EXPECT_EQ(ids(lookup("05 56 00 11 33")["accounts"]), std::vector<int64_t>{a["id"].get<int64_t>()});

  ASSERT_EQ(del(path, as("admin"), {{"If-Match", "\"" + p.j["version"].dump() + "\""}}).status, 204);
  EXPECT_TRUE(lookup("07 51 52 53 54")["contacts"].empty());

  // Imported.
  Response imp = raw("POST", "/api/v1/import/contacts", as("admin"), "last_name,phones\nImportée,06 71 72 73 74\n");
  ASSERT_EQ(imp.status, 200) << imp.dump();
  json found = lookup("+33 6 71 72 73 74");
  ASSERT_EQ(found["contacts"].size(), 1u) << found.dump();
  EXPECT_EQ(found["contacts"][0]["last_name"], "Importée");

  // Merged: the absorbed record is gone, its number leads to the survivor.
  json s = create("contacts?allow_duplicate=true", {{"last_name", "Survivante"}, {"phones", {"06 81 82 83 84"}}});
  json b = create("contacts?allow_duplicate=true", {{"last_name", "Survivante"}, {"phones", {"06 61 62 63 64"}}});
  Response m = post("/api/v1/contacts/merge", as("admin"), {{"survivor_id", s["id"]}, {"absorbed_ids", {b["id"]}}});
  ASSERT_EQ(m.status, 201) << m.dump();
  EXPECT_EQ(ids(lookup("06 61 62 63 64")["contacts"]), std::vector<int64_t>{s["id"].get<int64_t>()})
      << "phone lists are united by a merge";
  EXPECT_EQ(ids(lookup("06 81 82 83 84")["contacts"]), std::vector<int64_t>{s["id"].get<int64_t>()});
}

TEST_F(LookupApi, UnknownOrInvalidNumbersGiveEmptyListsAndTextIsRefusedInFrench) {
  for (const std::string& form : {"06 99 99 99 98", "0639000000", "+1 202 555 0147", "3001"}) {
    json r = lookup(form);
    EXPECT_TRUE(r["contacts"].empty() && r["accounts"].empty()) << form << ": " << r.dump();
  }
  for (const std::string& bad : {"abc", "06 12 ab", "++33612345678", "1234567890123456789012", "--", "12", "-1"}) {
    Response r = srv().request("GET", "/api/v1/lookup/phone/" + enc(bad), as("admin"), std::nullopt,
                               {{"Accept-Language", "fr"}});
    ASSERT_EQ(r.status, 422) << bad << ": " << r.dump();
    ASSERT_TRUE(r.j["errors"].is_array() && !r.j["errors"].empty()) << r.dump();
    EXPECT_EQ(r.j["errors"][0]["field"], "number") << r.dump();
  }
  Response fr = srv().request("GET", "/api/v1/lookup/phone/abc", as("admin"), std::nullopt, {{"Accept-Language", "fr"}});
  EXPECT_NE(fr.j["errors"][0]["message"].get<std::string>().find("n'est pas un numéro de téléphone"), std::string::npos)
      << fr.dump();
  EXPECT_EQ(get("/api/v1/lookup/phone/0612345678?x=1", as("admin")).status, 400);
  EXPECT_EQ(get("/api/v1/lookup/phone/0612345678", Auth::none()).status, 401);
}
