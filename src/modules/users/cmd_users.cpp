// gazelle user add|list|deactivate|activate|password, token create|list|revoke
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli.h"
#include "core/plural.h"
#include "core/problem.h"
#include "domain/auth.h"

namespace gz::cli {

using json = nlohmann::json;

namespace {

std::string read_password() {
  if (const char* env = std::getenv("GAZELLE_PASSWORD")) return env;
  if (!isatty(STDIN_FILENO)) {
    std::string line;
    std::getline(std::cin, line);
    return line;
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios silent = old;
  silent.c_lflag &= ~tcflag_t(ECHO);
  std::cerr << "Password: " << std::flush;
  tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  std::string pw;
  std::getline(std::cin, pw);
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << std::endl;
  return pw;
}

}  // namespace

void add_user_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create a user; password from GAZELLE_PASSWORD, else asked");
  add_db_option(add, ctx);
  static std::string email, role, team, name;
  add->add_option("EMAIL", email, "Login e-mail")->required();
  add->add_option("--role", role, "admin, manager, sales, service, marketing or read_only")->required();
  add->add_option("--team", team, "Team name (created when new)");
  add->add_option("--name", name, "Display name (default: the part of the e-mail before @)");
  add->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::AuthService auth(*db);
      auto u = auth.add_user(email, name, role, team, read_password());
      std::cout << "Created user " << u["id"] << " " << u["email"].get<std::string>() << " (" << role << ")" << std::endl;
    };
  });
  auto* list = user->add_subcommand("list", "List users");
  add_db_option(list, ctx);
  list->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::AuthService auth(*db);
      std::printf("%-5s %-36s %-24s %-10s %s\n", "ID", "EMAIL", "NAME", "ROLE", "TEAM");
      for (const auto& u : auth.list_users())
        std::printf("%-5lld %-36s %-24s %-10s %s\n", (long long)u["id"].get<int64_t>(), u["email"].get<std::string>().c_str(),
                    u["name"].get<std::string>().c_str(), u["role"].get<std::string>().c_str(),
                    u["team"].is_string() ? u["team"].get<std::string>().c_str() : "-");
    };
  });

  // Revocation (docs/api.md "How to revoke"): from the machine, with the rights of an admin.
  static std::string target_email;
  auto user_by_email = [](domain::AuthService& auth, const std::string& e) {
    auto id = auth.user_id_by_email(e);
    if (!id) throw Problem(ProblemKind::NotFound, tr("no user has e-mail {email}", {{"email", e}}), {{"email", "no such user"}});
    return *id;
  };
  for (bool active : {false, true}) {
    auto* cmd = user->add_subcommand(active ? "activate" : "deactivate",
                                     active ? "Let a deactivated user log in again (their unrevoked tokens work again)"
                                            : "Deactivate a user: their sessions and API tokens are refused at once");
    add_db_option(cmd, ctx);
    cmd->add_option("EMAIL", target_email, "User's e-mail")->required();
    cmd->callback([&ctx, &action, active, user_by_email] {
      action = [&ctx, active, user_by_email] {
        auto db = ctx.open_database();
        domain::AuthService auth(*db);
        auto u = auth.set_active(domain::system_actor(), user_by_email(auth, target_email), active);
        std::cout << (active ? "Activated user " : "Deactivated user ") << u["id"] << " " << u["email"].get<std::string>()
                  << std::endl;
      };
    });
  }
  auto* password = user->add_subcommand("password", "Set a user's password (from GAZELLE_PASSWORD, else asked); all their sessions end");
  add_db_option(password, ctx);
  password->add_option("EMAIL", target_email, "User's e-mail")->required();
  password->callback([&ctx, &action, user_by_email] {
    action = [&ctx, user_by_email] {
      auto db = ctx.open_database();
      domain::AuthService auth(*db);
      int64_t id = user_by_email(auth, target_email);
      int64_t ended = auth.reset_password(domain::system_actor(), id, read_password());
      std::cout << tr("Password of {email} changed; {sessions}",
                      {{"email", target_email},
                       {"sessions", plural(ended, tr("{n} session ended", {{"n", ended}}), tr("{n} sessions ended", {{"n", ended}}))}})
                       .render(locale_language())
                << std::endl;
    };
  });

  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "Print a new API token for the user (use as Authorization: Bearer …)");
  add_db_option(create, ctx);
  static std::string token_email, token_name = "cli";
  create->add_option("EMAIL", token_email, "User's e-mail")->required();
  create->add_option("--name", token_name, "What the token is for")->capture_default_str();
  static std::string token_expires;
  create->add_option("--expires", token_expires, "Expiry: YYYY-MM-DD (end of that day, UTC) or a UTC time; default never");
  create->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::AuthService auth(*db);
      std::cout << auth.create_token(token_email, token_name, token_expires) << std::endl;
    };
  });
  auto* tlist = token->add_subcommand("list", "List API tokens (never their secret): every user's, or --user's");
  add_db_option(tlist, ctx);
  static std::string tlist_user;
  tlist->add_option("--user", tlist_user, "Only this user's tokens (e-mail)");
  tlist->callback([&ctx, &action, user_by_email] {
    action = [&ctx, user_by_email] {
      auto db = ctx.open_database();
      domain::AuthService auth(*db);
      int64_t uid = tlist_user.empty() ? 0 : user_by_email(auth, tlist_user);
      auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); };
      std::printf("%-6s %-30s %-20s %-21s %-21s %s\n", "ID", "USER", "NAME", "CREATED", "EXPIRES", "REVOKED");
      for (const auto& t : auth.list_tokens(domain::system_actor(), true, uid))
        std::printf("%-6lld %-30s %-20s %-21s %-21s %s\n", (long long)t["id"].get<int64_t>(), text(t["user_email"]).c_str(),
                    text(t["name"]).c_str(), text(t["created_at"]).c_str(), text(t["expires_at"]).c_str(),
                    text(t["revoked_at"]).c_str());
    };
  });
  auto* revoke = token->add_subcommand("revoke", "Revoke an API token by id (see token list): refused at once");
  add_db_option(revoke, ctx);
  static int64_t revoke_id = 0;
  revoke->add_option("ID", revoke_id, "Token id")->required();
  revoke->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::AuthService auth(*db);
      auto t = auth.revoke_token(domain::system_actor(), revoke_id);
      std::cout << "Revoked token " << t["id"] << " (" << t["name"].get<std::string>() << ") of "
                << t["user_email"].get<std::string>() << std::endl;
    };
  });
}

}  // namespace gz::cli
