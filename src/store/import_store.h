// SQL of imports (migrations/*/005_imports.sql): saved column mappings and import runs with
// their checkpoint. Every function runs inside the caller's transaction. See docs/import.md.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace gz::store {

struct ImportMappingStore {
  // Rows {id, name, entity, mapping (parsed), created_by, created_at, updated_at}.
  static std::vector<json> list(Connection& c, const std::string& entity);  // "" = all entities
  static std::optional<json> find(Connection& c, int64_t id);
  static std::optional<json> find(Connection& c, const std::string& entity, const std::string& name);
  // Inserts, or replaces the mapping of the same entity and name; returns the id.
  static int64_t save(Connection& c, const std::string& entity, const std::string& name, const json& mapping,
                      std::optional<int64_t> user_id, const std::string& now);
  static bool update(Connection& c, int64_t id, const std::string& name, const json& mapping, const std::string& now);
  static bool remove(Connection& c, int64_t id);
};

struct ImportCounts {
  int64_t last_line = 0, rows = 0, bytes = 0;
  int64_t created = 0, updated = 0, unchanged = 0, rejected = 0, warnings = 0;
};

struct ImportRunStore {
  // Inserts a run (status running or queued) and returns its id.
  static int64_t create(Connection& c, const std::string& entity, const std::string& file_name,
                        const std::string& file_hash, int64_t file_bytes, const std::string& sheet,
                        const json& mapping, const std::string& status, std::optional<int64_t> user_id,
                        const std::string& rejects_path, const std::string& now);
  // The newest unfinished run (running, or failed by a crash) of this file, entity, sheet and mapping.
  static std::optional<json> find_resumable(Connection& c, const std::string& file_hash, const std::string& entity,
                                            const std::string& sheet, const json& mapping);
  static std::optional<json> find(Connection& c, int64_t id);
  static std::vector<json> list(Connection& c, int64_t limit);
  // The checkpoint, written in the transaction of the batch it follows.
  static void checkpoint(Connection& c, int64_t id, const ImportCounts& n, const std::string& now);
  // Progress of rows read but not yet committed (outside any batch; informative only).
  static void progress(Connection& c, int64_t id, int64_t rows, int64_t bytes, const std::string& now);
  static void set_total_bytes(Connection& c, int64_t id, int64_t bytes);
  static void set_status(Connection& c, int64_t id, const std::string& status, const std::string& now);
  static void finish(Connection& c, int64_t id, const std::string& status, const json& report,
                     const std::string& error, const std::string& now);
  static json to_json(const json& row);
  // Runs left running or queued whose last sign of life (updated_at, renewed by the running
  // import's heartbeat) is before `before`: their process died. Marked failed with `error`, so
  // that posting the same file again resumes them from their checkpoint. Runs held by a queued or
  // running import_run job (active key "import_run:<id>") are left to that job. Returns how many.
  static int64_t mark_interrupted(Connection& c, const std::string& before, const std::string& error,
                                  const std::string& now);
  // Renews updated_at of a running run (the heartbeat).
  static void touch(Connection& c, int64_t id, const std::string& now);
  // The latest finished run of this file into this entity, if any.
  static std::optional<json> find_done(Connection& c, const std::string& file_hash, const std::string& entity);
};

}  // namespace gz::store
