#include "domain/auth.h"

#include <algorithm>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/problem.h"
#include "core/text.h"
#include "core/validate.h"
#include "store/user_store.h"

namespace gz::domain {

using json = nlohmann::json;
using store::UserStore;

Actor actor_from_row(const json& r) {
  Actor a;
  a.user_id = r["id"].get<int64_t>();
  a.email = r["email"].get<std::string>();
  a.name = r["name"].get<std::string>();
  a.role = r["role"].get<std::string>();
  a.team_id = r["team_id"].is_number_integer() ? r["team_id"].get<int64_t>() : 0;
  return a;
}

Session AuthService::login(const std::string& email_in, const std::string& password, const std::string& ip) {
  std::string email = text::fold(text::trim(email_in));
  std::string since = clock::format_utc(clock::now_unix() - 15 * 60);
  auto failures = store::with_transaction(db_, false, [&](store::Connection& c) {
    return UserStore::failures_since(c, email, ip, since);
  });
  if (failures >= 5)
    throw Problem(ProblemKind::TooManyRequests, "too many failed logins: wait 15 minutes before trying again");
  auto user = store::with_transaction(db_, false, [&](store::Connection& c) { return UserStore::user_by_email(c, email); });
  bool ok = user && (*user)["active"].get<int64_t>() && (*user)["password_hash"].is_string() &&
            crypto::verify_password((*user)["password_hash"].get<std::string>(), password);
  if (!ok) {
    store::with_transaction(db_, true, [&](store::Connection& c) { UserStore::add_failure(c, email, ip); });
    throw Problem(ProblemKind::Unauthorized, "wrong e-mail or password");
  }
  Session s;
  s.token = crypto::random_token();
  s.csrf_token = crypto::random_token(16);
  s.expires_at = clock::format_utc(clock::now_unix() + kSessionHours * 3600);
  s.actor = actor_from_row(*user);
  store::with_transaction(db_, true, [&](store::Connection& c) {
    UserStore::clear_failures(c, email);
    UserStore::insert_session(c, crypto::sha256_hex(s.token), s.actor.user_id, s.csrf_token, s.expires_at);
  });
  return s;
}

void AuthService::logout(const std::string& token) {
  store::with_transaction(db_, true, [&](store::Connection& c) { UserStore::delete_session(c, crypto::sha256_hex(token)); });
}

std::optional<AuthenticatedSession> AuthService::session(const std::string& token) {
  if (token.empty()) return std::nullopt;
  auto row = store::with_transaction(db_, false, [&](store::Connection& c) {
    return UserStore::live_session(c, crypto::sha256_hex(token), clock::now_utc());
  });
  if (!row) return std::nullopt;
  return AuthenticatedSession{actor_from_row(*row), (*row)["csrf_token"].get<std::string>()};
}

std::optional<Actor> AuthService::bearer(const std::string& token) {
  if (token.empty()) return std::nullopt;
  auto row = store::with_transaction(db_, false, [&](store::Connection& c) {
    return UserStore::token_user(c, crypto::sha256_hex(token));
  });
  if (!row) return std::nullopt;
  return actor_from_row(*row);
}

json AuthService::add_user(const std::string& email_in, const std::string& name_in, const std::string& role,
                           const std::string& team, const std::string& password) {
  FieldErrors errors;
  std::string email = text::fold(text::trim(email_in));
  if (auto err = validate::email(email)) errors.add("email", *err);
  if (std::find(kRoles.begin(), kRoles.end(), role) == kRoles.end())
    errors.add("role", "'" + role + "' is not one of: admin, manager, sales, service, marketing, read_only");
  if (password.size() < 8) errors.add("password", "must have at least 8 characters");
  std::string name = text::trim(name_in);
  if (name.empty()) name = email.substr(0, email.find('@'));
  errors.throw_if_any();
  std::string hash = crypto::hash_password(password);
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    if (UserStore::user_by_email(c, email))
      throw Problem(ProblemKind::Conflict, "a user with e-mail " + email + " already exists", {{"email", "already taken"}});
    json team_id = team.empty() ? json() : json(UserStore::team_id_for_name(c, text::trim(team)));
    int64_t id = UserStore::insert_user(c, email, name, role, team_id, hash);
    return json{{"id", id}, {"email", email}, {"name", name}, {"role", role}, {"team_id", team_id}};
  });
}

std::vector<json> AuthService::list_users() {
  return store::with_transaction(db_, false, [&](store::Connection& c) { return UserStore::list_users(c); });
}

bool AuthService::has_users() {
  return store::with_transaction(db_, false, [&](store::Connection& c) { return UserStore::count_users(c) > 0; });
}

std::string AuthService::create_token(const std::string& email_in, const std::string& name) {
  std::string email = text::fold(text::trim(email_in));
  std::string token = "gz_" + crypto::random_token();
  store::with_transaction(db_, true, [&](store::Connection& c) {
    auto user = UserStore::user_by_email(c, email);
    if (!user) throw Problem(ProblemKind::NotFound, "no user has e-mail " + email, {{"email", "no such user"}});
    UserStore::insert_token(c, crypto::sha256_hex(token), (*user)["id"].get<int64_t>(), name.empty() ? "cli" : name);
  });
  return token;
}

}  // namespace gz::domain
