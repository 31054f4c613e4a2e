#include "store/record_titles.h"

#include <stdexcept>

namespace gz::store {

std::vector<json> record_titles(Connection& c, const kernel::Entity& e, const std::vector<int64_t>& ids, const Scope& scope) {
  if (ids.empty() || scope.none) return {};
  std::string cols = "t.id", in;
  for (const auto& f : e.title_fields) {
    if (!e.field(f)) throw std::logic_error("title field " + f + " is not a column of " + e.name);
    cols += ", t." + f;
  }
  Params p;
  for (int64_t id : ids) {
    in += in.empty() ? "?" : ", ?";
    p.push_back(id);
  }
  std::string v = RecordStore::visibility_sql(e, "t", scope, p);
  return c.query("SELECT " + cols + " FROM " + e.name + " t WHERE t.id IN (" + in + ")" + (v.empty() ? "" : " AND " + v), p);
}

}  // namespace gz::store
