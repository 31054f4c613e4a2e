#include "domain/record_names.h"

#include <map>
#include <set>

#include "store/record_titles.h"

namespace gz::domain {

using json = nlohmann::json;

std::string record_title(const Entity& e, const json& row) {
  std::string title;
  for (const auto& f : e.title_fields) {
    const json& v = row.value(f, json());
    std::string s = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
    if (!s.empty()) title += (title.empty() ? "" : " ") + s;
  }
  return title;
}

json reference_names(store::Connection& c, const Actor& actor, const std::map<std::string, std::set<int64_t>>& wanted) {
  json out = json::object();
  // Every entity's names in one batch: one round trip on PostgreSQL, where a page of contacts
  // names their companies, households and referrers.
  std::vector<store::BatchStatement> batch;
  for (const auto& [name, ids] : wanted) {
    const Entity* target = kernel::find_entity(name);
    if (!target || target->title_fields.empty() || !can_read(actor, *target)) continue;
    json& names = out[name] = json::object();  // an object's members stay where they are
    const store::Scope scope = read_scope(actor, *target);
    if (ids.empty() || scope.none) continue;
    batch.push_back(store::record_titles_statement(*target, {ids.begin(), ids.end()}, scope, [&names, target](json row) {
      names[std::to_string(row["id"].get<int64_t>())] = record_title(*target, row);
    }));
  }
  if (!batch.empty()) store::stream_batch(c, batch);
  return out;
}

json reference_names(store::Database& db, const Actor& actor, const Entity& e, const std::vector<json>& rows) {
  std::map<std::string, std::set<int64_t>> wanted;
  for (const auto& f : e.fields) {
    if (f.kind != FieldKind::Reference || f.references == "users" || f.references == "teams") continue;
    for (const auto& r : rows) {
      auto it = r.find(f.name);
      if (it != r.end() && it->is_number_integer()) wanted[f.references].insert(it->get<int64_t>());
    }
  }
  if (wanted.empty()) return json::object();
  return store::with_transaction(db, false, [&](store::Connection& c) { return reference_names(c, actor, wanted); });
}

}  // namespace gz::domain
