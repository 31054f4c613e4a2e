// Amounts read back for sums (dashboard, 360° value, analytics). The API bounds every amount to
// ±10^12 cents (docs/api.md, "Ranges"), but a row written before the bounds existed
// may hold anything down to -2^63: summed as it is, it overflows (SQLite stops the query with
// "integer overflow") or wraps. Such a value is counted at the bound instead, so that sums of
// fewer than 9 million orders stay within int64_t.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>

namespace gz::store {

// A single amount (a price, a discount, a line, an order, a category spend) is at most 10^12 cents
// (10 billion euros) in absolute value: with orders of at most 10,000 lines and sums over fewer
// than 9 million such amounts, no int64_t sum overflows.
constexpr int64_t kMaxAmountCents = 1000000000000LL;
// The quantity of an order line: at most 10^9 in absolute value.
constexpr int64_t kMaxQuantity = 1000000000LL;

// SQL for column clamped to ±kMaxAmountCents (same text on SQLite and PostgreSQL).
inline std::string clamped_amount_sql(const std::string& column) {
  const std::string max = std::to_string(kMaxAmountCents);
  return "(CASE WHEN " + column + " > " + max + " THEN " + max + " WHEN " + column + " < -" + max + " THEN -" + max +
         " ELSE " + column + " END)";
}

inline int64_t clamp_amount(int64_t cents) {
  return std::clamp<int64_t>(cents, -kMaxAmountCents, kMaxAmountCents);
}

}  // namespace gz::store
