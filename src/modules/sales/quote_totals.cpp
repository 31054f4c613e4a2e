#include "modules/sales/quote_totals.h"

#include <algorithm>
#include <map>

#include "store/amounts.h"

namespace gz::modules::sales {

using store::kMaxAmountCents;
using store::kMaxQuantity;

const std::vector<VatRate>& vat_rates() {
  static const std::vector<VatRate> rates = {{"20", 2000}, {"10", 1000}, {"5.5", 550}, {"2.1", 210}, {"0", 0}};
  return rates;
}

std::optional<int32_t> vat_rate_basis_points(std::string_view code) {
  for (const auto& r : vat_rates())
    if (r.code == code) return r.basis_points;
  return std::nullopt;
}

namespace {

struct ExemptionInfo {
  VatExemption exemption;
  std::string_view code, category, vatex, fr, en;
};

const ExemptionInfo kExemptions[] = {
    {VatExemption::None, "", "Z", "", "", ""},
    {VatExemption::FranchiseEnBase, "franchise", "E", "VATEX-FR-FRANCHISE", "TVA non applicable, art. 293 B du CGI",
     "VAT not applicable, article 293 B of the French General Tax Code (CGI)"},
    {VatExemption::ReverseCharge, "reverse_charge", "AE", "VATEX-EU-AE", "Autoliquidation", "Reverse charge"},
    {VatExemption::IntraEuSupply, "intra_eu", "K", "VATEX-EU-IC", "Exonération de TVA, article 262 ter I du CGI",
     "VAT exempt, intra-Community supply, article 262 ter I of the French General Tax Code (CGI)"},
    {VatExemption::Export, "export", "G", "VATEX-EU-G", "Exonération de TVA, article 262 I du CGI",
     "VAT exempt, export outside the EU, article 262 I of the French General Tax Code (CGI)"},
};

const ExemptionInfo& info(VatExemption e) {
  for (const auto& x : kExemptions)
    if (x.exemption == e) return x;
  return kExemptions[0];
}

// A value the user gave, shown in a message: at most 30 bytes, cut on a UTF-8 character boundary.
std::string shown(const std::string& v) {
  if (v.size() <= 30) return v;
  size_t n = 30;
  while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
  return v.substr(0, n) + "…";
}

bool within(__int128 v) { return v >= -__int128(kMaxAmountCents) && v <= __int128(kMaxAmountCents); }

// Net amount of a valid line: the discount lowers its magnitude (a credit line's too).
int64_t line_net(const QuoteLineInput& l) {
  int64_t gross = l.quantity * l.unit_price_cents;  // checked within ±10^12
  return gross < 0 ? gross + l.discount_cents : gross - l.discount_cents;
}

}  // namespace

std::string_view exemption_code(VatExemption e) { return info(e).code; }

std::optional<VatExemption> exemption_from_code(std::string_view code) {
  for (const auto& x : kExemptions)
    if (x.code == code) return x.exemption;
  return std::nullopt;
}

std::string exemption_wording(VatExemption e, std::string_view lang) {
  return std::string(lang == "en" ? info(e).en : info(e).fr);
}

std::string_view vat_category(int32_t basis_points, VatExemption e) {
  return basis_points > 0 ? std::string_view("S") : info(e).category;
}

std::string_view vatex_code(VatExemption e) { return info(e).vatex; }

int64_t vat_of(int64_t base_cents, int32_t basis_points) {
  __int128 n = __int128(base_cents) * basis_points;
  __int128 q = n / 10000, r = n % 10000;  // r has n's sign
  if (r >= 5000) ++q;
  else if (r <= -5000) --q;
  return int64_t(q);
}

std::vector<FieldError> check_quote_lines(const std::vector<QuoteLineInput>& lines, std::string_view path) {
  std::vector<FieldError> errors;
  const std::string base(path);
  if (lines.size() > kMaxQuoteLines) {
    errors.push_back({base, tr("a quote has at most {max} lines", {{"max", kMaxQuoteLines}}), {}});
    return errors;
  }
  auto add = [&](size_t i, const char* field, Message label, Message message) {
    errors.push_back({base + "[" + std::to_string(i) + "]." + field, std::move(message), std::move(label)});
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const QuoteLineInput& l = lines[i];
    const long long n = static_cast<long long>(i + 1);
    bool amounts_ok = true;
    if (l.quantity < 1 || l.quantity > kMaxQuantity) {
      add(i, "quantity", tr("Line {n}, quantity", {{"n", n}}),
          tr("must be an integer from 1 to {max}", {{"max", static_cast<long long>(kMaxQuantity)}}));
      amounts_ok = false;
    }
    if (l.unit_price_cents < -kMaxAmountCents || l.unit_price_cents > kMaxAmountCents) {
      add(i, "unit_price_cents", tr("Line {n}, unit price", {{"n", n}}),
          tr("must be an integer number of cents from -{max} to {max}", {{"max", static_cast<long long>(kMaxAmountCents)}}));
      amounts_ok = false;
    }
    // quantity × price reaches 10^21: on 128 bits, and the line must stay within 10^12 cents.
    __int128 gross = __int128(l.quantity) * l.unit_price_cents;
    if (amounts_ok && !within(gross)) {
      add(i, "quantity", tr("Line {n}, quantity", {{"n", n}}),
          tr("quantity × unit price exceeds {max} cents", {{"max", static_cast<long long>(kMaxAmountCents)}}));
      amounts_ok = false;
    }
    __int128 magnitude = gross < 0 ? -gross : gross;
    if (l.discount_cents < 0 || l.discount_cents > kMaxAmountCents || (amounts_ok && l.discount_cents > magnitude))
      add(i, "discount_cents", tr("Line {n}, discount", {{"n", n}}),
          tr("must be an integer number of cents from 0 to the line's amount"));
    auto bp = vat_rate_basis_points(l.vat_rate);
    if (!bp)
      add(i, "vat_rate", tr("Line {n}, VAT rate", {{"n", n}}),
          tr("'{value}' is not a French VAT rate (20, 10, 5.5, 2.1 or 0)", {{"value", shown(l.vat_rate)}}));
    auto ex = exemption_from_code(l.vat_exemption);
    if (!ex)
      add(i, "vat_exemption", tr("Line {n}, VAT exemption", {{"n", n}}),
          tr("'{value}' is not a VAT exemption (franchise, reverse_charge, intra_eu or export)",
             {{"value", shown(l.vat_exemption)}}));
    else if (*ex != VatExemption::None && bp && *bp != 0)
      add(i, "vat_exemption", tr("Line {n}, VAT exemption", {{"n", n}}),
          tr("an exemption applies only to the 0 % rate"));
  }
  if (!errors.empty()) return errors;
  // Valid lines, each within ±10^12 cents: at most 10,000 of them sum within ±10^16 on int64_t;
  // the totals must stay single amounts too.
  __int128 net = 0, vat = 0;
  std::map<std::pair<int32_t, VatExemption>, __int128> bases;
  for (const auto& l : lines) {
    int64_t v = line_net(l);
    net += v;
    bases[{*vat_rate_basis_points(l.vat_rate), *exemption_from_code(l.vat_exemption)}] += v;
  }
  for (const auto& [key, b] : bases) vat += vat_of(int64_t(b), key.first);  // |b| ≤ 10^16: fits
  if (!within(net) || !within(net + vat))
    errors.push_back({base, tr("the quote's total exceeds {max} cents", {{"max", static_cast<long long>(kMaxAmountCents)}}), {}});
  return errors;
}

QuoteTotals quote_totals(const std::vector<QuoteLineInput>& lines, std::string_view path) {
  FieldErrors errors;
  for (auto& e : check_quote_lines(lines, path)) errors.add(std::move(e.field), std::move(e.label), std::move(e.message));
  errors.throw_if_any(ProblemKind::Unprocessable);

  QuoteTotals t;
  t.line_net_cents.reserve(lines.size());
  for (const auto& l : lines) {
    int32_t bp = *vat_rate_basis_points(l.vat_rate);
    VatExemption ex = *exemption_from_code(l.vat_exemption);
    int64_t v = line_net(l);
    t.line_net_cents.push_back(v);
    t.net_cents += v;
    auto it = std::find_if(t.breakdown.begin(), t.breakdown.end(),
                           [&](const VatBreakdown& b) { return b.rate_basis_points == bp && b.exemption == ex; });
    if (it == t.breakdown.end()) {
      t.breakdown.push_back({l.vat_rate, bp, ex, 0, 0});
      it = t.breakdown.end() - 1;
    }
    it->base_cents += v;
  }
  std::sort(t.breakdown.begin(), t.breakdown.end(), [](const VatBreakdown& a, const VatBreakdown& b) {
    if (a.rate_basis_points != b.rate_basis_points) return a.rate_basis_points > b.rate_basis_points;
    return a.exemption < b.exemption;
  });
  for (auto& b : t.breakdown) {
    b.vat_cents = vat_of(b.base_cents, b.rate_basis_points);
    t.vat_cents += b.vat_cents;
  }
  t.gross_cents = t.net_cents + t.vat_cents;
  return t;
}

const std::vector<std::pair<std::string, std::string>>& quote_messages_fr() {
  static const std::vector<std::pair<std::string, std::string>> m = {
      {"a quote has at most {max} lines", "un devis a au plus {max}\u00a0lignes"},
      {"Line {n}, quantity", "Ligne {n}, quantité"},
      {"Line {n}, unit price", "Ligne {n}, prix unitaire"},
      {"Line {n}, discount", "Ligne {n}, remise"},
      {"Line {n}, VAT rate", "Ligne {n}, taux de TVA"},
      {"Line {n}, VAT exemption", "Ligne {n}, exonération de TVA"},
      {"must be an integer from 1 to {max}", "doit être un nombre entier de 1 à {max}"},
      {"must be an integer number of cents from -{max} to {max}",
       "doit être un nombre entier de centimes de -{max} à {max}"},
      {"quantity × unit price exceeds {max} cents", "quantité × prix unitaire dépasse {max}\u00a0centimes"},
      {"must be an integer number of cents from 0 to the line's amount",
       "doit être un nombre entier de centimes, de 0 au montant de la ligne"},
      {"'{value}' is not a French VAT rate (20, 10, 5.5, 2.1 or 0)",
       "«\u00a0{value}\u00a0» n'est pas un taux de TVA français (20, 10, 5,5, 2,1 ou 0)"},
      {"'{value}' is not a VAT exemption (franchise, reverse_charge, intra_eu or export)",
       "«\u00a0{value}\u00a0» n'est pas un motif d'exonération de TVA (franchise, reverse_charge, intra_eu ou export)"},
      {"an exemption applies only to the 0 % rate", "un motif d'exonération ne s'applique qu'au taux de 0\u00a0%"},
      {"the quote's total exceeds {max} cents", "le total du devis dépasse {max}\u00a0centimes"},
  };
  return m;
}

}  // namespace gz::modules::sales
