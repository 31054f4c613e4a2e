// SQL of the customers module beyond the generic records: a company's name and its people.
// Stateless; the caller's Connection.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace gz::store {

struct CustomerStore {
  static std::optional<std::string> account_name(Connection& c, int64_t account_id);
  static std::vector<int64_t> contact_ids_of_account(Connection& c, int64_t account_id);
};

}  // namespace gz::store
