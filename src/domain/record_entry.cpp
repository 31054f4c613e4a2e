#include "domain/record_entry.h"

#include "domain/field_values.h"

namespace gz::domain {

Problem probable_duplicate_problem(const Entity& e, const EntryCandidates& c) {
  return Problem(ProblemKind::Conflict,
                 tr("this record looks like {entity} {id} ({name}); open it, or send the request again with "
                    "?allow_duplicate=true to create a new record anyway",
                    {{"entity", singular_label(e)}, {"id", std::to_string(c.best_id)}, {"name", c.best_name}}))
      .with_type(kProbableDuplicateType, "Probable duplicate")
      .with("candidates", c.candidates);
}

json RecordEntryService::create(const Actor& actor, const Entity& e, const json& input,
                                const std::function<bool()>& allow_duplicate, const std::string& lang) {
  // Written first, so that a record that cannot be stored gets its 422; the check reads through
  // other connections (it does not see this record), and a probable duplicate undoes the write.
  return store::with_transaction(records_.database(), true, [&](store::Connection& c) {
    json created = records_.create_in(c, actor, e, input);
    if (check_ && check_.applies(e) && !(allow_duplicate && allow_duplicate()) && created.is_object()) {
      auto found = check_.find(actor, e, created, created["id"].get<int64_t>(), lang);
      if (found.probable) throw probable_duplicate_problem(e, found);
    }
    return created;
  });
}

}  // namespace gz::domain
