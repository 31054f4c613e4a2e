#include "store/import_store.h"

namespace gz::store {

namespace {

json mapping_row(json row) {
  if (row["mapping"].is_string()) row["mapping"] = json::parse(row["mapping"].get<std::string>(), nullptr, false);
  if (row["mapping"].is_discarded()) row["mapping"] = json::object();
  return row;
}

const char* kMappingCols = "SELECT id, name, entity, mapping, created_by, created_at, updated_at FROM import_mappings";

}  // namespace

std::vector<json> ImportMappingStore::list(Connection& c, const std::string& entity) {
  auto rows = entity.empty() ? c.query(std::string(kMappingCols) + " ORDER BY entity, name")
                             : c.query(std::string(kMappingCols) + " WHERE entity = ? ORDER BY name", {entity});
  for (auto& r : rows) r = mapping_row(std::move(r));
  return rows;
}

std::optional<json> ImportMappingStore::find(Connection& c, int64_t id) {
  json r = c.query_one(std::string(kMappingCols) + " WHERE id = ?", {id});
  if (r.is_null()) return std::nullopt;
  return mapping_row(std::move(r));
}

std::optional<json> ImportMappingStore::find(Connection& c, const std::string& entity, const std::string& name) {
  json r = c.query_one(std::string(kMappingCols) + " WHERE entity = ? AND name = ?", {entity, name});
  if (r.is_null()) return std::nullopt;
  return mapping_row(std::move(r));
}

int64_t ImportMappingStore::save(Connection& c, const std::string& entity, const std::string& name, const json& mapping,
                                 std::optional<int64_t> user_id, const std::string& now) {
  json old = c.query_one("SELECT id FROM import_mappings WHERE entity = ? AND name = ?", {entity, name});
  if (!old.is_null()) {
    c.execute("UPDATE import_mappings SET mapping = ?, updated_at = ? WHERE id = ?", {mapping.dump(), now, old["id"]});
    return old["id"].get<int64_t>();
  }
  return c.insert(
      "INSERT INTO import_mappings (name, entity, mapping, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      {name, entity, mapping.dump(), user_id ? json(*user_id) : json(), now, now});
}

bool ImportMappingStore::update(Connection& c, int64_t id, const std::string& name, const json& mapping,
                                const std::string& now) {
  return c.execute("UPDATE import_mappings SET name = ?, mapping = ?, updated_at = ? WHERE id = ?",
                   {name, mapping.dump(), now, id}) > 0;
}

bool ImportMappingStore::remove(Connection& c, int64_t id) {
  return c.execute("DELETE FROM import_mappings WHERE id = ?", {id}) > 0;
}

// ---------------------------------------------------------------------------------------------

int64_t ImportRunStore::create(Connection& c, const std::string& entity, const std::string& file_name,
                               const std::string& file_hash, int64_t file_bytes, const std::string& sheet,
                               const json& mapping, const std::string& status, std::optional<int64_t> user_id,
                               const std::string& rejects_path, const std::string& now) {
  return c.insert(
      "INSERT INTO import_runs (entity, file_name, file_hash, file_bytes, sheet, mapping, status, created_by, "
      "rejects_path, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {entity, file_name, file_hash, file_bytes, sheet, mapping.dump(), status, user_id ? json(*user_id) : json(),
       rejects_path.empty() ? json() : json(rejects_path), now, now});
}

std::optional<json> ImportRunStore::find_resumable(Connection& c, const std::string& file_hash,
                                                   const std::string& entity, const std::string& sheet,
                                                   const json& mapping) {
  json r = c.query_one(
      "SELECT * FROM import_runs WHERE file_hash = ? AND entity = ? AND COALESCE(sheet, '') = ? AND mapping = ? "
      "AND status IN ('running', 'failed') ORDER BY id DESC LIMIT 1",
      {file_hash, entity, sheet, mapping.dump()});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::optional<json> ImportRunStore::find(Connection& c, int64_t id) {
  json r = c.query_one("SELECT * FROM import_runs WHERE id = ?", {id});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::vector<json> ImportRunStore::list(Connection& c, int64_t limit) {
  return c.query("SELECT * FROM import_runs ORDER BY id DESC LIMIT ?", {limit});
}

void ImportRunStore::checkpoint(Connection& c, int64_t id, const ImportCounts& n, const std::string& now) {
  c.execute(
      "UPDATE import_runs SET last_line = ?, rows_done = ?, bytes_done = ?, created = ?, updated = ?, unchanged = ?, "
      "rejected = ?, warnings = ?, updated_at = ? WHERE id = ?",
      {n.last_line, n.rows, n.bytes, n.created, n.updated, n.unchanged, n.rejected, n.warnings, now, id});
}

void ImportRunStore::progress(Connection& c, int64_t id, int64_t rows, int64_t bytes, const std::string& now) {
  c.execute("UPDATE import_runs SET rows_done = ?, bytes_done = ?, updated_at = ? WHERE id = ?", {rows, bytes, now, id});
}

void ImportRunStore::set_total_bytes(Connection& c, int64_t id, int64_t bytes) {
  c.execute("UPDATE import_runs SET file_bytes = ? WHERE id = ?", {bytes, id});
}

void ImportRunStore::set_status(Connection& c, int64_t id, const std::string& status, const std::string& now) {
  c.execute("UPDATE import_runs SET status = ?, updated_at = ? WHERE id = ?", {status, now, id});
}

void ImportRunStore::finish(Connection& c, int64_t id, const std::string& status, const json& report,
                            const std::string& error, const std::string& now) {
  c.execute("UPDATE import_runs SET status = ?, report = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?",
            {status, report.dump(), error.empty() ? json() : json(error), now, now, id});
}

int64_t ImportRunStore::mark_interrupted(Connection& c, const std::string& before, const std::string& error,
                                         const std::string& now) {
  return c.execute(
      "UPDATE import_runs SET status = 'failed', error = ?, updated_at = ?, finished_at = ? "
      "WHERE status IN ('running', 'queued') AND updated_at < ? "
      // A run whose import_run job is still queued or running is not lost: a worker will take
      // it (again, after a dead worker's lease) and resume it from its checkpoint.
      "AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.active_key = 'import_run:' || CAST(import_runs.id AS TEXT) "
      "AND jobs.status IN ('queued', 'running'))",
      {error, now, now, before});
}

void ImportRunStore::touch(Connection& c, int64_t id, const std::string& now) {
  c.execute("UPDATE import_runs SET updated_at = ? WHERE id = ? AND status = 'running'", {now, id});
}

std::optional<json> ImportRunStore::find_done(Connection& c, const std::string& file_hash, const std::string& entity) {
  json r = c.query_one("SELECT * FROM import_runs WHERE file_hash = ? AND entity = ? AND status = 'done' "
                       "ORDER BY id DESC LIMIT 1",
                       {file_hash, entity});
  if (r.is_null()) return std::nullopt;
  return r;
}

json ImportRunStore::to_json(const json& row) {
  json out = row;
  out.erase("file_hash");
  out.erase("rejects_path");
  for (const char* k : {"mapping", "report"}) {
    if (out.contains(k) && out[k].is_string()) {
      json v = json::parse(out[k].get<std::string>(), nullptr, false);
      out[k] = v.is_discarded() ? json::object() : v;
    }
  }
  out["has_rejects"] = row.value("rejected", int64_t(0)) > 0;
  return out;
}

}  // namespace gz::store
