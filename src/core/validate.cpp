#include "core/validate.h"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ctime>

#include "core/text.h"

namespace gz::validate {

std::optional<std::string> email(std::string_view v) {
  if (v.empty()) return "is empty";
  if (v.size() > 254) return "is longer than 254 characters";
  auto at = v.find('@');
  if (at == std::string_view::npos || v.find('@', at + 1) != std::string_view::npos)
    return "must contain exactly one @";
  auto local = v.substr(0, at), domain = v.substr(at + 1);
  if (local.empty() || local.size() > 64) return "has an empty or over-long part before @";
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return "has no valid domain after @ (e.g. example.fr)";
  for (unsigned char c : v)
    if (c <= ' ' || c == '(' || c == ')' || c == ',' || c == ';' || c == '<' || c == '>' || c == '"' ||
        c == '[' || c == ']' || c == '\\')
      return "contains a space or a character not allowed in an e-mail address";
  return std::nullopt;
}

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  bool dbl = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (dbl) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

std::optional<std::string> siren_or_siret(std::string_view value) {
  std::string d;
  for (char c : value) {
    if (c == ' ' || c == '.' || c == '-') continue;
    if (c < '0' || c > '9') return "must contain only digits (SIREN: 9, SIRET: 14)";
    d += c;
  }
  if (d.size() != 9 && d.size() != 14)
    return "must have 9 digits (SIREN) or 14 digits (SIRET), not " + std::to_string(d.size());
  if (!luhn_valid(d.substr(0, 9))) return "SIREN " + d.substr(0, 9) + " fails its check key (Luhn)";
  if (d.size() == 14 && !luhn_valid(d)) {
    // La Poste: SIRET keys use the plain digit sum modulo 5.
    if (d.substr(0, 9) == "356000000") {
      int sum = 0;
      for (char c : d) sum += c - '0';
      if (sum % 5 == 0) return std::nullopt;
    }
    return "SIRET " + d + " fails its check key (Luhn)";
  }
  return std::nullopt;
}

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// The singleton accessor showed in the import profile (a tenth of phone()): looked up once.
const PhoneNumberUtil& phone_util() {
  static const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  return *util;
}

// A French number in the national form: "0" and nine digits, the pairs optionally separated by
// one space, dot or dash ("06 12 34 56 78", "0612345678", "06.12.34.56.78"): the national
// significant number, or 0 when the input has another form. For such an input libphonenumber's
// Parse (region FR) yields country code 33 and these nine digits whenever the result is a valid
// number (the national prefix 0 is stripped; nothing else in the input can be an extension, a
// country code or a carrier code), so a valid result can skip the parser's regular expressions.
// Anything else, and any number this finds invalid, goes through Parse as before.
uint64_t french_national_form(const std::string& s) {
  int digits = 0;
  uint64_t nsn = 0;
  bool after_separator = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits == 0 && c != '0') return 0;
      if (digits == 1 && c == '0') return 0;
      if (digits > 0) nsn = nsn * 10 + uint64_t(c - '0');
      ++digits;
      after_separator = false;
    } else if ((c == ' ' || c == '.' || c == '-') && digits > 0 && digits % 2 == 0 && !after_separator) {
      after_separator = true;
    } else {
      return 0;
    }
  }
  return digits == 10 && !after_separator ? nsn : 0;
}

}  // namespace

namespace {

// Spaces of every kind (no-break, narrow no-break, tab) as one plain space, so that a number
// formatted by a spreadsheet reads as typed; "(0)" after an international prefix dropped
// ("+33 (0)6 12 34 56 78": the trunk prefix written for national callers).
std::string plain_spaces(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v.compare(i, 2, "\xC2\xA0") == 0) { out += ' '; ++i; continue; }
    if (v.compare(i, 3, "\xE2\x80\xAF") == 0 || v.compare(i, 3, "\xE2\x80\x89") == 0) { out += ' '; i += 2; continue; }
    out += v[i] == '\t' ? ' ' : v[i];
  }
  std::string t = text::trim(out);
  if (!t.empty() && (t[0] == '+' || t.rfind("00", 0) == 0))
    if (size_t p = t.find("(0)"); p != std::string::npos) t.replace(p, 3, " ");
  return t;
}

// "+33" and nine digits, with single spaces, dots or dashes between groups: the national
// significant number, or 0 for another form (as french_national_form, for E.164 and the
// international form of French numbers, which every import of an export reads again).
uint64_t french_international_form(const std::string& s) {
  if (s.size() < 12 || s.compare(0, 3, "+33") != 0) return 0;
  uint64_t nsn = 0;
  int digits = 0;
  bool after_separator = true;  // no separator right after +33 other than one space
  for (size_t i = 3; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits == 0 && c == '0') return 0;
      nsn = nsn * 10 + uint64_t(c - '0');
      ++digits;
      after_separator = false;
    } else if ((c == ' ' || c == '.' || c == '-') && !after_separator) {
      after_separator = true;
    } else if (c == ' ' && i == 3) {
      after_separator = true;
    } else {
      return 0;
    }
  }
  return digits == 9 && !after_separator ? nsn : 0;
}

}  // namespace

PhoneResult phone(std::string_view value, const std::string& default_region) {
  const PhoneNumberUtil& util = phone_util();
  PhoneNumber number;
  std::string input = plain_spaces(value);
  std::string shown(text::trim(value).substr(0, 60));
  if (input.empty()) return {"", tr("is empty")};
  if (input.size() > 40) return {"", tr("'{value}' is too long for a phone number", {{"value", shown}})};
  if (default_region == "FR") {
    uint64_t nsn = french_national_form(input);
    if (!nsn) nsn = french_international_form(input);
    if (nsn) {
      number.set_country_code(33);
      number.set_national_number(nsn);
      if (util.IsValidNumber(number)) return {"+33" + std::to_string(nsn), {}};
      number.Clear();  // not valid in this reading: Parse decides, and words the error
    }
  }
  if (input.rfind("00", 0) == 0) input = "+" + input.substr(2);  // international prefix from France
  auto err = util.Parse(input, default_region, &number);
  if (err == PhoneNumberUtil::TOO_SHORT_NSN || err == PhoneNumberUtil::TOO_SHORT_AFTER_IDD)
    return {"", tr("'{value}' is too short for a phone number", {{"value", shown}})};
  if (err == PhoneNumberUtil::TOO_LONG_NSN)
    return {"", tr("'{value}' is too long for a phone number", {{"value", shown}})};
  if (err != PhoneNumberUtil::NO_PARSING_ERROR)
    return {"", tr("'{value}' is not a phone number", {{"value", shown}})};
  if (!util.IsValidNumber(number)) {
    switch (util.IsPossibleNumberWithReason(number)) {
      case PhoneNumberUtil::TOO_SHORT:
        return {"", tr("'{value}' is too short for a phone number", {{"value", shown}})};
      case PhoneNumberUtil::TOO_LONG:
        return {"", tr("'{value}' is too long for a phone number", {{"value", shown}})};
      default:
        return {"", tr("'{value}' is not a valid phone number (national numbers are read as {region}; add the "
                       "country code, e.g. +44…)",
                       {{"value", shown}, {"region", default_region}})};
    }
  }
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  return {out, {}};
}

std::string phone_national_digits(const std::string& e164) {
  // "+33" and nine digits (not starting with 0), as phone() writes French numbers: the national
  // form is the trunk prefix 0 and those nine digits (06 12 34 56 78), without libphonenumber's
  // parser and formatter (phone_fast_path_test compares with them for every prefix).
  bool french = e164.size() == 12 && e164.compare(0, 3, "+33") == 0 && e164[3] != '0' &&
                std::all_of(e164.begin() + 3, e164.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (french) return "0" + e164.substr(3);
  const PhoneNumberUtil& util = phone_util();
  PhoneNumber number;
  if (util.Parse(e164, "FR", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return text::digits_only(e164);
  std::string out;
  util.Format(number, PhoneNumberUtil::NATIONAL, &out);
  return text::digits_only(out);
}

static bool all_digits(std::string_view s) {
  for (char c : s) if (c < '0' || c > '9') return false;
  return !s.empty();
}

static int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return d[m - 1];
}

std::optional<std::string> iso_date(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return std::nullopt;
  if (!all_digits(v.substr(0, 4)) || !all_digits(v.substr(5, 2)) || !all_digits(v.substr(8, 2))) return std::nullopt;
  int y = std::stoi(std::string(v.substr(0, 4))), m = std::stoi(std::string(v.substr(5, 2))),
      d = std::stoi(std::string(v.substr(8, 2)));
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return std::string(v);
}

std::optional<std::string> iso_datetime_utc(std::string_view v) {
  if (v.size() == 10) {
    auto d = iso_date(v);
    if (!d) return std::nullopt;
    return *d + "T00:00:00Z";
  }
  if (v.size() < 19 || (v[10] != 'T' && v[10] != ' ')) return std::nullopt;
  auto d = iso_date(v.substr(0, 10));
  if (!d || v[13] != ':' || v[16] != ':') return std::nullopt;
  if (!all_digits(v.substr(11, 2)) || !all_digits(v.substr(14, 2)) || !all_digits(v.substr(17, 2))) return std::nullopt;
  int hh = std::stoi(std::string(v.substr(11, 2))), mm = std::stoi(std::string(v.substr(14, 2))),
      ss = std::stoi(std::string(v.substr(17, 2)));
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  size_t i = 19;
  if (i < v.size() && v[i] == '.') {  // fractional seconds are accepted and dropped
    ++i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
  }
  int offset_min = 0;
  if (i == v.size()) {
    // no zone: taken as UTC
  } else if (v[i] == 'Z' && i + 1 == v.size()) {
  } else if ((v[i] == '+' || v[i] == '-') && v.size() == i + 6 && v[i + 3] == ':' &&
             all_digits(v.substr(i + 1, 2)) && all_digits(v.substr(i + 4, 2))) {
    offset_min = std::stoi(std::string(v.substr(i + 1, 2))) * 60 + std::stoi(std::string(v.substr(i + 4, 2)));
    if (v[i] == '-') offset_min = -offset_min;
  } else {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(std::string(v.substr(0, 4))) - 1900;
  tm.tm_mon = std::stoi(std::string(v.substr(5, 2))) - 1;
  tm.tm_mday = std::stoi(std::string(v.substr(8, 2)));
  tm.tm_hour = hh;
  tm.tm_min = mm - offset_min;
  tm.tm_sec = ss > 59 ? 59 : ss;
  time_t t = timegm(&tm);
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &out);
  return std::string(buf);
}

}  // namespace gz::validate
