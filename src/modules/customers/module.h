// Customers: accounts (companies), households and contacts (people), their lifecycle stages,
// consent and preferences, and the search index that finds them.
#pragma once
#include "kernel/module.h"

namespace gz::modules::customers {
const kernel::Module& module();
void add_routes(http::Api& api, http::Services& s);  // routes.cpp: the 360° views
void add_to_360(domain::View360& v);                  // routes.cpp
}
