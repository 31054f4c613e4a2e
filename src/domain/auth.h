// Users, sessions and API tokens. Passwords are hashed with Argon2id; session and API tokens
// are random and only their SHA-256 is stored. Failed logins are counted in the database (so
// the limit holds across application servers): after 5 failures for an address (or 20 from one
// IP) in 15 minutes, logins are refused with 429 until the window passes. Each attempt is
// recorded before its password is checked (UserStore::reserve_attempt), so parallel attempts
// cannot exceed the limit, and an unknown address costs the same Argon2id check as a known one.
//
// Revocation (docs/api.md "How to revoke"): a deactivated user's sessions and tokens stop at
// once (every request re-reads users.active); tokens can be revoked and may expire; a password
// change ends the user's other sessions, an admin's reset ends all of them.
#pragma once
#include <optional>
#include <string>

#include "domain/access.h"
#include "store/database.h"

namespace gz::domain {

struct Session {
  std::string token;       // goes into the HttpOnly cookie
  std::string csrf_token;  // the browser sends it back in X-CSRF-Token on writes
  std::string expires_at;
  Actor actor;
};

struct AuthenticatedSession {
  Actor actor;
  std::string csrf_token;
};

class AuthService {
 public:
  explicit AuthService(store::Database& db) : db_(db) {}

  // Throws Unauthorized (wrong email or password, same message for both) or TooManyRequests.
  Session login(const std::string& email, const std::string& password, const std::string& ip);
  void logout(const std::string& session_token);
  std::optional<AuthenticatedSession> session(const std::string& session_token);
  std::optional<Actor> bearer(const std::string& api_token);

  // Creates a user; team created when new. Throws Unprocessable / Conflict.
  nlohmann::json add_user(const std::string& email, const std::string& name, const std::string& role,
                          const std::string& team, const std::string& password);
  std::vector<nlohmann::json> list_users();
  bool has_users();
  std::optional<int64_t> user_id_by_email(const std::string& email);
  // Returns the new token (shown once). expires_at: "" = never, else a date or UTC time in the
  // future (422 naming expires_at otherwise).
  std::string create_token(const std::string& email, const std::string& name, const std::string& expires_at = "");
  // The new token with its row: {token, id, name, created_at, expires_at}.
  nlohmann::json create_token_for(const Actor& a, const std::string& name, const std::string& expires_at);

  // Admin only (403), not oneself (422: an admin cannot lock themself out). Deactivating ends the
  // user's sessions; their tokens are refused while inactive. Returns the user.
  nlohmann::json set_active(const Actor& a, int64_t user_id, bool active);
  // One's own language ("fr", "en", or "" = the browser's): messages and labels follow it.
  void set_language(const Actor& a, const std::string& language);
  // The actor's own tokens; an admin's all_users = every user's (or only user_id's when non-zero).
  std::vector<nlohmann::json> list_tokens(const Actor& a, bool all_users, int64_t user_id = 0);
  // By its owner or an admin; 404 when absent or someone else's. Idempotent.
  nlohmann::json revoke_token(const Actor& a, int64_t token_id);
  // Checks the current password (422 naming current_password), applies the policy to the new one
  // (422 naming new_password) and ends every other session of the user (keep = the caller's
  // session token, "" for a token client). Returns the number of sessions ended.
  int64_t change_password(const Actor& a, const std::string& current, const std::string& next,
                          const std::string& keep_session_token);
  // Admin only: sets a user's password (422 naming password) and ends all their sessions.
  int64_t reset_password(const Actor& a, int64_t user_id, const std::string& password);

  static constexpr int kSessionHours = 12;

 private:
  store::Database& db_;
};

Actor actor_from_row(const nlohmann::json& row);

}  // namespace gz::domain
