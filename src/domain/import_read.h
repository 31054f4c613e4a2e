// Reading the rows of an import file as record inputs without importing them: the same column
// mapping (ImportOptions::map, constants) and cell parsing as ImportService::import_rows, nothing
// written. Used by `gazelle duplicates check --file` to compare an incoming file with the base
// (docs/duplicates.md). Defined in import_service.cpp, next to the mapping code it reuses.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "domain/import_service.h"

namespace gz::domain {

struct ReadRecord {
  int64_t line = 0;         // file line where the row starts
  std::string external_id;  // "" when the row has none
  json input;               // the JSON input a create would get
  std::vector<ImportError> errors;  // cells that cannot be read (the row would be rejected)
};

// Throws Problem when the entity cannot be imported, a mapped column is missing or a column is
// unknown (as the import does). References by <ref>_external_id are looked up (read-only): an
// unknown one is an error of the row. Malformed rows (wrong number of cells) come with an error.
void read_import_records(store::Database& db, const Entity& e, RowSource& source, const ImportOptions& options,
                         const std::function<void(const ReadRecord&)>& fn);

}  // namespace gz::domain
