#include "core/clock.h"

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

namespace gz::clock {

namespace {

constexpr int64_t kUnset = INT64_MIN;
std::atomic<int64_t> fixed_now{kUnset};

// GAZELLE_TEST_CLOCK_FILE, read once: "" when unset (the usual case costs one atomic load).
const std::string& clock_file() {
  static const std::string path = [] {
    const char* p = std::getenv("GAZELLE_TEST_CLOCK_FILE");
    return std::string(p ? p : "");
  }();
  return path;
}

std::optional<int64_t> from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string text;
  std::getline(in, text);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return std::nullopt;
  if (auto t = parse_utc(text)) return t;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (end && *end == '\0') return int64_t(v);
  return std::nullopt;
}

}  // namespace

void set_for_tests(std::optional<int64_t> unix_seconds) { fixed_now.store(unix_seconds ? *unix_seconds : kUnset); }

int64_t now_unix() {
  int64_t f = fixed_now.load(std::memory_order_relaxed);
  if (f != kUnset) return f;
  if (!clock_file().empty())
    if (auto t = from_file(clock_file())) return *t;
  return static_cast<int64_t>(std::time(nullptr));
}

std::string format_utc(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<int64_t> parse_utc(std::string_view iso) {
  if (iso.size() != 20 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':' ||
      iso[19] != 'Z')
    return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
  std::tm tm{};
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (iso[i] - '0');
    return v;
  };
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return std::nullopt;
  return int64_t(timegm(&tm));
}

std::string now_utc() { return format_utc(now_unix()); }

std::string today_utc() { return now_utc().substr(0, 10); }

}  // namespace gz::clock
