#include "modules/customers/customer_store.h"

namespace gz::store {

std::optional<std::string> CustomerStore::account_name(Connection& c, int64_t account_id) {
  auto r = c.query_one("SELECT name FROM accounts WHERE id = ?", {account_id});
  if (r.is_null()) return std::nullopt;
  return r["name"].get<std::string>();
}

std::vector<int64_t> CustomerStore::contact_ids_of_account(Connection& c, int64_t account_id) {
  std::vector<int64_t> ids;
  for (auto& r : c.query("SELECT id FROM contacts WHERE account_id = ?", {account_id})) ids.push_back(r["id"]);
  return ids;
}

}  // namespace gz::store
