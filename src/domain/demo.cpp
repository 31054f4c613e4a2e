// Placeholder being replaced by the demo generator implementation.
#include "domain/demo.h"
#include "domain/auth.h"
namespace gz::domain {
DemoLogin generate_demo(store::Database& db, const DemoOptions&, const DemoProgress&) {
  AuthService auth(db);
  auth.add_user("admin@demo.gazelle.fr", "Admin Démo", "admin", "Direction", "gazelle-demo");
  return {"admin@demo.gazelle.fr", "gazelle-demo"};
}
}  // namespace gz::domain
