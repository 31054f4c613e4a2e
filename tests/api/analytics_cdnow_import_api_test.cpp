// CDNOW through the ordinary order import, as a user would bring a purchase log: the sample
// (GAZELLE_DATA_DIR/cdnow, data_sets.h; skipped without it) written as a `;`-separated CSV of
// customer, date (YYYYMMDD), CDs and dollars, `gazelle import orders` with a mapping (the customer
// as the order's contact, created when missing; the date through --derive; the dollars as the
// order's amount), then `gazelle analytics clv` on the database. Every purchase is a purchase
// occasion, the $0 ones too, as in the published models: 2,357 customers and the published
// BG/NBD estimates (docs/analytics.md, "Which orders count"). With the setting
// count_free_orders = false (Online Retail's rule) the eight customers whose only purchases were
// worth $0 are left out: 2,349. On SQLite and, as pg.CdnowImport.*, on PostgreSQL.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api_fixture.h"
#include "data_sets.h"

using namespace gzt;

namespace {

namespace fs = std::filesystem;

json json_of(const std::string& out) {
  size_t a = out.find('{'), b = out.rfind('}');
  if (a == std::string::npos || b == std::string::npos || b < a) return json();
  return json::parse(out.substr(a, b - a + 1), nullptr, false);
}

// A database for the CLI: a fresh SQLite file, or a PostgreSQL database copied from the fixture
// template (dropped at the end).
struct CliDatabase {
  std::string url, pg_name;
  explicit CliDatabase(const fs::path& dir) {
    if (on_postgresql()) {
      pg_name = create_pg_database(fixture_template().location);
      url = pg_url_for(pg_name);
    } else {
      url = (dir / "cdnow.db").string();
    }
  }
  ~CliDatabase() {
    if (!pg_name.empty()) drop_pg_database(pg_name);
  }
};

}  // namespace

TEST(CdnowImport, PublishedCustomersAndBgNbdThroughTheOrderImport) {
  GAZELLE_NEED_DATA("CDNOW", "cdnow/CDNOW_sample.txt");
  fs::path dir = fs::temp_directory_path() / ("gz_cdnow_import_" + std::to_string(getpid()));
  fs::create_directories(dir);
  CliDatabase db(dir);

  // The purchase log as a spreadsheet would save it: `masterID sampleID yyyymmdd nCDs dollars`.
  size_t purchases = 0;
  {
    std::ifstream in(gzdata::data_file("cdnow/CDNOW_sample.txt"));
    std::ofstream out(dir / "cdnow.csv", std::ios::binary);
    out << "client;date;cd;montant\n";
    std::string line, master, sample, day, cds, dollars;
    while (std::getline(in, line)) {
      std::istringstream ss(line);
      if (!(ss >> master >> sample >> day >> cds >> dollars)) continue;
      out << std::stoll(master) << ';' << day << ';' << cds << ';' << dollars << '\n';
      ++purchases;
    }
  }
  ASSERT_EQ(purchases, 6919u);

  auto r = run_gazelle({"import", "orders", (dir / "cdnow.csv").string(), "--db", db.url, "--format", "json",
                        "--map", "client=contact_external_id", "--map", "montant=amount", "--map", "cd=-",
                        "--derive", "ordered_at=date(date, YYYYMMDD)", "--create-missing"});
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 3000);
  json rep = json_of(r.out);
  ASSERT_TRUE(rep.is_object()) << r.out.substr(0, 3000);
  EXPECT_EQ(rep["created"], 6919) << rep.dump();
  EXPECT_EQ(rep["rejected"], 0) << rep.dump();

  // The published estimates (../shared/data/README.md), with the tolerances of the CLI test on
  // the raw file (analytics_clv_api_test.cpp): 0.5 % on each parameter, 0.01 on the likelihood.
  auto fit = [&] {
    auto f = run_gazelle({"analytics", "clv", "--model", "bgnbd", "--calibration-end", "1997-09-30", "--format", "json",
                          "--db", db.url});
    EXPECT_EQ(f.exit_code, 0) << f.out.substr(0, 2000);
    return json::parse(f.out, nullptr, false);
  };
  json j = fit();
  ASSERT_TRUE(j.is_object()) << j.dump();
  EXPECT_EQ(j["customers"], 2357) << j.dump();
  EXPECT_NEAR(j["log_likelihood"].get<double>(), -9582.43, 0.01) << j.dump();
  const std::vector<std::pair<const char*, double>> published = {{"r", 0.2426}, {"alpha", 4.4135}, {"a", 0.7929}, {"b", 2.4259}};
  for (const auto& [name, value] : published)
    EXPECT_NEAR(j["params"][name].get<double>() / value, 1, 0.005) << name << " " << j.dump();

  // Online Retail's rule as a setting: orders worth nothing are no purchase occasion.
  r = run_gazelle({"analytics", "settings", "--db", db.url, "--set", R"({"count_free_orders": false})"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  json paid = fit();
  EXPECT_EQ(paid["customers"], 2349) << paid.dump();

  std::error_code ec;
  fs::remove_all(dir, ec);
}
