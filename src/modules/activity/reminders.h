// Task reminders: an open task with an assignee, due within the next minutes or overdue, gets one
// notification for its assignee per due date, however often and by however many workers the
// task_reminders job (scheduled by the activity module) runs.
#pragma once
#include <cstdint>

#include "store/database.h"

namespace gz::domain {

struct ReminderOptions {
  int64_t ahead_minutes = 60;   // remind tasks due within this many minutes
  int64_t overdue_days = 7;     // and overdue ones, back to this many days (not years-old imports)
  int64_t period_seconds = 60;  // how often the task_reminders job is scheduled
};

class TaskReminders {
 public:
  explicit TaskReminders(store::Database& db) : db_(db) {}
  // Creates the due-task notifications; returns how many. now: unix seconds.
  int64_t remind_due_tasks(int64_t now, const ReminderOptions& o = {});

 private:
  store::Database& db_;
};

}  // namespace gz::domain
