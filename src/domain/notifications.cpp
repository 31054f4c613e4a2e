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
  if (!found)
    throw Problem(ProblemKind::NotFound, tr("notification {id} does not exist or is not yours", {{"id", std::to_string(id)}}));
}

}  // namespace gz::domain
