#include "store/statistics.h"

#include <sys/stat.h>

#include <chrono>

namespace gz::store {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void bounded_analyze(Connection& c) {
  c.execute_script("PRAGMA analysis_limit=" + std::to_string(kAnalysisLimit) + "; ANALYZE;");
}

}  // namespace

int64_t file_bytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? int64_t(st.st_size) : 0;
}

double analyze_after_bulk_write(Database& db) {
  auto t0 = std::chrono::steady_clock::now();
  const bool sqlite = db.dialect().name() == "sqlite";
  with_transaction(db, true, [&](Connection& c) {
    if (sqlite) bounded_analyze(c);
    else c.execute_script("ANALYZE");
    return 0;
  });
  return seconds_since(t0);
}

nlohmann::json refresh_statistics(Database& db) {
  auto t0 = std::chrono::steady_clock::now();
  if (db.dialect().name() != "sqlite") return {{"analyzed", false}, {"seconds", 0}};
  const bool large = file_bytes(db.location()) >= kAnalyzeFromBytes;
  with_transaction(db, true, [&](Connection& c) {
    c.execute_script("PRAGMA analysis_limit=" + std::to_string(kAnalysisLimit) + "; PRAGMA optimize;");
    if (large) bounded_analyze(c);
    return 0;
  });
  return {{"analyzed", large}, {"seconds", seconds_since(t0)}};
}

}  // namespace gz::store
