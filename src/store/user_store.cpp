#include "store/user_store.h"

#include "core/clock.h"

namespace gz::store {

static const char* kUserColumns = "u.id, u.email, u.name, u.role, u.team_id, t.name AS team, u.active, u.language";
static const char* kTokenColumns =
    "k.id, k.user_id, u.email AS user_email, k.name, k.created_at, k.last_used_at, k.expires_at, k.revoked_at";

int64_t UserStore::team_id_for_name(Connection& c, const std::string& name) {
  auto r = c.query_one("SELECT id FROM teams WHERE name = ?", {name});
  if (!r.is_null()) return r["id"].get<int64_t>();
  return c.insert("INSERT INTO teams (name, created_at) VALUES (?, ?)", {name, clock::now_utc()});
}

int64_t UserStore::insert_user(Connection& c, const std::string& email, const std::string& name, const std::string& role,
                               json team_id, const std::string& password_hash) {
  std::string now = clock::now_utc();
  return c.insert(
      "INSERT INTO users (email, name, role, team_id, password_hash, active, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
      {email, name, role, team_id, password_hash.empty() ? json() : json(password_hash), now, now});
}

std::optional<json> UserStore::user_by_email(Connection& c, const std::string& email) {
  auto r = c.query_one(std::string("SELECT ") + kUserColumns +
                           ", u.password_hash FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.email = ?",
                       {email});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::optional<json> UserStore::user_by_id(Connection& c, int64_t id) {
  auto r = c.query_one(std::string("SELECT ") + kUserColumns +
                           ", u.password_hash FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id = ?",
                       {id});
  if (r.is_null()) return std::nullopt;
  return r;
}

void UserStore::set_active(Connection& c, int64_t id, bool active) {
  c.execute("UPDATE users SET active = ?, updated_at = ? WHERE id = ?", {int64_t(active ? 1 : 0), clock::now_utc(), id});
}

void UserStore::set_password_hash(Connection& c, int64_t id, const std::string& password_hash) {
  std::string now = clock::now_utc();
  c.execute("UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?",
            {password_hash, now, now, id});
}

std::vector<json> UserStore::list_users(Connection& c) {
  return c.query(std::string("SELECT ") + kUserColumns +
                 ", u.created_at, u.password_changed_at FROM users u LEFT JOIN teams t ON t.id = u.team_id ORDER BY u.id");
}

int64_t UserStore::count_users(Connection& c) { return c.query_one("SELECT COUNT(*) AS n FROM users")["n"]; }

void UserStore::insert_session(Connection& c, const std::string& token_hash, int64_t user_id, const std::string& csrf,
                               const std::string& expires_at) {
  c.execute("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            {token_hash, user_id, csrf, clock::now_utc(), expires_at});
}

std::optional<json> UserStore::live_session(Connection& c, const std::string& token_hash, const std::string& now) {
  auto r = c.query_one(std::string("SELECT ") + kUserColumns +
                           ", s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
                           "LEFT JOIN teams t ON t.id = u.team_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
                       {token_hash, now});
  if (r.is_null()) return std::nullopt;
  return r;
}

void UserStore::delete_session(Connection& c, const std::string& token_hash) {
  c.execute("DELETE FROM sessions WHERE token_hash = ?", {token_hash});
}

int64_t UserStore::delete_sessions(Connection& c, int64_t user_id, const std::string& keep_token_hash) {
  return c.execute("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", {user_id, keep_token_hash});
}

int64_t UserStore::insert_token(Connection& c, const std::string& token_hash, int64_t user_id, const std::string& name,
                                const json& expires_at) {
  return c.insert("INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                  {token_hash, user_id, name, clock::now_utc(), expires_at});
}

std::vector<json> UserStore::list_tokens(Connection& c, int64_t user_id) {
  std::string sql = std::string("SELECT ") + kTokenColumns + " FROM api_tokens k JOIN users u ON u.id = k.user_id";
  if (user_id) return c.query(sql + " WHERE k.user_id = ? ORDER BY k.id DESC", {user_id});
  return c.query(sql + " ORDER BY k.id DESC");
}

std::optional<json> UserStore::token_by_id(Connection& c, int64_t id) {
  auto r = c.query_one(std::string("SELECT ") + kTokenColumns + " FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE k.id = ?",
                       {id});
  if (r.is_null()) return std::nullopt;
  return r;
}

void UserStore::revoke_token(Connection& c, int64_t id, const std::string& at) {
  c.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {at, id});
}

std::optional<json> UserStore::active_user(Connection& c, int64_t id) {
  auto r = c.query_one(std::string("SELECT ") + kUserColumns + " FROM users u LEFT JOIN teams t ON t.id = u.team_id "
                           "WHERE u.id = ? AND u.active = 1",
                       {id});
  if (r.is_null()) return std::nullopt;
  return r;
}

std::optional<json> UserStore::token_user(Connection& c, const std::string& token_hash, const std::string& now) {
  auto r = c.query_one(std::string("SELECT ") + kUserColumns +
                           " FROM api_tokens k JOIN users u ON u.id = k.user_id LEFT JOIN teams t ON t.id = u.team_id "
                           "WHERE k.token_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?) "
                           "AND u.active = 1",
                       {token_hash, now});
  if (r.is_null()) return std::nullopt;
  return r;
}

int64_t UserStore::failures_since(Connection& c, const std::string& email, const std::string& ip, const std::string& since) {
  auto by_email = c.query_one("SELECT COUNT(*) AS n FROM login_failures WHERE email = ? AND at > ?", {email, since});
  auto by_ip = c.query_one("SELECT COUNT(*) AS n FROM login_failures WHERE ip = ? AND at > ?", {ip, since});
  return std::max(by_email["n"].get<int64_t>(), by_ip["n"].get<int64_t>() / 4);
}

void UserStore::add_failure(Connection& c, const std::string& email, const std::string& ip) {
  c.execute("INSERT INTO login_failures (email, ip, at) VALUES (?, ?, ?)", {email, ip, clock::now_utc()});
}

std::optional<int64_t> UserStore::reserve_attempt(Connection& c, const std::string& email, const std::string& ip,
                                                  const std::string& since, int64_t max) {
  // SQLite runs one write transaction at a time; PostgreSQL's READ COMMITTED would let two
  // transactions count before either inserts, so they queue on a transaction-scoped advisory
  // lock held only for this count and insert (not while the password is checked).
  if (c.dialect().name() == "postgresql") c.query("SELECT pg_advisory_xact_lock(74295312) AS locked");
  if (failures_since(c, email, ip, since) >= max) return std::nullopt;
  return c.insert("INSERT INTO login_failures (email, ip, at) VALUES (?, ?, ?)", {email, ip, clock::now_utc()});
}

void UserStore::clear_failures(Connection& c, const std::string& email) {
  c.execute("DELETE FROM login_failures WHERE email = ?", {email});
}

namespace {
const char* const kBriefSql = "SELECT id, name, email, role, team_id, active FROM users WHERE id = ?";
}

std::optional<json> UserStore::brief(Connection& c, int64_t user_id) {
  auto r = c.query_one(kBriefSql, {user_id});
  if (r.is_null()) return std::nullopt;
  return r;
}

BatchStatement UserStore::brief_statement(int64_t user_id, std::function<void(json)> fn) {
  return {kBriefSql, {user_id}, [fn = std::move(fn)](const RowView& r) { fn(row_object(r)); }};
}

}  // namespace gz::store
