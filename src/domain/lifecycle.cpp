#include "domain/lifecycle.h"

namespace gz::domain {

bool is_customer_stage(const std::string& s) {
  return s == "new_customer" || s == "regular_customer" || s == "customer" || s == "advocate" || s == "partner";
}

bool stage_needs_reason(const std::string& s) { return s == "disqualified" || s == "inactive"; }

std::optional<std::string> stage_transition_error(const std::string& from, const std::string& to) {
  if (from.empty() || from == to) return std::nullopt;
  bool back_to_pre_sale = to == "suspect" || to == "prospect" || to == "disqualified";
  if (back_to_pre_sale && (is_customer_stage(from) || from == "inactive"))
    return "cannot go from " + from + " back to " + to +
           ": a customer who has bought stays a customer; mark them inactive with a reason instead";
  if (from == "inactive" && to != "inactive" && !is_customer_stage(to))
    return "an inactive customer can only come back as a customer stage (won back)";
  return std::nullopt;
}

}  // namespace gz::domain
