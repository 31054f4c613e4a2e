// The caller look-up service (module.h). One read transaction, the reader's visibility as in the
// lists and the 360° view.
#pragma once
#include <string>
#include <string_view>

#include "domain/access.h"
#include "store/database.h"

namespace gz::modules::lookup {

// The key a written number is looked up by: its E.164 form ("+33612345678") as validate::phone
// writes it on every write path. A number libphonenumber does not accept (unassigned, foreign
// without its country code) gets a best-effort key from its digits (00 → +, a leading 0 → +33), so
// that it answers an empty result rather than an error. Throws Problem (422, field "number") when
// the text cannot be a phone number at all (letters, no digit, too long).
struct PhoneKey {
  std::string e164;   // the key
  bool valid = false; // libphonenumber accepted the number
};
PhoneKey phone_key(std::string_view number);

class PhoneLookup {
 public:
  explicit PhoneLookup(store::Database& db) : db_(db) {}
  // {number, e164, valid, contacts: [...], accounts: [...]}.
  nlohmann::json by_phone(const domain::Actor& actor, std::string_view number, int tasks = 5, int interactions = 5);

 private:
  store::Database& db_;
};

}  // namespace gz::modules::lookup
