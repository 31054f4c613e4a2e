// Quote totals under French VAT (modules/sales/quote_totals.h), on figures computed by hand:
// VAT per rate on the summed base, rounded half away from zero, credits included.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "core/message.h"
#include "core/problem.h"
#include "modules/sales/quote_totals.h"

using namespace gz;
using namespace gz::modules::sales;

namespace {

QuoteLineInput line(int64_t qty, int64_t price, std::string rate, int64_t discount = 0, std::string exemption = "") {
  return {qty, price, discount, std::move(rate), std::move(exemption)};
}

// The error of `field`, or nullptr.
const FieldError* error_of(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return &e;
  return nullptr;
}

}  // namespace

TEST(QuoteTotals, VatIsRoundedOncePerRateNotPerLine) {
  // Three lines of 12,34 € at 20 %: 2,468 € of VAT each, which rounded per line would make
  // 3 × 2,47 = 7,41 €; on the summed base 37,02 € × 20 % = 7,404 € -> 7,40 €.
  auto t = quote_totals({line(1, 1234, "20"), line(1, 1234, "20"), line(1, 1234, "20")});
  EXPECT_EQ(t.line_net_cents, (std::vector<int64_t>{1234, 1234, 1234}));
  ASSERT_EQ(t.breakdown.size(), 1u);
  EXPECT_EQ(t.breakdown[0].rate, "20");
  EXPECT_EQ(t.breakdown[0].rate_basis_points, 2000);
  EXPECT_EQ(t.breakdown[0].base_cents, 3702);
  EXPECT_EQ(t.breakdown[0].vat_cents, 740);
  EXPECT_EQ(t.net_cents, 3702);
  EXPECT_EQ(t.vat_cents, 740);
  EXPECT_EQ(t.gross_cents, 4442);
}

TEST(QuoteTotals, EveryFrenchRateWithItsHalfCents) {
  // 2 × 50,00 € − 5,00 € at 20 %  -> base 95,00 €, VAT 19,00 €
  // 1 × 1,00 € at 5,5 %           -> 0,055 €: half a cent, rounded up to 0,06 €
  // 1 × 5,00 € at 2,1 %           -> 0,105 €: half a cent, rounded up to 0,11 €
  // 3 × 10,00 € at 10 %           -> 30,00 €, VAT 3,00 €
  // 1 × 20,00 € at 0 %, franchise -> no VAT
  auto t = quote_totals({line(2, 5000, "20", 500), line(1, 100, "5.5"), line(1, 500, "2.1"), line(3, 1000, "10"),
                         line(1, 2000, "0", 0, "franchise")});
  EXPECT_EQ(t.line_net_cents, (std::vector<int64_t>{9500, 100, 500, 3000, 2000}));
  ASSERT_EQ(t.breakdown.size(), 5u);
  // Highest rate first.
  EXPECT_EQ(t.breakdown[0].rate, "20");
  EXPECT_EQ(t.breakdown[0].vat_cents, 1900);
  EXPECT_EQ(t.breakdown[1].rate, "10");
  EXPECT_EQ(t.breakdown[1].vat_cents, 300);
  EXPECT_EQ(t.breakdown[2].rate, "5.5");
  EXPECT_EQ(t.breakdown[2].rate_basis_points, 550);
  EXPECT_EQ(t.breakdown[2].base_cents, 100);
  EXPECT_EQ(t.breakdown[2].vat_cents, 6);
  EXPECT_EQ(t.breakdown[3].rate, "2.1");
  EXPECT_EQ(t.breakdown[3].rate_basis_points, 210);
  EXPECT_EQ(t.breakdown[3].vat_cents, 11);
  EXPECT_EQ(t.breakdown[4].rate, "0");
  EXPECT_EQ(t.breakdown[4].exemption, VatExemption::FranchiseEnBase);
  EXPECT_EQ(t.breakdown[4].base_cents, 2000);
  EXPECT_EQ(t.breakdown[4].vat_cents, 0);
  EXPECT_EQ(t.net_cents, 15100);
  EXPECT_EQ(t.vat_cents, 2217);
  EXPECT_EQ(t.gross_cents, 17317);
}

TEST(QuoteTotals, HalfCentsOfThreeCentsAt5_5And15EurosAt2_1) {
  // 3,00 € at 5,5 % = 0,165 € -> 0,17 €; 15,00 € at 2,1 % = 0,315 € -> 0,32 €.
  auto t = quote_totals({line(3, 100, "5.5"), line(3, 500, "2.1")});
  ASSERT_EQ(t.breakdown.size(), 2u);
  EXPECT_EQ(t.breakdown[0].vat_cents, 17);
  EXPECT_EQ(t.breakdown[1].vat_cents, 32);
  EXPECT_EQ(t.gross_cents, 300 + 17 + 1500 + 32);
}

TEST(QuoteTotals, CreditsRoundHalfAwayFromZero) {
  EXPECT_EQ(vat_of(25, 1000), 3);     //  0,025 € ->  0,03 €
  EXPECT_EQ(vat_of(-25, 1000), -3);   // -0,025 € -> -0,03 €, not -0,02 €
  EXPECT_EQ(vat_of(24, 1000), 2);
  EXPECT_EQ(vat_of(-24, 1000), -2);
  EXPECT_EQ(vat_of(-26, 1000), -3);
  EXPECT_EQ(vat_of(-100, 550), -6);   // -0,055 € -> -0,06 €
  EXPECT_EQ(vat_of(-500, 210), -11);  // -0,105 € -> -0,11 €
  EXPECT_EQ(vat_of(0, 2000), 0);
  EXPECT_EQ(vat_of(1000000000000LL, 2000), 200000000000LL);

  // A deposit deducted at 10 % larger than the line it follows: base 10,00 € − 10,25 € = −0,25 €,
  // VAT −0,025 € -> −0,03 €.
  auto t = quote_totals({line(1, 1000, "10"), line(1, -1025, "10")});
  ASSERT_EQ(t.breakdown.size(), 1u);
  EXPECT_EQ(t.breakdown[0].base_cents, -25);
  EXPECT_EQ(t.breakdown[0].vat_cents, -3);
  EXPECT_EQ(t.net_cents, -25);
  EXPECT_EQ(t.gross_cents, -28);

  // A discount lowers a credit line's magnitude: 2 × −10,00 € with 3,00 € off is −17,00 €.
  auto c = quote_totals({line(2, -1000, "20", 300)});
  EXPECT_EQ(c.line_net_cents[0], -1700);
  EXPECT_EQ(c.vat_cents, -340);
  EXPECT_EQ(c.gross_cents, -2040);
}

TEST(QuoteTotals, ZeroRateLinesAreGroupedByExemption) {
  auto t = quote_totals({line(1, 1000, "0", 0, "intra_eu"), line(1, 300, "0"), line(1, 200, "0", 0, "intra_eu"),
                         line(1, 100, "20")});
  ASSERT_EQ(t.breakdown.size(), 3u);
  EXPECT_EQ(t.breakdown[0].rate, "20");
  EXPECT_EQ(t.breakdown[1].exemption, VatExemption::None);
  EXPECT_EQ(t.breakdown[1].base_cents, 300);
  EXPECT_EQ(t.breakdown[2].exemption, VatExemption::IntraEuSupply);
  EXPECT_EQ(t.breakdown[2].base_cents, 1200);
  EXPECT_EQ(t.gross_cents, 1600 + 20);
}

TEST(QuoteTotals, NoLinesMakeZeroTotals) {
  auto t = quote_totals({});
  EXPECT_TRUE(t.breakdown.empty());
  EXPECT_EQ(t.gross_cents, 0);
}

TEST(QuoteTotals, ExemptionWordingAndCodes) {
  EXPECT_EQ(exemption_wording(VatExemption::FranchiseEnBase), "TVA non applicable, art. 293 B du CGI");
  EXPECT_EQ(exemption_wording(VatExemption::ReverseCharge), "Autoliquidation");
  EXPECT_EQ(exemption_wording(VatExemption::IntraEuSupply), "Exon\u00e9ration de TVA, article 262 ter I du CGI");
  EXPECT_EQ(exemption_wording(VatExemption::ReverseCharge, "en"), "Reverse charge");
  EXPECT_EQ(exemption_wording(VatExemption::None), "");
  EXPECT_EQ(exemption_from_code("reverse_charge"), VatExemption::ReverseCharge);
  EXPECT_EQ(exemption_from_code(""), VatExemption::None);
  EXPECT_FALSE(exemption_from_code("nope"));
  EXPECT_EQ(vat_category(2000, VatExemption::None), "S");
  EXPECT_EQ(vat_category(0, VatExemption::None), "Z");
  EXPECT_EQ(vat_category(0, VatExemption::IntraEuSupply), "K");
  EXPECT_EQ(vatex_code(VatExemption::FranchiseEnBase), "VATEX-FR-FRANCHISE");
  EXPECT_EQ(vat_rate_basis_points("5.5"), 550);
  EXPECT_FALSE(vat_rate_basis_points("19.6"));
  EXPECT_FALSE(vat_rate_basis_points("5,5"));
}

TEST(QuoteTotals, FieldErrorsNameTheLine) {
  add_french_messages(quote_messages_fr());  // what the sales module's messages_fr registers
  auto errors = check_quote_lines({
      line(1, 1000, "20"),                            // fine
      line(-2, 1000, "20"),                           // negative quantity
      line(1, 1000, "19.6"),                          // not a rate any more
      line(2, 1000, "10", 2001),                      // discount above 20,00 €
      line(1, 1000, "20", 0, "franchise"),            // exemption at 20 %
      line(1, 1000, "0", 0, "exonere"),               // unknown exemption
      line(0, 1000, "20"),                            // zero quantity
  });
  EXPECT_EQ(errors.size(), 6u);
  EXPECT_EQ(error_of(errors, "lines[0].quantity"), nullptr);
  const FieldError* q = error_of(errors, "lines[1].quantity");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->render("fr"), "Ligne 2, quantit\u00e9\u00a0: doit \u00eatre un nombre entier de 1 \u00e0 1\u202f000\u202f000\u202f000");
  EXPECT_EQ(q->render("en"), "Line 2, quantity: must be an integer from 1 to 1,000,000,000");
  const FieldError* r = error_of(errors, "lines[2].vat_rate");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->render("fr"),
            "Ligne 3, taux de TVA\u00a0: \u00ab\u00a019.6\u00a0\u00bb n'est pas un taux de TVA fran\u00e7ais (20, 10, 5,5, 2,1 ou 0)");
  ASSERT_NE(error_of(errors, "lines[3].discount_cents"), nullptr);
  const FieldError* e = error_of(errors, "lines[4].vat_exemption");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->message.english(), "an exemption applies only to the 0 % rate");
  ASSERT_NE(error_of(errors, "lines[5].vat_exemption"), nullptr);
  ASSERT_NE(error_of(errors, "lines[6].quantity"), nullptr);

  // Another path for lines nested elsewhere.
  auto nested = check_quote_lines({line(1, 100, "7")}, "quote.lines");
  ASSERT_EQ(nested.size(), 1u);
  EXPECT_EQ(nested[0].field, "quote.lines[0].vat_rate");
}

TEST(QuoteTotals, InvalidLinesThrowAnUnprocessableProblem) {
  add_french_messages(quote_messages_fr());
  try {
    quote_totals({line(1, 100, "20"), line(1, 100, "")});
    FAIL() << "no problem thrown";
  } catch (const Problem& p) {
    EXPECT_EQ(p.http_status(), 422);
    ASSERT_EQ(p.fields().size(), 1u);
    EXPECT_EQ(p.fields()[0].field, "lines[1].vat_rate");
    EXPECT_EQ(p.detail("fr").rfind("Ligne 2, taux de TVA\u00a0: ", 0), 0u) << p.detail("fr");
  }
}

TEST(QuoteTotals, BigNumbersAreRefusedNotOverflowed) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min(), kMax = std::numeric_limits<int64_t>::max();
  // 10^9 × 10^12 = 10^21 cents does not fit in int64_t: refused, not wrapped.
  auto big = check_quote_lines({line(1000000000, 1000000000000LL, "20")});
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].field, "lines[0].quantity");
  EXPECT_EQ(big[0].message.english(), "quantity \u00d7 unit price exceeds 1,000,000,000,000 cents");
  // Extreme values anywhere.
  auto extreme = check_quote_lines({line(kMax, kMax, "20", kMax), line(kMin, kMin, "20", kMin)});
  EXPECT_NE(error_of(extreme, "lines[0].quantity"), nullptr);
  EXPECT_NE(error_of(extreme, "lines[0].unit_price_cents"), nullptr);
  EXPECT_NE(error_of(extreme, "lines[0].discount_cents"), nullptr);
  EXPECT_NE(error_of(extreme, "lines[1].unit_price_cents"), nullptr);
  EXPECT_NE(error_of(extreme, "lines[1].discount_cents"), nullptr);
  // Each line at the bound is fine; their sum is not a single amount any more.
  EXPECT_TRUE(check_quote_lines({line(1, 1000000000000LL, "0")}).empty());
  auto sum = check_quote_lines({line(1, 1000000000000LL, "0"), line(1, 1, "0")});
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_EQ(sum[0].field, "lines");
  // The VAT can push the gross over the bound too: 9 × 10^11 + 20 % = 1,08 × 10^12.
  EXPECT_EQ(check_quote_lines({line(1, 900000000000LL, "20")}).size(), 1u);
  // The largest valid quote computes exactly.
  auto t = quote_totals({line(1, 800000000000LL, "20"), line(1, 333, "5.5")});
  EXPECT_EQ(t.vat_cents, 160000000000LL + 18);  // 3,33 € × 5,5 % = 0,183 € -> 0,18 €
  EXPECT_EQ(t.gross_cents, 800000000333LL + 160000000018LL);
  // Too many lines.
  std::vector<QuoteLineInput> many(kMaxQuoteLines + 1, line(1, 1, "20"));
  auto too_many = check_quote_lines(many);
  ASSERT_EQ(too_many.size(), 1u);
  EXPECT_EQ(too_many[0].field, "lines");
}
