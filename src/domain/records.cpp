#include "domain/records.h"

#include "domain/record_names.h"

#include <algorithm>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/problem.h"
#include "core/validate.h"
#include "domain/entity_rules.h"
#include "domain/field_values.h"
#include "domain/search_text.h"
#include "store/record_json.h"
#include "store/history_store.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace gz::domain {

using store::Connection;
using store::RecordStore;

namespace {

bool is_bookkeeping(const std::string& name) {
  return name == "id" || name == "version" || name == "created_at" || name == "updated_at" ||
         name == "created_by" || name == "updated_by";
}

json user_id_or_null(const Actor& a) { return a.user_id > 0 ? json(a.user_id) : json(); }

// The owner field's label, for the messages about it.
Message owner_label() { return Message::both("Propriétaire", "Owner"); }

// Validates the fields present in input; returns column -> stored value.
json validate_input(const Entity& e, const json& input, bool replace, FieldErrors& errors) {
  if (!input.is_object()) throw Problem(ProblemKind::BadRequest, "the request body must be a JSON object");
  json out = json::object();
  for (auto it = input.begin(); it != input.end(); ++it) {
    const std::string& key = it.key();
    if (std::find(e.nested.begin(), e.nested.end(), key) != e.nested.end()) continue;
    const Field* f = e.field(key);
    if (!f) {
      errors.add(key, tr("unknown field for {entity}", {{"entity", singular_label(e)}}));
      continue;
    }
    if (f->server_set) continue;  // echoed back from a GET: set by the server, ignored
    out[key] = normalise_field_value(*f, it.value(), key, errors);
  }
  // PUT clears the fields left out, except the owner: a reassignment is always explicit.
  if (replace)
    for (const auto& f : e.fields)
      if (!f.server_set && f.name != "owner_id" && !input.contains(f.name))
        out[f.name] = normalise_field_value(f, json(), f.name, errors);
  return out;
}

void check_required(const Entity& e, const json& record, FieldErrors& errors) {
  for (const auto& f : e.fields) {
    if (!f.required || (record.contains(f.name) && !record[f.name].is_null())) continue;
    bool reported = false;  // a value already rejected needs no second message
    for (const auto& err : errors.list()) reported |= err.field == f.name;
    if (!reported) errors.add(f.name, field_label(f), "is required");
  }
}

// Owner must be an active user the actor may assign to; team follows the owner.
void apply_owner(Connection& c, const Actor& actor, json& record, const json* before, FieldErrors& errors) {
  json owner = record.value("owner_id", json());
  if (!before && owner.is_null() && actor.user_id > 0) owner = record["owner_id"] = actor.user_id;
  bool changed = !before || before->value("owner_id", json()) != owner;
  if (!changed) return;
  if (owner.is_null()) {
    if (is_scoped(actor))  // the team would lose sight of it
      errors.add("owner_id", owner_label(), "a record must keep an owner; assign it to someone instead");
    record["team_id"] = nullptr;
    return;
  }
  auto user = store::UserStore::brief(c, owner.get<int64_t>());
  if (!user || !(*user)["active"].get<int64_t>()) {
    errors.add("owner_id", owner_label(), tr("user {id} does not exist or is deactivated", {{"id", owner.dump()}}));
    return;
  }
  int64_t team = (*user)["team_id"].is_null() ? 0 : (*user)["team_id"].get<int64_t>();
  if (is_scoped(actor) && owner.get<int64_t>() != actor.user_id &&
      (actor.team_id == 0 || team != actor.team_id))
    errors.add("owner_id", owner_label(), "you can assign records only to yourself or to members of your team");
  record["team_id"] = team ? json(team) : json();
}

void check_references(Connection& c, const Actor& actor, const Entity& e, const json& changes, FieldErrors& errors) {
  for (const auto& f : e.fields) {
    if (f.kind != FieldKind::Reference || f.server_set || f.name == "owner_id") continue;
    auto it = changes.find(f.name);
    if (it == changes.end() || it->is_null()) continue;
    int64_t id = it->get<int64_t>();
    bool ok;
    if (f.references == "users" || f.references == "teams") {
      ok = RecordStore::exists(c, f.references, id, store::Scope{});
    } else {
      ok = RecordStore::exists(c, f.references, id, read_scope(actor, entity(f.references)));
    }
    if (!ok) {
      const Entity* target = find_entity(f.references);
      Message what = target ? singular_label(*target) : Message::verbatim(f.references);
      errors.add(f.name, field_label(f),
                 tr("{entity} {id} does not exist or is not visible to you", {{"entity", what}, {"id", std::to_string(id)}}));
    }
  }
}

json without_bookkeeping(const json& record) {
  json out = json::object();
  for (auto it = record.begin(); it != record.end(); ++it)
    if (!is_bookkeeping(it.key()) && !it.value().is_null()) out[it.key()] = it.value();
  return out;
}

std::string encode_cursor(const json& value, int64_t id) { return crypto::base64url_encode(json::array({value, id}).dump()); }

int parse_int_param(const std::string& name, const std::string& v, int lo, int hi) {
  try {
    size_t pos;
    int n = std::stoi(v, &pos);
    if (pos == v.size() && n >= lo && n <= hi) return n;
  } catch (...) {
  }
  // The bounds as written (no thousands separator), as a client types them.
  throw Problem(ProblemKind::BadRequest,
                tr("{name} must be an integer from {min} to {max}, not '{value}'",
                   {{"name", name}, {"min", std::to_string(lo)}, {"max", std::to_string(hi)}, {"value", v.substr(0, 30)}}),
                {{name, tr("must be an integer from {min} to {max}", {{"min", std::to_string(lo)}, {"max", std::to_string(hi)}})}});
}

// A record that others keep (Field::keeps_referred: an order its customer, a contact its
// company) would orphan or cascade them if deleted, so it is refused.
void refuse_delete_with_history(Connection& c, const Entity& e, int64_t id) {
  std::vector<Message> held;
  for (const Entity& other : domain::entities())
    for (const Field& f : other.fields)
      if (f.keeps_referred && f.references == e.name)
        if (int64_t n = store::RecordStore::count_referring(c, other.name, f.name, id))
          held.push_back(tr("{n} × {entity}", {{"n", n}, {"entity", singular_label(other)}}));
  if (!held.empty()) {
    Message list = held[0];
    for (size_t i = 1; i < held.size(); ++i) list = tr("{a} and {b}", {{"a", list}, {"b", held[i]}});
    throw Problem(ProblemKind::Conflict,
                  tr("this {entity} cannot be deleted while it has {held}; archive it instead, or merge it into another",
                     {{"entity", singular_label(e)}, {"held", list}}),
                  {{"id", tr("has {held}", {{"held", list}})}});
  }
}

json parse_filter_value(const Actor& actor, const Field& f, const std::string& name, const std::string& raw) {
  if (f.kind == FieldKind::Reference && raw == "me") return actor.user_id;
  json v;
  switch (f.kind) {
    case FieldKind::Integer:
    case FieldKind::Reference:
    case FieldKind::Money:
      try {
        size_t pos;
        long long n = std::stoll(raw, &pos);
        if (pos != raw.size()) throw 0;
        v = n;
      } catch (...) {
        throw Problem(ProblemKind::BadRequest, tr("{name} must be an integer", {{"name", name}}), {{name, "must be an integer"}});
      }
      return v;
    case FieldKind::Boolean:
      if (raw != "true" && raw != "false")
        throw Problem(ProblemKind::BadRequest, tr("{name} must be true or false", {{"name", name}}), {{name, "must be true or false"}});
      return raw == "true";
    case FieldKind::TagList: {  // one tag, compared folded as stored
      FieldErrors errors;
      v = normalise_field_value(f, json(raw), name, errors);
      errors.throw_if_any(ProblemKind::BadRequest);
      if (v.empty()) throw Problem(ProblemKind::BadRequest, tr("{name} needs a tag", {{"name", name}}), {{name, "give one tag"}});
      return v[0];
    }
    default: {
      FieldErrors errors;
      v = normalise_field_value(f, json(raw), name, errors);
      errors.throw_if_any(ProblemKind::BadRequest);
      return v;
    }
  }
}

}  // namespace

json RecordService::load_visible(Connection& c, const Actor& actor, const Entity& e, int64_t id) {
  require_read(actor, e);
  auto rec = RecordStore::find(c, e, id, read_scope(actor, e));
  if (!rec)
    throw Problem(ProblemKind::NotFound, tr("{entity} {id} does not exist or is not visible to you",
                                            {{"entity", singular_label(e)}, {"id", std::to_string(id)}}));
  return *rec;
}

json RecordService::create(const Actor& actor, const Entity& e, const json& input) {
  return store::with_transaction(db_, true, [&](Connection& c) { return create_in(c, actor, e, input); });
}

json RecordService::create_in(Connection& c, const Actor& actor, const Entity& e, const json& input) {
  return store_created(c, actor, e, prepare_create(c, actor, e, input), input);
}

RecordService::PreparedCreate RecordService::prepare_create(Connection& c, const Actor& actor, const Entity& e,
                                                            const json& input, const json* column_defaults) {
  if (!can_write(actor, e))
    throw Problem(ProblemKind::Forbidden,
                  tr("your role ({role}) cannot create {entity}", {{"role", role_label(actor.role)}, {"entity", entity_label(e)}}));
  FieldErrors errors;
  json record = validate_input(e, input, false, errors);
  if (e.access == Access::Owned) apply_owner(c, actor, record, nullptr, errors);
  check_references(c, actor, e, record, errors);
  WriteContext ctx{c, actor, e, nullptr, input};
  apply_entity_rules(ctx, record, errors);
  check_required(e, record, errors);
  errors.throw_if_any();

  std::string now = clock::now_utc();
  record["created_at"] = now;
  record["updated_at"] = now;
  record["created_by"] = user_id_or_null(actor);
  record["updated_by"] = user_id_or_null(actor);
  for (auto it = record.begin(); it != record.end();)  // let the database fill its defaults
    it = it.value().is_null() ? record.erase(it) : std::next(it);
  PreparedCreate prepared{std::move(record), std::move(ctx.scratch)};
  if (column_defaults) {
    prepared.stored = *column_defaults;
    for (auto it = prepared.record.begin(); it != prepared.record.end(); ++it) prepared.stored[it.key()] = it.value();
    prepared.insert_sql = RecordStore::insert_sql(c.dialect(), e, prepared.record, prepared.insert_params);
    prepared.audit_changes = without_bookkeeping(prepared.stored).dump();
    prepared.search_body = search_body(c, e, prepared.stored);
  }
  return prepared;
}

json RecordService::store_created(Connection& c, const Actor& actor, const Entity& e, const PreparedCreate& prepared,
                                  const json& input) {
  WriteContext ctx{c, actor, e, nullptr, input, prepared.scratch};
  if (prepared.search_body) ctx.search_body = &*prepared.search_body;
  // Inserted, then read back for the database's defaults unless prepare_create knew them. (Not
  // INSERT … RETURNING: on SQLite it opens a statement savepoint, which makes FTS5 flush its
  // pending terms at every row: 70 % more instructions for an import.)
  const bool known = prepared.stored.is_object();
  int64_t id = known ? c.insert(prepared.insert_sql, prepared.insert_params) : RecordStore::insert(c, e, prepared.record);
  json stored = known ? prepared.stored : *RecordStore::find(c, e, id, store::Scope{});
  if (known) stored["id"] = id;
  after_entity_write(ctx, stored);
  store::HistoryStore::append_audit_text(c, actor.user_id, e.name, id, "create",
                                         known ? prepared.audit_changes : without_bookkeeping(stored).dump());
  expand_record(c, e, stored);
  return stored;
}

std::optional<json> RecordService::get(const Actor& actor, const Entity& e, int64_t id) {
  return store::with_transaction(db_, false, [&](Connection& c) -> std::optional<json> {
    auto rec = RecordStore::find(c, e, id, read_scope(actor, e));
    if (rec) expand_record(c, e, *rec);
    return rec;
  });
}

json RecordService::update(const Actor& actor, const Entity& e, int64_t id, const json& input,
                           std::optional<int64_t> expected_version, bool replace) {
  return store::with_transaction(
      db_, true, [&](Connection& c) { return update_in(c, actor, e, id, input, expected_version, replace); });
}

json RecordService::update_in(Connection& c, const Actor& actor, const Entity& e, int64_t id, const json& input,
                              std::optional<int64_t> expected_version, bool replace) {
  json before = load_visible(c, actor, e, id);
  if (!can_write(actor, e))
    throw Problem(ProblemKind::Forbidden,
                  tr("your role ({role}) cannot change {entity}", {{"role", role_label(actor.role)}, {"entity", entity_label(e)}}));
  int64_t version = before["version"].get<int64_t>();
  if (expected_version && *expected_version != version)
    throw Problem(ProblemKind::PreconditionFailed,
                  tr("{entity} {id} was changed by someone else (version {version}, you had {yours}): reload it and "
                     "apply your change again",
                     {{"entity", singular_label(e)}, {"id", std::to_string(id)}, {"version", std::to_string(version)},
                      {"yours", std::to_string(*expected_version)}}));
  FieldErrors errors;
  json changes = validate_input(e, input, replace, errors);
  json record = before;
  for (auto it = changes.begin(); it != changes.end(); ++it) record[it.key()] = it.value();
  if (e.access == Access::Owned) apply_owner(c, actor, record, &before, errors);
  check_references(c, actor, e, changes, errors);
  WriteContext ctx{c, actor, e, &before, input};
  apply_entity_rules(ctx, record, errors);
  check_required(e, record, errors);
  errors.throw_if_any();

  json diff = json::object(), audit = json::object();
  for (const auto& f : e.fields) {
    if (is_bookkeeping(f.name)) continue;
    json old_v = before.value(f.name, json()), new_v = record.value(f.name, json());
    if (old_v != new_v) {
      diff[f.name] = new_v;
      audit[f.name] = json::array({old_v, new_v});
    }
  }
  bool nested_change = ctx.scratch.value("nested_changed", false);
  if (diff.empty() && !nested_change) {
    expand_record(c, e, before);
    return before;  // nothing changed: no new version, no audit entry
  }
  diff["updated_at"] = clock::now_utc();
  diff["updated_by"] = user_id_or_null(actor);
  if (!RecordStore::update(c, e, id, version, diff))
    throw Problem(ProblemKind::PreconditionFailed,
                  tr("{entity} {id} was changed by someone else meanwhile: reload it",
                     {{"entity", singular_label(e)}, {"id", std::to_string(id)}}));
  json stored = *RecordStore::find(c, e, id, store::Scope{});
  after_entity_write(ctx, stored);
  if (nested_change)
    for (const auto& n : e.nested)
      if (input.contains(n)) audit[n] = "replaced";
  store::HistoryStore::append_audit(c, actor.user_id, e.name, id, "update", audit);
  expand_record(c, e, stored);
  return stored;
}

void RecordService::remove(const Actor& actor, const Entity& e, int64_t id, std::optional<int64_t> expected_version) {
  store::with_transaction(db_, true, [&](Connection& c) {
    json before = load_visible(c, actor, e, id);
    if (!can_delete(actor, e, before))
      throw Problem(ProblemKind::Forbidden, tr("your role ({role}) cannot delete this {entity}",
                                               {{"role", role_label(actor.role)}, {"entity", singular_label(e)}}));
    if (expected_version && *expected_version != before["version"].get<int64_t>())
      throw Problem(ProblemKind::PreconditionFailed,
                    tr("{entity} {id} was changed by someone else: reload it before deleting",
                       {{"entity", singular_label(e)}, {"id", std::to_string(id)}}));
    refuse_delete_with_history(c, e, id);
    expand_record(c, e, before);
    RecordStore::remove(c, e, id);
    if (e.searchable) RecordStore::delete_search(c, e, id);
    store::HistoryStore::append_audit(c, actor.user_id, e.name, id, "delete", without_bookkeeping(before));
  });
}

store::ListQuery RecordService::list_query(const Actor& actor, const Entity& e, const ListRequest& req, bool& want_count) {
  store::ListQuery q;
  want_count = false;
  std::string sort = e.default_sort;
  std::string archived = "exclude";  // purge: archived records are out of sight unless asked for
  for (const auto& [key, raw] : req.params) {
    if (key == "limit") {
      q.limit = parse_int_param("limit", raw, 1, 500);
    } else if (key == "cursor") {
      auto decoded = crypto::base64url_decode(raw);
      json c = decoded ? json::parse(*decoded, nullptr, false) : json();
      if (!c.is_array() || c.size() != 2 || !c[1].is_number_integer())
        throw Problem(ProblemKind::BadRequest, "cursor is not one this server gave out",
                      {{"cursor", "use the next_cursor of the previous page"}});
      q.has_cursor = true;
      q.after_value = c[0];
      q.after_id = c[1].get<int64_t>();
    } else if (key == "sort") {
      sort = raw;
    } else if (key == "count") {
      want_count = raw == "true" || raw == "1";
    } else if (key == "q") {
      if (!e.searchable)
        throw Problem(ProblemKind::BadRequest, tr("{entity} cannot be searched with q; use filters", {{"entity", entity_label(e)}}),
                      {{"q", tr("not available for {entity}", {{"entity", entity_label(e)}})}});
      q.search = parse_search_query(raw);
      if (q.search.empty() && !raw.empty()) q.search = {{"\x01"}};  // nothing searchable: match nothing
    } else if (key == "archived" && e.field("archived_at")) {
      if (raw != "exclude" && raw != "include" && raw != "only")
        throw Problem(ProblemKind::BadRequest, "archived must be exclude, include or only",
                      {{"archived", "use exclude (default), include or only"}});
      archived = raw;
    } else if (auto lf = std::find_if(e.filters.begin(), e.filters.end(), [&](const kernel::ListFilter& x) { return x.name == key; });
               lf != e.filters.end()) {
      auto conds = lf->conditions_in ? store::with_transaction(db_, false, [&](store::Connection& c) { return lf->conditions_in(c, raw); })
                                     : lf->conditions(raw);
      for (auto& cond : conds) q.conditions.push_back(std::move(cond));
    } else {
      std::string name = key, op = "=";
      auto ends = [&](const std::string& suffix) {
        return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
      };
      if (ends("_before")) { name.resize(name.size() - 7); op = "<"; }
      else if (ends("_after")) { name.resize(name.size() - 6); op = ">="; }
      const Field* f = e.field(name);
      bool range_ok = f && (f->kind == FieldKind::DateTime || f->kind == FieldKind::Date ||
                            f->kind == FieldKind::Money || f->kind == FieldKind::Integer);
      if (!f || !(f->filterable || f->sortable) || (op != "=" && !range_ok) || (op == "=" && !f->filterable)) {
        std::string allowed = "limit, cursor, sort, count";
        if (e.searchable) allowed += ", q";
        for (const auto& fl : e.fields)
          if (fl.filterable) allowed += ", " + fl.name;
        throw Problem(ProblemKind::BadRequest,
                      tr("unknown query parameter '{name}' for {entity}", {{"name", key}, {"entity", entity_label(e)}}),
                      {{key, tr("unknown parameter; use one of: {names} (and <date field>_before/_after)", {{"names", allowed}})}});
      }
      if (raw == "null" && op == "=") q.conditions.push_back({name, "is null", nullptr});
      else q.conditions.push_back({name, op, parse_filter_value(actor, *f, key, raw)});
    }
  }
  if (e.field("archived_at")) {
    bool filtered = false;  // an explicit archived_at filter says what is wanted
    for (const auto& cnd : q.conditions) filtered |= cnd.column == "archived_at";
    if (archived == "only") q.conditions.push_back({"archived_at", "is not null", nullptr});
    else if (archived == "exclude" && !filtered) q.conditions.push_back({"archived_at", "is null", nullptr});
  }
  // Search results come newest first unless a sort is asked for: the index yields them in id order.
  if (!q.search.empty() && !req.params.count("sort")) sort = "-id";
  q.descending = !sort.empty() && sort[0] == '-';
  q.sort_column = q.descending ? sort.substr(1) : sort;
  const Field* sf = e.field(q.sort_column);
  if (!sf || !sf->sortable) {
    std::string allowed;
    for (const auto& fl : e.fields)
      if (fl.sortable) allowed += (allowed.empty() ? "" : ", ") + fl.name;
    throw Problem(ProblemKind::BadRequest,
                  tr("cannot sort {entity} by '{column}'", {{"entity", entity_label(e)}, {"column", q.sort_column}}),
                  {{"sort", tr("use one of: {names} (prefix - for descending)", {{"names", allowed}})}});
  }
  // A cursor's value is compared with the sort column in SQL: it must have the column's type
  // (PostgreSQL rejects comparing an integer column with text; SQLite would quietly compare).
  const json& after = q.after_value;
  const bool fits = after.is_null() ||
                    (sf->kind == FieldKind::Integer || sf->kind == FieldKind::Money || sf->kind == FieldKind::Reference
                         ? after.is_number_integer()
                         : sf->kind == FieldKind::Boolean ? after.is_boolean() : after.is_string());
  if (q.has_cursor && !fits)
    throw Problem(ProblemKind::BadRequest, "cursor is not one this server gave out",
                  {{"cursor", "use the next_cursor of the previous page"}});
  return q;
}

ListResult RecordService::list(const Actor& actor, const Entity& e, const ListRequest& req) {
  bool want_count = false;
  store::ListQuery q = list_query(actor, e, req, want_count);
  int limit = q.limit;
  q.limit = limit + 1;  // one more tells whether there is a next page
  require_read(actor, e);
  auto scope = read_scope(actor, e);
  return store::with_transaction(db_, false, [&](Connection& c) {
    ListResult r;
    r.data = RecordStore::list(c, e, q, scope);
    if (int(r.data.size()) > limit) {
      r.data.resize(size_t(limit));
      const json& last = r.data.back();
      r.next_cursor = encode_cursor(last.value(q.sort_column, json()), last["id"].get<int64_t>());
    }
    if (want_count) r.total = RecordStore::count(c, e, q, scope);
    return r;
  });
}

std::string RecordService::list_json(const Actor& actor, const Entity& e, const ListRequest& req) {
  bool want_count = false;
  store::ListQuery q = list_query(actor, e, req, want_count);
  const int limit = q.limit;
  q.limit = limit + 1;  // one more tells whether there is a next page
  require_read(actor, e);
  auto scope = read_scope(actor, e);
  return store::with_transaction(db_, false, [&](Connection& c) {
    // The keys in the order a JSON object of them prints in (data, names, next_cursor, total);
    // the rows written after the answer's opening, the rest appended (no copy of the page).
    store::JsonPage page = RecordStore::list_json(c, e, q, scope, limit, "{\"data\":[");
    std::string body = std::move(page.rows);
    body += "],\"names\":";
    append_reference_names(c, actor, page.references, body);
    body += ",\"next_cursor\":";
    body += page.more ? json(encode_cursor(page.last_sort_value, page.last_id)).dump() : "null";
    if (want_count) body += ",\"total\":" + std::to_string(RecordStore::count(c, e, q, scope));
    body += '}';
    return body;
  });
}

std::vector<json> RecordService::audit_trail(const Actor& actor, const Entity& e, int64_t id) {
  return store::with_transaction(db_, false, [&](Connection& c) {
    load_visible(c, actor, e, id);
    return store::HistoryStore::audit_trail(c, e.name, id, 200);
  });
}

ListResult RecordService::audit_page(const Actor& actor, const Entity& e, int64_t id,
                                     const std::map<std::string, std::string>& params) {
  int limit = 50;
  int64_t before = 0;
  for (const auto& [key, raw] : params) {
    if (key == "limit") {
      limit = parse_int_param("limit", raw, 1, 500);
    } else if (key == "cursor") {
      auto decoded = crypto::base64url_decode(raw);
      json c = decoded ? json::parse(*decoded, nullptr, false) : json();
      if (!c.is_array() || c.size() != 2 || c[0] != "audit" || !c[1].is_number_integer() || c[1].get<int64_t>() <= 0)
        throw Problem(ProblemKind::BadRequest, "cursor is not one this server gave out",
                      {{"cursor", "use the next_cursor of the previous page"}});
      before = c[1].get<int64_t>();
    } else {
      throw Problem(ProblemKind::BadRequest, tr("unknown query parameter '{name}'", {{"name", key.substr(0, 40)}}),
                    {{key.substr(0, 60), "unknown parameter; use limit or cursor"}});
    }
  }
  return store::with_transaction(db_, false, [&](Connection& c) {
    load_visible(c, actor, e, id);
    ListResult r;
    r.data = store::HistoryStore::audit_trail(c, e.name, id, limit + 1, before);  // one more: is there a next page
    if (int(r.data.size()) > limit) {
      r.data.resize(size_t(limit));
      r.next_cursor = crypto::base64url_encode(json::array({"audit", r.data.back()["id"].get<int64_t>()}).dump());
    }
    return r;
  });
}

std::vector<json> RecordService::stage_history(const Actor& actor, const Entity& e, int64_t id) {
  return store::with_transaction(db_, false, [&](Connection& c) {
    load_visible(c, actor, e, id);
    return store::HistoryStore::stage_history(c, e.name, id);
  });
}

void RecordService::share(const Actor& actor, const Entity& e, int64_t id, int64_t user_id) {
  if (e.access != Access::Owned)
    throw Problem(ProblemKind::BadRequest, tr("{entity} are not shared record by record", {{"entity", entity_label(e)}}));
  store::with_transaction(db_, true, [&](Connection& c) {
    json rec = load_visible(c, actor, e, id);
    if (!can_write(actor, e))
      throw Problem(ProblemKind::Forbidden,
                    tr("your role ({role}) cannot share {entity}", {{"role", role_label(actor.role)}, {"entity", entity_label(e)}}));
    if (!store::UserStore::brief(c, user_id))
      throw Problem(ProblemKind::Unprocessable, tr("user {id} does not exist", {{"id", std::to_string(user_id)}}),
                    {{"user_id", "no such user"}});
    store::HistoryStore::add_share(c, e.name, id, user_id);
    store::HistoryStore::append_audit(c, actor.user_id, e.name, id, "share", {{"user_id", user_id}});
  });
}

}  // namespace gz::domain
