#include "domain/notifications.h"

#include "core/clock.h"
#include "core/problem.h"
#include "store/notification_store.h"

namespace gz::domain {

NotificationPage NotificationService::list(const Actor& actor, bool unread_only, int64_t limit, const std::string& cursor) {
  int64_t before = 0;
  if (!cursor.empty()) {
    try {
      size_t pos;
      before = std::stoll(cursor, &pos);
      if (pos != cursor.size() || before <= 0) throw std::invalid_argument("cursor");
    } catch (...) {
      throw Problem(ProblemKind::BadRequest, "cursor must be the next_cursor of a previous page", {{"cursor", "invalid"}});
    }
  }
  return store::with_transaction(db_, false, [&](store::Connection& c) {
    NotificationPage page;
    page.data = store::NotificationStore::list(c, actor.user_id, unread_only, limit + 1, before);
    if (int64_t(page.data.size()) > limit) {
      page.data.resize(size_t(limit));
      page.next_cursor = std::to_string(page.data.back()["id"].get<int64_t>());
    }
    page.unread = store::NotificationStore::count_unread(c, actor.user_id);
    return page;
  });
}

void NotificationService::mark_read(const Actor& actor, int64_t id) {
  bool found = store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::NotificationStore::mark_read(c, actor.user_id, id, clock::now_utc());
  });
  if (!found) throw Problem(ProblemKind::NotFound, "notification " + std::to_string(id) + " does not exist or is not yours");
}

int64_t NotificationService::remind_due_tasks(int64_t now, const ReminderOptions& o) {
  const std::string now_text = clock::format_utc(now);
  const std::string after = clock::format_utc(now - o.overdue_days * 86400);
  const std::string before = clock::format_utc(now + o.ahead_minutes * 60);
  constexpr int64_t kBatch = 200;
  int64_t created = 0;
  // Batches of short write transactions; each task is marked as reminded in the same transaction
  // as its notification is written, so a crash leaves no half-done reminder.
  for (int round = 0; round < 10000; ++round) {
    size_t seen = store::with_transaction(db_, true, [&](store::Connection& c) {
      auto tasks = store::NotificationStore::tasks_to_remind(c, after, before, kBatch);
      for (const auto& t : tasks) {
        int64_t task_id = t["id"].get<int64_t>(), user_id = t["assignee_id"].get<int64_t>();
        std::string due = t["due_at"].get<std::string>(), title = t["title"].get<std::string>();
        if (!store::NotificationStore::mark_task_reminded(c, task_id, due, user_id, now_text)) continue;
        bool overdue = due < now_text;
        int64_t nid = store::NotificationStore::insert(c, user_id, "task_due",
                                                       (overdue ? "Overdue task: " : "Task due soon: ") + title,
                                                       "Due " + due, "tasks", task_id, now_text);
        store::NotificationStore::link_task_reminder(c, task_id, due, nid);
        ++created;
      }
      return tasks.size();
    });
    if (seen < size_t(kBatch)) break;
  }
  return created;
}

}  // namespace gz::domain
