#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>

#include <stdexcept>
#include <unordered_map>

#include "core/problem.h"
#include "store/row_stream.h"
#include "store/statistics.h"

namespace gz::store::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  int code = sqlite3_extended_errcode(db);
  std::string msg = what + ": " + sqlite3_errmsg(db);
  // A unique or foreign-key violation is the user's doing, not a server fault.
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
    throw Problem(ProblemKind::Conflict, "a record with the same unique value already exists");
  if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
    throw Problem(ProblemKind::Conflict, "the record is referenced by, or refers to, another record");
  throw std::runtime_error(msg);
}

// The memory map of the file (PRAGMA mmap_size), off unless GAZELLE_SQLITE_MMAP_MB asks for it:
// "auto" sizes it from the file with room to grow (its size plus half of it, at least 256 MB),
// a number gives it in MB; at most 8 GB of address space per connection, and SQLite bounds it
// further by its build's SQLITE_MAX_MMAP_SIZE (2 GB in Debian's 3.40). Mapped pages are read
// without a pread and are the kernel's file cache (RssFile, not the process's own memory), but
// each connection maps the file on its own: on the 2-core VM of bench/README.md ("Page cache and
// planner statistics") every connection faulting the same pages into its own map made the 360°
// view's p99 2–3× worse and /healthz's p99 ten times worse than pread from the kernel's cache,
// even once every page was mapped, and RssFile counted the 767 MB file once per connection
// (8.6 GB). So the default stays pread through a small page cache per connection.
int64_t mmap_bytes(const std::string& path) {
  constexpr int64_t kCap = 8ll << 30;
  const char* mb = std::getenv("GAZELLE_SQLITE_MMAP_MB");
  if (!mb || !*mb) return 0;
  if (std::string(mb) == "auto") {
    const int64_t size = file_bytes(path);
    return std::min<int64_t>(kCap, size + std::max<int64_t>(size / 2, 256ll << 20));
  }
  return std::clamp<int64_t>(std::atoll(mb), 0, kCap >> 20) << 20;
}

// The page cache of each connection in KiB (PRAGMA cache_size): 4 MB unless
// GAZELLE_SQLITE_CACHE_MB says otherwise (1–1024).
int64_t cache_kib() {
  const char* mb = std::getenv("GAZELLE_SQLITE_CACHE_MB");
  if (!mb || !*mb) return 4000;
  return std::clamp<int64_t>(std::atoll(mb), 1, 1024) * 1024;
}

class SqliteConnection : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    // A small page cache per connection: the server keeps one connection per worker thread, and
    // the operating system's file cache (not counted in the process's memory) does the rest; the
    // file is memory-mapped only when asked (mmap_bytes).
    execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-" + std::to_string(cache_kib()) + "; PRAGMA mmap_size=" +
        std::to_string(mmap_bytes(path)) + ";");
  }
  ~SqliteConnection() override {
    for (auto& [_, st] : cache_) sqlite3_finalize(st);
    for (sqlite3_stmt* st : control_) sqlite3_finalize(st);
    sqlite3_close(db_);
  }

  sqlite3* handle() { return db_; }
  const Dialect& dialect() const override { return SqliteDialect::instance(); }

  std::vector<json> query(const std::string& sql, const Params& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    std::vector<json> rows;
    int cols = sqlite3_column_count(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      json row = json::object();
      for (int i = 0; i < cols; ++i) {
        const char* name = sqlite3_column_name(st, i);
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_INTEGER: row[name] = sqlite3_column_int64(st, i); break;
          case SQLITE_FLOAT: row[name] = sqlite3_column_double(st, i); break;
          case SQLITE_NULL: row[name] = nullptr; break;
          default:
            row[name] = std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                    size_t(sqlite3_column_bytes(st, i)));
        }
      }
      rows.push_back(std::move(row));
    }
    finish(st, rc, sql);
    return rows;
  }

  // Bulk scans (store/row_stream.h): native column values, no JSON per row.
  void stream(const std::string& sql, const Params& params, const RowCallback& fn) {
    struct View : RowView {
      sqlite3_stmt* st;
      // The value of the column last asked for in this row: a writer asks a column's type, then
      // its text, and each sqlite3_column_* call takes the connection's lock (a third of the
      // API's cost on a list page); sqlite3_value_* on the value do not. The connection is one
      // thread's at a time, which is what makes the unprotected value safe here.
      mutable int last = -1;
      mutable sqlite3_value* last_value = nullptr;
      sqlite3_value* value(int c) const {
        if (c != last) last_value = sqlite3_column_value(st, c), last = c;
        return last_value;
      }
      int columns() const override { return sqlite3_column_count(st); }
      std::string_view name(int c) const override { return sqlite3_column_name(st, c); }
      ColumnType type(int c) const override {
        switch (sqlite3_value_type(value(c))) {
          case SQLITE_NULL: return ColumnType::Null;
          case SQLITE_INTEGER: return ColumnType::Integer;
          case SQLITE_FLOAT: return ColumnType::Real;
          default: return ColumnType::Text;
        }
      }
      bool is_null(int c) const override { return sqlite3_value_type(value(c)) == SQLITE_NULL; }
      int64_t int64(int c) const override { return sqlite3_value_int64(value(c)); }
      double real(int c) const override { return sqlite3_value_double(value(c)); }
      std::string_view text(int c) const override {
        sqlite3_value* v = value(c);
        const unsigned char* t = sqlite3_value_text(v);
        return t ? std::string_view(reinterpret_cast<const char*>(t), size_t(sqlite3_value_bytes(v))) : std::string_view();
      }
    } view;
    view.st = prepare(sql, params);
    int rc;
    try {
      while ((rc = sqlite3_step(view.st)) == SQLITE_ROW) {
        view.last = -1;  // a new row
        fn(view);
      }
    } catch (...) {
      sqlite3_reset(view.st);
      throw;
    }
    finish(view.st, rc, sql);
  }

  int64_t execute(const std::string& sql, const Params& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {}
    finish(st, rc, sql);
    return sqlite3_changes64(db_);
  }

  int64_t insert(const std::string& sql, const Params& params) override {
    execute(sql, params);
    return sqlite3_last_insert_rowid(db_);
  }

  void execute_script(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error("SQL script failed: " + msg);
    }
  }

  // Prepared once per connection: through sqlite3_exec every transaction parsed its BEGIN and
  // COMMIT again (2 % of a 360° view's CPU, bench/README.md "The 360° at 1M, sixth pass").
  void begin(bool write) override { control(write ? Control::BeginImmediate : Control::Begin); }
  void commit() override { control(Control::Commit); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) control(Control::Rollback);
  }

 private:
  enum class Control { Begin, BeginImmediate, Commit, Rollback };
  void control(Control which) {
    static constexpr const char* kSql[] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};
    sqlite3_stmt*& st = control_[int(which)];
    if (!st && sqlite3_prepare_v3(db_, kSql[int(which)], -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
      fail(db_, std::string("prepare failed for [") + kSql[int(which)] + "]");
    const int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) throw std::runtime_error("SQL script failed: " + std::string(sqlite3_errmsg(db_)));
  }

  sqlite3_stmt* prepare(const std::string& sql, const Params& params) {
    sqlite3_stmt* st;
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      st = it->second;
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
    } else {
      if (sqlite3_prepare_v3(db_, sql.c_str(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
        fail(db_, "prepare failed for [" + sql + "]");
      if (cache_.size() > 500) {  // bound the cache: dynamic list queries vary by filter
        for (auto& [_, s] : cache_) sqlite3_finalize(s);
        cache_.clear();
      }
      cache_.emplace(sql, st);
    }
    int n = sqlite3_bind_parameter_count(st);
    if (n != int(params.size()))
      throw std::runtime_error("statement expects " + std::to_string(n) + " parameters, got " +
                               std::to_string(params.size()) + ": " + sql);
    for (int i = 0; i < n; ++i) {
      const json& v = params[size_t(i)];
      int rc;
      if (v.is_null()) rc = sqlite3_bind_null(st, i + 1);
      else if (v.is_boolean()) rc = sqlite3_bind_int(st, i + 1, v.get<bool>() ? 1 : 0);
      else if (v.is_number_integer()) rc = sqlite3_bind_int64(st, i + 1, v.get<int64_t>());
      else if (v.is_number_float()) rc = sqlite3_bind_double(st, i + 1, v.get<double>());
      else if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        rc = sqlite3_bind_text(st, i + 1, s.data(), int(s.size()), SQLITE_TRANSIENT);
      } else {
        std::string s = v.dump();
        rc = sqlite3_bind_text(st, i + 1, s.data(), int(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) fail(db_, "bind failed");
    }
    return st;
  }

  void finish(sqlite3_stmt* st, int rc, const std::string& sql) {
    if (rc != SQLITE_DONE) {
      sqlite3_reset(st);
      fail(db_, "statement failed [" + sql.substr(0, 200) + "]");
    }
    sqlite3_reset(st);
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  sqlite3_stmt* control_[4] = {};
};

}  // namespace

const SqliteDialect& SqliteDialect::instance() {
  static const SqliteDialect d;
  return d;
}

// FTS5 query: ("helene"*) AND ("lefevre"*); words are quoted, so no FTS5 operator can slip in.
std::string SqliteDialect::search_expression(const std::vector<std::vector<std::string>>& groups) const {
  std::string expr;
  for (const auto& group : groups) {
    if (!expr.empty()) expr += " AND ";
    expr += "(";
    for (size_t i = 0; i < group.size(); ++i) {
      if (i) expr += " OR ";
      std::string w;
      for (char ch : group[i]) w += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      expr += "\"" + w + "\"*";
    }
    expr += ")";
  }
  return expr;
}

SqliteDatabase::SqliteDatabase(std::string path) : path_(std::move(path)) {
  // No memory statistics: with them every allocation of every connection takes one global mutex,
  // which 16 worker threads reading at once contended for (futex waits under sqlite3Malloc in the
  // 360° view's profile). Before SQLite's first use; a no-op (SQLITE_MISUSE) once it started.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  // Open one connection now so that a bad path fails at start, not at the first request.
  release(open_connection());
  // The planner's statistics (store/statistics.h): PRAGMA optimize at open as SQLite recommends
  // for long-lived connections, and a first bounded ANALYZE of a large base never analysed (one
  // generated or imported before statistics were kept). Never a reason not to start.
  try {
    Lease lease = acquire();
    Connection& c = *lease;
    c.execute_script("PRAGMA analysis_limit=" + std::to_string(kAnalysisLimit) + "; PRAGMA optimize=0x10002;");
    if (file_bytes(path_) >= kAnalyzeFromBytes &&
        c.query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").empty()) {
      auto writer = exclusive_writer();
      c.execute_script("ANALYZE");
    }
  } catch (const std::exception&) {
    // busy (another process writes), read-only file…: the hourly refresh will do it.
  }
}

SqliteDatabase::~SqliteDatabase() {
  {
    std::lock_guard lock(checkpoint_mu_);
    stopping_ = true;
  }
  checkpoint_cv_.notify_one();
  if (checkpointer_.joinable()) checkpointer_.join();
}

// SQLite checkpoints a WAL of 1,000 pages inside the commit that reached it, two fsyncs and the
// copy of the pages into the database while that writer holds the write lock: with 16
// connections writing, every writer queued behind it waited too, 20–50 times a second (the p99
// of bench/README.md "Writes and memory at 1,000,000 contacts"). The pool's connections hand
// that work to a thread of the database instead (the hook replaces the automatic checkpoint).
//
// A writer outside the queue (store::BulkStore's long transactions: the demo generator, a data
// copy) is not held by the thread's second pass, so under its flow the WAL is never wholly copied:
// it reached 2.8 GB during a 1M-contact demo generation. Past 64 MB of WAL the committing
// connection checkpoints itself, as SQLite does by default, so that the WAL stays bounded.
std::unique_ptr<Connection> SqliteDatabase::open_connection() {
  auto c = std::make_unique<SqliteConnection>(path_);
  sqlite3_wal_hook(
      c->handle(),
      [](void* self, sqlite3* db, const char* name, int pages) {
        constexpr int kInlineCheckpointPages = 16000;  // 64 MB of 4 KB pages
        if (pages >= kInlineCheckpointPages) sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        else static_cast<SqliteDatabase*>(self)->wal_grew(pages);
        return SQLITE_OK;
      },
      this);
  return c;
}

void SqliteDatabase::wal_grew(int pages) {
  constexpr int kCheckpointPages = 1000;  // SQLite's own threshold
  if (pages < kCheckpointPages) return;
  std::lock_guard lock(checkpoint_mu_);
  if (checkpoint_wanted_ || stopping_) return;
  checkpoint_wanted_ = true;
  if (!checkpointer_.joinable()) checkpointer_ = std::thread([this] { checkpoints(); });
  checkpoint_cv_.notify_one();
}

// A first passive checkpoint copies the WAL's pages into the database while writers go on; a
// second, with the writers held, copies the few they added meanwhile, so that the WAL is wholly
// copied and the next writer starts it again from its beginning (otherwise, under a steady flow
// of writes, it would never be wholly copied and would grow without end).
void SqliteDatabase::checkpoints() {
  std::unique_ptr<SqliteConnection> own;
  for (;;) {
    {
      std::unique_lock lock(checkpoint_mu_);
      checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || stopping_; });
      if (stopping_) return;
    }
    try {
      if (!own) own = std::make_unique<SqliteConnection>(path_);
      sqlite3_wal_checkpoint_v2(own->handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      auto writers = exclusive_writer();
      sqlite3_wal_checkpoint_v2(own->handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } catch (const std::exception&) {
      // the file went away, out of memory: the next commit asks again
    }
    std::lock_guard lock(checkpoint_mu_);
    checkpoint_wanted_ = false;
  }
}

Lease SqliteDatabase::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
  }
  return Lease(this, open_connection());
}

void SqliteDatabase::release(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  if (idle_.size() < 64) idle_.push_back(std::move(c));
}

PoolStats SqliteDatabase::pool_stats() {
  std::lock_guard lock(mu_);
  return {int64_t(idle_.size()), leased_.load()};
}

void SqliteDatabase::backup_to(const std::string& path) {
  Lease lease = acquire();
  auto* src = static_cast<SqliteConnection*>(&*lease)->handle();
  sqlite3* dst = nullptr;
  if (sqlite3_open(path.c_str(), &dst) != SQLITE_OK) {
    sqlite3_close(dst);
    throw std::runtime_error("cannot create backup file " + path);
  }
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) {
    std::string msg = sqlite3_errmsg(dst);
    sqlite3_close(dst);
    throw std::runtime_error("backup failed: " + msg);
  }
  int rc;
  while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep(5);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    std::string msg = sqlite3_errmsg(dst);
    sqlite3_close(dst);
    throw std::runtime_error("backup failed: " + msg);
  }
  sqlite3_close(dst);
}

bool stream_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn) {
  auto* sc = dynamic_cast<SqliteConnection*>(&c);
  if (!sc) return false;
  sc->stream(sql, params, fn);
  return true;
}

}  // namespace gz::store::sqlite
