// What an object field holds (a contact's consent, a household's attributes), described for
// display: each key with its kind, its French and English labels, the labels of its values and
// the unit of a number, so that clients show "Âges des enfants : 1 an, 4 ans" rather than
// children_ages [1,4]. A module describes its own object fields while declaring its entities;
// the served catalogue (GET /api/v1/schema) gives them as the field's "members". Descriptive:
// the module's rules check the objects.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "kernel/catalogue.h"

namespace gz::kernel {

struct Member {
  std::string name;
  FieldKind kind = FieldKind::Text;
  Label label;
  std::vector<Choice> values;  // the labels of values it holds (an enum's, or often-met texts)
  std::string unit;            // Integer: a CLDR unit ("year"), for display
  std::vector<Member> members; // Object: its own keys
  bool list = false;           // holds a list of such values (children's ages)
};

// Declares the members of entity.field (at most once per field; the last declaration wins).
void describe_members(const std::string& entity, const std::string& field, std::vector<Member> members);
// The members of entity.field; nullptr when none were described.
const std::vector<Member>* members_of(std::string_view entity, std::string_view field);

}  // namespace gz::kernel
