// SQL of user notifications (migrations/*/002_jobs.sql); modules write them (the activity
// module's task reminders, modules/activity/reminders.h).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace gz::store {

struct NotificationStore {
  static int64_t insert(Connection& c, int64_t user_id, const std::string& kind, const std::string& title,
                        const std::string& body, const std::string& related_entity, int64_t related_id,
                        const std::string& now);
  // A user's notifications, newest first; before_id 0 = from the newest.
  static std::vector<json> list(Connection& c, int64_t user_id, bool unread_only, int64_t limit, int64_t before_id);
  static int64_t count_unread(Connection& c, int64_t user_id);
  // Marks one of the user's notifications read (kept as first read). False when it is not theirs.
  static bool mark_read(Connection& c, int64_t user_id, int64_t id, const std::string& now);

};

}  // namespace gz::store
