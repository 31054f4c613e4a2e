// Civil time in a time zone (IANA ids: "Europe/Paris"), on ICU's zone data (icu::TimeZone,
// icu::Calendar): g++ 12's library has no C++20 time-zone database. Gazelle stores instants in
// UTC (core/clock.h); what people mean by "today", "the 29th" or "9 o'clock" is local to the
// company (its time zone is in the company settings, modules/settings). This is the one place
// that converts between the two:
//
//   - the start and end of a local day as UTC instants (a day lasts 23 or 25 hours on the days
//     the clocks change, and may even start at 01:00 in a zone whose clocks skip midnight);
//   - the local date (and wall-clock time) of a UTC instant;
//   - a local wall-clock time as a UTC instant, with an explicit rule for the times that do not
//     exist (the spring-forward gap, 02:30 in Paris on 2026-03-29) or exist twice (the autumn
//     overlap, 02:30 on 2026-10-25).
//
// Follow-ups use it for "due today" and for a due date without a time (modules/activity). It is
// written so that the service desk's business hours can reuse it unchanged: "open 09:00–18:00
// Monday to Friday" becomes, for each local date, local_to_utc(date, "09:00") and
// local_to_utc(date, "18:00") (weekday() says which days count), and an SLA deadline is found
// by walking local dates with next_date(). All functions are pure and thread-safe; a Zone may be
// shared between threads.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gz::zoned {

// Whether ICU knows the id as a time zone ("Europe/Paris", "America/New_York", "UTC"); false
// for "", "Europe/Pariss", "+02:00".
bool is_known_zone(std::string_view id);

// What a wall-clock time that does not exist (skipped by a spring-forward change) becomes.
enum class Skipped {
  ShiftForward,  // moved forward by the length of the gap, as a clock would read: 02:30 → 03:30
  NextValid,     // the first instant after the gap: 02:30 → 03:00
};
// Which instant a wall-clock time that happens twice (the autumn overlap) stands for.
enum class Repeated {
  Earlier,  // the first occurrence (summer time in Europe): 02:30 CEST
  Later,    // the second one: 02:30 CET
};

class Zone {
 public:
  // Throws std::invalid_argument for an id that is_known_zone() refuses.
  explicit Zone(std::string_view id);
  ~Zone();
  Zone(const Zone&);
  Zone& operator=(const Zone&);

  const std::string& id() const { return id_; }

  // The first instant (unix seconds) of local day `date` ("YYYY-MM-DD"): local midnight, or the
  // end of the gap when midnight is skipped. Throws std::invalid_argument for a malformed date.
  int64_t day_start(std::string_view date) const;
  // The first instant of the next local day: the day is [day_start, day_end).
  int64_t day_end(std::string_view date) const;
  // day_end - day_start: 86400, 82800 (spring forward) or 90000 (fall back) in Europe.
  int64_t day_length(std::string_view date) const { return day_end(date) - day_start(date); }

  // The local date ("YYYY-MM-DD") and wall-clock time ("YYYY-MM-DDTHH:MM:SS") of an instant.
  std::string local_date(int64_t unix_seconds) const;
  std::string local_date_time(int64_t unix_seconds) const;
  // Offset from UTC at an instant, in seconds (7200 in Paris in summer).
  int offset_seconds(int64_t unix_seconds) const;

  // The instant of a local wall-clock time: date "YYYY-MM-DD", time "HH:MM" or "HH:MM:SS".
  // Throws std::invalid_argument for a malformed date or time.
  int64_t local_to_utc(std::string_view date, std::string_view time, Skipped skipped = Skipped::ShiftForward,
                       Repeated repeated = Repeated::Earlier) const;

 private:
  std::string id_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Calendar arithmetic on local dates, which needs no zone: the next (or previous, days < 0)
// date, and the ISO weekday (1 = Monday … 7 = Sunday). Throws std::invalid_argument for a
// malformed date.
std::string next_date(std::string_view date, int days = 1);
int weekday(std::string_view date);

// The same dates as day numbers (days since 1970-01-01, proleptic Gregorian), for code that walks
// many dates (the service desk's business calendars): no string or ICU call per day.
struct CivilDate {
  int y = 0, m = 0, d = 0;
};
int64_t days_from_civil(CivilDate c);
CivilDate civil_from_days(int64_t day);
std::optional<int64_t> day_number(std::string_view date);  // nullopt for a malformed date
std::string date_of_day(int64_t day);                      // "YYYY-MM-DD"
int weekday_of_day(int64_t day);                           // ISO: 1 = Monday … 7 = Sunday

}  // namespace gz::zoned
