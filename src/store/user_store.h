// SQL for users, teams, sessions, API tokens and failed-login records.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace gz::store {

struct UserStore {
  static int64_t team_id_for_name(Connection& c, const std::string& name);  // creates the team if new
  static int64_t insert_user(Connection& c, const std::string& email, const std::string& name, const std::string& role,
                             json team_id, const std::string& password_hash);
  static std::optional<json> user_by_email(Connection& c, const std::string& email);  // includes password_hash
  static std::vector<json> list_users(Connection& c);
  static int64_t count_users(Connection& c);

  static void insert_session(Connection& c, const std::string& token_hash, int64_t user_id, const std::string& csrf,
                             const std::string& expires_at);
  // The session's user (id, email, name, role, team_id) with csrf_token, if the session is live.
  static std::optional<json> live_session(Connection& c, const std::string& token_hash, const std::string& now);
  static void delete_session(Connection& c, const std::string& token_hash);

  static void insert_token(Connection& c, const std::string& token_hash, int64_t user_id, const std::string& name);
  static std::optional<json> token_user(Connection& c, const std::string& token_hash);
  // An active user by id (same columns as token_user), for work done later on a user's behalf.
  static std::optional<json> active_user(Connection& c, int64_t id);

  static int64_t failures_since(Connection& c, const std::string& email, const std::string& ip, const std::string& since);
  static void add_failure(Connection& c, const std::string& email, const std::string& ip);
  static void clear_failures(Connection& c, const std::string& email);
};

}  // namespace gz::store
