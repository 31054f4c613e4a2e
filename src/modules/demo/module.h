// Demo: the demo company (French accounts, households, contacts, interactions, follow-ups,
// orders and one user per role) for a first look and for benchmarks; `gazelle demo` and
// `gazelle serve --demo-if-new`. It writes through the other modules' entities, so it comes last.
#pragma once
#include "kernel/module.h"

namespace gz::modules::demo {
const kernel::Module& module();
}
