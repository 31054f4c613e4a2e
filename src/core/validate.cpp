#include "core/validate.h"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ctime>

#include "core/text.h"

namespace gz::validate {

std::optional<Message> email(std::string_view v) {
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

std::optional<Message> siren_or_siret(std::string_view value) {
  std::string d;
  for (char c : value) {
    if (c == ' ' || c == '.' || c == '-') continue;
    if (c < '0' || c > '9') return "must contain only digits (SIREN: 9, SIRET: 14)";
    d += c;
  }
  if (d.size() != 9 && d.size() != 14)
    return tr("must have 9 digits (SIREN) or 14 digits (SIRET), not {n}", {{"n", d.size()}});
  if (!luhn_valid(d.substr(0, 9))) return tr("SIREN {siren} fails its check key (Luhn)", {{"siren", d.substr(0, 9)}});
  if (d.size() == 14 && !luhn_valid(d)) {
    // La Poste: SIRET keys use the plain digit sum modulo 5.
    if (d.substr(0, 9) == "356000000") {
      int sum = 0;
      for (char c : d) sum += c - '0';
      if (sum % 5 == 0) return std::nullopt;
    }
    return tr("SIRET {siret} fails its check key (Luhn)", {{"siret", d}});
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

PhoneResult phone(std::string_view value, const std::string& default_region) {
  const PhoneNumberUtil& util = phone_util();
  PhoneNumber number;
  std::string input = text::trim(value);
  if (input.empty()) return {"", Message("is empty")};
  if (input.size() > 40) return {"", Message("is too long for a phone number")};
  if (default_region == "FR") {
    if (uint64_t nsn = french_national_form(input)) {
      number.set_country_code(33);
      number.set_national_number(nsn);
      if (util.IsValidNumber(number)) return {"+33" + std::to_string(nsn), ""};
      number.Clear();  // not valid in this reading: Parse decides, and words the error
    }
  }
  if (input.rfind("00", 0) == 0) input = "+" + input.substr(2);  // international prefix from France
  auto err = util.Parse(input, default_region, &number);
  if (err != PhoneNumberUtil::NO_PARSING_ERROR)
    return {"", tr("'{value}' is not a phone number", {{"value", std::string(value)}})};
  if (!util.IsValidNumber(number))
    return {"", tr("'{value}' is not a valid phone number (national numbers are read as {region}; add the country "
                   "code, e.g. +44…)",
                   {{"value", std::string(value)}, {"region", default_region}})};
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  return {out, ""};
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
