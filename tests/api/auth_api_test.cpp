// Authentication over HTTP: tokens, login sessions with CSRF, logout, login rate limit.
#include <regex>

#include "api_fixture.h"

using namespace gzt;

class AuthApi : public ApiTest {
 protected:
  struct Login {
    std::string session, csrf;
    Response response;
  };
  Login login(const std::string& email, const std::string& password) {
    Login l;
    l.response = post("/api/v1/auth/login", Auth::none(), {{"email", email}, {"password", password}});
    std::smatch m;
    std::string cookie = l.response.header("Set-Cookie");
    if (std::regex_search(cookie, m, std::regex("gazelle_session=([0-9a-f]+)"))) l.session = m[1];
    if (l.response.j.is_object() && l.response.j.contains("csrf_token")) l.csrf = l.response.j["csrf_token"];
    return l;
  }
  // Every documented operation, {id} replaced by 1.
  std::vector<std::pair<std::string, std::string>> documented_operations() {
    Response doc = get("/api/v1/openapi.json", as("admin"));
    EXPECT_EQ(doc.status, 200);
    std::vector<std::pair<std::string, std::string>> ops;
    for (auto& [path, methods] : doc.j["paths"].items())
      for (auto& [method, op] : methods.items()) {
        std::string m = method;
        for (auto& ch : m) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        ops.push_back({m, std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "1")});
      }
    return ops;
  }
};

TEST_F(AuthApi, HealthzIsOpen) {
  Response r = get("/healthz", Auth::none());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.j["status"], "ok");
}

TEST_F(AuthApi, EveryApiRouteNeedsCredentialsExceptLogin) {
  auto ops = documented_operations();
  ASSERT_GT(ops.size(), 40u);
  int checked = 0;
  for (const auto& [method, path] : ops) {
    if (path == "/healthz") continue;
    // The public routes answer anyone by design (route_walk_api_test checks them).
    if (path.rfind("/api/v1/public/", 0) == 0 || path.rfind("/forms/", 0) == 0 || path.rfind("/q/", 0) == 0 ||
        path.rfind("/unsubscribe/", 0) == 0 || path.rfind("/confirm/", 0) == 0 ||
        path.rfind("/kb", 0) == 0 || path.rfind("/survey/", 0) == 0 || path == "/support")
      continue;
    std::optional<std::string> body;
    if (method == "POST" || method == "PATCH" || method == "PUT") body = "{}";
    Response r = srv().request(method, path, Auth::none(), body);
    if (path == "/api/v1/auth/login") {
      EXPECT_EQ(r.status, 400) << "login without e-mail/password: " << r.dump();
      continue;
    }
    EXPECT_EQ(r.status, 401) << method << " " << path << ": " << r.dump();
    EXPECT_TRUE(r.is_problem()) << method << " " << path;
    // An unknown token and a garbage cookie are no better.
    EXPECT_EQ(srv().request(method, path, Auth::token("gz_0000"), body).status, 401) << method << " " << path;
    EXPECT_EQ(srv().request(method, path, Auth{"", "deadbeef", "x"}, body).status, 401) << method << " " << path;
    ++checked;
  }
  EXPECT_GT(checked, 40);
  // Nothing was created by the unauthenticated writes.
  EXPECT_EQ(count("contacts"), 0);
  EXPECT_EQ(count("accounts"), 0);
}

TEST_F(AuthApi, TokenAuthenticates) {
  Response me = get("/api/v1/me", as("sales_a"));
  ASSERT_EQ(me.status, 200) << me.dump();
  EXPECT_EQ(me.j["email"], "sales.a@gazelle.test");
  EXPECT_EQ(me.j["role"], "sales");
  EXPECT_EQ(me.j["id"], uid("sales_a"));
  // A token made over the API works too.
  Response t = post("/api/v1/tokens", as("sales_a"), {{"name", "script"}});
  ASSERT_EQ(t.status, 201) << t.dump();
  Response me2 = get("/api/v1/me", Auth::token(t.j["token"]));
  EXPECT_EQ(me2.status, 200);
  EXPECT_EQ(me2.j["id"], uid("sales_a"));
  // Token writes need no CSRF header.
  EXPECT_EQ(post("/api/v1/contacts", as("sales_a"), {{"last_name", "Jeton"}}).status, 201);
}

TEST_F(AuthApi, LoginSessionCsrfAndLogout) {
  Login l = login("Sales.A@gazelle.test", kPassword);  // e-mail case does not matter
  ASSERT_EQ(l.response.status, 200) << l.response.dump();
  ASSERT_FALSE(l.session.empty()) << l.response.header("Set-Cookie");
  ASSERT_FALSE(l.csrf.empty());
  EXPECT_NE(l.response.header("Set-Cookie").find("HttpOnly"), std::string::npos);
  EXPECT_EQ(l.response.j["user"]["email"], "sales.a@gazelle.test");
  EXPECT_EQ(l.response.j["user"]["role"], "sales");

  Auth session{"", l.session, ""};
  Auth session_csrf{"", l.session, l.csrf};
  Response me = get("/api/v1/me", session);  // reads need no CSRF token
  ASSERT_EQ(me.status, 200) << me.dump();
  EXPECT_EQ(me.j["id"], uid("sales_a"));

  int64_t before = count("contacts");
  Response no_csrf = post("/api/v1/contacts", session, {{"last_name", "Sans jeton"}});
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.dump();
  EXPECT_TRUE(no_csrf.is_problem());
  Response wrong_csrf = post("/api/v1/contacts", Auth{"", l.session, "0123456789abcdef0123456789abcdef"},
                             {{"last_name", "Mauvais jeton"}});
  EXPECT_EQ(wrong_csrf.status, 403);
  EXPECT_EQ(count("contacts"), before);

  Response ok = post("/api/v1/contacts", session_csrf, {{"last_name", "Avec jeton"}});
  ASSERT_EQ(ok.status, 201) << ok.dump();
  EXPECT_EQ(ok.j["owner_id"], uid("sales_a"));
  std::string p = "/api/v1/contacts/" + ok.j["id"].dump();
  EXPECT_EQ(patch(p, session, {{"job_title", "X"}}).status, 403);
  EXPECT_EQ(del(p, session).status, 403);
  EXPECT_EQ(get(p, session).status, 200) << "CSRF refusals changed nothing";
  EXPECT_EQ(get(p, session).j["version"], 1);
  EXPECT_EQ(patch(p, session_csrf, {{"job_title", "X"}}).status, 200);
  EXPECT_EQ(count("contacts"), before + 1);

  // Logout is a write: needs the CSRF token.
  EXPECT_EQ(srv().request("POST", "/api/v1/auth/logout", session).status, 403);
  EXPECT_EQ(get("/api/v1/me", session).status, 200);
  Response out = srv().request("POST", "/api/v1/auth/logout", session_csrf);
  EXPECT_EQ(out.status, 204) << out.dump();
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(get("/api/v1/me", session).status, 401) << "the session ends at logout";
  EXPECT_EQ(post("/api/v1/contacts", session_csrf, {{"last_name", "Après"}}).status, 401);
  // Other sessions of the same user live on.
  Login l2 = login("sales.a@gazelle.test", kPassword);
  ASSERT_EQ(l2.response.status, 200);
  EXPECT_EQ(get("/api/v1/me", Auth{"", l2.session, ""}).status, 200);
}

TEST_F(AuthApi, WrongPasswordAndRateLimit) {
  Response bad = login("manager.a@gazelle.test", "not-the-password").response;
  EXPECT_EQ(bad.status, 401) << bad.dump();
  EXPECT_TRUE(bad.is_problem());
  EXPECT_TRUE(bad.header("Set-Cookie").empty());
  Response unknown = login("nobody@gazelle.test", kPassword).response;
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.j["detail"], bad.j["detail"]) << "same message for unknown user and wrong password";
  Response missing = post("/api/v1/auth/login", Auth::none(), {{"email", "manager.a@gazelle.test"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(missing.names_field("password")) << missing.dump();

  for (int i = 1; i <= 5; ++i) {
    Response r = login("victim@gazelle.test", "wrong-" + std::to_string(i)).response;
    EXPECT_EQ(r.status, 401) << "attempt " << i << ": " << r.dump();
  }
  Response sixth = login("victim@gazelle.test", "wrong-6").response;
  EXPECT_EQ(sixth.status, 429) << sixth.dump();
  EXPECT_TRUE(sixth.is_problem());
  Response right = login("victim@gazelle.test", kPassword).response;
  EXPECT_EQ(right.status, 429) << "locked for the window even with the right password";
  // Other users are not locked out.
  EXPECT_EQ(login("manager.a@gazelle.test", kPassword).response.status, 200);
}

TEST_F(AuthApi, UserAdministration) {
  // Sales users see their own team only (tags_api_test.cpp checks who); admins see everyone.
  EXPECT_LT(get("/api/v1/users", as("sales_a")).j["data"].size(), user_specs().size());
  Response list = get("/api/v1/users", as("admin"));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.j["data"].size(), user_specs().size());
  for (const auto& u : list.j["data"]) EXPECT_FALSE(u.contains("password_hash")) << u.dump();
  EXPECT_EQ(post("/api/v1/users", as("manager_a"), {{"email", "x@gazelle.test"}}).status, 403);
  Response bad = post("/api/v1/users", as("admin"), {{"email", "bad"}, {"role", "king"}, {"password", "short"}});
  EXPECT_EQ(bad.status, 422) << bad.dump();
  EXPECT_TRUE(bad.names_field("email"));
  EXPECT_TRUE(bad.names_field("role"));
  EXPECT_TRUE(bad.names_field("password"));
  Response dup = post("/api/v1/users", as("admin"),
                      {{"email", "sales.a@gazelle.test"}, {"role", "sales"}, {"password", "long-enough-pw"}});
  EXPECT_EQ(dup.status, 409) << dup.dump();
}
