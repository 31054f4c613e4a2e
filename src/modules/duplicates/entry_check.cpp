#include "modules/duplicates/entry_check.h"

#include "modules/duplicates/duplicates.h"

namespace gz::matching {

domain::EntryDuplicateCheck entry_duplicate_check(store::Database& db) {
  domain::EntryDuplicateCheck check;
  check.applies = [](const domain::Entity& e) {
    try {
      DuplicateService::profile_of(e.name);
      return true;
    } catch (const Problem&) {
      return false;
    }
  };
  store::Database* dbp = &db;
  check.find = [dbp](const domain::Actor& actor, const domain::Entity& e, const nlohmann::json& record, int64_t own_id,
                     const std::string& lang) {
    domain::EntryCandidates out;
    auto r = DuplicateService(*dbp).check(actor, e.name, record, 5, own_id);
    if (!r.probable()) return out;
    out.probable = true;
    out.best_id = r.candidates.front().id;
    out.best_name = r.candidates.front().display_name;
    for (const auto& c : candidates_json(r, lang))
      if (c["probable"].get<bool>()) out.candidates.push_back(c);
    return out;
  };
  return check;
}

domain::ImportDuplicateCheck import_duplicate_check() {
  return [](store::Database& db, const domain::Actor& actor, const std::string& entity, domain::RowSource& source,
            const domain::ImportOptions& options) {
    return import_duplicate_warnings(db, actor, entity, source, options);
  };
}

}  // namespace gz::matching
