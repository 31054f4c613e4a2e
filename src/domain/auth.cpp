#include "domain/auth.h"

#include <algorithm>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/problem.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/password_policy.h"
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
  a.language = r.value("language", json()).is_string() ? r["language"].get<std::string>() : "";
  return a;
}

namespace {

constexpr int64_t kMaxFailures = 5;

// An Argon2id hash of a random password, made once: an unknown or deactivated address is
// checked against it so that it takes as long as a known one (no timing tells who has an
// account).
const std::string& dummy_hash() {
  static const std::string h = crypto::hash_password(crypto::random_token());
  return h;
}

bool is_active(const json& user) {
  const json& a = user["active"];
  return a.is_boolean() ? a.get<bool>() : a.is_number() && a.get<int64_t>() != 0;
}

void check_new_password(FieldErrors& errors, const char* field, const std::string& password, const std::string& email) {
  if (auto weak = password_weakness(password, email)) errors.add(field, *weak);
}

}  // namespace

Session AuthService::login(const std::string& email_in, const std::string& password, const std::string& ip) {
  std::string email = text::fold(text::trim(email_in));
  std::string since = clock::format_utc(clock::now_unix() - 15 * 60);
  // The attempt is counted (as a failure) before the password is checked; a success removes it.
  auto attempt = store::with_transaction(db_, true, [&](store::Connection& c) {
    return UserStore::reserve_attempt(c, email, ip, since, kMaxFailures);
  });
  if (!attempt)
    throw Problem(ProblemKind::TooManyRequests, "too many failed logins: wait 15 minutes before trying again");
  auto user = store::with_transaction(db_, false, [&](store::Connection& c) { return UserStore::user_by_email(c, email); });
  bool known = user && is_active(*user) && (*user)["password_hash"].is_string();
  // Always one Argon2id verification, on the user's hash or on the dummy one.
  bool verified = crypto::verify_password(known ? (*user)["password_hash"].get<std::string>() : dummy_hash(), password);
  if (!known || !verified) throw Problem(ProblemKind::Unauthorized, "wrong e-mail or password");
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
    return UserStore::token_user(c, crypto::sha256_hex(token), clock::now_utc());
  });
  if (!row) return std::nullopt;
  return actor_from_row(*row);
}

json AuthService::add_user(const std::string& email_in, const std::string& name_in, const std::string& role,
                           const std::string& team, const std::string& password) {
  FieldErrors errors;
  std::string email = text::fold(text::trim(email_in));
  if (auto err = validate::email(email)) errors.add("email", *err);
  if (!kernel::find_role(role)) {
    std::string names;
    for (const auto& r : kernel::roles()) names += (names.empty() ? "" : ", ") + r.name;
    errors.add("role", tr("'{value}' is not one of: {values}", {{"value", role}, {"values", names}}));
  }
  check_new_password(errors, "password", password, email);
  std::string name = text::trim(name_in);
  if (name.empty()) name = email.substr(0, email.find('@'));
  errors.throw_if_any();
  std::string hash = crypto::hash_password(password);
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    if (UserStore::user_by_email(c, email))
      throw Problem(ProblemKind::Conflict, tr("a user with e-mail {email} already exists", {{"email", email}}),
                    {{"email", Message("already taken")}});
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

std::optional<int64_t> AuthService::user_id_by_email(const std::string& email) {
  auto u = store::with_transaction(db_, false, [&](store::Connection& c) {
    return UserStore::user_by_email(c, text::fold(text::trim(email)));
  });
  if (!u) return std::nullopt;
  return (*u)["id"].get<int64_t>();
}

namespace {

// "" → null (never expires); a date means the end of that day (UTC); must be in the future.
json token_expiry(const std::string& in) {
  std::string v = text::trim(in);
  if (v.empty()) return json();
  std::optional<std::string> at;
  if (auto d = validate::iso_date(v)) at = *d + "T23:59:59Z";
  else at = validate::iso_datetime_utc(v);
  if (!at) throw Problem(ProblemKind::Unprocessable, "expires_at must be a date (YYYY-MM-DD) or a UTC time",
                         {{"expires_at", "'" + v.substr(0, 40) + "' is not a date"}});
  if (*at <= clock::now_utc())
    throw Problem(ProblemKind::Unprocessable, "expires_at must be in the future", {{"expires_at", "must be in the future"}});
  return *at;
}

std::string token_name(const std::string& name, const char* dflt) {
  std::string n = text::trim(name);
  if (n.empty()) return dflt;
  if (n.size() > 100) throw Problem(ProblemKind::Unprocessable, "name is too long", {{"name", "must have at most 100 characters"}});
  return n;
}

}  // namespace

std::string AuthService::create_token(const std::string& email_in, const std::string& name, const std::string& expires_at) {
  std::string email = text::fold(text::trim(email_in));
  std::string token = "gz_" + crypto::random_token();
  json expiry = token_expiry(expires_at);
  store::with_transaction(db_, true, [&](store::Connection& c) {
    auto user = UserStore::user_by_email(c, email);
    if (!user) throw Problem(ProblemKind::NotFound, tr("no user has e-mail {email}", {{"email", email}}), {{"email", Message("no such user")}});
    UserStore::insert_token(c, crypto::sha256_hex(token), (*user)["id"].get<int64_t>(), token_name(name, "cli"), expiry);
  });
  return token;
}

json AuthService::create_token_for(const Actor& a, const std::string& name_in, const std::string& expires_at) {
  std::string token = "gz_" + crypto::random_token();
  json expiry = token_expiry(expires_at);
  std::string name = token_name(name_in, "api");
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    int64_t id = UserStore::insert_token(c, crypto::sha256_hex(token), a.user_id, name, expiry);
    json row = *UserStore::token_by_id(c, id);
    row["token"] = token;
    return row;
  });
}

void AuthService::set_language(const Actor& a, const std::string& language) {
  if (!language.empty() && language != "fr" && language != "en")
    throw Problem(ProblemKind::Unprocessable, tr("the language must be fr or en, not '{value}'", {{"value", language}}),
                  {{"language", tr("Language"), tr("must be fr, en or null")}});
  store::with_transaction(db_, true, [&](store::Connection& c) {
    c.execute("UPDATE users SET language = ?, updated_at = ? WHERE id = ?",
              {language.empty() ? json() : json(language), clock::now_utc(), a.user_id});
  });
}

json AuthService::set_active(const Actor& a, int64_t user_id, bool active) {
  if (!a.is_admin()) throw Problem(ProblemKind::Forbidden, "only admins activate or deactivate users");
  if (user_id == a.user_id && !active)
    throw Problem(ProblemKind::Unprocessable, "you cannot deactivate yourself", {{"active", "you cannot deactivate yourself"}});
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    auto u = UserStore::user_by_id(c, user_id);
    if (!u) throw Problem(ProblemKind::NotFound, tr("user {id} does not exist", {{"id", std::to_string(user_id)}}));
    UserStore::set_active(c, user_id, active);
    // Sessions go at once; tokens are kept (refused while inactive, working again on reactivation
    // unless revoked), as the token list shows them.
    if (!active) UserStore::delete_sessions(c, user_id);
    u->erase("password_hash");
    (*u)["active"] = active ? 1 : 0;
    return *u;
  });
}

std::vector<json> AuthService::list_tokens(const Actor& a, bool all_users, int64_t user_id) {
  if ((all_users || user_id) && !a.is_admin()) throw Problem(ProblemKind::Forbidden, "only admins list other users' tokens");
  int64_t who = all_users ? user_id : a.user_id;
  return store::with_transaction(db_, false, [&](store::Connection& c) { return UserStore::list_tokens(c, who); });
}

json AuthService::revoke_token(const Actor& a, int64_t token_id) {
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    auto t = UserStore::token_by_id(c, token_id);
    // Someone else's token is "not found", as a record one may not see.
    if (!t || (!a.is_admin() && (*t)["user_id"].get<int64_t>() != a.user_id))
      throw Problem(ProblemKind::NotFound, tr("token {id} does not exist or is not yours", {{"id", std::to_string(token_id)}}));
    UserStore::revoke_token(c, token_id, clock::now_utc());
    return *UserStore::token_by_id(c, token_id);
  });
}

int64_t AuthService::change_password(const Actor& a, const std::string& current, const std::string& next,
                                     const std::string& keep_session_token) {
  auto u = store::with_transaction(db_, false, [&](store::Connection& c) { return UserStore::user_by_id(c, a.user_id); });
  if (!u) throw Problem(ProblemKind::NotFound, "user does not exist");
  bool has_hash = (*u)["password_hash"].is_string();
  if (!crypto::verify_password(has_hash ? (*u)["password_hash"].get<std::string>() : dummy_hash(), current) || !has_hash)
    throw Problem(ProblemKind::Unprocessable, "the current password is wrong", {{"current_password", "is wrong"}});
  FieldErrors errors;
  check_new_password(errors, "new_password", next, a.email);
  if (next == current) errors.add("new_password", "must differ from the current password");
  errors.throw_if_any();
  std::string hash = crypto::hash_password(next);
  std::string keep = keep_session_token.empty() ? std::string() : crypto::sha256_hex(keep_session_token);
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    UserStore::set_password_hash(c, a.user_id, hash);
    return UserStore::delete_sessions(c, a.user_id, keep);
  });
}

int64_t AuthService::reset_password(const Actor& a, int64_t user_id, const std::string& password) {
  if (!a.is_admin()) throw Problem(ProblemKind::Forbidden, "only admins reset passwords");
  auto u = store::with_transaction(db_, false, [&](store::Connection& c) { return UserStore::user_by_id(c, user_id); });
  if (!u) throw Problem(ProblemKind::NotFound, tr("user {id} does not exist", {{"id", std::to_string(user_id)}}));
  FieldErrors errors;
  check_new_password(errors, "password", password, (*u)["email"].get<std::string>());
  errors.throw_if_any();
  std::string hash = crypto::hash_password(password);
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    UserStore::set_password_hash(c, user_id, hash);
    return UserStore::delete_sessions(c, user_id);
  });
}

}  // namespace gz::domain
