// Merge of duplicates with undo, side-by-side comparison, and purge (archive / restore):
// docs/merge.md. Registered before the record routes so that /contacts/compare and
// /contacts/merge are not read as /contacts/{id}.
#include <cctype>
#include <cstdint>
#include <regex>

#include "modules/duplicates/merge.h"
#include "modules/duplicates/purge.h"
#include "http/api.h"
#include "modules/duplicates/duplicates.h"
#include "store/record_store.h"

namespace gz::http {

namespace {

std::vector<int64_t> id_list(const std::string& raw, const std::string& name) {
  std::vector<int64_t> ids;
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t end = raw.find(',', pos);
    if (end == std::string::npos) end = raw.size();
    std::string part = raw.substr(pos, end - pos);
    try {
      auto v = parse_id(part);
      if (!v) throw 0;
      ids.push_back(*v);
    } catch (...) {
      throw Problem(ProblemKind::BadRequest, tr("{name} must be record ids separated by commas", {{"name", name}}),
                    {{name, tr("'{value}' is not a record id", {{"value", part.substr(0, 30)}})}});
    }
    pos = end + 1;
  }
  return ids;
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') out += char(ch);
    else { out += '%'; out += hex[ch >> 4]; out += hex[ch & 15]; }
  }
  return out;
}

}  // namespace

bool redirect_merged(Services& s, const httplib::Request& req, httplib::Response& res) {
  // GET /api/v1/contacts/17[/360…] where 17 was absorbed by a merge: 308 to the survivor's URL.
  static const std::regex path(R"(^/api/v1/(contacts|accounts|households)/([0-9]+)(/.*)?$)");
  std::smatch m;
  if (req.method != "GET" || !std::regex_match(req.path, m, path)) return false;
  int64_t id;
  try {
    id = std::stoll(m[2]);
  } catch (...) {
    return false;
  }
  std::optional<int64_t> to;
  try {
    domain::MergeService merges(s.db, s.records);
    to = merges.resolve(domain::entity(m[1].str()), id);
  } catch (const std::exception&) {
    return false;  // the 404 stands
  }
  if (!to) return false;
  // The survivor's id is news to a reader who may not see it: for them the absorbed id stays
  // "absent or not visible" (404), like any record outside their scope.
  auto actor = request_actor(s, req);
  if (!actor) return false;
  const domain::Entity& e = domain::entity(m[1].str());
  bool visible = store::with_transaction(s.db, false, [&](store::Connection& c) {
    return store::RecordStore::find(c, e, *to, domain::read_scope(*actor, e)).has_value();
  });
  if (!visible) return false;
  std::string location = "/api/v1/" + m[1].str() + "/" + std::to_string(*to) + m[3].str();
  if (!req.params.empty()) {
    std::string query;
    for (const auto& [k, v] : req.params)
      query += (query.empty() ? "?" : "&") + percent_encode(k) + "=" + percent_encode(v);
    location += query;
  }
  res.set_header("Location", location);
  res.set_header("X-Merged-Into", std::to_string(*to));
  send_json(res, 308, {{"merged_into", *to}, {"location", location},
                       {"detail", domain::entity(m[1].str()).singular + " " + m[2].str() + " was merged into " + std::to_string(*to)}});
  return true;
}

void add_merge_routes(Api& api, Services& s) {
  for (const char* name : {"contacts", "accounts", "households"}) {
    const domain::Entity* ep = &domain::entity(name);
    const std::string base = std::string("/api/v1/") + name;
    api.add({"POST", base + "/merge",
         "Merge " + ep->name + " into a survivor: {survivor_id, absorbed_ids, fields: {name: survivor|most_recent|"
         "most_complete|<id>}, default_rule}; everything linked moves to the survivor; undo with /merges/{id}/undo",
         "merge", true, "merge", "merge_result", [&s, ep](RequestContext& ctx) {
           domain::MergeService merges(s.db, s.records);
           json out = merges.merge(ctx.actor, *ep, domain::MergeRequest::from_json(*ep, parse_json_body(ctx.req)));
           ctx.res.set_header("Location", "/api/v1/merges/" + out["merge_id"].dump());
           send_json(ctx.res, 201, out);
         }});
    api.add({"GET", base + "/compare",
         "Compare " + ep->name + " side by side (?ids=1,2,3): each field's values, whether they differ, and what each "
         "merge rule would keep; for contacts and accounts, pairs: why each two look alike or not (reasons, score)",
         "merge", true, "", "comparison", [&s, ep](RequestContext& ctx) {
           auto ids = query_text(ctx.req, "ids");
           if (!ids) throw Problem(ProblemKind::BadRequest, "ids is required", {{"ids", "give from 2 to 20 ids, comma-separated"}});
           domain::MergeService merges(s.db, s.records);
           auto list = id_list(*ids, "ids");
           json out = merges.compare(ctx.actor, *ep, list);
           if (matching::find_profile(ep->name))
             out["pairs"] = matching::DuplicateService(s.db).compare(ctx.actor, ep->name, list, request_language(ctx.req));
           send_json(ctx.res, 200, out);
         }});
    api.add({"POST", base + "/{id}/restore", "Restore an archived " + ep->singular + " (purge)", "purge", true, "", ep->name,
         [&s, ep](RequestContext& ctx) {
           domain::PurgeService purge(s.db);
           json rec = purge.restore(ctx.actor, *ep, ctx.id_param());
           ctx.res.set_header("ETag", etag_for(rec));
           send_json(ctx.res, 200, rec);
         }, 200});
  }
  api.add({"GET", "/api/v1/merges", "Merges, newest first, with who made them and whether they were undone; query: entity, before_id, limit",
       "merge", true, "", "list:merges", [&s](RequestContext& ctx) {
         std::string entity = query_text(ctx.req, "entity", "");
         if (!entity.empty() && entity != "contacts" && entity != "accounts" && entity != "households")
           throw Problem(ProblemKind::BadRequest, "entity must be contacts, accounts or households",
                         {{"entity", "use contacts, accounts or households"}});
         int limit = int(query_int(ctx.req, "limit", 50, 1, 200));
         domain::MergeService merges(s.db, s.records);
         auto rows = merges.history(ctx.actor, entity, query_int(ctx.req, "before_id", 0, 0, INT64_MAX), limit);
         json next = int(rows.size()) == limit ? rows.back()["id"] : json();
         send_json(ctx.res, 200, {{"data", rows}, {"next_before_id", next}});
       }});
  api.add({"GET", "/api/v1/merges/{id}", "One merge with its journal (what undo puts back)", "merge", true, "", "merge_record",
       [&s](RequestContext& ctx) {
         domain::MergeService merges(s.db, s.records);
         auto m = merges.get(ctx.actor, ctx.id_param());
         if (!m)
           throw Problem(ProblemKind::NotFound,
                         tr("merge {id} does not exist or is not visible to you", {{"id", ctx.path_param(0)}}));
         send_json(ctx.res, 200, *m);
       }});
  api.add({"POST", "/api/v1/merges/{id}/undo",
       "Undo a merge: the absorbed records come back as they were, moved rows go back, the survivor gets its previous values",
       "merge", true, "", "merge_result", [&s](RequestContext& ctx) {
         domain::MergeService merges(s.db, s.records);
         send_json(ctx.res, 200, merges.undo(ctx.actor, ctx.id_param()));
       }, 200});
  api.add({"GET", "/api/v1/purge/candidates",
       "Records to purge: query entity (contacts|accounts), reason (inactive|closed|bounced; all by default), "
       "inactive_years (default 3), after_id, limit",
       "purge", true, "", "purge_candidates", [&s](RequestContext& ctx) {
         domain::PurgeService purge(s.db);
         send_json(ctx.res, 200, purge.candidates(ctx.actor, domain::PurgeQuery::from_params(query_map(ctx.req))));
       }});
  api.add({"POST", "/api/v1/purge/archive",
       "Archive records {entity, ids}: they leave lists, search and 360° views (?archived=include|only shows them)",
       "purge", true, "archive", "archive_result", [&s](RequestContext& ctx) {
         json b = parse_json_body(ctx.req);
         if (!b.is_object()) throw Problem(ProblemKind::BadRequest, "the body must be {\"entity\": …, \"ids\": [...]}");
         FieldErrors errors;
         const domain::Entity* e = b.value("entity", json()).is_string() ? domain::find_entity(b["entity"].get<std::string>()) : nullptr;
         if (!e || !domain::mergeable(*e)) errors.add("entity", tr("must be {entities}", {{"entities", kernel::names_with(&domain::Entity::mergeable)}}));
         std::vector<int64_t> ids;
         const json& raw = b.value("ids", json());
         if (!raw.is_array() || raw.empty()) errors.add("ids", "must be a non-empty list of record ids");
         else
           for (size_t i = 0; i < raw.size(); ++i) {
             if (raw[i].is_number_integer() && raw[i].get<int64_t>() > 0) ids.push_back(raw[i].get<int64_t>());
             else errors.add("ids[" + std::to_string(i) + "]", "must be a record id");
           }
         errors.throw_if_any(ProblemKind::BadRequest);
         domain::PurgeService purge(s.db);
         send_json(ctx.res, 200, purge.archive(ctx.actor, *e, ids));
       }, 200});
}

}  // namespace gz::http
