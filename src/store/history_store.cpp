#include "store/history_store.h"

#include <cstdint>

#include "core/clock.h"

namespace gz::store {

static json user_or_null(int64_t id) { return id > 0 ? json(id) : json(); }

void HistoryStore::append_audit(Connection& c, int64_t user_id, const std::string& entity, int64_t record_id,
                                const std::string& action, const json& changes) {
  append_audit_text(c, user_id, entity, record_id, action, changes.dump());
}

void HistoryStore::append_audit_text(Connection& c, int64_t user_id, const std::string& entity, int64_t record_id,
                                     const std::string& action, const std::string& changes_json) {
  c.execute("INSERT INTO audit_log (at, user_id, entity, record_id, action, changes) VALUES (?, ?, ?, ?, ?, ?)",
            {clock::now_utc(), user_or_null(user_id), entity, record_id, action, changes_json});
}

std::vector<json> HistoryStore::audit_trail(Connection& c, const std::string& entity, int64_t record_id, int limit,
                                            int64_t before_id) {
  auto rows = c.query(
      "SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.changes FROM audit_log a "
      "LEFT JOIN users u ON u.id = a.user_id WHERE a.entity = ? AND a.record_id = ? AND a.id < ? "
      "ORDER BY a.id DESC LIMIT ?",
      {entity, record_id, before_id > 0 ? before_id : INT64_MAX, limit});
  for (auto& r : rows) r["changes"] = json::parse(r["changes"].get<std::string>(), nullptr, false);
  return rows;
}

void HistoryStore::append_stage(Connection& c, const std::string& entity, int64_t record_id, const std::string& stage,
                                const json& reason, int64_t user_id) {
  c.execute("INSERT INTO stage_history (entity, record_id, stage, reason, changed_at, user_id) VALUES (?, ?, ?, ?, ?, ?)",
            {entity, record_id, stage, reason, clock::now_utc(), user_or_null(user_id)});
}

namespace {
const char* const kStageHistorySql =
    "SELECT stage, reason, changed_at, user_id FROM stage_history WHERE entity = ? AND record_id = ? ORDER BY id";
}

std::vector<json> HistoryStore::stage_history(Connection& c, const std::string& entity, int64_t record_id) {
  return c.query(kStageHistorySql, {entity, record_id});
}

BatchStatement HistoryStore::stage_history_statement(const std::string& entity, int64_t record_id, json& out) {
  out = json::array();
  return {kStageHistorySql, {entity, record_id}, [&out](const RowView& r) { out.push_back(row_object(r)); }};
}

void HistoryStore::add_share(Connection& c, const std::string& entity, int64_t record_id, int64_t user_id) {
  c.execute("INSERT INTO record_shares (entity, record_id, user_id, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            {entity, record_id, user_id, clock::now_utc()});
}

}  // namespace gz::store
