// SQL of duplicate detection (docs/duplicates.md): reading the records to match page by page,
// and the stored result of the last scan per entity (tables of migrations/*/007_matching.sql):
// duplicate_scans, duplicate_clusters, duplicate_members, duplicate_pairs, duplicate_dismissals.
// Stateless; the caller supplies the Connection (and so the transaction).
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernel/catalogue.h"
#include "store/database.h"
#include "store/record_store.h"

namespace gz::store {

class MatchingStore {
 public:
  // Up to limit records of e with id > after_id in id order (archived ones left out), as the API
  // shows them (JSON columns decoded), with only id, external_id and `columns`.
  static std::vector<json> page(Connection& c, const kernel::Entity& e, const std::vector<std::string>& columns,
                                int64_t after_id, int limit, const Scope& scope);
  // How many records page() goes through (the scan's progress).
  static int64_t count(Connection& c, const kernel::Entity& e, const Scope& scope);
  // Records of e by id (archived ones left out), same shape as page().
  static std::vector<json> by_ids(Connection& c, const kernel::Entity& e, const std::vector<std::string>& columns,
                                  const std::vector<int64_t>& ids, const Scope& scope);

  // Pairs (lower id first) a person declared distinct.
  static std::vector<std::pair<int64_t, int64_t>> dismissed_pairs(Connection& c, const std::string& entity);
  static void add_dismissal(Connection& c, const std::string& entity, int64_t a, int64_t b, int64_t user_id,
                            const std::string& now);

  // A new scan replaces the open (proposed, review) clusters of the entity; dismissed and merged
  // ones stay as history. Returns the scan id.
  static int64_t begin_scan(Connection& c, const std::string& entity, const json& summary, double seconds,
                            int64_t user_id, const std::string& now);
  // The entity's last scan, if any.
  static std::optional<int64_t> latest_scan_id(Connection& c, const std::string& entity);
  // A scan row for clusters queued by an import when the entity was never scanned (no records
  // counted, no model: later checks keep the prior weights); open clusters stay.
  static int64_t add_scan_record(Connection& c, const std::string& entity, int64_t user_id, const std::string& now);
  // Whether an open (proposed, review) cluster of the entity holds the pair (a < b).
  static bool open_pair_exists(Connection& c, const std::string& entity, int64_t a, int64_t b);
  static int64_t add_cluster(Connection& c, int64_t scan_id, const std::string& entity, const std::string& status,
                             int64_t size, double best_score, const std::string& now);
  static void add_member(Connection& c, int64_t cluster_id, int64_t record_id, double score);
  static void add_pair(Connection& c, int64_t cluster_id, int64_t a, int64_t b, double score, const json& explanation);

  // Clusters of the entity with a status ("" = proposed and review), strongest first, after a
  // (best_score, id) cursor.
  static std::vector<json> clusters(Connection& c, const std::string& entity, const std::string& status, int limit,
                                    std::optional<std::pair<double, int64_t>> after);
  static std::optional<json> cluster(Connection& c, int64_t id);
  static std::vector<json> members(Connection& c, int64_t cluster_id);
  static std::vector<json> pairs(Connection& c, int64_t cluster_id);
  static bool set_status(Connection& c, int64_t cluster_id, const std::string& status, int64_t user_id,
                         const std::string& now);
  // {model, threshold_upper, threshold_lower} of the entity's last scan, or nullopt.
  static std::optional<json> latest_model(Connection& c, const std::string& entity);
};

}  // namespace gz::store
