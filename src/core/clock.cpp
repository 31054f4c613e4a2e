#include "core/clock.h"

#include <ctime>

namespace gz::clock {

int64_t now_unix() { return static_cast<int64_t>(std::time(nullptr)); }

std::string format_utc(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string now_utc() { return format_utc(now_unix()); }

std::string today_utc() { return now_utc().substr(0, 10); }

}  // namespace gz::clock
