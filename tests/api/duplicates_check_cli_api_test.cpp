// The real CLI on FEBRL set 1 (GAZELLE_DATA_DIR/febrl, data_sets.h; skipped without it):
// `gazelle import contacts --derive …` with the documented FEBRL mapping (docs/import.md, "FEBRL
// mapping"), then `gazelle duplicates check --file` with an incoming file in the same layout: its
// near-duplicate row is listed with the base records it duplicates, the stranger is not, nothing
// is imported.
#include "build_paths.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "api_fixture.h"
#include "data_sets.h"

using namespace gzt;

namespace {

namespace fs = std::filesystem;

const std::string kFebrl = gzdata::data_file("febrl/dataset1.csv");

const std::vector<std::string> kFebrlMapping = {
    "--map",    "rec_id=external_id",
    "--map",    "given_name=first_name",
    "--map",    "suburb=city",
    "--map",    "state=region",
    "--derive", "last_name=coalesce(surname, given_name)",
    "--derive", "street=concat(street_number, address_1, address_2)",
    "--derive", "birth_date=date(date_of_birth, YYYYMMDD)",
    "--derive", "identifiers=object(soc_sec_id)"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The JSON document in the output (stderr's summary lines have no braces).
json json_of(const std::string& out) {
  size_t a = out.find('{'), b = out.rfind('}');
  if (a == std::string::npos || b == std::string::npos || b < a) return json();
  return json::parse(out.substr(a, b - a + 1), nullptr, false);
}

}  // namespace

TEST(DuplicatesCli, ImportWithDerivedColumnsThenCheckAFile) {
  GAZELLE_NEED_DATA("FEBRL", "febrl/dataset1.csv");
  // The CLI speaks the locale's language (French unless English): the messages below are English.
  setenv("GAZELLE_LANG", "en", 1);
  fs::path dir = fs::temp_directory_path() / ("gz_dupcheck_" + std::to_string(getpid()));
  fs::create_directories(dir);
  // A copy: the import writes its warnings file next to the file it reads.
  fs::copy_file(kFebrl, dir / "febrl1.csv", fs::copy_options::overwrite_existing);
  std::string db = (dir / "gazelle.db").string();

  // Import with derived columns: 1,000 contacts; impossible dates are warnings, the rows kept.
  auto r = run_gazelle(with({"import", "contacts", (dir / "febrl1.csv").string(), "--db", db, "--format", "json"},
                            kFebrlMapping));
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
  json rep = json_of(r.out);
  ASSERT_TRUE(rep.is_object()) << r.out.substr(0, 2000);
  EXPECT_EQ(rep["created"], 1000) << rep.dump();
  EXPECT_EQ(rep["rejected"], 0) << rep.dump();
  ASSERT_GT(rep["warning_kinds"].value("derive", 0), 0) << rep.dump();
  std::string warnings = read_file(dir / "febrl1.warnings.csv");
  EXPECT_NE(warnings.find("is not a date in the form YYYYMMDD; left empty"), std::string::npos) << warnings;
  // The derived values as stored: rec-122-org, "69, giblin street, killarney", born 19990219.
  r = run_gazelle({"export", "contacts", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 500);
  size_t at = r.out.find("rec-122-org");
  ASSERT_NE(at, std::string::npos);
  std::string row = r.out.substr(at, r.out.find('\n', at) - at);
  EXPECT_NE(row.find("69 giblin street killarney"), std::string::npos) << row;
  EXPECT_NE(row.find("1999-02-19"), std::string::npos) << row;
  EXPECT_NE(row.find("7364009"), std::string::npos) << row;
  EXPECT_NE(row.find("berry"), std::string::npos) << row;

  // A derivation naming a column the file does not have: refused with the column named.
  r = run_gazelle(with({"import", "contacts", (dir / "febrl1.csv").string(), "--db", db, "--dry-run"},
                       {"--derive", "birth_date=date(born, YYYYMMDD)"}));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("no column 'born'"), std::string::npos) << r.out;

  // An incoming file in the FEBRL layout: a typo of rec-122 (line 2), a stranger (line 3), and
  // rec-122 again with an impossible date (line 4: a derivation warning, still checked).
  {
    std::ofstream in(dir / "incoming.csv", std::ios::binary);
    in << "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, "
          "soc_sec_id\n"
          "new-1, lachlan, bery, 69, giblin street, killarney, bittern, 4814, qld, 19990219, 7364009\n"
          "new-2, zebulon, quixotic, 1, nowhere lane, , zzyzx, 9999, act, 19010101, 1111111\n"
          "new-3, lachlan, berry, 69, giblin street, killarney, bittern, 4814, qld, 1999xx19, \n";
  }
  std::vector<std::string> check = with({"duplicates", "check", "--file", (dir / "incoming.csv").string(), "--entity",
                                         "contacts", "--db", db},
                                        kFebrlMapping);
  r = run_gazelle(with(check, {"--format", "json"}));
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
  json res = json_of(r.out);
  ASSERT_TRUE(res.is_object()) << r.out.substr(0, 2000);
  EXPECT_EQ(res["rows_checked"], 3);
  EXPECT_EQ(res["base_records"], 1000);
  std::map<int, std::set<std::string>> found;  // line -> candidate external ids
  for (const auto& m : res["matches"]) {
    found[m["line"].get<int>()].insert(m["candidate_external_id"].get<std::string>());
    // One entry per compared field (11, the landline apart from the other phones), and the
    // household adjustment when the pair might be two people of one home.
    ASSERT_GE(m["explanation"].size(), 11u) << m.dump();
    ASSERT_LE(m["explanation"].size(), 12u) << m.dump();
    EXPECT_GE(m["score"].get<double>(), res["threshold_lower"].get<double>());
    if (m["line"] == 2) {
      EXPECT_EQ(m["external_id"], "new-1");
      EXPECT_TRUE(m["probable"].get<bool>()) << m.dump();
      auto last = std::find_if(m["explanation"].begin(), m["explanation"].end(),
                               [](const json& e) { return e["field"] == "last_name"; });
      ASSERT_NE(last, m["explanation"].end());
      EXPECT_EQ((*last)["a"], "bery");  // a = the row, b = the candidate
      EXPECT_EQ((*last)["b"], "berry");
    }
  }
  EXPECT_EQ(found[2], (std::set<std::string>{"rec-122-org", "rec-122-dup-0"})) << res.dump(1).substr(0, 3000);
  EXPECT_EQ(found.count(3), 0u) << res.dump(1).substr(0, 3000);
  EXPECT_TRUE(found[4].count("rec-122-org")) << res.dump(1).substr(0, 3000);
  EXPECT_NE(r.out.find("1999xx19"), std::string::npos) << r.out.substr(0, 2000);  // the derivation warning

  // CSV: a header and one row per match; the base is unchanged (nothing was imported).
  r = run_gazelle(with(check, {"--format", "csv"}));
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("line,external_id,candidate_id,candidate_external_id,candidate_name,score,probability,probable"),
            std::string::npos)
      << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("3 rows checked against 1000 contacts"), std::string::npos) << r.out.substr(0, 2000);
  // A mapping naming a column the file does not have is refused before anything is matched.
  r = run_gazelle({"duplicates", "check", "--file", (dir / "incoming.csv").string(), "--db", db, "--map", "nope=city"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("nope"), std::string::npos) << r.out;
  fs::remove_all(dir);
}
