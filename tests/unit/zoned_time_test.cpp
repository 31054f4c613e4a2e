// core/zoned_time (ICU): local days as UTC intervals across the clock changes, local dates of
// instants, wall-clock times in the gap and the overlap; and the tests' clock (core/clock.h).
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/clock.h"
#include "core/zoned_time.h"

using namespace gz;

namespace {

int64_t utc(const char* iso) {
  auto t = clock::parse_utc(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

}  // namespace

TEST(ZonedTime, KnowsZonesByIanaId) {
  EXPECT_TRUE(zoned::is_known_zone("Europe/Paris"));
  EXPECT_TRUE(zoned::is_known_zone("America/New_York"));
  EXPECT_TRUE(zoned::is_known_zone("UTC"));
  EXPECT_FALSE(zoned::is_known_zone(""));
  EXPECT_FALSE(zoned::is_known_zone("Europe/Pariss"));
  EXPECT_FALSE(zoned::is_known_zone("GMT+2"));
  EXPECT_FALSE(zoned::is_known_zone("+02:00"));
  EXPECT_THROW(zoned::Zone("Mars/Olympus"), std::invalid_argument);
}

TEST(ZonedTime, AnOrdinaryParisDayIs24HoursFromLocalMidnight) {
  zoned::Zone paris("Europe/Paris");
  EXPECT_EQ(paris.day_start("2026-01-15"), utc("2026-01-14T23:00:00Z"));
  EXPECT_EQ(paris.day_end("2026-01-15"), utc("2026-01-15T23:00:00Z"));
  EXPECT_EQ(paris.day_length("2026-01-15"), 86400);
  EXPECT_EQ(paris.day_start("2026-07-14"), utc("2026-07-13T22:00:00Z"));
  EXPECT_EQ(paris.offset_seconds(utc("2026-07-14T12:00:00Z")), 7200);
}

TEST(ZonedTime, SpringForwardDayLasts23Hours) {
  zoned::Zone paris("Europe/Paris");
  // 2026-03-29: 02:00 CET becomes 03:00 CEST.
  EXPECT_EQ(paris.day_start("2026-03-29"), utc("2026-03-28T23:00:00Z"));
  EXPECT_EQ(paris.day_end("2026-03-29"), utc("2026-03-29T22:00:00Z"));
  EXPECT_EQ(paris.day_length("2026-03-29"), 23 * 3600);
  EXPECT_EQ(paris.local_date(utc("2026-03-28T22:59:59Z")), "2026-03-28");
  EXPECT_EQ(paris.local_date(utc("2026-03-28T23:00:00Z")), "2026-03-29");
  EXPECT_EQ(paris.local_date(utc("2026-03-29T21:59:59Z")), "2026-03-29");
  EXPECT_EQ(paris.local_date(utc("2026-03-29T22:00:00Z")), "2026-03-30");
  EXPECT_EQ(paris.local_date_time(utc("2026-03-29T01:00:00Z")), "2026-03-29T03:00:00");
  // 02:30 does not exist that night.
  EXPECT_EQ(paris.local_to_utc("2026-03-29", "02:30"), utc("2026-03-29T01:30:00Z"));  // read as 03:30
  EXPECT_EQ(paris.local_to_utc("2026-03-29", "02:30", zoned::Skipped::NextValid), utc("2026-03-29T01:00:00Z"));
  EXPECT_EQ(paris.local_to_utc("2026-03-29", "01:59:59"), utc("2026-03-29T00:59:59Z"));
  EXPECT_EQ(paris.local_to_utc("2026-03-29", "03:00"), utc("2026-03-29T01:00:00Z"));
}

TEST(ZonedTime, FallBackDayLasts25Hours) {
  zoned::Zone paris("Europe/Paris");
  // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:00–02:59 happen twice.
  EXPECT_EQ(paris.day_start("2026-10-25"), utc("2026-10-24T22:00:00Z"));
  EXPECT_EQ(paris.day_end("2026-10-25"), utc("2026-10-25T23:00:00Z"));
  EXPECT_EQ(paris.day_length("2026-10-25"), 25 * 3600);
  EXPECT_EQ(paris.local_date(utc("2026-10-25T22:59:59Z")), "2026-10-25");
  EXPECT_EQ(paris.local_date(utc("2026-10-25T23:00:00Z")), "2026-10-26");
  EXPECT_EQ(paris.local_to_utc("2026-10-25", "02:30"), utc("2026-10-25T00:30:00Z"));  // the first, CEST
  EXPECT_EQ(paris.local_to_utc("2026-10-25", "02:30", zoned::Skipped::ShiftForward, zoned::Repeated::Later),
            utc("2026-10-25T01:30:00Z"));
  EXPECT_EQ(paris.local_date_time(utc("2026-10-25T00:30:00Z")), "2026-10-25T02:30:00");
  EXPECT_EQ(paris.local_date_time(utc("2026-10-25T01:30:00Z")), "2026-10-25T02:30:00");
}

TEST(ZonedTime, OtherZonesAndTheirOwnChangeDates) {
  zoned::Zone ny("America/New_York");
  // 2026-03-08 in New York: 02:00 EST becomes 03:00 EDT; Paris changes three weeks later.
  EXPECT_EQ(ny.day_length("2026-03-08"), 23 * 3600);
  EXPECT_EQ(ny.day_start("2026-03-08"), utc("2026-03-08T05:00:00Z"));
  EXPECT_EQ(ny.day_length("2026-03-29"), 86400);
  zoned::Zone utc_zone("UTC");
  EXPECT_EQ(utc_zone.day_start("2026-03-29"), utc("2026-03-29T00:00:00Z"));
  EXPECT_EQ(utc_zone.day_length("2026-10-25"), 86400);
}

TEST(ZonedTime, EveryDayOfTheYearStartsOnItsOwnDateInEveryZone) {
  // Whatever the zone's rules (Santiago skips midnight itself when its clocks go forward), the
  // day's first instant has that local date, the instant before it the previous one, and a day
  // lasts 23, 24 or 25 hours.
  for (const char* id : {"Europe/Paris", "America/Santiago", "Australia/Lord_Howe", "Pacific/Chatham", "Indian/Reunion"}) {
    zoned::Zone z(id);
    std::string d = "2026-01-01";
    for (int i = 0; i < 365; ++i, d = zoned::next_date(d)) {
      int64_t start = z.day_start(d);
      ASSERT_EQ(z.local_date(start), d) << id;
      ASSERT_EQ(z.local_date(start - 1), zoned::next_date(d, -1)) << id;
      int64_t len = z.day_length(d);
      ASSERT_TRUE(len >= 23 * 3600 && len <= 25 * 3600) << id << " " << d << " " << len;
    }
  }
}

TEST(ZonedTime, CalendarArithmetic) {
  EXPECT_EQ(zoned::next_date("2026-12-31"), "2027-01-01");
  EXPECT_EQ(zoned::next_date("2024-02-28"), "2024-02-29");
  EXPECT_EQ(zoned::next_date("2026-03-01", -1), "2026-02-28");
  EXPECT_EQ(zoned::weekday("2026-03-29"), 7);  // a Sunday
  EXPECT_EQ(zoned::weekday("2026-12-07"), 1);  // a Monday
  EXPECT_THROW(zoned::next_date("2026-02-30"), std::invalid_argument);
  zoned::Zone paris("Europe/Paris");
  EXPECT_THROW(paris.local_to_utc("2026-03-29", "25:00"), std::invalid_argument);
  EXPECT_THROW(paris.day_start("29/03/2026"), std::invalid_argument);
}

TEST(TestClock, AFixedNowAndBack) {
  clock::set_for_tests(utc("2026-03-29T21:59:59Z"));
  EXPECT_EQ(clock::now_utc(), "2026-03-29T21:59:59Z");
  EXPECT_EQ(clock::today_utc(), "2026-03-29");
  clock::set_for_tests(std::nullopt);
  EXPECT_GT(clock::now_unix(), utc("2026-03-29T21:59:59Z"));
  EXPECT_FALSE(clock::parse_utc("2026-03-29").has_value());
  EXPECT_FALSE(clock::parse_utc("2026-03-29T25:00:00Z").has_value());
}
