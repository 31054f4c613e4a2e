// Streaming reads for bulk scans (the analytics loader reads millions of rows): rows are handed
// to a callback one at a time with their values read natively from the driver, without building
// a JSON object per row as Connection::query does. SQLite steps the statement; PostgreSQL reads
// through a server-side cursor in batches (inside the caller's transaction).
//
// Thread-safety: as the Connection it runs on (one thread at a time).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace gz::store {

// What a column of the current row holds, as the driver gives it (SQLite: the value's storage
// class; PostgreSQL: the column's type). Numeric is PostgreSQL's (SUM of integers), read as text.
enum class ColumnType { Null, Integer, Real, Text, Bool, Numeric };

// The current row; valid only during the callback. Columns are numbered from 0.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual int columns() const = 0;
  virtual std::string_view name(int col) const = 0;
  virtual ColumnType type(int col) const = 0;
  virtual bool is_null(int col) const = 0;
  virtual int64_t int64(int col) const = 0;   // 0 for NULL
  virtual double real(int col) const = 0;     // 0 for NULL
  virtual std::string_view text(int col) const = 0;  // "" for NULL
};

using RowCallback = std::function<void(const RowView&)>;

// A column's value as Connection::query gives it: integers, reals, text, booleans, NULL, and
// PostgreSQL's numeric as an integer when it is one (a SUM of integers). And the whole row as an
// object keyed by column name, as a row of Connection::query.
json column_value(const RowView& row, int col);
json row_object(const RowView& row);

// Runs a SELECT and calls fn for each row. Throws like Connection::query.
void stream_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn);

// Several SELECTs whose parameters do not depend on each other's rows, each with its callback,
// called in the order given. PostgreSQL gets them all before answering any (libpq's pipeline
// mode: one round trip for a 360° view's dozen related lists instead of one each); SQLite, in
// the process, runs them one by one.
// Throws like Connection::query, after reading every answer.
struct BatchStatement {
  std::string sql;
  Params params;
  RowCallback fn;
};
void stream_batch(Connection& c, const std::vector<BatchStatement>& statements);

// A bounded read (a page, a record's related list): stream_rows for a statement whose rows are
// few. PostgreSQL reads its answer whole instead of one result per row (libpq's single-row
// mode copies the columns' descriptions into each row's result: 38 columns × 51 rows on a
// contact list page); SQLite steps it as stream_rows does.
void read_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn);

namespace sqlite {
// False when c is not a SQLite connection.
bool stream_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn);
}
namespace postgres {
bool stream_rows(Connection& c, const std::string& sql, const Params& params, const RowCallback& fn);
bool stream_batch(Connection& c, const std::vector<BatchStatement>& statements);
}

}  // namespace gz::store
