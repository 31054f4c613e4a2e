#include "store/data_copy.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

#include "core/problem.h"

namespace gz::store {

namespace {

bool is_sqlite(const Connection& c) { return c.dialect().name() == "sqlite"; }

// An identifier in SQL. SQLite's implicit rowid stays bare: quoted, it could be read as a string.
std::string ident(const Connection& c, const std::string& name) {
  if (name == "rowid" && is_sqlite(c)) return name;
  std::string out = "\"";
  for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// Order-independent checksum: SHA-256 of each canonically rendered row, added modulo 2^256.
class TableHasher {
 public:
  void add(const json& row, const std::vector<std::string>& columns) {
    buf_.clear();
    for (const auto& col : columns) {
      auto it = row.find(col);
      render(it == row.end() ? json() : *it);
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(buf_.data()), buf_.size());
    unsigned carry = 0;
    for (int i = 31; i >= 0; --i) {  // big-endian addition with carry, overflow dropped
      unsigned v = unsigned(sum_[i]) + unsigned(digest[i]) + carry;
      sum_[i] = static_cast<unsigned char>(v & 0xff);
      carry = v >> 8;
    }
    ++rows_;
  }

  TableSummary summary() const {
    std::string in = std::to_string(rows_) + ":" + std::string(reinterpret_cast<const char*>(sum_), sizeof sum_);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(in.data()), in.size());
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest) {
      out += hex[b >> 4];
      out += hex[b & 15];
    }
    return {rows_, out};
  }

 private:
  void render(const json& v) {
    if (v.is_null()) {
      buf_ += "N;";
    } else if (v.is_boolean()) {
      buf_ += v.get<bool>() ? "I1;" : "I0;";  // booleans are stored as integers
    } else if (v.is_number_unsigned()) {
      buf_ += "I" + std::to_string(v.get<uint64_t>()) + ";";
    } else if (v.is_number_integer()) {
      buf_ += "I" + std::to_string(v.get<int64_t>()) + ";";
    } else if (v.is_number_float()) {
      char s[40];
      std::snprintf(s, sizeof s, "F%.17g;", v.get<double>());
      buf_ += s;
    } else if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      buf_ += "S" + std::to_string(s.size()) + ":" + s;
    } else {
      std::string s = v.dump();
      buf_ += "J" + std::to_string(s.size()) + ":" + s;
    }
  }

  std::string buf_;
  unsigned char sum_[32] = {};
  int64_t rows_ = 0;
};

// Reads a whole table in key order, `batch` rows at a time (keyset pagination, so that each
// batch is an index range scan), and calls fn on each batch.
void scan(Connection& c, const std::string& table, const std::vector<std::string>& columns,
          const std::vector<std::string>& key, int batch, const std::function<void(std::vector<json>&)>& fn) {
  if (key.empty()) throw std::runtime_error("table " + table + " has no primary key to read it by");
  std::vector<std::string> select = columns;
  for (const auto& k : key)
    if (std::find(select.begin(), select.end(), k) == select.end()) select.push_back(k);
  std::string cols, order, lhs, rhs;
  for (size_t i = 0; i < select.size(); ++i) cols += (i ? ", " : "") + ident(c, select[i]);
  for (size_t i = 0; i < key.size(); ++i) {
    order += (i ? ", " : "") + ident(c, key[i]);
    rhs += i ? ", ?" : "?";
  }
  lhs = key.size() == 1 ? order : "(" + order + ")";
  if (key.size() > 1) rhs = "(" + rhs + ")";
  std::string base = "SELECT " + cols + " FROM " + ident(c, table);
  std::string tail = " ORDER BY " + order + " LIMIT " + std::to_string(batch);
  std::string first_sql = base + tail, next_sql = base + " WHERE " + lhs + " > " + rhs + tail;
  Params last;
  while (true) {
    auto rows = last.empty() ? c.query(first_sql) : c.query(next_sql, last);
    if (rows.empty()) break;
    last.clear();
    for (const auto& k : key) last.push_back(rows.back()[k]);
    bool more = rows.size() == size_t(batch);
    fn(rows);
    if (!more) break;
  }
}

int64_t count_rows(Connection& c, const std::string& table) {
  return c.query_one("SELECT COUNT(*) AS n FROM " + ident(c, table))["n"].get<int64_t>();
}

std::vector<std::string> target_primary_key(Connection& c, const std::string& table) {
  std::vector<std::string> key;
  if (is_sqlite(c)) {
    for (const auto& r : c.query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", {table}))
      key.push_back(r["name"]);
    if (key.empty()) key.push_back("rowid");
    return key;
  }
  for (const auto& r : c.query(
           "SELECT a.attname::text AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
           "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary "
           "ORDER BY array_position(i.indkey::int2[], a.attnum)",
           {table}))
    key.push_back(r["name"]);
  return key;
}

std::set<std::string> target_columns(Connection& c, const std::string& table) {
  std::set<std::string> cols;
  for (const auto& r : c.query(
           "SELECT column_name::text AS name FROM information_schema.columns "
           "WHERE table_schema = current_schema() AND table_name = ?",
           {table}))
    cols.insert(r["name"].get<std::string>());
  return cols;
}

TableSummary summarize(Connection& c, const TableShape& shape, int batch = 2000) {
  TableHasher h;
  auto key = is_sqlite(c) ? shape.primary_key : target_primary_key(c, shape.name);
  scan(c, shape.name, shape.columns, key, batch, [&](std::vector<json>& rows) {
    for (const auto& r : rows) h.add(r, shape.columns);
  });
  return h.summary();
}

std::string short_sum(const TableSummary& s) { return s.checksum.substr(0, 16); }

}  // namespace

std::vector<TableShape> describe_source_tables(Database& db) {
  if (db.dialect().name() != "sqlite") throw std::runtime_error("the source of a data copy must be a SQLite database");
  return with_transaction(db, false, [&](Connection& c) {
    auto masters = c.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid");
    std::set<std::string> shadows;
    for (const auto& m : masters) {
      std::string sql = m["sql"].is_string() ? lower(m["sql"].get<std::string>()) : "";
      if (sql.rfind("create virtual table", 0) == 0)
        for (const char* suffix : {"_data", "_idx", "_content", "_docsize", "_config"})
          shadows.insert(m["name"].get<std::string>() + suffix);
    }
    std::vector<TableShape> shapes;
    std::map<std::string, std::set<std::string>> parents;
    for (const auto& m : masters) {
      std::string name = m["name"];
      if (name.rfind("sqlite_", 0) == 0 || name == "schema_migrations" || name == "module_migrations" || shadows.count(name))
        continue;
      TableShape s;
      s.name = name;
      std::string sql = m["sql"].is_string() ? lower(m["sql"].get<std::string>()) : "";
      s.fts = sql.rfind("create virtual table", 0) == 0;
      if (s.fts && sql.find("fts5") == std::string::npos)
        throw std::runtime_error("virtual table " + name + " is not an FTS5 table; cannot copy it");
      std::vector<std::pair<int64_t, std::string>> pk;
      for (const auto& col : c.query("SELECT name, pk FROM pragma_table_info(?)", {name})) {
        s.columns.push_back(col["name"]);
        if (col["pk"].get<int64_t>() > 0) pk.emplace_back(col["pk"].get<int64_t>(), col["name"]);
      }
      std::sort(pk.begin(), pk.end());
      for (const auto& [_, col] : pk) s.primary_key.push_back(col);
      if (s.primary_key.empty()) {
        s.primary_key.push_back("rowid");
        s.columns.push_back("rowid");
      }
      std::sort(s.columns.begin(), s.columns.end());
      for (const auto& fk : c.query("SELECT \"table\" AS parent, \"from\" AS col FROM pragma_foreign_key_list(?)", {name})) {
        std::string parent = fk["parent"];
        if (parent == name) s.self_refs.push_back(fk["col"]);
        else parents[name].insert(parent);
      }
      shapes.push_back(std::move(s));
    }
    // Parents first (Kahn), keeping the order of creation among tables free to go.
    std::vector<TableShape> ordered;
    std::set<std::string> done, present;
    for (const auto& s : shapes) present.insert(s.name);
    while (ordered.size() < shapes.size()) {
      bool progressed = false;
      for (const auto& s : shapes) {
        if (done.count(s.name)) continue;
        bool ready = true;
        for (const auto& p : parents[s.name])
          if (present.count(p) && !done.count(p)) ready = false;
        if (!ready) continue;
        ordered.push_back(s);
        done.insert(s.name);
        progressed = true;
      }
      if (!progressed) {
        std::string stuck;
        for (const auto& s : shapes)
          if (!done.count(s.name)) stuck += (stuck.empty() ? "" : ", ") + s.name;
        throw std::runtime_error("foreign keys between tables " + stuck + " form a cycle; cannot order the copy");
      }
    }
    return ordered;
  });
}

TableSummary summarize_table(Database& db, const TableShape& shape) {
  return with_transaction(db, false, [&](Connection& c) { return summarize(c, shape); });
}

std::vector<TableCopy> copy_database(Database& source, Database& target, const DataCopyOptions& options) {
  if (target.dialect().name() != "postgresql") throw std::runtime_error("the target of a data copy must be PostgreSQL");
  const int batch = std::max(1, options.batch);
  auto shapes = describe_source_tables(source);
  Lease src = source.acquire();
  Lease dst = target.acquire();
  src->begin(false);  // one snapshot of the source for the whole copy
  struct EndRead {  // however this function ends, the source connection goes back to the pool clean
    Lease& lease;
    ~EndRead() {
      try { lease->rollback(); } catch (...) {}
    }
  } end_read{src};

  // The target must have every table and column, and be empty unless forced.
  std::vector<int64_t> target_rows;
  std::string non_empty;
  for (const auto& s : shapes) {
    auto cols = target_columns(*dst, s.name);
    if (cols.empty()) throw std::runtime_error("the target has no table " + s.name + "; is it at the same schema version?");
    for (const auto& col : s.columns)
      if (!cols.count(col))
        throw std::runtime_error("the target table " + s.name + " has no column " + col + "; is it at the same schema version?");
    target_rows.push_back(count_rows(*dst, s.name));
    if (target_rows.back() > 0 && non_empty.size() < 200)
      non_empty += (non_empty.empty() ? "" : ", ") + s.name + " (" + std::to_string(target_rows.back()) + ")";
  }
  if (!non_empty.empty() && !options.force)
    throw Problem(ProblemKind::Conflict,
                  tr("the target database already holds data (rows per table): {tables}. Use --force to replace it (also "
                     "to resume an interrupted copy: tables already identical are kept, the others emptied and copied again)",
                     {{"tables", non_empty}}));

  std::vector<TableCopy> report;
  for (size_t ti = 0; ti < shapes.size(); ++ti) {
    const TableShape& s = shapes[ti];
    auto t0 = std::chrono::steady_clock::now();
    TableCopy tc;
    tc.table = s.name;
    int64_t total = count_rows(*src, s.name);
    bool has_id = std::find(s.columns.begin(), s.columns.end(), "id") != s.columns.end();
    dst->begin(true);
    try {
      int64_t existing = count_rows(*dst, s.name);  // a parent's TRUNCATE … CASCADE may have emptied it
      if (existing > 0 && existing == total) {
        tc.source = summarize(*src, s);
        tc.target = summarize(*dst, s);
      }
      if (existing > 0 && tc.ok() && !tc.source.checksum.empty()) {
        tc.copied = false;
      } else {
        if (existing > 0) dst->execute("TRUNCATE TABLE " + ident(*dst, s.name) + " CASCADE");
        tc.copied = true;
        // Rows per INSERT, within PostgreSQL's 65535 bound parameters.
        const size_t ncols = s.columns.size();
        const size_t per_stmt = std::max<size_t>(1, std::min<size_t>(size_t(batch), 60000 / std::max<size_t>(1, ncols)));
        std::string head = "INSERT INTO " + ident(*dst, s.name) + " (";
        std::string tuple = "(";
        for (size_t i = 0; i < ncols; ++i) {
          head += (i ? ", " : "") + ident(*dst, s.columns[i]);
          tuple += i ? ", ?" : "?";
        }
        head += ") VALUES ";
        tuple += ")";
        std::vector<size_t> self_idx;
        for (const auto& col : s.self_refs)
          self_idx.push_back(size_t(std::find(s.columns.begin(), s.columns.end(), col) - s.columns.begin()));
        std::vector<std::pair<std::string, Params>> deferred;  // self-references, set once all rows exist
        std::string where;
        for (size_t i = 0; i < s.primary_key.size(); ++i) where += (i ? " AND " : "") + ident(*dst, s.primary_key[i]) + " = ?";

        TableHasher h;
        int64_t done = 0;
        auto flush = [&](const std::vector<json>& rows, size_t from, size_t n) {
          std::string sql = head;
          Params params;
          params.reserve(n * ncols);
          for (size_t r = from; r < from + n; ++r) {
            sql += (r > from ? ", " : "") + tuple;
            for (size_t i = 0; i < ncols; ++i) {
              const json& v = rows[r].contains(s.columns[i]) ? rows[r][s.columns[i]] : json();
              if (!v.is_null() && std::find(self_idx.begin(), self_idx.end(), i) != self_idx.end()) {
                Params p{v};
                for (const auto& k : s.primary_key) p.push_back(rows[r][k]);
                deferred.emplace_back("UPDATE " + ident(*dst, s.name) + " SET " + ident(*dst, s.columns[i]) + " = ? WHERE " + where,
                                      std::move(p));
                params.push_back(nullptr);
              } else {
                params.push_back(v);
              }
            }
          }
          dst->execute(sql, params);
        };
        scan(*src, s.name, s.columns, s.primary_key, int(per_stmt), [&](std::vector<json>& rows) {
          for (const auto& r : rows) h.add(r, s.columns);
          flush(rows, 0, rows.size());
          done += int64_t(rows.size());
          if (options.progress) options.progress(s.name, done, total);
        });
        for (const auto& [sql, p] : deferred) dst->execute(sql, p);
        tc.source = h.summary();
        tc.target = summarize(*dst, s);
      }
      if (!tc.ok())
        throw std::runtime_error("table " + s.name + ": the copy differs from the source (" + std::to_string(tc.source.rows) +
                                 " rows, checksum " + short_sum(tc.source) + " on the source; " +
                                 std::to_string(tc.target.rows) + " rows, checksum " + short_sum(tc.target) +
                                 " on the target); nothing of it was kept");
      if (has_id)  // the next id given by PostgreSQL follows the largest copied one
        dst->query("SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM " + ident(*dst, s.name) +
                       "), 0) + 1, false) AS v",
                   {s.name});
      dst->commit();
    } catch (...) {
      try { dst->rollback(); } catch (...) {}
      throw;
    }
    tc.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (options.progress) options.progress(s.name, total, total);
    report.push_back(std::move(tc));
  }
  // Rows copied by the hundred thousand leave the full-text (GIN) indexes' pending lists full,
  // which every search then reads through, and the planner without statistics: what autovacuum
  // would do some time later, done now.
  dst->execute("VACUUM (ANALYZE)");
  return report;
}

}  // namespace gz::store
