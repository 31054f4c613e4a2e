// The title fields (Entity::title_fields) of a set of records, for naming them in lists
// (domain/record_names.h): one query per entity, through the reader's visibility; the queries of
// a page's entities are read in one batch (one round trip on PostgreSQL).
#pragma once
#include <functional>
#include <vector>

#include "store/record_store.h"
#include "store/row_stream.h"

namespace gz::store {

// The query of the titles of those of ids that scope may see (any order), for a batch
// (store::stream_batch): fn gets each record's id and title, its title fields joined by a space
// as title_join joins them. ids must not be empty.
BatchStatement record_titles_statement(const kernel::Entity& e, const std::vector<int64_t>& ids, const Scope& scope,
                                       std::function<void(int64_t id, std::string title)> fn);

// Adds one title field's value (as text; empty for none) to a title: words joined by a space,
// empty values left out ("Amélie" + "Martin" -> "Amélie Martin").
void title_join(std::string& title, std::string_view value);

}  // namespace gz::store
