#include "domain/record_preview.h"

namespace gz::domain {

json preview_record(RecordService& records, const Actor& actor, const Entity& e, const json& input) {
  return store::with_transaction(records.database(), false, [&](store::Connection& c) {
    auto p = records.prepare_create(c, actor, e, input);
    // The child lines as the rules made them (kept aside for the write: ctx.scratch).
    for (const auto& cc : e.children)
      if (p.scratch.contains("children") && p.scratch["children"].contains(cc.name)) p.record[cc.name] = p.scratch["children"][cc.name];
    return p.record;
  });
}

}  // namespace gz::domain
