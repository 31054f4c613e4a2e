#include "domain/access.h"

#include "core/problem.h"
#include "domain/field_values.h"

namespace gz::domain {

Actor system_actor() {
  Actor a;
  a.user_id = 0;
  a.name = "system";
  a.role = "admin";
  return a;
}

store::Scope read_scope(const Actor& a, const Entity& e) {
  store::Scope s;
  // Roles that see the whole customer file; any other role (sales, manager, unknown) is scoped.
  const kernel::Role* role = kernel::find_role(a.role);
  s.all = (role && role->sees_all) || e.access == Access::Catalogue;
  s.none = !can_read(a, e);
  s.user_id = a.user_id;
  s.team_id = a.team_id;
  return s;
}

bool can_read(const Actor& a, const Entity& e) {
  auto r = kernel::right_of(a.role, e.name);
  return r && r->read;
}

void require_read(const Actor& actor, const Entity& e) {
  if (!can_read(actor, e))
    throw Problem(ProblemKind::Forbidden,
                  tr("your role ({role}) cannot see {entity}", {{"role", role_label(actor.role)}, {"entity", entity_label(e)}}));
}

bool can_write(const Actor& a, const Entity& e) {
  auto r = kernel::right_of(a.role, e.name);
  return r && r->write;
}

bool can_delete(const Actor& a, const Entity& e, const nlohmann::json& record) {
  auto r = kernel::right_of(a.role, e.name);
  if (!r || !r->write || r->remove == kernel::Delete::None) return false;
  if (r->remove == kernel::Delete::Any) return true;
  // Others delete only what they own or created themselves.
  auto mine = [&](const char* col) {
    auto it = record.find(col);
    return it != record.end() && it->is_number_integer() && it->get<int64_t>() == a.user_id;
  };
  return mine("owner_id") || mine("created_by");
}

bool is_scoped(const Actor& a) {
  const kernel::Role* role = kernel::find_role(a.role);
  return !role || (!role->sees_all && !role->admin);
}

}  // namespace gz::domain
