#include "domain/record_names.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "store/record_json.h"
#include "store/record_titles.h"

namespace gz::domain {

using json = nlohmann::json;

std::string record_title(const Entity& e, const json& row) {
  std::string title;
  for (const auto& f : e.title_fields) {
    const json& v = row.value(f, json());
    store::title_join(title, v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump());
  }
  return title;
}

namespace {

// Which entities a page names, and each title the reader may see: entity_fn(name) once per
// entity named (in name order), then title_fn(name, id, title) per record, grouped by entity.
// Every entity's titles in one batch: one round trip on PostgreSQL, where a page of contacts
// names their companies, households and referrers.
void each_title(store::Connection& c, const Actor& actor, const std::map<std::string, std::set<int64_t>>& wanted,
                const std::function<void(const std::string& entity)>& entity_fn,
                const std::function<void(const std::string& entity, int64_t id, std::string title)>& title_fn) {
  std::vector<store::BatchStatement> batch;
  for (const auto& [name, ids] : wanted) {
    const Entity* target = kernel::find_entity(name);
    if (!target || target->title_fields.empty() || !can_read(actor, *target)) continue;
    entity_fn(name);
    const store::Scope scope = read_scope(actor, *target);
    if (ids.empty() || scope.none) continue;
    batch.push_back(store::record_titles_statement(
        *target, {ids.begin(), ids.end()}, scope,
        [&title_fn, &name](int64_t id, std::string title) { title_fn(name, id, std::move(title)); }));
  }
  if (!batch.empty()) store::stream_batch(c, batch);
}

}  // namespace

json reference_names(store::Connection& c, const Actor& actor, const std::map<std::string, std::set<int64_t>>& wanted) {
  json out = json::object();
  each_title(
      c, actor, wanted, [&](const std::string& entity) { out[entity] = json::object(); },
      [&](const std::string& entity, int64_t id, std::string title) { out[entity][std::to_string(id)] = std::move(title); });
  return out;
}

void append_reference_names(store::Connection& c, const Actor& actor,
                            const std::map<std::string, std::set<int64_t>>& wanted, std::string& out) {
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> names;  // in entity order
  each_title(
      c, actor, wanted, [&](const std::string& entity) { names.push_back({entity, {}}); },
      [&](const std::string& entity, int64_t id, std::string title) {
        auto it = std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == entity; });
        it->second.emplace_back(std::to_string(id), std::move(title));
      });
  // As the object above prints: members by key, the ids' decimal text compared byte by byte.
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    store::append_json_string(out, names[i].first);
    out += ":{";
    auto& titles = names[i].second;
    std::sort(titles.begin(), titles.end());
    for (size_t k = 0; k < titles.size(); ++k) {
      if (k) out += ',';
      store::append_json_string(out, titles[k].first);
      out += ':';
      store::append_json_string(out, titles[k].second);
    }
    out += '}';
  }
  out += '}';
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
