// Duplicate detection engine: candidate pairs by several blocking keys, per-field comparison
// levels, Fellegi–Sunter weights estimated by expectation–maximisation (no labels), pair scores
// with a per-field explanation, clusters by union-find with two thresholds.
//
// Data layout: a RecordSet holds the normalised values of every record column-wise in one
// character arena (value of field f of record r = one string; multi-valued fields such as
// e-mails hold their values separated by '\x1f'), so a scan of a million records touches flat
// arrays only. A scan runs on `threads` threads (blocking, comparison) and is otherwise pure:
// no I/O, no shared state; RecordSet and Model are read-only during a scan.
//
// Scores are sums of log2 likelihood ratios log2(m/u) over the fields both records have; a
// missing value weighs 0. The posterior probability of a match is
// 1 / (1 + 2^-(score + log2(p / (1 - p)))) where p is the estimated share of matches among
// the candidate pairs.
//
// Households. People of one home agree on what the home holds (address, landline, family name,
// sometimes one e-mail) and not on what belongs to each person (first name, birth date, mobile,
// identifiers): with two classes, EM takes "same home" for "same person". A profile whose fields
// say which of them a household shares gets a third class of pairs, two people of one household
// (Winkler's three-class EM for census households): its own m-like parameters h, its share
// p_household, like strangers on the personal fields (one distribution estimated for both) and
// agreeing on the home at least as much as strangers do. The score of
// a pair is then log2 P(levels | match) / P(levels | non-match) with the non-matches a mixture of
// households and strangers: the sum of the fields' weights plus a household adjustment (about 0,
// very negative when the pair looks like two people of one home).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace gz::matching {

// How two values of a field are compared (see compare_values for the levels each yields).
enum class Compare : uint8_t {
  Name,        // folded words: Jaro–Winkler, a name contained in the other
  GivenName,   // Name, and French first-name rules: nicknames (Fred / Frédéric), compound names
               // written short (J-P, Jean P., JP), feminine forms are other people (Jean / Jeanne)
  FamilyName,  // Name, and married names: "Dupont née Martin", "Martin épouse Dupont" hold both
  Text,        // same as Name, for places (city)
  Code,        // postcodes, regions, domains: equal, or one edit apart
  Date,        // YYYYMMDD: equal, one digit off or day/month swapped, same year and month
  Address,     // address tokens: share of tokens matched (exactly or Jaro–Winkler ≥ 0.9)
  Email,       // any address equal; same local part
  Phone,       // any number equal (last 9 digits); one digit off
  Identifier,  // "name=value" values: same name with equal value; same name one edit apart
};

// Comparison levels; 0 (missing) weighs nothing.
enum Level : uint8_t { Missing = 0, Different = 1, Similar = 2, Close = 3, Exact = 4 };
constexpr int kLevels = 5;
const char* level_name(int level);

int compare_values(Compare how, std::string_view a, std::string_view b);

struct FieldSpec {
  std::string name;
  Compare compare = Compare::Name;
  int swap_with = -1;  // the other name field: first and last names typed the other way round
  // Shared by the people of one home (address, landline, family name, a family e-mail); see
  // "Households" above. A profile without such a field has no household class.
  bool household = false;
  // The entity's field the value comes from when it is not `name` (a landline is one of the
  // contact's phones), and what tells it apart ({"fixe", "landline"}): for labels.
  std::string source;
  std::string qualifier_fr, qualifier_en;
  const std::string& source_field() const { return source.empty() ? name : source; }
};

class RecordSet {
 public:
  explicit RecordSet(std::vector<FieldSpec> fields);
  const std::vector<FieldSpec>& fields() const { return fields_; }
  size_t size() const { return ids_.size(); }
  void reserve(size_t records, size_t bytes);
  // values: one normalised value per field ("" when missing). source: 0 = the base, 1 = an
  // incoming file (a linking scan pairs only records of different sources).
  uint32_t add(int64_t id, std::string_view external_id, const std::vector<std::string>& values, uint8_t source = 0);
  void append(const RecordSet& other);
  std::string_view value(uint32_t r, size_t f) const {
    size_t k = size_t(r) * fields_.size() + f;
    return std::string_view(arena_.data() + offsets_[k], offsets_[k + 1] - offsets_[k]);
  }
  int64_t id(uint32_t r) const { return ids_[r]; }
  std::string_view external_id(uint32_t r) const {
    return std::string_view(ext_arena_.data() + ext_offsets_[r], ext_offsets_[r + 1] - ext_offsets_[r]);
  }
  uint8_t source(uint32_t r) const { return sources_[r]; }
  // Cache hints for a scan that will read record r soon (records of a block are scattered in
  // memory): first its value offsets, later (once they are in the cache) its values.
  void prefetch_offsets(uint32_t r) const {
    const uint64_t* p = offsets_.data() + size_t(r) * fields_.size();
    __builtin_prefetch(p);
    __builtin_prefetch(p + fields_.size());
  }
  void prefetch_values(uint32_t r) const {
    size_t k = size_t(r) * fields_.size();
    for (uint64_t at = offsets_[k], end = offsets_[k + fields_.size()]; at < end; at += 64)
      __builtin_prefetch(arena_.data() + at);
  }

 private:
  std::vector<FieldSpec> fields_;
  std::string arena_;
  std::vector<uint64_t> offsets_{0};
  std::vector<int64_t> ids_;
  std::vector<uint8_t> sources_;
  std::string ext_arena_;
  std::vector<uint64_t> ext_offsets_{0};
};

// What a kind of record is matched on: its fields, how to normalise a stored record (JSON as
// the API returns it) and its blocking keys.
struct Profile {
  std::string entity;
  std::vector<FieldSpec> fields;
  std::vector<std::string> blocking_key_names;  // documentation and the scan report
  std::function<std::vector<std::string>(const nlohmann::json& record)> normalise;
  // Appends the record's blocking keys (hashes tagged by key kind) to out.
  std::function<void(const RecordSet&, uint32_t r, std::vector<uint64_t>& out)> blocking_keys;
  // Fields whose values order records inside an oversized block (sorted neighbourhood).
  std::vector<size_t> sort_fields;
  // Name shown for a record in candidates ("Jeanne Dupont", "Dupont SARL").
  std::function<std::string(const nlohmann::json& record)> display_name;
};
// "contacts" or "accounts"; nullptr otherwise.
const Profile* find_profile(std::string_view entity);

// Fellegi–Sunter parameters: per field and level, m = P(level | match), u = P(level | non-match);
// p = share of matches among the candidate pairs.
struct Model {
  std::vector<std::string> fields;
  std::vector<std::array<double, kLevels>> m, u;
  // The household class (empty h, p_household 0: none): P(level | two people of one home).
  std::vector<std::array<double, kLevels>> h;
  double p_household = 0;
  double p = 0.01;
  int iterations = 0;
  bool converged = false;
  double weight(size_t f, int level) const;  // log2(m / u); 0 for Missing
  // Two disagreements weigh strongly against whatever EM estimated (at most −kStrongly bits,
  // a likelihood ratio of 1/1000): different birth dates (both known), and a different first
  // name at the same address (street close or equal, or the same landline) — a brother, a wife,
  // a twin. Known through attach().
  static constexpr double kStrongly = 10;
  int given_field = -1, birth_field = -1, street_field = -1, landline_field = -1;
  // Where one lives: street, postcode, town, region, landline (the household fields other than
  // the family name and e-mails). They change together when someone moves, so their
  // disagreements are one fact: only the most negative of their weights counts.
  std::vector<bool> location;
  // Finds those fields in a profile's (a given-name field, a date, an address, a household phone).
  void attach(const std::vector<FieldSpec>& fields);
  // The weight field f adds to a pair with these levels: weight(), at most −kStrongly for the
  // strong disagreements, 0 for a location disagreement other than the most negative.
  double field_weight(size_t f, const int* levels, size_t n) const;
  // −log2 of P(levels | non-match) / P(levels | stranger): how much the household class
  // changes the score: −log2(q·R + 1 − q), at most −log2(1 − q) (a fraction of a bit), very
  // negative for two people of one home; 0 without household class.
  double household_adjustment(const int* levels, size_t n) const;
  // Sum of the field weights plus the household adjustment.
  double score(const int* levels, size_t n) const;
  // The share of matches the posterior and the thresholds assume: p, but at least kMinShare. On
  // a base with almost no duplicate EM's p rests on a handful of pairs (the demo company: 0.1 %,
  // which asked 10 bits for a pair to reach even odds, more than a name and a mobile give).
  static constexpr double kMinShare = 0.01;
  double share() const;
  double probability(double score) const;    // posterior P(match | score)
  // Default thresholds: upper where the posterior reaches 0.99, lower where it reaches 0.5,
  // never below the weight of one name agreeing (so a lone first name proposes nothing).
  double default_upper() const;
  double default_lower() const;
  nlohmann::json to_json() const;
  static Model from_json(const nlohmann::json& j);
  // Parameters for a base never scanned (used by the entry check): typical values of the
  // comparison levels per kind of field.
  static Model prior(const Profile& profile);
  static Model prior_of(const std::vector<FieldSpec>& fields);
};

struct ScanOptions {
  double threshold_upper = 0;  // ignored unless has_thresholds
  double threshold_lower = 0;
  bool has_upper = false, has_lower = false;
  size_t max_block = 50;       // larger blocks are paired by sorted neighbourhood only
  size_t window = 8;           // neighbours paired inside an oversized block
  int threads = 2;
  int em_iterations = 200;
  bool link_only = false;      // pair only records of different sources (base vs incoming file)
  const Model* fixed_model = nullptr;  // score with these weights instead of estimating them
  // Pairs declared distinct by a person (record ids, lower first): left out.
  std::vector<std::pair<int64_t, int64_t>> dismissed;
  // Told how far the scan is, from the calling thread: stage "blocking", "comparing", "weights"
  // or "clustering" and the fraction of that stage done (0 to 1); DuplicateService::scan adds
  // "loading" and "storing". Empty: not told.
  std::function<void(const std::string& stage, double fraction)> progress;
};

struct Pair {
  uint32_t a = 0, b = 0;  // record indexes in the RecordSet, a < b
  float score = 0;
};

// A group of records that are all, two by two, probable matches: every pair of members scores at
// least the lower threshold (no chaining: A~B and B~C with A≁C is not one group).
struct Cluster {
  std::vector<uint32_t> members;     // record indexes, ascending
  std::vector<float> member_scores;  // best score linking each member into the cluster
  std::vector<Pair> pairs;           // every pair of members (all above the lower threshold)
  // Connected by pairs above the upper threshold alone, and not cut out of a larger chain (a
  // record close to members of two groups: which one it belongs to is a person's call).
  bool proposed = false;
  bool split = false;                // cut out of a larger chain of pairs
  float best_score = 0;
};

struct ScanResult {
  Model model;
  double threshold_upper = 0, threshold_lower = 0;
  size_t records = 0;
  size_t candidate_pairs = 0;  // pairs compared
  size_t oversized_blocks = 0;
  std::vector<Pair> pairs;     // score >= threshold_lower
  std::vector<Cluster> clusters;
  double seconds_blocking = 0, seconds_comparing = 0, seconds_em = 0, seconds_clustering = 0;
  nlohmann::json summary() const;  // counts, thresholds, timings, model
};

ScanResult scan(const Profile& profile, const RecordSet& records, const ScanOptions& options);

// Groups of records from scored pairs (those at or above lower) such that every pair inside a
// group scores at least lower: pairs are taken strongest first and two groups join only when all
// the pairs across them do (complete linkage); scores of pairs that were not candidates are
// computed by `score_of`. Groups of two or more, with their pairs, strongest first.
std::vector<Cluster> cluster_pairs(const std::vector<Pair>& pairs, size_t records, double lower, double upper,
                                   const std::function<float(uint32_t, uint32_t)>& score_of);

// Comparison levels of the fields of two records (swapped names taken into account).
std::vector<int> compare_records(const RecordSet& records, uint32_t a, uint32_t b);
double score_levels(const Model& model, const std::vector<int>& levels);

struct FieldExplanation {
  std::string field;
  std::string a, b;  // the values compared (normalised)
  int level = 0;
  double weight = 0;
};
// One entry per field, then (when the model has a household class and it lowers the score by
// 0.01 or more) one with field "household", level Missing and the adjustment as weight.
std::vector<FieldExplanation> explain(const Model& model, const RecordSet& records, uint32_t a, uint32_t b);
nlohmann::json explanation_json(const std::vector<FieldExplanation>& e);

}  // namespace gz::matching
