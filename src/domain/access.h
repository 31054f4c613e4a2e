// Who may do what. An Actor is the authenticated user behind a request or a CLI command; the
// rules below are the only place where roles are interpreted, and every service method asks
// them, so that the API and the CLI obey the same rules.
//
// Roles: admin (everything), manager (the team's records), sales (own and team's records plus
// those shared with them), service and marketing (see every customer, as the whole customer
// service must; write the history and follow-ups), read_only (sees all, writes nothing).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "domain/schema.h"
#include "store/record_store.h"

namespace gz::domain {

extern const std::vector<std::string> kRoles;

struct Actor {
  int64_t user_id = 0;
  std::string email;
  std::string name;
  std::string role;
  int64_t team_id = 0;  // 0 = no team
  bool is_admin() const { return role == "admin"; }
};

// An actor with every right, for start-up tasks (demo data, migrations of data).
Actor system_actor();

store::Scope read_scope(const Actor& a, const Entity& e);
// Role-level right to create or change records of e (record-level visibility comes on top).
bool can_write(const Actor& a, const Entity& e);
// Right to delete a record that the actor can see.
bool can_delete(const Actor& a, const Entity& e, const nlohmann::json& record);

}  // namespace gz::domain
