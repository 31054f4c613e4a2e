// The route table of the API. Each route: method, path, summary, and a handler of a few lines
// that parses the request, calls one domain service and maps the result.
#include "core/clock.h"
#include "domain/catalogue_view.h"
#include "domain/field_values.h"
#include "domain/record_names.h"
#include "domain/record_preview.h"
#include "domain/schema.h"
#include "http/api.h"

namespace gz::http {

using domain::Entity;

namespace {

void send_record(RequestContext& ctx, int status, const json& record) {
  ctx.res.set_header("ETag", etag_for(record));
  send_json(ctx.res, status, record);
}

json list_body(const domain::ListResult& r) {
  json body = {{"data", r.data}, {"next_cursor", r.next_cursor.empty() ? json() : json(r.next_cursor)}};
  if (r.total) body["total"] = *r.total;
  return body;
}

}  // namespace

void Api::add_auth_routes() {
  add({"POST", "/api/v1/auth/login", "Log in with e-mail and password; sets the session cookie", "auth", false, "login", "session",
       [this](RequestContext& ctx) {
         json body = parse_json_body(ctx.req);
         FieldErrors errors;
         if (!body.is_object()) throw Problem(ProblemKind::BadRequest, "the body must be {\"email\": …, \"password\": …}");
         if (!body.value("email", json()).is_string()) errors.add("email", "is required");
         if (!body.value("password", json()).is_string()) errors.add("password", "is required");
         errors.throw_if_any(ProblemKind::BadRequest);
         // Failed logins are counted per client address: the one a trusted proxy reports, else
         // the peer's (any local program could otherwise pick a fresh X-Real-IP per attempt).
         auto s = s_.auth.login(body["email"], body["password"], client_address(s_, ctx.req));
         bool https = ctx.req.get_header_value("X-Forwarded-Proto") == "https";
         ctx.res.set_header("Set-Cookie", "gazelle_session=" + s.token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                                              std::to_string(domain::AuthService::kSessionHours * 3600) +
                                              (https ? "; Secure" : ""));
         send_json(ctx.res, 200,
                   {{"user", {{"id", s.actor.user_id}, {"email", s.actor.email}, {"name", s.actor.name},
                              {"role", s.actor.role}, {"team_id", s.actor.team_id ? json(s.actor.team_id) : json()}}},
                    {"csrf_token", s.csrf_token},
                    {"expires_at", s.expires_at}});
       }});
  add({"POST", "/api/v1/auth/logout", "End the current session", "auth", true, "", "",
       [this](RequestContext& ctx) {
         std::string cookies = ctx.req.get_header_value("Cookie");
         auto pos = cookies.find("gazelle_session=");
         if (pos != std::string::npos) s_.auth.logout(cookies.substr(pos + 16, 64));
         ctx.res.set_header("Set-Cookie", "gazelle_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
         ctx.res.status = 204;
       }});
  // The current user as GET and PATCH /api/v1/me answer it.
  auto me_json = [](const domain::Actor& a) {
    return json{{"id", a.user_id}, {"email", a.email}, {"name", a.name}, {"role", a.role},
                {"team_id", a.team_id ? json(a.team_id) : json()},
                {"language", a.language.empty() ? json() : json(a.language)}};
  };
  add({"GET", "/api/v1/me", "The current user", "auth", true, "", "user", [me_json](RequestContext& ctx) {
         send_json(ctx.res, 200, me_json(ctx.actor));
       }});
  add({"PATCH", "/api/v1/me", "Change one's settings: {language: \"fr\" | \"en\" | null (the browser's)}", "auth", true,
       "me_patch", "user", [this, me_json](RequestContext& ctx) {
         json b = parse_json_body(ctx.req);
         reject_unknown_keys(b, {"language"});
         if (b.contains("language") && !b["language"].is_null() && !b["language"].is_string())
           throw Problem(ProblemKind::Unprocessable, tr("the language must be fr or en"),
                         {{"language", tr("Language"), tr("must be fr, en or null")}});
         if (b.contains("language")) {
           s_.auth.set_language(ctx.actor, b["language"].is_null() ? "" : b["language"].get<std::string>());
           ctx.actor.language = b["language"].is_null() ? "" : b["language"].get<std::string>();
         }
         send_json(ctx.res, 200, me_json(ctx.actor));
       }, 200});
  add({"GET", "/api/v1/users", "List users: every user for admins and managers; the active members of one's team for others",
       "users", true, "", "list:users", [this](RequestContext& ctx) {
         auto users = s_.auth.list_users();
         // Others see their colleagues so that they can hand a record over within the team
         // (the owner rules allow it), and nothing of the rest of the company.
         if (!ctx.actor.may("users.see_all"))
           std::erase_if(users, [&](const json& u) {
             const json& a = u["active"];  // 0/1 on SQLite, a boolean on PostgreSQL
             bool active = a.is_boolean() ? a.get<bool>() : !a.is_number() || a.get<int64_t>() != 0;
             return u["id"] != ctx.actor.user_id &&
                    (!ctx.actor.team_id || u["team_id"] != ctx.actor.team_id || !active);
           });
         send_json(ctx.res, 200, {{"data", users}, {"next_cursor", nullptr}});
       }});
  add({"POST", "/api/v1/users", "Create a user (admin)", "users", true, "new_user", "user", [this](RequestContext& ctx) {
         if (!ctx.actor.is_admin()) throw Problem(ProblemKind::Forbidden, "only admins create users");
         json b = parse_json_body(ctx.req);
         if (!b.is_object()) throw Problem(ProblemKind::BadRequest, "the body must be a JSON object");
         auto str = [&](const char* k) { return b.value(k, json()).is_string() ? b[k].get<std::string>() : std::string(); };
         send_json(ctx.res, 201, s_.auth.add_user(str("email"), str("name"), str("role"), str("team"), str("password")));
       }});
  add({"PATCH", "/api/v1/users/{id}", "Activate or deactivate a user (admin): {active}; a deactivated user's sessions and tokens stop at once",
       "users", true, "user_patch", "user", [this](RequestContext& ctx) {
         int64_t id = ctx.id_param();  // first: /users/import is no user, whatever the body
         json b = parse_json_body(ctx.req);
         if (!b.is_object()) throw Problem(ProblemKind::BadRequest, "the body must be {\"active\": true|false}");
         FieldErrors errors;
         for (auto it = b.begin(); it != b.end(); ++it)
           if (it.key() != "active") errors.add(it.key(), "cannot be changed here (only active)");
         if (!b.value("active", json()).is_boolean()) errors.add("active", "must be true or false");
         errors.throw_if_any();
         send_json(ctx.res, 200, s_.auth.set_active(ctx.actor, id, b["active"].get<bool>()));
       }});
  add({"POST", "/api/v1/users/{id}/password", "Reset a user's password (admin): {password}; all their sessions end",
       "users", true, "password_reset", "", [this](RequestContext& ctx) {
         int64_t id = ctx.id_param();
         json b = parse_json_body(ctx.req);
         if (!b.is_object() || !b.value("password", json()).is_string())
           throw Problem(ProblemKind::Unprocessable, "password is required", {{"password", "is required"}});
         int64_t ended = s_.auth.reset_password(ctx.actor, id, b["password"].get<std::string>());
         send_json(ctx.res, 200, {{"sessions_ended", ended}});
       }, 200});
  add({"POST", "/api/v1/me/password", "Change one's password: {current_password, new_password}; one's other sessions end",
       "auth", true, "password_change", "", [this](RequestContext& ctx) {
         json b = parse_json_body(ctx.req);
         if (!b.is_object()) throw Problem(ProblemKind::BadRequest, "the body must be {\"current_password\": …, \"new_password\": …}");
         FieldErrors errors;
         if (!b.value("current_password", json()).is_string()) errors.add("current_password", "is required");
         if (!b.value("new_password", json()).is_string()) errors.add("new_password", "is required");
         errors.throw_if_any();
         // The session making the change stays open (a token client has none to keep).
         std::string keep = ctx.req.get_header_value("Authorization").rfind("Bearer ", 0) == 0 ? "" : session_token(ctx.req);
         int64_t ended = s_.auth.change_password(ctx.actor, b["current_password"], b["new_password"], keep);
         send_json(ctx.res, 200, {{"sessions_ended", ended}});
       }, 200});
  add({"POST", "/api/v1/tokens", "Create an API token for the current user (shown once): {name, expires_at (date or UTC time; none = never)}",
       "auth", true, "new_token", "token", [this](RequestContext& ctx) {
         std::string name, expires;
         if (!ctx.req.body.empty()) {
           json b = parse_json_body(ctx.req);
           reject_unknown_keys(b, {"name", "expires_at"});
           name = body_string(b, "name", "");
           expires = body_string(b, "expires_at", "");
         }
         send_json(ctx.res, 201, s_.auth.create_token_for(ctx.actor, name, expires));
       }});
  add({"GET", "/api/v1/tokens", "API tokens: one's own; an admin's ?all=true every user's (or ?user_id=N's). Never the secret",
       "auth", true, "", "list:tokens", [this](RequestContext& ctx) {
         int64_t user_id = query_id(ctx.req, "user_id", 0, "a user id");
         bool all = query_bool(ctx.req, "all") || user_id;
         send_json(ctx.res, 200, {{"data", s_.auth.list_tokens(ctx.actor, all, user_id)}, {"next_cursor", nullptr}});
       }});
  add({"DELETE", "/api/v1/tokens/{id}", "Revoke an API token (its owner or an admin); refused at once from then on", "auth",
       true, "", "", [this](RequestContext& ctx) {
         s_.auth.revoke_token(ctx.actor, ctx.id_param());
         ctx.res.status = 204;
       }});
}

void Api::add_record_routes(const Entity& e) {
  const std::string base = "/api/v1/" + e.name;
  const Entity* ep = &e;
  add({"GET", base, "List " + e.name + " (keyset pagination, filters, sort" + (e.searchable ? ", search q" : "") + ")",
       e.name, true, "", "list:" + e.name, [this, ep](RequestContext& ctx) {
         // Written as JSON text from the rows, with the names of the records they refer to
         // (domain/record_names.h).
         domain::ListRequest req{query_map(ctx.req)};
         ctx.res.status = 200;
         send_json_text(ctx.res, s_.records.list_json(ctx.actor, *ep, req));
       }});
  add({"POST", base, "Create a " + e.singular, e.name, true, e.name, e.name, [this, ep](RequestContext& ctx) {
         json input = parse_json_body(ctx.req);
         // A probable duplicate of a stored record is a 409 with the candidates, unless
         // ?allow_duplicate=true (domain/record_entry.h).
         json rec = s_.entries.create(ctx.actor, *ep, input, [&] { return query_bool(ctx.req, "allow_duplicate"); },
                                      request_language(ctx.req));
         ctx.res.set_header("Location", "/api/v1/" + ep->name + "/" + rec["id"].dump());
         send_record(ctx, 201, rec);
       }});
  add({"POST", base + "/preview", "What a new " + e.singular + " would be (computed fields, lines), stored nowhere", e.name,
       true, e.name, e.name, [this, ep](RequestContext& ctx) {
         send_json(ctx.res, 200, domain::preview_record(s_.records, ctx.actor, *ep, parse_json_body(ctx.req)));
       }, 200});
  add({"GET", base + "/{id}", "Read a " + e.singular + " (ETag = version)", e.name, true, "", e.name,
       [this, ep](RequestContext& ctx) {
         auto rec = s_.records.get(ctx.actor, *ep, ctx.id_param());
         if (!rec)
           throw Problem(ProblemKind::NotFound, tr("{entity} {id} does not exist or is not visible to you",
                                                   {{"entity", domain::singular_label(*ep)}, {"id", ctx.path_param(0)}}));
         send_record(ctx, 200, *rec);
       }});
  add({"PATCH", base + "/{id}", "Change some fields of a " + e.singular + " (If-Match: stale version gets 412)", e.name,
       true, e.name, e.name, [this, ep](RequestContext& ctx) {
         send_record(ctx, 200, s_.records.update(ctx.actor, *ep, ctx.id_param(), parse_json_body(ctx.req),
                                                 if_match_version(ctx.req), false));
       }});
  add({"PUT", base + "/{id}", "Replace a " + e.singular + " (fields left out are cleared)", e.name, true, e.name, e.name,
       [this, ep](RequestContext& ctx) {
         send_record(ctx, 200, s_.records.update(ctx.actor, *ep, ctx.id_param(), parse_json_body(ctx.req),
                                                 if_match_version(ctx.req), true));
       }});
  add({"DELETE", base + "/{id}", "Delete a " + e.singular, e.name, true, "", "", [this, ep](RequestContext& ctx) {
         s_.records.remove(ctx.actor, *ep, ctx.id_param(), if_match_version(ctx.req));
         ctx.res.status = 204;
       }});
  add({"GET", base + "/{id}/audit",
       "Audit trail of a " + e.singular + ": who changed what and when, newest first (limit 1-500, default 50; cursor)",
       e.name, true, "", "list:audit", [this, ep](RequestContext& ctx) {
         send_json(ctx.res, 200, list_body(s_.records.audit_page(ctx.actor, *ep, ctx.id_param(), query_map(ctx.req))));
       }});
  if (e.stage_history)
    add({"GET", base + "/{id}/stage-history", "Dated lifecycle-stage changes", e.name, true, "", "list:stage",
         [this, ep](RequestContext& ctx) {
           send_json(ctx.res, 200, {{"data", s_.records.stage_history(ctx.actor, *ep, ctx.id_param())}, {"next_cursor", nullptr}});
         }});
  if (e.access == domain::Access::Owned) {
    add({"POST", base + "/{id}/shares", "Share a " + e.singular + " with a user outside the owner's team", e.name, true,
         "share", "", [this, ep](RequestContext& ctx) {
           json b = parse_json_body(ctx.req);
           if (!b.is_object() || !b.value("user_id", json()).is_number_integer())
             throw Problem(ProblemKind::Unprocessable, "user_id is required", {{"user_id", "must be a user id"}});
           s_.records.share(ctx.actor, *ep, ctx.id_param(), b["user_id"].get<int64_t>());
           ctx.res.status = 204;
         }});
  }
}

void Api::add_misc_routes() {
  add({"GET", "/healthz", "Health check for monitoring", "system", false, "", "health", [this](RequestContext& ctx) {
         bool ok = true;
         try {
           store::with_transaction(s_.db, false, [](store::Connection& c) { c.query("SELECT 1 AS ok"); });
         } catch (...) {
           ok = false;
         }
         send_json(ctx.res, ok ? 200 : 503, {{"status", ok ? "ok" : "database unavailable"}, {"time", clock::now_utc()}});
       }});
  add({"GET", "/api/v1/openapi.json", "This API described in OpenAPI 3", "system", true, "", "openapi",
       [this](RequestContext& ctx) { send_json(ctx.res, 200, openapi()); }});
  add({"GET", "/api/v1/schema",
       "The catalogue for the web interface: each entity the user may read, its fields with labels in the user's "
       "language (?lang=fr|en, else Accept-Language), enum values, child lines, traits, and what the user may do",
       "system", true, "", "", [](RequestContext& ctx) {
         for (const auto& [k, v] : ctx.req.params)
           if (k != "lang")
             throw Problem(ProblemKind::BadRequest, tr("unknown query parameter '{name}'", {{"name", k.substr(0, 40)}}),
                           {{k, "use lang"}});
         send_json(ctx.res, 200, domain::describe_catalogue(ctx.actor, request_language(ctx.req)));
       }});
}

}  // namespace gz::http
