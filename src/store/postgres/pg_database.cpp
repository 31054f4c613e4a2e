#include "store/postgres/pg_database.h"

#include <libpq-fe.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "core/problem.h"
#include "store/row_stream.h"

namespace gz::store::postgres {

namespace {

// Type OIDs of the values the schema uses (pg_type.h).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

[[noreturn]] void fail(PGresult* res, PGconn* conn, const std::string& what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = what + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  std::string code = state ? state : "";
  if (res) PQclear(res);
  if (code == "23505") throw Problem(ProblemKind::Conflict, "a record with the same unique value already exists");
  if (code == "23503") throw Problem(ProblemKind::Conflict, "the record is referenced by, or refers to, another record");
  throw std::runtime_error(msg);
}

class PgConnection : public Connection {
 public:
  explicit PgConnection(const std::string& url) {
    conn_ = PQconnectdb(url.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect to PostgreSQL: " + msg);
    }
    command("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  }
  ~PgConnection() override { PQfinish(conn_); }

  std::vector<json> query(const std::string& sql, const Params& params) override {
    PGresult* res = run(sql, params);
    std::vector<json> rows;
    int n = PQntuples(res), cols = PQnfields(res);
    rows.reserve(size_t(n));
    for (int r = 0; r < n; ++r) {
      json row = json::object();
      for (int c = 0; c < cols; ++c) {
        const char* name = PQfname(res, c);
        if (PQgetisnull(res, r, c)) {
          row[name] = nullptr;
          continue;
        }
        const char* v = PQgetvalue(res, r, c);
        switch (PQftype(res, c)) {
          case kInt2: case kInt4: case kInt8: row[name] = std::strtoll(v, nullptr, 10); break;
          case kFloat4: case kFloat8: row[name] = std::strtod(v, nullptr); break;
          case kNumeric: {
            // Sums of integers come back as numeric: keep integers integral.
            // A sum beyond int64_t stays a (rounded) number rather than saturating silently.
            errno = 0;
            long long n = std::strchr(v, '.') ? 0 : std::strtoll(v, nullptr, 10);
            if (std::strchr(v, '.') || errno == ERANGE) row[name] = std::strtod(v, nullptr);
            else row[name] = n;
            break;
          }
          case kBool: row[name] = v[0] == 't'; break;
          default: row[name] = std::string(v, size_t(PQgetlength(res, r, c)));
        }
      }
      rows.push_back(std::move(row));
    }
    PQclear(res);
    return rows;
  }

  int64_t execute(const std::string& sql, const Params& params) override {
    PGresult* res = run(sql, params);
    const char* n = PQcmdTuples(res);
    int64_t changed = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
    PQclear(res);
    return changed;
  }

  int64_t insert(const std::string& sql, const Params& params) override {
    auto rows = query(sql + dialect().returning_id(), params);
    if (rows.empty()) throw std::runtime_error("INSERT returned no id: " + sql);
    return rows[0]["id"].get<int64_t>();
  }

  void execute_script(const std::string& sql) override {
    if (deferred_begin_) open_transaction();
    command(sql);
  }

  // A read transaction is not opened on the server until it writes or locks: under READ
  // COMMITTED each statement reads its own snapshot, in a transaction or not, so BEGIN and
  // COMMIT around reads only cost two round trips (8 of the 19 of a 360° view). A write
  // transaction begins at once.
  void begin(bool write) override {
    if (write) command("BEGIN");
    else deferred_begin_ = true;
  }
  void commit() override {
    deferred_begin_ = false;
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) command("COMMIT");
  }
  void rollback() override {
    deferred_begin_ = false;
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) command("ROLLBACK");
  }

  // A row of a PGresult as store/row_stream.h reads it: row 0 of each single-row result of a
  // stream, or each row in turn of a batch's whole answers.
  struct ResultRow : RowView {
    PGresult* res = nullptr;
    int row = 0;
    int columns() const override { return PQnfields(res); }
    std::string_view name(int c) const override { return PQfname(res, c); }
    ColumnType type(int c) const override {
      if (PQgetisnull(res, row, c)) return ColumnType::Null;
      switch (PQftype(res, c)) {
        case kInt2: case kInt4: case kInt8: return ColumnType::Integer;
        case kFloat4: case kFloat8: return ColumnType::Real;
        case kNumeric: return ColumnType::Numeric;
        case kBool: return ColumnType::Bool;
        default: return ColumnType::Text;
      }
    }
    bool is_null(int c) const override { return PQgetisnull(res, row, c); }
    int64_t int64(int c) const override { return PQgetisnull(res, row, c) ? 0 : std::strtoll(PQgetvalue(res, row, c), nullptr, 10); }
    double real(int c) const override { return PQgetisnull(res, row, c) ? 0 : std::strtod(PQgetvalue(res, row, c), nullptr); }
    std::string_view text(int c) const override {
      return std::string_view(PQgetvalue(res, row, c), size_t(PQgetlength(res, row, c)));
    }
  };

  // Bulk scans (store/row_stream.h): libpq's single-row mode hands the rows over as they
  // arrive, so neither the client nor a JSON array holds the whole result.
  void stream(const std::string& sql, const Params& params, const RowCallback& fn) {
    // The read path's statements are prepared once per connection too: an unnamed statement is
    // parsed and planned at every call, which was most of PostgreSQL's time per 360° view.
    before(sql);
    TextParams bound(params);
    int sent = 0;
    if (planned_per_call(sql)) {
      std::string pg_sql = number_placeholders(sql);
      sent = PQsendQueryParams(conn_, pg_sql.c_str(), int(params.size()), nullptr, bound.values.data(), nullptr, nullptr, 0);
    } else {
      sent = PQsendQueryPrepared(conn_, prepared(sql).c_str(), int(params.size()), bound.values.data(), nullptr, nullptr, 0);
    }
    if (!sent) fail(nullptr, conn_, "statement failed [" + sql.substr(0, 200) + "]");
    PQsetSingleRowMode(conn_);
    ResultRow view;
    PGresult* error = nullptr;
    std::exception_ptr thrown;
    while (PGresult* res = PQgetResult(conn_)) {  // read to the end whatever happens, to free the connection
      ExecStatusType st = PQresultStatus(res);
      if (st == PGRES_SINGLE_TUPLE && !thrown && !error) {
        view.res = res;
        try { fn(view); } catch (...) { thrown = std::current_exception(); }
      } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !error) {
        error = res;
        continue;
      }
      PQclear(res);
    }
    if (error) fail(error, conn_, "statement failed [" + sql.substr(0, 200) + "]");
    if (thrown) std::rethrow_exception(thrown);
  }

  // A batch of statements in one round trip (store/row_stream.h stream_batch), through libpq's
  // pipeline mode: each statement prepared first if new (its own round trip, once per
  // connection), then all sent with one sync, then their answers read in order, each whole (a
  // batch is a view's related lists, small pages, not a bulk scan). Blocking mode is enough: a
  // batch's statements fit in the socket's buffer, so the client is never still sending while
  // the server waits for it to read.
  void stream_batch(const std::vector<BatchStatement>& batch) {
    for (const auto& st : batch) before(st.sql);
    make_room(batch.size());  // no DEALLOCATE ALL between preparing a statement and running it
    std::vector<TextParams> bound;
    std::vector<std::string> name(batch.size()), unnamed(batch.size());
    bound.reserve(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      if (planned_per_call(batch[i].sql)) unnamed[i] = number_placeholders(batch[i].sql);
      else name[i] = prepared(batch[i].sql);
      bound.emplace_back(batch[i].params);
    }
    if (!PQenterPipelineMode(conn_)) fail(nullptr, conn_, "cannot enter pipeline mode");
    for (size_t i = 0; i < batch.size(); ++i) {
      const int n = int(batch[i].params.size());
      const int sent = name[i].empty()
                           ? PQsendQueryParams(conn_, unnamed[i].c_str(), n, nullptr, bound[i].values.data(), nullptr, nullptr, 0)
                           : PQsendQueryPrepared(conn_, name[i].c_str(), n, bound[i].values.data(), nullptr, nullptr, 0);
      if (!sent) fail(nullptr, conn_, "statement failed [" + batch[i].sql.substr(0, 200) + "]");
    }
    if (!PQpipelineSync(conn_)) fail(nullptr, conn_, "cannot send the batch");
    ResultRow view;
    PGresult* error = nullptr;
    size_t failed = 0;
    std::exception_ptr thrown;
    // Every answer is read whatever happens, to leave the connection usable: after an error
    // the statements behind it answer PGRES_PIPELINE_ABORTED. Rows may come one by one: libpq
    // resets a stream's single-row mode (stream above) at the next query sent outside a
    // pipeline only, so a batch right after a stream gets its rows as single-row results.
    for (size_t i = 0; i < batch.size(); ++i)
      while (PGresult* res = PQgetResult(conn_)) {
        const ExecStatusType status = PQresultStatus(res);
        const bool rows = status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE;
        if (rows && !thrown && !error) {
          view.res = res;
          try {
            for (view.row = 0; view.row < PQntuples(res); ++view.row) batch[i].fn(view);
          } catch (...) {
            thrown = std::current_exception();
          }
        } else if (!rows && !error) {
          error = res;
          failed = i;
          continue;
        }
        PQclear(res);
      }
    while (PGresult* res = PQgetResult(conn_)) {  // the sync's own answer
      const bool sync = PQresultStatus(res) == PGRES_PIPELINE_SYNC;
      PQclear(res);
      if (sync) break;
    }
    PQexitPipelineMode(conn_);
    if (error) fail(error, conn_, "statement failed [" + batch[failed].sql.substr(0, 200) + "]");
    if (thrown) std::rethrow_exception(thrown);
  }

  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  std::string database_identity() const override {
    auto text = [](const char* v) { return std::string(v ? v : ""); };
    return text(PQhost(conn_)) + ":" + text(PQport(conn_)) + "/" + text(PQdb(conn_));
  }
  const Dialect& dialect() const override {
    static const PgDialect d;
    return d;
  }

 private:
  // Parameters as libpq takes them: text, NULL as a null pointer, booleans as the integers
  // the schema stores them as.
  struct TextParams {
    std::vector<std::string> text;
    std::vector<const char*> values;
    explicit TextParams(const Params& params) : text(params.size()), values(params.size()) {
      for (size_t i = 0; i < params.size(); ++i) {
        const json& v = params[i];
        if (v.is_null()) { values[i] = nullptr; continue; }
        if (v.is_string()) text[i] = v.get<std::string>();
        else if (v.is_boolean()) text[i] = v.get<bool>() ? "1" : "0";
        else if (v.is_number_integer()) text[i] = std::to_string(v.get<int64_t>());
        else text[i] = v.dump();
        values[i] = text[i].c_str();
      }
    }
  };

  // A full-text search's best plan depends on its words (a rare name: the text index; a word in
  // every row: the id order, stopping at the page), which a prepared statement's generic plan
  // cannot know: PostgreSQL switched such searches to a generic plan after five calls and their
  // p99 went from 89 to 238 ms (bench/README.md). They stay unnamed, planned at each call, except
  // a search whose matches are gathered (store/record_store.cpp, from_clause): its text
  // reads the search's words (no " @@ "), whose ranges fix the plan (the B-tree, then a sort).
  static bool planned_per_call(const std::string& sql) { return sql.find(" @@ ") != std::string::npos; }

  // The name of `sql` prepared on this connection, preparing it the first time. Some statements'
  // text varies (a list of n ids, the filters a user combines): past kMaxPrepared the connection
  // forgets them all rather than grow without bound in the server.
  static constexpr size_t kMaxPrepared = 2000;
  const std::string& prepared(const std::string& sql) {
    auto it = prepared_.find(sql);
    if (it != prepared_.end()) return it->second;
    make_room(1);
    std::string name = "s" + std::to_string(++statements_made_);
    std::string pg_sql = number_placeholders(sql);
    PGresult* res = PQprepare(conn_, name.c_str(), pg_sql.c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) fail(res, conn_, "prepare failed for [" + sql.substr(0, 200) + "]");
    PQclear(res);
    return prepared_.emplace(sql, std::move(name)).first->second;
  }

  // Forgets every prepared statement unless n more fit under kMaxPrepared.
  void make_room(size_t n) {
    if (prepared_.size() + n <= kMaxPrepared) return;
    command("DEALLOCATE ALL");
    prepared_.clear();
  }

  PGresult* run(const std::string& sql, const Params& params) {
    before(sql);
    TextParams bound(params);
    PGresult* res =
        planned_per_call(sql)
            ? PQexecParams(conn_, number_placeholders(sql).c_str(), int(params.size()), nullptr, bound.values.data(),
                           nullptr, nullptr, 0)
            : PQexecPrepared(conn_, prepared(sql).c_str(), int(params.size()), bound.values.data(), nullptr, nullptr, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(res, conn_, "statement failed [" + sql.substr(0, 200) + "]");
    return res;
  }

  void command(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(res, conn_, "SQL script failed");
    PQclear(res);
  }

  void open_transaction() {
    deferred_begin_ = false;
    command("BEGIN");
  }

  // In a read transaction not yet opened (begin), a statement other than a plain read opens it
  // first: what a read transaction writes or locks stays atomic and its locks held to the end.
  void before(const std::string& sql) {
    if (!deferred_begin_) return;
    const bool plain_read = sql.compare(0, 7, "SELECT ") == 0 && sql.find(" FOR UPDATE") == std::string::npos &&
                            sql.find(" FOR SHARE") == std::string::npos && sql.find("_xact_lock") == std::string::npos;
    if (!plain_read) open_transaction();
  }

  PGconn* conn_ = nullptr;
  bool deferred_begin_ = false;
  std::unordered_map<std::string, std::string> prepared_;
  int64_t statements_made_ = 0;
};

}  // namespace

std::string number_placeholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string PgDialect::search_match_sql(const std::string&, const std::string& alias) const {
  return alias + ".tsv @@ to_tsquery('simple', ?)";
}

namespace {
// A search word as the text index holds it: folded words are letters and digits, anything else
// is dropped ("_", found in no row, for a word left empty).
std::string indexed_word(const std::string& word) {
  std::string w;
  for (char ch : word)
    if (std::isalnum(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80) w += ch;
  return w.empty() ? "_" : w;
}
}  // namespace

std::string PgDialect::search_expression(const std::vector<std::vector<std::string>>& groups) const {
  std::string expr;
  for (const auto& group : groups) {
    if (!expr.empty()) expr += " & ";
    expr += "(";
    for (size_t i = 0; i < group.size(); ++i) {
      if (i) expr += " | ";
      expr += indexed_word(group[i]) + ":*";
    }
    expr += ")";
  }
  return expr;
}

std::string PgDialect::search_rowids(const std::string& entity, const std::vector<std::vector<std::string>>& groups,
                                     Params& p) const {
  // A word's prefix w is the range [w, w U+10FFFF) of the words in byte order (COLLATE "C"):
  // every valid UTF-8 continuation of w sorts below it (only a word holding U+10FFFF itself, a
  // noncharacter, right after w would be missed). The words of a group are UNIONed and the groups
  // INTERSECTed, both of which keep each rowid once; a lone word asks DISTINCT.
  const bool lone = groups.size() == 1 && groups[0].size() == 1;
  const std::string range = std::string(lone ? "SELECT DISTINCT" : "SELECT") + " rowid FROM " + entity +
                            "_search_words WHERE word >= ? AND word < ?";
  std::string sql;
  for (const auto& group : groups) {
    if (!sql.empty()) sql += " INTERSECT ";
    sql += "(";
    for (size_t i = 0; i < group.size(); ++i) {
      const std::string w = indexed_word(group[i]);
      sql += (i ? " UNION " : "") + range;
      p.push_back(w);
      p.push_back(w + "\xF4\x8F\xBF\xBF");
    }
    sql += ")";
  }
  return sql;
}

PgDatabase::PgDatabase(std::string url) : url_(std::move(url)) {
  release(std::make_unique<PgConnection>(url_));  // fail at start on a wrong URL
}

PgDatabase::~PgDatabase() = default;

Lease PgDatabase::acquire() {
  {
    std::lock_guard lock(mu_);
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (static_cast<PgConnection*>(c.get())->healthy()) return Lease(this, std::move(c));
    }
  }
  return Lease(this, std::make_unique<PgConnection>(url_));
}

void PgDatabase::release(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  if (idle_.size() < 64) idle_.push_back(std::move(c));
}

std::string PgDatabase::location() const {
  // Hide a password given in the URL.
  auto at = url_.find('@'), scheme = url_.find("://");
  if (at == std::string::npos || scheme == std::string::npos) return url_;
  auto colon = url_.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url_;
  return url_.substr(0, colon) + ":***" + url_.substr(at);
}

PoolStats PgDatabase::pool_stats() {
  std::lock_guard lock(mu_);
  return {int64_t(idle_.size()), leased_.load()};
}

void PgDatabase::backup_to(const std::string&) {
  throw Problem(ProblemKind::BadRequest,
                "on PostgreSQL use pg_dump (see docs/operations.md); gazelle backup copies SQLite databases");
}

bool stream_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn) {
  auto* pc = dynamic_cast<PgConnection*>(&c);
  if (!pc) return false;
  pc->stream(sql, params, fn);
  return true;
}

bool stream_batch(Connection& c, const std::vector<BatchStatement>& statements) {
  auto* pc = dynamic_cast<PgConnection*>(&c);
  if (!pc) return false;
  pc->stream_batch(statements);
  return true;
}

}  // namespace gz::store::postgres
