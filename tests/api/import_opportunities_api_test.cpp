// Existing deals imported like the other records (docs/import.md, docs/sales.md): a CSV body
// through POST /api/v1/import/opportunities and an XLSX file through the wizard's upload and run,
// with the French headers of the forms (the field labels), amounts as French write them
// ("12 500,00 €", read in euros), the stage by its name or its key, the forecast category by its
// label, the company by its name; a bad line is named with its column, and nothing of it is written.
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "api_fixture.h"

using namespace gzt;

class ImportOpportunitiesApi : public ApiTest {
 protected:
  // The opportunities whose name starts with mark, by name.
  std::map<std::string, json> deals(const std::string& mark) {
    std::map<std::string, json> out;
    Response r = get("/api/v1/opportunities?limit=100&sort=name&q=" + mark, as("admin"));
    EXPECT_EQ(r.status, 200) << r.dump();
    for (const auto& o : r.j["data"])
      if (o["name"].get<std::string>().rfind(mark, 0) == 0) out[o["name"]] = o;
    return out;
  }
  json error_on(const json& report, int64_t line) {
    for (const auto& e : report["errors"])
      if (e["line"] == line) return e;
    return json();
  }
};

TEST_F(ImportOpportunitiesApi, ACsvOfDealsWithFrenchHeadersAmountsAndStageNames) {
  const std::string mark = unique("Affaire");
  json brasserie = create("accounts", {{"name", unique("Brasserie Éole ")}});
  json fromagerie = create("accounts", {{"name", unique("Fromagerie Dupont ")}, {"external_id", unique("FRM-")}});
  const std::string csv =
      "Nom;Entreprise;Étape;Montant HT;Date de clôture prévue;Catégorie de prévision\n"
      + mark + " Tireuses;" + brasserie["name"].get<std::string>() + ";Négociation;12 500,00 €;15/01/2027;Engagé\n"
      + mark + " Fûts;" + brasserie["name"].get<std::string>() + ";Douze;douze euros;2027-02-01;pipeline\n"
      + mark + " Caves;" + fromagerie["name"].get<std::string>() + ";proposition;3 000,5;2027-02-01;best_case\n"
      + mark + " Vitrine;" + fromagerie["name"].get<std::string>() + ";Signature;800;2027-03-01;pipeline\n";

  // All or nothing: one bad line and nothing at all is written.
  Response all = raw("POST", "/api/v1/import/opportunities?all_or_nothing=true", as("admin"), csv);
  ASSERT_EQ(all.status, 422) << all.dump();
  EXPECT_TRUE(deals(mark).empty());

  Response r = raw("POST", "/api/v1/import/opportunities", as("admin"), csv);
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["created"], 2) << r.dump();
  EXPECT_EQ(r.j["rejected"], 2) << r.dump();
  // Line 3: the amount is named with its column and value; line 5: the stage, with the pipeline's.
  json amount = error_on(r.j, 3), stage = error_on(r.j, 5);
  ASSERT_TRUE(amount.is_object()) << r.dump();
  EXPECT_EQ(amount["column"], "Montant HT") << r.dump();
  EXPECT_NE(amount["message"].get<std::string>().find("douze euros"), std::string::npos) << r.dump();
  ASSERT_TRUE(stage.is_object()) << r.dump();
  EXPECT_EQ(stage["column"], "Étape") << r.dump();
  EXPECT_NE(stage["message"].get<std::string>().find("negociation"), std::string::npos) << r.dump();

  auto got = deals(mark);
  ASSERT_EQ(got.size(), 2u) << r.dump();
  EXPECT_EQ(got.count(mark + " Fûts"), 0u);  // the bad lines left nothing behind
  EXPECT_EQ(got.count(mark + " Vitrine"), 0u);
  const json& tireuses = got[mark + " Tireuses"];
  EXPECT_EQ(tireuses["amount_cents"], 1250000);
  EXPECT_EQ(tireuses["stage"], "negociation");  // the default pipeline's stage, by its name
  EXPECT_EQ(tireuses["probability_pct"], 75);
  EXPECT_EQ(tireuses["status"], "open");
  EXPECT_EQ(tireuses["account_id"], brasserie["id"]);
  EXPECT_EQ(tireuses["expected_close_date"], "2027-01-15");
  EXPECT_EQ(tireuses["forecast_category"], "commit");  // by its label, Engagé
  const json& caves = got[mark + " Caves"];
  EXPECT_EQ(caves["amount_cents"], 300050);
  EXPECT_EQ(caves["stage"], "proposition");
  EXPECT_EQ(caves["account_id"], fromagerie["id"]);
  EXPECT_EQ(caves["forecast_category"], "best_case");
  // Each imported deal starts its stage history, as one entered by hand.
  Response history = get("/api/v1/opportunities/" + tireuses["id"].dump() + "/stage-history", as("admin"));
  ASSERT_EQ(history.status, 200) << history.dump();
  ASSERT_EQ(history.j["data"].size(), 1u) << history.dump();

  // A company by its external id.
  Response ext = raw("POST", "/api/v1/import/opportunities", as("admin"),
                     "name,account_external_id,amount_eur\n" + mark + " Plateaux," + fromagerie["external_id"].get<std::string>() + ",99.90\n");
  ASSERT_EQ(ext.status, 200) << ext.dump();
  EXPECT_EQ(ext.j["created"], 1) << ext.dump();
  got = deals(mark);
  EXPECT_EQ(got[mark + " Plateaux"]["account_id"], fromagerie["id"]);
  EXPECT_EQ(got[mark + " Plateaux"]["amount_cents"], 9990);
}

TEST_F(ImportOpportunitiesApi, AnXlsxOfDealsThroughTheWizard) {
  const std::string mark = unique("Chantier");
  json account = create("accounts", {{"name", unique("Menuiserie Lebrun ")}});
  const std::string path = (std::filesystem::temp_directory_path() / (mark + ".xlsx")).string();
  {
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Affaires");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    const char* head[] = {"Nom", "Entreprise", "Étape", "Montant HT", "Date de clôture prévue"};
    for (int i = 0; i < 5; ++i) worksheet_write_string(ws, 0, lxw_col_t(i), head[i], nullptr);
    lxw_datetime close = {2027, 4, 30, 0, 0, 0};
    // Row 2: the amount a number of euros, the date a real date cell; row 3: a text amount in
    // French; row 4: an amount that is none.
    worksheet_write_string(ws, 1, 0, (mark + " Escalier").c_str(), nullptr);
    worksheet_write_string(ws, 1, 1, account["name"].get<std::string>().c_str(), nullptr);
    worksheet_write_string(ws, 1, 2, "Qualification", nullptr);
    worksheet_write_number(ws, 1, 3, 4500.5, nullptr);
    worksheet_write_datetime(ws, 1, 4, &close, date);
    worksheet_write_string(ws, 2, 0, (mark + " Parquet").c_str(), nullptr);
    worksheet_write_string(ws, 2, 1, account["name"].get<std::string>().c_str(), nullptr);
    worksheet_write_string(ws, 2, 2, "gagnee", nullptr);
    worksheet_write_string(ws, 2, 3, "12 500,00 €", nullptr);
    worksheet_write_datetime(ws, 2, 4, &close, date);
    worksheet_write_string(ws, 3, 0, (mark + " Volets").c_str(), nullptr);
    worksheet_write_string(ws, 3, 1, account["name"].get<std::string>().c_str(), nullptr);
    worksheet_write_string(ws, 3, 2, "Découverte des besoins", nullptr);
    worksheet_write_string(ws, 3, 3, "beaucoup", nullptr);
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);

  Response up = raw("POST", "/api/v1/imports/uploads?entity=opportunities&file_name=affaires.xlsx", as("admin"), bytes);
  ASSERT_EQ(up.status, 201) << up.dump();
  // The wizard suggests the columns from the French labels; the amount is read in euros.
  const json cols = up.j["suggested"]["columns"];
  EXPECT_EQ(cols["Nom"], "name") << up.dump();
  EXPECT_EQ(cols["Entreprise"], "account_name") << up.dump();
  EXPECT_EQ(cols["Étape"], "stage") << up.dump();
  EXPECT_EQ(cols["Montant HT"], "amount_eur") << up.dump();
  EXPECT_EQ(cols["Date de clôture prévue"], "expected_close_date") << up.dump();

  Response started = post("/api/v1/imports/runs", as("admin"),
                          {{"upload", up.j["upload"]}, {"entity", "opportunities"}, {"file_name", "affaires.xlsx"},
                           {"mapping", {{"columns", cols}}}});
  ASSERT_EQ(started.status, 202) << started.dump();
  json run;
  for (int i = 0; i < 400; ++i) {
    run = get("/api/v1/imports/runs/" + started.j["id"].dump(), as("admin")).j;
    if (run.value("status", "") != "running" && run.value("status", "") != "queued") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(run["status"], "done") << run.dump();
  EXPECT_EQ(run["created"], 1) << run.dump();
  EXPECT_EQ(run["rejected"], 2) << run.dump();
  const json report = run.value("report", run);
  // Row 3 is won without a close date; row 4's amount is none: each named with its line and field.
  json won = error_on(report, 3), amount = error_on(report, 4);
  ASSERT_TRUE(won.is_object()) << run.dump();
  // A field the file has no column for is named by its label in the message.
  EXPECT_EQ(won["message"].get<std::string>().rfind("Closed on:", 0), 0u) << run.dump();
  ASSERT_TRUE(amount.is_object()) << run.dump();
  EXPECT_EQ(amount["column"], "Montant HT") << run.dump();
  EXPECT_NE(amount["message"].get<std::string>().find("beaucoup"), std::string::npos) << run.dump();

  auto got = deals(mark);
  ASSERT_EQ(got.size(), 1u) << run.dump();
  const json& stairs = got[mark + " Escalier"];
  EXPECT_EQ(stairs["amount_cents"], 450050);
  EXPECT_EQ(stairs["stage"], "qualification");
  EXPECT_EQ(stairs["account_id"], account["id"]);
  EXPECT_EQ(stairs["expected_close_date"], "2027-04-30");
}
