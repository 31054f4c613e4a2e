#include "modules/sales/lead_scoring.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "core/problem.h"
#include "core/text.h"

namespace gz::modules::sales {

using nlohmann::json;

namespace {

constexpr int kMaxPoints = 10000;

// Messages given in both languages here: this component has no module of its own (and so no
// catalogue) until the sales module wires it in.
Message both(const std::string& fr, const std::string& en) { return Message::both(fr, en); }

// The field's value: a key of the record, else a dotted path into nested objects.
const json* lookup(const json& record, const std::string& field) {
  if (!record.is_object()) return nullptr;
  if (auto it = record.find(field); it != record.end()) return &*it;
  if (field.find('.') == std::string::npos) return nullptr;
  const json* cur = &record;
  size_t start = 0;
  while (true) {
    size_t dot = field.find('.', start);
    std::string part = field.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(part);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string::npos) return cur;
    start = dot + 1;
  }
}

bool blank(const std::string& s) {
  for (unsigned char c : s)
    if (!std::isspace(c)) return false;
  return true;
}

bool missing(const json* v) {
  if (!v || v->is_null()) return true;
  if (v->is_string()) return blank(v->get_ref<const std::string&>());
  if (v->is_array() || v->is_object()) return v->empty();
  return false;
}

// A number, or a number written as text: "12", "12.5", "12,5", "1 234,5" (spaces, no-break
// spaces and narrow no-break spaces between digit groups).
std::optional<double> as_number(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  std::string t;
  t.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c == ' ' || c == '\t') continue;
    if (c == 0xC2 && i + 1 < s.size() && (unsigned char)s[i + 1] == 0xA0) { ++i; continue; }
    if (c == 0xE2 && i + 2 < s.size() && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xAF) {
      i += 2;
      continue;
    }
    t += c == ',' ? '.' : char(c);
  }
  if (t.empty()) return std::nullopt;
  const char* b = t.data();
  const char* e = b + t.size();
  if (*b == '+') ++b;
  double d = 0;
  auto [p, ec] = std::from_chars(b, e, d);
  if (ec != std::errc() || p != e || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::string format_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

// The text of a scalar: trimmed text, a number as written in JSON, true/false.
std::string as_text(const json& v) {
  if (v.is_string()) return text::trim(v.get_ref<const std::string&>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) return format_number(v.get<double>());
  return v.dump();
}

bool is_date(const std::string& s) {
  if (s.size() < 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : !std::isdigit((unsigned char)s[i])) return false;
  }
  return s.size() == 10 || s[10] == 'T' || s[10] == ' ';
}

bool same_number(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::max(std::fabs(a), std::fabs(b))); }

bool scalar_equals(const json& field, const json& rule) {
  if (rule.is_boolean()) return field.is_boolean() && field.get<bool>() == rule.get<bool>();
  if (field.is_array() || field.is_object() || field.is_null()) return false;
  if (rule.is_number()) {
    auto n = as_number(field);
    return n && same_number(*n, rule.get<double>());
  }
  if (field.is_number()) {  // a rule written as text against a number: "12" = 12
    if (auto n = as_number(rule)) return same_number(*n, field.get<double>());
  }
  return text::fold(as_text(field)) == text::fold(as_text(rule));
}

// -1, 0, 1 comparing the field to the rule's value; nullopt when they cannot be compared.
std::optional<int> compare(const json& field, const json& rule) {
  if (rule.is_string() && is_date(rule.get_ref<const std::string&>())) {
    if (!field.is_string()) return std::nullopt;
    const std::string& f = field.get_ref<const std::string&>();
    std::string ft = text::trim(f);
    if (!is_date(ft)) return std::nullopt;
    int c = ft.compare(0, 10, rule.get_ref<const std::string&>(), 0, 10);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  auto a = as_number(field);
  auto b = as_number(rule);
  if (!a || !b) return std::nullopt;
  return *a < *b ? -1 : *a > *b ? 1 : 0;
}

bool matches(const ScoringRule& r, const json* v) {
  if (r.op == RuleOperator::NotEmpty) return !missing(v);
  if (missing(v)) return false;
  switch (r.op) {
    case RuleOperator::Equals: return scalar_equals(*v, r.value);
    case RuleOperator::In:
      for (const auto& x : r.value)
        if (scalar_equals(*v, x)) return true;
      return false;
    case RuleOperator::GreaterThan: {
      auto c = compare(*v, r.value);
      return c && *c > 0;
    }
    case RuleOperator::LessThan: {
      auto c = compare(*v, r.value);
      return c && *c < 0;
    }
    case RuleOperator::Contains:
      if (v->is_array()) {
        for (const auto& x : *v)
          if (scalar_equals(x, r.value)) return true;
        return false;
      }
      if (v->is_object()) return false;
      return text::fold(as_text(*v)).find(text::fold(as_text(r.value))) != std::string::npos;
    case RuleOperator::NotEmpty: break;
  }
  return false;
}

std::string default_label(const ScoringRule& r) {
  switch (r.op) {
    case RuleOperator::NotEmpty: return r.field;
    case RuleOperator::GreaterThan: return r.field + " > " + as_text(r.value);
    case RuleOperator::LessThan: return r.field + " < " + as_text(r.value);
    case RuleOperator::In: {
      std::string s;
      for (const auto& x : r.value) s += (s.empty() ? "" : ", ") + as_text(x);
      return r.field + ": " + s;
    }
    default: return r.field + ": " + as_text(r.value);
  }
}

const std::pair<const char*, RuleOperator> kOperators[] = {
    {"equals", RuleOperator::Equals},           {"in", RuleOperator::In},
    {"not_empty", RuleOperator::NotEmpty},      {"greater_than", RuleOperator::GreaterThan},
    {"less_than", RuleOperator::LessThan},      {"contains", RuleOperator::Contains}};

bool is_scalar(const json& v) { return v.is_string() || v.is_number() || v.is_boolean(); }

std::optional<long long> as_integer(const json& v) {
  if (v.is_number_unsigned()) {  // before is_number_integer, which is true for unsigned too
    auto u = v.get<unsigned long long>();
    return u > (1ULL << 50) ? (long long)(1LL << 50) : (long long)u;
  }
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) return (long long)d;
  }
  return std::nullopt;
}

double to_points(double log_ratio) { return kPointsPerDoubling * log_ratio / std::log(2.0); }

}  // namespace

// ---- rule score -------------------------------------------------------------------------------

const char* operator_name(RuleOperator op) {
  for (const auto& [name, o] : kOperators)
    if (o == op) return name;
  return "equals";
}

RuleSet parse_rule_set(const json& input) {
  FieldErrors errors;
  RuleSet set;
  const json* rules = nullptr;
  const json* bands = nullptr;
  if (input.is_array()) {
    rules = &input;
  } else if (input.is_object()) {
    for (const auto& [key, value] : input.items())
      if (key != "rules" && key != "bands")
        errors.add(key, both("n'est pas un réglage d'un jeu de règles (rules, bands)",
                             "is not a setting of a rule set (rules, bands)"));
    auto r = input.find("rules");
    if (r == input.end() || !r->is_array())
      errors.add("rules", both("doit être une liste de règles", "must be a list of rules"));
    else
      rules = &*r;
    auto b = input.find("bands");
    if (b != input.end() && !b->is_null()) {
      if (!b->is_array())
        errors.add("bands", both("doit être une liste de paliers {min, label}", "must be a list of bands {min, label}"));
      else
        bands = &*b;
    }
  } else {
    errors.add("rules", both("doit être une liste de règles", "must be a list of rules"));
  }

  for (size_t i = 0; rules && i < rules->size(); ++i) {
    const json& r = (*rules)[i];
    const std::string p = "rules[" + std::to_string(i) + "]";
    if (!r.is_object()) {
      errors.add(p, both("doit être un objet {field, operator, value, points, label}",
                         "must be an object {field, operator, value, points, label}"));
      continue;
    }
    ScoringRule rule;
    bool ok = true;
    for (const auto& [key, value] : r.items())
      if (key != "field" && key != "operator" && key != "value" && key != "values" && key != "points" && key != "label") {
        errors.add(p + "." + key, both("n'est pas un réglage de règle (field, operator, value, values, points, label)",
                                       "is not a rule setting (field, operator, value, values, points, label)"));
        ok = false;
      }
    auto f = r.find("field");
    if (f == r.end() || !f->is_string() || blank(f->get_ref<const std::string&>())) {
      errors.add(p + ".field", both("est obligatoire : le nom d'un champ", "is required: the name of a field"));
      ok = false;
    } else {
      rule.field = text::trim(f->get_ref<const std::string&>());
    }
    auto o = r.find("operator");
    bool op_known = false;
    if (o == r.end() || !o->is_string()) {
      errors.add(p + ".operator", both("est obligatoire : equals, in, not_empty, greater_than, less_than ou contains",
                                       "is required: equals, in, not_empty, greater_than, less_than or contains"));
    } else {
      const std::string& name = o->get_ref<const std::string&>();
      for (const auto& [n, op] : kOperators)
        if (name == n) {
          rule.op = op;
          op_known = true;
        }
      if (!op_known)
        errors.add(p + ".operator",
                   both("« " + name + " » n'est pas un opérateur (equals, in, not_empty, greater_than, less_than, contains)",
                        "'" + name + "' is not an operator (equals, in, not_empty, greater_than, less_than, contains)"));
    }
    ok = ok && op_known;
    auto v = r.find("value");
    auto vs = r.find("values");
    if (v != r.end() && vs != r.end()) {
      errors.add(p + ".values", both("donner value ou values, pas les deux", "give value or values, not both"));
      ok = false;
    }
    const json* value = v != r.end() ? &*v : vs != r.end() ? &*vs : nullptr;
    const std::string vpath = p + (v != r.end() || vs == r.end() ? ".value" : ".values");
    if (op_known) {
      switch (rule.op) {
        case RuleOperator::NotEmpty:
          if (value && !value->is_null()) {
            errors.add(vpath, both("not_empty ne prend pas de valeur", "not_empty takes no value"));
            ok = false;
          }
          break;
        case RuleOperator::In: {
          bool good = value && value->is_array() && !value->empty();
          for (size_t k = 0; good && k < value->size(); ++k) good = is_scalar((*value)[k]);
          if (!good) {
            errors.add(vpath, both("in demande une liste non vide de textes ou de nombres",
                                   "in needs a non-empty list of texts or numbers"));
            ok = false;
          } else {
            rule.value = *value;
          }
          break;
        }
        case RuleOperator::Equals:
          if (!value || !is_scalar(*value)) {
            errors.add(vpath, both("equals demande un texte, un nombre ou un booléen", "equals needs a text, a number or a boolean"));
            ok = false;
          } else {
            rule.value = *value;
          }
          break;
        case RuleOperator::Contains:
          if (!value || !value->is_string() || blank(value->get_ref<const std::string&>())) {
            errors.add(vpath, both("contains demande un texte non vide", "contains needs a non-empty text"));
            ok = false;
          } else {
            rule.value = *value;
          }
          break;
        case RuleOperator::GreaterThan:
        case RuleOperator::LessThan: {
          bool date = value && value->is_string() && value->get_ref<const std::string&>().size() == 10 &&
                      is_date(value->get_ref<const std::string&>());
          if (!value || !(value->is_number() || date)) {
            errors.add(vpath, both(std::string(operator_name(rule.op)) + " demande un nombre ou une date AAAA-MM-JJ",
                                   std::string(operator_name(rule.op)) + " needs a number or a date YYYY-MM-DD"));
            ok = false;
          } else {
            rule.value = *value;
          }
          break;
        }
      }
    }
    auto pts = r.find("points");
    std::optional<long long> n = pts == r.end() ? std::nullopt : as_integer(*pts);
    if (!n || *n < -kMaxPoints || *n > kMaxPoints) {
      errors.add(p + ".points", both("doit être un nombre entier de points, de −10 000 à 10 000",
                                     "must be a whole number of points, from -10,000 to 10,000"));
      ok = false;
    } else {
      rule.points = int(*n);
    }
    auto l = r.find("label");
    if (l != r.end() && !l->is_null()) {
      if (!l->is_string()) {
        errors.add(p + ".label", both("doit être un texte", "must be a text"));
        ok = false;
      } else {
        rule.label = text::trim(l->get_ref<const std::string&>());
      }
    }
    if (!ok) continue;
    if (rule.label.empty()) rule.label = default_label(rule);
    set.rules.push_back(std::move(rule));
  }

  std::set<long long> mins;
  for (size_t i = 0; bands && i < bands->size(); ++i) {
    const json& b = (*bands)[i];
    const std::string p = "bands[" + std::to_string(i) + "]";
    if (!b.is_object()) {
      errors.add(p, both("doit être un objet {min, label}", "must be an object {min, label}"));
      continue;
    }
    auto m = b.find("min");
    auto l = b.find("label");
    std::optional<long long> n = m == b.end() ? std::nullopt : as_integer(*m);
    const long long min = n.value_or(0);
    bool ok = true;
    if (!n || std::llabs(min) > 1000000) {
      errors.add(p + ".min", both("doit être un nombre entier de points", "must be a whole number of points"));
      ok = false;
    } else if (!mins.insert(min).second) {
      errors.add(p + ".min", both("un autre palier a déjà ce minimum", "another band has the same minimum"));
      ok = false;
    }
    if (l == b.end() || !l->is_string() || blank(l->get_ref<const std::string&>())) {
      errors.add(p + ".label", both("est obligatoire : le nom du palier", "is required: the name of the band"));
      ok = false;
    }
    if (ok) set.bands.push_back({int(min), text::trim(l->get_ref<const std::string&>())});
  }
  errors.throw_if_any();
  std::sort(set.bands.begin(), set.bands.end(), [](const ScoreBand& a, const ScoreBand& b) { return a.min > b.min; });
  return set;
}

json to_json(const RuleSet& set) {
  json rules = json::array();
  for (const auto& r : set.rules) {
    json j = {{"field", r.field}, {"operator", operator_name(r.op)}, {"points", r.points}, {"label", r.label}};
    if (r.op != RuleOperator::NotEmpty) j["value"] = r.value;
    rules.push_back(std::move(j));
  }
  json bands = json::array();
  for (const auto& b : set.bands) bands.push_back({{"min", b.min}, {"label", b.label}});
  return {{"rules", std::move(rules)}, {"bands", std::move(bands)}};
}

RuleScore score_rules(const RuleSet& set, const json& record) {
  RuleScore s;
  long long total = 0;
  for (const auto& r : set.rules) {
    const json* v = lookup(record, r.field);
    if (!matches(r, v)) continue;
    total += r.points;
    s.lines.push_back({double(r.points), r.label, r.field, v ? *v : json()});
  }
  s.total = int(std::clamp<long long>(total, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
  for (const auto& b : set.bands)
    if (s.total >= b.min) {
      s.band = b.label;
      break;
    }
  return s;
}

namespace {
json lines_json(const std::vector<ScoreLine>& lines, bool round) {
  json out = json::array();
  for (const auto& l : lines) {
    json j = {{"label", l.label}, {"field", l.field}, {"value", l.value}, {"text", explain(l)}};
    if (round)
      j["points"] = std::lround(l.points);
    else
      j["points"] = std::round(l.points * 100) / 100;
    out.push_back(std::move(j));
  }
  return out;
}
}  // namespace

json to_json(const RuleScore& score) {
  json j = {{"total", score.total}, {"lines", lines_json(score.lines, true)}};
  j["band"] = score.band.empty() ? json() : json(score.band);
  return j;
}

std::string explain(const ScoreLine& line) {
  long p = std::lround(line.points);
  return (p > 0 ? "+" : "") + std::to_string(p) + ": " + line.label;
}

// ---- learned score ----------------------------------------------------------------------------

namespace {

// The category of a scalar value (trimmed text, number, boolean); nullopt for a missing value,
// an array or an object.
std::optional<std::string> category(const json* v) {
  if (missing(v) || v->is_array() || v->is_object()) return std::nullopt;
  return as_text(*v);
}

std::string bin_label(const std::string& field, const std::vector<double>& edges, size_t bin) {
  if (edges.empty()) return field;
  if (bin == 0) return field + " < " + format_number(edges[0]);
  if (bin == edges.size()) return field + " ≥ " + format_number(edges.back());
  return field + " " + format_number(edges[bin - 1]) + "–" + format_number(edges[bin]);
}

size_t bin_of(const std::vector<double>& edges, double x) {
  return size_t(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin());
}

double prior_log_odds(size_t won, size_t lost, double alpha) {
  if (won > 0 && lost > 0) return std::log(double(won) / double(lost));
  return std::log((double(won) + alpha) / (double(lost) + alpha));
}

bool too_few(size_t won, size_t lost, size_t min) {
  size_t need = std::max<size_t>(min, 1);
  return won < need || lost < need;
}

}  // namespace

NaiveBayesModel NaiveBayesModel::train(const std::vector<LabelledRecord>& examples, const NaiveBayesOptions& options) {
  FieldErrors errors;
  std::set<std::string> names;
  for (size_t i = 0; i < options.categorical.size(); ++i)
    if (options.categorical[i].empty() || !names.insert(options.categorical[i]).second)
      errors.add("categorical[" + std::to_string(i) + "]", both("nom de champ vide ou répété", "empty or repeated field name"));
  for (size_t i = 0; i < options.numeric.size(); ++i)
    if (options.numeric[i].empty() || !names.insert(options.numeric[i]).second)
      errors.add("numeric[" + std::to_string(i) + "]", both("nom de champ vide ou répété", "empty or repeated field name"));
  if (options.bins < 2 || options.bins > 50) errors.add("bins", both("doit être de 2 à 50", "must be from 2 to 50"));
  if (!(options.alpha > 0) || !std::isfinite(options.alpha))
    errors.add("alpha", both("doit être un nombre positif", "must be a positive number"));
  errors.throw_if_any();

  NaiveBayesModel m;
  m.alpha_ = options.alpha;
  m.min_per_class_ = options.min_per_class;
  for (const auto& e : examples) (e.won ? m.won_ : m.lost_)++;
  m.prior_only_ = too_few(m.won_, m.lost_, m.min_per_class_);
  if (m.prior_only_) return m;

  for (const auto& name : options.categorical) {
    std::unordered_map<std::string, std::pair<size_t, size_t>> counts;
    for (const auto& e : examples) {
      auto c = category(lookup(e.record, name));
      if (!c) continue;
      auto& n = counts[*c];
      (e.won ? n.first : n.second)++;
    }
    Field f;
    f.name = name;
    for (const auto& [value, n] : counts) f.values.push_back(value);
    std::sort(f.values.begin(), f.values.end());
    for (const auto& v : f.values) {
      f.won.push_back(counts[v].first);
      f.lost.push_back(counts[v].second);
    }
    m.fields_.push_back(std::move(f));
  }
  for (const auto& name : options.numeric) {
    std::vector<std::pair<double, bool>> xs;
    for (const auto& e : examples) {
      const json* v = lookup(e.record, name);
      if (missing(v)) continue;
      if (auto x = as_number(*v)) xs.push_back({*x, e.won});
    }
    Field f;
    f.name = name;
    f.numeric = true;
    std::vector<double> sorted;
    sorted.reserve(xs.size());
    for (const auto& x : xs) sorted.push_back(x.first);
    std::sort(sorted.begin(), sorted.end());
    // Quantile cuts: the value at rank k·n/B for k = 1 … B−1, ties merged; a value equal to a
    // cut goes to the bin above it.
    const size_t n = sorted.size();
    for (int k = 1; k < options.bins && n > 0; ++k) {
      double c = sorted[size_t(k) * n / size_t(options.bins)];
      if (c > sorted.front() && (f.edges.empty() || c > f.edges.back())) f.edges.push_back(c);
    }
    f.won.assign(f.edges.size() + 1, 0);
    f.lost.assign(f.edges.size() + 1, 0);
    for (const auto& [x, won] : xs) (won ? f.won : f.lost)[bin_of(f.edges, x)]++;
    m.fields_.push_back(std::move(f));
  }
  m.derive();
  return m;
}

void NaiveBayesModel::derive() {
  for (auto& f : fields_) {
    const double k = double(f.won.size());
    const double w = double(std::accumulate(f.won.begin(), f.won.end(), size_t(0)));
    const double l = double(std::accumulate(f.lost.begin(), f.lost.end(), size_t(0)));
    f.weight.resize(f.won.size());
    for (size_t j = 0; j < f.won.size(); ++j)
      f.weight[j] = std::log((double(f.won[j]) + alpha_) / (w + alpha_ * k)) -
                    std::log((double(f.lost[j]) + alpha_) / (l + alpha_ * k));
  }
}

double NaiveBayesModel::log_odds(const json& record, std::vector<ScoreLine>* lines) const {
  double lo = prior_log_odds(won_, lost_, alpha_);
  for (const auto& f : fields_) {
    const json* v = lookup(record, f.name);
    if (missing(v)) continue;
    size_t j = 0;
    std::string label;
    if (f.numeric) {
      auto x = as_number(*v);
      if (!x) continue;
      j = bin_of(f.edges, *x);
      if (lines) label = bin_label(f.name, f.edges, j);
    } else {
      auto c = category(v);
      if (!c) continue;
      auto it = std::lower_bound(f.values.begin(), f.values.end(), *c);
      if (it == f.values.end() || *it != *c) continue;  // never seen: the prior stands for it
      j = size_t(it - f.values.begin());
      if (lines) label = f.name + ": " + *c;
    }
    lo += f.weight[j];
    if (lines) lines->push_back({to_points(f.weight[j]), std::move(label), f.name, *v});
  }
  return lo;
}

double NaiveBayesModel::probability(const json& record) const {
  return 1.0 / (1.0 + std::exp(-log_odds(record, nullptr)));
}

LearnedScore NaiveBayesModel::score(const json& record) const {
  LearnedScore s;
  s.prior_only = prior_only_;
  s.note = note();
  double lo = log_odds(record, &s.lines);
  s.probability = 1.0 / (1.0 + std::exp(-lo));
  s.prior_points = to_points(prior_log_odds(won_, lost_, alpha_));
  s.points = to_points(lo);
  std::stable_sort(s.lines.begin(), s.lines.end(),
                   [](const ScoreLine& a, const ScoreLine& b) { return std::fabs(a.points) > std::fabs(b.points); });
  return s;
}

Message NaiveBayesModel::note() const {
  if (!prior_only_) return {};
  const std::string w = std::to_string(won_), l = std::to_string(lost_),
                    n = std::to_string(std::max<size_t>(min_per_class_, 1));
  return both(w + " gagnées et " + l + " perdues : il en faut au moins " + n +
                  " de chaque pour apprendre ; le score est la proportion de gagnées",
              w + " won and " + l + " lost: at least " + n +
                  " of each are needed to learn; the score is the share won");
}

json to_json(const LearnedScore& score, std::string_view lang) {
  json j = {{"probability", score.probability},
            {"score", std::lround(score.probability * 100)},
            {"points", std::round(score.points * 100) / 100},
            {"prior_points", std::round(score.prior_points * 100) / 100},
            {"prior_only", score.prior_only},
            {"lines", lines_json(score.lines, false)}};
  j["note"] = score.note.empty() ? json() : json(score.note.render(lang));
  return j;
}

json NaiveBayesModel::to_json() const {
  json fields = json::array();
  for (const auto& f : fields_) {
    if (f.numeric) {
      json counts = json::array();
      for (size_t j = 0; j < f.won.size(); ++j) counts.push_back({f.won[j], f.lost[j]});
      fields.push_back({{"name", f.name}, {"type", "numeric"}, {"edges", f.edges}, {"counts", std::move(counts)}});
    } else {
      json values = json::object();
      for (size_t j = 0; j < f.values.size(); ++j) values[f.values[j]] = {f.won[j], f.lost[j]};
      fields.push_back({{"name", f.name}, {"type", "categorical"}, {"values", std::move(values)}});
    }
  }
  return {{"kind", "naive_bayes"}, {"version", 1},        {"alpha", alpha_},
          {"min_per_class", min_per_class_}, {"won", won_}, {"lost", lost_},
          {"fields", std::move(fields)}};
}

namespace {
bool count_pair(const json& v, size_t& won, size_t& lost) {
  if (!v.is_array() || v.size() != 2 || !v[0].is_number_unsigned() || !v[1].is_number_unsigned()) return false;
  won = v[0].get<size_t>();
  lost = v[1].get<size_t>();
  return true;
}
}  // namespace

NaiveBayesModel NaiveBayesModel::from_json(const json& j) {
  FieldErrors errors;
  NaiveBayesModel m;
  if (!j.is_object()) {
    errors.add("model", both("doit être un objet", "must be an object"));
    errors.throw_if_any();
  }
  if (j.value("kind", json()) != "naive_bayes") errors.add("kind", both("doit être naive_bayes", "must be naive_bayes"));
  if (j.value("version", json()) != 1) errors.add("version", both("version de modèle inconnue", "unknown model version"));
  auto a = j.find("alpha");
  if (a == j.end() || !a->is_number() || !(a->get<double>() > 0))
    errors.add("alpha", both("doit être un nombre positif", "must be a positive number"));
  else
    m.alpha_ = a->get<double>();
  for (const char* key : {"won", "lost", "min_per_class"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned())
      errors.add(key, both("doit être un nombre entier positif ou nul", "must be a whole number, 0 or more"));
    else
      (std::string(key) == "won" ? m.won_ : std::string(key) == "lost" ? m.lost_ : m.min_per_class_) = it->get<size_t>();
  }
  auto fs = j.find("fields");
  if (fs == j.end() || !fs->is_array()) {
    errors.add("fields", both("doit être une liste", "must be a list"));
  } else {
    std::set<std::string> names;
    for (size_t i = 0; i < fs->size(); ++i) {
      const json& fj = (*fs)[i];
      const std::string p = "fields[" + std::to_string(i) + "]";
      Field f;
      if (!fj.is_object() || !fj.contains("name") || !fj["name"].is_string() ||
          fj["name"].get_ref<const std::string&>().empty() || !names.insert(fj["name"].get<std::string>()).second) {
        errors.add(p + ".name", both("nom de champ absent ou répété", "missing or repeated field name"));
        continue;
      }
      f.name = fj["name"].get<std::string>();
      const json type = fj.value("type", json());
      bool ok = true;
      if (type == "categorical") {
        auto vs = fj.find("values");
        if (vs == fj.end() || !vs->is_object()) {
          errors.add(p + ".values", both("doit être un objet valeur → [gagnées, perdues]", "must be an object value → [won, lost]"));
          continue;
        }
        for (const auto& [value, c] : vs->items()) {  // object keys come sorted
          size_t w = 0, l = 0;
          if (!count_pair(c, w, l)) {
            errors.add(p + ".values." + value, both("doit être [gagnées, perdues]", "must be [won, lost]"));
            ok = false;
            continue;
          }
          f.values.push_back(value);
          f.won.push_back(w);
          f.lost.push_back(l);
        }
        std::vector<size_t> order(f.values.size());
        std::iota(order.begin(), order.end(), size_t(0));
        std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return f.values[x] < f.values[y]; });
        Field sorted = f;
        for (size_t k = 0; k < order.size(); ++k) {
          sorted.values[k] = f.values[order[k]];
          sorted.won[k] = f.won[order[k]];
          sorted.lost[k] = f.lost[order[k]];
        }
        f = std::move(sorted);
      } else if (type == "numeric") {
        f.numeric = true;
        auto e = fj.find("edges");
        auto c = fj.find("counts");
        if (e == fj.end() || !e->is_array()) {
          errors.add(p + ".edges", both("doit être une liste croissante de nombres", "must be an increasing list of numbers"));
          continue;
        }
        for (const auto& x : *e) {
          if (!x.is_number() || (!f.edges.empty() && !(x.get<double>() > f.edges.back()))) {
            errors.add(p + ".edges", both("doit être une liste croissante de nombres", "must be an increasing list of numbers"));
            ok = false;
            break;
          }
          f.edges.push_back(x.get<double>());
        }
        if (!ok) continue;
        if (c == fj.end() || !c->is_array() || c->size() != f.edges.size() + 1) {
          errors.add(p + ".counts", both("doit donner [gagnées, perdues] pour chaque intervalle",
                                         "must give [won, lost] for each bin"));
          continue;
        }
        for (const auto& x : *c) {
          size_t w = 0, l = 0;
          if (!count_pair(x, w, l)) {
            errors.add(p + ".counts", both("doit donner [gagnées, perdues] pour chaque intervalle",
                                           "must give [won, lost] for each bin"));
            ok = false;
            break;
          }
          f.won.push_back(w);
          f.lost.push_back(l);
        }
      } else {
        errors.add(p + ".type", both("doit être categorical ou numeric", "must be categorical or numeric"));
        continue;
      }
      if (ok) m.fields_.push_back(std::move(f));
    }
  }
  errors.throw_if_any();
  m.prior_only_ = too_few(m.won_, m.lost_, m.min_per_class_);
  if (m.prior_only_) m.fields_.clear();
  m.derive();
  return m;
}

json score_lead(const RuleSet& rules, const NaiveBayesModel& model, const json& record, std::string_view lang) {
  return {{"rules", to_json(score_rules(rules, record))}, {"learned", to_json(model.score(record), lang)}};
}

// ---- evaluation --------------------------------------------------------------------------------

double roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive) {
  if (scores.size() != positive.size()) throw std::invalid_argument("roc_auc: scores and labels differ in size");
  for (double s : scores)
    if (std::isnan(s)) throw std::invalid_argument("roc_auc: a score is NaN");
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double rank_sum = 0;  // of the positives, ranks from 1, ties given their average rank
  size_t pos = 0;
  for (size_t i = 0; i < n;) {
    size_t k = i;
    while (k < n && scores[order[k]] == scores[order[i]]) ++k;
    const double avg = (double(i + 1) + double(k)) / 2;
    for (size_t t = i; t < k; ++t)
      if (positive[order[t]]) {
        rank_sum += avg;
        ++pos;
      }
    i = k;
  }
  const size_t neg = n - pos;
  if (pos == 0 || neg == 0) return std::numeric_limits<double>::quiet_NaN();
  return (rank_sum - double(pos) * double(pos + 1) / 2) / (double(pos) * double(neg));
}

}  // namespace gz::modules::sales
