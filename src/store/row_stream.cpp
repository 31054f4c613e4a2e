#include "store/row_stream.h"

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace gz::store {

json column_value(const RowView& row, int col) {
  switch (row.type(col)) {
    case ColumnType::Null: return nullptr;
    case ColumnType::Integer: return row.int64(col);
    case ColumnType::Real: return row.real(col);
    case ColumnType::Bool: return row.text(col) == "t";
    case ColumnType::Numeric: {
      const std::string t(row.text(col));
      errno = 0;
      if (t.find('.') != std::string::npos) return std::strtod(t.c_str(), nullptr);
      long long n = std::strtoll(t.c_str(), nullptr, 10);
      if (errno == ERANGE) return std::strtod(t.c_str(), nullptr);
      return int64_t(n);
    }
    case ColumnType::Text: return std::string(row.text(col));
  }
  return nullptr;
}

json row_object(const RowView& row) {
  json out = json::object();
  for (int c = 0; c < row.columns(); ++c) out[std::string(row.name(c))] = column_value(row, c);
  return out;
}

void stream_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn) {
  if (sqlite::stream_rows(c, sql, params, fn)) return;
  if (postgres::stream_rows(c, sql, params, fn)) return;
  throw std::logic_error("stream_rows: unknown connection type");
}

void stream_batch(Connection& c, const std::vector<BatchStatement>& statements) {
  if (statements.empty() || postgres::stream_batch(c, statements)) return;
  for (const auto& s : statements) stream_rows(c, s.sql, s.params, s.fn);
}

void read_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn) {
  if (sqlite::stream_rows(c, sql, params, fn)) return;
  stream_batch(c, {BatchStatement{sql, params, fn}});
}

}  // namespace gz::store
