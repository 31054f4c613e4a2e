#include "cli/wiring.h"

#include "modules/duplicates/entry_check.h"

namespace gz::cli {

void wire_services(http::Services& services) {
  services.entries.set_duplicate_check(matching::entry_duplicate_check(services.db));
}

domain::ImportDuplicateCheck import_duplicate_check() { return matching::import_duplicate_check(); }

}  // namespace gz::cli
