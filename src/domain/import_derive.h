// Derived columns for imports: a file whose columns do not fit the fields one to one (a street
// split in three columns, a date written YYYYMMDD, identifiers to gather into one object) is
// rewritten row by row into the columns the import expects, before the import reads it.
//
// A derivation is "target=expression" (CLI: --derive, repeatable):
//   column                      the column's value
//   concat(c1, c2, …)           the non-empty values joined by one space
//   coalesce(c1, c2, …)         the first non-empty value
//   date(column, FORMAT)        a date in FORMAT (YYYY, MM, DD and separators, e.g. YYYYMMDD,
//                               DD.MM.YYYY) -> YYYY-MM-DD; a value that is not a calendar date
//                               is left empty and reported as a warning, the row is kept
//   object(c1, key=c2, …)       a JSON object {c1: value, key: value} of the non-empty values
// Source columns used by a derivation are dropped from the output unless listed in `keep`
// (columns also read as they are, e.g. by --map); the derived columns come after the others.
// Immutable once bound; apply() is thread-safe.
#pragma once
#include <cstdint>
#include <istream>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "domain/import_service.h"

namespace gz::domain {

class ColumnDerivation {
 public:
  // Throws Problem (BadRequest, field "derive") naming the faulty specification.
  static ColumnDerivation parse(const std::vector<std::string>& specs);
  bool empty() const { return targets_.empty(); }

  // Resolves the column names against the file's header; returns the output header. Throws
  // Problem when a derivation names a column the file does not have.
  std::vector<std::string> bind(const std::vector<std::string>& header, const std::set<std::string>& keep);
  // Rewrites one data row; problems with single cells go to warnings (line, column, message).
  void apply(int64_t line, const std::vector<std::string>& in, std::vector<std::string>& out,
             std::vector<ImportError>& warnings) const;

  // Streams a whole CSV file through the derivation (constant memory) into out, with `,`.
  // Returns the number of data rows; warnings go to on_warning.
  int64_t rewrite(std::istream& in, std::ostream& out, const std::set<std::string>& keep,
                  const std::function<void(const ImportError&)>& on_warning);

 private:
  enum class Op { Copy, Concat, Coalesce, Date, Object };
  struct Arg {
    std::string key;     // object(): the key
    std::string column;  // the source column
    int index = -1;      // bound column index
  };
  struct Target {
    std::string name;
    Op op = Op::Copy;
    std::vector<Arg> args;
    std::string format;  // date()
  };
  std::vector<Target> targets_;
  std::vector<int> kept_;  // input columns copied to the output, in order
};

}  // namespace gz::domain
