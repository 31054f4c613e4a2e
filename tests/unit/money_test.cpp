// Money as people read it (core/money.h): French by default, exact from the cents.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "core/money.h"

using namespace gz;

TEST(Money, FrenchAmountsGroupWithANarrowNoBreakSpace) {
  EXPECT_EQ(money::format_money(123456), "1\u202f234,56\u00a0\u20ac");
  EXPECT_EQ(money::format_money(0), "0,00\u00a0\u20ac");
  EXPECT_EQ(money::format_money(5), "0,05\u00a0\u20ac");
  EXPECT_EQ(money::format_money(-5), "-0,05\u00a0\u20ac");
  EXPECT_EQ(money::format_money(100000000), "1\u202f000\u202f000,00\u00a0\u20ac");
  EXPECT_EQ(money::format_cents(-123456789), "-1\u202f234\u202f567,89");
  EXPECT_EQ(money::format_money(99900, "CHF"), "999,00\u00a0CHF");
}

TEST(Money, EnglishAmounts) {
  EXPECT_EQ(money::format_money(123456, "EUR", "en"), "\u20ac1,234.56");
  EXPECT_EQ(money::format_money(-123456, "EUR", "en"), "-\u20ac1,234.56");
  EXPECT_EQ(money::format_money(100, "USD", "en"), "$1.00");
  EXPECT_EQ(money::format_money(123456, "CHF", "en"), "CHF 1,234.56");
}

TEST(Money, ExtremesDoNotOverflow) {
  EXPECT_EQ(money::format_cents(std::numeric_limits<int64_t>::min(), "en"), "-92,233,720,368,547,758.08");
  EXPECT_EQ(money::format_cents(std::numeric_limits<int64_t>::max(), "en"), "92,233,720,368,547,758.07");
}
