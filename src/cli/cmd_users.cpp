// gazelle user add | user list | token create
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli.h"
#include "domain/auth.h"

namespace gz::cli {

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

  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "Print a new API token for the user (use as Authorization: Bearer …)");
  add_db_option(create, ctx);
  static std::string token_email, token_name = "cli";
  create->add_option("EMAIL", token_email, "User's e-mail")->required();
  create->add_option("--name", token_name, "What the token is for")->capture_default_str();
  create->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::AuthService auth(*db);
      std::cout << auth.create_token(token_email, token_name) << std::endl;
    };
  });
}

}  // namespace gz::cli
