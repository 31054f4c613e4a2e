// Caller look-up (issue 16, docs/cti.md): who is calling? GET /api/v1/lookup/phone/{number}
// answers, for a number in any written form, the contacts and accounts the reader may see that
// carry it, each with its owner, value tier, open tasks and latest interactions — the screen pop
// of a phone system (CTI). The number is found through an index on the stored E.164 form:
// accounts.phone directly, contacts' phone lists through the contact_phones table that triggers
// keep in step with every write of a contact (create, update, import, merge and its undo, demo
// generation, data copy), on SQLite and PostgreSQL alike.
#pragma once
#include "kernel/module.h"

namespace gz::modules::lookup {
const kernel::Module& module();
}
