// The sales module over HTTP (docs/sales.md), on both backends: pipelines and stage rules, the
// board's figures, quote lines and VAT totals (EN 16931) on known figures, the quote number
// sequence, price precedence step by step, acceptance into an order, rights and the 360° view.
#include <ctime>
#include <map>
#include <tuple>

#include "api_fixture.h"

using namespace gzt;

class SalesApi : public ApiTest {
 protected:
  // A pipeline of its own for a test: two open stages, a won and a lost one.
  json pipeline(const std::string& name) {
    return create("pipelines", {{"name", name},
                                {"stages",
                                 {{{"name", "Premier contact"}, {"probability_pct", 10}},
                                  {{"key", "offre"}, {"name", "Offre envoyée"}, {"probability_pct", 50}, {"stale_after_days", 7}},
                                  {{"key", "won"}, {"name", "Gagnée"}, {"probability_pct", 100}, {"outcome", "won"}},
                                  {{"key", "lost"}, {"name", "Perdue"}, {"probability_pct", 0}, {"outcome", "lost"}, {"folded", true}}}}});
  }
  json account(const std::string& name, const std::string& who = "admin", json extra = json::object()) {
    extra["name"] = name;
    return create("accounts", extra, who);
  }
  std::string path(const std::string& entity, const json& rec) { return "/api/v1/" + entity + "/" + rec["id"].dump(); }
};

TEST_F(SalesApi, StagesOfAPipelineDecideStatusProbabilityAndWhatAMoveNeeds) {
  json p = pipeline(unique("Pipeline "));
  ASSERT_EQ(p["stages"].size(), 4u);
  EXPECT_EQ(p["stages"][0]["key"], "premier_contact");  // made from the name
  json acc = account(unique("Brasserie "), "sales_a");
  json o = create("opportunities", {{"name", "Tireuses"}, {"account_id", acc["id"]}, {"pipeline_id", p["id"]},
                                    {"amount_cents", 250000}}, "sales_a");
  EXPECT_EQ(o["stage"], "premier_contact");
  EXPECT_EQ(o["status"], "open");
  EXPECT_EQ(o["probability_pct"], 10);
  EXPECT_TRUE(o["stage_entered_at"].is_string());
  Auth a = as("sales_a");

  Response wrong = patch(path("opportunities", o), a, {{"stage", "nulle_part"}});
  ASSERT_EQ(wrong.status, 422) << wrong.dump();
  EXPECT_TRUE(wrong.names_field("stage")) << wrong.dump();

  Response moved = patch(path("opportunities", o), a, {{"stage", "offre"}});
  ASSERT_EQ(moved.status, 200) << moved.dump();
  EXPECT_EQ(moved.j["probability_pct"], 50);
  Response kept = patch(path("opportunities", o), a, {{"probability_pct", 65}});
  EXPECT_EQ(kept.j["probability_pct"], 65);

  // Won needs a date, lost a coded reason; refused, nothing changes.
  Response won = patch(path("opportunities", o), a, {{"stage", "won"}});
  ASSERT_EQ(won.status, 422) << won.dump();
  EXPECT_TRUE(won.names_field("closed_on")) << won.dump();
  Response lost = patch(path("opportunities", o), a, {{"stage", "lost"}, {"closed_on", "2026-12-01"}});
  ASSERT_EQ(lost.status, 422) << lost.dump();
  EXPECT_TRUE(lost.names_field("loss_reason_id")) << lost.dump();
  EXPECT_EQ(get(path("opportunities", o), a).j["stage"], "offre");
  json reason = create("sales_reasons", {{"name", unique("Prix trop élevé ")}, {"kind", "loss"}}, "manager_a");
  lost = patch(path("opportunities", o), a, {{"stage", "lost"}, {"closed_on", "2026-12-01"}, {"loss_reason_id", reason["id"]}});
  ASSERT_EQ(lost.status, 200) << lost.dump();
  EXPECT_EQ(lost.j["status"], "lost");
  EXPECT_EQ(lost.j["probability_pct"], 0);

  Response history = get(path("opportunities", o) + "/stage-history", a);
  ASSERT_EQ(history.status, 200) << history.dump();
  ASSERT_EQ(history.j["data"].size(), 3u);
  EXPECT_EQ(history.j["data"][1]["stage"], "offre");
  Response times = get(path("opportunities", o) + "/stage-times", a);
  ASSERT_EQ(times.status, 200) << times.dump();
  ASSERT_EQ(times.j["data"].size(), 3u);
  EXPECT_TRUE(times.j["data"][2]["left_at"].is_null());

  // A stage of another pipeline is not one of this one's.
  json other = pipeline(unique("Autre "));
  Response foreign = patch(path("opportunities", o), a, {{"pipeline_id", other["id"]}, {"stage", "nulle_part"}});
  EXPECT_EQ(foreign.status, 422) << foreign.dump();
  // A stage still holding an opportunity cannot be removed.
  json stages = p["stages"];
  stages.erase(3);
  Response removed = patch(path("pipelines", p), as("manager_a"), {{"stages", stages}});
  ASSERT_EQ(removed.status, 422) << removed.dump();
  EXPECT_TRUE(removed.names_field("stages")) << removed.dump();
  // Salespeople read pipelines but do not change them.
  EXPECT_EQ(post("/api/v1/pipelines", a, {{"name", "Le mien"}}).status, 403);
}

TEST_F(SalesApi, TheBoardCountsAndWeighsWhatTheReaderSees) {
  json p = pipeline(unique("Board "));
  json acc = account(unique("Fromagerie "), "sales_a");
  for (auto [amount, stage] : {std::pair{100000, "premier_contact"}, {200000, "offre"}, {300001, "offre"}})
    create("opportunities", {{"name", "Affaire"}, {"account_id", acc["id"]}, {"pipeline_id", p["id"]}, {"stage", stage},
                             {"amount_cents", amount}, {"expected_close_date", "2020-01-31"}}, "sales_a");
  Response b = get("/api/v1/sales/board?pipeline_id=" + p["id"].dump(), as("sales_a"));
  ASSERT_EQ(b.status, 200) << b.dump();
  ASSERT_EQ(b.j["stages"].size(), 4u);
  const json& first = b.j["stages"][0];
  const json& offer = b.j["stages"][1];
  EXPECT_EQ(first["count"], 1);
  EXPECT_EQ(first["weighted_cents"], 10000);
  EXPECT_EQ(offer["count"], 2);
  EXPECT_EQ(offer["amount_cents"], 500001);
  EXPECT_EQ(offer["weighted_cents"], 250001);  // 500001 × 50 % = 250000.5, rounded half up
  EXPECT_EQ(offer["overdue"], 2);
  EXPECT_EQ(b.j["open"]["count"], 3);
  EXPECT_EQ(b.j["open"]["amount_cents"], 600001);
  // Team B sees none of team A's deals; an unknown parameter is named.
  Response other = get("/api/v1/sales/board?pipeline_id=" + p["id"].dump(), as("sales_b"));
  ASSERT_EQ(other.status, 200) << other.dump();
  EXPECT_EQ(other.j["open"]["count"], 0);
  EXPECT_EQ(get("/api/v1/sales/board?pipeline=1", as("sales_a")).status, 400);
  // The cards of a column are the generic list.
  Response cards = get("/api/v1/opportunities?pipeline_id=" + p["id"].dump() + "&stage=offre&sort=-amount_cents", as("sales_a"));
  ASSERT_EQ(cards.status, 200) << cards.dump();
  ASSERT_EQ(cards.j["data"].size(), 2u);
  EXPECT_EQ(cards.j["data"][0]["amount_cents"], 300001);
}

TEST_F(SalesApi, QuoteTotalsFollowEn16931AndBadLinesAreNamed) {
  json acc = account(unique("Épicerie "), "sales_a");
  json lines = {
      {{"description", "Paniers garnis"}, {"quantity", 3}, {"unit_price_cents", 3333}, {"vat_rate", "20"}},
      {{"description", "Confiture"}, {"quantity", 1}, {"unit_price_cents", 10}, {"vat_rate", "5.5"}},
      {{"description", "Miel"}, {"quantity", 1}, {"unit_price_cents", 10}, {"vat_rate", "5.5"}},
      {{"description", "Thé"}, {"quantity", 1}, {"unit_price_cents", 10}, {"vat_rate", "5.5"}},
      {{"description", "Repas"}, {"quantity", 7}, {"unit_price_cents", 1429}, {"discount_cents", 3}, {"vat_rate", "10"}},
  };
  Response q = post("/api/v1/quotes", as("sales_a"), {{"title", "Colis de Noël"}, {"account_id", acc["id"]}, {"lines", lines}});
  ASSERT_EQ(q.status, 201) << q.dump();
  EXPECT_EQ(q.j["subtotal_cents"], 9999 + 30 + 10000);
  // 20 %: 9999 × 0.2 = 1999.8 → 2000; 5.5 %: 30 × 0.055 = 1.65 → 2 (three lines rounded one
  // by one would give 3); 10 %: 10000 × 0.1 = 1000.
  EXPECT_EQ(q.j["vat_cents"], 2000 + 2 + 1000);
  EXPECT_EQ(q.j["total_cents"], 20029 + 3002);
  ASSERT_EQ(q.j["vat_breakdown"]["rates"].size(), 3u);
  EXPECT_EQ(q.j["lines"][4]["total_cents"], 10000);
  EXPECT_EQ(q.j["status"], "draft");
  EXPECT_EQ(q.j["valid_until"].get<std::string>() > q.j["issued_on"].get<std::string>(), true);

  const int64_t before = count("quotes");
  json bad = {
      {{"description", "Retour"}, {"quantity", -1}, {"unit_price_cents", 100}},
      {{"description", "Ancien taux"}, {"quantity", 1}, {"unit_price_cents", 100}, {"vat_rate", "19.6"}},
      {{"description", "Trop remisé"}, {"quantity", 1}, {"unit_price_cents", 1000}, {"discount_cents", 2000}},
      {{"description", "Export"}, {"quantity", 1}, {"unit_price_cents", 1000}, {"vat_rate", "0"}},
  };
  Response r = post("/api/v1/quotes", as("sales_a"), {{"title", "Mauvais"}, {"account_id", acc["id"]}, {"lines", bad}});
  ASSERT_EQ(r.status, 422) << r.dump();
  EXPECT_TRUE(r.names_field("lines[0].quantity")) << r.dump();
  EXPECT_TRUE(r.names_field("lines[1].vat_rate")) << r.dump();
  EXPECT_TRUE(r.names_field("lines[2].discount_cents")) << r.dump();
  EXPECT_TRUE(r.names_field("vat_exemption")) << r.dump();
  EXPECT_EQ(count("quotes"), before);

  // Numbers follow each other; a refused quote takes none.
  json q2 = create("quotes", {{"title", "Deuxième"}, {"account_id", acc["id"]}, {"lines", {lines[0]}}}, "sales_a");
  auto seq = [](const json& quote) { return std::stoi(quote["number"].get<std::string>().substr(7)); };
  EXPECT_EQ(seq(q2), seq(q.j) + 1) << q.j["number"] << " " << q2["number"];
  EXPECT_EQ(q.j["number"].get<std::string>().substr(0, 2), "D-");
}

TEST_F(SalesApi, APriceComesFromTheMostSpecificValidList) {
  json p = create("products", {{"name", unique("Café en grains ")}, {"sku", unique("CAFE-")}, {"unit_price_cents", 10000}});
  json q = create("products", {{"name", unique("Filtres ")}, {"sku", unique("FILT-")}, {"unit_price_cents", 500}});
  json gold = account(unique("Or "), "sales_a", {{"tier", "gold"}});
  json seg = account(unique("Grossiste "), "sales_a", {{"tags", {"grossiste-test"}}});
  json own = account(unique("Client "), "sales_a");
  json plain = account(unique("Simple "), "sales_a");
  auto item = [&](int64_t price, int64_t from = 1) { return json{{"product_id", p["id"]}, {"min_quantity", from}, {"unit_price_cents", price}}; };
  create("price_lists", {{"name", "Général"}, {"items", {item(9000)}}}, "manager_a");
  create("price_lists", {{"name", "Or"}, {"tier", "gold"}, {"items", {item(8500)}}}, "manager_a");
  create("price_lists", {{"name", "Grossistes"}, {"segment", "grossiste-test"}, {"items", {item(8000)}}}, "manager_a");
  create("price_lists", {{"name", "Client"}, {"account_id", own["id"]}, {"items", {item(7500), item(7000, 10)}}}, "manager_a");
  json expired = create("price_lists", {{"name", "Ancien"}, {"account_id", own["id"]}, {"valid_until", "2020-12-31"}, {"items", {item(5000)}}}, "manager_a");
  json usd = create("price_lists", {{"name", "Dollars"}, {"currency", "USD"}, {"items", {item(100)}}}, "manager_a");

  auto price = [&](const json& acc, int64_t qty, json extra = json::object()) {
    extra["title"] = "Prix";
    extra["account_id"] = acc["id"];
    extra["lines"] = {{{"product_id", p["id"]}, {"quantity", qty}}};
    Response r = post("/api/v1/quotes", as("sales_a"), extra);
    EXPECT_EQ(r.status, 201) << r.dump();
    return r.status == 201 ? std::pair{r.j["lines"][0]["unit_price_cents"].get<int64_t>(), r.j["lines"][0]["price_source"].get<std::string>()}
                           : std::pair{int64_t(-1), std::string()};
  };
  EXPECT_EQ(price(plain, 1), (std::pair<int64_t, std::string>{9000, "general_list"}));
  EXPECT_EQ(price(gold, 1), (std::pair<int64_t, std::string>{8500, "tier_list"}));
  EXPECT_EQ(price(seg, 1), (std::pair<int64_t, std::string>{8000, "segment_list"}));
  EXPECT_EQ(price(own, 1), (std::pair<int64_t, std::string>{7500, "customer_list"}));
  EXPECT_EQ(price(own, 12), (std::pair<int64_t, std::string>{7000, "customer_list"}));  // the volume break
  // A product no list holds keeps its catalogue price; a price typed in stays.
  Response cat = post("/api/v1/quotes", as("sales_a"), {{"title", "Filtres"}, {"account_id", plain["id"]},
                                                         {"lines", {{{"product_id", q["id"]}, {"quantity", 2}}, {{"product_id", p["id"]}, {"quantity", 1}, {"unit_price_cents", 1234}}}}});
  ASSERT_EQ(cat.status, 201) << cat.dump();
  EXPECT_EQ(cat.j["lines"][0]["unit_price_cents"], 500);
  EXPECT_EQ(cat.j["lines"][0]["price_source"], "catalogue");
  EXPECT_EQ(cat.j["lines"][1]["unit_price_cents"], 1234);
  EXPECT_EQ(cat.j["lines"][1]["price_source"], "manual");
  // Naming an expired list or one in another currency is refused on price_list_id.
  for (const json& list : {expired, usd}) {
    Response r = post("/api/v1/quotes", as("sales_a"), {{"title", "Liste"}, {"account_id", own["id"]}, {"price_list_id", list["id"]},
                                                         {"lines", {{{"product_id", p["id"]}, {"quantity", 1}}}}});
    EXPECT_EQ(r.status, 422) << r.dump();
    EXPECT_TRUE(r.names_field("price_list_id")) << r.dump();
  }
}

TEST_F(SalesApi, AnAcceptedQuoteMakesTheOrderAndTheDealsAmount) {
  json p = pipeline(unique("Devis "));
  json contact = create("contacts", {{"first_name", "Hélène"}, {"last_name", unique("Garnier")}}, "sales_a");
  json o = create("opportunities", {{"name", "Machine à café"}, {"contact_id", contact["id"]}, {"pipeline_id", p["id"]},
                                    {"amount_cents", 100000}}, "sales_a");
  json q = create("quotes", {{"title", "Machine"}, {"opportunity_id", o["id"]},
                             {"lines", {{{"description", "Machine"}, {"quantity", 2}, {"unit_price_cents", 45000}, {"discount_cents", 1000}},
                                        {{"description", "Livre de recettes"}, {"quantity", 1}, {"unit_price_cents", 2000}, {"vat_rate", "5.5"}}}}},
                  "sales_a");
  EXPECT_EQ(q["contact_id"], contact["id"]);  // the opportunity's customer
  Response acc = post(path("quotes", q) + "/accept", as("sales_a"), {{"accepted_by_name", "Hélène Garnier"}});
  ASSERT_EQ(acc.status, 200) << acc.dump();
  EXPECT_EQ(acc.j["status"], "accepted");
  EXPECT_EQ(acc.j["accepted_by_name"], "Hélène Garnier");
  ASSERT_TRUE(acc.j["order_id"].is_number_integer()) << acc.dump();
  Response order = get("/api/v1/orders/" + acc.j["order_id"].dump(), as("sales_a"));
  ASSERT_EQ(order.status, 200) << order.dump();
  EXPECT_EQ(order.j["total_cents"], 89000 + 2000);  // net of VAT
  EXPECT_EQ(order.j["vat_cents"], 17800 + 110);      // kept beside: 20 % of 890,00 and 5,5 % of 20,00
  EXPECT_EQ(order.j["lines"].size(), 2u);
  EXPECT_EQ(order.j["contact_id"], contact["id"]);
  EXPECT_EQ(get(path("opportunities", o), as("sales_a")).j["amount_cents"], 91000);
  // The quote as the customer receives it.
  Response pdf = get(path("quotes", q) + "/pdf", as("sales_a"));
  ASSERT_EQ(pdf.status, 200) << pdf.dump();
  EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_EQ(get(path("quotes", q) + "/pdf", as("sales_b")).status, 404);
  // An accepted quote no longer changes.
  Response change = patch(path("quotes", q), as("sales_a"), {{"lines", {{{"description", "Autre"}, {"quantity", 1}, {"unit_price_cents", 1}}}}});
  EXPECT_EQ(change.status, 422) << change.dump();
  // The contact's 360° shows the deal and the quote.
  Response v = get("/api/v1/contacts/" + contact["id"].dump() + "/360", as("sales_a"));
  ASSERT_EQ(v.status, 200) << v.dump();
  ASSERT_EQ(v.j["opportunities"].size(), 1u);
  ASSERT_EQ(v.j["quotes"].size(), 1u);
  // Someone of another team sees neither.
  EXPECT_EQ(get(path("opportunities", o), as("sales_b")).status, 404);
  EXPECT_EQ(get(path("quotes", q), as("sales_b")).status, 404);
  EXPECT_EQ(post("/api/v1/opportunities", as("read_only"), {{"name", "X"}, {"contact_id", contact["id"]}}).status, 403);
}

TEST_F(SalesApi, TheWebFormMakesOneProspectAndAnswersSpamAndFloodsWithoutWriting) {
  json form = create("lead_forms", {{"name", "Demande de devis"}, {"campaign", "salon-2026"}, {"medium", "salon"},
                                    {"assignee_id", uid("sales_a")}},
                     "manager_a");
  ASSERT_TRUE(form["form_key"].is_string()) << form.dump();
  const std::string key = form["form_key"].get<std::string>();
  EXPECT_EQ(key.size(), 24u);
  // The hosted page shows the consent wording; the snippet posts to this server.
  Response pagehtml = get("/forms/" + key, Auth::none());
  ASSERT_EQ(pagehtml.status, 200) << pagehtml.dump();
  EXPECT_NE(pagehtml.body.find("accepte de recevoir des informations"), std::string::npos);
  EXPECT_NE(pagehtml.body.find("name=\"website\""), std::string::npos);  // the honeypot
  Response snippet = get("/api/v1/lead_forms/" + form["id"].dump() + "/snippet", as("manager_a"));
  ASSERT_EQ(snippet.status, 200) << snippet.dump();
  EXPECT_NE(snippet.j["html"].get<std::string>().find("/api/v1/public/forms/" + key), std::string::npos);

  const std::string url = "/api/v1/public/forms/" + key;
  const std::string email = unique("camille.roux") + "@exemple.fr";
  json lead = {{"first_name", "Camille"}, {"last_name", "Roux"}, {"email", email}, {"phone", "06 12 34 56 78"},
               {"company", unique("Boulangerie Roux ")}, {"message", "Un devis pour 3 fours, svp."}, {"consent", "on"}};
  Response first = post(url, Auth::none(), lead);
  ASSERT_EQ(first.status, 200) << first.dump();
  Response found = get("/api/v1/contacts?q=" + enc(email), as("admin"));
  ASSERT_EQ(found.j["data"].size(), 1u) << found.dump();
  json c = found.j["data"][0];
  EXPECT_EQ(c["lifecycle_stage"], "prospect");
  EXPECT_EQ(c["source_type"], "web_form");
  EXPECT_EQ(c["source_campaign"], "salon-2026");
  EXPECT_EQ(c["source_medium"], "salon");
  EXPECT_EQ(c["lead_form_id"], form["id"]);
  EXPECT_EQ(c["owner_id"], uid("sales_a"));
  EXPECT_TRUE(c["account_id"].is_number_integer());
  EXPECT_EQ(c["consent"]["email"]["status"], "granted");
  EXPECT_EQ(c["consent"]["email"]["origin"], "web form");
  EXPECT_EQ(count("tasks", "admin", "contact_id=" + c["id"].dump()), 1);
  EXPECT_EQ(count("interactions", "admin", "contact_id=" + c["id"].dump()), 1);

  // The same person again: the same answer, no second record, the request on their timeline.
  Response again = post(url, Auth::none(), lead);
  ASSERT_EQ(again.status, 200) << again.dump();
  EXPECT_EQ(again.j, first.j);
  EXPECT_EQ(get("/api/v1/contacts?q=" + enc(email), as("admin")).j["data"].size(), 1u);
  EXPECT_EQ(count("interactions", "admin", "contact_id=" + c["id"].dump()), 2);

  // A robot fills the hidden field: thanked, nothing made.
  json robot = lead;
  robot["email"] = unique("robot") + "@spam.example";
  robot["website"] = "http://spam.example";
  Response spam = post(url, Auth::none(), robot);
  EXPECT_EQ(spam.status, 200) << spam.dump();
  EXPECT_EQ(get("/api/v1/contacts?q=" + enc(robot["email"].get<std::string>()), as("admin")).j["data"].size(), 0u);

  // Missing fields are named, in French for a French browser.
  Response bad = post(url, Auth::none(), {{"first_name", "Sans nom"}}, {{"Accept-Language", "fr-FR,fr;q=0.9"}});
  ASSERT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("last_name")) << bad.dump();
  EXPECT_TRUE(bad.names_field("email")) << bad.dump();
  EXPECT_NE(bad.body.find("obligatoire"), std::string::npos) << bad.dump();

  // Every request is logged; the manager reads them.
  Response log = get("/api/v1/lead_submissions?form_id=" + form["id"].dump() + "&sort=received_at", as("manager_a"));
  ASSERT_EQ(log.status, 200) << log.dump();
  ASSERT_EQ(log.j["data"].size(), 3u) << log.dump();
  EXPECT_EQ(log.j["data"][0]["outcome"], "created");
  EXPECT_EQ(log.j["data"][1]["outcome"], "attached");
  EXPECT_EQ(log.j["data"][2]["outcome"], "spam");
  EXPECT_EQ(get("/api/v1/lead_submissions", as("sales_a")).status, 403);

  // A flood from one address is refused without writing.
  for (int i = 0; i < 2; ++i) {
    json more = lead;
    more["email"] = unique("flot") + "@exemple.fr";
    EXPECT_EQ(post(url, Auth::none(), more).status, 200);
  }
  json flood = lead;
  flood["email"] = unique("flood") + "@exemple.fr";
  Response refused = post(url, Auth::none(), flood);
  EXPECT_EQ(refused.status, 429) << refused.dump();
  EXPECT_EQ(get("/api/v1/contacts?q=" + enc(flood["email"].get<std::string>()), as("admin")).j["data"].size(), 0u);
  EXPECT_EQ(post("/api/v1/public/forms/inconnu", Auth::none(), lead).status, 404);
}

TEST_F(SalesApi, AnUnansweredQuoteGetsOneFollowUpHoweverOftenTheRulesRun) {
  json contact = create("contacts", {{"first_name", "Luc"}, {"last_name", unique("Perrin")}}, "sales_a");
  json q = create("quotes", {{"title", "Vitrine"}, {"contact_id", contact["id"]}, {"issued_on", "2026-01-05"},
                             {"valid_until", "2027-01-05"}, {"status", "sent"},
                             {"lines", {{{"description", "Vitrine réfrigérée"}, {"quantity", 1}, {"unit_price_cents", 250000}}}}},
                  "sales_a");
  EXPECT_EQ(post("/api/v1/sales/followups/run", as("sales_a"), json::object()).status, 403);
  Response run = post("/api/v1/sales/followups/run", as("manager_a"), json::object());
  ASSERT_EQ(run.status, 200) << run.dump();
  // The hourly job may have made the task already (it also runs at the server's start): the
  // count of this run may be 0; the task below must exist once either way.
  EXPECT_TRUE(run.j["quote_unanswered"].is_number_integer()) << run.dump();
  Response again = post("/api/v1/sales/followups/run", as("manager_a"), json::object());
  ASSERT_EQ(again.status, 200) << again.dump();
  Response tasks = get("/api/v1/tasks?contact_id=" + contact["id"].dump(), as("sales_a"));
  ASSERT_EQ(tasks.j["data"].size(), 1u) << tasks.dump();
  EXPECT_EQ(tasks.j["data"][0]["assignee_id"], uid("sales_a"));
  EXPECT_NE(tasks.j["data"][0]["title"].get<std::string>().find(q["number"].get<std::string>()), std::string::npos);
  Response bell = get("/api/v1/notifications?unread=true", as("sales_a"));
  ASSERT_EQ(bell.status, 200) << bell.dump();
  bool found = false;
  for (const auto& n : bell.j["data"]) found = found || n.value("title", "").find(q["number"].get<std::string>()) != std::string::npos;
  EXPECT_TRUE(found) << bell.dump();
}

TEST_F(SalesApi, RuleAndLearnedScoresAreExplainedSideBySide) {
  Response bad = patch("/api/v1/sales/settings", as("manager_a"), {{"scoring_rules", {{{"field", "account.industry"}, {"operator", "resembles"}, {"points", 5}}}}});
  ASSERT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("rules[0].operator")) << bad.dump();
  Response set = patch("/api/v1/sales/settings", as("manager_a"),
                       {{"quote_followup_days", 10},
                        {"scoring_rules", {{{"field", "account.industry"}, {"operator", "equals"}, {"value", "Commerce"}, {"points", 12},
                                            {"label", "secteur commerce"}}}}});
  ASSERT_EQ(set.status, 200) << set.dump();
  EXPECT_EQ(set.j["quote_followup_days"], 10);
  EXPECT_EQ(patch("/api/v1/sales/settings", as("sales_a"), {{"quote_followup_days", 3}}).status, 403);
  json acc = account(unique("Bazar "), "sales_a", {{"industry", "commerce"}});
  json o = create("opportunities", {{"name", "Caisse"}, {"account_id", acc["id"]}, {"amount_cents", 50000}}, "sales_a");
  Response train = post("/api/v1/sales/scoring/train", as("manager_a"), json::object());
  ASSERT_EQ(train.status, 200) << train.dump();
  Response score = get("/api/v1/opportunities/" + o["id"].dump() + "/score", as("sales_a"));
  ASSERT_EQ(score.status, 200) << score.dump();
  EXPECT_NE(score.dump().find("secteur commerce"), std::string::npos) << score.dump();
  EXPECT_NE(score.dump().find("12"), std::string::npos) << score.dump();
}

TEST_F(SalesApi, ForecastByMonthAndItsAccuracyAgainstWhatWasWon) {
  json p = pipeline(unique("Prévision "));
  json acc = account(unique("Traiteur "), "sales_a", {{"industry", "restauration"}});
  json o = create("opportunities", {{"name", "Buffet"}, {"account_id", acc["id"]}, {"pipeline_id", p["id"]}, {"stage", "offre"},
                                    {"amount_cents", 100000}, {"forecast_category", "commit"}, {"expected_close_date", "2031-03-20"},
                                    {"source", "trade_fair"}},
                  "sales_a");
  create("opportunities", {{"name", "Cocktail"}, {"account_id", acc["id"]}, {"pipeline_id", p["id"]}, {"amount_cents", 40000},
                           {"forecast_category", "best_case"}, {"expected_close_date", "2031-03-02"}}, "sales_a");
  const std::string me = "&owner_id=" + std::to_string(uid("sales_a"));
  Response f = get("/api/v1/sales/forecast?from=2031-03&to=2031-04" + me, as("sales_a"));
  ASSERT_EQ(f.status, 200) << f.dump();
  ASSERT_EQ(f.j["months"].size(), 2u);
  const json& march = f.j["months"][0];
  EXPECT_EQ(march["month"], "2031-03");
  EXPECT_EQ(march["open_cents"], 140000);
  EXPECT_EQ(march["weighted_cents"], 50000 + 4000);  // 50 % and the first stage's 10 %
  EXPECT_EQ(march["commit_cents"], 100000);
  EXPECT_EQ(march["best_case_cents"], 40000);
  EXPECT_EQ(f.j["months"][1]["open_cents"], 0);
  EXPECT_EQ(get("/api/v1/sales/forecast?from=2031-13", as("sales_a")).status, 400);

  // This week's snapshot holds the commitment; what is won in March is measured against it.
  Response snap = post("/api/v1/sales/forecast/snapshot", as("manager_a"), json::object());
  ASSERT_EQ(snap.status, 200) << snap.dump();
  EXPECT_EQ(post("/api/v1/sales/forecast/snapshot", as("manager_a"), json::object()).j["written"], 0);  // once a week
  Response won = patch("/api/v1/opportunities/" + o["id"].dump(), as("sales_a"), {{"stage", "won"}, {"closed_on", "2031-03-18"}});
  ASSERT_EQ(won.status, 200) << won.dump();
  Response acc_r = get("/api/v1/sales/forecast/accuracy?month=2031-03", as("sales_a"));
  ASSERT_EQ(acc_r.status, 200) << acc_r.dump();
  bool seen = false;
  for (const auto& row : acc_r.j["owners"])
    if (row["owner_id"] == uid("sales_a")) {
      seen = true;
      EXPECT_EQ(row["commit_cents"], 100000);
      EXPECT_EQ(row["best_case_cents"], 140000);
      EXPECT_EQ(row["won_cents"], 100000);
      EXPECT_DOUBLE_EQ(row["accuracy"].get<double>(), 1.0);
    }
  EXPECT_TRUE(seen) << acc_r.dump();
  Response perf = get("/api/v1/sales/performance?from=2031-01-01&to=2031-12-31", as("sales_a"));
  ASSERT_EQ(perf.status, 200) << perf.dump();
  bool fair = false;
  for (const auto& g : perf.j["by_source"])
    if (g["key"] == "trade_fair") {
      fair = true;
      EXPECT_EQ(g["won"], 1);
      EXPECT_DOUBLE_EQ(g["win_rate"].get<double>(), 1.0);
    }
  EXPECT_TRUE(fair) << perf.dump();
}

TEST_F(SalesApi, AWonReferredDealRewardsItsReferrerOnce) {
  json p = pipeline(unique("Parrainage "));
  json referrer = create("contacts", {{"first_name", "Paul"}, {"last_name", unique("Parrain")}}, "sales_a");
  json referred = create("contacts", {{"first_name", "Fanny"}, {"last_name", unique("Filleule")}, {"source_type", "referral"},
                                            {"source_contact_id", referrer["id"]}},
                         "sales_a");
  EXPECT_EQ(referred["source_contact_id"], referrer["id"]);
  json o = create("opportunities", {{"name", "Cuisine"}, {"contact_id", referred["id"]}, {"pipeline_id", p["id"]},
                                    {"amount_cents", 800000}, {"referred_by_contact_id", referrer["id"]}, {"source", "referral"}},
                  "sales_a");
  Response won = patch("/api/v1/opportunities/" + o["id"].dump(), as("sales_a"), {{"stage", "won"}, {"closed_on", "2026-12-02"}});
  ASSERT_EQ(won.status, 200) << won.dump();
  // Reopened and won again: still one reward.
  patch("/api/v1/opportunities/" + o["id"].dump(), as("sales_a"), {{"stage", "offre"}});
  patch("/api/v1/opportunities/" + o["id"].dump(), as("sales_a"), {{"stage", "won"}, {"closed_on", "2026-12-03"}});
  Response rewards = get("/api/v1/referral_rewards?contact_id=" + referrer["id"].dump(), as("sales_a"));
  ASSERT_EQ(rewards.status, 200) << rewards.dump();
  ASSERT_EQ(rewards.j["data"].size(), 1u) << rewards.dump();
  EXPECT_EQ(rewards.j["data"][0]["kind"], "points");
  EXPECT_EQ(rewards.j["data"][0]["points"], 100);
  Response v = get("/api/v1/contacts/" + referrer["id"].dump() + "/360", as("sales_a"));
  ASSERT_EQ(v.status, 200) << v.dump();
  EXPECT_EQ(v.j["referral_rewards"].size(), 1u);
  EXPECT_EQ(v.j["referrals"].size(), 1u);
  Response w = get("/api/v1/contacts/" + referred["id"].dump() + "/360", as("sales_a"));
  EXPECT_EQ(w.j["referral_rewards_received"].size(), 1u) << w.dump();
}

TEST_F(SalesApi, ResultsAgainstTargetsAndADepartingSalespersonsRecordsReassigned) {
  Response bad = post("/api/v1/sales_targets", as("manager_a"), {{"user_id", uid("victim")}, {"month", "2031-13"}, {"amount_cents", 1}});
  ASSERT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("month")) << bad.dump();
  create("sales_targets", {{"user_id", uid("victim")}, {"month", "2031-05"}, {"amount_cents", 2000000}}, "manager_a");
  Response twice = post("/api/v1/sales_targets", as("manager_a"), {{"user_id", uid("victim")}, {"month", "2031-05"}, {"amount_cents", 5}});
  EXPECT_EQ(twice.status, 422) << twice.dump();
  json p = pipeline(unique("Résultats "));
  json acc = account(unique("Quincaillerie "), "victim");
  create("opportunities", {{"name", "Outillage"}, {"account_id", acc["id"]}, {"pipeline_id", p["id"]}, {"stage", "won"},
                           {"closed_on", "2031-05-10"}, {"amount_cents", 500000}}, "victim");
  json open = create("opportunities", {{"name", "Rayonnages"}, {"account_id", acc["id"]}, {"pipeline_id", p["id"]},
                                       {"amount_cents", 300000}}, "victim");
  Response r = get("/api/v1/sales/results?month=2031-05", as("manager_a"));
  ASSERT_EQ(r.status, 200) << r.dump();
  bool seen = false;
  for (const auto& row : r.j["people"])
    if (row["user_id"] == uid("victim")) {
      seen = true;
      EXPECT_EQ(row["target_cents"], 2000000);
      EXPECT_EQ(row["won_cents"], 500000);
      EXPECT_DOUBLE_EQ(row["target_reached"].get<double>(), 0.25);
      EXPECT_EQ(row["open_weighted_cents"], 30000);
    }
  EXPECT_TRUE(seen) << r.dump();
  // A salesperson sees their own row only.
  Response mine = get("/api/v1/sales/results?month=2031-05", as("sales_a"));
  ASSERT_EQ(mine.j["people"].size(), 1u);
  EXPECT_EQ(mine.j["people"][0]["user_id"], uid("sales_a"));

  EXPECT_EQ(post("/api/v1/sales/reassign", as("sales_a"), {{"from_user_id", uid("victim")}, {"to_user_id", uid("sales_a")}}).status, 403);
  Response moved = post("/api/v1/sales/reassign", as("manager_a"), {{"from_user_id", uid("victim")}, {"to_user_id", uid("sales_a")}});
  ASSERT_EQ(moved.status, 200) << moved.dump();
  EXPECT_GE(moved.j["accounts"].get<int>(), 1);
  EXPECT_EQ(moved.j["opportunities"], 1);  // the won one stays with who won it
  EXPECT_EQ(get("/api/v1/opportunities/" + open["id"].dump(), as("sales_a")).j["owner_id"], uid("sales_a"));
  Response audit = get("/api/v1/opportunities/" + open["id"].dump() + "/audit", as("manager_a"));
  EXPECT_NE(audit.body.find("owner_id"), std::string::npos) << audit.dump();
}

TEST_F(SalesApi, TheCustomerAcceptsOnceThroughTheLink) {
  json contact = create("contacts", {{"first_name", "Inès"}, {"last_name", unique("Marchand")}}, "sales_a");
  json q = create("quotes", {{"title", "Agencement"}, {"contact_id", contact["id"]},
                             {"lines", {{{"description", "Comptoir en chêne"}, {"quantity", 1}, {"unit_price_cents", 123456}}}}},
                  "sales_a");
  Response link = post(path("quotes", q) + "/link", as("sales_a"), json::object());
  ASSERT_EQ(link.status, 201) << link.dump();
  EXPECT_EQ(link.j["status"], "sent");
  const std::string url = link.j["url"].get<std::string>();
  const std::string local = url.substr(url.find("/q/"));
  Response page = get(local, Auth::none());
  ASSERT_EQ(page.status, 200) << page.dump();
  EXPECT_NE(page.body.find("Comptoir en chêne"), std::string::npos);
  EXPECT_NE(page.body.find("1\u202f234,56\u00a0€"), std::string::npos) << page.body.substr(0, 3000);
  EXPECT_NE(page.body.find("Bon pour accord"), std::string::npos);
  Response pdf = get(local + "/pdf", Auth::none());
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  // Without the box ticked nothing happens; then accepted once.
  auto accept = [&](const std::string& body) {
    return srv().request("POST", local + "/accept", Auth::none(), body, {{"Content-Type", "application/x-www-form-urlencoded"}});
  };
  EXPECT_EQ(accept("name=In%C3%A8s+Marchand").status, 422);
  EXPECT_EQ(get(path("quotes", q), as("sales_a")).j["status"], "sent");
  Response ok = accept("name=In%C3%A8s+Marchand%2C+g%C3%A9rante&agree=on");
  ASSERT_EQ(ok.status, 200) << ok.dump();
  json after = get(path("quotes", q), as("sales_a")).j;
  EXPECT_EQ(after["status"], "accepted");
  EXPECT_EQ(after["accepted_by_name"], "Inès Marchand, gérante");
  EXPECT_TRUE(after["order_id"].is_number_integer()) << after.dump();
  EXPECT_EQ(accept("name=Quelqu%27un&agree=on").status, 409);  // one use
  EXPECT_EQ(get("/q/0123456789abcdef0123456789abcdef", Auth::none()).status, 404);
}

TEST_F(SalesApi, TheLifecycleFunnelCountsConversionsAndDropOutsByOwner) {
  Response u = post("/api/v1/users", as("admin"), {{"email", unique("funnel") + "@gazelle.test"}, {"name", "Fanny Funnel"},
                                                    {"role", "sales"}, {"password", "Entonnoir-de-vente-42"}});
  ASSERT_EQ(u.status, 201) << u.dump();
  const json owner = u.j["id"];
  auto person = [&](const std::string& name) {
    return create("contacts", {{"last_name", unique(name)}, {"owner_id", owner}, {"lifecycle_stage", "suspect"}});
  };
  json a = person("Alpha"), b = person("Bravo"), c = person("Charlie");
  for (const json& x : {a, b, c}) ASSERT_EQ(patch(path("contacts", x), as("admin"), {{"lifecycle_stage", "prospect"}}).status, 200);
  ASSERT_EQ(patch(path("contacts", a), as("admin"), {{"lifecycle_stage", "new_customer"}}).status, 200);
  Response dq = patch(path("contacts", b), as("admin"), {{"lifecycle_stage", "disqualified"}, {"stage_reason", "Hors cible"}});
  ASSERT_EQ(dq.status, 200) << dq.dump();
  Response f = get("/api/v1/sales/funnel?entity=contacts&by=owner", as("admin"));
  ASSERT_EQ(f.status, 200) << f.dump();
  json group;
  for (const auto& g : f.j["groups"])
    if (g["key"] == owner) group = g;
  ASSERT_TRUE(group.is_object()) << f.dump();
  EXPECT_EQ(group["steps"][0]["reached"], 3);  // suspect
  EXPECT_EQ(group["steps"][1]["reached"], 3);  // prospect
  EXPECT_EQ(group["steps"][1]["converted"], 1);
  EXPECT_EQ(group["steps"][1]["dropped"], 1);
  EXPECT_NEAR(group["steps"][1]["conversion_rate"].get<double>(), 1.0 / 3, 1e-9);
  EXPECT_EQ(group["disqualified"], 1);
  ASSERT_EQ(group["exit_reasons"].size(), 1u);
  EXPECT_EQ(group["exit_reasons"][0]["reason"], "Hors cible");
  EXPECT_EQ(get("/api/v1/sales/funnel?entity=orders", as("admin")).status, 400);
}

// The four macro-processes beside the funnel, counted by lifecycle stages (stage history, written
// today) and by purchases as the analytics cohorts define them (orders of March 2025 against
// February 2025, the previous whole month), for one owner's contacts.
TEST_F(SalesApi, TheFourMacroProcessesCountStagesAndPurchasesSideBySide) {
  Response u = post("/api/v1/users", as("admin"), {{"email", unique("macro") + "@gazelle.test"}, {"name", "Mona Macro"},
                                                    {"role", "sales"}, {"password", "Macro-processus-de-vente-42"}});
  ASSERT_EQ(u.status, 201) << u.dump();
  const json owner = u.j["id"];
  auto day = [](int offset) {
    std::time_t t = std::time(nullptr) + offset * 86400;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[11];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return std::string(buf);
  };
  auto person = [&](const std::string& name, const std::string& stage) {
    return create("contacts", {{"last_name", unique(name)}, {"owner_id", owner}, {"lifecycle_stage", stage}});
  };
  auto order = [&](const json& c, const std::string& when, int64_t cents) {
    create("orders", {{"contact_id", c["id"]}, {"ordered_at", when + "T10:00:00Z"}, {"status", "confirmed"},
                      {"lines", json::array({{{"description", "Article"}, {"quantity", 1}, {"unit_price_cents", cents}}})}});
  };
  // By stages: A becomes a new customer, B moves up from regular to customer, C leaves and comes back.
  json a = person("Recrue", "suspect"), b = person("Fidèle", "regular_customer"), c = person("Revenant", "customer");
  json d = person("Régulier", "customer"), e = person("Parti", "customer");
  ASSERT_EQ(patch(path("contacts", a), as("admin"), {{"lifecycle_stage", "new_customer"}}).status, 200);
  ASSERT_EQ(patch(path("contacts", b), as("admin"), {{"lifecycle_stage", "customer"}}).status, 200);
  Response gone = patch(path("contacts", c), as("admin"), {{"lifecycle_stage", "inactive"}, {"stage_reason", "Déménagement"}});
  ASSERT_EQ(gone.status, 200) << gone.dump();
  ASSERT_EQ(patch(path("contacts", c), as("admin"), {{"lifecycle_stage", "customer"}}).status, 200);
  // By purchases: A buys for the first time in March; B buys in February and more in March; D in
  // February and less in March; C bought in December, not in February, again in March; E only in
  // February.
  order(a, "2025-03-10", 5000);
  order(b, "2025-02-05", 10000);
  order(b, "2025-03-05", 15000);
  order(d, "2025-02-07", 20000);
  order(d, "2025-03-07", 5000);
  order(c, "2024-12-01", 8000);
  order(c, "2025-03-20", 8000);
  order(e, "2025-02-10", 3000);

  auto processes = [&](const std::string& query) {
    Response r = get("/api/v1/sales/macro-processes?entity=contacts&owner_id=" + owner.dump() + "&" + query, as("admin"));
    EXPECT_EQ(r.status, 200) << r.dump();
    std::map<std::string, std::pair<int64_t, int64_t>> out;
    for (const auto& p : r.j["processes"]) out[p["key"]] = {p["funnel"].get<int64_t>(), p["analytics"].get<int64_t>()};
    out["lost"] = {r.j["lost"]["funnel"].get<int64_t>(), r.j["lost"]["analytics"].get<int64_t>()};
    out["active"] = {0, r.j["active"].get<int64_t>()};
    return std::pair{out, r.j};
  };
  // The stages changed around today: one recruited, one developed, one won back (and lost first).
  auto [now, now_json] = processes("from=" + day(-1) + "&to=" + day(1));
  EXPECT_EQ(now["recruit"].first, 1) << now_json.dump();
  EXPECT_EQ(now["retain"].first, 0) << now_json.dump();
  EXPECT_EQ(now["develop"].first, 1) << now_json.dump();
  EXPECT_EQ(now["win_back"].first, 1) << now_json.dump();
  EXPECT_EQ(now["lost"].first, 1) << now_json.dump();
  // A later period: the five were customers when it began and still are — retained.
  auto [later, later_json] = processes("from=" + day(2) + "&to=" + day(30));
  EXPECT_EQ(later["retain"].first, 5) << later_json.dump();
  EXPECT_EQ(later["recruit"].first, 0) << later_json.dump();

  // March 2025 against February 2025, by purchases (no stage changed then).
  auto [march, march_json] = processes("from=2025-03-01&to=2025-03-31");
  EXPECT_EQ(march_json["previous_from"], "2025-02-01");
  EXPECT_EQ(march_json["previous_to"], "2025-02-28");
  EXPECT_EQ(march["recruit"], (std::pair<int64_t, int64_t>(0, 1))) << march_json.dump();   // A
  EXPECT_EQ(march["retain"], (std::pair<int64_t, int64_t>(0, 2))) << march_json.dump();    // B, D
  EXPECT_EQ(march["develop"], (std::pair<int64_t, int64_t>(0, 1))) << march_json.dump();   // B
  EXPECT_EQ(march["win_back"], (std::pair<int64_t, int64_t>(0, 1))) << march_json.dump();  // C
  EXPECT_EQ(march["lost"].second, 1) << march_json.dump();                               // E
  EXPECT_EQ(march["active"].second, 4) << march_json.dump();
  // Without a filter, a whole month or quarter gives exactly the analytics cohorts' row for it.
  for (auto [from, to, period] : {std::tuple{"2025-03-01", "2025-03-31", "month"}, {"2025-01-01", "2025-03-31", "quarter"}}) {
    Response coh = get(std::string("/api/v1/analytics/cohorts?unit=contacts&from=") + from + "&to=" + to + "&as_of=" + to +
                           "&period=" + period, as("admin"));
    ASSERT_EQ(coh.status, 200) << coh.dump();
    ASSERT_FALSE(coh.j["macro"].empty()) << coh.dump();
    const json row = coh.j["macro"].back();
    Response mac = get(std::string("/api/v1/sales/macro-processes?entity=contacts&from=") + from + "&to=" + to, as("admin"));
    ASSERT_EQ(mac.status, 200) << mac.dump();
    std::map<std::string, int64_t> a;
    for (const auto& p : mac.j["processes"]) a[p["key"]] = p["analytics"].get<int64_t>();
    EXPECT_EQ(a["recruit"], row["recruited"]) << period << " " << mac.dump() << " " << row.dump();
    EXPECT_EQ(a["retain"], row["retained"]) << period << " " << mac.dump() << " " << row.dump();
    EXPECT_EQ(a["develop"], row["developed"]) << period << " " << mac.dump() << " " << row.dump();
    EXPECT_EQ(a["win_back"], row["won_back"]) << period << " " << mac.dump() << " " << row.dump();
    EXPECT_EQ(mac.j["lost"]["analytics"], row["lost"]) << period << " " << mac.dump() << " " << row.dump();
    EXPECT_EQ(mac.j["active"], row["active"]) << period << " " << mac.dump() << " " << row.dump();
  }
  // A period of days is compared with as many days before it.
  auto [days, days_json] = processes("from=2025-03-05&to=2025-03-14");
  EXPECT_EQ(days_json["previous_from"], "2025-02-23");
  EXPECT_EQ(days_json["previous_to"], "2025-03-04");

  // Bad parameters are named.
  Response backwards = get("/api/v1/sales/macro-processes?from=2025-03-31&to=2025-03-01", as("admin"));
  EXPECT_EQ(backwards.status, 400) << backwards.dump();
  EXPECT_TRUE(backwards.names_field("from")) << backwards.dump();
  Response source = get("/api/v1/sales/macro-processes?source=nowhere", as("admin"));
  EXPECT_EQ(source.status, 400) << source.dump();
  EXPECT_TRUE(source.names_field("source")) << source.dump();
  EXPECT_EQ(get("/api/v1/sales/macro-processes?entity=orders", as("admin")).status, 400);
}

TEST_F(SalesApi, ProspectsGoToTheirTerritoryOrInTurnWithinTheTeam) {
  create("sales_territories", {{"name", unique("Rhône ")}, {"postcode_prefixes", {"69", "6900"}}, {"user_id", uid("sales_b")}},
         "manager_a");
  EXPECT_EQ(post("/api/v1/sales_territories", as("sales_a"), {{"name", "X"}, {"user_id", uid("sales_a")}}).status, 403);
  json by_place = create("lead_forms", {{"name", "Par territoire"}, {"assignment", "territory"}, {"assignee_id", uid("sales_a")}},
                         "manager_a");
  auto owner_of = [&](const json& form, const std::string& postcode) {
    const std::string email = unique("lead") + "@exemple.fr";
    Response r = post("/api/v1/public/forms/" + form["form_key"].get<std::string>(), Auth::none(),
                      {{"last_name", unique("Prospect")}, {"email", email}, {"postcode", postcode}});
    EXPECT_EQ(r.status, 200) << r.dump();
    Response c = get("/api/v1/contacts?q=" + enc(email), as("admin"));
    return c.j["data"].size() == 1 ? c.j["data"][0]["owner_id"] : json();
  };
  EXPECT_EQ(owner_of(by_place, "69003"), uid("sales_b"));  // the Rhône's salesperson
  EXPECT_EQ(owner_of(by_place, "75011"), uid("sales_a"));  // no territory: the form's assignee

  Response teams = get("/api/v1/users", as("admin"));
  json team_a;
  for (const auto& u : teams.j["data"])
    if (u["id"] == uid("sales_a")) team_a = u["team_id"];
  ASSERT_TRUE(team_a.is_number_integer()) << teams.dump();
  json in_turn = create("lead_forms", {{"name", "À tour de rôle"}, {"assignment", "round_robin"}, {"team_id", team_a},
                                       {"assignee_id", uid("manager_a")}},
                        "manager_a");
  std::vector<json> owners;
  for (int i = 0; i < 4; ++i) owners.push_back(owner_of(in_turn, "13001"));
  // Team A's salespeople and manager take turns: three different people, then the first again.
  EXPECT_NE(owners[0], owners[1]);
  EXPECT_NE(owners[1], owners[2]);
  EXPECT_NE(owners[0], owners[2]);
  EXPECT_EQ(owners[3], owners[0]);
}

TEST_F(SalesApi, AmountsInAnotherCurrencyAddUpInTheCompanysCurrency) {
  json p = pipeline(unique("Devises "));
  json acc = account(unique("Importateur "), "sales_a");
  Auth m = as("manager_a");
  // A rate is a decimal number above 0, for a currency other than the company's (EUR).
  Response bad = post("/api/v1/exchange_rates", m, {{"currency", "USD"}, {"rate", "un euro"}, {"valid_from", "2020-01-01"}});
  ASSERT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("rate")) << bad.dump();
  Response own = post("/api/v1/exchange_rates", m, {{"currency", "EUR"}, {"rate", "1"}, {"valid_from", "2020-01-01"}});
  ASSERT_EQ(own.status, 422) << own.dump();
  EXPECT_TRUE(own.names_field("currency")) << own.dump();
  Response rate = post("/api/v1/exchange_rates", m, {{"currency", "USD"}, {"rate", "0,9"}, {"valid_from", "2020-01-01"}});
  ASSERT_EQ(rate.status, 201) << rate.dump();
  EXPECT_EQ(rate.j["rate"], "0.9");
  EXPECT_EQ(post("/api/v1/exchange_rates", as("sales_a"), {{"currency", "CHF"}, {"rate", "1.05"}}).status, 403);

  create("opportunities", {{"name", "En euros"}, {"account_id", acc["id"]}, {"pipeline_id", p["id"]}, {"amount_cents", 100000}},
         "sales_a");
  json usd = create("opportunities", {{"name", "En dollars"}, {"account_id", acc["id"]}, {"pipeline_id", p["id"]},
                                      {"amount_cents", 100001}, {"currency", "USD"}}, "sales_a");
  EXPECT_EQ(usd["amount_cents"], 100001);  // the deal keeps its own currency
  EXPECT_EQ(usd["currency"], "USD");
  Response b = get("/api/v1/sales/board?pipeline_id=" + p["id"].dump(), as("sales_a"));
  ASSERT_EQ(b.status, 200) << b.dump();
  EXPECT_EQ(b.j["currency"], "EUR");
  EXPECT_EQ(b.j["stages"][0]["amount_cents"], 100000 + 90001);  // 1 000,01 $ × 0,9 = 900,009 € → 900,01 €
  // No rate for the currency: a 422 on it, nothing written.
  Response none = post("/api/v1/opportunities", as("sales_a"), {{"name", "En francs suisses"}, {"account_id", acc["id"]},
                                                                {"pipeline_id", p["id"]}, {"amount_cents", 5000}, {"currency", "CHF"}});
  ASSERT_EQ(none.status, 422) << none.dump();
  EXPECT_TRUE(none.names_field("currency")) << none.dump();
  EXPECT_EQ(get("/api/v1/sales/board?pipeline_id=" + p["id"].dump(), as("sales_a")).j["open"]["count"], 2);
}

TEST_F(SalesApi, ANewVersionOfAQuoteKeepsTheNumberAndTheOldOneAsItWas) {
  json contact = create("contacts", {{"first_name", "Agnès"}, {"last_name", unique("Roussel")}}, "sales_a");
  json q = create("quotes", {{"title", "Mobilier"}, {"contact_id", contact["id"]}, {"payment_terms", "30 jours"},
                             {"lines", {{{"description", "Bureau"}, {"quantity", 3}, {"unit_price_cents", 40000}}}}},
                  "sales_a");
  ASSERT_EQ(q["revision"], 1);
  Auth a = as("sales_a");
  Response v2 = post(path("quotes", q) + "/versions", a, json::object());
  ASSERT_EQ(v2.status, 201) << v2.dump();
  EXPECT_EQ(v2.j["number"], q["number"].get<std::string>() + "-V2");
  EXPECT_EQ(v2.j["revision"], 2);
  EXPECT_EQ(v2.j["status"], "draft");
  EXPECT_EQ(v2.j["previous_quote_id"], q["id"]);
  EXPECT_EQ(v2.j["payment_terms"], "30 jours");
  ASSERT_EQ(v2.j["lines"].size(), 1u);
  EXPECT_EQ(v2.j["total_cents"], q["total_cents"]);
  // The first version is superseded and stays as it was.
  Response old = get(path("quotes", q), a);
  EXPECT_EQ(old.j["status"], "superseded");
  Response change = patch(path("quotes", q), a, {{"lines", {{{"description", "Chaise"}, {"quantity", 1}, {"unit_price_cents", 100}}}}});
  ASSERT_EQ(change.status, 422) << change.dump();
  EXPECT_TRUE(change.names_field("lines")) << change.dump();
  EXPECT_EQ(post(path("quotes", q) + "/versions", a, json::object()).status, 422);  // make it from the newest
  // The newest changes freely; a third version follows it.
  Response edited = patch(path("quotes", v2.j), a, {{"lines", {{{"description", "Bureau"}, {"quantity", 3}, {"unit_price_cents", 38000}}}}});
  ASSERT_EQ(edited.status, 200) << edited.dump();
  Response v3 = post(path("quotes", v2.j) + "/versions", a, json::object());
  ASSERT_EQ(v3.status, 201) << v3.dump();
  EXPECT_EQ(v3.j["number"], q["number"].get<std::string>() + "-V3");
  Response list = get(path("quotes", v3.j) + "/versions", a);
  ASSERT_EQ(list.status, 200) << list.dump();
  ASSERT_EQ(list.j["data"].size(), 3u);
  EXPECT_EQ(list.j["data"][0]["status"], "superseded");
  EXPECT_EQ(list.j["data"][1]["total_cents"], 136800);  // 3 × 380,00 € + 20 % VAT
  EXPECT_EQ(list.j["data"][2]["revision"], 3);
  // Superseded is not set by hand; someone of another team reaches none of them.
  EXPECT_EQ(patch(path("quotes", v3.j), a, {{"status", "superseded"}}).status, 422);
  EXPECT_EQ(post(path("quotes", v3.j) + "/versions", as("sales_b"), json::object()).status, 404);
  EXPECT_EQ(get(path("quotes", v3.j) + "/versions", as("sales_b")).status, 404);
}
