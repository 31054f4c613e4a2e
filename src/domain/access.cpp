#include "domain/access.h"
#include "domain/analytics_service.h"

namespace gz::domain {

const std::vector<std::string> kRoles = {"admin", "manager", "sales", "service", "marketing", "read_only"};

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
  bool sees_all = a.role == "admin" || a.role == "service" || a.role == "marketing" || a.role == "read_only";
  s.all = sees_all || e.access == Access::Catalogue;
  s.user_id = a.user_id;
  s.team_id = a.team_id;
  return s;
}

bool can_write(const Actor& a, const Entity& e) {
  if (a.role == "admin") return true;
  if (a.role == "read_only") return false;
  const std::string& n = e.name;
  if (a.role == "manager") return true;
  if (a.role == "sales") return n != "products";
  if (a.role == "service") return n == "contacts" || n == "households" || n == "interactions" || n == "tasks";
  if (a.role == "marketing") return n == "interactions" || n == "tasks";
  return false;
}

bool can_delete(const Actor& a, const Entity& e, const nlohmann::json& record) {
  if (a.role == "admin" || (a.role == "manager" && can_write(a, e))) return true;
  if (!can_write(a, e)) return false;
  // Others delete only what they own or created themselves.
  auto mine = [&](const char* col) {
    auto it = record.find(col);
    return it != record.end() && it->is_number_integer() && it->get<int64_t>() == a.user_id;
  };
  return mine("owner_id") || mine("created_by");
}

// Customer value analytics (domain/analytics_service.h): figures over the whole customer file,
// for those who steer (admin, manager) and those who target (marketing).
bool can_view_analytics(const Actor& a) { return a.role == "admin" || a.role == "manager" || a.role == "marketing"; }
bool can_change_analytics_settings(const Actor& a) { return a.role == "admin"; }

}  // namespace gz::domain
