// The catalogue as the web interface reads it (GET /api/v1/schema): each entity's fields with
// their kinds, limits and labels in the reader's language, enum values with labels, filterable
// and sortable fields, child collections, traits, and what the reader's role may do with it.
#pragma once
#include <nlohmann/json.hpp>
#include <string_view>

#include "domain/access.h"

namespace gz::domain {

// lang: "fr" or "en" (anything else reads as French).
nlohmann::json describe_catalogue(const Actor& reader, std::string_view lang);

}  // namespace gz::domain
