// The service desk and contact centre (issue 18, docs/service.md): cases with service levels by
// customer value (sla.h: business calendars, replayed deadlines), caller identification with a
// screen pop, one queue for every channel with skills routing, call scripts, a knowledge base,
// interventions with iCalendar invitations, satisfaction surveys and the supervisor's dashboard.
// E-mail cases go through the e-mail module (a mailbox that opens cases).
#pragma once
#include "kernel/module.h"

namespace gz::modules::service {
const kernel::Module& module();
}
