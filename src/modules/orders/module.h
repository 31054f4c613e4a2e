// Catalogue and orders: the products sold, and the orders of customers with their lines — the
// purchase history the customer-value analytics read.
#pragma once
#include "kernel/module.h"

namespace gz::modules::orders {
const kernel::Module& module();
}
