// Amounts of money as people read them: integer cents shown in the reader's format, French by
// default ("1 234,56 €": groups of three digits separated by a narrow no-break space U+202F, a
// decimal comma, a no-break space U+00A0 before the symbol, as Intl.NumberFormat("fr-FR") writes
// them), English on request ("€1,234.56"). Exact: no floating point between the cents and the text.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace gz::money {

// "1 234,56" (fr) or "1,234.56" (en); "-0,05" for -5 cents.
std::string format_cents(int64_t cents, std::string_view lang = "fr");
// With the currency (ISO 4217): "1 234,56 €" / "€1,234.56"; "$" for USD and "£" for GBP
// likewise; another code is written out ("1 234,56 CHF" / "CHF 1,234.56").
std::string format_money(int64_t cents, std::string_view currency = "EUR", std::string_view lang = "fr");

}  // namespace gz::money
