// The matching engine behind the domain's injected checks: the probable-duplicate check of a
// record being created (domain::RecordEntryService) and of an import run's rows
// (domain::ImportDuplicateCheck). The composition root (src/cli/wiring.cpp) hands them to the
// domain, which does not depend on matching.
#pragma once
#include "domain/import_runs.h"
#include "domain/record_entry.h"

namespace gz::matching {

// Contacts and accounts, compared with DuplicateService::check (5 candidates, the last scan's
// weights and thresholds).
domain::EntryDuplicateCheck entry_duplicate_check(store::Database& db);
// import_duplicate_warnings, as the domain's import-run callback.
domain::ImportDuplicateCheck import_duplicate_check();

}  // namespace gz::matching
