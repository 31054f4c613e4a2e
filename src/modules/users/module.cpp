// Users and authentication: the roles every installation has, and what each may do beyond
// records (record rights are granted by the module declaring the entity).
#include "modules/users/module.h"

#include "cli/cli.h"

namespace gz::modules::users {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "users";
    m.label = {"Utilisateurs", "Users"};
    m.commands = cli::add_user_commands;  // cmd_users.cpp: user, token
    // admin: everything. manager: the team's records, duplicates review, analytics. sales: own
    // and team's records plus shares. service and marketing: every customer, as the whole
    // customer service must. read_only: sees all, writes nothing.
    m.roles = {
        {"admin", {"Administrateur", "Administrator"}, true, true, {}},
        {"manager", {"Manager", "Manager"}, false, false, {"analytics.view", "duplicates.review", "users.see_all"}},
        {"sales", {"Commercial", "Sales"}, false, false, {}},
        {"service", {"Service client", "Customer service"}, false, true, {}},
        {"marketing", {"Marketing", "Marketing"}, false, true, {"analytics.view"}},
        {"read_only", {"Lecture seule", "Read only"}, false, true, {}},
    };
    return m;
  }();
  return m;
}

}  // namespace gz::modules::users
