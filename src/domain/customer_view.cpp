#include <algorithm>
#include "domain/customer_view.h"

#include <cstdint>
#include <ctime>

#include "kernel/module.h"
#include "store/history_store.h"
#include "store/record_json.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace gz::domain {

using store::Connection;
using store::ListQuery;
using store::RecordStore;

namespace {

ListQuery related_query(const std::string& column, int64_t id, const Entity& e, const std::string& sort, int limit,
                        const std::string& by_column, bool open_only) {
  ListQuery q;
  const std::string& by = by_column.empty() ? column : by_column;
  const bool linked = std::any_of(e.customer_links.begin(), e.customer_links.end(),
                                  [&](const kernel::Entity::CustomerLink& l) { return l.customer_column == by; });
  q.conditions.push_back({by, linked ? "linked" : "=", id});
  if (open_only) q.conditions.push_back({"status", "=", "open"});
  if (e.field("archived_at")) q.conditions.push_back({"archived_at", "is null", nullptr});  // purged: out of sight
  q.descending = sort[0] == '-';
  q.sort_column = q.descending ? sort.substr(1) : sort;
  q.limit = limit;
  return q;
}

// A placeholder no record can hold (control characters are refused in text fields), with a
// number of this process so that none is guessed either.
const std::string& placeholder_prefix() {
  static const std::string p = "\x01gz-view-" + std::to_string(reinterpret_cast<uintptr_t>(&p) ^ uintptr_t(std::time(nullptr))) + ":";
  return p;
}

// Which of the pending lists may hold a row, in one statement: whether any row of the list's
// table refers to the customer by the list's column, whatever its state or who may see it (a
// superset of the list). Most customers have no deal, quote, referral, reward, case or
// intervention: seven of a contact's lists, each a statement, mostly empty. A list of records
// linked through a table of links (interactions) is always read.
std::vector<bool> lists_that_may_hold(Connection& c, const std::vector<View360::PendingList>& lists) {
  std::vector<bool> may_hold(lists.size(), true);
  std::string sql;
  store::Params params;
  std::vector<size_t> asked;
  for (size_t i = 0; i < lists.size(); ++i) {
    const kernel::Condition& by = lists[i].query.conditions.front();  // related_query's first
    if (by.op != "=") continue;
    sql += std::string(sql.empty() ? "SELECT " : ", ") + "EXISTS (SELECT 1 FROM " + lists[i].entity->name + " WHERE " +
           by.column + " = ?) AS h" + std::to_string(asked.size());
    params.push_back(by.value);
    asked.push_back(i);
  }
  if (asked.size() < 2) return may_hold;  // one list: as cheap to read it
  const json row = c.query_one(sql, params);
  for (size_t k = 0; k < asked.size(); ++k) {
    const json& v = row["h" + std::to_string(k)];
    // A boolean on PostgreSQL, 0 or 1 on SQLite.
    may_hold[asked[k]] = v.is_boolean() ? v.get<bool>() : !(v.is_number_integer() && v.get<int64_t>() == 0);
  }
  return may_hold;
}

}  // namespace

std::vector<json> View360::related(const std::string& entity_name, const std::string& sort, int limit,
                                   const std::string& by_column, bool open_only) const {
  const Entity& e = kernel::entity(entity_name);
  if (!can_read(actor, e)) return {};
  return RecordStore::list(conn, e, related_query(column, id, e, sort, limit, by_column, open_only), read_scope(actor, e));
}

json View360::related_json(const std::string& entity_name, const std::string& sort, int limit, const std::string& by_column,
                           bool open_only) const {
  if (!texts) return related(entity_name, sort, limit, by_column, open_only);
  const Entity& e = kernel::entity(entity_name);
  if (!can_read(actor, e)) return json::array();
  ListQuery q = related_query(column, id, e, sort, limit, by_column, open_only);
  if (pending) {
    pending->push_back({&e, std::move(q), read_scope(actor, e), texts->size()});
    texts->emplace_back();  // written when the batch has run (build)
  } else {
    texts->push_back(RecordStore::list_json(conn, e, q, read_scope(actor, e), limit, "[").rows + "]");
  }
  return placeholder_prefix() + std::to_string(texts->size() - 1);
}

void View360::read(store::BatchStatement statement) const {
  if (batch) batch->push_back(std::move(statement));
  else store::read_rows(conn, statement.sql, statement.params, statement.fn);
}

void View360::related_each(const std::string& entity_name, const std::string& sort, int limit,
                           std::function<void(json)> fn, const std::string& by_column,
                           std::vector<std::string> columns) const {
  const Entity& e = kernel::entity(entity_name);
  if (!can_read(actor, e)) return;
  ListQuery q = related_query(column, id, e, sort, limit, by_column, false);
  q.columns = std::move(columns);
  store::BatchStatement st;
  st.sql = RecordStore::list_statement(conn, e, q, read_scope(actor, e), st.params);
  st.fn = [&e, fn = std::move(fn)](const store::RowView& row) { fn(RecordStore::to_record(e, store::row_object(row))); };
  read(std::move(st));
}

// As a lookup field shows a record one cannot open: the view tells nothing of it beyond what
// the link itself says.
void View360::linked(const Entity& e, int64_t linked_id, std::function<void(json, bool)> fn) const {
  read(RecordStore::find_statement(e, linked_id, read_scope(actor, e), [fn = std::move(fn)](json r, bool visible) {
    if (visible) fn(std::move(r), false);
    else fn(json{{"id", r["id"]}, {"name", r["name"]}, {"restricted", true}}, true);
  }));
}

std::optional<json> CustomerViewService::view_360(const Actor& actor, const Entity& e, int64_t id) {
  return build(actor, e, id, nullptr);
}

std::optional<std::string> CustomerViewService::view_360_text(const Actor& actor, const Entity& e, int64_t id) {
  std::vector<std::string> texts;
  auto view = build(actor, e, id, &texts);
  if (!view) return std::nullopt;
  std::string out = store::dump_json(*view);
  // Each placeholder, as dump() wrote it (quoted, \u0001 escaped), takes its list's text.
  const std::string quoted_prefix = "\"\\u0001" + placeholder_prefix().substr(1);
  std::string result;
  result.reserve(out.size() + 4096);
  size_t from = 0;
  for (size_t at; (at = out.find(quoted_prefix, from)) != std::string::npos;) {
    const size_t digits = at + quoted_prefix.size();
    const size_t end = out.find('"', digits);
    result.append(out, from, at - from);
    result += texts.at(std::stoul(out.substr(digits, end - digits)));
    from = end + 1;
  }
  result.append(out, from, std::string::npos);
  return result;
}

std::optional<json> CustomerViewService::build(const Actor& actor, const Entity& e, int64_t id, std::vector<std::string>* texts) {
  require_read(actor, e);
  auto out = store::with_transaction(db_, false, [&](Connection& c) -> std::optional<json> {
    auto record = RecordStore::find(c, e, id, read_scope(actor, e));
    if (!record) return std::nullopt;
    json out;
    // The record moves into the view and is read there by the modules' hooks (an object's
    // members stay where they are while other keys are added).
    const json& shown = out[e.singular] = std::move(*record);
    // What the kernel knows of every owned record: its owner, and its dated stages.
    // Everything below that depends only on the record is read in one batch (store::stream_batch:
    // one round trip on PostgreSQL), its callbacks writing into out.
    std::vector<store::BatchStatement> batch;
    out["owner"] = nullptr;
    if (shown.value("owner_id", json()).is_number_integer())
      batch.push_back(store::UserStore::brief_statement(shown["owner_id"].get<int64_t>(), [&out](json u) {
        out["owner"] = json{{"id", u["id"]}, {"name", u["name"]}, {"email", u["email"]}};
      }));
    if (e.stage_history) batch.push_back(store::HistoryStore::stage_history_statement(e.name, id, out["stage_history"]));
    std::vector<View360::PendingList> pending;
    View360 v{c, actor, e, e.singular + "_id", id, shown, out, texts, texts ? &pending : nullptr, &batch};
    for (const kernel::Module* m : kernel::modules())
      if (m->view360) m->view360(v);
    const std::vector<bool> may_hold = lists_that_may_hold(c, pending);
    for (size_t i = 0; i < pending.size(); ++i) {
      View360::PendingList& list = pending[i];
      if (!may_hold[i]) continue;
      store::BatchStatement st;
      st.sql = RecordStore::list_statement(c, *list.entity, list.query, list.scope, st.params);
      list.page = std::make_unique<store::JsonPageBuilder>(*list.entity, list.query, list.query.limit, "[");
      st.fn = [page = list.page.get()](const store::RowView& row) { page->add(row); };
      batch.push_back(std::move(st));
    }
    store::stream_batch(c, batch);
    for (auto& list : pending) (*texts)[list.text] = list.page ? list.page->finish().rows + "]" : "[]";
    return out;
  });
  // Then what is read outside the record's transaction (the value card: the analytics run their own).
  if (out)
    for (const kernel::Module* m : kernel::modules())
      if (m->view360_after) m->view360_after(db_, e, id, *out);
  return out;
}

}  // namespace gz::domain
