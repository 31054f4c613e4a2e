// The composition root's wiring of the layers above domain into it (the domain does not know
// matching): the checks the API's services use, and the import duplicate check of the CLI. One
// place, so that every caller obeys the same rules. (Job handlers and schedules come from the
// modules: domain/jobs.h, add_builtin_handlers.)
#pragma once
#include "domain/import_runs.h"
#include "domain/jobs.h"
#include "http/api.h"

namespace gz::cli {

// The HTTP services with the matching engine's entry duplicate check.
void wire_services(http::Services& services);
// The duplicate check of import runs (`--check-duplicates`, check_duplicates of the API).
domain::ImportDuplicateCheck import_duplicate_check();

}  // namespace gz::cli
