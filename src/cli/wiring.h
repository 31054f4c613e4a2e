// The composition root's wiring of the layers above domain into it (the domain does not know
// matching): the background job handlers that `gazelle serve` and `gazelle worker` both run,
// the checks the API's services use, and the import duplicate check of the CLI. One place, so that
// every process runs the same handlers and every caller obeys the same rules.
#pragma once
#include "domain/import_runs.h"
#include "domain/jobs.h"
#include "http/api.h"

namespace gz::cli {

// Every job kind beyond domain's built-ins (task_reminders, purge_jobs, analytics.tiers):
// duplicates.scan (matching) and import_run (domain, with matching's duplicate check). For
// WorkerPoolOptions::more_handlers.
void add_job_handlers(domain::JobHandlers& handlers);
// The HTTP services with the matching engine's entry duplicate check.
void wire_services(http::Services& services);
// The duplicate check of import runs (`--check-duplicates`, check_duplicates of the API).
domain::ImportDuplicateCheck import_duplicate_check();

}  // namespace gz::cli
