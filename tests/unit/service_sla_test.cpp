// Service levels (modules/service/sla.h): French public holidays, business time over a calendar
// across lunch breaks, holidays and the clock changes, and the replay of a case's events into
// its deadlines. Every expected deadline was worked out by hand, in Paris local time.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "core/zoned_time.h"
#include "modules/service/sla.h"

using namespace gz;
using namespace gz::modules::service;

namespace {

const zoned::Zone& paris() {
  static const zoned::Zone zone("Europe/Paris");
  return zone;
}

// A Paris wall-clock time as an instant, and back ("2026-03-09T11:00:00").
int64_t at(const char* date, const char* time) { return paris().local_to_utc(date, time); }
std::string local(int64_t t) { return paris().local_date_time(t); }
std::string local(const std::optional<int64_t>& t) { return t ? local(*t) : "none"; }

// Monday to Friday, 09:00–12:30 and 14:00–18:00, French holidays closed.
CalendarSpec office() {
  CalendarSpec s;
  for (int d = 1; d <= 5; ++d) s.week[d] = {{540, 750}, {840, 1080}};
  return s;
}

// Open day and night, every day, holidays included.
CalendarSpec always() {
  CalendarSpec s;
  for (int d = 1; d <= 7; ++d) s.week[d] = {{0, 1440}};
  s.french_holidays = false;
  return s;
}

// 09:00–18:00 every day, holidays included.
CalendarSpec nine_to_six() {
  CalendarSpec s;
  for (int d = 1; d <= 7; ++d) s.week[d] = {{540, 1080}};
  s.french_holidays = false;
  return s;
}

SlaPolicy policy(int64_t id, const BusinessClock& clock, std::optional<int64_t> first, std::optional<int64_t> next,
                 std::optional<int64_t> resolution) {
  SlaPolicy p;
  p.id = id;
  p.name = "policy " + std::to_string(id);
  p.targets.first_response_minutes = first;
  p.targets.next_response_minutes = next;
  p.targets.resolution_minutes = resolution;
  p.clock = &clock;
  return p;
}

CaseEvent created(int64_t t) { return {t, EventKind::Created, ""}; }
CaseEvent reply(int64_t t) { return {t, EventKind::AgentReply, ""}; }
CaseEvent customer(int64_t t) { return {t, EventKind::CustomerMessage, ""}; }
CaseEvent note(int64_t t) { return {t, EventKind::InternalNote, ""}; }
CaseEvent status(int64_t t, std::string s) { return {t, EventKind::StatusChange, std::move(s)}; }

}  // namespace

// ---- Holidays -------------------------------------------------------------------------------

TEST(ServiceSla, EasterSundayOfKnownYears) {
  EXPECT_EQ(easter_sunday(2024), "2024-03-31");
  EXPECT_EQ(easter_sunday(2025), "2025-04-20");
  EXPECT_EQ(easter_sunday(2026), "2026-04-05");
  EXPECT_EQ(easter_sunday(2027), "2027-03-28");
  EXPECT_EQ(easter_sunday(2038), "2038-04-25");
  EXPECT_EQ(easter_sunday(2285), "2285-03-22");  // the earliest possible date
}

TEST(ServiceSla, FrenchPublicHolidaysOf2026) {
  auto h = french_public_holidays(2026);
  std::vector<std::pair<std::string, std::string>> expected = {
      {"2026-01-01", "Jour de l'an"},   {"2026-04-06", "Lundi de Pâques"},    {"2026-05-01", "Fête du travail"},
      {"2026-05-08", "Victoire 1945"},  {"2026-05-14", "Ascension"},          {"2026-05-25", "Lundi de Pentecôte"},
      {"2026-07-14", "Fête nationale"}, {"2026-08-15", "Assomption"},         {"2026-11-01", "Toussaint"},
      {"2026-11-11", "Armistice 1918"}, {"2026-12-25", "Noël"}};
  EXPECT_EQ(h, expected);
  EXPECT_TRUE(is_french_public_holiday("2026-05-14"));
  EXPECT_TRUE(is_french_public_holiday("2026-05-25"));
  EXPECT_FALSE(is_french_public_holiday("2026-05-24"));  // Pentecost Sunday itself is no extra closing
  EXPECT_FALSE(is_french_public_holiday("2026-02-30"));
  EXPECT_FALSE(is_french_public_holiday("not a date"));
}

TEST(ServiceSla, HolidaysStaySortedWhenAscensionComesBeforeMay) {
  auto h = french_public_holidays(2285);  // Easter 22 March: Ascension on 30 April
  ASSERT_EQ(h.size(), 11u);
  EXPECT_TRUE(std::is_sorted(h.begin(), h.end()));
  EXPECT_EQ(h[2], (std::pair<std::string, std::string>{"2285-04-30", "Ascension"}));
}

// ---- Calendar checks ------------------------------------------------------------------------

TEST(ServiceSla, CheckCalendarAcceptsAValidCalendar) {
  CalendarSpec s = office();
  s.closed_dates = {"2026-08-14"};
  std::vector<std::pair<int, TimeRange>> ranges = {{1, {540, 720}}, {1, {720, 840}}, {2, {0, 1440}}};
  EXPECT_TRUE(check_calendar(s, ranges).empty());
}

TEST(ServiceSla, CheckCalendarRejectsOverlapsBadRangesZoneAndDates) {
  CalendarSpec s;
  s.time_zone = "Europe/Pariss";
  s.closed_dates = {"2026-02-30"};
  std::vector<std::pair<int, TimeRange>> ranges = {
      {1, {540, 720}}, {1, {660, 840}}, {2, {660, 840}}, {3, {600, 540}}, {4, {0, 1500}}, {8, {540, 600}}};
  auto errors = check_calendar(s, ranges);
  ASSERT_EQ(errors.size(), 6u);
  std::sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.field < b.field; });
  EXPECT_EQ(errors[0].field, "closed_dates");
  EXPECT_EQ(errors[0].message, "\"2026-02-30\" must be a date written YYYY-MM-DD");
  EXPECT_EQ(errors[1].field, "ranges[1]");  // 11:00–14:00 overlaps the Monday morning; Tuesday's does not
  EXPECT_EQ(errors[1].kind, CalendarError::Kind::Overlap);
  EXPECT_EQ(errors[1].other.start, 540);
  EXPECT_EQ(errors[1].message, "weekday 1: 11:00–14:00 overlaps 09:00–12:00 on the same day");
  EXPECT_EQ(errors[2].field, "ranges[3]");
  EXPECT_EQ(errors[2].message, "weekday 3, 10:00–09:00: the range must end after it starts");
  EXPECT_EQ(errors[3].field, "ranges[4]");
  EXPECT_EQ(errors[3].message, "weekday 4, 00:00–1500 min: the range must lie between 00:00 and 24:00");
  EXPECT_EQ(errors[4].field, "ranges[5]");
  EXPECT_EQ(errors[5].field, "time_zone");
  EXPECT_EQ(errors[5].message, "unknown time zone");
}

TEST(ServiceSla, UnknownZoneIsRefusedByTheClock) {
  CalendarSpec s = office();
  s.time_zone = "Mars/Olympus";
  EXPECT_THROW(BusinessClock{s}, std::invalid_argument);
}

// ---- Business time --------------------------------------------------------------------------

TEST(ServiceSla, FourHoursFromFridayAfternoonLandMondayMorning) {
  BusinessClock clock(office());  // 2026-03-06 is a Friday; no holiday that week-end or Monday
  EXPECT_EQ(local(clock.add(at("2026-03-06", "16:00"), 4 * 3600)), "2026-03-09T11:00:00");
  EXPECT_EQ(clock.between(at("2026-03-06", "16:00"), at("2026-03-09", "11:00")), 4 * 3600);
}

TEST(ServiceSla, LunchBreakIsNotCounted) {
  BusinessClock clock(office());
  EXPECT_EQ(local(clock.add(at("2026-03-09", "11:30"), 2 * 3600)), "2026-03-09T15:00:00");
  EXPECT_EQ(clock.between(at("2026-03-09", "12:00"), at("2026-03-09", "14:30")), 3600);
  EXPECT_FALSE(clock.is_open(at("2026-03-09", "12:45")));
  EXPECT_TRUE(clock.is_open(at("2026-03-09", "14:00")));
  EXPECT_FALSE(clock.is_open(at("2026-03-09", "18:00")));
  // A deadline reached at closing time is that closing time, not the next opening.
  EXPECT_EQ(local(clock.add(at("2026-03-09", "17:00"), 3600)), "2026-03-09T18:00:00");
}

TEST(ServiceSla, ZeroSecondsIsTheNextOpening) {
  BusinessClock clock(office());
  EXPECT_EQ(local(clock.add(at("2026-03-07", "10:00"), 0)), "2026-03-09T09:00:00");  // Saturday
  EXPECT_EQ(local(clock.add(at("2026-03-09", "10:00"), 0)), "2026-03-09T10:00:00");
  EXPECT_EQ(local(clock.add(at("2026-03-09", "12:30"), 0)), "2026-03-09T14:00:00");
}

TEST(ServiceSla, EasterMondayIsSkipped) {
  BusinessClock clock(office());  // Easter Monday 2026-04-06
  EXPECT_EQ(local(clock.add(at("2026-04-03", "16:00"), 4 * 3600)), "2026-04-07T11:00:00");
  EXPECT_TRUE(clock.open_intervals("2026-04-06").empty());
  EXPECT_TRUE(clock.open_intervals("2026-05-14").empty());  // Ascension
}

TEST(ServiceSla, ExtraClosedDatesAreSkipped) {
  CalendarSpec s = office();
  s.closed_dates = {"2026-03-09"};
  BusinessClock clock(s);
  EXPECT_EQ(local(clock.add(at("2026-03-06", "16:00"), 4 * 3600)), "2026-03-10T11:00:00");
  EXPECT_EQ(clock.between(at("2026-03-06", "18:00"), at("2026-03-10", "09:00")), 0);
}

TEST(ServiceSla, AllDayCalendarCountsRealHoursAcrossClockChanges) {
  BusinessClock clock(always());
  // 2026-03-29 has 23 hours: 24 business hours from Saturday noon end at 13:00 on Sunday.
  EXPECT_EQ(local(clock.add(at("2026-03-28", "12:00"), 24 * 3600)), "2026-03-29T13:00:00");
  EXPECT_EQ(clock.between(at("2026-03-28", "12:00"), at("2026-03-29", "12:00")), 23 * 3600);
  // 2026-10-25 has 25 hours.
  EXPECT_EQ(local(clock.add(at("2026-10-24", "12:00"), 24 * 3600)), "2026-10-25T11:00:00");
  EXPECT_EQ(clock.between(at("2026-10-24", "12:00"), at("2026-10-25", "12:00")), 25 * 3600);
  auto spring = clock.open_intervals("2026-03-29");
  ASSERT_EQ(spring.size(), 1u);
  EXPECT_EQ(spring[0].second - spring[0].first, 23 * 3600);
}

TEST(ServiceSla, NineOClockIsNineOClockOnBothSidesOfTheClockChanges) {
  BusinessClock clock(nine_to_six());
  for (const char* date : {"2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26"}) {
    auto iv = clock.open_intervals(date);
    ASSERT_EQ(iv.size(), 1u) << date;
    EXPECT_EQ(iv[0].first, at(date, "09:00")) << date;
    EXPECT_EQ(iv[0].second, at(date, "18:00")) << date;
  }
  EXPECT_EQ(local(clock.add(at("2026-03-28", "17:00"), 2 * 3600)), "2026-03-29T10:00:00");
  EXPECT_EQ(local(clock.add(at("2026-10-24", "17:00"), 2 * 3600)), "2026-10-25T10:00:00");
  EXPECT_EQ(clock.between(at("2026-03-28", "09:00"), at("2026-03-29", "18:00")), 18 * 3600);
}

TEST(ServiceSla, RangeAcrossTheSkippedOrRepeatedHourIsShorterOrLonger) {
  CalendarSpec s;
  s.week[7] = {{60, 240}, {1200, 1230}};  // Sundays 01:00–04:00 and 20:00–20:30
  s.french_holidays = false;
  BusinessClock clock(s);
  auto length = [&](const char* date) {
    int64_t n = 0;
    for (auto [a, b] : clock.open_intervals(date)) n += b - a;
    return n;
  };
  EXPECT_EQ(length("2026-03-22"), 3 * 3600 + 1800);
  EXPECT_EQ(length("2026-03-29"), 2 * 3600 + 1800);
  EXPECT_EQ(length("2026-10-25"), 4 * 3600 + 1800);
  // A range inside the gap does not exist that day.
  CalendarSpec gap;
  gap.week[7] = {{120, 150}};  // 02:00–02:30
  gap.french_holidays = false;
  EXPECT_TRUE(BusinessClock(gap).open_intervals("2026-03-29").empty());
}

TEST(ServiceSla, CalendarWithoutOpeningHoursThrowsOnAdd) {
  CalendarSpec s;
  BusinessClock clock(s);
  EXPECT_THROW(clock.add(at("2026-03-09", "09:00"), 60), std::runtime_error);
  EXPECT_EQ(clock.between(at("2026-03-09", "09:00"), at("2027-03-09", "09:00")), 0);
}

// ---- Replay ---------------------------------------------------------------------------------

TEST(ServiceSla, FirstResponseDeadlineAndInternalNoteDoesNotMeetIt) {
  BusinessClock clock(office());
  std::vector<SlaPolicy> policies = {policy(7, clock, 240, std::nullopt, std::nullopt)};
  std::vector<CaseEvent> events = {created(at("2026-03-06", "16:00")), note(at("2026-03-06", "16:10"))};
  auto r = replay_sla(events, policies, at("2026-03-06", "17:00"));
  EXPECT_EQ(r.first_response.state, MetricState::Running);
  EXPECT_EQ(local(r.first_response.due_at), "2026-03-09T11:00:00");
  EXPECT_EQ(r.first_response.policy_id, 7);
  EXPECT_FALSE(r.first_response.met_at);
  EXPECT_EQ(r.first_response.remaining_seconds, 3 * 3600);
  EXPECT_EQ(r.first_response.elapsed_seconds, 3600);
  EXPECT_EQ(r.next_response.state, MetricState::None);
  EXPECT_EQ(r.resolution.state, MetricState::None);
  EXPECT_EQ(r.overall, MetricState::Running);
  EXPECT_EQ(local(r.next_due_at), "2026-03-09T11:00:00");

  events.push_back(reply(at("2026-03-09", "10:00")));
  r = replay_sla(events, policies, at("2026-03-09", "12:00"));
  EXPECT_EQ(r.first_response.state, MetricState::Met);
  EXPECT_EQ(local(r.first_response.met_at), "2026-03-09T10:00:00");
  EXPECT_EQ(r.overall, MetricState::Met);
  EXPECT_FALSE(r.next_due_at);
}

TEST(ServiceSla, WarningWithinTheLastMinutes) {
  BusinessClock clock(office());
  std::vector<SlaPolicy> policies = {policy(1, clock, 60, std::nullopt, std::nullopt)};
  std::vector<CaseEvent> events = {created(at("2026-03-09", "09:00"))};
  EXPECT_EQ(replay_sla(events, policies, at("2026-03-09", "09:29")).first_response.state, MetricState::Running);
  auto r = replay_sla(events, policies, at("2026-03-09", "09:40"));
  EXPECT_EQ(r.first_response.state, MetricState::Warning);
  EXPECT_EQ(r.first_response.remaining_seconds, 20 * 60);
  EXPECT_EQ(r.overall, MetricState::Warning);
}

TEST(ServiceSla, BreachThenLateReplyStaysBreachedWithMetAt) {
  BusinessClock clock(office());
  std::vector<SlaPolicy> policies = {policy(1, clock, 60, std::nullopt, std::nullopt)};
  std::vector<CaseEvent> events = {created(at("2026-03-09", "09:00"))};
  auto r = replay_sla(events, policies, at("2026-03-09", "10:15"));
  EXPECT_EQ(r.first_response.state, MetricState::Breached);
  EXPECT_EQ(r.first_response.remaining_seconds, -15 * 60);
  EXPECT_FALSE(r.next_due_at);  // a breached deadline is no longer ahead

  events.push_back(reply(at("2026-03-09", "10:30")));
  r = replay_sla(events, policies, at("2026-03-09", "11:00"));
  EXPECT_EQ(r.first_response.state, MetricState::Breached);
  EXPECT_EQ(local(r.first_response.met_at), "2026-03-09T10:30:00");
  EXPECT_EQ(local(r.first_response.breached_at), "2026-03-09T10:00:00");
  EXPECT_EQ(local(r.first_response.due_at), "2026-03-09T10:00:00");
  EXPECT_EQ(r.first_response.breaches, 1);
  EXPECT_EQ(r.first_response.remaining_seconds, -30 * 60);
  EXPECT_EQ(r.overall, MetricState::Breached);
}

TEST(ServiceSla, WaitingForTheCustomerPausesAndExtendsTheDeadline) {
  BusinessClock clock(office());
  std::vector<SlaPolicy> policies = {policy(1, clock, std::nullopt, std::nullopt, 480)};
  std::vector<CaseEvent> events = {created(at("2026-03-09", "09:00")), status(at("2026-03-09", "10:00"), "waiting_customer")};
  // Without the pause: Tuesday 09:30. While paused: no deadline, 7 hours left.
  auto r = replay_sla(events, policies, at("2026-03-09", "11:00"));
  EXPECT_EQ(r.resolution.state, MetricState::Paused);
  EXPECT_FALSE(r.resolution.due_at);
  EXPECT_EQ(r.resolution.remaining_seconds, 7 * 3600);
  EXPECT_EQ(r.overall, MetricState::Paused);
  EXPECT_FALSE(r.next_due_at);

  // 4h30 of business time paused (10:00–12:30, 14:00–16:00): Tuesday 15:30.
  events.push_back(status(at("2026-03-09", "16:00"), "open"));
  r = replay_sla(events, policies, at("2026-03-10", "10:00"));
  EXPECT_EQ(r.resolution.state, MetricState::Running);
  EXPECT_EQ(local(r.resolution.due_at), "2026-03-10T15:30:00");
  EXPECT_EQ(r.resolution.elapsed_seconds, 3600 + 2 * 3600 + 3600);
}

TEST(ServiceSla, NextResponseStartsAtCustomerMessageAfterTheFirstResponse) {
  BusinessClock clock(office());
  std::vector<SlaPolicy> policies = {policy(1, clock, 60, 60, std::nullopt)};
  std::vector<CaseEvent> events = {created(at("2026-03-09", "09:00")), customer(at("2026-03-09", "09:05")),
                                   reply(at("2026-03-09", "09:30"))};
  auto r = replay_sla(events, policies, at("2026-03-09", "09:45"));
  EXPECT_EQ(r.first_response.state, MetricState::Met);
  EXPECT_EQ(r.next_response.state, MetricState::None);  // nothing to answer: 09:05 came before the first reply

  events.push_back(customer(at("2026-03-09", "10:00")));
  events.push_back(reply(at("2026-03-09", "10:45")));
  r = replay_sla(events, policies, at("2026-03-09", "10:50"));
  EXPECT_EQ(r.next_response.state, MetricState::Met);
  EXPECT_EQ(local(r.next_response.due_at), "2026-03-09T11:00:00");
  EXPECT_EQ(local(r.next_response.met_at), "2026-03-09T10:45:00");

  // A second message while one waits does not restart the clock; the lunch break is not counted.
  events.push_back(customer(at("2026-03-09", "12:00")));
  events.push_back(customer(at("2026-03-09", "12:20")));
  r = replay_sla(events, policies, at("2026-03-09", "14:00"));
  EXPECT_EQ(r.next_response.state, MetricState::Warning);
  EXPECT_EQ(local(r.next_response.due_at), "2026-03-09T14:30:00");
  EXPECT_EQ(r.next_response.remaining_seconds, 30 * 60);

  r = replay_sla(events, policies, at("2026-03-09", "14:45"));
  EXPECT_EQ(r.next_response.state, MetricState::Breached);
  EXPECT_EQ(r.next_response.remaining_seconds, -15 * 60);
  EXPECT_EQ(r.next_response.breaches, 1);
  EXPECT_EQ(r.overall, MetricState::Breached);
}

TEST(ServiceSla, SeveralPoliciesKeepTheEarliestDeadline) {
  BusinessClock clock(office());
  std::vector<SlaPolicy> policies = {policy(1, clock, 60, std::nullopt, 480),
                                     policy(2, clock, std::nullopt, std::nullopt, 240)};
  std::vector<CaseEvent> events = {created(at("2026-03-09", "09:00"))};
  auto r = replay_sla(events, policies, at("2026-03-09", "09:10"));
  EXPECT_EQ(r.resolution.policy_id, 2);
  EXPECT_EQ(local(r.resolution.due_at), "2026-03-09T14:30:00");
  EXPECT_EQ(r.first_response.policy_id, 1);  // the only policy with that target
  EXPECT_EQ(local(r.first_response.due_at), "2026-03-09T10:00:00");
  EXPECT_EQ(local(r.next_due_at), "2026-03-09T10:00:00");
}

TEST(ServiceSla, PolicyOnADifferentCalendar) {
  BusinessClock office_hours(office()), all_day(always());
  std::vector<SlaPolicy> policies = {policy(1, office_hours, 60, std::nullopt, std::nullopt),
                                     policy(3, all_day, 120, std::nullopt, std::nullopt)};
  std::vector<CaseEvent> events = {created(at("2026-03-06", "17:30"))};  // a Friday
  auto r = replay_sla(events, policies, at("2026-03-06", "18:30"));
  // Office hours: Monday 09:30; all day: Friday 19:30, counted on that calendar.
  EXPECT_EQ(r.first_response.policy_id, 3);
  EXPECT_EQ(local(r.first_response.due_at), "2026-03-06T19:30:00");
  EXPECT_EQ(r.first_response.remaining_seconds, 3600);
  EXPECT_EQ(r.first_response.state, MetricState::Running);
}

TEST(ServiceSla, ReopeningResumesTheResolutionClock) {
  BusinessClock clock(office());
  std::vector<SlaPolicy> policies = {policy(1, clock, 60, 60, 480)};
  std::vector<CaseEvent> events = {created(at("2026-03-09", "09:00")), reply(at("2026-03-09", "09:15")),
                                   status(at("2026-03-09", "11:00"), "solved")};
  auto r = replay_sla(events, policies, at("2026-03-09", "12:00"));
  EXPECT_EQ(r.resolution.state, MetricState::Met);
  EXPECT_EQ(local(r.resolution.met_at), "2026-03-09T11:00:00");
  EXPECT_EQ(r.resolution.elapsed_seconds, 2 * 3600);
  EXPECT_EQ(r.overall, MetricState::Met);

  // The customer writes on the solved case: nothing counts until it is reopened.
  events.push_back(customer(at("2026-03-10", "08:50")));
  r = replay_sla(events, policies, at("2026-03-10", "08:55"));
  EXPECT_EQ(r.resolution.state, MetricState::Met);
  EXPECT_EQ(r.next_response.state, MetricState::Paused);

  // 6 hours left from Tuesday 09:00: 09:00–12:30, 14:00–16:30.
  events.push_back(status(at("2026-03-10", "09:00"), "reopened"));
  r = replay_sla(events, policies, at("2026-03-10", "10:00"));
  EXPECT_EQ(r.resolution.state, MetricState::Running);
  EXPECT_FALSE(r.resolution.met_at);
  EXPECT_EQ(local(r.resolution.due_at), "2026-03-10T16:30:00");
  EXPECT_EQ(r.resolution.remaining_seconds, 5 * 3600);
  EXPECT_EQ(local(r.next_response.due_at), "2026-03-10T10:00:00");
  EXPECT_EQ(r.next_response.state, MetricState::Warning);
  EXPECT_EQ(r.overall, MetricState::Warning);
}

TEST(ServiceSla, EventsAfterNowAreIgnored) {
  BusinessClock clock(office());
  std::vector<SlaPolicy> policies = {policy(1, clock, 60, std::nullopt, std::nullopt)};
  std::vector<CaseEvent> events = {created(at("2026-03-09", "09:00")), reply(at("2026-03-09", "09:30"))};
  auto r = replay_sla(events, policies, at("2026-03-09", "09:20"));
  EXPECT_EQ(r.first_response.state, MetricState::Running);
  EXPECT_EQ(std::string(metric_state_code(r.overall)), "running");
}

TEST(ServiceSla, ReplayOf500EventsAgainst3PoliciesIsFast) {
  BusinessClock office_hours(office()), all_day(always());
  std::vector<SlaPolicy> policies = {policy(1, office_hours, 60, 120, 2400), policy(2, office_hours, 30, 240, 4800),
                                     policy(3, all_day, 240, 60, 10000)};
  // Five weeks of traffic across the spring clock change, every 97 minutes.
  std::vector<CaseEvent> events = {created(at("2026-03-02", "09:00"))};
  int64_t t = events[0].at;
  for (int i = 1; i < 500; ++i) {
    t += 97 * 60;
    switch (i % 6) {
      case 0: events.push_back(customer(t)); break;
      case 1: events.push_back(reply(t)); break;
      case 2: events.push_back(note(t)); break;
      case 3: events.push_back(status(t, "waiting_customer")); break;
      case 4: events.push_back(customer(t)); break;
      case 5: events.push_back(status(t, "open")); break;
    }
  }
  int64_t now = t + 3600;
  SlaResult first = replay_sla(events, policies, now);
  EXPECT_NE(first.overall, MetricState::None);
  const int runs = 200;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) {
    SlaResult r = replay_sla(events, policies, now);
    ASSERT_EQ(r.overall, first.overall);
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / runs;
  std::printf("replay of %zu events against %zu policies: %.3f ms on average over %d runs\n", events.size(),
              policies.size(), ms, runs);
  EXPECT_LT(ms, 5.0);  // the aim is well under 1 ms; the bound leaves room for a busy machine
}
