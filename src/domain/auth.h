// Users, sessions and API tokens. Passwords are hashed with Argon2id; session and API tokens
// are random and only their SHA-256 is stored. Failed logins are counted in the database (so
// the limit holds across application servers): after 5 failures for an address (or 20 from one
// IP) in 15 minutes, logins are refused with 429 until the window passes.
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
  // Returns the new token (shown once).
  std::string create_token(const std::string& email, const std::string& name);

  static constexpr int kSessionHours = 12;

 private:
  store::Database& db_;
};

Actor actor_from_row(const nlohmann::json& row);

}  // namespace gz::domain
