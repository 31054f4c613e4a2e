#include "store/record_titles.h"

#include <stdexcept>

namespace gz::store {

BatchStatement record_titles_statement(const kernel::Entity& e, const std::vector<int64_t>& ids, const Scope& scope,
                                       std::function<void(json row)> fn) {
  std::string cols = "t.id", in;
  for (const auto& f : e.title_fields) {
    if (!e.field(f)) throw std::logic_error("title field " + f + " is not a column of " + e.name);
    cols += ", t." + f;
  }
  BatchStatement st;
  for (int64_t id : ids) {
    in += in.empty() ? "?" : ", ?";
    st.params.push_back(id);
  }
  std::string v = RecordStore::visibility_sql(e, "t", scope, st.params);
  st.sql = "SELECT " + cols + " FROM " + e.name + " t WHERE t.id IN (" + in + ")" + (v.empty() ? "" : " AND " + v);
  st.fn = [fn = std::move(fn)](const RowView& row) { fn(row_object(row)); };
  return st;
}

}  // namespace gz::store
