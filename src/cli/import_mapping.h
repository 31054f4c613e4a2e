// The import mapping given on the command line, shared by `gazelle import` and `gazelle
// duplicates check --file`: a saved mapping (--mapping NAME), then each --map column=field on top.
#pragma once
#include <string>
#include <vector>

#include "domain/import_service.h"
#include "store/database.h"

namespace gz::cli {

domain::ImportOptions mapping_options(store::Database& db, const domain::Entity& e, const std::string& saved_name,
                                      const std::vector<std::string>& maps);

}  // namespace gz::cli
