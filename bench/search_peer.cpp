// The peer of bench/search_latency.sh: the same search texts, read into an FTS5 expression by
// Gazelle's own parser (domain::parse_search_query, the SQLite dialect), run as the first page's
// SQL of the contact list on raw SQLite prepared statements — no HTTP, no JSON, no access checks.
//
//   search_peer DB QUERIES_FILE [SLOWEST]
//
// QUERIES_FILE: "class<TAB>text" per line (bench/search_latency.mjs writes it). Prints per class
// the p50/p90/p99/max in ms, then the SLOWEST texts (default 0) with their time.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "domain/search_text.h"
#include "store/sqlite/sqlite_database.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DB QUERIES_FILE [SLOWEST]\n", argv[0]);
    return 2;
  }
  const int slowest = argc > 3 ? std::atoi(argv[3]) : 0;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  // The server's connection settings (src/store/sqlite/sqlite_database.cpp).
  sqlite3_exec(db, "PRAGMA cache_size=-4000; PRAGMA temp_store=MEMORY;", nullptr, nullptr, nullptr);
  // The SQL of GET /api/v1/contacts?q=… for an admin (src/store/record_store.cpp, list_sql).
  const char* sql =
      "SELECT t.* FROM contacts_search s JOIN contacts t ON t.id = s.rowid WHERE s.contacts_search MATCH ? "
      "AND t.archived_at IS NULL ORDER BY s.rowid DESC LIMIT 51";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  std::ifstream f(argv[2]);
  std::string line;
  std::map<std::string, std::vector<double>> times;
  std::vector<std::string> order;
  std::vector<std::tuple<double, std::string, std::string>> all;
  while (std::getline(f, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string cls = line.substr(0, tab), text = line.substr(tab + 1);
    auto groups = gz::domain::parse_search_query(text);
    if (groups.empty()) groups = {{"\x01"}};
    std::string expr = gz::store::sqlite::SqliteDialect::instance().search_expression(groups);
    auto t0 = std::chrono::steady_clock::now();
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, expr.data(), int(expr.size()), SQLITE_TRANSIENT);
    size_t bytes = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
      for (int c = 0, n = sqlite3_column_count(st); c < n; ++c)
        if (sqlite3_column_text(st, c)) bytes += size_t(sqlite3_column_bytes(st, c));
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!times.count(cls)) order.push_back(cls);
    times[cls].push_back(ms);
    all.emplace_back(ms, cls, text);
  }
  auto pct = [](const std::vector<double>& a, double p) { return a[std::min(a.size() - 1, size_t(p / 100 * a.size()))]; };
  std::printf("| class | queries | raw p50 ms | raw p90 ms | raw p99 ms | raw max ms |\n|---|---:|---:|---:|---:|---:|\n");
  for (const auto& c : order) {
    auto& a = times[c];
    std::sort(a.begin(), a.end());
    std::printf("| %s | %zu | %.2f | %.2f | %.2f | %.2f |\n", c.c_str(), a.size(), pct(a, 50), pct(a, 90), pct(a, 99),
                a.back());
  }
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return std::get<0>(x) > std::get<0>(y); });
  for (int i = 0; i < slowest && i < int(all.size()); ++i)
    std::printf("slow %.2f ms %s: %s\n", std::get<0>(all[size_t(i)]), std::get<1>(all[size_t(i)]).c_str(),
                std::get<2>(all[size_t(i)]).c_str());
  sqlite3_finalize(st);
  sqlite3_close(db);
}
