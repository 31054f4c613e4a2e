#include "store/matching_store.h"

namespace gz::store {

namespace {

std::string select_list(const std::vector<std::string>& columns) {
  std::string s = "t.id, t.external_id";
  for (const auto& c : columns) s += ", t." + c;  // column names come from the schema, never a request
  return s;
}

}  // namespace

std::vector<json> MatchingStore::page(Connection& c, const kernel::Entity& e, const std::vector<std::string>& columns,
                                      int64_t after_id, int limit, const Scope& scope) {
  Params params{after_id};
  std::string vis = RecordStore::visibility_sql(e, "t", scope, params);
  params.push_back(limit);
  auto rows = c.query("SELECT " + select_list(columns) + " FROM " + e.name + " t WHERE t.id > ? AND t.archived_at IS NULL" +
                          (vis.empty() ? "" : " AND " + vis) + " ORDER BY t.id LIMIT ?",
                      params);
  for (auto& r : rows) r = RecordStore::to_record(e, std::move(r));
  return rows;
}

int64_t MatchingStore::count(Connection& c, const kernel::Entity& e, const Scope& scope) {
  Params params;
  std::string vis = RecordStore::visibility_sql(e, "t", scope, params);
  return c.query_one("SELECT COUNT(*) AS n FROM " + e.name + " t WHERE t.archived_at IS NULL" + (vis.empty() ? "" : " AND " + vis),
                     params)["n"]
      .get<int64_t>();
}

std::vector<json> MatchingStore::by_ids(Connection& c, const kernel::Entity& e, const std::vector<std::string>& columns,
                                        const std::vector<int64_t>& ids, const Scope& scope) {
  std::vector<json> out;
  for (size_t start = 0; start < ids.size(); start += 200) {
    Params params;
    std::string in;
    for (size_t i = start; i < ids.size() && i < start + 200; ++i) {
      in += in.empty() ? "?" : ", ?";
      params.push_back(ids[i]);
    }
    std::string vis = RecordStore::visibility_sql(e, "t", scope, params);
    auto rows = c.query("SELECT " + select_list(columns) + " FROM " + e.name + " t WHERE t.id IN (" + in +
                            ") AND t.archived_at IS NULL" + (vis.empty() ? "" : " AND " + vis) + " ORDER BY t.id",
                        params);
    for (auto& r : rows) out.push_back(RecordStore::to_record(e, std::move(r)));
  }
  return out;
}

std::vector<std::pair<int64_t, int64_t>> MatchingStore::dismissed_pairs(Connection& c, const std::string& entity) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& r : c.query("SELECT record_a, record_b FROM duplicate_dismissals WHERE entity = ?", {entity}))
    out.emplace_back(r["record_a"].get<int64_t>(), r["record_b"].get<int64_t>());
  return out;
}

void MatchingStore::add_dismissal(Connection& c, const std::string& entity, int64_t a, int64_t b, int64_t user_id,
                                  const std::string& now) {
  if (a > b) std::swap(a, b);
  c.execute("DELETE FROM duplicate_dismissals WHERE entity = ? AND record_a = ? AND record_b = ?", {entity, a, b});
  c.execute("INSERT INTO duplicate_dismissals (entity, record_a, record_b, user_id, dismissed_at) VALUES (?, ?, ?, ?, ?)",
            {entity, a, b, user_id > 0 ? json(user_id) : json(), now});
}

int64_t MatchingStore::begin_scan(Connection& c, const std::string& entity, const json& summary, double seconds,
                                  int64_t user_id, const std::string& now) {
  c.execute("DELETE FROM duplicate_clusters WHERE entity = ? AND status IN ('proposed', 'review')", {entity});
  return c.insert(
      "INSERT INTO duplicate_scans (entity, records, candidate_pairs, clusters, threshold_upper, threshold_lower, "
      "model, seconds, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {entity, summary.value("records", 0), summary.value("candidate_pairs", 0), summary.value("clusters", 0),
       summary.value("threshold_upper", 0.0), summary.value("threshold_lower", 0.0),
       summary.value("model", json::object()).dump(), seconds, user_id > 0 ? json(user_id) : json(), now});
}

std::optional<int64_t> MatchingStore::latest_scan_id(Connection& c, const std::string& entity) {
  json row = c.query_one("SELECT id FROM duplicate_scans WHERE entity = ? ORDER BY id DESC LIMIT 1", {entity});
  if (row.is_null()) return std::nullopt;
  return row["id"].get<int64_t>();
}

int64_t MatchingStore::add_scan_record(Connection& c, const std::string& entity, int64_t user_id, const std::string& now) {
  return c.insert(
      "INSERT INTO duplicate_scans (entity, records, candidate_pairs, clusters, threshold_upper, threshold_lower, "
      "model, seconds, user_id, created_at) VALUES (?, 0, 0, 0, 0, 0, '{}', 0, ?, ?)",
      {entity, user_id > 0 ? json(user_id) : json(), now});
}

bool MatchingStore::open_pair_exists(Connection& c, const std::string& entity, int64_t a, int64_t b) {
  json row = c.query_one(
      "SELECT 1 AS found FROM duplicate_pairs p JOIN duplicate_clusters cl ON cl.id = p.cluster_id "
      "WHERE cl.entity = ? AND cl.status IN ('proposed', 'review') AND p.record_a = ? AND p.record_b = ?",
      {entity, a, b});
  return !row.is_null();
}

int64_t MatchingStore::add_cluster(Connection& c, int64_t scan_id, const std::string& entity, const std::string& status,
                                   int64_t size, double best_score, const std::string& now) {
  return c.insert(
      "INSERT INTO duplicate_clusters (scan_id, entity, status, size, best_score, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {scan_id, entity, status, size, best_score, now});
}

void MatchingStore::add_member(Connection& c, int64_t cluster_id, int64_t record_id, double score) {
  c.execute("INSERT INTO duplicate_members (cluster_id, record_id, score) VALUES (?, ?, ?)", {cluster_id, record_id, score});
}

void MatchingStore::add_pair(Connection& c, int64_t cluster_id, int64_t a, int64_t b, double score, const json& explanation) {
  c.execute("INSERT INTO duplicate_pairs (cluster_id, record_a, record_b, score, explanation) VALUES (?, ?, ?, ?, ?)",
            {cluster_id, a, b, score, explanation.dump()});
}

std::vector<json> MatchingStore::clusters(Connection& c, const std::string& entity, const std::string& status, int limit,
                                          std::optional<std::pair<double, int64_t>> after) {
  Params params{entity};
  std::string sql = "SELECT id, scan_id, entity, status, size, best_score, created_at, decided_at, decided_by "
                    "FROM duplicate_clusters WHERE entity = ?";
  if (status.empty()) sql += " AND status IN ('proposed', 'review')";
  else {
    sql += " AND status = ?";
    params.push_back(status);
  }
  if (after) {
    sql += " AND (best_score < ? OR (best_score = ? AND id > ?))";
    params.push_back(after->first);
    params.push_back(after->first);
    params.push_back(after->second);
  }
  sql += " ORDER BY best_score DESC, id LIMIT ?";
  params.push_back(limit);
  return c.query(sql, params);
}

std::optional<json> MatchingStore::cluster(Connection& c, int64_t id) {
  json row = c.query_one(
      "SELECT id, scan_id, entity, status, size, best_score, created_at, decided_at, decided_by "
      "FROM duplicate_clusters WHERE id = ?",
      {id});
  if (row.is_null()) return std::nullopt;
  return row;
}

std::vector<json> MatchingStore::members(Connection& c, int64_t cluster_id) {
  return c.query("SELECT record_id, score FROM duplicate_members WHERE cluster_id = ? ORDER BY record_id", {cluster_id});
}

std::vector<json> MatchingStore::pairs(Connection& c, int64_t cluster_id) {
  auto rows = c.query(
      "SELECT record_a, record_b, score, explanation FROM duplicate_pairs WHERE cluster_id = ? "
      "ORDER BY score DESC, record_a, record_b",
      {cluster_id});
  for (auto& r : rows) r["explanation"] = json::parse(r["explanation"].get<std::string>(), nullptr, false);
  return rows;
}

bool MatchingStore::set_status(Connection& c, int64_t cluster_id, const std::string& status, int64_t user_id,
                               const std::string& now) {
  return c.execute("UPDATE duplicate_clusters SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?",
                   {status, now, user_id > 0 ? json(user_id) : json(), cluster_id}) > 0;
}

std::optional<json> MatchingStore::latest_model(Connection& c, const std::string& entity) {
  json row = c.query_one(
      "SELECT model, threshold_upper, threshold_lower FROM duplicate_scans WHERE entity = ? ORDER BY id DESC LIMIT 1",
      {entity});
  if (row.is_null()) return std::nullopt;
  json m = json::parse(row["model"].get<std::string>(), nullptr, false);
  if (m.is_discarded() || !m.is_object() || !m.contains("fields")) return std::nullopt;
  return json{{"model", m}, {"threshold_upper", row["threshold_upper"]}, {"threshold_lower", row["threshold_lower"]}};
}

}  // namespace gz::store
