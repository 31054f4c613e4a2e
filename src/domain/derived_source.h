// Derived columns applied while a file is read (`gazelle import --derive`, `gazelle duplicates
// check --derive`): a RowSource whose header and rows are those of another one rewritten by a
// ColumnDerivation (domain/import_derive.h). Rows keep their file line, so errors and warnings
// name the line of the file as given; XLSX sheets work as CSV files do.
#pragma once
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "domain/import_derive.h"

namespace gz::domain {

// keep: source columns also read as they are (e.g. mapped by --map), see ColumnDerivation::bind.
// on_warning gets the derivation's warnings (a cell that is not a date…) once per line: a second
// pass over the file (the import reads it twice) and lines up to warned_through (a resumed run
// reported them already) say nothing.
std::unique_ptr<RowSource> derived_source(std::unique_ptr<RowSource> inner, ColumnDerivation derivation,
                                          std::set<std::string> keep,
                                          std::function<void(const ImportError&)> on_warning,
                                          int64_t warned_through = 0);

// The columns a mapping reads as they are: the keys of ImportOptions::map.
std::set<std::string> mapped_columns(const ImportOptions& o);

}  // namespace gz::domain
