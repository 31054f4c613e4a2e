// SQL of user notifications and of the task reminders that create them (migrations/*/002_jobs.sql).
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

  // Open tasks with an assignee, due at or before `due_before` and not before `due_after`, whose
  // current due date has not been reminded yet: id, title, due_at, assignee_id.
  static std::vector<json> tasks_to_remind(Connection& c, const std::string& due_after, const std::string& due_before,
                                           int64_t limit);
  // Records that the task was reminded of this due date. False when it already was (by this or
  // another worker): the caller then creates no notification.
  static bool mark_task_reminded(Connection& c, int64_t task_id, const std::string& due_at, int64_t user_id,
                                 const std::string& now);
  static void link_task_reminder(Connection& c, int64_t task_id, const std::string& due_at, int64_t notification_id);
};

}  // namespace gz::store
