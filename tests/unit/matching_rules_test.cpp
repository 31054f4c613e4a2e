// The French matching rules (docs/duplicates.md): first names (nicknames, compound names written
// short, feminine forms), married names, street titles, landlines apart from mobiles, the strong
// disagreements, the household class, clusters that do not chain, and the reasons in words.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/crypto.h"
#include "modules/duplicates/engine.h"
#include "modules/duplicates/names.h"
#include "modules/duplicates/normalize.h"
#include "modules/duplicates/reasons.h"

using namespace gz::matching;
using json = nlohmann::json;

namespace {

int given(const char* a, const char* b) { return compare_values(Compare::GivenName, norm_name(a), norm_name(b)); }
int family(const char* a, const char* b) { return compare_values(Compare::FamilyName, norm_name(a), norm_name(b)); }

}  // namespace

TEST(MatchingRules, FirstNames) {
  EXPECT_EQ(given("Jean-Pierre", "Jean-Pierre"), Exact);
  EXPECT_EQ(given("Jean-Pierre", "jean pierre"), Exact);  // folded alike
  for (const char* shortened : {"J-P", "J.-P.", "JP", "Jean P.", "Jean", "Jean-P."})
    EXPECT_EQ(given("Jean-Pierre", shortened), Close) << shortened;
  EXPECT_EQ(given("Frédéric", "Fred"), Close);
  EXPECT_EQ(given("Catherine", "Cathy"), Close);
  EXPECT_EQ(given("Emmanuel", "Manu"), Close);
  EXPECT_EQ(given("Nathalie", "Natalie"), Close);          // a slip
  EXPECT_EQ(given("Anne-Sophie", "Anne-Sophiee"), Close);  // a slip, not a feminine form
  EXPECT_EQ(given("Pierre-Yves", "Pierre-Yve"), Close);    // a slip in a short word of a compound
  EXPECT_EQ(given("Max", "Maxence"), Close);               // a usual short form
  EXPECT_EQ(given("Oliv", "Olivier"), Similar);            // the beginning of a name
  EXPECT_EQ(given("J.", "Jean"), Similar);                 // an initial only
  // Other people.
  EXPECT_EQ(given("Jean-Pierre", "Jean-Paul"), Different);
  EXPECT_EQ(given("J-P", "Jean-Marc"), Different);
  EXPECT_EQ(given("Jean", "Jeanne"), Different);
  EXPECT_EQ(given("Michel", "Michèle"), Different);
  EXPECT_EQ(given("Daniel", "Danielle"), Different);
  EXPECT_EQ(given("Louis", "Louise"), Different);
  EXPECT_EQ(given("Paul", "Paulette"), Different);
  EXPECT_EQ(given("Laurent", "Laurence"), Different);
  EXPECT_EQ(given("Marie", "Sophie"), Different);
  EXPECT_TRUE(feminine_form("antoine", "antoinette"));
  EXPECT_FALSE(feminine_form("delph", "delphine"));
  EXPECT_TRUE(nickname_of("fred", "frederique"));
  EXPECT_FALSE(nickname_of("fred", "francois"));
}

TEST(MatchingRules, MarriedNames) {
  EXPECT_EQ(family("Dupont", "Dupont"), Exact);
  EXPECT_EQ(family("Dupont née Martin", "Martin"), Close);
  EXPECT_EQ(family("Dupont née Martin", "Dupont"), Close);
  EXPECT_EQ(family("Martin épouse Dupont", "Dupont née Martin"), Close);
  EXPECT_EQ(family("Martin ép. Dupont", "DUPONT"), Close);
  EXPECT_EQ(family("Dupont-Martin", "Martin"), Close);
  EXPECT_EQ(family("Dupont", "Durand"), Different);
  int parts = 0;
  for_each_family_part("dupont nee martin", [&](std::string_view) { ++parts; });
  EXPECT_EQ(parts, 2);
}

TEST(MatchingRules, AddressesAndPhonesAsPeopleWriteThem) {
  EXPECT_EQ(norm_address("85 R. du Gal de Gaulle"), norm_address("85 rue du Général de Gaulle"));
  EXPECT_EQ(norm_address("3 bd du Maréchal Foch"), norm_address("3 Boulevard du Mal Foch"));
  EXPECT_EQ(norm_address("12 av. du Docteur Roux"), norm_address("12 avenue du Dr Roux"));
  // "rue de la Gare" and "rue de la Paix" share only words that say nothing.
  EXPECT_EQ(compare_values(Compare::Address, norm_address("4 rue de la Gare"), norm_address("9 rue de la Paix")), Different);
  const Profile& p = *find_profile("contacts");
  auto phones_of = [&](std::vector<std::string> phones) {
    auto v = p.normalise({{"last_name", "X"}, {"phones", phones}});
    return std::make_pair(v[8], v[10]);  // personal (mobiles), landline
  };
  // 07 11… is no allocated range (libphonenumber refuses it), 07 81… is: both are read alike.
  for (const char* f : {"07.11.22.33.44", "07-11-22-33-44", "+33 (0)7 11 22 33 44", "0033 7 11 22 33 44", "+33711223344",
                        "0711223344", "07 11 22 33 44"})
    EXPECT_EQ(phones_of({f}).first, "33711223344") << f;
  for (const char* f : {"07.81.22.33.44", "+33 (0)7 81 22 33 44", "0033 7 81 22 33 44", "0033781223344"})
    EXPECT_EQ(phones_of({f}).first, "33781223344") << f;
  auto [mobile, landline] = phones_of({"06 12 34 56 78", "01.42.00.11.22"});
  EXPECT_EQ(mobile, "33612345678");
  EXPECT_EQ(landline, "33142001122");
  EXPECT_EQ(p.normalise({{"last_name", "X"}, {"emails", {"Jean.Dupont@Gmail.COM"}}})[7], "jean.dupont@gmail.com");
}

namespace {
// Levels of every field of the contacts profile, Missing unless given.
std::vector<int> levels_with(std::initializer_list<std::pair<const char*, int>> given) {
  const Profile& p = *find_profile("contacts");
  std::vector<int> levels(p.fields.size(), Missing);
  for (auto [name, level] : given)
    for (size_t f = 0; f < p.fields.size(); ++f)
      if (p.fields[f].name == name) levels[f] = level;
  return levels;
}
}  // namespace

TEST(MatchingRules, DifferentBirthDatesAndAnotherFirstNameAtOneAddressWeighStronglyAgainst) {
  const Profile& p = *find_profile("contacts");
  Model m = Model::prior(p);
  auto weight_of = [&](const std::vector<int>& levels, const char* field) {
    for (size_t f = 0; f < p.fields.size(); ++f)
      if (p.fields[f].name == field) return m.field_weight(f, levels.data(), levels.size());
    return 0.0;
  };
  auto born = levels_with({{"first_name", Exact}, {"birth_date", Different}});
  EXPECT_LE(weight_of(born, "birth_date"), -Model::kStrongly);
  // A different first name: its own weight elsewhere, strongly against at the same address or
  // with the same landline.
  auto elsewhere = levels_with({{"first_name", Different}, {"street", Different}});
  EXPECT_GT(weight_of(elsewhere, "first_name"), -Model::kStrongly);
  EXPECT_LE(weight_of(levels_with({{"first_name", Different}, {"street", Exact}}), "first_name"), -Model::kStrongly);
  EXPECT_LE(weight_of(levels_with({{"first_name", Different}, {"landline", Exact}}), "first_name"), -Model::kStrongly);
  // Two people of one home (same name, address, landline, e-mail; other first names and birth
  // dates) stay far below any threshold; the same person typed twice stays far above.
  auto siblings = levels_with({{"first_name", Different}, {"last_name", Exact}, {"birth_date", Different},
                               {"street", Exact}, {"postcode", Exact}, {"city", Exact}, {"landline", Exact},
                               {"emails", Exact}});
  EXPECT_LT(m.score(siblings.data(), siblings.size()), m.default_lower() - 10);
  auto twice = levels_with({{"first_name", Close}, {"last_name", Exact}, {"birth_date", Exact}, {"street", Close},
                            {"postcode", Exact}, {"city", Exact}, {"phones", Exact}});
  EXPECT_GT(m.score(twice.data(), twice.size()), m.default_upper());
  // Someone who moved: the street, postcode, town and landline all differ, one fact counted once.
  auto moved = levels_with({{"first_name", Exact}, {"last_name", Exact}, {"birth_date", Exact}, {"street", Different},
                            {"postcode", Different}, {"city", Different}, {"landline", Different}, {"phones", Exact}});
  int counted = 0;
  for (const char* f : {"street", "postcode", "city", "landline"}) counted += weight_of(moved, f) < 0;
  EXPECT_EQ(counted, 1);
  EXPECT_GT(m.score(moved.data(), moved.size()), m.default_upper());
}

// A parent close to each of two children who are not close to each other is not one person:
// no group holds both children.
TEST(MatchingRules, ClustersDoNotChain) {
  const double lower = 4, upper = 10;
  auto table = [](std::map<std::pair<uint32_t, uint32_t>, float> scores) {
    return [scores](uint32_t a, uint32_t b) {
      auto it = scores.find({std::min(a, b), std::max(a, b)});
      return it == scores.end() ? -30.0f : it->second;
    };
  };
  // 0 parent, 1 and 2 children (strongly apart), 3 and 4 one person, 5 6 7 one person typed
  // three times with one weak pair.
  std::map<std::pair<uint32_t, uint32_t>, float> s = {{{0, 1}, 12}, {{0, 2}, 11}, {{1, 2}, -25},
                                                      {{3, 4}, 15},
                                                      {{5, 6}, 14}, {{6, 7}, 13}, {{5, 7}, 2}};
  std::vector<Pair> pairs;
  for (auto [k, v] : s)
    if (v >= lower) pairs.push_back({k.first, k.second, v});
  auto clusters = cluster_pairs(pairs, 8, lower, upper, table(s));
  for (const auto& c : clusters) {
    bool one = std::count(c.members.begin(), c.members.end(), 1u), two = std::count(c.members.begin(), c.members.end(), 2u);
    EXPECT_FALSE(one && two) << "the two children in one group";
    for (const auto& p : c.pairs) EXPECT_GE(p.score, 0) << p.a << "-" << p.b;
  }
  auto find = [&](uint32_t r) {
    for (const auto& c : clusters)
      if (std::count(c.members.begin(), c.members.end(), r)) return &c;
    return static_cast<const Cluster*>(nullptr);
  };
  // The parent went with the closer child, for a person to review; the other child is alone.
  ASSERT_NE(find(0), nullptr);
  EXPECT_EQ(find(0)->members, (std::vector<uint32_t>{0, 1}));
  EXPECT_FALSE(find(0)->proposed);
  EXPECT_TRUE(find(0)->split);
  EXPECT_EQ(find(2), nullptr);
  // A clean pair is proposed.
  ASSERT_NE(find(3), nullptr);
  EXPECT_TRUE(find(3)->proposed);
  // Nothing speaks against the weak pair: one group, to review, all three pairs listed.
  ASSERT_NE(find(5), nullptr);
  EXPECT_EQ(find(5)->members, (std::vector<uint32_t>{5, 6, 7}));
  EXPECT_EQ(find(5)->pairs.size(), 3u);
  EXPECT_FALSE(find(5)->proposed);
}

// A small household and a person typed twice, scanned with the prior weights: only the person's
// two records come together.
TEST(MatchingRules, AScanKeepsAFamilyApart) {
  const Profile& p = *find_profile("contacts");
  RecordSet rs(p.fields);
  auto add = [&](int64_t id, json r) { rs.add(id, "", p.normalise(r)); };
  json home = {{"last_name", "Morel"}, {"street", "12 rue des Lilas"}, {"postcode", "44000"}, {"city", "Nantes"}};
  auto member = [&](const char* first, const char* born, const char* mobile, bool shared_mail) {
    json r = home;
    r["first_name"] = first;
    r["birth_date"] = born;
    r["phones"] = {mobile, "02 40 11 22 33"};
    r["emails"] = {shared_mail ? "famille.morel@orange.fr" : std::string(first) + ".morel@gmail.com"};
    return r;
  };
  add(1, member("Jean", "1961-02-03", "06 11 11 11 11", true));
  add(2, member("Jeanne", "1963-07-21", "06 22 22 22 22", true));
  add(3, member("Lucas", "1990-05-14", "06 33 33 33 33", false));
  add(4, member("Léa", "1992-11-30", "06 44 44 44 44", false));
  json lucas = member("LUCAS", "1990-05-14", "06.33.33.33.33", false);
  lucas["street"] = "12 r. des Lilas";
  add(5, lucas);
  Model prior = Model::prior(p);
  ScanOptions o;
  o.fixed_model = &prior;
  auto r = scan(p, rs, o);
  ASSERT_EQ(r.clusters.size(), 1u) << r.summary().dump();
  EXPECT_EQ(rs.id(r.clusters[0].members[0]), 3);
  EXPECT_EQ(rs.id(r.clusters[0].members[1]), 5);
}

TEST(MatchingRules, ReasonsInWords) {
  gz::crypto::init();
  const Profile& p = *find_profile("contacts");
  RecordSet rs(p.fields);
  rs.add(1, "", p.normalise({{"first_name", "Jean-Pierre"}, {"last_name", "Roux"}, {"birth_date", "1960-01-02"},
                             {"emails", {"jp.roux@free.fr"}}, {"phones", {"01 42 00 11 22"}}, {"postcode", "75011"}}));
  rs.add(2, "", p.normalise({{"first_name", "J-P"}, {"last_name", "ROUX"}, {"birth_date", "1960-01-02"},
                             {"emails", {"JP.Roux@free.fr"}}, {"phones", {"01.42.00.11.22"}}, {"postcode", "13008"}}));
  json ex = explanation_json(explain(Model::prior(p), rs, 0, 1));
  json fr = reasons_json(p, ex, "fr"), en = reasons_json(p, ex, "en");
  auto texts = [](const json& reasons) {
    std::vector<std::string> out;
    for (const auto& r : reasons) out.push_back((r["agree"].get<bool>() ? "+" : "-") + r["text"].get<std::string>());
    return out;
  };
  auto t = texts(fr);
  for (const char* want : {"+même e-mail", "+même date de naissance", "+prénom proche", "+même nom", "+même téléphone fixe",
                           "-code postal différent"})
    EXPECT_NE(std::find(t.begin(), t.end(), want), t.end()) << want << " in " << fr.dump();
  auto e = texts(en);
  for (const char* want : {"+same e-mail", "+same date of birth", "+similar first name", "+same landline phone",
                           "-different postcode"})
    EXPECT_NE(std::find(e.begin(), e.end(), want), e.end()) << want << " in " << en.dump();
  // Agreements first, the strongest first.
  EXPECT_TRUE(fr[0]["agree"].get<bool>());
  EXPECT_FALSE(fr[fr.size() - 1]["agree"].get<bool>());
  EXPECT_EQ(reason_text(p, "birth_date", Different, "fr"), "date de naissance différente");
  EXPECT_EQ(reason_text(p, "first_name", Different, "fr"), "prénom différent");
}
