#include "store/row_stream.h"

#include <stdexcept>

namespace gz::store {

void stream_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn) {
  if (sqlite::stream_rows(c, sql, params, fn)) return;
  if (postgres::stream_rows(c, sql, params, fn)) return;
  throw std::logic_error("stream_rows: unknown connection type");
}

void stream_batch(Connection& c, const std::vector<BatchStatement>& statements) {
  if (statements.empty() || postgres::stream_batch(c, statements)) return;
  for (const auto& s : statements) stream_rows(c, s.sql, s.params, s.fn);
}

}  // namespace gz::store
