// The service part of the demo company (demo_service.cpp): settings, an agent, scripts, articles
// and `cases` cases over the last two months, replayed.
#pragma once
#include <cstdint>
#include <functional>

#include "store/database.h"

namespace gz::modules::service {

// Adds the service demo once (a second run finds a calendar and adds nothing); returns how many
// cases it made. progress(done, total) now and then when set.
int64_t add_demo_service(store::Database& db, uint64_t seed, int64_t cases,
                         const std::function<void(int64_t, int64_t)>& progress = nullptr);

}  // namespace gz::modules::service
