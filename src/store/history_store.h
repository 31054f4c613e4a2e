// SQL of the trails kept beside the records: audit log, lifecycle-stage history, shares, order
// lines, and the aggregates of a customer's purchases. Stateless; the caller's Connection.
#pragma once
#include <string>
#include <vector>

#include "store/database.h"

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

  static void add_share(Connection& c, const std::string& entity, int64_t record_id, int64_t user_id);
};

struct OrderLineStore {
  static std::optional<json> product(Connection& c, int64_t id);
  static std::optional<int64_t> product_id_by_sku(Connection& c, const std::string& sku);
};

struct CustomerStore {
  // Revenue to date (orders not cancelled or returned), order count, first and last purchase,
  // for column = "contact_id" or "account_id".
  static json value_figures(Connection& c, const std::string& column, int64_t id);
  static std::optional<std::string> account_name(Connection& c, int64_t account_id);
  static std::vector<int64_t> contact_ids_of_account(Connection& c, int64_t account_id);
  static std::optional<json> user_brief(Connection& c, int64_t user_id);  // id, name, role, team_id, active
};

}  // namespace gz::store
