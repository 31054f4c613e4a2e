// The peer of bench/search_latency.sh: the same search texts, read by Gazelle's own parser
// (domain::parse_search_query) into the statement of the contact list's first page for an admin
// (store::RecordStore::list_statement, newest first, archived excluded), run on raw SQLite
// prepared statements — no HTTP, no JSON, no access checks, no pool.
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
#include "kernel/catalogue.h"
#include "store/database.h"
#include "store/record_store.h"

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
  // Gazelle's store builds the statement (and its word estimates) on a connection of its own.
  auto gdb = gz::store::Database::open(argv[1]);
  auto lease = gdb->acquire();
  const gz::kernel::Entity& contacts = *gz::kernel::find_entity("contacts");
  std::map<std::string, sqlite3_stmt*> statements;
  std::ifstream f(argv[2]);
  std::string line;
  std::map<std::string, std::vector<double>> times;
  std::vector<std::string> order;
  std::vector<std::tuple<double, std::string, std::string>> all;
  while (std::getline(f, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string cls = line.substr(0, tab), text = line.substr(tab + 1);
    auto t0 = std::chrono::steady_clock::now();  // the statement's word estimates count (cached after)
    gz::store::ListQuery q;
    q.search = gz::domain::parse_search_query(text);
    if (q.search.empty()) q.search = {{"\x01"}};
    q.sort_column = "id";
    q.descending = true;
    q.limit = 51;
    q.conditions.push_back({"archived_at", "is null", nullptr});
    gz::store::Params params;
    const std::string sql = gz::store::RecordStore::list_statement(*lease, contacts, q, gz::store::Scope{}, params);
    sqlite3_stmt*& st = statements[sql];
    if (!st && sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "prepare: %s\n%s\n", sqlite3_errmsg(db), sql.c_str());
      return 1;
    }
    sqlite3_reset(st);
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i];
      if (v.is_number_integer()) sqlite3_bind_int64(st, int(i + 1), v.get<int64_t>());
      else if (v.is_string()) sqlite3_bind_text(st, int(i + 1), v.get_ref<const std::string&>().c_str(), -1, SQLITE_TRANSIENT);
      else sqlite3_bind_null(st, int(i + 1));
    }
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
  for (auto& [_, st] : statements) sqlite3_finalize(st);
  sqlite3_close(db);
}
