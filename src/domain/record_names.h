// The names of the records a list page refers to, so that a client shows "Boulangerie Martin"
// rather than account 3 without asking for each record: for each reference field of the entity
// (users and teams aside), the referred entity's title fields (Entity::title_fields) joined by a
// space, only for the records the reader may see. Generic: built from the catalogue alone.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/access.h"
#include "store/database.h"

namespace gz::domain {

// {"accounts": {"3": "Boulangerie Martin"}, "contacts": {"12": "Amélie Martin"}}; a referred
// entity without title fields, or that the reader may not read, is left out, and so is a
// record the reader may not see.
// In a read transaction of its own.
nlohmann::json reference_names(store::Database& db, const Actor& actor, const Entity& e,
                               const std::vector<nlohmann::json>& rows);
// A record's title: its entity's title fields joined by a space ("Amélie Martin").
std::string record_title(const Entity& e, const nlohmann::json& row);

// The same for the ids already gathered (referred entity -> ids), in the caller's transaction.
nlohmann::json reference_names(store::Connection& c, const Actor& actor,
                               const std::map<std::string, std::set<int64_t>>& wanted);
// The same object written as JSON text at the end of out (the bytes of the tree's dump), without
// a tree: what a list page appends.
void append_reference_names(store::Connection& c, const Actor& actor,
                            const std::map<std::string, std::set<int64_t>>& wanted, std::string& out);

}  // namespace gz::domain
