// Notifications for users (GET /api/v1/notifications, the event stream): written by modules
// (the activity module's task reminders), read and marked read by their user.
#pragma once
#include <string>
#include <vector>

#include "domain/access.h"
#include "store/database.h"

namespace gz::domain {

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

 private:
  store::Database& db_;
};

}  // namespace gz::domain
