// Who may do what. An Actor is the authenticated user behind a request or a CLI command; the
// functions below read the roles and rights the modules declare (kernel/catalogue.h: Role,
// Right; the roles of every installation are in modules/users), and every service method asks
// them, so that the API and the CLI obey the same rules.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "domain/schema.h"
#include "store/record_store.h"

namespace gz::domain {

struct Actor {
  int64_t user_id = 0;
  std::string email;
  std::string name;
  std::string role;
  int64_t team_id = 0;  // 0 = no team
  std::string language;  // "fr", "en", or "" = the browser's (Accept-Language)
  bool is_admin() const { const kernel::Role* r = kernel::find_role(role); return r && r->admin; }
  // Has a named permission of its role ("analytics.view", …); admins have every one.
  bool may(std::string_view permission) const { return kernel::role_has(role, permission); }
};

// An actor with every right, for start-up tasks (demo data, migrations of data).
Actor system_actor();

store::Scope read_scope(const Actor& a, const Entity& e);
// Role-level right to read records of e at all (a new entity gets no rights unless its module
// grants them).
bool can_read(const Actor& a, const Entity& e);
// Throws Forbidden when the actor's role may not read e.
void require_read(const Actor& a, const Entity& e);
// Role-level right to create or change records of e (record-level visibility comes on top).
bool can_write(const Actor& a, const Entity& e);
// Right to delete a record that the actor can see.
bool can_delete(const Actor& a, const Entity& e, const nlohmann::json& record);
// A role that sees only its own, its team's and shared customer records (sales, manager): it
// keeps an owner on every record and assigns only within its team.
bool is_scoped(const Actor& a);

}  // namespace gz::domain
