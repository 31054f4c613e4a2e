// Lead scoring (src/modules/sales/lead_scoring.h, docs/sales-scoring.md): the rule score on the
// baby-food questionnaire, naive Bayes on an example small enough to compute by hand, the model's
// JSON round trip, ROC AUC on known cases, and the learned scorer on the public IBM Telco churn
// data set (GAZELLE_DATA_DIR/telco_churn, data_sets.h) with a held-out quarter.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <random>
#include <set>

#include "core/problem.h"
#include "io/csv.h"
#include "modules/sales/lead_scoring.h"
#include "data_sets.h"

using namespace gz::modules::sales;
using nlohmann::json;

namespace {

// The baby-food case: one questionnaire answer (not breastfeeding) predicts a heavy buyer.
const json kBabyFood = json::parse(R"({
  "rules": [
    {"field": "questionnaire.allaitement", "operator": "equals", "value": "non", "points": 30, "label": "allaitement : non"},
    {"field": "questionnaire.age_bebe_mois", "operator": "less_than", "value": 6, "points": 20, "label": "bébé de moins de 6 mois"},
    {"field": "questionnaire.age_bebe_mois", "operator": "greater_than", "value": 12, "points": -10, "label": "bébé de plus d'un an"},
    {"field": "canal", "operator": "in", "values": ["pharmacie", "maternité"], "points": 5, "label": "vient d'une pharmacie ou d'une maternité"},
    {"field": "telephone", "operator": "not_empty", "points": 5, "label": "téléphone renseigné"},
    {"field": "commentaire", "operator": "contains", "value": "bio", "points": 8}
  ],
  "bands": [{"min": 20, "label": "acheteur moyen"}, {"min": 50, "label": "gros acheteur"}, {"min": -100, "label": "petit acheteur"}]
})");

std::vector<std::string> texts(const std::vector<ScoreLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(explain(l));
  return out;
}

std::vector<std::string> error_fields(const json& input) {
  try {
    parse_rule_set(input);
  } catch (const gz::Problem& p) {
    std::vector<std::string> out;
    for (const auto& f : p.fields()) out.push_back(f.field);
    return out;
  }
  return {};
}

}  // namespace

TEST(LeadScoring, RulesScoreTheBabyFoodQuestionnaire) {
  RuleSet set = parse_rule_set(kBabyFood);
  ASSERT_EQ(set.rules.size(), 6u);
  ASSERT_EQ(set.bands.size(), 3u);
  EXPECT_EQ(set.bands[0].label, "gros acheteur");  // highest minimum first
  EXPECT_EQ(set.rules[5].label, "commentaire: bio");  // the default label

  // Not breastfeeding, a 4-month-old, from a maternity ward, with a phone: a heavy buyer.
  RuleScore heavy = score_rules(set, json::parse(R"({"questionnaire": {"allaitement": " Non ", "age_bebe_mois": "4"},
                                                     "canal": "Maternite", "telephone": "06 12 34 56 78"})"));
  EXPECT_EQ(heavy.total, 60);
  EXPECT_EQ(heavy.band, "gros acheteur");
  EXPECT_EQ(texts(heavy.lines), (std::vector<std::string>{"+30: allaitement : non", "+20: bébé de moins de 6 mois",
                                                           "+5: vient d'une pharmacie ou d'une maternité",
                                                           "+5: téléphone renseigné"}));
  EXPECT_EQ(heavy.lines[0].field, "questionnaire.allaitement");
  EXPECT_EQ(heavy.lines[0].value, " Non ");  // the record's value, as written

  // Not breastfeeding, an 8-month-old, a blank phone: a medium buyer.
  RuleScore medium = score_rules(set, json::parse(R"({"questionnaire": {"allaitement": "non", "age_bebe_mois": 8},
                                                      "telephone": "  "})"));
  EXPECT_EQ(medium.total, 30);
  EXPECT_EQ(medium.band, "acheteur moyen");

  // Breastfeeding a 14-month-old, likes organic food: a light buyer, with a negative line.
  RuleScore light = score_rules(set, json::parse(R"({"questionnaire": {"allaitement": "oui", "age_bebe_mois": 14.5},
                                                     "commentaire": "Préfère le BIO", "canal": "internet"})"));
  EXPECT_EQ(light.total, -2);
  EXPECT_EQ(light.band, "petit acheteur");
  EXPECT_EQ(texts(light.lines), (std::vector<std::string>{"-10: bébé de plus d'un an", "+8: commentaire: bio"}));

  // Nothing known: no line, no band above the lowest.
  RuleScore none = score_rules(set, json::object());
  EXPECT_EQ(none.total, 0);
  EXPECT_TRUE(none.lines.empty());
  EXPECT_EQ(none.band, "petit acheteur");

  json j = to_json(heavy);
  EXPECT_EQ(j["total"], 60);
  EXPECT_EQ(j["lines"][0]["text"], "+30: allaitement : non");
  EXPECT_EQ(j["lines"][0]["points"], 30);

  // The rule set's JSON reads back to the same rules.
  RuleSet again = parse_rule_set(to_json(set));
  EXPECT_EQ(to_json(again), to_json(set));
}

TEST(LeadScoring, RuleOperatorsOnNumbersDatesAndLists) {
  RuleSet set = parse_rule_set(json::parse(R"([
    {"field": "montant", "operator": "greater_than", "value": 1000, "points": 15, "label": "gros montant"},
    {"field": "relance", "operator": "less_than", "value": "2026-01-01", "points": -5, "label": "relance ancienne"},
    {"field": "tags", "operator": "contains", "value": "salon", "points": 7, "label": "vu au salon"},
    {"field": "effectif", "operator": "equals", "value": 12, "points": 3, "label": "douze salariés"},
    {"field": "client", "operator": "equals", "value": true, "points": 4, "label": "déjà client"}
  ])"));
  RuleScore s = score_rules(set, json::parse(R"({"montant": "1 234,50", "relance": "2025-11-30T10:00:00Z",
                                                 "tags": ["Salon", "web"], "effectif": "12", "client": true})"));
  EXPECT_EQ(s.total, 15 - 5 + 7 + 3 + 4);
  s = score_rules(set, json::parse(R"({"montant": 1000, "relance": "2026-01-01", "tags": "salons", "effectif": 12.5,
                                       "client": "true"})"));
  EXPECT_EQ(texts(s.lines), (std::vector<std::string>{"+7: vu au salon"}));  // "salons" contains "salon"
}

TEST(LeadScoring, RuleSetErrorsNameTheirPath) {
  json bad = kBabyFood;
  bad["rules"][3]["operator"] = "like";
  EXPECT_EQ(error_fields(bad), std::vector<std::string>{"rules[3].operator"});
  try {
    parse_rule_set(bad);
    FAIL();
  } catch (const gz::Problem& p) {
    EXPECT_EQ(p.kind(), gz::ProblemKind::Unprocessable);
    EXPECT_NE(p.detail("en").find("rules[3].operator: 'like' is not an operator"), std::string::npos) << p.detail("en");
    EXPECT_NE(p.detail("fr").find("« like » n'est pas un opérateur"), std::string::npos) << p.detail("fr");
  }
  EXPECT_EQ(error_fields(json::parse(R"([{"field": "a", "operator": "equals", "value": "x"},
                                         {"field": "b", "operator": "in", "values": [], "points": 1},
                                         {"operator": "not_empty", "points": 1.5},
                                         {"field": "c", "operator": "greater_than", "value": "beaucoup", "points": 2, "pionts": 3},
                                         "rule"])")),
            (std::vector<std::string>{"rules[0].points", "rules[1].values", "rules[2].field", "rules[2].points",
                                      "rules[3].pionts", "rules[3].value", "rules[4]"}));
  EXPECT_EQ(error_fields(json::parse(R"({"rules": [], "bands": [{"min": 1, "label": "a"}, {"min": 1, "label": "b"}, {"label": "c"}]})")),
            (std::vector<std::string>{"bands[1].min", "bands[2].min"}));
  EXPECT_EQ(error_fields(json::parse(R"({"regles": []})")), (std::vector<std::string>{"regles", "rules"}));
  EXPECT_EQ(error_fields(json::parse(R"([{"field": "a", "operator": "not_empty", "points": 18446744073709551615}])")),
            std::vector<std::string>{"rules[0].points"});
  EXPECT_TRUE(error_fields(json::array()).empty());
}

namespace {

// Four won, two lost. secteur: won commerce ×3, industrie ×1; lost industrie ×2. montant cut in
// two bins at 4 (the value of rank 6·1/2 = 3 in 1 2 3 4 5 6): won < 4 ×3, ≥ 4 ×1; lost ≥ 4 ×2.
std::vector<LabelledRecord> tiny() {
  return {{{{"secteur", "commerce"}, {"montant", 1}}, true},   {{{"secteur", "commerce"}, {"montant", 2}}, true},
          {{{"secteur", "commerce"}, {"montant", 3}}, true},   {{{"secteur", "industrie"}, {"montant", 4}}, true},
          {{{"secteur", "industrie"}, {"montant", 5}}, false}, {{{"secteur", "industrie"}, {"montant", "6"}}, false}};
}

NaiveBayesOptions tiny_options() {
  NaiveBayesOptions o;
  o.categorical = {"secteur"};
  o.numeric = {"montant"};
  o.bins = 2;
  o.min_per_class = 1;
  return o;
}

}  // namespace

TEST(LeadScoring, NaiveBayesByHand) {
  NaiveBayesModel m = NaiveBayesModel::train(tiny(), tiny_options());
  ASSERT_FALSE(m.prior_only());
  ASSERT_EQ(m.fields().size(), 2u);
  EXPECT_EQ(m.fields()[1].edges, std::vector<double>{4});

  // Laplace (α = 1, two values): P(commerce | won) = (3+1)/(4+2) = 2/3, P(commerce | lost) =
  // (0+1)/(2+2) = 1/4, ratio 8/3; the bin < 4 the same. Prior odds 4/2 = 2.
  // Odds 2 · 8/3 · 8/3 = 128/9: P = 128/137.
  LearnedScore s = m.score({{"secteur", "commerce"}, {"montant", 2}});
  EXPECT_NEAR(s.probability, 128.0 / 137, 1e-12);
  EXPECT_NEAR(m.probability({{"secteur", "commerce"}, {"montant", "3,5"}}), 128.0 / 137, 1e-12);
  EXPECT_NEAR(s.prior_points, 10.0, 1e-12);  // odds 2 = one doubling
  ASSERT_EQ(s.lines.size(), 2u);
  EXPECT_NEAR(s.lines[0].points, 10 * std::log2(8.0 / 3), 1e-12);
  EXPECT_NEAR(s.points, 10 + 20 * std::log2(8.0 / 3), 1e-12);
  EXPECT_EQ(explain(s.lines[0]), "+14: secteur: commerce");
  EXPECT_EQ(explain(s.lines[1]), "+14: montant < 4");

  // P(industrie | won) = 2/6, P(industrie | lost) = 3/4, ratio 4/9; odds 2 · 16/81 = 32/81.
  s = m.score({{"secteur", "industrie"}, {"montant", 10}});
  EXPECT_NEAR(s.probability, 32.0 / 113, 1e-12);
  EXPECT_EQ(texts(s.lines), (std::vector<std::string>{"-12: secteur: industrie", "-12: montant ≥ 4"}));

  // Missing values are skipped; a value never seen falls back to the prior (odds 2: P = 2/3).
  EXPECT_NEAR(m.probability({{"secteur", "agriculture"}}), 2.0 / 3, 1e-12);
  EXPECT_NEAR(m.probability({{"secteur", " "}, {"montant", nullptr}}), 2.0 / 3, 1e-12);
  EXPECT_NEAR(m.probability({{"montant", "beaucoup"}}), 2.0 / 3, 1e-12);
  EXPECT_TRUE(m.score(json::object()).lines.empty());
  // One field known: 2 · 8/3 = 16/3, P = 16/19.
  EXPECT_NEAR(m.probability({{"secteur", "commerce"}}), 16.0 / 19, 1e-12);

  json side = score_lead(parse_rule_set(kBabyFood), m, {{"secteur", "commerce"}, {"telephone", "0612"}});
  EXPECT_EQ(side["rules"]["total"], 5);
  EXPECT_EQ(side["learned"]["score"], 84);  // 16/19 = 84 %
  EXPECT_EQ(side["learned"]["lines"][0]["text"], "+14: secteur: commerce");
}

TEST(LeadScoring, TooFewExamplesGiveThePriorAlone) {
  NaiveBayesOptions o = tiny_options();
  o.min_per_class = 3;  // two lost only
  NaiveBayesModel m = NaiveBayesModel::train(tiny(), o);
  EXPECT_TRUE(m.prior_only());
  LearnedScore s = m.score({{"secteur", "commerce"}, {"montant", 2}});
  EXPECT_TRUE(s.prior_only);
  EXPECT_NEAR(s.probability, 2.0 / 3, 1e-12);
  EXPECT_TRUE(s.lines.empty());
  EXPECT_EQ(s.note.english(), "4 won and 2 lost: at least 3 of each are needed to learn; the score is the share won");
  EXPECT_EQ(to_json(s)["note"], "4 gagnées et 2 perdues : il en faut au moins 3 de chaque pour apprendre ; le score est la proportion de gagnées");
  // No example at all: one half, not a division by zero.
  EXPECT_NEAR(NaiveBayesModel::train({}, o).probability(json::object()), 0.5, 1e-12);

  o.bins = 1;
  EXPECT_THROW(NaiveBayesModel::train(tiny(), o), gz::Problem);
}

TEST(LeadScoring, ModelJsonRoundTrip) {
  NaiveBayesModel m = NaiveBayesModel::train(tiny(), tiny_options());
  json j = m.to_json();
  EXPECT_EQ(j["fields"][0]["values"]["commerce"], json::array({3, 0}));
  EXPECT_EQ(j["fields"][1]["counts"], json::parse("[[3, 0], [1, 2]]"));
  NaiveBayesModel back = NaiveBayesModel::from_json(json::parse(j.dump()));
  EXPECT_EQ(back.to_json(), j);
  for (const json& r : {json{{"secteur", "commerce"}, {"montant", 2}}, json{{"secteur", "industrie"}}, json{{"montant", 7}}})
    EXPECT_DOUBLE_EQ(back.probability(r), m.probability(r));

  json bad = j;
  bad["fields"][1]["edges"] = {5, 4};
  bad["fields"][0]["values"]["commerce"] = {3};
  bad["alpha"] = 0;
  try {
    NaiveBayesModel::from_json(bad);
    FAIL();
  } catch (const gz::Problem& p) {
    std::vector<std::string> fields;
    for (const auto& f : p.fields()) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"alpha", "fields[0].values.commerce", "fields[1].edges"}));
  }
}

TEST(LeadScoring, RocAuc) {
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.2, 0.8, 0.9}, {false, false, true, true}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.2, 0.8, 0.9}, {true, true, false, false}), 0.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.5, 0.5, 0.5, 0.5}, {true, false, true, false}), 0.5);
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}), 0.75);  // scikit-learn's example
  // Pairs (positive, negative): (0.5, 0.5) ½, (0.5, 0.1) 1, (0.9, 0.5) 1, (0.9, 0.1) 1 → 3.5 / 4.
  EXPECT_DOUBLE_EQ(roc_auc({0.5, 0.5, 0.9, 0.1}, {true, false, true, false}), 0.875);
  EXPECT_TRUE(std::isnan(roc_auc({0.1, 0.2}, {true, true})));
  EXPECT_THROW(roc_auc({0.1}, {true, false}), std::invalid_argument);
}

// The learned scorer on data nobody here made: IBM Telco customer churn (7,043 customers). Here
// "won" is "churned" (Churn = Yes): the maths is the same. customerID is dropped; tenure,
// MonthlyCharges and TotalCharges are numeric (a blank TotalCharges is missing), the other 16
// columns categorical. A seeded shuffle puts every 4th customer in the held-out quarter.
TEST(LeadScoring, TelcoChurnHeldOutAuc) {
  GAZELLE_NEED_DATA("IBM Telco customer churn", "telco_churn/IBM_Telco-Customer-Churn.csv");
  auto start = std::chrono::steady_clock::now();
  std::ifstream in(gzdata::data_file("telco_churn/IBM_Telco-Customer-Churn.csv"), std::ios::binary);
  gz::io::CsvReader csv(in);
  std::vector<std::string> header;
  ASSERT_TRUE(csv.read_header(header));
  const std::set<std::string> numeric = {"tenure", "MonthlyCharges", "TotalCharges"};
  NaiveBayesOptions options;
  for (const auto& h : header) {
    if (h == "customerID" || h == "Churn") continue;
    (numeric.count(h) ? options.numeric : options.categorical).push_back(h);
  }
  ASSERT_EQ(options.numeric.size(), 3u);
  ASSERT_EQ(options.categorical.size(), 16u);

  std::vector<LabelledRecord> all;
  gz::io::CsvRow row;
  while (csv.next(row)) {
    LabelledRecord r;
    r.record = json::object();
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == "Churn")
        r.won = row.fields[i] == "Yes";
      else if (header[i] != "customerID")
        r.record[header[i]] = row.fields[i];
    }
    all.push_back(std::move(r));
  }
  ASSERT_EQ(all.size(), 7043u);

  // Fisher–Yates on mt19937 (its output is fixed by the standard, unlike std::shuffle's use of it).
  std::mt19937 rng(20240515);
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng() % (i + 1)]);
  std::vector<LabelledRecord> train, test;
  for (size_t k = 0; k < order.size(); ++k) (k % 4 == 0 ? test : train).push_back(std::move(all[order[k]]));

  NaiveBayesModel m = NaiveBayesModel::train(train, options);
  ASSERT_FALSE(m.prior_only());
  std::vector<double> scores;
  std::vector<bool> churned;
  for (const auto& r : test) {
    scores.push_back(m.probability(r.record));
    churned.push_back(r.won);
  }
  double auc = roc_auc(scores, churned);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "Telco churn, naive Bayes (8 quantile bins, Laplace 1): held-out AUC " << auc << " on " << test.size()
            << " customers (trained on " << train.size() << ", " << m.won() << " churned), " << ms << " ms\n";
  EXPECT_GE(auc, 0.80);

  // The explanation of one customer reads naturally and adds up.
  LearnedScore s = m.score(test[0].record);
  double sum = s.prior_points;
  for (const auto& l : s.lines) sum += l.points;
  EXPECT_NEAR(sum, s.points, 1e-9);
  EXPECT_NEAR(s.probability, 1 / (1 + std::pow(2.0, -s.points / 10)), 1e-12);
  std::cout << "  first held-out customer: " << std::lround(s.probability * 100) << " %";
  for (size_t i = 0; i < 3 && i < s.lines.size(); ++i) std::cout << "; " << explain(s.lines[i]);
  std::cout << "\n";
}
