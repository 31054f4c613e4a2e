// Black-box API test fixture: runs the real `gazelle` binary (gazelle_binary()) as a child
// process on a fresh database, and talks to it over HTTP.
//
// Backend: GAZELLE_TEST_BACKEND=sqlite (default) gives each suite a SQLite file in a temporary
// directory; GAZELLE_TEST_BACKEND=postgresql gives it a fresh PostgreSQL database on the server
// of GAZELLE_TEST_PG_URL (a superuser URL, e.g. postgresql://gazelle@127.0.0.1:5432/postgres).
// CMake registers every API test twice: as is (SQLite) and prefixed `pg.` (PostgreSQL).
//
// Users and API tokens are created with the CLI (`gazelle user add`, `gazelle token create`).
// Argon2id makes each user creation cost ~0.1 s, and ctest runs every test in its own process,
// so the database with the users is built once per build (under a lock, in the test binary's
// directory, keyed by the binaries' timestamps) and each test suite starts its server on a
// fresh copy of it: a file copy on SQLite, CREATE DATABASE … TEMPLATE gazelle_tpl_<key> on
// PostgreSQL (dropped at teardown). Each suite gets its own server; the server is killed in
// TearDownTestSuite, at exit, and by the kernel when the test process dies (PR_SET_PDEATHSIG).
#pragma once
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gzt {

// The gazelle executable under test (tests/api/api_paths.cpp, from the generated build_paths.h:
// kept out of this header so that a clone in another directory still hits ccache).
const char* gazelle_binary();

namespace fs = std::filesystem;
using json = nlohmann::json;

inline constexpr const char* kPassword = "correct-horse-42";
// Bump when the set of fixture users changes (the cached database is rebuilt).
inline constexpr const char* kFixtureVersion = "users-v3";

// The users every suite finds in its database: key -> (e-mail, role, team).
struct UserSpec {
  const char* key;
  const char* email;
  const char* role;
  const char* team;  // "" = no team
};
inline const std::vector<UserSpec>& user_specs() {
  static const std::vector<UserSpec> specs = {
      {"admin", "admin@gazelle.test", "admin", ""},
      {"sales_a", "sales.a@gazelle.test", "sales", "Team A"},
      {"manager_a", "manager.a@gazelle.test", "manager", "Team A"},
      {"sales_b", "sales.b@gazelle.test", "sales", "Team B"},
      {"manager_b", "manager.b@gazelle.test", "manager", "Team B"},
      {"read_only", "readonly@gazelle.test", "read_only", ""},
      {"service", "service@gazelle.test", "service", ""},
      {"victim", "victim@gazelle.test", "sales", "Team A"},  // for the login rate limit
  };
  return specs;
}

struct CliResult {
  int exit_code = -1;
  std::string out;
};

// Runs the gazelle binary with args; stdout captured, stderr appended to out after "\n--stderr--\n".
inline CliResult run_gazelle(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(out_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    // The CLI speaks the locale's language; the tests read its English unless they set GAZELLE_LANG.
    setenv("GAZELLE_LANG", "en", 1);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    std::string bin = gazelle_binary();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  CliResult r;
  char buf[4096];
  ssize_t n;
  while ((n = read(out_pipe[0], buf, sizeof buf)) > 0) r.out.append(buf, size_t(n));
  close(out_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string file_key(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return "missing";
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_size);
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool on_postgresql() {
  const char* b = std::getenv("GAZELLE_TEST_BACKEND");
  return b && std::string(b) == "postgresql";
}
inline std::string backend_name() { return on_postgresql() ? "postgresql" : "sqlite"; }

// The PostgreSQL server the pg.* tests use: a URL of a superuser (or a role with CREATEDB).
inline std::string pg_admin_url() {
  const char* u = std::getenv("GAZELLE_TEST_PG_URL");
  if (!u || !*u)
    throw std::runtime_error(
        "GAZELLE_TEST_BACKEND=postgresql but GAZELLE_TEST_PG_URL is not set: give the URL of a PostgreSQL "
        "superuser, e.g. postgresql://gazelle@127.0.0.1:5432/postgres (scripts/run-tests.sh starts a throw-away "
        "cluster and sets it)");
  return u;
}

// The URL of another database on the same server (same user, host, port and options).
inline std::string pg_url_for(const std::string& dbname) {
  std::string url = pg_admin_url();
  auto scheme = url.find("://");
  if (scheme == std::string::npos) throw std::runtime_error("GAZELLE_TEST_PG_URL must be a postgresql:// URL: " + url);
  auto end = url.find_first_of("/?", scheme + 3);
  auto q = url.find('?', scheme + 3);
  return url.substr(0, end) + "/" + dbname + (q == std::string::npos ? "" : url.substr(q));
}

// A connection to the PostgreSQL server's admin database (CREATE / DROP DATABASE).
class PgAdmin {
 public:
  PgAdmin() : conn_(PQconnectdb(pg_admin_url().c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect to GAZELLE_TEST_PG_URL: " + msg);
    }
  }
  PgAdmin(const PgAdmin&) = delete;
  ~PgAdmin() { PQfinish(conn_); }

  // Runs one statement; returns the first column of each row ("" for NULL). Throws with the
  // SQLSTATE in front of the message.
  std::vector<std::string> exec(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(conn_, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      std::string msg = std::string(state ? state : "") + " " + PQresultErrorMessage(r) + " [" + sql + "]";
      PQclear(r);
      throw std::runtime_error(msg);
    }
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r); ++i) out.push_back(PQgetisnull(r, i, 0) ? "" : PQgetvalue(r, i, 0));
    PQclear(r);
    return out;
  }
  std::string literal(const std::string& s) {
    char* q = PQescapeLiteral(conn_, s.c_str(), s.size());
    std::string out = q;
    PQfreemem(q);
    return out;
  }

 private:
  PGconn* conn_;
};

// Adds the fixture users, and an API token for each, to a database through the CLI (which
// creates and migrates it). Returns users.json: key -> {id, email, role, team, token}.
inline json add_fixture_users(const std::string& db) {
  json users = json::object();
  for (const auto& u : user_specs()) {
    std::vector<std::string> args = {"user", "add", u.email, "--role", u.role, "--db", db};
    if (*u.team) { args.push_back("--team"); args.push_back(u.team); }
    CliResult r = run_gazelle(args, {{"GAZELLE_PASSWORD", kPassword}});
    if (r.exit_code != 0) throw std::runtime_error("gazelle user add " + std::string(u.email) + " failed: " + r.out);
    // "Created user 3 sales.a@gazelle.test (sales)"
    auto pos = r.out.find("Created user ");
    if (pos == std::string::npos) throw std::runtime_error("unexpected output of user add: " + r.out);
    int64_t id = std::stoll(r.out.substr(pos + 13));
    CliResult t = run_gazelle({"token", "create", u.email, "--db", db});
    if (t.exit_code != 0) throw std::runtime_error("gazelle token create failed: " + t.out);
    std::string token = t.out.substr(0, t.out.find('\n'));
    if (token.rfind("gz_", 0) != 0) throw std::runtime_error("unexpected token output: " + t.out);
    users[u.key] = {{"id", id}, {"email", u.email}, {"role", u.role}, {"team", u.team}, {"token", token}};
  }
  return users;
}

// Holds an exclusive flock on a file of the cache directory while alive: serialises the
// template's creation across the test processes ctest runs at once.
class CacheLock {
 public:
  explicit CacheLock(const fs::path& file) : fd_(open(file.c_str(), O_CREAT | O_RDWR, 0644)) {
    if (fd_ < 0) throw std::runtime_error("cannot open fixture lock " + file.string());
    flock(fd_, LOCK_EX);
  }
  CacheLock(const CacheLock&) = delete;
  ~CacheLock() { flock(fd_, LOCK_UN); close(fd_); }

 private:
  int fd_;
};

inline fs::path fixture_cache_dir() {
  fs::path dir = fs::read_symlink("/proc/self/exe").parent_path() / "api_fixture_cache";
  fs::create_directories(dir);
  return dir;
}
// Changes whenever the gazelle binary, the test binary or the fixture users change.
inline std::string fixture_key() {
  return std::string(kFixtureVersion) + "|" + file_key(gazelle_binary()) + "|" +
         file_key(fs::read_symlink("/proc/self/exe").string());
}

// The database every suite starts from: a SQLite file, or a PostgreSQL template database.
struct FixtureTemplate {
  std::string location;  // file path (SQLite) or database name (PostgreSQL)
  json users;
};

// SQLite: template.db and users.json in the cache directory, built once per build.
inline FixtureTemplate sqlite_fixture_template() {
  fs::path dir = fixture_cache_dir();
  std::string key = fixture_key();
  CacheLock lock(dir / "lock");
  std::string db = (dir / "template.db").string();
  if (!(fs::exists(dir / "key") && read_file(dir / "key") == key)) {
    for (const char* f : {"key", "template.db", "template.db-wal", "template.db-shm", "users.json"}) fs::remove(dir / f);
    std::ofstream(dir / "users.json") << add_fixture_users(db).dump(2);
    std::ofstream(dir / "key") << key;
  }
  return {db, json::parse(read_file(dir / "users.json"))};
}

// PostgreSQL: database gazelle_tpl_<hash of the key> on the test server, built once per build;
// users.json is kept as the database's comment, written last (no comment = half built).
inline FixtureTemplate pg_fixture_template() {
  std::string key = fixture_key();
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  std::string name = std::string("gazelle_tpl_") + hex;
  CacheLock lock(fixture_cache_dir() / "pg.lock");
  PgAdmin admin;
  const std::string find = "SELECT COALESCE(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = $1";
  auto found = admin.exec(find, {name});
  if (!found.empty() && !found[0].empty()) return {name, json::parse(found[0])};
  if (!found.empty()) admin.exec("DROP DATABASE " + name + " WITH (FORCE)");  // left half built
  admin.exec("CREATE DATABASE " + name);
  json users = add_fixture_users(pg_url_for(name));
  // No connections from now on (not even autovacuum): CREATE DATABASE … TEMPLATE needs none.
  admin.exec("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
  admin.exec("COMMENT ON DATABASE " + name + " IS " + admin.literal(users.dump()));
  return {name, users};
}

inline FixtureTemplate fixture_template() {
  return on_postgresql() ? pg_fixture_template() : sqlite_fixture_template();
}

// A fresh PostgreSQL database copied from the template; returns its name.
inline std::string create_pg_database(const std::string& tmpl) {
  static int n = 0;
  std::string name = "gazelle_t_" + std::to_string(getpid()) + "_" + std::to_string(++n) + "_" +
                     std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000);
  PgAdmin admin;
  for (int attempt = 0;; ++attempt) {
    try {
      admin.exec("CREATE DATABASE " + name + " TEMPLATE " + tmpl);
      return name;
    } catch (const std::runtime_error& e) {
      // 55006: the template is in use (a concurrent copy's lock): try again shortly.
      if (attempt >= 100 || std::string(e.what()).rfind("55006", 0) != 0) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

inline void drop_pg_database(const std::string& name) {
  PgAdmin admin;
  admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

struct Response {
  int status = 0;  // 0 = no response (connection failed)
  std::string body;
  httplib::Headers headers;
  json j;  // parsed body, or discarded when not JSON

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  bool is_problem() const { return header("Content-Type").find("application/problem+json") == 0; }
  // True when the problem's errors[] names field (or detail mentions it).
  bool names_field(const std::string& field) const {
    if (!j.is_object()) return false;
    if (j.contains("errors") && j["errors"].is_array())
      for (const auto& e : j["errors"])
        if (e.value("field", "") == field) return true;
    return false;
  }
  std::string dump() const { return std::to_string(status) + " " + body.substr(0, 2000); }
};

// Percent-encodes a query-string value.
inline std::string enc(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += char(c);
    else { out += '%'; out += hex[c >> 4]; out += hex[c & 15]; }
  }
  return out;
}

// How a request authenticates.
struct Auth {
  std::string bearer;   // API token
  std::string session;  // session cookie value
  std::string csrf;     // X-CSRF-Token to send ("" = none)
  static Auth none() { return {}; }
  static Auth token(const std::string& t) { return {t, "", ""}; }
};

// Sends one request on client (one client per thread: httplib clients are not shared).
inline Response send_request(httplib::Client& client, const std::string& method, const std::string& path,
                             const Auth& auth = {}, const std::optional<std::string>& body = std::nullopt,
                             const httplib::Headers& extra = {}) {
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = extra;
  // The tests read the English messages unless they ask for French (a user's language is French
  // without this header): French is tested where it is the point (messages_api_test.cpp).
  if (!req.headers.count("Accept-Language")) req.headers.emplace("Accept-Language", "en");
  if (!auth.bearer.empty()) req.headers.emplace("Authorization", "Bearer " + auth.bearer);
  if (!auth.session.empty()) req.headers.emplace("Cookie", "gazelle_session=" + auth.session);
  if (!auth.csrf.empty()) req.headers.emplace("X-CSRF-Token", auth.csrf);
  if (body) {
    req.body = *body;
    req.headers.emplace("Content-Type", "application/json");
  }
  Response out;
  auto r = client.send(req);
  if (!r) return out;
  out.status = r->status;
  out.body = r->body;
  out.headers = r->headers;
  out.j = json::parse(out.body, nullptr, false);
  return out;
}

class Server {
 public:
  Server() = default;
  Server(const Server&) = delete;
  ~Server() { stop(); }

  // Options added to `gazelle serve` by the next start (e.g. --trusted-proxy).
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // Starts a server on a fresh copy of the fixture database.
  void start() {
    FixtureTemplate tmpl = fixture_template();
    users_ = tmpl.users;
    if (on_postgresql()) {
      pg_database_ = create_pg_database(tmpl.location);
      live_databases().insert(pg_database_);
      db_ = pg_url_for(pg_database_);
      launch();
    } else {
      make_dir();
      db_ = (dir_ / "gazelle.db").string();
      fs::copy_file(tmpl.location, db_);
      if (fs::exists(tmpl.location + "-wal")) fs::copy_file(tmpl.location + "-wal", db_ + "-wal");
      launch();
    }
  }
  // Starts a second server on the database of a running one (which keeps owning it).
  void start_sharing(const Server& other) {
    users_ = other.users_;
    db_ = other.db_;
    launch();
  }

 private:
  void make_dir() {
    if (!dir_.empty()) return;
    remove_stale_dirs();
    std::string tmpl = "/tmp/gazelle-api-" + std::to_string(getpid()) + "-XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
  }

  void launch() {
    make_dir();
    std::string out_file = (dir_ / "stdout.log").string(), err_file = (dir_ / "stderr.log").string();
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test process
      if (getppid() != parent) _exit(1);
      int o = open(out_file.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
      int e = open(err_file.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
      dup2(o, STDOUT_FILENO);
      dup2(e, STDERR_FILENO);
      std::vector<std::string> args = {"gazelle", "serve", "--db", db_, "--port", "0", "--host", "127.0.0.1", "--threads", "16"};
      args.insert(args.end(), extra_args_.begin(), extra_args_.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(gazelle_binary(), argv.data());
      _exit(127);
    }
    live_servers().insert(pid_);
    // The port is printed on stdout: "Gazelle listening on http://127.0.0.1:PORT (database …)".
    const std::string marker = "Gazelle listening on http://127.0.0.1:";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (port_ == 0) {
      std::string out = read_file(out_file);
      auto pos = out.find(marker);
      if (pos != std::string::npos && out.find('\n', pos) != std::string::npos) {
        port_ = std::atoi(out.c_str() + pos + marker.size());
        break;
      }
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        live_servers().erase(pid_);
        pid_ = 0;
        throw std::runtime_error("gazelle serve exited early: " + out + read_file(err_file));
      }
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("gazelle serve printed no port: " + out);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // Wait until /healthz answers.
    while (true) {
      httplib::Client c("127.0.0.1", port_);
      c.set_connection_timeout(1);
      auto r = c.Get("/healthz");
      if (r && r->status == 200) break;
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("/healthz never answered 200");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_connection_timeout(5);
    client_->set_read_timeout(20);
    client_->set_write_timeout(20);
  }

 public:
  void stop() {
    client_.reset();
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status;
      bool gone = false;
      for (int i = 0; i < 300 && !gone; ++i) {  // up to 3 s for a clean stop
        if (waitpid(pid_, &status, WNOHANG) == pid_) gone = true;
        else std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (!gone) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
      live_servers().erase(pid_);
      pid_ = 0;
    }
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
      dir_.clear();
    }
    if (!pg_database_.empty()) {
      try {
        drop_pg_database(pg_database_);
      } catch (const std::exception& e) {
        std::cerr << "could not drop " << pg_database_ << ": " << e.what() << "\n";
      }
      live_databases().erase(pg_database_);
      pg_database_.clear();
    }
  }

  // Directories left by a test process that was killed (its server died with it).
  static void remove_stale_dirs() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("gazelle-api-", 0) != 0) continue;
      pid_t owner = pid_t(std::atol(name.c_str() + 12));
      if (owner > 0 && kill(owner, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
    }
  }

  std::string server_stderr() const { return dir_.empty() ? "" : read_file(dir_ / "stderr.log"); }

  Response request(const std::string& method, const std::string& path, const Auth& auth = {},
                   const std::optional<std::string>& body = std::nullopt, const httplib::Headers& extra = {}) {
    Response out = send_request(*client_, method, path, auth, body, extra);
    if (out.status >= 500) server_errors_.push_back(method + " " + path + " -> " + out.dump());
    // A problem document states the status it was sent with (RFC 9457).
    if (out.is_problem() && (!out.j.is_object() || out.j.value("status", 0) != out.status))
      server_errors_.push_back("problem body disagrees with HTTP status: " + method + " " + path + " -> " + out.dump());
    return out;
  }

  const json& users() const { return users_; }
  // Every 5xx answer (and malformed problem) since the last call: a test fails on any.
  std::vector<std::string> take_server_errors() { return std::exchange(server_errors_, {}); }
  int port() const { return port_; }
  // The database location given to `gazelle serve --db`: a file path or a postgresql:// URL.
  const std::string& db_location() const { return db_; }

  // Servers still running when the process exits (a failed ASSERT, an exception) are killed.
  static std::set<pid_t>& live_servers() {
    static std::set<pid_t>* s = [] {
      auto* set = new std::set<pid_t>();
      std::atexit(kill_live_servers);
      return set;
    }();
    return *s;
  }
  // PostgreSQL databases of the running servers, dropped at exit as well.
  static std::set<std::string>& live_databases() {
    live_servers();  // registers the exit handler
    static auto* s = new std::set<std::string>();
    return *s;
  }
  static void kill_live_servers() {
    for (pid_t p : live_servers()) {
      kill(p, SIGKILL);
      waitpid(p, nullptr, 0);
    }
    live_servers().clear();
    for (const auto& name : live_databases()) {
      try { drop_pg_database(name); } catch (...) {}
    }
    live_databases().clear();
  }

 private:
  fs::path dir_;             // logs (and the SQLite file)
  std::string db_;           // --db
  std::string pg_database_;  // PostgreSQL database this server owns (dropped at stop)
  std::vector<std::string> extra_args_;
  int port_ = 0;
  pid_t pid_ = 0;
  json users_;
  std::unique_ptr<httplib::Client> client_;
  std::vector<std::string> server_errors_;
};

// Base of every API test suite: one server per suite, shared by its tests.
class ApiTest : public ::testing::Test {
 protected:
  static Server*& server_ptr() {
    static Server* s = nullptr;
    return s;
  }
  static void SetUpTestSuite() {
    auto* s = new Server();
    try {
      s->start();
    } catch (...) {
      delete s;
      throw;
    }
    server_ptr() = s;
  }
  static void TearDownTestSuite() {
    delete server_ptr();
    server_ptr() = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_ptr(), nullptr) << "the gazelle server did not start"; }
  void TearDown() override {
    if (server_ptr())
      for (const auto& e : server_ptr()->take_server_errors()) ADD_FAILURE() << "server error: " << e;
    if (HasFailure() && server_ptr()) {
      std::string err = server_ptr()->server_stderr();
      if (!err.empty()) std::cerr << "--- server stderr ---\n" << err.substr(err.size() > 4000 ? err.size() - 4000 : 0) << "\n";
    }
  }

  Server& srv() { return *server_ptr(); }
  const json& user(const std::string& key) { return srv().users().at(key); }
  int64_t uid(const std::string& key) { return user(key)["id"].get<int64_t>(); }
  Auth as(const std::string& key) { return Auth::token(user(key)["token"].get<std::string>()); }

  Response get(const std::string& path, const Auth& a) { return srv().request("GET", path, a); }
  Response del(const std::string& path, const Auth& a, const httplib::Headers& h = {}) {
    return srv().request("DELETE", path, a, std::nullopt, h);
  }
  Response post(const std::string& path, const Auth& a, const json& body, const httplib::Headers& h = {}) {
    return srv().request("POST", path, a, body.dump(), h);
  }
  Response patch(const std::string& path, const Auth& a, const json& body, const httplib::Headers& h = {}) {
    return srv().request("PATCH", path, a, body.dump(), h);
  }
  Response put(const std::string& path, const Auth& a, const json& body, const httplib::Headers& h = {}) {
    return srv().request("PUT", path, a, body.dump(), h);
  }
  Response raw(const std::string& method, const std::string& path, const Auth& a, const std::string& body) {
    return srv().request(method, path, a, body);
  }

  // Creates a record as `who` and returns it (fails the test when not 201).
  json create(const std::string& entity, const json& body, const std::string& who = "admin") {
    Response r = post("/api/v1/" + entity, as(who), body);
    EXPECT_EQ(r.status, 201) << "create " << entity << " " << body.dump() << ": " << r.dump();
    return r.j.is_object() ? r.j : json::object();
  }

  // total from GET list?count=true (plus extra query), as `who`.
  int64_t count(const std::string& entity, const std::string& who = "admin", const std::string& query = "") {
    Response r = get("/api/v1/" + entity + "?count=true&limit=1" + (query.empty() ? "" : "&" + query), as(who));
    EXPECT_EQ(r.status, 200) << r.dump();
    if (!r.j.is_object() || !r.j.contains("total")) return -1;
    return r.j["total"].get<int64_t>();
  }

  // Ids of every record of a list (all pages), as `who`.
  std::vector<int64_t> list_ids(const std::string& entity, const Auth& a, const std::string& query = "") {
    std::vector<int64_t> ids;
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
      std::string path = "/api/v1/" + entity + "?limit=100" + (query.empty() ? "" : "&" + query) +
                         (cursor.empty() ? "" : "&cursor=" + enc(cursor));
      Response r = get(path, a);
      EXPECT_EQ(r.status, 200) << path << ": " << r.dump();
      if (r.status != 200) break;
      for (const auto& rec : r.j["data"]) ids.push_back(rec["id"].get<int64_t>());
      if (r.j["next_cursor"].is_null()) break;
      cursor = r.j["next_cursor"].get<std::string>();
    }
    return ids;
  }
};

inline bool contains_id(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Makes a unique marker so that tests sharing a server do not see each other's data.
inline std::string unique(const std::string& prefix) {
  static int n = 0;
  return prefix + std::to_string(getpid()) + "x" + std::to_string(++n);
}

}  // namespace gzt
