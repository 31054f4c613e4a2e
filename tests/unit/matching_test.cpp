// Matching building blocks (src/matching): similarity, phonetic codes, normalisation, the engine
// on a small hand-made set, and derived import columns (src/domain/import_derive.h).
#include <gtest/gtest.h>

#include <sstream>

#include "core/problem.h"
#include "domain/import_derive.h"
#include "modules/duplicates/engine.h"
#include "modules/duplicates/normalize.h"
#include "modules/duplicates/similarity.h"

using namespace gz;
using namespace gz::matching;
using json = nlohmann::json;

TEST(Similarity, JaroWinklerKnownValues) {
  EXPECT_NEAR(jaro_winkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(jaro_winkler("dwayne", "duane"), 0.84, 1e-4);
  EXPECT_NEAR(jaro_winkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_EQ(jaro_winkler("abc", "abc"), 1.0);
  EXPECT_EQ(jaro_winkler("", "abc"), 0.0);
}

TEST(Similarity, DamerauLevenshtein) {
  EXPECT_EQ(damerau_levenshtein("kitten", "sitting"), 3);
  EXPECT_EQ(damerau_levenshtein("abcd", "acbd"), 1);  // one transposition
  EXPECT_EQ(damerau_levenshtein("ca", "abc", 5), 3);  // optimal string alignment
  EXPECT_EQ(damerau_levenshtein("aaaaaaaa", "bbbbbbbb", 2), 3);  // stops early: max + 1
}

TEST(Similarity, PhoneticCodes) {
  EXPECT_EQ(soundex("robert"), "R163");
  EXPECT_EQ(soundex("rupert"), "R163");
  EXPECT_EQ(soundex("ashcraft"), "A261");
  EXPECT_EQ(soundex("pfister"), "P236");
  EXPECT_EQ(phonetic_fr("dupont"), phonetic_fr("dupond"));
  EXPECT_EQ(phonetic_fr("dupont"), phonetic_fr("dupon"));
  EXPECT_EQ(phonetic_fr("gauthier"), phonetic_fr("gotier"));
  EXPECT_EQ(phonetic_fr("philippe"), phonetic_fr("filipe"));
  EXPECT_NE(phonetic_fr("guerin"), phonetic_fr("gerin"));  // hard and soft g
  EXPECT_NE(phonetic_fr("martin"), phonetic_fr("bernard"));
  EXPECT_EQ(nysiis("knight"), nysiis("night"));
}

TEST(Normalize, ComparableForms) {
  EXPECT_EQ(norm_name("Hélène  LEFÈVRE-Dupont"), "helene lefevre dupont");
  EXPECT_EQ(norm_address("12 bis, Avenue des Champs-Élysées"), "12b av des champs elysees");
  EXPECT_EQ(norm_address("3 Light Street"), "3 light st");
  EXPECT_EQ(norm_company_name("SARL Dupont & Fils"), "dupont fils");
  EXPECT_EQ(norm_postcode("sw1a 1aa"), "SW1A1AA");
  EXPECT_EQ(norm_company_id("732 829 320 00074"), "732829320");  // SIRET -> SIREN
  EXPECT_EQ(norm_phone("06 12 34 56 78"), "33612345678");
  EXPECT_EQ(norm_phone("+33612345678"), "33612345678");
  EXPECT_EQ(norm_email("  Jean.Dupont@Example.FR "), "jean.dupont@example.fr");
  EXPECT_EQ(norm_date("1956-04-09"), "19560409");
  EXPECT_EQ(norm_date("avril"), "");
  EXPECT_EQ(norm_domain("https://www.Dupont.fr/contact"), "dupont.fr");
}

TEST(Engine, ComparisonLevels) {
  EXPECT_EQ(compare_values(Compare::Name, "jean", "jean"), Exact);
  EXPECT_EQ(compare_values(Compare::Name, "jean", "jean pierre"), Close);
  EXPECT_EQ(compare_values(Compare::Name, "harrington", "harringtn"), Close);
  EXPECT_EQ(compare_values(Compare::Name, "martin", "bernard"), Different);
  EXPECT_EQ(compare_values(Compare::Name, "", "bernard"), Missing);
  EXPECT_EQ(compare_values(Compare::Date, "19560409", "19560904"), Close);  // day and month swapped
  EXPECT_EQ(compare_values(Compare::Date, "19560409", "19560419"), Close);
  EXPECT_EQ(compare_values(Compare::Date, "19560409", "19870101"), Different);
  EXPECT_EQ(compare_values(Compare::Identifier, "soc_sec_id=1234567", "soc_sec_id=1234567"), Exact);
  EXPECT_EQ(compare_values(Compare::Identifier, "customer_no=1234567", "soc_sec_id=1234567"), Missing);
  EXPECT_EQ(compare_values(Compare::Email, "a@x.fr\x1f" "jdupont@x.fr", "jdupont@x.fr"), Exact);
}

// A small base: three spellings of one person, two of another, and unrelated people. The scan
// must cluster each person's records and nothing else, without labels.
TEST(Engine, ScanFindsClustersAndExplains) {
  const Profile& p = *find_profile("contacts");
  RecordSet rs(p.fields);
  auto add = [&](int64_t id, json r) { rs.add(id, "x" + std::to_string(id), p.normalise(r)); };
  add(1, {{"first_name", "Hélène"}, {"last_name", "Lefèvre"}, {"birth_date", "1956-04-09"}, {"postcode", "75008"},
          {"emails", {"helene.lefevre@example.fr"}}});
  add(2, {{"first_name", "Helene"}, {"last_name", "LEFEVRE"}, {"birth_date", "1956-04-09"}, {"postcode", "75008"}});
  add(3, {{"first_name", "Lefevre"}, {"last_name", "Helene"}, {"birth_date", "1956-04-19"}, {"postcode", "75008"},
          {"emails", {"helene.lefevre@example.fr"}}});
  add(4, {{"first_name", "Marc"}, {"last_name", "Dupont"}, {"birth_date", "1970-01-02"}, {"phones", {"+33612345678"}}});
  add(5, {{"first_name", "Marc"}, {"last_name", "Dupond"}, {"birth_date", "1970-01-02"}, {"phones", {"06 12 34 56 78"}}});
  const char* firsts[] = {"Anne", "Paul", "Luc", "Eva", "Yves", "Zoé", "Hugo", "Inès", "Jules", "Léa"};
  const char* lasts[] = {"Martin", "Bernard", "Durand", "Petit", "Moreau", "Simon", "Michel", "Garcia", "Roux", "Blanc"};
  for (int i = 0; i < 60; ++i)
    add(10 + i, {{"first_name", firsts[i % 10]}, {"last_name", lasts[(i / 10 + i) % 10]},
                 {"birth_date", "19" + std::to_string(40 + i) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9)},
                 {"postcode", std::to_string(10000 + i * 137)}});
  ScanOptions o;
  o.threads = 2;
  auto r = scan(p, rs, o);
  ASSERT_EQ(r.clusters.size(), 2u) << r.summary().dump();
  std::vector<int64_t> a, b;
  for (auto m : r.clusters[0].members) a.push_back(rs.id(m));
  for (auto m : r.clusters[1].members) b.push_back(rs.id(m));
  if (a.size() < b.size()) std::swap(a, b);
  EXPECT_EQ(a, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(b, (std::vector<int64_t>{4, 5}));
  // The explanation names every field with its level and weight; agreement weighs positively
  // (with the prior model: EM on 65 records is no estimate of anything).
  auto ex = explain(Model::prior(p), rs, 0, 1);
  // One entry per field, and the household adjustment (same postcode and family name: the prior
  // weighs a little that they might be two people of one home).
  ASSERT_EQ(ex.size(), p.fields.size() + 1);
  EXPECT_EQ(ex.back().field, "household");
  EXPECT_LT(ex.back().weight, 0);
  EXPECT_EQ(ex[1].field, "last_name");
  EXPECT_EQ(ex[1].level, Exact);
  EXPECT_GT(ex[1].weight, 0);
  EXPECT_EQ(ex[7].level, Missing);  // record 2 has no e-mail
  EXPECT_EQ(ex[7].weight, 0);
  // Dismissed pairs are left out.
  o.dismissed = {{4, 5}};
  auto r2 = scan(p, rs, o);
  EXPECT_EQ(r2.clusters.size(), 1u) << r2.summary().dump();
}

// A base without duplicates, where people share surnames but live in different towns (as in the
// demo company): EM must not make "the places differ" the mark of a duplicate. It once did —
// differing postcode and city weighed +9 and 65 such pairs were proposed for merge.
TEST(Engine, NoDuplicatesNoProposalsAndDisagreementNeverCounts) {
  const Profile& p = *find_profile("contacts");
  RecordSet rs(p.fields);
  const char* firsts[] = {"Manon", "Mehdi", "Chloé", "Hugo", "Inès", "Jules", "Léa", "Louis", "Zoé", "Nathan", "Emma", "Lucas"};
  const char* lasts[] = {"Renard", "Renaud", "Chevalier", "Fontaine", "Marchand", "Lemoine"};
  const char* towns[][2] = {{"67000", "Strasbourg"}, {"34000", "Montpellier"}, {"69003", "Lyon"}, {"59000", "Lille"},
                            {"33000", "Bordeaux"}, {"44000", "Nantes"}, {"13001", "Marseille"}, {"31000", "Toulouse"}};
  for (int i = 0; i < 300; ++i) {
    const auto& town = towns[(i * 7) % 8];
    rs.add(i + 1, "", p.normalise({{"first_name", firsts[i % 12]}, {"last_name", lasts[(i / 12) % 6]},
                                   {"street", std::to_string(1 + i % 90) + " rue " + std::to_string(i)},
                                   {"postcode", town[0]}, {"city", town[1]},
                                   {"emails", {"p" + std::to_string(i) + "@exemple.fr"}}}));
  }
  ScanOptions o;
  o.threads = 2;
  auto r = scan(p, rs, o);
  EXPECT_TRUE(r.clusters.empty()) << r.summary().dump();
  for (size_t f = 0; f < p.fields.size(); ++f) {
    EXPECT_LE(r.model.weight(f, Different), 1e-9) << p.fields[f].name;
    EXPECT_GE(r.model.weight(f, Exact), -1e-9) << p.fields[f].name;
  }
}

TEST(ImportDerive, RewritesColumns) {
  auto d = domain::ColumnDerivation::parse({"street=concat(number, street_name)", "birth_date=date(born, YYYYMMDD)",
                                            "identifiers=object(ssn, customer_no=cust)", "last_name=coalesce(surname, given)"});
  std::istringstream in("id, given, surname, number, street_name, born, ssn, cust\n"
                        "1, jean, , 6, tullaroop street, 19560409, 0123, C9\n"
                        "2, anne, martin, , rue haute, 19561331, , \n");
  std::ostringstream out;
  std::vector<domain::ImportError> warnings;
  d.rewrite(in, out, {"given", "id"}, [&](const domain::ImportError& e) { warnings.push_back(e); });
  EXPECT_EQ(out.str(),
            "id,given,street,birth_date,identifiers,last_name\r\n"
            "1,\" jean\",6 tullaroop street,1956-04-09,\"{\"\"customer_no\"\":\"\"C9\"\",\"\"ssn\"\":\"\"0123\"\"}\",jean\r\n"
            "2,\" anne\",rue haute,,,martin\r\n");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].line, 3);
  EXPECT_EQ(warnings[0].column, "born");
  EXPECT_THROW(domain::ColumnDerivation::parse({"x=upper(a)"}), Problem);
  EXPECT_THROW(domain::ColumnDerivation::parse({"x=date(a, DDMM)"}), Problem);
  std::istringstream in2("a,b\n1,2\n");
  std::ostringstream out2;
  EXPECT_THROW(domain::ColumnDerivation::parse({"x=concat(a, c)"}).rewrite(in2, out2, {}, nullptr), Problem);
}
