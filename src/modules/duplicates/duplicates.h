// Duplicate detection over the database (docs/duplicates.md): loads the records of contacts or
// accounts, runs the matching engine (engine.h), stores the clusters for the review queue, and
// checks one record or an incoming file against the base. Access: a scan, the review queue and
// dismissal are for admins (the whole base) and managers (what they can see); a check sees only
// the records visible to the actor. Thread-safe: holds only the Database reference.
#pragma once
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "domain/access.h"
#include "domain/import_runs.h"
#include "domain/import_service.h"
#include "modules/duplicates/engine.h"
#include "store/database.h"

namespace gz::matching {

class DuplicateService {
 public:
  explicit DuplicateService(store::Database& db) : db_(db) {}

  // The profile of entity (contacts, accounts); Problem NotFound otherwise.
  static const Profile& profile_of(const std::string& entity);

  // Throws Forbidden unless actor may scan (admin, manager), NotFound for another entity: what
  // scan() checks first, for callers that queue the scan (POST /api/v1/duplicates/scan).
  static void check_scan_allowed(const domain::Actor& actor, const std::string& entity);

  // Records of the entity visible to actor, normalised, in id order (2 threads). progress, when
  // given, is told the fraction loaded after each page.
  RecordSet load(const domain::Actor& actor, const Profile& profile, uint8_t source = 0, int threads = 2,
                 const std::function<void(double)>& progress = {});

  struct ScanRun {
    RecordSet records;
    ScanResult result;
    int64_t scan_id = 0;  // 0 when not stored
    double seconds = 0;   // loading included
  };
  // Scans the base; with store, replaces the entity's open clusters by the new ones.
  // options.progress is told the stages, "loading" and "storing" included.
  ScanRun scan(const domain::Actor& actor, const std::string& entity, ScanOptions options, bool store);

  // Review queue: {data: [{id, status, size, best_score, members: [{id, external_id, display_name,
  // score}], pairs: [{a, b, score, explanation}]}], next_cursor}. status: "" (proposed and review),
  // proposed, review, dismissed or merged.
  // Each pair also carries its reasons (reasons.h) in lang ("fr" or "en").
  nlohmann::json list(const domain::Actor& actor, const std::string& entity, const std::string& status, int limit,
                      const std::string& cursor, std::string_view lang = "fr");
  nlohmann::json cluster(const domain::Actor& actor, int64_t cluster_id, std::string_view lang = "fr");
  // Marks the cluster dismissed and remembers its pairs as distinct for later scans.
  nlohmann::json dismiss(const domain::Actor& actor, int64_t cluster_id);
  // Marks the cluster merged (called by the merge service once the records are merged).
  void mark_merged(const domain::Actor& actor, int64_t cluster_id);

  struct Candidate {
    int64_t id = 0;
    std::string display_name;
    double score = 0;
    double probability = 0;
    nlohmann::json explanation;
  };
  struct CheckResult {
    std::string entity;
    std::vector<Candidate> candidates;  // score >= the lower threshold, best first
    double threshold_upper = 0, threshold_lower = 0;
    bool probable() const { return !candidates.empty() && candidates.front().score >= threshold_upper; }
  };
  // Existing records (visible to actor) that the record (JSON input of a create) may duplicate.
  // exclude_id: the record itself when it exists already.
  CheckResult check(const domain::Actor& actor, const std::string& entity, const nlohmann::json& record,
                    size_t limit = 5, int64_t exclude_id = 0);

  // An incoming file against the base (`duplicates check --file`): its rows (record inputs as the
  // import reads them) are paired with the existing records visible to actor through the scan's
  // blocking (link only: rows are not paired with each other) and scored with the weights of the
  // last scan (Model::prior before any). Matches at or above the lower threshold, by line then
  // best score first; explanation "a" = the row's value, "b" = the candidate's.
  struct FileRow {
    int64_t line = 0;
    std::string external_id;
    nlohmann::json input;
  };
  struct FileMatch {
    int64_t line = 0;
    std::string external_id;
    int64_t candidate_id = 0;
    std::string candidate_external_id, candidate_name;
    double score = 0, probability = 0;
    bool probable = false;
    nlohmann::json explanation;
  };
  struct FileCheckResult {
    std::vector<FileMatch> matches;
    size_t rows = 0, base_records = 0, candidate_pairs = 0;
    double threshold_upper = 0, threshold_lower = 0;
    double seconds = 0;
  };
  FileCheckResult check_file(const domain::Actor& actor, const std::string& entity, const std::vector<FileRow>& rows,
                             int threads = 2);

  // Records the actor sees, compared two by two as the last scan would (the merge comparison):
  // [{a, b, score, probability, probable, reasons, explanation}] for each pair, a < b. Records not
  // visible are left out (the caller has checked access).
  nlohmann::json compare(const domain::Actor& actor, const std::string& entity, const std::vector<int64_t>& ids,
                         std::string_view lang = "fr");

 private:
  Model model_for(const Profile& profile, double& upper, double& lower);
  store::Database& db_;
};

// [{id, display_name, score, probability, probable, reasons, explanation}]; reasons in lang.
nlohmann::json candidates_json(const DuplicateService::CheckResult& r, std::string_view lang = "fr");

// An incoming file against the base (`gazelle duplicates check --file`, the import wizard's
// POST /api/v1/imports/duplicates): its rows read as the import reads them (mapping, cells;
// nothing written), the readable ones matched, the others named in `not_checked` (first 20).
// JSON: {entity, rows_checked, rows_not_checked, not_checked:[{line, column, message}],
// base_records, candidate_pairs, threshold_upper, threshold_lower, matches_total,
// matches:[{line, external_id, candidate_id, candidate_external_id, candidate_name, score,
// probability, probable, explanation}]} with at most max_matches matches (0: all).
nlohmann::json check_import_file(store::Database& db, const domain::Actor& actor, const std::string& entity,
                                 domain::RowSource& source, const domain::ImportOptions& options, int threads,
                                 size_t max_matches, std::string_view lang = "fr");

// The same check for an import run (domain::ImportFileRequest::duplicate_check): the rows that
// look like stored records other than the one their external_id names, each with its
// candidates in words ("very likely the same record as Jean Petit (same e-mail, same date of
// birth)", no score), and the queue that puts the pairs of the written rows into the review
// list.
domain::ImportDuplicates import_duplicate_warnings(store::Database& db, const domain::Actor& actor,
                                                   const std::string& entity, domain::RowSource& source,
                                                   const domain::ImportOptions& options);

}  // namespace gz::matching
