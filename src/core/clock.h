// Time as the CRM stores it: UTC, ISO 8601 text "YYYY-MM-DDTHH:MM:SSZ", which sorts as it reads.
// Local days and wall-clock times (the company's time zone) are core/zoned_time.h's.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gz::clock {

std::string now_utc();                      // current time, second precision
std::string format_utc(int64_t unix_seconds);
int64_t now_unix();
std::string today_utc();                    // "YYYY-MM-DD"
// Unix seconds of "YYYY-MM-DDTHH:MM:SSZ" (the stored form); nullopt for anything else.
std::optional<int64_t> parse_utc(std::string_view iso);

// Tests only: a fixed "now" for this process (nullopt: the real clock again), so that a unit
// test can stand on a given day. A black-box test moves the clock of a server it started with
// the environment variable GAZELLE_TEST_CLOCK_FILE=<path>: every reading of the clock then reads
// that file, which holds an instant ("2026-03-29T21:30:00Z" or unix seconds); a missing or empty
// file means the real clock. Nothing else sets them: a production process reads the system clock.
void set_for_tests(std::optional<int64_t> unix_seconds);

}  // namespace gz::clock
