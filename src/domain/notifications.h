// Notifications for users (GET /api/v1/notifications) and the task reminders that create them:
// an open task with an assignee, due within the next minutes or overdue, gets one notification
// for its assignee per due date, however often and by however many workers the reminder job runs.
#pragma once
#include <string>
#include <vector>

#include "domain/access.h"
#include "store/database.h"

namespace gz::domain {

struct ReminderOptions {
  int64_t ahead_minutes = 60;   // remind tasks due within this many minutes
  int64_t overdue_days = 7;     // and overdue ones, back to this many days (not years-old imports)
  int64_t period_seconds = 60;  // how often the task_reminders job is scheduled
};

struct NotificationPage {
  std::vector<nlohmann::json> data;
  std::string next_cursor;  // empty on the last page
  int64_t unread = 0;       // the user's unread notifications in all
};

class NotificationService {
 public:
  explicit NotificationService(store::Database& db) : db_(db) {}
  // The actor's notifications, newest first. cursor = next_cursor of the previous page.
  NotificationPage list(const Actor& actor, bool unread_only, int64_t limit, const std::string& cursor);
  // Throws NotFound when the notification is not the actor's.
  void mark_read(const Actor& actor, int64_t id);
  // Creates the due-task notifications; returns how many. now: unix seconds.
  int64_t remind_due_tasks(int64_t now, const ReminderOptions& o);

 private:
  store::Database& db_;
};

}  // namespace gz::domain
