// The background job queue seen by users: the job list and its actions (admins), notifications'
// routes, the worker process and the jobs CLI (docs/jobs.md). The queue itself is domain/jobs.
#pragma once
#include "kernel/module.h"

namespace gz::modules::jobs {
const kernel::Module& module();
}
