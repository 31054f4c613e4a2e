// The fast paths of the duplicate scan (docs/duplicates.md, "Speed") checked against the plain
// algorithms they replace: "at most one edit apart" against the Damerau–Levenshtein table, the
// bit-parallel Jaro–Winkler against the textbook loop, and the scan's candidate pairs (each pair
// once, block by block) against the naive expansion of every block followed by a global dedupe;
// one thread and two give the same result.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "modules/duplicates/engine.h"
#include "modules/duplicates/similarity.h"

using namespace gz::matching;
using json = nlohmann::json;

namespace {

// The textbook Jaro–Winkler (as in the literature: flags, window, transpositions, prefix 4).
double reference_jaro_winkler(const std::string& a, const std::string& b) {
  if (a == b) return a.empty() ? 0.0 : 1.0;
  if (a.empty() || b.empty()) return 0.0;
  size_t window = std::max(a.size(), b.size()) / 2;
  window = window > 0 ? window - 1 : 0;
  std::vector<bool> fa(a.size()), fb(b.size());
  size_t m = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    size_t lo = i > window ? i - window : 0, hi = std::min(b.size(), i + window + 1);
    for (size_t j = lo; j < hi; ++j)
      if (!fb[j] && a[i] == b[j]) {
        fa[i] = fb[j] = true;
        ++m;
        break;
      }
  }
  if (m == 0) return 0.0;
  size_t t = 0, k = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!fa[i]) continue;
    while (!fb[k]) ++k;
    if (a[i] != b[k]) ++t;
    ++k;
  }
  double md = double(m);
  double jaro = (md / double(a.size()) + md / double(b.size()) + (md - double(t) / 2) / md) / 3;
  size_t p = 0;
  while (p < 4 && p < a.size() && p < b.size() && a[p] == b[p]) ++p;
  return jaro + double(p) * 0.1 * (1 - jaro);
}

std::string random_word(std::mt19937& rng, size_t min_len, size_t max_len, const char* alphabet) {
  size_t n = min_len + rng() % (max_len - min_len + 1), k = std::char_traits<char>::length(alphabet);
  std::string s;
  for (size_t i = 0; i < n; ++i) s += alphabet[rng() % k];
  return s;
}

std::string mutate(std::mt19937& rng, std::string s) {
  if (s.empty()) return "x";
  size_t p = rng() % s.size();
  switch (rng() % 4) {
    case 0: s.erase(p, 1); break;
    case 1: s.insert(p, 1, char('a' + rng() % 3)); break;
    case 2: if (p + 1 < s.size()) std::swap(s[p], s[p + 1]); break;
    default: s[p] = char('a' + rng() % 3); break;
  }
  return s;
}

}  // namespace

TEST(MatchingFastPaths, WithinOneEditAgreesWithTheTable) {
  std::mt19937 rng(7);
  size_t ones = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string a = random_word(rng, 0, 7, "abc");
    std::string b = i % 2 ? mutate(rng, a) : random_word(rng, 0, 7, "abc");
    int table = damerau_levenshtein(a, b, 5);  // the dynamic programme (the fast path is for 1 only)
    int fast = damerau_levenshtein(a, b, 1);
    ASSERT_EQ(fast, std::min(table, 2)) << "'" << a << "' / '" << b << "'";
    ones += fast == 1;
  }
  EXPECT_GT(ones, 5000u);  // the cases that matter were exercised
  EXPECT_EQ(damerau_levenshtein("martin", "matrin", 1), 1);
  EXPECT_EQ(damerau_levenshtein("martin", "marti", 1), 1);
  EXPECT_EQ(damerau_levenshtein("martin", "mratni", 1), 2);
}

TEST(MatchingFastPaths, BitParallelJaroWinklerAgreesWithTheTextbook) {
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::string a = random_word(rng, 1, i % 10 == 0 ? 90 : 14, "abcdefg");
    std::string b = i % 3 ? mutate(rng, mutate(rng, a)) : random_word(rng, 1, i % 10 == 0 ? 90 : 14, "abcdefg");
    ASSERT_DOUBLE_EQ(jaro_winkler(a, b), reference_jaro_winkler(a, b)) << "'" << a << "' / '" << b << "'";
  }
  EXPECT_NEAR(jaro_winkler("martha", "marhta"), 0.9611, 1e-4);
}

namespace {

// Contacts with few distinct names, so that blocks overflow a small max_block.
RecordSet synthetic_contacts(const Profile& p, size_t n) {
  const char* firsts[] = {"Jean", "Marie", "Luc", "Anne", "Paul", "Zoé", "Hugo", "Léa"};
  const char* lasts[] = {"Martin", "Martín", "Dupont", "Dupond", "Petit", "Moreau", "Roux", "Leroy", "Blanc", "Morel"};
  std::mt19937 rng(3);
  RecordSet rs(p.fields);
  for (size_t i = 0; i < n; ++i) {
    json r = {{"first_name", firsts[rng() % 8]},
              {"last_name", lasts[rng() % 10]},
              {"birth_date", "19" + std::to_string(50 + rng() % 3) + "-0" + std::to_string(1 + rng() % 3) + "-1" +
                                 std::to_string(rng() % 3)},
              {"postcode", std::to_string(75001 + rng() % 4)},
              {"street", std::to_string(1 + rng() % 5) + " rue de la Paix"}};
    if (rng() % 3 == 0) r["emails"] = {"p" + std::to_string(rng() % 50) + "@example.fr"};
    rs.add(int64_t(i + 1), "", p.normalise(r), uint8_t(i % 2));
  }
  return rs;
}

// The candidate pairs as the scan used to find them: every block expanded (sorted neighbourhood
// in oversized ones), all pairs of all blocks sorted and deduplicated.
std::set<std::pair<uint32_t, uint32_t>> naive_candidates(const Profile& p, const RecordSet& rs, const ScanOptions& o) {
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  for (uint32_t r = 0; r < rs.size(); ++r) {
    std::vector<uint64_t> keys;
    p.blocking_keys(rs, r, keys);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (auto k : keys) entries.emplace_back(k, r);
  }
  std::sort(entries.begin(), entries.end());
  std::set<std::pair<uint32_t, uint32_t>> out;
  auto emit = [&](uint32_t a, uint32_t b) {
    if (a > b) std::swap(a, b);
    if (o.link_only && rs.source(a) == rs.source(b)) return;
    out.insert({a, b});
  };
  for (size_t s = 0; s < entries.size();) {
    size_t e = s;
    while (e < entries.size() && entries[e].first == entries[s].first) ++e;
    if (e - s <= o.max_block) {
      for (size_t i = s; i < e; ++i)
        for (size_t j = i + 1; j < e; ++j) emit(entries[i].second, entries[j].second);
    } else {
      std::vector<std::pair<std::string, uint32_t>> m;
      for (size_t i = s; i < e; ++i) {
        std::string key;
        for (size_t f : p.sort_fields) key += std::string(rs.value(entries[i].second, f)) + '\x01';
        m.emplace_back(key, entries[i].second);
      }
      std::sort(m.begin(), m.end());
      for (size_t i = 0; i < m.size(); ++i)
        for (size_t j = i + 1; j < m.size() && j <= i + o.window; ++j) emit(m[i].second, m[j].second);
    }
    s = e;
  }
  return out;
}

}  // namespace

TEST(MatchingScan, EachCandidatePairOnceAndThreadsAgree) {
  const Profile& p = *find_profile("contacts");
  RecordSet rs = synthetic_contacts(p, 3000);
  for (bool link_only : {false, true}) {
    ScanOptions o;
    o.max_block = 12;  // many oversized blocks: both paths of the blocking are exercised
    o.window = 4;
    o.link_only = link_only;
    o.threads = 1;
    ScanResult one = scan(p, rs, o);
    auto naive = naive_candidates(p, rs, o);
    EXPECT_EQ(one.candidate_pairs, naive.size()) << "link_only " << link_only;
    EXPECT_GT(one.oversized_blocks, 10u);
    for (const auto& pair : one.pairs) EXPECT_TRUE(naive.count({pair.a, pair.b})) << pair.a << "," << pair.b;
    o.threads = 2;
    ScanResult two = scan(p, rs, o);
    EXPECT_EQ(two.candidate_pairs, one.candidate_pairs);
    ASSERT_EQ(two.pairs.size(), one.pairs.size());
    for (size_t i = 0; i < one.pairs.size(); ++i) {
      EXPECT_EQ(two.pairs[i].a, one.pairs[i].a);
      EXPECT_EQ(two.pairs[i].b, one.pairs[i].b);
      EXPECT_EQ(two.pairs[i].score, one.pairs[i].score);
    }
    EXPECT_EQ(two.clusters.size(), one.clusters.size());
    EXPECT_EQ(two.model.to_json().dump(), one.model.to_json().dump());
  }
}
