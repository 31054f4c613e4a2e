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

}  // namespace gz::store
