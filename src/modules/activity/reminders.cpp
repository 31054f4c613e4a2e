#include "modules/activity/reminders.h"

#include "core/clock.h"
#include "modules/settings/company_settings.h"
#include "store/notification_store.h"

namespace gz::domain {

namespace {

using json = nlohmann::json;

// Open tasks with an assignee, due after due_after and either timed and due before due_before,
// or due on a day (due_date) that has begun (local_today, the company's date), whose current due
// date was not reminded yet. An all-day follow-up is reminded when its day starts, not an hour
// before its last second.
std::vector<json> tasks_to_remind(store::Connection& c, const std::string& due_after, const std::string& due_before,
                                  const std::string& local_today, int64_t limit) {
  return c.query(
      "SELECT t.id, t.title, t.due_at, t.due_date, t.assignee_id FROM tasks t "
      "WHERE t.status = 'open' AND t.due_at >= ? AND t.assignee_id IS NOT NULL "
      "AND ((t.due_date IS NULL AND t.due_at <= ?) OR (t.due_date IS NOT NULL AND t.due_date <= ?)) "
      "AND NOT EXISTS (SELECT 1 FROM task_reminders r WHERE r.task_id = t.id AND r.due_at = t.due_at) "
      "ORDER BY t.due_at, t.id LIMIT ?",
      {due_after, due_before, local_today, limit});
}

// False when this due date was already reminded (by this or another worker).
bool mark_task_reminded(store::Connection& c, int64_t task_id, const std::string& due_at, int64_t user_id,
                                           const std::string& now) {
  // On PostgreSQL a concurrent transaction inserting the same key makes this one wait for it, then
  // do nothing: the reminder is created once whichever worker gets there first.
  return !c.query(
              "INSERT INTO task_reminders (task_id, due_at, user_id, created_at) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (task_id, due_at) DO NOTHING RETURNING task_id",
              {task_id, due_at, user_id, now})
              .empty();
}

void link_task_reminder(store::Connection& c, int64_t task_id, const std::string& due_at,
                                           int64_t notification_id) {
  c.execute("UPDATE task_reminders SET notification_id = ? WHERE task_id = ? AND due_at = ?",
            {notification_id, task_id, due_at});
}

}  // namespace

int64_t TaskReminders::remind_due_tasks(int64_t now, const ReminderOptions& o) {
  const std::string now_text = clock::format_utc(now);
  const std::string after = clock::format_utc(now - o.overdue_days * 86400);
  const std::string before = clock::format_utc(now + o.ahead_minutes * 60);
  constexpr int64_t kBatch = 200;
  int64_t created = 0;
  // Batches of short write transactions; each task is marked as reminded in the same transaction
  // as its notification is written, so a crash leaves no half-done reminder.
  for (int round = 0; round < 10000; ++round) {
    size_t seen = store::with_transaction(db_, true, [&](store::Connection& c) {
      const zoned::Zone zone = modules::settings::company_zone(c);
      const std::string local_today = zone.local_date(now);
      auto tasks = tasks_to_remind(c, after, before, local_today, kBatch);
      for (const auto& t : tasks) {
        int64_t task_id = t["id"].get<int64_t>(), user_id = t["assignee_id"].get<int64_t>();
        std::string due = t["due_at"].get<std::string>(), title = t["title"].get<std::string>();
        const bool all_day = t["due_date"].is_string();
        if (!mark_task_reminded(c, task_id, due, user_id, now_text)) continue;
        bool overdue = due < now_text;
        // Stored words are the company's (French): the bell shows them as they are.
        const std::string day = all_day ? t["due_date"].get<std::string>() : zone.local_date_time(*clock::parse_utc(due));
        const std::string when = day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4) +
                                 (all_day ? "" : " à " + day.substr(11, 5));
        int64_t nid = store::NotificationStore::insert(
            c, user_id, "task_due",
            (overdue ? "Relance en retard : " : all_day ? "Relance du jour : " : "Relance bientôt due : ") + title,
            "Échéance : " + when, "tasks", task_id, now_text);
        link_task_reminder(c, task_id, due, nid);
        ++created;
      }
      return tasks.size();
    });
    if (seen < size_t(kBatch)) break;
  }
  return created;
}

}  // namespace gz::domain
