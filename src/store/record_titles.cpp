#include "store/record_titles.h"

#include <stdexcept>

namespace gz::store {

BatchStatement record_titles_statement(const kernel::Entity& e, const std::vector<int64_t>& ids, const Scope& scope,
                                       std::function<void(int64_t id, std::string title)> fn) {
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
  // The title written from the row's columns (no JSON object per row: a page names ~50 records).
  st.fn = [fn = std::move(fn)](const RowView& row) {
    std::string title;
    for (int c = 1; c < row.columns(); ++c) {
      if (row.type(c) == ColumnType::Text) title_join(title, row.text(c));
      else if (!row.is_null(c)) title_join(title, column_value(row, c).dump());
    }
    fn(row.int64(0), std::move(title));
  };
  return st;
}

void title_join(std::string& title, std::string_view value) {
  if (value.empty()) return;
  if (!title.empty()) title += ' ';
  title += value;
}

}  // namespace gz::store
