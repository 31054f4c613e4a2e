// Settings: the company's own record (name, legal identifiers, address, time zone, currency,
// default language) — one row, read by every logged-in user, changed by an admin
// (GET/PATCH /api/v1/settings/company). Listed before the modules that read it: activity takes
// the company's time zone for "today" and for due dates without a time.
#pragma once
#include "kernel/module.h"

namespace gz::modules::settings {
const kernel::Module& module();
}
