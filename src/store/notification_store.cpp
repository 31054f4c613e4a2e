#include "store/notification_store.h"

namespace gz::store {

int64_t NotificationStore::insert(Connection& c, int64_t user_id, const std::string& kind, const std::string& title,
                                  const std::string& body, const std::string& related_entity, int64_t related_id,
                                  const std::string& now) {
  return c.insert(
      "INSERT INTO notifications (user_id, kind, title, body, related_entity, related_id, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {user_id, kind, title, body.empty() ? json() : json(body), related_entity.empty() ? json() : json(related_entity),
       related_id ? json(related_id) : json(), now});
}

std::vector<json> NotificationStore::list(Connection& c, int64_t user_id, bool unread_only, int64_t limit,
                                          int64_t before_id) {
  std::string sql =
      "SELECT id, kind, title, body, related_entity, related_id, created_at, read_at FROM notifications "
      "WHERE user_id = ?";
  Params p{user_id};
  if (unread_only) sql += " AND read_at IS NULL";
  if (before_id > 0) {
    sql += " AND id < ?";
    p.push_back(before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.push_back(limit);
  return c.query(sql, p);
}

int64_t NotificationStore::count_unread(Connection& c, int64_t user_id) {
  return c.query_one("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL", {user_id})["n"]
      .get<int64_t>();
}

bool NotificationStore::mark_read(Connection& c, int64_t user_id, int64_t id, const std::string& now) {
  if (c.query_one("SELECT id FROM notifications WHERE id = ? AND user_id = ?", {id, user_id}).is_null()) return false;
  c.execute("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", {now, id, user_id});
  return true;
}

std::vector<json> NotificationStore::tasks_to_remind(Connection& c, const std::string& due_after,
                                                     const std::string& due_before, int64_t limit) {
  return c.query(
      "SELECT t.id, t.title, t.due_at, t.assignee_id FROM tasks t "
      "WHERE t.status = 'open' AND t.due_at >= ? AND t.due_at <= ? AND t.assignee_id IS NOT NULL "
      "AND NOT EXISTS (SELECT 1 FROM task_reminders r WHERE r.task_id = t.id AND r.due_at = t.due_at) "
      "ORDER BY t.due_at, t.id LIMIT ?",
      {due_after, due_before, limit});
}

bool NotificationStore::mark_task_reminded(Connection& c, int64_t task_id, const std::string& due_at, int64_t user_id,
                                           const std::string& now) {
  // On PostgreSQL a concurrent transaction inserting the same key makes this one wait for it, then
  // do nothing: the reminder is created once whichever worker gets there first.
  return !c.query(
              "INSERT INTO task_reminders (task_id, due_at, user_id, created_at) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (task_id, due_at) DO NOTHING RETURNING task_id",
              {task_id, due_at, user_id, now})
              .empty();
}

void NotificationStore::link_task_reminder(Connection& c, int64_t task_id, const std::string& due_at,
                                           int64_t notification_id) {
  c.execute("UPDATE task_reminders SET notification_id = ? WHERE task_id = ? AND due_at = ?",
            {notification_id, task_id, due_at});
}

}  // namespace gz::store
