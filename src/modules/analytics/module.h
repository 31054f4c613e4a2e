// Customer-value analytics: RFM, profitability, concentration, cohorts, tiers, demand, lifetime
// value (docs/analytics.md).
#pragma once
#include "kernel/module.h"

namespace gz::modules::analytics {
const kernel::Module& module();
}
