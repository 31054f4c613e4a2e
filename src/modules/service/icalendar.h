// The calendar invitation of an intervention (a technician's appointment at a customer's
// premises): the text/calendar body that mail clients (Outlook, Gmail, Thunderbird, Apple Mail)
// show as an invitation with accept/decline buttons. RFC 5545 (iCalendar) for the format, RFC 5546
// (iTIP) for the REQUEST/CANCEL methods. Pure and thread-safe; no I/O.
//
// An update re-sends a REQUEST with the same uid and a higher sequence; a cancellation sends a
// CANCEL with the same uid and a higher sequence again (clients ignore an older sequence).
#pragma once
#include <cstdint>
#include <string>

namespace gz::modules::service {

struct Invitation {
  enum class Method { Request, Cancel };

  std::string uid;       // stable per intervention, e.g. "intervention-42@crm.example.fr"
  int sequence = 0;      // 0 first, +1 on each update or cancellation
  int64_t starts_at = 0; // unix seconds
  int64_t ends_at = 0;   // unix seconds, after starts_at
  int64_t stamp = 0;     // DTSTAMP: when the invitation is generated, unix seconds
  std::string summary;   // required
  std::string description, location;  // optional: omitted when empty
  std::string organizer_name, organizer_email;
  std::string attendee_name, attendee_email;
  // Written as X-WR-TIMEZONE, a display hint only: DTSTART/DTEND are always UTC ("Z"), which
  // every client converts to its own zone without needing a VTIMEZONE block.
  std::string time_zone = "Europe/Paris";
  Method method = Method::Request;
  // Empty: CONFIRMED for a request, CANCELLED for a cancellation. Otherwise one of TENTATIVE,
  // CONFIRMED, CANCELLED (the VEVENT statuses of RFC 5545 3.8.1.11).
  std::string status;
};

// The text/calendar body: CRLF line ends, lines folded at 75 octets. Throws std::invalid_argument
// (an English message naming the field) for an empty uid or summary, a negative sequence, an end
// not after the start, a time outside years 1970–9999, an e-mail that does not look like one
// (no '@', spaces or control characters), or an unknown status.
std::string icalendar(const Invitation& invitation);

// "REQUEST" or "CANCEL": the method= parameter the MIME part's Content-Type must repeat
// (text/calendar; charset=UTF-8; method=REQUEST), without which Outlook shows an attachment.
const char* icalendar_method(const Invitation& invitation);

}  // namespace gz::modules::service
