// Duplicate detection measured on realistic French person records (french_people.h,
// docs/duplicates.md "The French test set"): the generated contacts are normalised by the
// contacts profile and scanned as the duplicate service scans a base (default options, weights
// estimated by EM, default thresholds); the pairs inside the clusters found (proposed and review)
// are compared with the truth, overall and per phenomenon. The tables are printed:
//   build/unit_tests --gtest_filter='FrenchDuplicates.*'
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <set>

#include "french_people.h"
#include "modules/duplicates/engine.h"

using namespace gz;
using namespace gz::testdata;

namespace {

constexpr size_t kPeople = 3000;
// The seed the detector was developed on, and the one it is judged on (never looked at while
// tuning; docs/duplicates.md).
constexpr uint64_t kTuningSeed = 1;
constexpr uint64_t kGateSeed = 20240917;

struct Run {
  FrenchSet set;
  FrenchFigures figures;
  matching::ScanResult result;
};

Run scan_french(uint64_t seed) {
  Run run;
  run.set = generate_french_people(seed, kPeople);
  const matching::Profile& p = *matching::find_profile("contacts");
  matching::RecordSet rs(p.fields);
  for (size_t i = 0; i < run.set.records.size(); ++i)
    rs.add(int64_t(i) + 1, run.set.records[i].key, p.normalise(run.set.records[i].contact));
  matching::ScanOptions o;
  o.threads = 2;
  run.result = matching::scan(p, rs, o);
  std::set<std::pair<size_t, size_t>> found;
  for (const auto& c : run.result.clusters)
    for (size_t i = 0; i < c.members.size(); ++i)
      for (size_t j = i + 1; j < c.members.size(); ++j) found.insert({std::min(c.members[i], c.members[j]), std::max(c.members[i], c.members[j])});
  run.figures = measure_french(run.set, found);
  if (std::getenv("GAZELLE_FRENCH_DEBUG")) {
    std::printf("%s\n", run.result.summary().dump(1).c_str());
    std::set<std::pair<size_t, size_t>> scored;
    for (const auto& pr : run.result.pairs) scored.insert({std::min(pr.a, pr.b), std::max(pr.a, pr.b)});
    std::printf("pairs scored above the lower threshold (no clustering):\n%s\n", measure_french(run.set, scored).table().c_str());
    auto truth = run.set.true_pairs();
    const matching::Profile& prof = *matching::find_profile("contacts");
    auto show = [&](const char* what, std::pair<size_t, size_t> pr) {
      auto ex = matching::explain(run.result.model, rs, uint32_t(pr.first), uint32_t(pr.second));
      double total = 0;
      std::string fields;
      for (const auto& e : ex) {
        total += e.weight;
        if (e.level != matching::Missing || e.field == "household") {
          char buf[64];
          std::snprintf(buf, sizeof buf, "%s:%s%+.1f ", e.field.c_str(), matching::level_name(e.level), e.weight);
          fields += buf;
        }
      }
      std::printf("%s %.1f %s\n   %s\n   %s\n   %s\n", what, total, fields.c_str(), run.set.records[pr.first].key.c_str(),
                  run.set.records[pr.first].contact.dump().c_str(), run.set.records[pr.second].contact.dump().c_str());
      (void)prof;
    };
    for (const auto& pr : found)
      if (!truth.count(pr)) show("WRONG", pr);
    for (const auto& pr : truth)
      if (!found.count(pr)) show("MISSED", pr);
  }
  // GAZELLE_FRENCH_CSV=file.csv writes the records (key;labels;contact) for a look.
  if (const char* csv = std::getenv("GAZELLE_FRENCH_CSV")) {
    FILE* out = std::fopen(csv, "w");
    for (const auto& r : run.set.records) {
      std::string labels;
      for (const auto& l : r.labels) labels += (labels.empty() ? "" : ",") + l;
      std::fprintf(out, "%s;%s;%s\n", r.key.c_str(), labels.c_str(), r.contact.dump().c_str());
    }
    std::fclose(out);
  }
  auto negatives = run.set.hard_negatives();
  size_t family = 0, namesake = 0, family_wrong = 0, namesake_wrong = 0;
  for (const auto& [pair, kind] : negatives) {
    bool wrong = found.count(pair) > 0;
    (kind == "family" ? family : namesake)++;
    (kind == "family" ? family_wrong : namesake_wrong) += wrong;
  }
  std::printf("French set, seed %llu: %zu records of %zu people, %zu true pairs; %zu candidate pairs, %zu clusters "
              "(upper %.1f, lower %.1f)\nhard non-matches joined: family %zu of %zu, namesakes %zu of %zu\n%s\n",
              (unsigned long long)seed, run.set.records.size(), kPeople, run.set.true_pairs().size(),
              run.result.candidate_pairs, run.result.clusters.size(), run.result.threshold_upper,
              run.result.threshold_lower, family_wrong, family, namesake_wrong, namesake, run.figures.table().c_str());
  return run;
}

}  // namespace

TEST(FrenchPeople, DeterministicAndCoversEveryPhenomenon) {
  auto a = generate_french_people(kTuningSeed, 400), b = generate_french_people(kTuningSeed, 400);
  ASSERT_EQ(a.records.size(), b.records.size());
  for (size_t i = 0; i < a.records.size(); ++i) EXPECT_EQ(a.records[i].contact, b.records[i].contact) << i;
  auto big = generate_french_people(kTuningSeed, kPeople);
  std::map<std::string, size_t> seen;
  for (const auto& r : big.records)
    for (const auto& l : r.labels) ++seen[l];
  for (const auto& l : kPositivePhenomena) EXPECT_GE(seen[l], 30u) << l;
  for (const auto& l : kNegativePhenomena) EXPECT_GE(seen[l], 100u) << l;
  EXPECT_GT(big.records.size(), kPeople * 13 / 10);
  EXPECT_GT(big.hard_negatives().size(), 500u);
}

// The goal of the French work (docs/duplicates.md): F1 ≥ 0.95 with precision ≥ 0.97, judged on
// a seed the detector was not developed on; and no family nor namesakes joined but by accident.
void expect_goal(const Run& run) {
  const auto& f = run.figures;
  EXPECT_GE(f.overall.f1(), 0.95);
  EXPECT_GE(f.overall.precision(), 0.97);
  EXPECT_GE(f.by_phenomenon.at("family").precision(), 0.97);
  EXPECT_GE(f.by_phenomenon.at("namesake").precision(), 0.9);
  for (const auto& l : kPositivePhenomena) EXPECT_GE(f.by_phenomenon.at(l).recall(), 0.9) << l;
}

TEST(FrenchDuplicates, GateSeed) { expect_goal(scan_french(kGateSeed)); }
// The seed the detector was developed on.
TEST(FrenchDuplicates, TuningSeed) { expect_goal(scan_french(kTuningSeed)); }
