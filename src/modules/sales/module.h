// Sales (issue 15): pipelines and their stages, opportunities on a kanban board, coded reasons,
// price lists and quotes with French VAT. docs/sales.md.
#pragma once
#include "kernel/module.h"

namespace gz::modules::sales {

const kernel::Module& module();

}  // namespace gz::modules::sales
