// Messages reach the user in their language (core/message.h): French by default and for a
// French browser, English for an English one, and a user's own setting over both; fields are
// named by their label, never as "[0]:".
#include "api_fixture.h"

using namespace gzt;

class MessagesApi : public ApiTest {
 protected:
  const httplib::Headers fr = {{"Accept-Language", "fr-FR,fr;q=0.9"}};
  const httplib::Headers en = {{"Accept-Language", "en-GB,en;q=0.9"}};
  Response bad_phone(const std::string& user, const httplib::Headers& h) {
    return post("/api/v1/contacts", as(user), {{"last_name", "Tessier"}, {"phones", {"06 12"}}}, h);
  }
};

TEST_F(MessagesApi, AFrenchReaderGetsFrenchWithTheFieldsLabel) {
  Response r = bad_phone("admin", fr);
  ASSERT_EQ(r.status, 422) << r.dump();
  std::string detail = r.j.value("detail", "");
  EXPECT_EQ(detail.rfind("T\u00e9l\u00e9phones\u00a0: \u00ab\u00a006 12\u00a0\u00bb est trop court", 0), 0u) << detail;
  EXPECT_EQ(r.j["title"], "Saisie invalide");
  ASSERT_EQ(r.j["errors"].size(), 1u) << r.dump();
  EXPECT_EQ(r.j["errors"][0]["field"], "phones[0]");  // the web finds the input by its path
  EXPECT_EQ(r.j["errors"][0]["label"], "T\u00e9l\u00e9phones");
  EXPECT_EQ(r.j["errors"][0]["message"].get<std::string>().find("[0]"), std::string::npos) << r.dump();

  // Several wrong fields: counted in French, the first named by its label.
  Response two = post("/api/v1/contacts", as("admin"), {{"phones", {"06 12"}}, {"emails", {"g.tessier@exemple"}}}, fr);
  ASSERT_EQ(two.status, 422) << two.dump();
  EXPECT_EQ(two.j.value("detail", "").rfind("3 champs sont invalides", 0), 0u) << two.dump();
  bool required = false;
  for (const auto& e : two.j["errors"]) required |= e["field"] == "last_name" && e["message"] == "est obligatoire";
  EXPECT_TRUE(required) << two.dump();

  // Without Accept-Language at all: French, the product's language.
  Response none = srv().request("POST", "/api/v1/contacts", as("admin"), std::string(R"({"last_name":"X","phones":["06 12"]})"),
                                {{"Accept-Language", "*"}});
  EXPECT_EQ(none.j.value("title", ""), "Saisie invalide") << none.dump();
}

TEST_F(MessagesApi, AnEnglishReaderGetsEnglish) {
  Response r = bad_phone("admin", en);
  ASSERT_EQ(r.status, 422);
  EXPECT_EQ(r.j.value("detail", "").rfind("Phones: '06 12' is too short for a phone number", 0), 0u) << r.dump();
  EXPECT_EQ(r.j["title"], "Invalid input");
}

TEST_F(MessagesApi, TheUsersOwnLanguageWinsOverTheBrowsers) {
  Response me = get("/api/v1/me", as("sales_b"));
  ASSERT_EQ(me.status, 200);
  EXPECT_TRUE(me.j["language"].is_null()) << me.dump();
  Response set = patch("/api/v1/me", as("sales_b"), {{"language", "en"}});
  ASSERT_EQ(set.status, 200) << set.dump();
  EXPECT_EQ(set.j["language"], "en");
  Response r = bad_phone("sales_b", fr);
  EXPECT_EQ(r.j["title"], "Invalid input") << r.dump();
  // A wrong language is refused, in the user's language, and changes nothing.
  Response wrong = patch("/api/v1/me", as("sales_b"), {{"language", "de"}});
  EXPECT_EQ(wrong.status, 422) << wrong.dump();
  EXPECT_TRUE(wrong.names_field("language"));
  EXPECT_EQ(get("/api/v1/me", as("sales_b")).j["language"], "en");
  // Back to the browser's.
  ASSERT_EQ(patch("/api/v1/me", as("sales_b"), {{"language", nullptr}}).status, 200);
  EXPECT_EQ(bad_phone("sales_b", fr).j["title"], "Saisie invalide");
}

TEST_F(MessagesApi, RightsAndMissingRecordsNameThingsByTheirLabels) {
  Response r = get("/api/v1/contacts/999999999", as("admin"));
  ASSERT_EQ(r.status, 404);
  Response f = srv().request("GET", "/api/v1/contacts/999999999", as("admin"), std::nullopt, fr);
  EXPECT_EQ(f.j.value("title", ""), "Introuvable") << f.dump();
}
