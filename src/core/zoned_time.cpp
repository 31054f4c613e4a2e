#include "core/zoned_time.h"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/ucal.h>
#include <unicode/unistr.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace gz::zoned {

namespace {

using Civil = CivilDate;

bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : n[m - 1];
}

Civil parse_date(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-' || !digits(v.substr(0, 4)) || !digits(v.substr(5, 2)) ||
      !digits(v.substr(8, 2)))
    throw std::invalid_argument("not a date (YYYY-MM-DD): " + std::string(v.substr(0, 40)));
  Civil c{to_int(v.substr(0, 4)), to_int(v.substr(5, 2)), to_int(v.substr(8, 2))};
  if (c.y < 1 || c.m < 1 || c.m > 12 || c.d < 1 || c.d > days_in_month(c.y, c.m))
    throw std::invalid_argument("not a date (YYYY-MM-DD): " + std::string(v));
  return c;
}

std::string format_date(Civil c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y % 10000, c.m % 100, c.d % 100);
  return buf;
}

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU: ") + what + ": " + u_errorName(status));
}

}  // namespace

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t days_from_civil(CivilDate c) {
  int64_t y = c.y - (c.m <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (c.m + (c.m > 2 ? -3 : 9)) + 2) / 5 + c.d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
CivilDate civil_from_days(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = int(doy - (153 * mp + 2) / 5 + 1);
  int m = int(mp < 10 ? mp + 3 : mp - 9);
  return {int(y + (m <= 2)), m, d};
}

std::optional<int64_t> day_number(std::string_view date) {
  try {
    return days_from_civil(parse_date(date));
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

std::string date_of_day(int64_t day) { return format_date(civil_from_days(day)); }

int weekday_of_day(int64_t day) {  // 1970-01-01 was a Thursday (4)
  int64_t w = (day + 3) % 7;
  if (w < 0) w += 7;
  return int(w) + 1;
}

bool is_known_zone(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  icu::UnicodeString canonical;
  UBool system = false;
  UErrorCode status = U_ZERO_ERROR;
  icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(icu::StringPiece(id.data(), int32_t(id.size()))), canonical,
                                system, status);
  // "Etc/Unknown" is what ICU answers for a zone it does not know; custom ids ("GMT+2") are no
  // system zones.
  return U_SUCCESS(status) && system && canonical != icu::UnicodeString(u"Etc/Unknown");
}

struct Zone::Impl {
  std::unique_ptr<icu::TimeZone> tz;

  // A calendar in the zone: one per call (icu::Calendar is not thread-safe; the zone is).
  std::unique_ptr<icu::GregorianCalendar> calendar() const {
    UErrorCode status = U_ZERO_ERROR;
    auto cal = std::make_unique<icu::GregorianCalendar>(*tz, status);
    check(status, "calendar");
    return cal;
  }
};

Zone::Zone(std::string_view id) : id_(id), impl_(std::make_unique<Impl>()) {
  if (!is_known_zone(id)) throw std::invalid_argument("unknown time zone: " + std::string(id.substr(0, 64)));
  impl_->tz.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(id.data(), int32_t(id.size())))));
}

Zone::~Zone() = default;
Zone::Zone(const Zone& o) : id_(o.id_), impl_(std::make_unique<Impl>()) { impl_->tz.reset(o.impl_->tz->clone()); }
Zone& Zone::operator=(const Zone& o) {
  if (this != &o) {
    id_ = o.id_;
    impl_->tz.reset(o.impl_->tz->clone());
  }
  return *this;
}

int64_t Zone::local_to_utc(std::string_view date, std::string_view time, Skipped skipped, Repeated repeated) const {
  Civil c = parse_date(date);
  if (!((time.size() == 5 || (time.size() == 8 && time[5] == ':')) && time[2] == ':' && digits(time.substr(0, 2)) &&
        digits(time.substr(3, 2)) && (time.size() == 5 || digits(time.substr(6, 2)))))
    throw std::invalid_argument("not a time (HH:MM or HH:MM:SS): " + std::string(time.substr(0, 20)));
  int hh = to_int(time.substr(0, 2)), mm = to_int(time.substr(3, 2)), ss = time.size() == 8 ? to_int(time.substr(6, 2)) : 0;
  if (hh > 23 || mm > 59 || ss > 59) throw std::invalid_argument("not a time (HH:MM or HH:MM:SS): " + std::string(time));
  auto cal = impl_->calendar();
  cal->setLenient(true);  // lenient: a skipped time is resolved by the option below, not refused
  // ICU's options: for a skipped time, LAST reads it with the offset before the change (02:30
  // CET = 03:30 CEST), NEXT_VALID gives the end of the gap; for a repeated one, FIRST or LAST.
  cal->setSkippedWallTimeOption(skipped == Skipped::ShiftForward ? UCAL_WALLTIME_LAST : UCAL_WALLTIME_NEXT_VALID);
  cal->setRepeatedWallTimeOption(repeated == Repeated::Earlier ? UCAL_WALLTIME_FIRST : UCAL_WALLTIME_LAST);
  cal->clear();
  cal->set(c.y, c.m - 1, c.d, hh, mm, ss);
  UErrorCode status = U_ZERO_ERROR;
  UDate ms = cal->getTime(status);
  check(status, "local time");
  return int64_t(std::floor(ms / 1000.0));
}

int64_t Zone::day_start(std::string_view date) const {
  // Midnight, or the first instant after it when the clocks skip it; a repeated midnight starts
  // the day at its first occurrence.
  return local_to_utc(date, "00:00:00", Skipped::NextValid, Repeated::Earlier);
}

int64_t Zone::day_end(std::string_view date) const { return day_start(next_date(date, 1)); }

std::string Zone::local_date_time(int64_t unix_seconds) const {
  auto cal = impl_->calendar();
  UErrorCode status = U_ZERO_ERROR;
  cal->setTime(UDate(unix_seconds) * 1000.0, status);
  check(status, "set time");
  int f[6] = {cal->get(UCAL_EXTENDED_YEAR, status), cal->get(UCAL_MONTH, status) + 1, cal->get(UCAL_DATE, status),
              cal->get(UCAL_HOUR_OF_DAY, status), cal->get(UCAL_MINUTE, status), cal->get(UCAL_SECOND, status)};
  check(status, "fields");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", f[0] % 10000, f[1] % 100, f[2] % 100, f[3] % 100,
                f[4] % 100, f[5] % 100);
  return buf;
}

std::string Zone::local_date(int64_t unix_seconds) const { return local_date_time(unix_seconds).substr(0, 10); }

int Zone::offset_seconds(int64_t unix_seconds) const {
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  impl_->tz->getOffset(UDate(unix_seconds) * 1000.0, false, raw, dst, status);
  check(status, "offset");
  return (raw + dst) / 1000;
}

std::string next_date(std::string_view date, int days) {
  return format_date(civil_from_days(days_from_civil(parse_date(date)) + days));
}

int weekday(std::string_view date) { return weekday_of_day(days_from_civil(parse_date(date))); }

}  // namespace gz::zoned
