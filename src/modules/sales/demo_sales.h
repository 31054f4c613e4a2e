// The sales part of the demo company (gazelle demo, make run): the default pipeline with deals in
// every stage — some stale, some overdue, some won and lost over the last months —, coded loss
// reasons, a price list for gold customers, quotes sent and accepted, a web form, this month's
// targets and this week's forecast snapshot, so that the board, the forecast and the results
// pages tell a story from the first start.
#pragma once
#include <cstdint>

#include "store/database.h"

namespace gz::modules::sales {

// Adds the sales demo once (a second run finds opportunities and adds nothing); returns how many
// opportunities it made.
int64_t add_demo_sales(store::Database& db, uint64_t seed);

}  // namespace gz::modules::sales
