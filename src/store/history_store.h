// SQL of the trails kept beside the records: audit log, lifecycle-stage history, shares.
// Stateless; the caller's Connection.
#pragma once
#include <string>
#include <vector>

#include "store/database.h"
#include "store/row_stream.h"

namespace gz::store {

struct HistoryStore {
  static void append_audit(Connection& c, int64_t user_id, const std::string& entity, int64_t record_id,
                           const std::string& action, const json& changes);
  // The same with the changes already serialised as JSON text.
  static void append_audit_text(Connection& c, int64_t user_id, const std::string& entity, int64_t record_id,
                                const std::string& action, const std::string& changes_json);
  // Newest first; before_id > 0: only the entries older than that one (keyset pagination).
  static std::vector<json> audit_trail(Connection& c, const std::string& entity, int64_t record_id, int limit,
                                       int64_t before_id = 0);

  static void append_stage(Connection& c, const std::string& entity, int64_t record_id, const std::string& stage,
                           const json& reason, int64_t user_id);
  static std::vector<json> stage_history(Connection& c, const std::string& entity, int64_t record_id);
  // The same, as a statement of a batch (store::stream_batch), appended to out.
  static BatchStatement stage_history_statement(const std::string& entity, int64_t record_id, json& out);

  static void add_share(Connection& c, const std::string& entity, int64_t record_id, int64_t user_id);
};

}  // namespace gz::store
