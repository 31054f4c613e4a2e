// The 360° view of a customer in one call: the record, its company and household, open tasks,
// the latest interactions across all channels, recent orders and value figures.
#pragma once
#include <optional>

#include "domain/records.h"

namespace gz::domain {

class CustomerViewService {
 public:
  explicit CustomerViewService(store::Database& db) : db_(db) {}
  std::optional<json> contact_360(const Actor& actor, int64_t contact_id);
  std::optional<json> account_360(const Actor& actor, int64_t account_id);

 private:
  std::optional<json> contact_record_360(const Actor& actor, int64_t contact_id);
  std::optional<json> account_record_360(const Actor& actor, int64_t account_id);
  store::Database& db_;
};

}  // namespace gz::domain
