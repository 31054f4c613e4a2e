// The title fields (Entity::title_fields) of a set of records, for naming them in lists
// (domain/record_names.h): one query per entity, through the reader's visibility; the queries of
// a page's entities are read in one batch (one round trip on PostgreSQL).
#pragma once
#include <functional>
#include <vector>

#include "store/record_store.h"
#include "store/row_stream.h"

namespace gz::store {

// The query of the rows {id, <title fields>} of those of ids that scope may see (any order), for
// a batch (store::stream_batch): fn gets each row. ids must not be empty.
BatchStatement record_titles_statement(const kernel::Entity& e, const std::vector<int64_t>& ids, const Scope& scope,
                                       std::function<void(json row)> fn);

}  // namespace gz::store
