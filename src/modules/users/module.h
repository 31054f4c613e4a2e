#pragma once
#include "kernel/module.h"

namespace gz::modules::users {
const kernel::Module& module();
}
