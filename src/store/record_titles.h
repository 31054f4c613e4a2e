// The title fields (Entity::title_fields) of a set of records, for naming them in lists
// (domain/record_names.h): one query per entity, through the reader's visibility.
#pragma once
#include <vector>

#include "store/record_store.h"

namespace gz::store {

// Rows {id, <title fields>} of those of ids that scope may see (any order).
std::vector<json> record_titles(Connection& c, const kernel::Entity& e, const std::vector<int64_t>& ids, const Scope& scope);

}  // namespace gz::store
