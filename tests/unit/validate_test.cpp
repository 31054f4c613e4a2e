// core/validate: French company identifiers, phone numbers, e-mail addresses, ISO dates.
#include <gtest/gtest.h>

#include "core/validate.h"

using namespace gz;

// ---- SIREN / SIRET --------------------------------------------------------------------------

TEST(Siret, AcceptsValidSirenAndSiret) {
  EXPECT_EQ(validate::siren_or_siret("732829320"), std::nullopt);
  EXPECT_EQ(validate::siren_or_siret("732 829 320"), std::nullopt);
  EXPECT_EQ(validate::siren_or_siret("73282932000074"), std::nullopt);
  EXPECT_EQ(validate::siren_or_siret("732 829 320 00074"), std::nullopt);
  EXPECT_EQ(validate::siren_or_siret("732.829.320-00074"), std::nullopt);
  EXPECT_EQ(validate::siren_or_siret("552032534"), std::nullopt);
  EXPECT_EQ(validate::siren_or_siret("55203253400646"), std::nullopt);
}

TEST(Siret, RejectsWrongKey) {
  auto e = validate::siren_or_siret("732829321");
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("Luhn"), std::string::npos) << *e;
  auto s = validate::siren_or_siret("73282932000075");
  ASSERT_TRUE(s);
  EXPECT_NE(s->find("SIRET"), std::string::npos) << *s;
  // Digit sum a multiple of 5 is La Poste's rule only, not a general one.
  EXPECT_TRUE(validate::siren_or_siret("73282932000072"));
  // A SIRET whose SIREN part is wrong.
  EXPECT_TRUE(validate::siren_or_siret("73282932100074"));
}

TEST(Siret, RejectsWrongLengthAndCharacters) {
  for (const char* v : {"", "73282932", "7328293200", "7328293200007", "732829320000745", "123"}) {
    auto e = validate::siren_or_siret(v);
    ASSERT_TRUE(e) << v;
    EXPECT_NE(e->find("9 digits"), std::string::npos) << *e;
  }
  auto e = validate::siren_or_siret("73282932O");  // letter O
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("only digits"), std::string::npos) << *e;
}

TEST(Siret, LaPosteSpecialCase) {
  EXPECT_EQ(validate::siren_or_siret("356000000"), std::nullopt);
  // Luhn fails, but La Poste's establishments use digit sum modulo 5.
  EXPECT_EQ(validate::siren_or_siret("35600000049837"), std::nullopt);
  EXPECT_EQ(validate::siren_or_siret("356 000 000 49832"), std::nullopt);
  // Fails both rules.
  EXPECT_TRUE(validate::siren_or_siret("35600000049838"));
  // A Luhn-valid La Poste SIRET is fine as well.
  EXPECT_EQ(validate::siren_or_siret("35600000000048"), std::nullopt);
}

TEST(Luhn, Basics) {
  EXPECT_TRUE(validate::luhn_valid("732829320"));
  EXPECT_FALSE(validate::luhn_valid("732829321"));
  EXPECT_TRUE(validate::luhn_valid("79927398713"));
  EXPECT_FALSE(validate::luhn_valid("79927398710"));
  EXPECT_TRUE(validate::luhn_valid("0"));
}

// ---- Phones ---------------------------------------------------------------------------------

TEST(Phone, FrenchNationalFormatsGiveE164) {
  for (const char* v : {"06 12 34 56 78", "06.12.34.56.78", "0612345678", "06-12-34-56-78", "+33 6 12 34 56 78",
                        "+33612345678", "0033612345678", "0033 6 12 34 56 78", "  06 12 34 56 78  ", "+33 (0)6 12 34 56 78"}) {
    auto r = validate::phone(v);
    EXPECT_EQ(r.error.english(), "") << v;
    EXPECT_EQ(r.e164, "+33612345678") << v;
  }
  EXPECT_EQ(validate::phone("01 42 68 53 00").e164, "+33142685300");
}

TEST(Phone, ForeignNumbers) {
  auto uk = validate::phone("+44 20 7946 0958");
  EXPECT_EQ(uk.error.english(), "");
  EXPECT_EQ(uk.e164, "+442079460958");
  auto be = validate::phone("0032 2 555 12 12");
  EXPECT_EQ(be.error.english(), "");
  EXPECT_EQ(be.e164, "+3225551212");
  // A national number read in another region.
  auto gb = validate::phone("020 7946 0958", "GB");
  EXPECT_EQ(gb.e164, "+442079460958");
}

TEST(Phone, InvalidNumbersHaveAClearMessage) {
  for (const char* v : {"12", "abc", "06 12", "+33 6 12 34 56 78 90 12", "", "   "}) {
    auto r = validate::phone(v);
    EXPECT_EQ(r.e164, "") << v;
    EXPECT_FALSE(r.error.empty()) << v;
  }
  auto r = validate::phone("12");
  EXPECT_NE(r.error.english().find("'12'"), std::string::npos) << r.error;
  EXPECT_NE(r.error.english().find("phone number"), std::string::npos) << r.error;
  auto a = validate::phone("abc");
  EXPECT_NE(a.error.english().find("not a phone number"), std::string::npos) << a.error;
  EXPECT_NE(validate::phone(std::string(50, '1')).error.english().find("too long"), std::string::npos);
}

TEST(Phone, NationalDigits) {
  EXPECT_EQ(validate::phone_national_digits("+33612345678"), "0612345678");
  EXPECT_EQ(validate::phone_national_digits("+33142685300"), "0142685300");
}

// ---- E-mail ---------------------------------------------------------------------------------

TEST(Email, AcceptsUsualAddresses) {
  for (const char* v : {"helene.lefevre@example.fr", "a@b.co", "jean+crm@sub.example.com", "o'neil@example.ie",
                        "Hélène@exemple.fr"})
    EXPECT_EQ(validate::email(v), std::nullopt) << v;
}

TEST(Email, RejectsBadAddresses) {
  for (const char* v : {"", "no-at-sign", "two@@example.fr", "a@b@example.fr", "@example.fr", "jean@", "jean@localhost",
                        "jean@.example.fr", "jean@example.fr.", "jean@example..fr", "jean dupont@example.fr",
                        "jean@exa mple.fr", "<jean@example.fr>", "jean,paul@example.fr", "a@b"}) {
    auto e = validate::email(v);
    EXPECT_TRUE(e) << v;
    if (e) EXPECT_FALSE(e->empty()) << v;
  }
  EXPECT_TRUE(validate::email(std::string(65, 'a') + "@example.fr"));
  EXPECT_TRUE(validate::email("a@" + std::string(250, 'b') + ".fr"));
}

// ---- Dates ----------------------------------------------------------------------------------

TEST(Dates, IsoDate) {
  EXPECT_EQ(validate::iso_date("2026-03-01"), "2026-03-01");
  EXPECT_EQ(validate::iso_date("2024-02-29"), "2024-02-29");
  EXPECT_EQ(validate::iso_date("2000-02-29"), "2000-02-29");
  for (const char* v : {"2023-02-29", "1900-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "26-03-01",
                        "2026/03/01", "2026-3-1", "01/03/2026", "", "yesterday", "2026-03-01T10:00:00Z"})
    EXPECT_EQ(validate::iso_date(v), std::nullopt) << v;
}

TEST(Dates, DateTimeConvertedToUtc) {
  EXPECT_EQ(validate::iso_datetime_utc("2026-03-01T14:30:00Z"), "2026-03-01T14:30:00Z");
  EXPECT_EQ(validate::iso_datetime_utc("2026-03-01T14:30:00+01:00"), "2026-03-01T13:30:00Z");
  EXPECT_EQ(validate::iso_datetime_utc("2026-07-01T14:30:00+02:00"), "2026-07-01T12:30:00Z");
  EXPECT_EQ(validate::iso_datetime_utc("2026-03-01T14:30:00-05:30"), "2026-03-01T20:00:00Z");
  // Offsets move the date across day, month and year boundaries.
  EXPECT_EQ(validate::iso_datetime_utc("2026-03-01T00:30:00+02:00"), "2026-02-28T22:30:00Z");
  EXPECT_EQ(validate::iso_datetime_utc("2024-03-01T00:30:00+02:00"), "2024-02-29T22:30:00Z");
  EXPECT_EQ(validate::iso_datetime_utc("2026-12-31T23:30:00-01:00"), "2027-01-01T00:30:00Z");
  EXPECT_EQ(validate::iso_datetime_utc("2027-01-01T00:15:00+14:00"), "2026-12-31T10:15:00Z");
  // Fractions dropped; a space separator, a missing zone (UTC) and a bare date accepted.
  EXPECT_EQ(validate::iso_datetime_utc("2026-03-01T14:30:00.123456Z"), "2026-03-01T14:30:00Z");
  EXPECT_EQ(validate::iso_datetime_utc("2026-03-01 14:30:00"), "2026-03-01T14:30:00Z");
  EXPECT_EQ(validate::iso_datetime_utc("2026-03-01"), "2026-03-01T00:00:00Z");
}

TEST(Dates, DateTimeRejectsNonsense) {
  for (const char* v : {"", "now", "2026-03-01T", "2026-03-01T14:30", "2026-03-01T24:00:00Z", "2026-03-01T14:60:00Z",
                        "2026-02-30T10:00:00Z", "2026-03-01T14:30:00+0100", "2026-03-01T14:30:00+01",
                        "2026-03-01T14:30:00ZZ", "2026-03-01T14:30:00 Z", "2026-03-01X14:30:00Z", "2026-03-01T1a:30:00Z"})
    EXPECT_EQ(validate::iso_datetime_utc(v), std::nullopt) << v;
}
