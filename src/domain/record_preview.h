// What a record would be if created, with what its entity's rules compute (an order's totals,
// its lines' totals), checked like a create (a Problem naming every wrong field) but stored
// nowhere: the live figures of a form being filled in (POST /api/v1/{entity}/preview).
#pragma once
#include "domain/records.h"

namespace gz::domain {

json preview_record(RecordService& records, const Actor& actor, const Entity& e, const json& input);

}  // namespace gz::domain
