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

// The entities' own rules (entity_rules.h) add their errors by field code; the errors array and
// the detail still name the field by its label, and the messages name stages and entities by
// theirs, never by their codes.
TEST_F(MessagesApi, EntityRuleErrorsNameTheFieldAndTheStagesByTheirLabels) {
  auto error_on = [](const Response& r, const std::string& field) {
    for (const auto& e : r.j["errors"])
      if (e.value("field", "") == field) return e;
    return json();
  };
  // exchange_rates' rule on the rate.
  json rate_fr = {{"currency", "USD"}, {"rate", "un euro"}, {"valid_from", "2020-01-01"}};
  Response bad = post("/api/v1/exchange_rates", as("manager_a"), rate_fr, fr);
  ASSERT_EQ(bad.status, 422) << bad.dump();
  json e = error_on(bad, "rate");
  EXPECT_EQ(e.value("label", ""), "Taux (en devise de la soci\u00e9t\u00e9 pour 1 unit\u00e9)") << bad.dump();
  EXPECT_EQ(bad.j.value("detail", "").rfind("Taux (en devise de la soci\u00e9t\u00e9 pour 1 unit\u00e9)\u00a0: ", 0), 0u) << bad.dump();
  Response bad_en = post("/api/v1/exchange_rates", as("manager_a"), rate_fr, en);
  EXPECT_EQ(error_on(bad_en, "rate").value("label", ""), "Rate (company currency for 1 unit)") << bad_en.dump();

  // The lifecycle: a customer does not go back to prospect; a disqualified one needs a reason.
  json acc = create("accounts", {{"name", "Libellés et étapes"}, {"lifecycle_stage", "prospect"}}, "sales_a");
  std::string path = "/api/v1/accounts/" + std::to_string(acc["id"].get<int64_t>());
  ASSERT_EQ(patch(path, as("sales_a"), {{"lifecycle_stage", "new_customer"}}).status, 200);
  Response back = patch(path, as("sales_a"), {{"lifecycle_stage", "prospect"}}, fr);
  ASSERT_EQ(back.status, 422) << back.dump();
  e = error_on(back, "lifecycle_stage");
  EXPECT_EQ(e.value("label", ""), "\u00c9tape du cycle de vie") << back.dump();
  std::string msg = e.value("message", "");
  EXPECT_EQ(msg.rfind("impossible de revenir de \u00ab\u00a0Nouveau client\u00a0\u00bb \u00e0 \u00ab\u00a0Prospect\u00a0\u00bb", 0), 0u) << msg;
  EXPECT_EQ(msg.find("new_customer"), std::string::npos) << msg;
  Response back_en = patch(path, as("sales_a"), {{"lifecycle_stage", "prospect"}}, en);
  EXPECT_EQ(error_on(back_en, "lifecycle_stage").value("message", "").rfind("cannot go from New customer back to Prospect", 0), 0u)
      << back_en.dump();

  json lead = create("accounts", {{"name", "Sans budget"}, {"lifecycle_stage", "prospect"}}, "sales_a");
  Response no_reason =
      patch("/api/v1/accounts/" + std::to_string(lead["id"].get<int64_t>()), as("sales_a"), {{"lifecycle_stage", "disqualified"}}, fr);
  ASSERT_EQ(no_reason.status, 422) << no_reason.dump();
  e = error_on(no_reason, "stage_reason");
  EXPECT_EQ(e.value("label", ""), "Motif de l'\u00e9tape") << no_reason.dump();
  EXPECT_EQ(e.value("message", "").rfind("est obligatoire quand \u00ab\u00a0\u00c9tape du cycle de vie\u00a0\u00bb vaut "
                                         "\u00ab\u00a0Disqualifi\u00e9\u00a0\u00bb", 0), 0u)
      << no_reason.dump();

  // An order without customer, with a wrong line: the line's field is named with its line.
  Response order = post("/api/v1/orders", as("sales_a"),
                        {{"lines", json::array({json{{"description", "Sac"}, {"quantity", 0}, {"unit_price_cents", 100}}})}}, fr);
  ASSERT_EQ(order.status, 422) << order.dump();
  e = error_on(order, "contact_id");
  EXPECT_EQ(e.value("label", ""), "Contact") << order.dump();
  EXPECT_NE(e.value("message", "").find("chaque fiche \u00ab\u00a0Commande\u00a0\u00bb"), std::string::npos) << order.dump();
  EXPECT_EQ(e.value("message", "").find("contact_id"), std::string::npos) << order.dump();
  EXPECT_EQ(error_on(order, "lines[0].quantity").value("label", ""), "Ligne 1\u00a0: Quantit\u00e9") << order.dump();
}
