#include "modules/service/sla.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace gz::modules::service {

namespace {

constexpr int64_t kDay = 86400;
// add() gives up after this many local days without any opening.
constexpr int64_t kSearchDays = 3 * 366;

// Dates as day numbers (core/zoned_time.h): the walk over local dates skips closed days without
// a string or ICU call.
using zoned::civil_from_days;
using zoned::days_from_civil;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::string hh_mm(int minutes) {
  char buf[24];
  if (minutes < 0 || minutes > 1440)
    std::snprintf(buf, sizeof buf, "%d min", minutes);
  else
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

namespace {

int64_t easter_day(int year) {
  int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return days_from_civil({year, month, day});
}

using Holidays = std::array<std::pair<int64_t, const char*>, 11>;

// Sorted by day: Ascension can fall on 1 or 8 May, or even before 1 May (2285-04-30).
Holidays holidays_of(int y) {
  int64_t e = easter_day(y);
  Holidays h{{{days_from_civil({y, 1, 1}), "Jour de l'an"},
              {e + 1, "Lundi de Pâques"},
              {days_from_civil({y, 5, 1}), "Fête du travail"},
              {days_from_civil({y, 5, 8}), "Victoire 1945"},
              {e + 39, "Ascension"},
              {e + 50, "Lundi de Pentecôte"},
              {days_from_civil({y, 7, 14}), "Fête nationale"},
              {days_from_civil({y, 8, 15}), "Assomption"},
              {days_from_civil({y, 11, 1}), "Toussaint"},
              {days_from_civil({y, 11, 11}), "Armistice 1918"},
              {days_from_civil({y, 12, 25}), "Noël"}}};
  std::stable_sort(h.begin(), h.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return h;
}

bool holiday_in(const Holidays& h, int64_t day) {
  return std::any_of(h.begin(), h.end(), [&](const auto& x) { return x.first == day; });
}

}  // namespace

// ---- Calendar checks and holidays -----------------------------------------------------------

std::vector<CalendarError> check_calendar(const CalendarSpec& spec,
                                          const std::vector<std::pair<int, TimeRange>>& ranges_in_order) {
  std::vector<CalendarError> errors;
  auto field = [](size_t i) { return "ranges[" + std::to_string(i) + "]"; };
  auto text = [](const TimeRange& r) { return hh_mm(r.start) + "–" + hh_mm(r.end); };
  std::vector<bool> valid(ranges_in_order.size(), false);
  for (size_t i = 0; i < ranges_in_order.size(); ++i) {
    auto [day, r] = ranges_in_order[i];
    std::string where = "weekday " + std::to_string(day) + ", " + text(r) + ": ";
    using K = CalendarError::Kind;
    if (day < 1 || day > 7)
      errors.push_back({field(i), K::Weekday, r, {}, "", where + "the weekday must be between 1 (Monday) and 7 (Sunday)"});
    else if (r.start < 0 || r.end < 0 || r.start > 1440 || r.end > 1440)
      errors.push_back({field(i), K::Bounds, r, {}, "", where + "the range must lie between 00:00 and 24:00"});
    else if (r.start >= r.end)
      errors.push_back({field(i), K::Order, r, {}, "", where + "the range must end after it starts"});
    else
      valid[i] = true;
  }
  // An overlap is reported once, on the later of the two ranges.
  for (size_t i = 0; i < ranges_in_order.size(); ++i) {
    if (!valid[i]) continue;
    const auto& [day, r] = ranges_in_order[i];
    for (size_t j = 0; j < i; ++j) {
      const auto& [other_day, o] = ranges_in_order[j];
      if (valid[j] && other_day == day && r.start < o.end && o.start < r.end) {
        errors.push_back({field(i), CalendarError::Kind::Overlap, r, o, "",
                          "weekday " + std::to_string(day) + ": " + text(r) + " overlaps " + text(o) + " on the same day"});
        break;
      }
    }
  }
  if (!zoned::is_known_zone(spec.time_zone))
    errors.push_back({"time_zone", CalendarError::Kind::Zone, {}, {}, spec.time_zone, "unknown time zone"});
  for (const auto& d : spec.closed_dates)
    if (!zoned::day_number(d))
      errors.push_back({"closed_dates", CalendarError::Kind::Date, {}, {}, d.substr(0, 40),
                        "\"" + d.substr(0, 40) + "\" must be a date written YYYY-MM-DD"});
  return errors;
}

std::string easter_sunday(int year) { return zoned::date_of_day(easter_day(year)); }

std::vector<std::pair<std::string, std::string>> french_public_holidays(int year) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [day, name] : holidays_of(year)) out.emplace_back(zoned::date_of_day(day), name);
  return out;
}

bool is_french_public_holiday(std::string_view date) {
  auto day = zoned::day_number(date);
  return day && holiday_in(holidays_of(civil_from_days(*day).y), *day);
}

// ---- Business time --------------------------------------------------------------------------

// The opening intervals of one call, materialised day by day as far as the call needs them, with
// the business seconds before each interval: a count between two instants is then two binary
// searches. Built per call (or per replay), so nothing mutable is shared between threads.
//
// Local times become UTC instants through the zone's offset (one ICU lookup, no calendar) when
// the offset is the same a day before and two days after the date: no zone changes its offset
// twice within three days. On the days around a change, zoned::Zone::local_to_utc decides, with
// Skipped::NextValid for both ends (a range starting or ending in the spring gap starts or ends
// when the gap ends) and, in the autumn overlap, Repeated::Earlier for a start and
// Repeated::Later for an end, so that a range covering the repeated hour gets both passes.
class BusinessTimeline {
 public:
  BusinessTimeline(const BusinessClock& clock, int64_t from) : c_(clock), next_day_(local_day(from)) {}

  // Business seconds before `t` (from the first materialised day).
  int64_t counted(int64_t t) {
    ensure(t);
    auto it = std::upper_bound(iv_.begin(), iv_.end(), t, [](int64_t x, const auto& p) { return x < p.first; });
    if (it == iv_.begin()) return 0;
    size_t i = size_t(it - iv_.begin()) - 1;
    return before_[i] + std::min(t, iv_[i].second) - iv_[i].first;
  }

  int64_t between(int64_t from, int64_t to) { return to <= from ? 0 : counted(to) - counted(from); }

  bool is_open(int64_t t) {
    ensure(t);
    auto it = std::upper_bound(iv_.begin(), iv_.end(), t, [](int64_t x, const auto& p) { return x < p.first; });
    return it != iv_.begin() && t < std::prev(it)->second;
  }

  int64_t add(int64_t from, int64_t seconds) {
    int64_t goal = counted(from) + seconds;
    int64_t first_day = local_day(from);
    for (;;) {
      if (seconds > 0 ? total_ >= goal : !iv_.empty() && iv_.back().second > from) {
        if (seconds > 0) {
          // The first interval whose end reaches the goal.
          size_t lo = 0, hi = iv_.size();
          while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (before_[mid] + (iv_[mid].second - iv_[mid].first) >= goal) hi = mid;
            else lo = mid + 1;
          }
          return iv_[lo].first + (goal - before_[lo]);
        }
        auto it = std::upper_bound(iv_.begin(), iv_.end(), from, [](int64_t x, const auto& p) { return x < p.second; });
        return std::max(from, it->first);
      }
      if (next_day_ > std::max(first_day, last_open_day_) + kSearchDays)
        throw std::runtime_error("the calendar has no opening hours");
      append_day(next_day_++);
      covered_end_ = std::numeric_limits<int64_t>::min();  // recomputed by the next ensure()
    }
  }

  std::vector<std::pair<int64_t, int64_t>> day_only(int64_t day) {
    append_day(day);
    return iv_;
  }

 private:
  int64_t local_day(int64_t t) const { return floor_div(t + c_.zone_.offset_seconds(t), kDay); }

  // The zone's offset over the whole local day, when it does not change around it.
  std::optional<int64_t> steady_offset(int64_t day) const {
    int64_t u = day * kDay;  // local midnight read as UTC
    int o = c_.zone_.offset_seconds(u - kDay);
    if (o != c_.zone_.offset_seconds(u + 2 * kDay)) return std::nullopt;
    return o;
  }

  int64_t day_start(int64_t day) const {
    auto o = steady_offset(day);
    return o ? day * kDay - *o : c_.zone_.day_start(zoned::date_of_day(day));
  }

  bool closed(int64_t day) {
    if (std::binary_search(c_.closed_days_.begin(), c_.closed_days_.end(), day)) return true;
    if (!c_.spec_.french_holidays) return false;
    int y = civil_from_days(day).y;
    if (y != holiday_year_) holidays_ = holidays_of(holiday_year_ = y);
    return holiday_in(holidays_, day);
  }

  void append_day(int64_t day) {
    const auto& ranges = c_.week_[size_t(zoned::weekday_of_day(day))];
    if (ranges.empty() || closed(day)) return;
    int64_t counted_before = total_;
    append_ranges(day, ranges);
    if (total_ > counted_before) last_open_day_ = day;
  }

  void append_ranges(int64_t day, const std::vector<TimeRange>& ranges) {
    if (auto o = steady_offset(day)) {
      int64_t base = day * kDay - *o;
      for (const auto& r : ranges) push(base + r.start * 60, base + r.end * 60);
      return;
    }
    std::string date = zoned::date_of_day(day);
    for (const auto& r : ranges) {
      int64_t s = c_.zone_.local_to_utc(date, hh_mm(r.start), zoned::Skipped::NextValid, zoned::Repeated::Earlier);
      int64_t e = r.end == 1440 ? c_.zone_.day_end(date)
                                : c_.zone_.local_to_utc(date, hh_mm(r.end), zoned::Skipped::NextValid, zoned::Repeated::Later);
      push(s, e);
    }
  }

  // Appends [s, e), merged with the previous interval when they touch (24/7, or the overlap).
  void push(int64_t s, int64_t e) {
    if (e <= s) return;
    if (!iv_.empty() && s <= iv_.back().second) {
      if (e > iv_.back().second) {
        total_ += e - iv_.back().second;
        iv_.back().second = e;
      }
      return;
    }
    iv_.emplace_back(s, e);
    before_.push_back(total_);
    total_ += e - s;
  }

  // Materialises every day up to the local day of `t`.
  void ensure(int64_t t) {
    if (t < covered_end_) return;
    for (int64_t d = local_day(t); next_day_ <= d;) append_day(next_day_++);
    covered_end_ = day_start(next_day_);
  }

  const BusinessClock& c_;
  int64_t next_day_;                                         // the first day not yet materialised
  int64_t covered_end_ = std::numeric_limits<int64_t>::min();  // instants before it are materialised
  std::vector<std::pair<int64_t, int64_t>> iv_;              // opening intervals, UTC, sorted, disjoint
  std::vector<int64_t> before_;                              // business seconds before each interval
  int64_t total_ = 0;
  int64_t last_open_day_ = std::numeric_limits<int64_t>::min();  // the last day with an opening
  int holiday_year_ = std::numeric_limits<int>::min();
  Holidays holidays_{};
};

BusinessClock::BusinessClock(CalendarSpec spec) : spec_(std::move(spec)), zone_(spec_.time_zone) {
  // check_calendar refuses bad ranges; the clock still never counts a minute twice.
  for (size_t d = 1; d < week_.size(); ++d) {
    std::vector<TimeRange> rs;
    for (auto r : spec_.week[d]) {
      r.start = std::clamp(r.start, 0, 1440);
      r.end = std::clamp(r.end, 0, 1440);
      if (r.start < r.end) rs.push_back(r);
    }
    std::sort(rs.begin(), rs.end(), [](const TimeRange& a, const TimeRange& b) { return a.start < b.start; });
    for (const auto& r : rs) {
      if (!week_[d].empty() && r.start <= week_[d].back().end)
        week_[d].back().end = std::max(week_[d].back().end, r.end);
      else
        week_[d].push_back(r);
    }
  }
  for (const auto& d : spec_.closed_dates)
    if (auto day = zoned::day_number(d)) closed_days_.push_back(*day);
  std::sort(closed_days_.begin(), closed_days_.end());
}

int64_t BusinessClock::between(int64_t from, int64_t to) const {
  if (to <= from) return 0;
  return BusinessTimeline(*this, from).between(from, to);
}

int64_t BusinessClock::add(int64_t from, int64_t seconds) const {
  return BusinessTimeline(*this, from).add(from, std::max<int64_t>(seconds, 0));
}

bool BusinessClock::is_open(int64_t at) const { return BusinessTimeline(*this, at).is_open(at); }

std::vector<std::pair<int64_t, int64_t>> BusinessClock::open_intervals(std::string_view local_date) const {
  auto day = zoned::day_number(local_date);
  if (!day) throw std::invalid_argument("not a date (YYYY-MM-DD): " + std::string(local_date.substr(0, 40)));
  return BusinessTimeline(*this, *day * kDay).day_only(*day);
}

// ---- Replay ---------------------------------------------------------------------------------

namespace {

// One metric of one policy: a clock counting business seconds towards its target.
struct Clock {
  explicit Clock(std::optional<int64_t> target_seconds) : target(target_seconds) {}

  std::optional<int64_t> target;  // seconds; nullopt: the policy has no target, nothing counts
  bool started = false, pending = false, counting = false, breached = false;
  int64_t elapsed = 0;  // business seconds counted before `since` (all of them when not counting)
  int64_t since = 0;
  std::optional<int64_t> due, met_at, breached_at;
  int breaches = 0;

  // A new clock (first response, resolution, each next response).
  void start(BusinessTimeline& tl, int64_t t, bool count) {
    if (!target) return;
    started = pending = true;
    counting = breached = false;
    elapsed = 0;
    due.reset();
    met_at.reset();
    if (count) resume(tl, t);
  }
  void resume(BusinessTimeline& tl, int64_t t) {
    counting = true;
    since = t;
    // Once breached the missed deadline stays; the clock keeps counting past it.
    if (!breached) due = tl.add(t, std::max<int64_t>(*target - elapsed, 0));
  }
  // Counts up to `t`, noting a deadline passed on the way.
  void settle(BusinessTimeline& tl, int64_t t) {
    if (!counting) return;
    if (!breached && due && t > *due) {
      breached = true;
      ++breaches;
      breached_at = due;
    }
    elapsed += tl.between(since, t);
    since = t;
  }
  // Starts or stops counting as the case's status says.
  void sync(BusinessTimeline& tl, int64_t t, bool count) {
    if (!pending || count == counting) return;
    if (count) {
      resume(tl, t);
    } else {
      settle(tl, t);
      counting = false;
    }
  }
  void meet(BusinessTimeline& tl, int64_t t) {
    if (!pending) return;
    settle(tl, t);
    counting = pending = false;
    met_at = t;
  }
  // The resolution of a reopened case: the same clock goes on.
  void reopen(BusinessTimeline& tl, int64_t t, bool count) {
    if (!started || pending) return;
    pending = true;
    met_at.reset();
    if (count) resume(tl, t);
  }

  Metric result(BusinessTimeline& tl, int64_t now, int64_t policy_id, int64_t warn_seconds) {
    Metric m;
    if (!target || !started) return m;
    settle(tl, now);
    m.policy_id = policy_id;
    m.elapsed_seconds = elapsed;
    // While running this is exactly the business time between now and due_at (negative when late).
    m.remaining_seconds = *target - elapsed;
    m.met_at = met_at;
    m.breached_at = breached_at;
    m.breaches = breaches;
    if (pending && !counting) {
      // Paused: no deadline until the clock resumes (then it is remaining_seconds away).
      m.state = breached ? MetricState::Breached : MetricState::Paused;
      if (breached) m.due_at = due;
      return m;
    }
    m.due_at = due;
    if (breached) m.state = MetricState::Breached;
    else if (!pending) m.state = MetricState::Met;
    else m.state = m.remaining_seconds <= warn_seconds ? MetricState::Warning : MetricState::Running;
    return m;
  }
};

bool is_waiting(std::string_view s) { return s == "waiting_customer" || s == "waiting_third_party"; }
bool is_solved(std::string_view s) { return s == "solved" || s == "closed"; }

std::optional<int64_t> seconds_of(const std::optional<int64_t>& minutes) {
  if (!minutes) return std::nullopt;
  return *minutes * 60;
}

struct PolicyResult {
  Metric first_response, next_response, resolution;
};

PolicyResult replay_one(const std::vector<const CaseEvent*>& events, const SlaPolicy& policy, BusinessTimeline& tl,
                        int64_t now) {
  const SlaTargets& tg = policy.targets;
  Clock first{seconds_of(tg.first_response_minutes)}, next{seconds_of(tg.next_response_minutes)},
      resolution{seconds_of(tg.resolution_minutes)};
  bool waiting = false, solved = false, responded = false;
  if (!events.empty()) {
    first.start(tl, events.front()->at, true);
    resolution.start(tl, events.front()->at, true);
  }
  for (const CaseEvent* e : events) {
    int64_t t = e->at;
    switch (e->kind) {
      case EventKind::Created:
      case EventKind::InternalNote:
        break;
      case EventKind::AgentReply:
        if (!responded) {
          responded = true;
          first.meet(tl, t);
        } else {
          next.meet(tl, t);
        }
        break;
      case EventKind::CustomerMessage:
        // Only a message after the first response, with none already waiting, starts a clock; on a
        // solved case it waits for the reopening to count.
        if (responded && !next.pending) next.start(tl, t, !waiting && !solved);
        break;
      case EventKind::StatusChange: {
        bool now_solved = is_solved(e->status);
        waiting = is_waiting(e->status);
        if (now_solved && !solved) resolution.meet(tl, t);
        if (!now_solved && solved) resolution.reopen(tl, t, !waiting);
        solved = now_solved;
        // Responses count only while the case waits for an answer from us.
        first.sync(tl, t, !waiting && !solved);
        next.sync(tl, t, !waiting && !solved);
        resolution.sync(tl, t, !waiting && !solved);
        break;
      }
    }
  }
  int64_t warn = tg.warn_before_minutes * 60;
  return {first.result(tl, now, policy.id, warn), next.result(tl, now, policy.id, warn),
          resolution.result(tl, now, policy.id, warn)};
}

// The more urgent of two results of a metric: a deadline before no deadline, the earlier
// deadline, else the least time left.
bool more_urgent(const Metric& a, const Metric& b) {
  if (a.due_at.has_value() != b.due_at.has_value()) return a.due_at.has_value();
  if (a.due_at) return *a.due_at < *b.due_at;
  return a.remaining_seconds < b.remaining_seconds;
}

}  // namespace

SlaResult replay_sla(const std::vector<CaseEvent>& events, const std::vector<SlaPolicy>& policies, int64_t now) {
  std::vector<const CaseEvent*> sorted;
  sorted.reserve(events.size());
  for (const auto& e : events)
    if (e.at <= now) sorted.push_back(&e);  // the case as it stood at `now`
  std::stable_sort(sorted.begin(), sorted.end(), [](const CaseEvent* a, const CaseEvent* b) { return a->at < b->at; });
  int64_t origin = sorted.empty() ? now : sorted.front()->at;

  // One timeline per calendar: policies sharing a calendar share its walk.
  std::vector<std::pair<const BusinessClock*, BusinessTimeline>> timelines;
  SlaResult r;
  auto keep = [](Metric& best, const Metric& m) {
    if (m.state != MetricState::None && (best.state == MetricState::None || more_urgent(m, best))) best = m;
  };
  for (const auto& p : policies) {
    if (!p.clock) throw std::invalid_argument("SLA policy without a calendar");
    auto it = std::find_if(timelines.begin(), timelines.end(), [&](const auto& x) { return x.first == p.clock; });
    if (it == timelines.end()) {
      timelines.emplace_back(p.clock, BusinessTimeline(*p.clock, origin));
      it = std::prev(timelines.end());
    }
    PolicyResult pr = replay_one(sorted, p, it->second, now);
    keep(r.first_response, pr.first_response);
    keep(r.next_response, pr.next_response);
    keep(r.resolution, pr.resolution);
  }

  // Overall: the worst state of the three, breached first, then warning, running, paused, met.
  const Metric* all[] = {&r.first_response, &r.next_response, &r.resolution};
  for (MetricState s : {MetricState::Breached, MetricState::Warning, MetricState::Running, MetricState::Paused,
                        MetricState::Met}) {
    if (std::any_of(std::begin(all), std::end(all), [&](const Metric* m) { return m->state == s; })) {
      r.overall = s;
      break;
    }
  }
  for (const Metric* m : all)
    if ((m->state == MetricState::Running || m->state == MetricState::Warning) && m->due_at &&
        (!r.next_due_at || *m->due_at < *r.next_due_at))
      r.next_due_at = m->due_at;
  return r;
}

const char* metric_state_code(MetricState s) {
  switch (s) {
    case MetricState::None: return "none";
    case MetricState::Running: return "running";
    case MetricState::Warning: return "warning";
    case MetricState::Paused: return "paused";
    case MetricState::Met: return "met";
    case MetricState::Breached: return "breached";
  }
  return "none";
}

}  // namespace gz::modules::service
