// Lead scoring (docs/sales-scoring.md): two scores shown side by side, each explained line by
// line ("+30: allaitement : non").
//
// * The rule score: points given by rules a user writes (field, operator, value(s), points,
//   label), e.g. the baby-food case where one questionnaire answer predicts heavy, medium or
//   light buyers. Optional bands turn the total into a class ("gros acheteur" from 50 points).
// * The learned score: naive Bayes over the field values of the base's own won and lost leads,
//   as Odoo's predictive lead scoring does. Categorical fields count each value per class with
//   Laplace smoothing; numeric fields are cut into quantile bins computed from the training
//   values, then counted the same way. P(won | record) comes from the prior log-odds plus one
//   log-likelihood ratio per field. A missing value (absent, null, blank) is skipped; a value
//   the training never saw adds nothing (the prior stands for it).
//
// The learned scale: points = 10 × log2(likelihood ratio), so 10 points double the odds of
// winning and −10 halve them; the prior is given in the same points, and the probability is
// 1 / (1 + 2^(−total / 10)) of their sum.
//
// Everything here is pure: no database, no entity. The model is kept as JSON (counts, not
// probabilities), so that a job can train it, store it in a table and load it back.
#pragma once
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"

namespace gz::modules::sales {

// ---- rule score -------------------------------------------------------------------------------

enum class RuleOperator { Equals, In, NotEmpty, GreaterThan, LessThan, Contains };

// "equals", "in", "not_empty", "greater_than", "less_than", "contains".
const char* operator_name(RuleOperator op);

// One rule. Matching (field looked up as a key of the record, else as a dotted path into nested
// objects: "questionnaire.allaitement"):
//   equals        the value equals `value`: texts compared trimmed, without case or accents
//                 ("Non" = "non"); numbers numerically (also a number written as text, "12,5");
//                 booleans as booleans.
//   in            equals one of `value` (an array).
//   not_empty     present, not null, not blank text, not an empty array or object.
//   greater_than  a number (or numeric text) strictly above `value`; when `value` is a date
//   less_than     "YYYY-MM-DD" the field's date is compared instead.
//   contains      text containing `value` (without case or accents); for an array, an element
//                 equal to `value`.
// A rule that does not match gives nothing; every matching rule adds its points (rules on the
// same field add up).
struct ScoringRule {
  std::string field;
  RuleOperator op = RuleOperator::Equals;
  nlohmann::json value;  // scalar, array for `in`, null for `not_empty`
  int points = 0;        // may be negative
  std::string label;     // shown in the explanation; defaults to "field: value" when not given
};

// A band of the total: the first band (highest `min` first) whose min ≤ total names the class.
struct ScoreBand {
  int min = 0;
  std::string label;
};

struct RuleSet {
  std::vector<ScoringRule> rules;
  std::vector<ScoreBand> bands;  // sorted by min, highest first
};

// One line of an explanation. For a rule: its points, label and field, and the record's value
// that matched. For the learned score: the field's contribution in points (10 × log2 of its
// likelihood ratio, unrounded), "field: value" (numeric: "tenure < 6", "tenure 6–29" meaning
// 6 ≤ tenure < 29, "tenure ≥ 60") and the record's value.
struct ScoreLine {
  double points = 0;
  std::string label;
  std::string field;
  nlohmann::json value;
};

struct RuleScore {
  int total = 0;
  std::string band;              // "" without bands or below every band
  std::vector<ScoreLine> lines;  // matching rules, in the rule set's order
};

// Reads a rule set: either the array of rules, or {"rules": [...], "bands": [{"min", "label"}]}.
// A rule is {"field", "operator", "value" (or "values" for `in`), "points", "label"}. Throws
// gz::Problem (Unprocessable) listing every error by its path: "rules[3].operator",
// "rules[0].value", "bands[1].min". `points` must be an integer within ±10,000.
RuleSet parse_rule_set(const nlohmann::json& input);
nlohmann::json to_json(const RuleSet& set);

RuleScore score_rules(const RuleSet& set, const nlohmann::json& record);
nlohmann::json to_json(const RuleScore& score);

// "+12: secteur : commerce" / "−5: …": the points rounded, with their sign.
std::string explain(const ScoreLine& line);

// ---- learned score (naive Bayes) ---------------------------------------------------------------

struct LabelledRecord {
  nlohmann::json record;
  bool won = false;  // the class whose probability is scored (a churn model scores "churned")
};

struct NaiveBayesOptions {
  std::vector<std::string> categorical;  // fields counted value by value
  std::vector<std::string> numeric;      // fields cut into quantile bins
  int bins = 8;                          // at most (ties in the data can make fewer), 2–50
  double alpha = 1.0;                    // Laplace smoothing, > 0
  // Fewer won or fewer lost examples than this: the model is the prior alone (prior_only).
  size_t min_per_class = 10;
};

struct LearnedScore {
  double probability = 0;    // P(won | record)
  double points = 0;         // prior_points + the lines' points
  double prior_points = 0;   // 10 × log2(won / lost) of the training examples
  bool prior_only = false;   // too few examples of a class: no field counted
  Message note;              // why, when prior_only ("3 won and 40 lost: at least 10 of each …")
  std::vector<ScoreLine> lines;  // one per field with a known value, largest |points| first
};
// The note in `lang` ("fr" or "en"); "score" is the probability in percent, rounded.
nlohmann::json to_json(const LearnedScore& score, std::string_view lang = "fr");

class NaiveBayesModel {
 public:
  // Throws gz::Problem (Unprocessable) on bad options (a field both categorical and numeric,
  // bins out of range, alpha ≤ 0).
  static NaiveBayesModel train(const std::vector<LabelledRecord>& examples, const NaiveBayesOptions& options);

  LearnedScore score(const nlohmann::json& record) const;
  // The probability alone, without building the explanation.
  double probability(const nlohmann::json& record) const;

  // {"kind": "naive_bayes", "version": 1, "alpha", "min_per_class", "won", "lost",
  //  "fields": [{"name", "type": "categorical", "values": {"commerce": [won, lost], …}}
  //             {"name", "type": "numeric", "edges": [6, 29, …], "counts": [[won, lost], …]}]}
  nlohmann::json to_json() const;
  // Throws gz::Problem (Unprocessable) naming the path of what is malformed.
  static NaiveBayesModel from_json(const nlohmann::json& model);

  size_t won() const { return won_; }
  size_t lost() const { return lost_; }
  bool prior_only() const { return prior_only_; }
  Message note() const;  // empty unless prior_only

  struct Field {
    std::string name;
    bool numeric = false;
    std::vector<std::string> values;  // categorical: the values seen, sorted
    std::vector<double> edges;        // numeric: inner cut points, increasing; bins = edges + 1
    std::vector<size_t> won, lost;    // counts per value / bin
    std::vector<double> weight;       // log-likelihood ratio (natural log) per value / bin
  };
  const std::vector<Field>& fields() const { return fields_; }

 private:
  void derive();  // weights from the counts
  double log_odds(const nlohmann::json& record, std::vector<ScoreLine>* lines) const;

  double alpha_ = 1.0;
  size_t min_per_class_ = 10;
  size_t won_ = 0, lost_ = 0;
  bool prior_only_ = false;
  std::vector<Field> fields_;
};

// 10 points double the odds: points = kPointsPerDoubling × log2(ratio).
inline constexpr double kPointsPerDoubling = 10.0;

// Both scores of one record, side by side: {"rules": to_json(RuleScore), "learned": to_json(LearnedScore)}.
nlohmann::json score_lead(const RuleSet& rules, const NaiveBayesModel& model, const nlohmann::json& record,
                          std::string_view lang = "fr");

// ---- evaluation --------------------------------------------------------------------------------

// Area under the ROC curve of `scores` for the `positive` labels (the Mann–Whitney statistic,
// tied scores given their average rank: a tie between a positive and a negative counts ½).
// NaN when there is no positive or no negative; throws std::invalid_argument on different sizes.
double roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive);

}  // namespace gz::modules::sales
