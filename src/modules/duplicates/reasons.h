// Why two records look alike, in words (docs/duplicates.md, "Reasons"): the field comparisons the
// matcher made, as agreements and disagreements labelled with the catalogue's field labels in
// French or English — "même e-mail", "même date de naissance", "prénom différent" — instead of a
// score. Built from a pair's explanation (explanation_json), so pairs stored by earlier scans get
// them too.
#pragma once
#include <nlohmann/json.hpp>
#include <string_view>

#include "modules/duplicates/engine.h"

namespace gz::matching {

// [{field, agree, level, text, weight}]: the fields both records have, agreements first (the
// strongest first), then disagreements (the strongest first). A field agrees when it added to the
// score (or, adding nothing, is equal or close). The household adjustment is a disagreement when
// it lowered the score by a bit or more ("peut-être deux personnes du même foyer"). lang: "fr"
// or "en".
nlohmann::json reasons_json(const Profile& profile, const nlohmann::json& explanation, std::string_view lang);

// The text of one reason: "même e-mail", "date de naissance différente", "similar first name".
std::string reason_text(const Profile& profile, const std::string& field, int level, std::string_view lang);

}  // namespace gz::matching
