// SQL of merges (modules/duplicates/merge.h) and of archiving (modules/duplicates/purge.h): raw rows as stored (so that
// an undo puts back exactly what was there), the rows that point to a record and their move to
// another, the merge journal, the aliases of absorbed records, and the purge candidates.
// Table and column names come from the schema or from code, never from a request.
// Stateless; the caller's Connection (and transaction).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/record_store.h"

namespace gz::store {

struct MergeStore {
  // The row exactly as stored (JSON columns as text), or nullopt.
  static std::optional<json> raw_row(Connection& c, const std::string& table, int64_t id);
  // Inserts a row saved by raw_row, with its id.
  static void insert_raw_row(Connection& c, const std::string& table, const json& row);
  static void delete_row(Connection& c, const std::string& table, int64_t id);
  static void delete_ids(Connection& c, const std::string& table, const std::vector<int64_t>& ids);

  // Ids of the rows of table whose column equals id.
  static std::vector<int64_t> ids_pointing_to(Connection& c, const std::string& table, const std::string& column,
                                              int64_t id);
  // Sets column = to on the rows among ids whose column still equals from; returns how many moved.
  static int64_t repoint(Connection& c, const std::string& table, const std::string& column,
                         const std::vector<int64_t>& ids, int64_t from, int64_t to);
  // Same for the trails keyed by (entity, record id): stage_history, notifications.
  static std::vector<int64_t> trail_ids(Connection& c, const std::string& table, const std::string& entity_column,
                                        const std::string& id_column, const std::string& entity, int64_t id);
  static int64_t repoint_trail(Connection& c, const std::string& table, const std::string& id_column,
                               const std::vector<int64_t>& ids, int64_t from, int64_t to);

  // Shares of a record: user_id, created_at.
  static std::vector<json> shares(Connection& c, const std::string& entity, int64_t record_id);
  static void delete_share(Connection& c, const std::string& entity, int64_t record_id, int64_t user_id);
  // False when the user already had it.
  static bool insert_share(Connection& c, const std::string& entity, int64_t record_id, int64_t user_id,
                           const json& created_at);

  // The merge journal.
  static int64_t insert_merge(Connection& c, const std::string& entity, int64_t survivor_id, const json& absorbed_ids,
                              const json& rules, const json& journal, int64_t user_id, const std::string& at);
  static void update_journal(Connection& c, int64_t merge_id, const json& journal);
  // id, entity, survivor_id, absorbed_ids, rules, journal (decoded), user_id, user_name, merged_at,
  // undone_at, undone_by.
  static std::optional<json> merge(Connection& c, int64_t id);
  // Newest first, without the journal; entity "" = all; before_id 0 = from the newest.
  static std::vector<json> merges(Connection& c, const std::string& entity, int64_t before_id, int limit);
  static void mark_undone(Connection& c, int64_t merge_id, int64_t user_id, const std::string& at);

  static void add_alias(Connection& c, const std::string& entity, int64_t alias_id, const json& external_id,
                        int64_t survivor_id, int64_t merge_id);
  static void remove_aliases(Connection& c, int64_t merge_id);
  // The record an absorbed id now lives in, following merges of merges; nullopt when id is no alias.
  static std::optional<int64_t> resolve_alias(Connection& c, const std::string& entity, int64_t id);
  // The merge (not undone) that absorbed id, if any.
  static std::optional<int64_t> absorbing_merge(Connection& c, const std::string& entity, int64_t id);
};

struct PurgeStore {
  // Records of entity (contacts or accounts) that scope may see, not archived, matching reason:
  // "inactive" (no update, interaction or order since `since`), "closed" (lifecycle_stage
  // inactive), "bounced" (contacts: email_bounced_at set). Each row: the record's columns plus
  // last_interaction_at and last_order_at. Ordered by id, after after_id.
  static std::vector<json> candidates(Connection& c, const kernel::Entity& e, const std::string& reason,
                                      const std::string& since, const Scope& scope, int64_t after_id, int limit);
  // Sets archived_at (a time, or null to restore) and bumps the version; false when the row is absent.
  static bool set_archived(Connection& c, const std::string& table, int64_t id, const json& archived_at,
                           const std::string& now, int64_t user_id);
};

}  // namespace gz::store
