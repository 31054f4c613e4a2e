// The query planner's statistics kept current (issue 16): without them SQLite picks indexes by
// their shape alone (bench/README.md, "Query plan fix"), and plans made on a small base can stay
// wrong as it grows. Three moments refresh them:
//   - at start (SqliteDatabase): PRAGMA optimize=0x10002, as SQLite's documentation recommends for
//     a connection opened once and kept; and when a large base (≥ 64 MB) has never been analysed,
//     the bounded ANALYZE below;
//   - every hour (the `database_statistics` job, domain/jobs.cpp): refresh_statistics;
//   - after a bulk write (an import of 10,000 rows or more, the demo company): analyze_after_bulk_write.
// On SQLite ANALYZE runs with `PRAGMA analysis_limit` (each index sampled, not read through), so
// that it takes milliseconds to a second even at a million contacts; on PostgreSQL autovacuum
// keeps statistics in the long run and ANALYZE follows bulk writes at once.
#pragma once
#include <nlohmann/json.hpp>

#include "store/database.h"

namespace gz::store {

// Rows sampled per index by a bounded SQLite ANALYZE.
inline constexpr int kAnalysisLimit = 1000;
// SQLite bases below this size are planned well without statistics; none is computed for them.
inline constexpr int64_t kAnalyzeFromBytes = 64ll << 20;

// The size of a database file in bytes (0 when it cannot be read): what sizes the statistics
// and the optional memory map.
int64_t file_bytes(const std::string& path);

// SQLite: ANALYZE bounded by analysis_limit; PostgreSQL: ANALYZE. Returns the seconds it took.
double analyze_after_bulk_write(Database& db);
// The periodic refresh: SQLite PRAGMA optimize, then the bounded ANALYZE for a base of
// kAnalyzeFromBytes or more; PostgreSQL: nothing (autovacuum). Returns {analyzed, seconds}.
nlohmann::json refresh_statistics(Database& db);

}  // namespace gz::store
