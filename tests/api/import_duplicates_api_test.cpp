// The import wizard's duplicate check (docs/import.md, "Duplicates before importing"): an
// uploaded contacts file is read with the wizard's mapping and matched against the base; the
// rows that look like stored contacts come back with their candidates; nothing is written.
#include <chrono>
#include <thread>

#include "api_fixture.h"

using namespace gzt;

class ImportDuplicatesApi : public ApiTest {};

TEST_F(ImportDuplicatesApi, UploadedFileRowsThatLookLikeStoredContacts) {
  std::string mark = unique("Lemaire");
  json stored = create("contacts", {{"first_name", "Sébastien"}, {"last_name", mark}, {"emails", {"seb@" + mark + ".fr"}},
                                    {"phones", {"06 11 22 33 44"}}, {"postcode", "59000"}});
  std::string csv = "Prénom;Nom;Courriel;Tél;CP;Budget\n"
                    "Sebastien;" + mark + ";seb@" + mark + ".fr;0611223344;59000;\n"
                    "Agathe;Vernier" + mark + ";agathe@vernier.fr;0145678901;75011;120000\n"
                    "Paul;" + mark + ";paul@" + mark + ".fr;;59000;beaucoup\n";
  Response up = raw("POST", "/api/v1/imports/uploads?entity=contacts&file_name=salon.csv", as("admin"), csv);
  ASSERT_EQ(up.status, 201) << up.dump();
  // on_match create: a row sharing a stored contact's e-mail is a new record (by default it would
  // update that contact, which is then not a duplicate: checked at the end).
  json mapping = {{"columns", {{"Prénom", "first_name"}, {"Nom", "last_name"}, {"Courriel", "emails"}, {"Tél", "phones"},
                               {"CP", "postcode"}, {"Budget", "category_spend_cents"}}},
                  {"options", {{"on_match", "create"}}}};
  json body = {{"upload", up.j["upload"]}, {"entity", "contacts"}, {"mapping", mapping}};
  Response r = post("/api/v1/imports/duplicates", as("admin"), body);
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["rows_checked"], 2);
  EXPECT_EQ(r.j["rows_not_checked"], 1);  // line 4: "beaucoup" is no amount
  ASSERT_FALSE(r.j["not_checked"].empty());
  EXPECT_EQ(r.j["not_checked"][0]["line"], 4);
  ASSERT_GE(r.j["matches"].size(), 1u) << r.dump();
  json first = r.j["matches"][0];
  EXPECT_EQ(first["line"], 2);
  EXPECT_EQ(first["candidate_id"], stored["id"]);
  EXPECT_TRUE(first["probable"].get<bool>()) << first.dump();
  EXPECT_FALSE(first["explanation"].empty());
  json matches = r.j["matches"];
  for (const auto& m : matches) EXPECT_NE(m["line"], 3) << "Agathe looks like nobody: " << m.dump();
  // By default (on_match update) line 2 updates the contact with its e-mail: not a duplicate of it.
  json by_email = body;
  by_email["mapping"].erase("options");
  Response u = post("/api/v1/imports/duplicates", as("admin"), by_email);
  ASSERT_EQ(u.status, 200) << u.dump();
  for (const auto& m : u.j["matches"])
    EXPECT_FALSE(m["line"] == 2 && m["candidate_id"] == stored["id"]) << "the row is that contact: " << m.dump();
  // Nothing was imported.
  Response list = get("/api/v1/contacts?q=" + enc(mark), as("admin"));
  EXPECT_EQ(list.j["data"].size(), 1u) << list.dump();

  // Errors name what is wrong.
  body["entity"] = "orders";
  Response bad = post("/api/v1/imports/duplicates", as("admin"), body);
  EXPECT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("entity")) << bad.dump();
  body["entity"] = "contacts";
  body["limit"] = 0;
  EXPECT_TRUE(post("/api/v1/imports/duplicates", as("admin"), body).names_field("limit"));
  body.erase("limit");
  body["mapping"]["columns"]["Nom"] = "surname";
  Response unknown = post("/api/v1/imports/duplicates", as("admin"), body);
  EXPECT_GE(unknown.status, 400) << unknown.dump();
  EXPECT_LT(unknown.status, 500) << unknown.dump();
  EXPECT_EQ(post("/api/v1/imports/duplicates", as("read_only"), body).status, 403);
}

// The same check while importing (check_duplicates): the rows are imported, and each one that
// looks like a stored contact is a warning of kind probable_duplicate naming the candidate.
TEST_F(ImportDuplicatesApi, ImportRunWarnsAboutRowsThatLookLikeStoredContacts) {
  std::string mark = unique("Vasseur");
  json stored = create("contacts", {{"first_name", "Mathilde"}, {"last_name", mark}, {"emails", {"mathilde@" + mark + ".fr"}},
                                    {"phones", {"06 21 32 43 54"}}, {"postcode", "80000"}});
  std::string csv = "external_id,first_name,last_name,emails,phones,postcode\n"
                    "D1" + mark + ",Mathilde," + mark + ",mathilde@" + mark + ".fr,0621324354,80000\n"
                    "D2" + mark + ",Agathe,Vernier" + mark + ",agathe@vernier" + mark + ".fr,0145678901,75011\n";
  Response up = raw("POST", "/api/v1/imports/uploads?entity=contacts&file_name=salon.csv", as("admin"), csv);
  ASSERT_EQ(up.status, 201) << up.dump();
  json body = {{"upload", up.j["upload"]}, {"entity", "contacts"}, {"check_duplicates", "yes"}};
  Response bad = post("/api/v1/imports/runs", as("admin"), body);
  EXPECT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("check_duplicates")) << bad.dump();

  body["check_duplicates"] = true;
  Response started = post("/api/v1/imports/runs", as("admin"), body);
  ASSERT_EQ(started.status, 202) << started.dump();
  json run;
  for (int i = 0; i < 200; ++i) {
    run = get("/api/v1/imports/runs/" + std::to_string(started.j["id"].get<int64_t>()), as("admin")).j;
    if (run["status"] == "done" || run["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(run["status"], "done") << run.dump();
  EXPECT_EQ(run["created"], 2) << run.dump();
  EXPECT_EQ(run["report"]["warning_kinds"]["probable_duplicate"], 1) << run.dump();
  ASSERT_FALSE(run["report"]["warnings"].empty()) << run.dump();
  json w = run["report"]["warnings"][0];
  EXPECT_EQ(w["line"], 2) << w.dump();
  // The candidate by name, the reasons in words, no score.
  std::string said = w["message"].get<std::string>();
  EXPECT_EQ(said.rfind("very likely the same record as Mathilde " + mark + " (same ", 0), 0u) << w.dump();
  EXPECT_NE(said.find("same e-mail"), std::string::npos) << w.dump();
  EXPECT_EQ(said.find("score"), std::string::npos) << w.dump();
  // The warnings file, as the wizard downloads it.
  Response file = get("/api/v1/imports/runs/" + std::to_string(started.j["id"].get<int64_t>()) + "/warnings", as("admin"));
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body.rfind("line,column,warning", 0), 0u) << file.body;
  EXPECT_NE(file.body.find("2,,\"very likely the same record as Mathilde " + mark), std::string::npos) << file.body;
  // The pair is in the review list that the duplicates page reads, without a scan.
  Response review = get("/api/v1/duplicates?entity=contacts&limit=200", as("admin"));
  ASSERT_EQ(review.status, 200) << review.dump();
  bool queued = false;
  for (const auto& cl : review.j["data"]) {
    bool has_stored = false, has_row = false;
    for (const auto& m : cl["members"]) {
      has_stored |= m["id"] == stored["id"];
      has_row |= m["external_id"] == "D1" + mark;
    }
    queued |= has_stored && has_row;
  }
  EXPECT_TRUE(queued) << review.dump();
}
