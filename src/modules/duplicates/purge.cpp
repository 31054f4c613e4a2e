#include "modules/duplicates/purge.h"

#include <algorithm>
#include <map>

#include "core/clock.h"
#include "core/problem.h"
#include "modules/duplicates/merge.h"
#include "domain/entity_rules.h"
#include "domain/field_values.h"
#include "store/history_store.h"
#include "modules/duplicates/merge_store.h"
#include "store/record_store.h"

namespace gz::domain {

using nlohmann::json;
using store::Connection;

namespace {

int int_param(const std::map<std::string, std::string>& params, const std::string& name, int dflt, int lo, int hi) {
  auto it = params.find(name);
  if (it == params.end()) return dflt;
  try {
    size_t pos;
    long long v = std::stoll(it->second, &pos);
    if (pos == it->second.size() && v >= lo && v <= hi) return int(v);
  } catch (...) {
  }
  // The bounds as written (no thousands separator), as a client types them.
  const std::string min = std::to_string(lo), max = std::to_string(hi);
  throw Problem(ProblemKind::BadRequest, tr("{name} must be an integer from {min} to {max}", {{"name", name}, {"min", min}, {"max", max}}),
                {{name, tr("must be an integer from {min} to {max}, not '{value}'",
                           {{"min", min}, {"max", max}, {"value", it->second.substr(0, 30)}})}});
}

std::vector<std::string> reasons_for(const std::string& entity) {
  if (entity == "contacts") return {"inactive", "closed", "bounced"};
  return {"inactive", "closed"};
}

// The same instant `years` years ago (text: ISO 8601 compares as it reads).
std::string years_ago(int years) {
  std::string now = clock::now_utc();
  int y = std::stoi(now.substr(0, 4)) - years;
  return std::to_string(y) + now.substr(4);
}

}  // namespace

PurgeQuery PurgeQuery::from_params(const std::map<std::string, std::string>& params) {
  PurgeQuery q;
  for (const auto& [k, v] : params)
    if (k != "entity" && k != "reason" && k != "inactive_years" && k != "after_id" && k != "limit")
      throw Problem(ProblemKind::BadRequest, tr("unknown query parameter '{name}'", {{"name", k}}),
                    {{k, "use entity, reason, inactive_years, after_id, limit"}});
  if (params.count("entity")) q.entity = params.at("entity");
  if (q.entity != "contacts" && q.entity != "accounts")
    throw Problem(ProblemKind::BadRequest, "entity must be contacts or accounts", {{"entity", "use contacts or accounts"}});
  if (params.count("reason")) q.reason = params.at("reason");
  auto allowed = reasons_for(q.entity);
  if (!q.reason.empty() && std::find(allowed.begin(), allowed.end(), q.reason) == allowed.end())
    throw Problem(ProblemKind::BadRequest,
                  tr("reason '{reason}' does not apply to {entity}", {{"reason", q.reason.substr(0, 30)}, {"entity", q.entity}}),
                  {{"reason", q.entity == "contacts" ? "use inactive, closed or bounced" : "use inactive or closed"}});
  q.inactive_years = int_param(params, "inactive_years", 3, 1, 50);
  q.after_id = int_param(params, "after_id", 0, 0, 2147483647);
  q.limit = int_param(params, "limit", 100, 1, 1000);
  return q;
}

json PurgeService::candidates(const Actor& actor, const PurgeQuery& q) {
  const Entity& e = entity(q.entity);
  const std::string since = years_ago(q.inactive_years);
  std::vector<std::string> reasons = q.reason.empty() ? reasons_for(q.entity) : std::vector<std::string>{q.reason};
  return store::with_transaction(db_, false, [&](Connection& c) {
    std::map<int64_t, json> found;  // by id, with every reason that applies
    bool more = false;
    for (const auto& reason : reasons) {
      auto rows = store::PurgeStore::candidates(c, e, reason, since, read_scope(actor, e), q.after_id, q.limit);
      more |= int(rows.size()) == q.limit;
      for (auto& r : rows) {
        int64_t id = r["id"].get<int64_t>();
        if (!found.count(id)) {
          std::string last = r.value("updated_at", std::string());
          for (const char* k : {"last_interaction_at", "last_order_at"})
            if (r[k].is_string() && r[k].get<std::string>() > last) last = r[k];
          r["last_activity_at"] = last;
          r["reasons"] = json::array();
          found[id] = std::move(r);
        }
        found[id]["reasons"].push_back(reason);
      }
    }
    json data = json::array();
    int64_t last_id = 0;
    for (auto& [id, r] : found) {
      if (int(data.size()) == q.limit) { more = true; break; }
      data.push_back(std::move(r));
      last_id = id;
    }
    return json{{"entity", q.entity}, {"reason", q.reason.empty() ? json() : json(q.reason)}, {"since", since},
                {"inactive_years", q.inactive_years}, {"data", data},
                {"next_after_id", more && last_id ? json(last_id) : json()}};
  });
}

json PurgeService::archive(const Actor& actor, const Entity& e, const std::vector<int64_t>& ids) {
  if (!mergeable(e))
    throw Problem(ProblemKind::BadRequest, tr("{entity} cannot be archived", {{"entity", entity_label(e)}}),
                  {{"entity", tr("use {entities}", {{"entities", kernel::names_with(&Entity::mergeable)}})}});
  if (ids.empty() || ids.size() > 1000)
    throw Problem(ProblemKind::BadRequest, "ids must list from 1 to 1000 record ids", {{"ids", "give from 1 to 1000 ids"}});
  if (!can_write(actor, e))
    throw Problem(ProblemKind::Forbidden,
                  tr("your role ({role}) cannot archive {entity}", {{"role", role_label(actor.role)}, {"entity", entity_label(e)}}));
  return store::with_transaction(db_, true, [&](Connection& c) {
    const std::string now = clock::now_utc();
    json archived = json::array(), already = json::array();
    for (size_t i = 0; i < ids.size(); ++i) {
      auto rec = store::RecordStore::find(c, e, ids[i], read_scope(actor, e));
      if (!rec) {
        Message what = tr("{entity} {id} does not exist or is not visible to you",
                          {{"entity", singular_label(e)}, {"id", std::to_string(ids[i])}});
        throw Problem(ProblemKind::NotFound, what, {{"ids[" + std::to_string(i) + "]", what}});
      }
      if (!(*rec)["archived_at"].is_null()) { already.push_back(ids[i]); continue; }
      store::PurgeStore::set_archived(c, e.name, ids[i], now, now, actor.user_id);
      store::HistoryStore::append_audit(c, actor.user_id, e.name, ids[i], "archive", {{"archived_at", {nullptr, now}}});
      archived.push_back(ids[i]);
    }
    return json{{"entity", e.name}, {"archived", archived}, {"already_archived", already}, {"archived_at", now}};
  });
}

json PurgeService::restore(const Actor& actor, const Entity& e, int64_t id) {
  if (!mergeable(e)) throw Problem(ProblemKind::NotFound, tr("{entity} are not archived", {{"entity", entity_label(e)}}));
  if (!can_write(actor, e))
    throw Problem(ProblemKind::Forbidden,
                  tr("your role ({role}) cannot restore {entity}", {{"role", role_label(actor.role)}, {"entity", entity_label(e)}}));
  return store::with_transaction(db_, true, [&](Connection& c) {
    auto rec = store::RecordStore::find(c, e, id, read_scope(actor, e));
    if (!rec)
      throw Problem(ProblemKind::NotFound, tr("{entity} {id} does not exist or is not visible to you",
                                              {{"entity", singular_label(e)}, {"id", std::to_string(id)}}));
    json was = (*rec)["archived_at"];
    if (was.is_null())
      throw Problem(ProblemKind::Conflict,
                    tr("{entity} {id} is not archived", {{"entity", singular_label(e)}, {"id", std::to_string(id)}}));
    store::PurgeStore::set_archived(c, e.name, id, nullptr, clock::now_utc(), actor.user_id);
    store::HistoryStore::append_audit(c, actor.user_id, e.name, id, "restore", {{"archived_at", {was, nullptr}}});
    json out = *store::RecordStore::find(c, e, id, store::Scope{});
    expand_record(c, e, out);
    return out;
  });
}

}  // namespace gz::domain
