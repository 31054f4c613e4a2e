#include "store/row_stream.h"

#include <stdexcept>

namespace gz::store {

void stream_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn) {
  if (sqlite::stream_rows(c, sql, params, fn)) return;
  if (postgres::stream_rows(c, sql, params, fn)) return;
  throw std::logic_error("stream_rows: unknown connection type");
}

}  // namespace gz::store
