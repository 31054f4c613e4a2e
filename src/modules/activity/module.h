// Activity: the customer's history (interactions on every channel) and follow-ups (tasks), with
// the reminders that turn due tasks into notifications.
#pragma once
#include "kernel/module.h"

namespace gz::modules::activity {
const kernel::Module& module();
}
