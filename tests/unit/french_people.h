// A generator of realistic French person records with known truth, for measuring duplicate
// detection on the data a French SME really holds (docs/duplicates.md, "The French test set").
// Deterministic: the same seed gives the same records on every machine (its own random number
// generator, no std:: distributions, whose results differ between standard libraries).
//
// People live in households (couples, children, twins, a son named after his father) that share
// an address, a landline and sometimes an e-mail; some share their first and last name with
// someone else in the same town; about a third of them were entered more than once, each extra
// record differing from the person's first one by a few labelled phenomena (nickname, compound
// first name written short, maiden or married name, a move, typos, accents, capitals, street
// abbreviations, phone formats, e-mail case, missing values).
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace gz::testdata {

struct FrenchRecord {
  std::string key;           // "p12-0": person 12, its first record; "p12-1" its second…
  int64_t person = 0;        // the truth: records of one person share this number
  int64_t household = 0;     // 0: lives alone (as far as the base knows)
  nlohmann::json contact;    // first_name, last_name, birth_date, street, postcode, city, emails, phones
  // Phenomena shown by this record: for an extra record of a person, the ways it differs from the
  // person's first record (kPositive); for any record, its situation (kNegative: it belongs to a
  // household of several people, or has a namesake in its town).
  std::set<std::string> labels;
};

struct FrenchSet {
  std::vector<FrenchRecord> records;
  // Every pair of records of one person (indexes into records, lower first).
  std::set<std::pair<size_t, size_t>> true_pairs() const;
  // The hard non-matches the set is made of: two records of different people of one household,
  // or of two namesakes of one town (indexes, lower first), with "family" or "namesake".
  std::map<std::pair<size_t, size_t>, std::string> hard_negatives() const;
};

// Phenomena labelling extra records of a person (must match their other records).
inline const std::vector<std::string> kPositivePhenomena = {
    "nickname", "compound_first_name", "married_name", "moved", "typo", "no_accents", "upper_case",
    "street_abbreviation", "phone_format", "email_case", "missing_values"};
// Situations that must not make different people one (must not match).
inline const std::vector<std::string> kNegativePhenomena = {"family", "namesake"};

// About 1.4 records per person.
FrenchSet generate_french_people(uint64_t seed, size_t people);

// Precision, recall and F1 of a set of found pairs (record indexes, lower first), overall and
// per phenomenon: a pair belongs to a phenomenon when either of its records carries its label
// (so a wrong pair between two members of a household counts against "family").
struct PairFigures {
  size_t true_positive = 0, false_positive = 0, false_negative = 0;
  double precision() const;
  double recall() const;
  double f1() const;
};
struct FrenchFigures {
  PairFigures overall;
  std::map<std::string, PairFigures> by_phenomenon;
  // A Markdown table: phenomenon, true pairs, found, precision, recall, F1.
  std::string table() const;
};
FrenchFigures measure_french(const FrenchSet& set, const std::set<std::pair<size_t, size_t>>& found);

}  // namespace gz::testdata
