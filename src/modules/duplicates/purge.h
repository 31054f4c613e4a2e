// Purge of the customer file: find the records that are dead — inactive for years, closed
// accounts (lifecycle stage inactive: former customers), contacts whose e-mail bounced — and
// archive them rather than delete them. An archived record keeps everything but leaves lists,
// search and 360° views by default (?archived=include|only shows it) and can be restored.
// Thread-safe: holds only the Database.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "domain/access.h"
#include "domain/schema.h"
#include "store/database.h"

namespace gz::domain {

struct PurgeQuery {
  std::string entity = "contacts";   // contacts or accounts
  std::string reason;                // inactive | closed | bounced; "" = every reason that applies
  int inactive_years = 3;            // for inactive: nothing since this many years
  int64_t after_id = 0;              // pagination: candidates with a larger id
  int limit = 100;

  // Reads entity, reason, inactive_years, after_id, limit from query parameters.
  static PurgeQuery from_params(const std::map<std::string, std::string>& params);
};

class PurgeService {
 public:
  explicit PurgeService(store::Database& db) : db_(db) {}

  // {entity, reason, since, data: [record + reasons + last_activity_at], next_after_id}
  nlohmann::json candidates(const Actor& actor, const PurgeQuery& q);
  // Archives the records (each visible and writable by the actor, else nothing is archived).
  // Returns {archived: [ids], already_archived: [ids]}.
  nlohmann::json archive(const Actor& actor, const Entity& e, const std::vector<int64_t>& ids);
  // Brings an archived record back; returns it.
  nlohmann::json restore(const Actor& actor, const Entity& e, int64_t id);

 private:
  store::Database& db_;
};

}  // namespace gz::domain
