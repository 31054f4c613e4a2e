// The totals of a quote (or an invoice) under French VAT, computed as EN 16931 says: each line's
// net amount is quantity × unit price − discount, in cents, without VAT; the lines are grouped by
// VAT rate (and, at 0 %, by exemption reason), and each group's VAT is its summed base × rate,
// rounded once, half away from zero, to the cent (never the sum of per-line roundings, which can
// differ by a cent per line). Net total + VAT total = gross total (TTC).
//
// Pure computation: no database, no entity. The sales module validates its input through
// check_quote_lines (field errors naming the line, "lines[2].vat_rate") or quote_totals (which
// throws them as a Problem), and registers quote_messages_fr() in its Module::messages_fr.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/problem.h"

namespace gz::modules::sales {

// --- VAT rates -------------------------------------------------------------------------------

// The French rates by their code as written on a quote: "20" (normal), "10" (intermediate), "5.5"
// (reduced), "2.1" (super-reduced), "0" (exempt or zero rate). Basis points: 2000, 1000, 550, 210, 0.
struct VatRate {
  std::string_view code;
  int32_t basis_points;
};
// In the order of a breakdown: highest rate first.
const std::vector<VatRate>& vat_rates();
std::optional<int32_t> vat_rate_basis_points(std::string_view code);

// --- Exemptions (0 % lines) --------------------------------------------------------------------

// Why a line bears no VAT; the wording the law asks to be printed on the document. The EN 16931
// VAT category and exemption reason code (VATEX) are given for the electronic invoice to come.
enum class VatExemption {
  None,             // a plain 0 % rate (category Z), nothing to print
  FranchiseEnBase,  // small business, art. 293 B du CGI (category E)
  ReverseCharge,    // autoliquidation: the buyer pays the VAT (category AE)
  IntraEuSupply,    // intra-Community supply of goods, art. 262 ter I du CGI (category K)
  Export,           // export outside the EU, art. 262 I du CGI (category G)
};
// "franchise", "reverse_charge", "intra_eu", "export"; "" for None.
std::string_view exemption_code(VatExemption e);
// From its code ("" is None); nullopt for an unknown code.
std::optional<VatExemption> exemption_from_code(std::string_view code);
// The wording printed on the document, in "fr" (default) or "en": "TVA non applicable, art. 293 B
// du CGI", "Autoliquidation", "Exonération de TVA, article 262 ter I du CGI"…; "" for None.
std::string exemption_wording(VatExemption e, std::string_view lang = "fr");
// EN 16931 VAT category code: "S" for a rate above 0, "Z", "E", "AE", "K" or "G" at 0 %.
std::string_view vat_category(int32_t basis_points, VatExemption e);
// EN 16931 exemption reason code (BT-121): "VATEX-FR-FRANCHISE", "VATEX-EU-AE", "VATEX-EU-IC",
// "VATEX-EU-G"; "" for None.
std::string_view vatex_code(VatExemption e);

// --- Lines and totals --------------------------------------------------------------------------

struct QuoteLineInput {
  int64_t quantity = 0;          // 1 to 10^9
  int64_t unit_price_cents = 0;  // without VAT; negative for a credit line (a deposit deducted…)
  int64_t discount_cents = 0;    // 0 to |quantity × unit price|; lowers the line's magnitude
  std::string vat_rate;          // a code of vat_rates(): "20", "10", "5.5", "2.1", "0"
  std::string vat_exemption;     // at "0" only: an exemption_code(), or "" for none
};

// One row of the VAT breakdown (EN 16931 BG-23): the lines of one rate and exemption.
struct VatBreakdown {
  std::string rate;                             // the rate's code, "5.5"
  int32_t rate_basis_points = 0;                // 550
  VatExemption exemption = VatExemption::None;  // at 0 % only
  int64_t base_cents = 0;                       // sum of the lines' net amounts
  int64_t vat_cents = 0;                        // base × rate, rounded half away from zero
};

struct QuoteTotals {
  std::vector<int64_t> line_net_cents;   // per input line, in order
  std::vector<VatBreakdown> breakdown;   // highest rate first; at 0 %, in the enum's order
  int64_t net_cents = 0;                 // total HT: sum of the line nets
  int64_t vat_cents = 0;                 // total TVA: sum of the breakdown's VAT
  int64_t gross_cents = 0;               // total TTC
};

// A quote has at most this many lines; every amount (line, base, total) stays within ±10^12 cents
// (store::kMaxAmountCents), so no sum overflows.
constexpr size_t kMaxQuoteLines = 10000;

// Every problem of the lines, each naming its field ("lines[2].vat_rate", path being "lines"),
// with a label that gives the line's number as a person counts it ("Ligne 3, taux de TVA").
// Empty when the lines are valid.
std::vector<FieldError> check_quote_lines(const std::vector<QuoteLineInput>& lines, std::string_view path = "lines");
// The totals; throws Problem(ProblemKind::Unprocessable) with check_quote_lines' errors when the
// lines are invalid. No lines make zero totals.
QuoteTotals quote_totals(const std::vector<QuoteLineInput>& lines, std::string_view path = "lines");

// base × rate (basis points) / 10000, rounded half away from zero: 2.5 cents -> 3, -2.5 -> -3.
int64_t vat_of(int64_t base_cents, int32_t basis_points);

// The French of this file's messages, for the sales module's Module::messages_fr.
const std::vector<std::pair<std::string, std::string>>& quote_messages_fr();

}  // namespace gz::modules::sales
