#include "cli/wiring.h"

#include "matching/entry_check.h"
#include "matching/scan_job.h"

namespace gz::cli {

void add_job_handlers(domain::JobHandlers& handlers) {
  matching::add_scan_job_handler(handlers);
  domain::add_import_run_handler(handlers, import_duplicate_check());
}

void wire_services(http::Services& services) {
  services.entries.set_duplicate_check(matching::entry_duplicate_check(services.db));
}

domain::ImportDuplicateCheck import_duplicate_check() { return matching::import_duplicate_check(); }

}  // namespace gz::cli
