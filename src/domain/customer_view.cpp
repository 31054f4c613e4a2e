#include "domain/customer_view.h"

#include "kernel/module.h"
#include "store/history_store.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace gz::domain {

using store::Connection;
using store::ListQuery;
using store::RecordStore;

std::vector<json> View360::related(const std::string& entity_name, const std::string& sort, int limit,
                                   const std::string& by_column, bool open_only) const {
  const Entity& e = kernel::entity(entity_name);
  if (!can_read(actor, e)) return {};
  ListQuery q;
  q.conditions.push_back({by_column.empty() ? column : by_column, "=", id});
  if (open_only) q.conditions.push_back({"status", "=", "open"});
  if (e.field("archived_at")) q.conditions.push_back({"archived_at", "is null", nullptr});  // purged: out of sight
  q.descending = sort[0] == '-';
  q.sort_column = q.descending ? sort.substr(1) : sort;
  q.limit = limit;
  return RecordStore::list(conn, e, q, read_scope(actor, e));
}

// As a lookup field shows a record one cannot open: the view tells nothing of it beyond what
// the link itself says.
std::optional<json> View360::linked(const Entity& e, int64_t linked_id, bool& restricted) const {
  restricted = false;
  if (auto r = RecordStore::find(conn, e, linked_id, read_scope(actor, e))) return r;
  auto r = RecordStore::find(conn, e, linked_id, store::Scope{});
  if (!r) return std::nullopt;
  restricted = true;
  return json{{"id", (*r)["id"]}, {"name", (*r)["name"]}, {"restricted", true}};
}

std::optional<json> CustomerViewService::view_360(const Actor& actor, const Entity& e, int64_t id) {
  require_read(actor, e);
  auto out = store::with_transaction(db_, false, [&](Connection& c) -> std::optional<json> {
    auto record = RecordStore::find(c, e, id, read_scope(actor, e));
    if (!record) return std::nullopt;
    json out;
    out[e.singular] = *record;
    // What the kernel knows of every owned record: its owner, and its dated stages.
    out["owner"] = nullptr;
    if (record->value("owner_id", json()).is_number_integer())
      if (auto u = store::UserStore::brief(c, (*record)["owner_id"].get<int64_t>()))
        out["owner"] = json{{"id", (*u)["id"]}, {"name", (*u)["name"]}, {"email", (*u)["email"]}};
    if (e.stage_history) out["stage_history"] = store::HistoryStore::stage_history(c, e.name, id);
    View360 v{c, actor, e, e.singular + "_id", id, *record, out};
    for (const kernel::Module* m : kernel::modules())
      if (m->view360) m->view360(v);
    return out;
  });
  // Then what is read outside the record's transaction (the value card: the analytics run their own).
  if (out)
    for (const kernel::Module* m : kernel::modules())
      if (m->view360_after) m->view360_after(db_, e, id, *out);
  return out;
}

}  // namespace gz::domain
