// A count that agrees with its noun in the reader's language: French puts 0 and 1 in the
// singular ("0 session fermée", "1 session fermée", "2 sessions fermées"), English only 1
// ("0 sessions", "1 session"). Both forms are templates of the catalogue (core/message.h), with
// the count as {n}:
//
//   plural(ended, tr("{n} session ended", {{"n", ended}}), tr("{n} sessions ended", {{"n", ended}}))
#pragma once
#include <cstdint>

#include "core/message.h"

namespace gz {

inline Message plural(int64_t n, const Message& one, const Message& other) {
  const bool fr_one = n >= -1 && n <= 1;  // -1 < n < 2 in the CLDR rule; the counts here are whole
  return Message::both((fr_one ? one : other).french(), (n == 1 ? one : other).english());
}

}  // namespace gz
