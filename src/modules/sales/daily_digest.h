// The daily summary of each salesperson by e-mail (daily_digest.cpp).
#pragma once
#include <optional>
#include <string>

#include "store/database.h"

namespace gz::domain { class JobQueue; }

namespace gz::modules::sales {

struct DigestText {
  std::string subject, body;
};
// The user's summary of a day (their follow-ups due or late, deals closing within a week,
// prospects since yesterday), or nullopt when there is nothing to say.
std::optional<DigestText> digest_for(store::Connection& c, int64_t user_id, const std::string& today);
// From 7:00 local time, one job per salesperson and day (unique key); returns how many were queued.
int64_t queue_daily_digests(store::Database& db, domain::JobQueue& queue, int64_t now);
// Queues the e-mail of one user's summary; false when there is nothing to send or no mailbox sends
// automatic messages.
bool send_daily_digest(store::Database& db, domain::JobQueue& queue, int64_t user_id, const std::string& day);

}  // namespace gz::modules::sales
