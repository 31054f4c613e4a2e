// Time as the CRM stores it: UTC, ISO 8601 text "YYYY-MM-DDTHH:MM:SSZ", which sorts as it reads.
#pragma once
#include <cstdint>
#include <string>

namespace gz::clock {

std::string now_utc();                      // current time, second precision
std::string format_utc(int64_t unix_seconds);
int64_t now_unix();
std::string today_utc();                    // "YYYY-MM-DD"

}  // namespace gz::clock
