#include "modules/service/icalendar.h"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "core/utf8.h"

namespace gz::modules::service {
namespace {

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

// RFC 5545 3.3.11: backslash, semicolon and comma are escaped, a line break becomes "\n" (CRLF,
// LF and a lone CR each count as one). Other control characters are not allowed in TEXT (HTAB
// is) and are dropped. Invalid UTF-8 is repaired first: the whole body is declared UTF-8.
std::string escape_text(std::string_view raw) {
  std::string s = utf8::make_valid(raw);
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      default:
        if (c == '\t' || !is_control(static_cast<unsigned char>(c))) out += c;
    }
  }
  return out;
}

// A parameter value cannot hold a DQUOTE nor control characters, even quoted (RFC 5545 3.1):
// they are removed. Always quoted, so that ':', ';' and ',' in a name stay in the value.
std::string quoted_param(std::string_view raw) {
  std::string s = utf8::make_valid(raw);
  std::string out = "\"";
  for (char c : s)
    if (c != '"' && !is_control(static_cast<unsigned char>(c))) out += c;
  return out + "\"";
}

// Only what would break the line or the URI is checked; deliverability is the mail layer's job.
void check_email(std::string_view email, const char* field) {
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size())
    throw std::invalid_argument(std::string(field) + ": not an e-mail address");
  for (unsigned char c : email)
    if (is_control(c) || c == ' ' || c == '"')
      throw std::invalid_argument(std::string(field) + ": spaces, quotes or control characters in an e-mail address");
  if (!utf8::valid(email)) throw std::invalid_argument(std::string(field) + ": not valid UTF-8");
}

constexpr int64_t kLastSecondOf9999 = 253402300799;  // 9999-12-31T23:59:59Z: DATE-TIME has 4 year digits

// RFC 5545 3.3.5 form 2, UTC: 20260415T073000Z.
std::string utc_date_time(int64_t unix_seconds, const char* field) {
  if (unix_seconds < 0 || unix_seconds > kLastSecondOf9999)
    throw std::invalid_argument(std::string(field) + ": outside years 1970-9999");
  using namespace std::chrono;
  sys_seconds t{seconds{unix_seconds}};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[32];  // 17 suffice for the years checked above; the rest quiets -Wformat-truncation
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

// RFC 5545 3.1: a content line longer than 75 octets (CRLF excluded) continues on the next line
// after CRLF and one space, the space counting in that line's 75. The cut falls between UTF-8
// sequences, as 3.1 asks (a split character is garbage to any reader decoding lines one by one).
// `line` is valid UTF-8.
void append_line(std::string& out, std::string_view line) {
  size_t room = 75;
  size_t used = 0;
  for (size_t i = 0; i < line.size();) {
    size_t n = utf8::sequence_length(line, i);
    if (used + n > room) {
      out += "\r\n ";
      room = 74;
      used = 0;
    }
    out.append(line.substr(i, n));
    used += n;
    i += n;
  }
  out += "\r\n";
}

const char* status_of(const Invitation& inv) {
  if (inv.status.empty()) return inv.method == Invitation::Method::Cancel ? "CANCELLED" : "CONFIRMED";
  for (const char* known : {"TENTATIVE", "CONFIRMED", "CANCELLED"})
    if (inv.status == known) return known;
  throw std::invalid_argument("status: not one of TENTATIVE, CONFIRMED, CANCELLED");
}

std::string cal_address(const char* property, const std::string& name, const std::string& email,
                        std::string_view extra_params) {
  std::string line = property;
  if (!name.empty()) line += ";CN=" + quoted_param(name);
  line += extra_params;
  return line + ":mailto:" + email;
}

}  // namespace

const char* icalendar_method(const Invitation& invitation) {
  return invitation.method == Invitation::Method::Cancel ? "CANCEL" : "REQUEST";
}

std::string icalendar(const Invitation& inv) {
  if (inv.uid.empty()) throw std::invalid_argument("uid: empty");
  for (unsigned char c : inv.uid)
    if (is_control(c)) throw std::invalid_argument("uid: control characters");
  if (inv.summary.empty()) throw std::invalid_argument("summary: empty");
  if (inv.sequence < 0) throw std::invalid_argument("sequence: negative");
  if (inv.ends_at <= inv.starts_at) throw std::invalid_argument("ends_at: not after starts_at");
  check_email(inv.organizer_email, "organizer_email");
  check_email(inv.attendee_email, "attendee_email");
  std::string start = utc_date_time(inv.starts_at, "starts_at");
  std::string end = utc_date_time(inv.ends_at, "ends_at");
  std::string stamp = utc_date_time(inv.stamp, "stamp");
  const char* status = status_of(inv);
  bool request = inv.method == Invitation::Method::Request;

  std::string out;
  auto line = [&](std::string_view l) { append_line(out, l); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Gazelle//Gazelle CRM//FR");
  line("CALSCALE:GREGORIAN");
  line(std::string("METHOD:") + icalendar_method(inv));
  if (!inv.time_zone.empty()) line("X-WR-TIMEZONE:" + escape_text(inv.time_zone));
  line("BEGIN:VEVENT");
  line("UID:" + escape_text(inv.uid));
  line("SEQUENCE:" + std::to_string(inv.sequence));
  line("DTSTAMP:" + stamp);
  line("DTSTART:" + start);
  line("DTEND:" + end);
  std::string summary = escape_text(inv.summary);
  line("SUMMARY:" + summary);
  if (!inv.description.empty()) line("DESCRIPTION:" + escape_text(inv.description));
  if (!inv.location.empty()) line("LOCATION:" + escape_text(inv.location));
  line(std::string("STATUS:") + status);
  line(cal_address("ORGANIZER", inv.organizer_name, inv.organizer_email, ""));
  line(cal_address("ATTENDEE", inv.attendee_name, inv.attendee_email,
                   ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE"));
  line("TRANSP:OPAQUE");
  if (request) {  // a reminder one hour before; a cancellation removes the event, reminder included
    line("BEGIN:VALARM");
    line("ACTION:DISPLAY");
    line("DESCRIPTION:" + summary);
    line("TRIGGER:-PT1H");
    line("END:VALARM");
  }
  line("END:VEVENT");
  line("END:VCALENDAR");
  return out;
}

}  // namespace gz::modules::service
