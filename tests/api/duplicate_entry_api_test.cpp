// The duplicate check at entry (docs/duplicates.md, "Check at entry"): creating a contact or an
// account that probably duplicates a stored one answers 409 with the candidates and writes
// nothing; ?allow_duplicate=true creates it anyway; a record that is invalid gets its 422 first.
#include "api_fixture.h"

using namespace gzt;

class DuplicateEntryApi : public ApiTest {
 protected:
  std::vector<int64_t> ids_matching(const std::string& words) {
    Response r = get("/api/v1/contacts?limit=100&q=" + enc(words), as("admin"));
    EXPECT_EQ(r.status, 200) << r.dump();
    std::vector<int64_t> out;
    json data = r.j["data"];
    for (const auto& c : data) out.push_back(c["id"].get<int64_t>());
    return out;
  }
};

TEST_F(DuplicateEntryApi, ProbableDuplicateIsShownNotCreated) {
  std::string mark = unique("Vasseur");
  std::string email = "helene@" + mark + ".fr";
  json first = create("contacts", {{"first_name", "Hélène"}, {"last_name", mark}, {"emails", {email}},
                                   {"phones", {"06 12 34 56 78"}}, {"postcode", "69003"}});
  int64_t id = first["id"];

  // The same person typed again without accents: 409 with the stored record as candidate.
  json again = {{"first_name", "Helene"}, {"last_name", mark}, {"emails", {email}}, {"postcode", "69003"}};
  Response r = post("/api/v1/contacts", as("admin"), again);
  ASSERT_EQ(r.status, 409) << r.dump();
  EXPECT_NE(r.j["type"].get<std::string>().find("probable-duplicate"), std::string::npos);
  ASSERT_FALSE(r.j["candidates"].empty());
  EXPECT_EQ(r.j["candidates"][0]["id"], id);
  EXPECT_TRUE(r.j["candidates"][0]["score"].is_number());
  EXPECT_TRUE(r.j["candidates"][0]["probable"].get<bool>());
  EXPECT_FALSE(r.j["candidates"][0]["explanation"].empty());
  EXPECT_EQ(ids_matching(mark), std::vector<int64_t>{id}) << "nothing was written";

  // Invalid and a duplicate: the field error comes first (nothing to compare a bad record with).
  json bad = again;
  bad["emails"] = {"helene-at-" + mark};
  Response invalid = post("/api/v1/contacts", as("admin"), bad);
  EXPECT_EQ(invalid.status, 422) << invalid.dump();
  EXPECT_NE(invalid.dump().find("emails"), std::string::npos) << invalid.dump();
  EXPECT_EQ(ids_matching(mark), std::vector<int64_t>{id});

  // The user insists: created.
  Response forced = post("/api/v1/contacts?allow_duplicate=true", as("admin"), again);
  ASSERT_EQ(forced.status, 201) << forced.dump();
  EXPECT_EQ(ids_matching(mark).size(), 2u);

  // Someone else with the same surname is not a duplicate.
  Response other = post("/api/v1/contacts", as("admin"),
                        {{"first_name", "Marc"}, {"last_name", mark}, {"emails", {"marc@" + mark + ".org"}},
                         {"postcode", "13008"}});
  EXPECT_EQ(other.status, 201) << other.dump();
}

TEST_F(DuplicateEntryApi, AccountsAreCheckedToo) {
  std::string mark = unique("Cartonnerie");
  json first = create("accounts", {{"name", "Cartonnerie " + mark + " SARL"}, {"legal_id", "552032534"}});
  Response r = post("/api/v1/accounts", as("admin"), {{"name", "cartonnerie " + mark}, {"legal_id", "552 032 534"}});
  ASSERT_EQ(r.status, 409) << r.dump();
  EXPECT_EQ(r.j["candidates"][0]["id"], first["id"]);
  Response bad = post("/api/v1/accounts?allow_duplicate=maybe", as("admin"), {{"name", "x"}});
  EXPECT_EQ(bad.status, 400) << bad.dump();
  EXPECT_NE(bad.dump().find("allow_duplicate"), std::string::npos);
}

// Each candidate says why it looks like the record, in words built from the field comparisons
// and the catalogue's labels, in the request's language (docs/duplicates.md, "Reasons"); the
// check route and the merge comparison say the same.
TEST_F(DuplicateEntryApi, CandidatesCarryTheirReasons) {
  std::string mark = unique("Lemaire");
  std::string email = "sophie@" + mark + ".fr";
  json first = create("contacts", {{"first_name", "Sophie"}, {"last_name", mark}, {"emails", {email}},
                                   {"birth_date", "1975-03-14"}, {"postcode", "44000"}});
  json again = {{"first_name", "Sophie"}, {"last_name", mark}, {"emails", {"SOPHIE@" + mark + ".fr"}},
                {"birth_date", "1975-03-14"}, {"postcode", "35000"}};
  auto texts = [](const json& reasons, bool agree) {
    std::vector<std::string> out;
    for (const auto& r : reasons)
      if (r["agree"].get<bool>() == agree) out.push_back(r["text"]);
    return out;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };

  Response r = post("/api/v1/contacts", as("admin"), again, {{"Accept-Language", "fr"}});  // reasons in French
  ASSERT_EQ(r.status, 409) << r.dump();
  json reasons = r.j["candidates"][0]["reasons"];
  ASSERT_TRUE(reasons.is_array()) << r.dump();
  auto agree = texts(reasons, true), disagree = texts(reasons, false);
  EXPECT_TRUE(has(agree, "même e-mail")) << reasons.dump();
  EXPECT_TRUE(has(agree, "même date de naissance")) << reasons.dump();
  EXPECT_TRUE(has(agree, "même prénom")) << reasons.dump();
  EXPECT_TRUE(has(disagree, "code postal différent")) << reasons.dump();
  for (const auto& x : reasons) {
    EXPECT_TRUE(x["field"].is_string());
    EXPECT_TRUE(x["level"].is_string());
    EXPECT_TRUE(x["weight"].is_number());
  }

  // In English when asked.
  Response en = post("/api/v1/contacts?lang=en", as("admin"), again);
  ASSERT_EQ(en.status, 409) << en.dump();
  EXPECT_TRUE(has(texts(en.j["candidates"][0]["reasons"], true), "same e-mail")) << en.dump();
  EXPECT_TRUE(has(texts(en.j["candidates"][0]["reasons"], true), "same date of birth")) << en.dump();

  // The check route as the form calls it.
  Response check = post("/api/v1/contacts/duplicates/check", as("admin"), again, {{"Accept-Language", "fr"}});
  ASSERT_EQ(check.status, 200) << check.dump();
  EXPECT_TRUE(has(texts(check.j["candidates"][0]["reasons"], true), "même e-mail")) << check.dump();

  // The merge comparison: one pair, with its reasons.
  Response forced = post("/api/v1/contacts?allow_duplicate=true", as("admin"), again);
  ASSERT_EQ(forced.status, 201) << forced.dump();
  Response cmp = srv().request("GET",
                               "/api/v1/contacts/compare?ids=" + std::to_string(first["id"].get<int64_t>()) + "," +
                                   std::to_string(forced.j["id"].get<int64_t>()),
                               as("admin"), std::nullopt, {{"Accept-Language", "fr"}});
  ASSERT_EQ(cmp.status, 200) << cmp.dump();
  ASSERT_EQ(cmp.j["pairs"].size(), 1u) << cmp.dump();
  EXPECT_EQ(cmp.j["pairs"][0]["a"], first["id"]);
  EXPECT_TRUE(has(texts(cmp.j["pairs"][0]["reasons"], true), "même date de naissance")) << cmp.dump();

  // A scan's pairs too.
  Response scan = post("/api/v1/duplicates/scan", as("admin"), {{"entity", "contacts"}, {"wait", true}});
  ASSERT_EQ(scan.status, 200) << scan.dump();
  Response queue = srv().request("GET", "/api/v1/duplicates?entity=contacts&limit=200", as("admin"), std::nullopt,
                                 {{"Accept-Language", "fr"}});
  ASSERT_EQ(queue.status, 200) << queue.dump();
  bool seen = false;
  for (const auto& c : queue.j["data"])
    for (const auto& p : c["pairs"])
      if (p["a"] == first["id"] && p["b"] == forced.j["id"]) {
        seen = true;
        EXPECT_TRUE(has(texts(p["reasons"], true), "même e-mail")) << p.dump();
      }
  EXPECT_TRUE(seen) << queue.dump();
}
