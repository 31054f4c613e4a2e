// Duplicate detection measured on FEBRL (GAZELLE_DATA_DIR/febrl, data_sets.h): the records go through the
// normal contact import with the documented mapping (docs/duplicates.md), are scanned by the
// duplicate service, and the pairs found are compared with the truth (rec-N-org / rec-N-dup-K:
// same N, same person). Floors: F1 0.99, the measured figures (bench/README.md, 0.999–1.0) minus a margin.
#include "build_paths.h"
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/crypto.h"
#include "domain/access.h"
#include "domain/import_derive.h"
#include "domain/import_service.h"
#include "domain/records.h"
#include "modules/duplicates/duplicates.h"
#include "store/migrations.h"
#include "data_sets.h"

using namespace gz;

namespace {

const std::string kData = gzdata::data_file("febrl") + "/";

// The documented FEBRL mapping (docs/duplicates.md).
domain::ImportReport import_febrl(domain::ImportService& service, const std::string& file) {
  auto derive = domain::ColumnDerivation::parse({"last_name=coalesce(surname, given_name)",
                                                 "street=concat(street_number, address_1, address_2)",
                                                 "birth_date=date(date_of_birth, YYYYMMDD)",
                                                 "identifiers=object(soc_sec_id)"});
  domain::ImportOptions o;
  o.map = {{"rec_id", "external_id"}, {"given_name", "first_name"}, {"suburb", "city"}, {"state", "region"}};
  std::set<std::string> keep;
  for (const auto& [col, field] : o.map) keep.insert(col);
  std::ifstream in(kData + file, std::ios::binary);
  EXPECT_TRUE(in.good()) << kData + file;
  std::stringstream derived;
  derive.rewrite(in, derived, keep, nullptr);
  return service.import_csv(domain::system_actor(), domain::entity("contacts"), derived, o);
}

std::string person(std::string_view ext) {  // "rec-12-dup-0" -> "12"
  auto a = ext.find('-'), b = ext.find('-', a + 1);
  return std::string(ext.substr(a + 1, b - a - 1));
}

struct Figures {
  double precision = 0, recall = 0, f1 = 0;
  size_t found = 0, correct = 0, truth = 0;
};

Figures measure(const std::set<std::pair<std::string, std::string>>& found,
                const std::set<std::pair<std::string, std::string>>& truth) {
  Figures f;
  f.found = found.size();
  f.truth = truth.size();
  for (const auto& p : found) f.correct += truth.count(p);
  f.precision = f.found ? double(f.correct) / double(f.found) : 0;
  f.recall = f.truth ? double(f.correct) / double(f.truth) : 0;
  f.f1 = f.precision + f.recall > 0 ? 2 * f.precision * f.recall / (f.precision + f.recall) : 0;
  return f;
}

std::pair<std::string, std::string> ordered(std::string a, std::string b) {
  if (a > b) std::swap(a, b);
  return {a, b};
}

// True pairs from the rec_id column of the files (all records, imported or not).
std::set<std::pair<std::string, std::string>> truth_pairs(const std::vector<std::string>& files, bool across) {
  std::map<std::string, std::vector<std::pair<std::string, int>>> by_person;
  for (size_t k = 0; k < files.size(); ++k) {
    std::ifstream in(kData + files[k]);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::string id = line.substr(0, line.find(','));
      by_person[person(id)].push_back({id, int(k)});
    }
  }
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& [p, recs] : by_person)
    for (size_t i = 0; i < recs.size(); ++i)
      for (size_t j = i + 1; j < recs.size(); ++j)
        if (!across || recs[i].second != recs[j].second) out.insert(ordered(recs[i].first, recs[j].first));
  return out;
}

class FebrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GAZELLE_NEED_DATA("FEBRL", "febrl/dataset1.csv");
    crypto::init();
    dir_ = std::filesystem::temp_directory_path() / ("gz-febrl-" + crypto::random_token(6));
    std::filesystem::create_directories(dir_);
    db_ = store::Database::open((dir_ / "febrl.db").string());
    store::apply_migrations(*db_);
    records_ = std::make_unique<domain::RecordService>(*db_);
    import_ = std::make_unique<domain::ImportService>(*records_);
    dups_ = std::make_unique<matching::DuplicateService>(*db_);
  }
  void TearDown() override {
    dups_.reset();
    import_.reset();
    records_.reset();
    db_.reset();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // Pairs inside the clusters of a scan of the whole base (proposed and review).
  Figures dedupe(const std::string& file) {
    auto report = import_febrl(*import_, file);
    // Rows the contact rules reject (e.g. an implausible birth date) stay out and count as misses.
    if (report.rejected) std::printf("%s: %lld rows rejected by the import, first: %s\n", file.c_str(), (long long)report.rejected,
                                     report.errors.empty() ? "" : report.errors[0].message.english().c_str());
    auto run = dups_->scan(domain::system_actor(), "contacts", {}, true);
    std::set<std::pair<std::string, std::string>> found;
    for (const auto& c : run.result.clusters)
      for (size_t i = 0; i < c.members.size(); ++i)
        for (size_t j = i + 1; j < c.members.size(); ++j)
          found.insert(ordered(std::string(run.records.external_id(c.members[i])),
                               std::string(run.records.external_id(c.members[j]))));
    Figures f = measure(found, truth_pairs({file}, false));
    std::printf("FEBRL %s: %zu records, %zu candidate pairs, %zu clusters; precision %.4f recall %.4f F1 %.4f "
                "(upper %.1f, lower %.1f, %.2f s)\n",
                file.c_str(), run.records.size(), run.result.candidate_pairs, run.result.clusters.size(), f.precision,
                f.recall, f.f1, run.result.threshold_upper, run.result.threshold_lower, run.seconds);
    return f;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<domain::RecordService> records_;
  std::unique_ptr<domain::ImportService> import_;
  std::unique_ptr<matching::DuplicateService> dups_;
};

TEST_F(FebrlTest, Dataset1) { EXPECT_GE(dedupe("dataset1.csv").f1, 0.99); }
TEST_F(FebrlTest, Dataset2) { EXPECT_GE(dedupe("dataset2.csv").f1, 0.99); }
TEST_F(FebrlTest, Dataset3) { EXPECT_GE(dedupe("dataset3.csv").f1, 0.99); }

// Linking: a base holding 4a, then 4b imported; links are the pairs across the two files.
TEST_F(FebrlTest, Dataset4Links) {
  auto ra = import_febrl(*import_, "dataset4a.csv"), rb = import_febrl(*import_, "dataset4b.csv");
  std::printf("4a/4b: %lld + %lld rows rejected by the import\n", (long long)ra.rejected, (long long)rb.rejected);
  // Scan with the two sources told apart: base records (4a) are source 0, imported ones source 1.
  auto all = dups_->load(domain::system_actor(), *matching::find_profile("contacts"));
  matching::RecordSet rs(all.fields());
  for (uint32_t r = 0; r < all.size(); ++r) {
    std::vector<std::string> values;
    for (size_t f = 0; f < all.fields().size(); ++f) values.emplace_back(all.value(r, f));
    bool incoming = all.external_id(r).find("-dup-") != std::string_view::npos;  // 4b holds the rec-N-dup-0 records
    rs.add(all.id(r), all.external_id(r), values, incoming ? 1 : 0);
  }
  matching::ScanOptions o;
  o.link_only = true;
  auto result = matching::scan(*matching::find_profile("contacts"), rs, o);
  std::set<std::pair<std::string, std::string>> found;
  for (const auto& p : result.pairs)
    found.insert(ordered(std::string(rs.external_id(p.a)), std::string(rs.external_id(p.b))));
  Figures f = measure(found, truth_pairs({"dataset4a.csv", "dataset4b.csv"}, true));
  std::printf("FEBRL 4a+4b links: %zu candidate pairs; precision %.4f recall %.4f F1 %.4f\n", result.candidate_pairs,
              f.precision, f.recall, f.f1);
  EXPECT_GE(f.f1, 0.99);
}

}  // namespace
