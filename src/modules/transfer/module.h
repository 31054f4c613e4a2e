// Import and export: CSV/XLSX files into and out of every importable or exportable entity, with
// the import wizard's uploads, previews, saved mappings and resumable runs (jobs on the queue).
#pragma once
#include "kernel/module.h"

namespace gz::modules::transfer {
const kernel::Module& module();
}
