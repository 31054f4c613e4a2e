// SQL for users, teams, sessions, API tokens and failed-login records.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/row_stream.h"

namespace gz::store {

struct UserStore {
  // id, name, email, role, team_id, active of one user; nullopt when there is none.
  static std::optional<json> brief(Connection& c, int64_t user_id);
  // The same, as a statement of a batch (store::stream_batch): fn gets the user if there is one.
  static BatchStatement brief_statement(int64_t user_id, std::function<void(json)> fn);
  static int64_t team_id_for_name(Connection& c, const std::string& name);  // creates the team if new
  static int64_t insert_user(Connection& c, const std::string& email, const std::string& name, const std::string& role,
                             json team_id, const std::string& password_hash);
  static std::optional<json> user_by_email(Connection& c, const std::string& email);  // includes password_hash
  static std::optional<json> user_by_id(Connection& c, int64_t id);                   // includes password_hash
  static void set_active(Connection& c, int64_t id, bool active);
  static void set_password_hash(Connection& c, int64_t id, const std::string& password_hash);
  static std::vector<json> list_users(Connection& c);
  static int64_t count_users(Connection& c);

  static void insert_session(Connection& c, const std::string& token_hash, int64_t user_id, const std::string& csrf,
                             const std::string& expires_at);
  // The session's user (id, email, name, role, team_id) with csrf_token, if the session is live.
  static std::optional<json> live_session(Connection& c, const std::string& token_hash, const std::string& now);
  static void delete_session(Connection& c, const std::string& token_hash);
  // Ends every session of the user but the one whose hash is keep (none when empty); returns how many.
  static int64_t delete_sessions(Connection& c, int64_t user_id, const std::string& keep_token_hash = "");

  static int64_t insert_token(Connection& c, const std::string& token_hash, int64_t user_id, const std::string& name,
                              const json& expires_at = json());
  // The token's user when the token is neither revoked nor expired at now and the user is active.
  static std::optional<json> token_user(Connection& c, const std::string& token_hash, const std::string& now);
  // Tokens (id, user_id, user_email, name, created_at, expires_at, revoked_at; never the hash),
  // of one user or of everyone (user_id 0), newest first.
  static std::vector<json> list_tokens(Connection& c, int64_t user_id);
  static std::optional<json> token_by_id(Connection& c, int64_t id);
  static void revoke_token(Connection& c, int64_t id, const std::string& at);
  // An active user by id (same columns as token_user), for work done later on a user's behalf.
  static std::optional<json> active_user(Connection& c, int64_t id);

  static int64_t failures_since(Connection& c, const std::string& email, const std::string& ip, const std::string& since);
  static void add_failure(Connection& c, const std::string& email, const std::string& ip);
  // In one write transaction: counts the failures since `since` (as failures_since) and, below
  // max, records this attempt as a failure before the password is checked, so that parallel
  // attempts cannot all pass the count. Returns the attempt's row id, or nullopt at the limit.
  static std::optional<int64_t> reserve_attempt(Connection& c, const std::string& email, const std::string& ip,
                                                const std::string& since, int64_t max);
  static void clear_failures(Connection& c, const std::string& email);
};

}  // namespace gz::store
