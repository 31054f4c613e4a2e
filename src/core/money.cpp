#include "core/money.h"

namespace gz::money {

std::string format_cents(int64_t cents, std::string_view lang) {
  bool english = lang == "en";
  // The magnitude as unsigned: -2^63 has no int64_t opposite.
  uint64_t abs = cents < 0 ? uint64_t(0) - uint64_t(cents) : uint64_t(cents);
  std::string digits = std::to_string(abs / 100);
  std::string out = cents < 0 ? "-" : "";
  const char* group = english ? "," : "\u202f";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += group;
    out += digits[i];
  }
  unsigned frac = unsigned(abs % 100);
  out += english ? '.' : ',';
  out += char('0' + frac / 10);
  out += char('0' + frac % 10);
  return out;
}

std::string format_money(int64_t cents, std::string_view currency, std::string_view lang) {
  bool english = lang == "en";
  std::string symbol = currency == "EUR" ? "€" : currency == "USD" ? "$" : currency == "GBP" ? "£" : std::string(currency);
  std::string amount = format_cents(cents, lang);
  if (!english) return amount + "\u00a0" + symbol;
  bool sign = cents < 0;
  std::string magnitude = sign ? amount.substr(1) : amount;
  // "€1,234.56", "-€1,234.56"; a written-out code takes a space: "CHF 1,234.56".
  return (sign ? "-" : "") + symbol + (symbol.size() == 3 && symbol[0] >= 'A' && symbol[0] <= 'Z' ? " " : "") + magnitude;
}

}  // namespace gz::money
