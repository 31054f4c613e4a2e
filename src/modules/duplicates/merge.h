// Merge of duplicate records (contacts, accounts, households) and its undo.
//
// A merge keeps one record, the survivor, and absorbs the others: each field of the survivor
// takes the value chosen by a rule (the survivor's own, the most recent, the most complete, or
// the value of one named record); every row pointing to an absorbed record (interactions,
// orders, tasks, people of an account or household, referrals, stage history, notifications,
// shares) is moved to the survivor; the absorbed rows are deleted and their ids and external ids
// become aliases of the survivor, so that old links and re-imports still resolve. A journal
// keeps the absorbed rows as stored, the ids of every row moved and the survivor's previous
// values: undo puts all of it back. Each operation is one transaction.
// Thread-safe: holds only the Database and the RecordService, which are.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/access.h"
#include "domain/records.h"
#include "domain/schema.h"

namespace gz::domain {

// The entities that can be merged and archived.
bool mergeable(const Entity& e);

struct MergeRequest {
  int64_t survivor_id = 0;
  std::vector<int64_t> absorbed_ids;
  // Field name -> "survivor" | "most_recent" | "most_complete" | a record id (as a number).
  std::map<std::string, json> fields;
  std::string default_rule = "most_complete";

  // Reads {survivor_id, absorbed_ids, fields, default_rule}; a Problem names the wrong member.
  static MergeRequest from_json(const Entity& e, const json& body);
};

class MergeService {
 public:
  MergeService(store::Database& db, RecordService& records) : db_(db), records_(records) {}

  // Returns {merge_id, record (the survivor as now stored), moved: {table.column: n}}.
  json merge(const Actor& actor, const Entity& e, const MergeRequest& r);
  // Returns {merge_id, record, restored_ids, moved_back, kept: [fields changed since the merge]}.
  json undo(const Actor& actor, int64_t merge_id);
  // Merges newest first (entity "" = all) whose survivor the actor may see, or that the actor made.
  std::vector<json> history(const Actor& actor, const std::string& entity, int64_t before_id, int limit);
  std::optional<json> get(const Actor& actor, int64_t merge_id);
  // Side by side: {entity, ids, records, fields: [{name, kind, values, differs, most_recent, most_complete}]}.
  json compare(const Actor& actor, const Entity& e, const std::vector<int64_t>& ids);
  // Where an absorbed id lives now (nullopt when it was never absorbed).
  std::optional<int64_t> resolve(const Entity& e, int64_t id);

 private:
  store::Database& db_;
  RecordService& records_;
};

}  // namespace gz::domain
