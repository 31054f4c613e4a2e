// core/validate: French numbers in the national form skip libphonenumber's parser (the import's
// hottest step). The results must be exactly those of the parser: checked here against
// libphonenumber itself, over every 0X XX prefix, in the written forms the fast path accepts and
// in some it leaves to the parser.
#include <gtest/gtest.h>

#include <phonenumbers/phonenumberutil.h>

#include <random>

#include "core/validate.h"

using namespace gz;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

struct Reference {
  std::string e164;      // "" when invalid
  std::string national;  // digits of the national form of e164
};

// What validate::phone and phone_national_digits computed before the fast path.
Reference reference(const std::string& input) {
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber n;
  Reference r;
  if (util->Parse(input, "FR", &n) != PhoneNumberUtil::NO_PARSING_ERROR || !util->IsValidNumber(n)) return r;
  util->Format(n, PhoneNumberUtil::E164, &r.e164);
  PhoneNumber again;
  util->Parse(r.e164, "FR", &again);
  std::string nat;
  util->Format(again, PhoneNumberUtil::NATIONAL, &nat);
  for (char c : nat)
    if (c >= '0' && c <= '9') r.national += c;
  return r;
}

std::string written(const std::string& digits, int form) {
  if (form == 0) return digits;
  if (form == 4) return digits.substr(0, 2) + " " + digits.substr(2, 3) + digits.substr(5);  // irregular: parser
  if (form == 5) return "+33 " + digits.substr(1);                                          // international: parser
  char sep = form == 1 ? ' ' : form == 2 ? '.' : '-';
  std::string s;
  for (size_t i = 0; i < digits.size(); i += 2) s += (i ? std::string(1, sep) : "") + digits.substr(i, 2);
  return s;
}

}  // namespace

TEST(PhoneFastPath, SameResultsAsLibphonenumberForEveryFrenchPrefix) {
  std::mt19937 rng(7);
  int checked = 0, valid = 0;
  for (int prefix = 0; prefix < 1000; ++prefix) {  // 0 + three digits: 000 … 999
    char head[8];
    std::snprintf(head, sizeof head, "0%03d", prefix);
    for (int form = 0; form < 6; ++form) {
      char tail[8];
      std::snprintf(tail, sizeof tail, "%06u", unsigned(rng() % 1000000));
      std::string input = written(std::string(head) + tail, form);
      Reference want = reference(input);
      auto got = validate::phone(input);
      ASSERT_EQ(got.e164, want.e164) << input;
      ASSERT_EQ(got.error.empty(), !want.e164.empty()) << input << ": " << got.error;
      if (!want.e164.empty()) {
        ASSERT_EQ(validate::phone_national_digits(got.e164), want.national) << input;
        ++valid;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6000);
  EXPECT_GT(valid, 4000);  // most of the 01-09 ranges are assigned
}

TEST(PhoneFastPath, InvalidNumbersKeepTheParsersMessage) {
  // 06 39 and 07 0x are not assigned: the fast path hands them to the parser, whose wording stays.
  auto r = validate::phone("06 39 97 81 23");
  EXPECT_EQ(r.e164, "");
  EXPECT_EQ(r.error.english(),
            "'06 39 97 81 23' is not a valid phone number (national numbers are read as FR; add the country code, e.g. +44…)");
  EXPECT_EQ(validate::phone("07 01 02 03 04").e164, "");
  // Forms outside the fast path: double separators, a separator inside a pair, letters.
  EXPECT_EQ(validate::phone("06  12 34 56 78").e164, "+33612345678");
  EXPECT_EQ(validate::phone("061 2345678").e164, "+33612345678");
  EXPECT_EQ(validate::phone("06 12 34 56 7").e164, "");
  EXPECT_EQ(validate::phone("06 12 34 56 78 9").e164, "");
  EXPECT_NE(validate::phone("06 12 AB 56 78").error.english(), "");
  // Another default region never takes the French reading.
  EXPECT_EQ(validate::phone("020 7946 0958", "GB").e164, "+442079460958");
}

TEST(PhoneFastPath, NationalDigitsOfOtherCountriesStillParsed) {
  EXPECT_EQ(validate::phone_national_digits("+33612345678"), "0612345678");
  EXPECT_EQ(validate::phone_national_digits("+442079460958"), "02079460958");
  EXPECT_EQ(validate::phone_national_digits("+3225551212"), "025551212");
}
