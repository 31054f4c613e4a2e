// Caller look-up (issue 16, docs/cti.md): who is calling? GET /api/v1/lookup/phone/{number}
// answers, for a number in any written form, the contacts and accounts the reader may see that
// carry it, each with its owner, value tier, open tasks and latest interactions — the screen pop
// of a phone system (CTI). The number is found through indexes of the stored E.164 form that the
// database keeps itself on every write path (module.cpp): accounts.phone, and contacts' phone
// lists (expression indexes on SQLite, a GIN index on PostgreSQL).
#pragma once
#include "kernel/module.h"

namespace gz::modules::lookup {
const kernel::Module& module();
}
