// The calendar invitation of an intervention (modules/service/icalendar): exact output, line
// folding of UTF-8 text, RFC 5545 escaping, the cancellation, and the inputs refused. The output is
// read back with a small unfold-and-split parser written here, independent of the generator.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "modules/service/icalendar.h"

using gz::modules::service::icalendar;
using gz::modules::service::icalendar_method;
using gz::modules::service::Invitation;

namespace {

Invitation boiler_visit() {
  Invitation inv;
  inv.uid = "intervention-42@crm.exemple.fr";
  inv.starts_at = 1776238200;  // 2026-04-15T07:30:00Z (09:30 in Paris)
  inv.ends_at = 1776243600;    // 2026-04-15T09:00:00Z
  inv.stamp = 1775138709;      // 2026-04-02T14:05:09Z
  inv.summary = "Intervention : remplacement de la chaudière";
  inv.description = "Technicien : Paul Girard\nMerci de prévoir un accès au local technique.";
  inv.location = "12, rue de la Paix, 75002 Paris";
  inv.organizer_name = "Gazelle — Service technique";
  inv.organizer_email = "sav@chauffage-dupont.fr";
  inv.attendee_name = "Élise Moreau";
  inv.attendee_email = "elise.moreau@exemple.fr";
  return inv;
}

// The physical lines, checking that every one ends with CRLF and holds no other CR or LF.
std::vector<std::string> physical_lines(const std::string& body) {
  std::vector<std::string> lines;
  size_t from = 0;
  while (from < body.size()) {
    size_t crlf = body.find("\r\n", from);
    EXPECT_NE(crlf, std::string::npos) << "the body does not end with CRLF";
    if (crlf == std::string::npos) break;
    std::string line = body.substr(from, crlf - from);
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << line;
    lines.push_back(line);
    from = crlf + 2;
  }
  return lines;
}

// RFC 5545 3.1: a line that begins with a space continues the previous one, the space removed.
std::vector<std::string> unfolded_lines(const std::string& body) {
  std::vector<std::string> lines;
  for (const std::string& l : physical_lines(body)) {
    if (!l.empty() && l[0] == ' ' && !lines.empty())
      lines.back() += l.substr(1);
    else
      lines.push_back(l);
  }
  return lines;
}

struct Property {
  std::string name, params, value;  // params: everything between the name and the ':', ';' included
};

Property parse(const std::string& line) {
  Property p;
  size_t name_end = line.find_first_of(";:");
  p.name = line.substr(0, name_end);
  bool quoted = false;
  size_t i = name_end;
  for (; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) break;
  }
  p.params = line.substr(name_end, i - name_end);
  p.value = i < line.size() ? line.substr(i + 1) : "";
  return p;
}

std::string unescape(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      char e = v[++i];
      out += (e == 'n' || e == 'N') ? '\n' : e;
    } else {
      out += v[i];
    }
  }
  return out;
}

// The VEVENT's own properties (those of its VALARM excluded), in order.
std::vector<Property> event_properties(const std::string& body) {
  std::vector<Property> props;
  int depth = 0;  // 1 inside VEVENT, 2 inside a VALARM
  for (const std::string& l : unfolded_lines(body)) {
    Property p = parse(l);
    if (p.name == "BEGIN" && (p.value == "VEVENT" || p.value == "VALARM")) ++depth;
    else if (p.name == "END" && (p.value == "VEVENT" || p.value == "VALARM")) --depth;
    else if (depth == 1) props.push_back(p);
  }
  return props;
}

const Property* find(const std::vector<Property>& props, std::string_view name) {
  for (const Property& p : props)
    if (p.name == name) return &p;
  return nullptr;
}

void expect_rejected(const Invitation& inv, std::string_view field) {
  try {
    icalendar(inv);
    ADD_FAILURE() << "accepted; expected a refusal naming " << field;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string_view(e.what()).find(field), std::string_view::npos) << e.what();
  }
}

}  // namespace

TEST(ServiceIcalendar, KnownInvitationExactOutput) {
  const Invitation inv = boiler_visit();
  const std::string expected =
      "BEGIN:VCALENDAR\r\n"
      "VERSION:2.0\r\n"
      "PRODID:-//Gazelle//Gazelle CRM//FR\r\n"
      "CALSCALE:GREGORIAN\r\n"
      "METHOD:REQUEST\r\n"
      "X-WR-TIMEZONE:Europe/Paris\r\n"
      "BEGIN:VEVENT\r\n"
      "UID:intervention-42@crm.exemple.fr\r\n"
      "SEQUENCE:0\r\n"
      "DTSTAMP:20260402T140509Z\r\n"
      "DTSTART:20260415T073000Z\r\n"
      "DTEND:20260415T090000Z\r\n"
      "SUMMARY:Intervention : remplacement de la chaudière\r\n"
      "DESCRIPTION:Technicien : Paul Girard\\nMerci de prévoir un accès au local \r\n"
      " technique.\r\n"  // the space before "technique" ended the line above
      "LOCATION:12\\, rue de la Paix\\, 75002 Paris\r\n"
      "STATUS:CONFIRMED\r\n"
      // exactly 75 octets: not folded
      "ORGANIZER;CN=\"Gazelle — Service technique\":mailto:sav@chauffage-dupont.fr\r\n"
      "ATTENDEE;CN=\"Élise Moreau\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP\r\n"
      " =TRUE:mailto:elise.moreau@exemple.fr\r\n"
      "TRANSP:OPAQUE\r\n"
      "BEGIN:VALARM\r\n"
      "ACTION:DISPLAY\r\n"
      "DESCRIPTION:Intervention : remplacement de la chaudière\r\n"
      "TRIGGER:-PT1H\r\n"
      "END:VALARM\r\n"
      "END:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  EXPECT_EQ(icalendar(inv), expected);
  EXPECT_STREQ(icalendar_method(inv), "REQUEST");

  auto props = event_properties(icalendar(inv));
  ASSERT_NE(find(props, "DESCRIPTION"), nullptr);
  EXPECT_EQ(unescape(find(props, "DESCRIPTION")->value), inv.description);
  EXPECT_EQ(unescape(find(props, "LOCATION")->value), inv.location);
  EXPECT_EQ(find(props, "ATTENDEE")->value, "mailto:elise.moreau@exemple.fr");
}

TEST(ServiceIcalendar, LongUtf8DescriptionFoldsBetweenCharacters) {
  // 2-, 3- and 4-byte characters; each shift of the prefix moves where the 75th octet falls.
  std::string text;
  for (int i = 0; i < 12; ++i) text += "Contrôle de l’étanchéité à 50 € ✓ 🔧, puis mise en service ; ";
  bool some_cut_before_75 = false;
  for (int shift = 0; shift < 4; ++shift) {
    Invitation inv = boiler_visit();
    inv.description = std::string(shift, 'x') + text;
    const std::string body = icalendar(inv);
    const auto lines = physical_lines(body);
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_LE(lines[i].size(), 75u) << lines[i];
      EXPECT_TRUE(gz::utf8::valid(lines[i])) << "a UTF-8 character was split: " << lines[i];
      bool folded_here = i + 1 < lines.size() && lines[i + 1].starts_with(' ');
      if (folded_here && lines[i].size() < 75) some_cut_before_75 = true;
    }
    auto props = event_properties(body);
    ASSERT_NE(find(props, "DESCRIPTION"), nullptr);
    EXPECT_EQ(unescape(find(props, "DESCRIPTION")->value), inv.description);
  }
  EXPECT_TRUE(some_cut_before_75) << "no fold had to step back before a multi-byte character";
}

TEST(ServiceIcalendar, TextEscapingAndParameterValues) {
  Invitation inv = boiler_visit();
  inv.summary = "a\\b;c,d\ne\r\nf\rg\th\x01i";
  inv.description = "Note\r\nATTENDEE:mailto:intrus@exemple.fr";  // must stay inside DESCRIPTION
  inv.attendee_name = "Jean \"Jojo\" Martin;\r\nchef";
  inv.organizer_name = "";
  const std::string body = icalendar(inv);

  auto props = event_properties(body);
  EXPECT_EQ(find(props, "SUMMARY")->value, "a\\\\b\\;c\\,d\\ne\\nf\\ng\thi");
  EXPECT_EQ(unescape(find(props, "SUMMARY")->value), "a\\b;c,d\ne\nf\ng\thi");
  EXPECT_EQ(find(props, "DESCRIPTION")->value, "Note\\nATTENDEE:mailto:intrus@exemple.fr");
  int attendees = 0;
  for (const auto& p : props) attendees += p.name == "ATTENDEE";
  EXPECT_EQ(attendees, 1);
  EXPECT_EQ(find(props, "ATTENDEE")->params,
            ";CN=\"Jean Jojo Martin;chef\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE");
  EXPECT_EQ(find(props, "ATTENDEE")->value, "mailto:elise.moreau@exemple.fr");
  EXPECT_EQ(find(props, "ORGANIZER")->params, "");  // no name, no CN
  EXPECT_EQ(find(props, "ORGANIZER")->value, "mailto:sav@chauffage-dupont.fr");
}

TEST(ServiceIcalendar, EmptyOptionalFieldsAreOmitted) {
  Invitation inv = boiler_visit();
  inv.description.clear();
  inv.location.clear();
  inv.time_zone.clear();
  const std::string body = icalendar(inv);
  EXPECT_EQ(body.find("LOCATION"), std::string::npos);
  EXPECT_EQ(body.find("X-WR-TIMEZONE"), std::string::npos);
  auto props = event_properties(body);
  EXPECT_EQ(find(props, "DESCRIPTION"), nullptr);  // the VALARM's DESCRIPTION is not the event's
  EXPECT_NE(body.find("BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Intervention"), std::string::npos);
}

TEST(ServiceIcalendar, CancelKeepsUidRaisesSequenceAndCancels) {
  Invitation inv = boiler_visit();
  const auto first = event_properties(icalendar(inv));
  inv.sequence = 1;
  inv.method = Invitation::Method::Cancel;
  const std::string body = icalendar(inv);
  const auto cancel = event_properties(body);

  EXPECT_STREQ(icalendar_method(inv), "CANCEL");
  EXPECT_NE(body.find("\r\nMETHOD:CANCEL\r\n"), std::string::npos);
  EXPECT_EQ(find(cancel, "UID")->value, find(first, "UID")->value);
  EXPECT_GT(std::stoi(find(cancel, "SEQUENCE")->value), std::stoi(find(first, "SEQUENCE")->value));
  EXPECT_EQ(find(cancel, "STATUS")->value, "CANCELLED");
  EXPECT_EQ(find(first, "STATUS")->value, "CONFIRMED");
  EXPECT_NE(find(cancel, "ATTENDEE"), nullptr);   // RFC 5546 3.2.5: the attendees are named
  EXPECT_NE(find(cancel, "ORGANIZER"), nullptr);
  EXPECT_EQ(body.find("VALARM"), std::string::npos);
}

TEST(ServiceIcalendar, StatusOverride) {
  Invitation inv = boiler_visit();
  inv.status = "TENTATIVE";
  EXPECT_EQ(find(event_properties(icalendar(inv)), "STATUS")->value, "TENTATIVE");
  inv.status = "DONE";
  expect_rejected(inv, "status");
}

TEST(ServiceIcalendar, InvalidInputsThrowNamingTheField) {
  Invitation inv = boiler_visit();
  inv.ends_at = inv.starts_at;
  expect_rejected(inv, "ends_at");
  inv.ends_at = inv.starts_at - 60;
  expect_rejected(inv, "ends_at");

  inv = boiler_visit();
  inv.uid.clear();
  expect_rejected(inv, "uid");
  inv.uid = "intervention-42\r\nX-INJECTED:1";
  expect_rejected(inv, "uid");

  inv = boiler_visit();
  inv.summary.clear();
  expect_rejected(inv, "summary");

  inv = boiler_visit();
  inv.sequence = -1;
  expect_rejected(inv, "sequence");

  for (const char* bad : {"", "elise.moreau.exemple.fr", "@exemple.fr", "elise@", "elise@exemple.fr\r\nBcc: x@y.fr",
                          "elise@exemple.fr\n", "elise moreau@exemple.fr", "eli\"se@exemple.fr"}) {
    inv = boiler_visit();
    inv.attendee_email = bad;
    expect_rejected(inv, "attendee_email");
    inv = boiler_visit();
    inv.organizer_email = bad;
    expect_rejected(inv, "organizer_email");
  }

  inv = boiler_visit();
  inv.stamp = -1;
  expect_rejected(inv, "stamp");
  inv = boiler_visit();
  inv.ends_at = 253402300800;  // 10000-01-01: no four-digit year
  expect_rejected(inv, "ends_at");
}
