// Duplicates, merge and purge: the duplicate scan (a job) and its review queue, the check on
// entry, merging and undoing merges of every mergeable entity, archiving (docs/duplicates.md,
// docs/merge.md).
#pragma once
#include "kernel/module.h"

namespace gz::modules::duplicates {
const kernel::Module& module();
}
