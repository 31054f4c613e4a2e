#include "store/job_store.h"

#include <algorithm>

namespace gz::store {

const std::vector<std::string> kJobStatuses = {"queued", "running", "done", "failed", "dead"};

namespace {

std::string text(const json& row, const char* col) {
  auto it = row.find(col);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json or_null(const std::string& s) { return s.empty() ? json() : json(s); }

// A JSON text column: null when NULL or unreadable.
json json_column(const json& row, const char* col) {
  std::string t = text(row, col);
  if (t.empty()) return json();
  json j = json::parse(t, nullptr, false);
  return j.is_discarded() ? json() : j;
}

json text_or_null(const json& j) { return j.is_null() ? json() : json(j.dump(-1, ' ', false, json::error_handler_t::replace)); }

// " AND kind IN (?, ?)" with its parameters, or "" for every kind.
std::string kinds_clause(const std::vector<std::string>& kinds, Params& p) {
  if (kinds.empty()) return "";
  std::string sql = " AND kind IN (";
  for (size_t i = 0; i < kinds.size(); ++i) {
    sql += i ? ", ?" : "?";
    p.push_back(kinds[i]);
  }
  return sql + ")";
}

}  // namespace

Job Job::from_row(const json& row) {
  Job j;
  j.id = row.at("id").get<int64_t>();
  j.kind = text(row, "kind");
  j.payload = json::parse(text(row, "payload"), nullptr, false);
  if (j.payload.is_discarded()) j.payload = json::object();
  j.status = text(row, "status");
  j.run_at = text(row, "run_at");
  j.attempts = row.value("attempts", int64_t(0));
  j.max_attempts = row.value("max_attempts", int64_t(0));
  j.locked_by = text(row, "locked_by");
  j.locked_until = text(row, "locked_until");
  j.last_error = text(row, "last_error");
  j.created_at = text(row, "created_at");
  j.updated_at = text(row, "updated_at");
  j.finished_at = text(row, "finished_at");
  j.unique_key = text(row, "unique_key");
  auto by = row.find("created_by");
  j.created_by = by != row.end() && by->is_number_integer() ? by->get<int64_t>() : 0;
  j.progress = json_column(row, "progress");
  j.result = json_column(row, "result");
  j.active_key = text(row, "active_key");
  return j;
}

json Job::to_json() const {
  return {{"id", id},
          {"kind", kind},
          {"payload", payload},
          {"status", status},
          {"run_at", run_at},
          {"attempts", attempts},
          {"max_attempts", max_attempts},
          {"locked_by", or_null(locked_by)},
          {"locked_until", or_null(locked_until)},
          {"last_error", or_null(last_error)},
          {"created_at", created_at},
          {"updated_at", updated_at},
          {"finished_at", or_null(finished_at)},
          {"unique_key", or_null(unique_key)},
          {"created_by", created_by > 0 ? json(created_by) : json()},
          {"progress", progress},
          {"result", result},
          {"active_key", or_null(active_key)}};
}

std::optional<int64_t> JobStore::enqueue(Connection& c, const std::string& kind, const json& payload,
                                         const std::string& run_at, int64_t max_attempts,
                                         const std::optional<std::string>& unique_key, const std::string& now,
                                         const std::optional<std::string>& active_key, int64_t created_by) {
  // RETURNING works on both backends (SQLite ≥ 3.35) and returns no row when a key was taken.
  // No conflict target: both unique_key and the partial index jobs_active_key (009) apply.
  auto rows = c.query(
      "INSERT INTO jobs (kind, payload, status, run_at, attempts, max_attempts, created_at, updated_at, unique_key, "
      "active_key, created_by) VALUES (?, ?, 'queued', ?, 0, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
      {kind, payload.dump(), run_at, max_attempts, now, now, unique_key ? json(*unique_key) : json(),
       active_key ? json(*active_key) : json(), created_by > 0 ? json(created_by) : json()});
  if (rows.empty()) return std::nullopt;
  return rows[0]["id"].get<int64_t>();
}

std::vector<Job> JobStore::claim(Connection& c, const std::string& worker, const std::vector<std::string>& kinds,
                                 int64_t n, const std::string& now, const std::string& lease_until) {
  Params p{now};
  std::string kinds_sql = kinds_clause(kinds, p);
  p.push_back(n);
  p.push_back(worker);
  p.push_back(lease_until);
  p.push_back(now);
  // One statement: pick the due rows (PostgreSQL: locking them, skipping rows a concurrent
  // claimer holds), mark them running, return them.
  auto rows = c.query("WITH due AS (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ?" + kinds_sql +
                          " ORDER BY run_at, id LIMIT ?" + c.dialect().skip_locked() +
                          ") UPDATE jobs SET status = 'running', locked_by = ?, locked_until = ?, updated_at = ?, progress = NULL "
                          "WHERE id IN (SELECT id FROM due) RETURNING *",
                      p);
  std::vector<Job> jobs;
  jobs.reserve(rows.size());
  for (const auto& r : rows) jobs.push_back(Job::from_row(r));
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.run_at != b.run_at ? a.run_at < b.run_at : a.id < b.id;
  });
  return jobs;
}

bool JobStore::has_due(Connection& c, const std::vector<std::string>& kinds, const std::string& now) {
  Params p{now};
  std::string kinds_sql = kinds_clause(kinds, p);
  return !c.query_one("SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ?" + kinds_sql + " LIMIT 1", p).is_null();
}

bool JobStore::has_expired_lease(Connection& c, const std::string& now) {
  return !c.query_one("SELECT id FROM jobs WHERE status = 'running' AND locked_until < ? LIMIT 1", {now}).is_null();
}

std::optional<Job> JobStore::find_active(Connection& c, const std::string& active_key) {
  auto row = c.query_one("SELECT * FROM jobs WHERE active_key = ? AND status IN ('queued', 'running') LIMIT 1", {active_key});
  if (row.is_null()) return std::nullopt;
  return Job::from_row(row);
}

bool JobStore::complete(Connection& c, int64_t id, const std::string& worker, const std::string& now,
                        const json& result) {
  return c.execute(
             "UPDATE jobs SET status = 'done', finished_at = ?, updated_at = ?, locked_by = NULL, locked_until = NULL, "
             "result = ? WHERE id = ? AND status = 'running' AND locked_by = ?",
             {now, now, text_or_null(result), id, worker}) == 1;
}

bool JobStore::set_progress(Connection& c, int64_t id, const std::string& worker, const json& progress,
                            const std::string& now) {
  return c.execute("UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ? AND status = 'running' AND locked_by = ?",
                   {text_or_null(progress), now, id, worker}) == 1;
}

std::optional<std::string> JobStore::fail(Connection& c, int64_t id, const std::string& worker, const std::string& error,
                                          const std::string& retry_at, bool permanent, const std::string& now) {
  // Every right-hand side sees the row as it was, so "attempts + 1" is the attempt just spent.
  auto rows = c.query(
      "UPDATE jobs SET attempts = attempts + 1, last_error = ?, locked_by = NULL, locked_until = NULL, updated_at = ?, "
      "status = CASE WHEN ? = 1 THEN 'failed' WHEN attempts + 1 >= max_attempts THEN 'dead' ELSE 'queued' END, "
      "run_at = CASE WHEN ? = 1 OR attempts + 1 >= max_attempts THEN run_at ELSE CAST(? AS TEXT) END, "
      "finished_at = CASE WHEN ? = 1 OR attempts + 1 >= max_attempts THEN CAST(? AS TEXT) ELSE NULL END "
      "WHERE id = ? AND status = 'running' AND locked_by = ? RETURNING status",
      {error, now, permanent ? 1 : 0, permanent ? 1 : 0, retry_at, permanent ? 1 : 0, now, id, worker});
  if (rows.empty()) return std::nullopt;
  return rows[0]["status"].get<std::string>();
}

bool JobStore::extend_lease(Connection& c, int64_t id, const std::string& worker, const std::string& lease_until,
                            const std::string& now) {
  return c.execute("UPDATE jobs SET locked_until = ?, updated_at = ? WHERE id = ? AND status = 'running' AND locked_by = ?",
                   {lease_until, now, id, worker}) == 1;
}

int64_t JobStore::requeue_expired(Connection& c, const std::string& now) {
  return c.execute(
      "UPDATE jobs SET attempts = attempts + 1, "
      "last_error = 'lease expired: worker ' || COALESCE(locked_by, '?') || ' stopped before finishing', "
      "status = CASE WHEN attempts + 1 >= max_attempts THEN 'dead' ELSE 'queued' END, "
      "finished_at = CASE WHEN attempts + 1 >= max_attempts THEN CAST(? AS TEXT) ELSE NULL END, "
      "run_at = CASE WHEN attempts + 1 >= max_attempts THEN run_at ELSE CAST(? AS TEXT) END, "
      "locked_by = NULL, locked_until = NULL, updated_at = ? "
      "WHERE status = 'running' AND locked_until < ?",
      {now, now, now, now});
}

std::map<std::string, int64_t> JobStore::depth(Connection& c) {
  std::map<std::string, int64_t> out;
  for (const auto& s : kJobStatuses) out[s] = 0;
  for (const auto& r : c.query("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status"))
    out[r["status"].get<std::string>()] = r["n"].get<int64_t>();
  return out;
}

std::vector<Job> JobStore::list(Connection& c, const std::string& status, int64_t limit, int64_t before_id) {
  std::string sql = "SELECT * FROM jobs WHERE 1 = 1";
  Params p;
  if (!status.empty()) {
    sql += " AND status = ?";
    p.push_back(status);
  }
  if (before_id > 0) {
    sql += " AND id < ?";
    p.push_back(before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.push_back(limit);
  std::vector<Job> jobs;
  for (const auto& r : c.query(sql, p)) jobs.push_back(Job::from_row(r));
  return jobs;
}

std::optional<Job> JobStore::find(Connection& c, int64_t id) {
  auto row = c.query_one("SELECT * FROM jobs WHERE id = ?", {id});
  if (row.is_null()) return std::nullopt;
  return Job::from_row(row);
}

bool JobStore::retry(Connection& c, int64_t id, const std::string& now) {
  return c.execute(
             "UPDATE jobs SET status = 'queued', run_at = ?, attempts = 0, locked_by = NULL, locked_until = NULL, "
             "finished_at = NULL, updated_at = ? WHERE id = ? AND status IN ('queued', 'failed', 'dead') "
             "AND (active_key IS NULL OR NOT EXISTS (SELECT 1 FROM jobs o WHERE o.active_key = jobs.active_key "
             "AND o.status IN ('queued', 'running') AND o.id <> jobs.id))",
             {now, now, id}) == 1;
}

int64_t JobStore::purge_done(Connection& c, const std::string& before) {
  return c.execute("DELETE FROM jobs WHERE status = 'done' AND finished_at < ?", {before});
}

}  // namespace gz::store
