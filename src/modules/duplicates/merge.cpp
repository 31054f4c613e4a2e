#include "modules/duplicates/merge.h"

#include <algorithm>
#include <set>

#include "core/clock.h"
#include "core/problem.h"
#include "domain/entity_rules.h"
#include "domain/field_values.h"
#include "store/history_store.h"
#include "modules/duplicates/merge_store.h"
#include "store/record_store.h"
#include "modules/customers/customer_store.h"
#include "store/user_store.h"

namespace gz::domain {

using store::Connection;
using store::MergeStore;
using store::RecordStore;

namespace {

const std::vector<std::string> kRules = {"survivor", "most_recent", "most_complete"};

// The fields a merge chooses: what a user may write, except the external id (the survivor keeps
// its own; the absorbed ones become aliases).
bool chosen_by_merge(const Field& f) { return !f.server_set && f.name != "external_id"; }

bool empty_value(const json& v) {
  return v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()) ||
         (v.is_object() && v.empty());
}

bool is_list(FieldKind k) { return k == FieldKind::EmailList || k == FieldKind::PhoneList || k == FieldKind::TagList; }

// Indexes of records, most recently updated first (ties: the order given, survivor first).
std::vector<size_t> by_recency(const std::vector<json>& recs) {
  std::vector<size_t> order(recs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return recs[a].value("updated_at", std::string()) > recs[b].value("updated_at", std::string());
  });
  return order;
}

json most_recent(const Field& f, const std::vector<json>& recs) {
  for (size_t i : by_recency(recs)) {
    json v = recs[i].value(f.name, json());
    if (!empty_value(v)) return v;
  }
  return recs[0].value(f.name, json());
}

// The fullest value: lists united (survivor's first), objects united key by key (each key from
// the most recent record that has it), text the longest, anything else the survivor's unless
// empty.
json most_complete(const Field& f, const std::vector<json>& recs) {
  if (is_list(f.kind)) {
    json out = json::array();
    for (const auto& r : recs)
      for (const auto& v : r.value(f.name, json::array()))
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    return out.empty() ? recs[0].value(f.name, json()) : out;
  }
  if (f.kind == FieldKind::Object) {
    json out = json::object();
    auto order = by_recency(recs);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {  // oldest first, newer keys overwrite
      json v = recs[*it].value(f.name, json());
      if (v.is_object())
        for (auto kv = v.begin(); kv != v.end(); ++kv) out[kv.key()] = kv.value();
    }
    return out.empty() ? recs[0].value(f.name, json()) : out;
  }
  if (f.kind == FieldKind::Text || f.kind == FieldKind::LongText || f.kind == FieldKind::Url) {
    json best = recs[0].value(f.name, json());
    for (const auto& r : recs) {
      json v = r.value(f.name, json());
      if (v.is_string() && (!best.is_string() || v.get<std::string>().size() > best.get<std::string>().size())) best = v;
    }
    return best;
  }
  for (const auto& r : recs)
    if (!empty_value(r.value(f.name, json()))) return r[f.name];
  return recs[0].value(f.name, json());
}

json choose(const Field& f, const json& rule, const std::vector<json>& recs) {
  if (rule.is_number_integer()) {
    for (const auto& r : recs)
      if (r["id"] == rule) return r.value(f.name, json());
  }
  if (rule == "most_recent") return most_recent(f, recs);
  if (rule == "most_complete") return most_complete(f, recs);
  return recs[0].value(f.name, json());
}

// Rows that refer to a record of e: every reference field of the schema aimed at e.
std::vector<std::pair<std::string, std::string>> links_to(const Entity& e) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& x : entities())
    for (const auto& f : x.fields)
      if (f.kind == FieldKind::Reference && f.references == e.name && !f.server_set) out.emplace_back(x.name, f.name);
  return out;
}

// Link tables that tie records of other entities to records of e (customer_links: an e-mail's
// several contacts): the owning entity's table, the link table, its two columns.
struct CustomerLinkTo { std::string owner, table, record_column, customer_column; };
std::vector<CustomerLinkTo> customer_links_to(const Entity& e) {
  std::vector<CustomerLinkTo> out;
  for (const auto& x : entities())
    for (const auto& l : x.customer_links)
      if (l.customer_entity == e.name) out.push_back({x.name, l.table, l.record_column, l.customer_column});
  return out;
}

// Trails kept by (entity, record id) outside the schema: table, entity column, id column.
struct Trail { const char* table; const char* entity_column; const char* id_column; };
const std::vector<Trail> kTrails = {{"stage_history", "entity", "record_id"},
                                    {"notifications", "related_entity", "related_id"}};

void reindex(Connection& c, const Entity& e, int64_t id) {
  auto rec = RecordStore::find(c, e, id, store::Scope{});
  if (!rec) return;
  if (auto body = search_body(c, e, *rec)) RecordStore::write_search(c, e, id, *body);
}

// People whose company changed with a merge of accounts are found by the new company's name.
void reindex_moved_contacts(Connection& c, const json& moves) {
  for (const auto& m : moves)
    if (m["table"] == "contacts" && m["column"] == "account_id")
      for (const auto& id : m["ids"]) reindex(c, entity("contacts"), id.get<int64_t>());
}

json load_for_merge(Connection& c, const Actor& actor, const Entity& e, int64_t id, const std::string& field) {
  auto rec = RecordStore::find(c, e, id, read_scope(actor, e));
  if (!rec)
    throw Problem(ProblemKind::NotFound,
                  tr("{entity} {id} does not exist or is not visible to you", {{"entity", singular_label(e)}, {"id", std::to_string(id)}}),
                  {{field, tr("{entity} {id} does not exist or is not visible to you",
                              {{"entity", singular_label(e)}, {"id", std::to_string(id)}})}});
  return *rec;
}

void require_write(const Actor& actor, const Entity& e) {
  if (!mergeable(e))
    throw Problem(ProblemKind::NotFound, tr("{entity} cannot be merged; merge {entities}",
                                            {{"entity", entity_label(e)}, {"entities", kernel::names_with(&Entity::mergeable)}}));
  if (!can_write(actor, e))
    throw Problem(ProblemKind::Forbidden,
                  tr("your role ({role}) cannot merge {entity}", {{"role", role_label(actor.role)}, {"entity", entity_label(e)}}));
}

}  // namespace

bool mergeable(const Entity& e) { return e.mergeable; }

MergeRequest MergeRequest::from_json(const Entity& e, const json& body) {
  if (!body.is_object())
    throw Problem(ProblemKind::BadRequest, "the body must be {\"survivor_id\": …, \"absorbed_ids\": [...], \"fields\": {...}}");
  MergeRequest r;
  FieldErrors errors;
  const json& s = body.value("survivor_id", json());
  if (s.is_number_integer() && s.get<int64_t>() > 0) r.survivor_id = s.get<int64_t>();
  else errors.add("survivor_id", tr("is required: the id of the {entity} record that stays", {{"entity", singular_label(e)}}));
  const json& a = body.value("absorbed_ids", json());
  if (!a.is_array() || a.empty()) {
    errors.add("absorbed_ids", tr("is required: a list of the ids of the {entity} records merged into the survivor",
                                     {{"entity", singular_label(e)}}));
  } else if (a.size() > 50) {
    errors.add("absorbed_ids", "at most 50 records are merged at once");
  } else {
    for (size_t i = 0; i < a.size(); ++i) {
      std::string at = "absorbed_ids[" + std::to_string(i) + "]";
      if (!a[i].is_number_integer() || a[i].get<int64_t>() <= 0) { errors.add(at, "must be a record id"); continue; }
      int64_t id = a[i].get<int64_t>();
      if (id == r.survivor_id) errors.add(at, "is the survivor: a record cannot be merged with itself");
      else if (std::find(r.absorbed_ids.begin(), r.absorbed_ids.end(), id) != r.absorbed_ids.end())
        errors.add(at, tr("{id} is given twice", {{"id", std::to_string(id)}}));
      else r.absorbed_ids.push_back(id);
    }
  }
  const json& d = body.value("default_rule", json());
  if (d.is_string() && std::find(kRules.begin(), kRules.end(), d.get<std::string>()) != kRules.end()) r.default_rule = d.get<std::string>();
  else if (!d.is_null()) errors.add("default_rule", "must be survivor, most_recent or most_complete");
  const json& f = body.value("fields", json());
  if (f.is_object()) {
    for (auto it = f.begin(); it != f.end(); ++it) {
      std::string at = "fields." + it.key();
      const Field* field = e.field(it.key());
      if (!field || !chosen_by_merge(*field)) {
        errors.add(at, tr("is not a field a merge chooses for {entity}", {{"entity", entity_label(e)}}));
        continue;
      }
      const json& v = it.value();
      bool rule = v.is_string() && std::find(kRules.begin(), kRules.end(), v.get<std::string>()) != kRules.end();
      bool record = v.is_number_integer() &&
                    (v.get<int64_t>() == r.survivor_id ||
                     std::find(r.absorbed_ids.begin(), r.absorbed_ids.end(), v.get<int64_t>()) != r.absorbed_ids.end());
      if (rule || record) r.fields[it.key()] = v;
      else
        errors.add(at, tr("must be survivor, most_recent, most_complete or the id of one of the merged records, not {value}",
                          {{"value", v.dump()}}));
    }
  } else if (!f.is_null()) {
    errors.add("fields", "must be an object: field name -> rule or record id");
  }
  errors.throw_if_any(ProblemKind::BadRequest);
  return r;
}

json MergeService::merge(const Actor& actor, const Entity& e, const MergeRequest& r) {
  require_write(actor, e);
  return store::with_transaction(db_, true, [&](Connection& c) {
    // Everything involved must be visible (and so, for roles that write, editable) to the actor.
    std::vector<json> recs{load_for_merge(c, actor, e, r.survivor_id, "survivor_id")};
    for (size_t i = 0; i < r.absorbed_ids.size(); ++i)
      recs.push_back(load_for_merge(c, actor, e, r.absorbed_ids[i], "absorbed_ids[" + std::to_string(i) + "]"));
    std::set<int64_t> involved{r.survivor_id};
    involved.insert(r.absorbed_ids.begin(), r.absorbed_ids.end());

    // The survivor's new values.
    const json& survivor = recs[0];
    json changes = json::object(), changed = json::object();
    for (const auto& f : e.fields) {
      if (!chosen_by_merge(f)) continue;
      auto rule = r.fields.count(f.name) ? r.fields.at(f.name) : json(r.default_rule);
      json v = choose(f, rule, recs);
      // A reference to a merged record (a referral between two duplicates) would point to itself.
      if (f.kind == FieldKind::Reference && f.references == e.name && v.is_number_integer() &&
          involved.count(v.get<int64_t>()))
        v = nullptr;
      if (v != survivor.value(f.name, json())) {
        changes[f.name] = v;
        changed[f.name] = json::array({survivor.value(f.name, json()), v});
      }
    }

    const std::string now = clock::now_utc();
    json rules = {{"default_rule", r.default_rule}, {"fields", r.fields}};
    int64_t merge_id = MergeStore::insert_merge(c, e.name, r.survivor_id, r.absorbed_ids, rules, json::object(),
                                                actor.user_id, now);
    json journal = {{"absorbed", json::array()}, {"moves", json::array()}, {"links_moved", json::array()}, {"shares_removed", json::array()},
                    {"shares_added", json::array()}, {"changed", changed}};
    json moved_counts = json::object();
    auto note_move = [&](const std::string& table, const std::string& column, int64_t from, std::vector<int64_t> ids) {
      if (ids.empty()) return;
      MergeStore::repoint(c, table, column, ids, from, r.survivor_id);
      journal["moves"].push_back({{"table", table}, {"column", column}, {"from", from}, {"ids", ids}});
      moved_counts[table + "." + column] = moved_counts.value(table + "." + column, 0) + int64_t(ids.size());
    };
    for (int64_t a : r.absorbed_ids) {
      journal["absorbed"].push_back(*MergeStore::raw_row(c, e.name, a));
      for (const auto& [table, column] : links_to(e)) {
        auto ids = MergeStore::ids_pointing_to(c, table, column, a);
        if (table == e.name)  // the merged records' own references are chosen above
          std::erase_if(ids, [&](int64_t id) { return involved.count(id) > 0; });
        note_move(table, column, a, ids);
      }
      for (const auto& t : kTrails) note_move(t.table, t.id_column, a, MergeStore::trail_ids(c, t.table, t.entity_column, t.id_column, e.name, a));
      // Link rows (an e-mail's several contacts): the survivor takes the absorbed record's.
      for (const auto& [owner, link_table, record_column, customer_column] : customer_links_to(e))
        for (const auto& row : c.query("SELECT " + record_column + " AS rec FROM " + link_table + " WHERE " +
                                           customer_column + " = ?", {a})) {
          const int64_t rec = row["rec"].get<int64_t>();
          const bool had = !c.query("SELECT 1 FROM " + link_table + " WHERE " + record_column + " = ? AND " +
                                        customer_column + " = ?", {rec, r.survivor_id}).empty();
          if (!had)
            c.execute("INSERT INTO " + link_table + " (" + record_column + ", " + customer_column + ") VALUES (?, ?)",
                      {rec, r.survivor_id});
          journal["links_moved"].push_back({{"owner", owner}, {"table", link_table}, {"record_column", record_column},
                                            {"customer_column", customer_column}, {"record", rec}, {"from", a},
                                            {"added", !had}});
        }
      for (const auto& s : MergeStore::shares(c, e.name, a)) {
        int64_t user = s["user_id"].get<int64_t>();
        journal["shares_removed"].push_back({{"record_id", a}, {"user_id", user}, {"created_at", s["created_at"]}});
        MergeStore::delete_share(c, e.name, a, user);
        if (MergeStore::insert_share(c, e.name, r.survivor_id, user, s["created_at"]))
          journal["shares_added"].push_back(user);
      }
    }
    // The absorbed rows go; their ids and external ids stay as aliases of the survivor.
    for (size_t i = 0; i < r.absorbed_ids.size(); ++i) {
      int64_t a = r.absorbed_ids[i];
      MergeStore::delete_row(c, e.name, a);
      if (e.searchable) RecordStore::delete_search(c, e, a);
      MergeStore::add_alias(c, e.name, a, journal["absorbed"][i].value("external_id", json()), r.survivor_id, merge_id);
      store::HistoryStore::append_audit(c, actor.user_id, e.name, a, "merge",
                                        {{"merge_id", merge_id}, {"merged_into", r.survivor_id}});
    }
    // The stage change the update may date is the merge's: undo removes it with the values.
    auto stages_before = MergeStore::trail_ids(c, "stage_history", "entity", "record_id", e.name, r.survivor_id);
    json record = records_.update_in(c, actor, e, r.survivor_id, changes, std::nullopt, false);
    json stages_added = json::array();
    for (int64_t id : MergeStore::trail_ids(c, "stage_history", "entity", "record_id", e.name, r.survivor_id))
      if (std::find(stages_before.begin(), stages_before.end(), id) == stages_before.end()) stages_added.push_back(id);
    journal["stages_added"] = stages_added;
    reindex_moved_contacts(c, journal["moves"]);
    journal["survivor_version"] = record["version"];
    MergeStore::update_journal(c, merge_id, journal);
    store::HistoryStore::append_audit(c, actor.user_id, e.name, r.survivor_id, "merge",
                                      {{"merge_id", merge_id}, {"absorbed_ids", r.absorbed_ids}, {"moved", moved_counts}});
    return json{{"merge_id", merge_id}, {"record", record}, {"moved", moved_counts}};
  });
}

json MergeService::undo(const Actor& actor, int64_t merge_id) {
  return store::with_transaction(db_, true, [&](Connection& c) {
    auto m = MergeStore::merge(c, merge_id);
    if (!m) throw Problem(ProblemKind::NotFound, tr("merge {id} does not exist", {{"id", std::to_string(merge_id)}}));
    const Entity& e = entity((*m)["entity"].get<std::string>());
    require_write(actor, e);
    const int64_t survivor_id = (*m)["survivor_id"].get<int64_t>();
    if (!(*m)["undone_at"].is_null())
      throw Problem(ProblemKind::Conflict, tr("merge {id} was already undone on {date}",
                                              {{"id", std::to_string(merge_id)}, {"date", (*m)["undone_at"].get<std::string>()}}));
    if (!MergeStore::raw_row(c, e.name, survivor_id)) {
      if (auto later = MergeStore::absorbing_merge(c, e.name, survivor_id))
        throw Problem(ProblemKind::Conflict, tr("{entity} {id} was merged again since (merge {merge}): undo merge {merge} first",
                                                {{"entity", singular_label(e)}, {"id", std::to_string(survivor_id)},
                                                 {"merge", std::to_string(*later)}}));
      throw Problem(ProblemKind::Conflict,
                    tr("{entity} {id}, which kept the merged records, was deleted since: nothing to undo into",
                       {{"entity", singular_label(e)}, {"id", std::to_string(survivor_id)}}));
    }
    load_for_merge(c, actor, e, survivor_id, "survivor_id");
    const json& journal = (*m)["journal"];

    // The absorbed rows come back as they were stored, with a new version (a copy held by a
    // client is stale).
    json restored = json::array();
    for (json row : journal["absorbed"]) {
      int64_t id = row["id"].get<int64_t>();
      if (MergeStore::raw_row(c, e.name, id))
        throw Problem(ProblemKind::Conflict,
                      tr("id {id} is in use again; the merge cannot be undone", {{"id", std::to_string(id)}}));
      row["version"] = row["version"].get<int64_t>() + 1;
      MergeStore::insert_raw_row(c, e.name, row);
      restored.push_back(id);
    }
    MergeStore::remove_aliases(c, merge_id);
    // Moved rows go back, those still on the survivor (a row deleted or reassigned since stays).
    json moved_back = json::object();
    for (const auto& mv : journal["moves"]) {
      std::string key = mv["table"].get<std::string>() + "." + mv["column"].get<std::string>();
      int64_t n = MergeStore::repoint(c, mv["table"], mv["column"], mv["ids"].get<std::vector<int64_t>>(), survivor_id,
                                      mv["from"].get<int64_t>());
      moved_back[key] = moved_back.value(key, 0) + n;
    }
    for (const auto& l : journal.value("links_moved", json::array())) {
      const std::string owner = l["owner"], t = l["table"], rc = l["record_column"], cc = l["customer_column"];
      if (l["added"].get<bool>())
        c.execute("DELETE FROM " + t + " WHERE " + rc + " = ? AND " + cc + " = ?", {l["record"], survivor_id});
      if (c.query("SELECT 1 FROM " + t + " WHERE " + rc + " = ? AND " + cc + " = ?", {l["record"], l["from"]}).empty() &&
          !c.query("SELECT 1 FROM " + owner + " WHERE id = ?", {l["record"]}).empty())
        c.execute("INSERT INTO " + t + " (" + rc + ", " + cc + ") VALUES (?, ?)", {l["record"], l["from"]});
    }
    for (const auto& u : journal["shares_added"]) MergeStore::delete_share(c, e.name, survivor_id, u.get<int64_t>());
    for (const auto& s : journal["shares_removed"])
      MergeStore::insert_share(c, e.name, s["record_id"].get<int64_t>(), s["user_id"].get<int64_t>(), s["created_at"]);
    for (const auto& id : restored) {
      // Restored records must be ones the actor may see, as they were when merged.
      load_for_merge(c, actor, e, id.get<int64_t>(), "merge");
      if (e.searchable) reindex(c, e, id.get<int64_t>());
      store::HistoryStore::append_audit(c, actor.user_id, e.name, id.get<int64_t>(), "unmerge", {{"merge_id", merge_id}});
    }
    // The survivor's previous values, for each field still as the merge left it; a field changed
    // since by someone keeps its newer value and is reported.
    // Written as stored before, without the entity's rules: a restoration is no business move
    // (a customer's stage may not go back to prospect, but the merge's choice may be undone).
    json current = load_for_merge(c, actor, e, survivor_id, "survivor_id");
    json back = json::object(), audit = json::object(), kept = json::array();
    for (auto it = journal["changed"].begin(); it != journal["changed"].end(); ++it) {
      if (current.value(it.key(), json()) == it.value()[1]) {
        back[it.key()] = it.value()[0];
        audit[it.key()] = json::array({it.value()[1], it.value()[0]});
      } else {
        kept.push_back(it.key());
      }
    }
    if (!back.empty()) {
      if (back.contains("owner_id")) {  // the team follows the owner, as on any write
        json team;
        if (back["owner_id"].is_number_integer())
          if (auto u = store::UserStore::brief(c, back["owner_id"].get<int64_t>())) team = (*u)["team_id"];
        back["team_id"] = team;
      }
      back["updated_at"] = clock::now_utc();
      back["updated_by"] = actor.user_id > 0 ? json(actor.user_id) : json();
      if (!RecordStore::update(c, e, survivor_id, current["version"].get<int64_t>(), back))
        throw Problem(ProblemKind::PreconditionFailed, tr("{entity} {id} was changed by someone else meanwhile: try again",
                                                          {{"entity", singular_label(e)}, {"id", std::to_string(survivor_id)}}));
      store::HistoryStore::append_audit(c, actor.user_id, e.name, survivor_id, "update", audit);
      if (audit.contains("lifecycle_stage"))
        MergeStore::delete_ids(c, "stage_history", journal.value("stages_added", json::array()).get<std::vector<int64_t>>());
    }
    if (e.searchable) reindex(c, e, survivor_id);
    if (e.name == "accounts" && audit.contains("name"))  // its people are found by its name
      for (int64_t cid : store::CustomerStore::contact_ids_of_account(c, survivor_id)) reindex(c, entity("contacts"), cid);
    reindex_moved_contacts(c, journal["moves"]);
    json record = *RecordStore::find(c, e, survivor_id, store::Scope{});
    expand_record(c, e, record);
    MergeStore::mark_undone(c, merge_id, actor.user_id, clock::now_utc());
    store::HistoryStore::append_audit(c, actor.user_id, e.name, survivor_id, "unmerge",
                                      {{"merge_id", merge_id}, {"restored_ids", restored}, {"kept", kept}});
    return json{{"merge_id", merge_id}, {"record", record}, {"restored_ids", restored}, {"moved_back", moved_back},
                {"kept", kept}};
  });
}

std::vector<json> MergeService::history(const Actor& actor, const std::string& entity_name, int64_t before_id, int limit) {
  return store::with_transaction(db_, false, [&](Connection& c) {
    std::vector<json> out;
    int64_t before = before_id;
    // Read in pages until `limit` visible merges are found (most users see most of them).
    for (int round = 0; round < 20 && int(out.size()) < limit; ++round) {
      auto rows = MergeStore::merges(c, entity_name, before, limit * 2);
      if (rows.empty()) break;
      for (auto& row : rows) {
        before = row["id"].get<int64_t>();
        const Entity* e = find_entity(row["entity"].get<std::string>());
        if (!e) continue;
        int64_t sid = row["survivor_id"].get<int64_t>();
        bool mine = row["user_id"].is_number_integer() && row["user_id"].get<int64_t>() == actor.user_id;
        std::optional<int64_t> where = sid;
        if (!RecordStore::exists(c, e->name, *where, read_scope(actor, *e)))
          if (auto now_in = MergeStore::resolve_alias(c, e->name, sid)) where = now_in;
        bool visible = RecordStore::exists(c, e->name, *where, read_scope(actor, *e));
        if (!mine && !visible) continue;
        row["survivor_now"] = *where;  // where the survivor lives now (itself, or a later survivor)
        if (int(out.size()) < limit) out.push_back(std::move(row));
      }
      if (int(rows.size()) < limit * 2) break;
    }
    return out;
  });
}

std::optional<json> MergeService::get(const Actor& actor, int64_t merge_id) {
  auto m = store::with_transaction(db_, false, [&](Connection& c) { return MergeStore::merge(c, merge_id); });
  if (!m) return std::nullopt;
  // Visible when the history would list it.
  for (const auto& h : history(actor, (*m)["entity"], merge_id + 1, 1))
    if (h["id"] == merge_id) return m;
  return std::nullopt;
}

json MergeService::compare(const Actor& actor, const Entity& e, const std::vector<int64_t>& ids) {
  if (!mergeable(e))
    throw Problem(ProblemKind::NotFound, tr("{entity} cannot be compared; compare {entities}",
                                            {{"entity", entity_label(e)}, {"entities", kernel::names_with(&Entity::mergeable)}}));
  if (ids.size() < 2 || ids.size() > 20)
    throw Problem(ProblemKind::BadRequest, "compare takes from 2 to 20 ids", {{"ids", "give from 2 to 20 ids, comma-separated"}});
  return store::with_transaction(db_, false, [&](Connection& c) {
    std::vector<json> recs;
    json links = json::array();
    for (size_t i = 0; i < ids.size(); ++i) {
      recs.push_back(load_for_merge(c, actor, e, ids[i], "ids[" + std::to_string(i) + "]"));
      // What would move with the record, so that the user sees which one holds the history.
      json counts = json::object();
      for (const auto& [table, column] : links_to(e)) {
        if (table == e.name) continue;  // referrals between people are not history
        auto n = MergeStore::ids_pointing_to(c, table, column, ids[i]).size();
        counts[table] = counts.value(table, 0) + int64_t(n);
      }
      links.push_back(counts);
    }
    json fields = json::array();
    for (const auto& f : e.fields) {
      if (!chosen_by_merge(f) && f.name != "external_id" && f.name != "updated_at" && f.name != "created_at") continue;
      json values = json::array();
      for (const auto& r : recs) values.push_back(r.value(f.name, json()));
      bool differs = false;
      for (const auto& v : values) differs |= v != values[0];
      json row = {{"name", f.name}, {"kind", kind_name(f.kind)}, {"values", values}, {"differs", differs},
                  {"choosable", chosen_by_merge(f)}};
      if (chosen_by_merge(f)) {
        row["most_recent"] = most_recent(f, recs);
        row["most_complete"] = most_complete(f, recs);
      }
      fields.push_back(row);
    }
    return json{{"entity", e.name}, {"ids", ids}, {"records", recs}, {"links", links}, {"fields", fields}};
  });
}

std::optional<int64_t> MergeService::resolve(const Entity& e, int64_t id) {
  if (!mergeable(e)) return std::nullopt;
  return store::with_transaction(db_, false, [&](Connection& c) { return MergeStore::resolve_alias(c, e.name, id); });
}

}  // namespace gz::domain
