// Creating a record as a person enters it (POST /api/v1/{entity}): the record is validated and
// written like any other (RecordService), then compared with the stored records by the entry
// duplicate check; a probable duplicate undoes the write and is refused with a 409 carrying the
// candidates (docs/duplicates.md, "Check at entry"), unless the caller allows duplicates.
//
// The check is the matching engine's (matching::entry_duplicate_check), given by the composition
// root (gazelle serve): the domain does not depend on matching. Without one, nothing is checked.
#pragma once
#include <functional>
#include <string>

#include "core/problem.h"
#include "domain/records.h"

namespace gz::domain {

struct EntryCandidates {
  bool probable = false;                // the best candidate's score reaches the upper threshold
  int64_t best_id = 0;                  // the best candidate
  std::string best_name;
  json candidates = json::array();      // the probable candidates, best first (id, display_name, score…)
};

struct EntryDuplicateCheck {
  std::function<bool(const Entity&)> applies;  // the entities it compares (contacts, accounts)
  // The stored records (visible to actor) that `record` probably duplicates; own_id: the record
  // itself, just written; lang ("fr" or "en"): the language of the candidates' reasons.
  std::function<EntryCandidates(const Actor& actor, const Entity& e, const json& record, int64_t own_id,
                                const std::string& lang)>
      find;
  explicit operator bool() const { return applies && find; }
};

inline constexpr const char* kProbableDuplicateType = "https://gazelle.invalid/problems/probable-duplicate";

// The 409 of a probable duplicate: type probable-duplicate, title "Probable duplicate", the
// candidates as extension member.
Problem probable_duplicate_problem(const Entity& e, const EntryCandidates& c);

class RecordEntryService {
 public:
  explicit RecordEntryService(RecordService& records, EntryDuplicateCheck check = {})
      : records_(records), check_(std::move(check)) {}
  void set_duplicate_check(EntryDuplicateCheck check) { check_ = std::move(check); }
  // The check, for a service that compares before it decides what to write (web-to-lead).
  const EntryDuplicateCheck& duplicate_check() const { return check_; }

  // Creates the record in one transaction. A record that cannot be stored gets its Problem (422…)
  // first; then, for an entity the check applies to, allow_duplicate is asked (it may throw: a bad
  // query parameter) and, unless it says yes, a probable duplicate rolls the write back and throws
  // probable_duplicate_problem.
  // lang: the language of the candidates' reasons in the 409 ("fr" or "en").
  json create(const Actor& actor, const Entity& e, const json& input, const std::function<bool()>& allow_duplicate = {},
              const std::string& lang = "fr");

 private:
  RecordService& records_;
  EntryDuplicateCheck check_;
};

}  // namespace gz::domain
