// Service levels (docs/service.md, "Service levels"): business hours of a calendar and the
// replay of a case's events into its first-response, next-response and resolution deadlines.
// Nothing here is a stored counter: the deadlines, the remaining time and the breaches are
// recomputed from the case's own events every time (the helpdesks that keep timers as counters
// collect drift bugs: zammad/zammad#3140, #5177, #5624, #1322; chatwoot/chatwoot#10178). Pure and
// thread-safe; no I/O.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/zoned_time.h"

namespace gz::modules::service {

// ---- Business calendar --------------------------------------------------------------------

// One opening range of a weekday, in minutes from local midnight: [start, end), 0 <= start < end
// <= 1440 ("09:00–12:30" is {540, 750}). A weekday may have several (a lunch break, split shifts).
struct TimeRange {
  int start = 0;
  int end = 0;
};

struct CalendarSpec {
  std::string time_zone = "Europe/Paris";
  // Opening ranges per ISO weekday: week[1] is Monday … week[7] Sunday (week[0] unused).
  std::array<std::vector<TimeRange>, 8> week{};
  bool french_holidays = true;           // the 11 French public holidays are closed
  std::set<std::string> closed_dates;    // extra closing days, "YYYY-MM-DD"
};

// What is wrong with a calendar: an empty list when it is valid. Checks each range (a weekday
// 1–7, within 00:00–24:00, start < end), overlapping ranges of a same day (reported once, on the
// later range), a known time zone and well-formed closing dates. `field` is "ranges[i]" in the
// order the ranges were given (weekday, range), "time_zone" or "closed_dates"; `kind` says what is
// wrong so that the caller words it in the user's language (`range`, `other`, `value` give the
// particulars); `message` is the same in English, for logs and tests.
struct CalendarError {
  enum class Kind { Weekday, Bounds, Order, Overlap, Zone, Date };
  std::string field;
  Kind kind = Kind::Order;
  TimeRange range, other;  // the range, and for Overlap the one it overlaps
  std::string value;       // Date: the text given
  std::string message;
};
std::vector<CalendarError> check_calendar(const CalendarSpec& spec,
                                          const std::vector<std::pair<int, TimeRange>>& ranges_in_order);
// "09:00" for 540.
std::string hh_mm(int minutes);

// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm), "YYYY-MM-DD".
std::string easter_sunday(int year);
// The French public holidays of a year, by date, with their French names: 1er janvier, lundi de
// Pâques, 1er mai, 8 mai, Ascension (Easter + 39), lundi de Pentecôte (Easter + 50), 14 juillet,
// 15 août, 1er novembre, 11 novembre, 25 décembre. Sorted by date.
std::vector<std::pair<std::string, std::string>> french_public_holidays(int year);
bool is_french_public_holiday(std::string_view date);

// Counts and adds business time over a calendar. Instants are unix seconds (UTC). A local range
// is mapped to UTC with zoned::Zone::local_to_utc for each date (so 09:00 is 09:00 on both sides
// of a clock change; a range crossing a skipped hour is shorter that day, one crossing a
// repeated hour longer).
class BusinessClock {
 public:
  explicit BusinessClock(CalendarSpec spec);  // throws std::invalid_argument for an unknown zone
  const CalendarSpec& spec() const { return spec_; }

  // Business seconds in [from, to) (0 when to <= from).
  int64_t between(int64_t from, int64_t to) const;
  // The instant at which `seconds` business seconds have passed from `from` (seconds >= 0). With
  // seconds == 0 it is `from` itself when `from` is inside opening hours, else the next opening.
  // A calendar with no opening at all over 3 years throws std::runtime_error.
  int64_t add(int64_t from, int64_t seconds) const;
  // Whether the instant is inside opening hours.
  bool is_open(int64_t at) const;
  // The opening intervals [start, end) in UTC of a local date (empty on a closed day).
  std::vector<std::pair<int64_t, int64_t>> open_intervals(std::string_view local_date) const;

 private:
  friend class BusinessTimeline;  // sla.cpp: one call's walk over the opening intervals

  CalendarSpec spec_;
  zoned::Zone zone_;
  std::array<std::vector<TimeRange>, 8> week_;  // spec_.week clamped to 00:00–24:00, sorted, merged
  std::vector<int64_t> closed_days_;            // spec_.closed_dates as days since 1970-01-01, sorted
};

// ---- Replay of a case's events --------------------------------------------------------------

// What happened to a case, in the order it happened (ties: in the order given).
enum class EventKind {
  Created,          // the case was opened (its first event)
  AgentReply,       // a reply to the customer by an agent: the only thing that counts as a response
  CustomerMessage,  // the customer wrote (a reply, a call): starts the next-response clock
  InternalNote,     // never a response
  StatusChange,     // `status` is the new status
};

struct CaseEvent {
  int64_t at = 0;
  EventKind kind = EventKind::Created;
  std::string status;  // StatusChange: new, open, waiting_customer, waiting_third_party, solved, closed, reopened
};

// Targets of one policy, in business minutes of its calendar; nullopt: no target for that metric.
struct SlaTargets {
  std::optional<int64_t> first_response_minutes;
  std::optional<int64_t> next_response_minutes;
  std::optional<int64_t> resolution_minutes;
  int64_t warn_before_minutes = 30;  // the "warning" state starts this long (business) before a deadline
};

struct SlaPolicy {
  int64_t id = 0;
  std::string name;
  SlaTargets targets;
  const BusinessClock* clock = nullptr;  // the policy's calendar; must outlive the replay
};

enum class MetricState {
  None,      // no policy has a target for it, or it is not running (next response with nothing to answer)
  Running,   // counting, deadline ahead, not yet in the warning window
  Warning,   // counting, deadline within warn_before_minutes
  Paused,    // waiting for the customer or a third party (or solved, for the resolution): not counting
  Met,       // answered / solved in time
  Breached,  // the deadline passed before it was met (stays breached once met late)
};

struct Metric {
  MetricState state = MetricState::None;
  std::optional<int64_t> due_at;        // the running (or last) deadline, the earliest of the policies
  std::optional<int64_t> policy_id;     // the policy that deadline comes from
  std::optional<int64_t> met_at;        // when it was met (first response, last response, solved)
  std::optional<int64_t> breached_at;   // the deadline that was missed (= due_at then)
  int64_t remaining_seconds = 0;        // business seconds left at `now` (negative: late), of that policy's calendar
  int64_t elapsed_seconds = 0;          // business seconds counted so far on the current clock, pauses excluded
  int breaches = 0;                     // how many deadlines of this metric were missed (next response can miss several)
};

struct SlaResult {
  Metric first_response, next_response, resolution;
  // The case's overall state: breached if any metric is breached and still not met or met late
  // ... see sla.cpp; "warning" if any is in warning; "paused"; "running"; "met"; "none".
  MetricState overall = MetricState::None;
  // The nearest running deadline of the three, if any (the SLA watch and the API show it; lists
  // sort by the earliest deadline not met, overdue ones included: refresh_case_sla).
  std::optional<int64_t> next_due_at;
};

// Replays the events (sorted by `at`, stable) against every policy at instant `now` and keeps,
// for each metric, the earliest deadline of the policies that have a target for it.
//
// Rules:
//  - first response: starts at Created; met by the first AgentReply;
//  - next response: starts at each CustomerMessage received after the first response while no
//    earlier one is waiting; met by the next AgentReply (then the clock stops until the next
//    CustomerMessage);
//  - resolution: starts at Created; met at a StatusChange to solved or closed; a later
//    StatusChange to reopened / open / new resumes the same clock (time spent solved not counted);
//  - every running clock pauses while the status is waiting_customer or waiting_third_party;
//  - time is counted in business seconds of each policy's own calendar; a breach happens when the
//    business time counted reaches the target before the metric is met.
SlaResult replay_sla(const std::vector<CaseEvent>& events, const std::vector<SlaPolicy>& policies, int64_t now);

const char* metric_state_code(MetricState s);  // "none", "running", "warning", "paused", "met", "breached"

}  // namespace gz::modules::service
