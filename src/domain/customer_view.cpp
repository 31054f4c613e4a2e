#include "domain/customer_view.h"

#include "domain/analytics_service.h"

#include "store/history_store.h"
#include "store/record_store.h"

namespace gz::domain {

using store::Connection;
using store::ListQuery;
using store::RecordStore;

namespace {

std::vector<json> related(Connection& c, const Actor& actor, const std::string& entity_name, const std::string& column,
                          int64_t id, const std::string& sort, int limit, bool open_only = false) {
  const Entity& e = entity(entity_name);
  ListQuery q;
  q.conditions.push_back({column, "=", id});
  if (open_only) q.conditions.push_back({"status", "=", "open"});
  if (e.field("archived_at")) q.conditions.push_back({"archived_at", "is null", nullptr});  // purged: out of sight
  q.descending = sort[0] == '-';
  q.sort_column = q.descending ? sort.substr(1) : sort;
  q.limit = limit;
  return RecordStore::list(c, e, q, read_scope(actor, e));
}

// What the contact and account views share: the owner, the dated stages, open follow-ups, the
// latest interactions and orders, and the value figures, for column = contact_id or account_id.
void add_relationship(Connection& c, const Actor& actor, json& out, const json& record, const std::string& entity_name,
                      const std::string& column, int64_t id) {
  out["owner"] = nullptr;
  if (record["owner_id"].is_number_integer())
    if (auto u = store::CustomerStore::user_brief(c, record["owner_id"].get<int64_t>()))
      out["owner"] = json{{"id", (*u)["id"]}, {"name", (*u)["name"]}, {"email", (*u)["email"]}};
  out["stage_history"] = store::HistoryStore::stage_history(c, entity_name, id);
  out["open_tasks"] = related(c, actor, "tasks", column, id, "due_at", 20, true);
  out["interactions"] = related(c, actor, "interactions", column, id, "-occurred_at", 20);
  out["orders"] = related(c, actor, "orders", column, id, "-ordered_at", 10);
  out["value"] = store::CustomerStore::value_figures(c, column, id);
}

// A record linked to the one shown: whole when the reader may open it, else only its id and
// name marked restricted (as a lookup field shows a record one cannot open), so that the view
// tells nothing of it beyond what the link itself says.
std::optional<json> linked(Connection& c, const Actor& actor, const Entity& e, int64_t id, bool& restricted) {
  restricted = false;
  if (auto r = RecordStore::find(c, e, id, read_scope(actor, e))) return r;
  auto r = RecordStore::find(c, e, id, store::Scope{});
  if (!r) return std::nullopt;
  restricted = true;
  return json{{"id", (*r)["id"]}, {"name", (*r)["name"]}, {"restricted", true}};
}

}  // namespace

std::optional<json> CustomerViewService::contact_360(const Actor& actor, int64_t id) {
  auto out = contact_record_360(actor, id);
  // The value card (RFM, profit, tier) from the analytics' in-memory history, read after the
  // record's transaction: the analytics run their own.
  if (out) (*out)["value_card"] = AnalyticsService(db_).value_card("contacts", id, (*out)["contact"].value("value_tier", json()));
  return out;
}

std::optional<json> CustomerViewService::account_360(const Actor& actor, int64_t id) {
  auto out = account_record_360(actor, id);
  if (out) (*out)["value_card"] = AnalyticsService(db_).value_card("accounts", id, (*out)["account"].value("value_tier", json()));
  return out;
}

std::optional<json> CustomerViewService::contact_record_360(const Actor& actor, int64_t id) {
  return store::with_transaction(db_, false, [&](Connection& c) -> std::optional<json> {
    const Entity& contacts = entity("contacts");
    auto contact = RecordStore::find(c, contacts, id, read_scope(actor, contacts));
    if (!contact) return std::nullopt;
    json out;
    out["contact"] = *contact;
    out["account"] = nullptr;
    bool restricted = false;
    if ((*contact)["account_id"].is_number_integer()) {
      auto a = linked(c, actor, entity("accounts"), (*contact)["account_id"].get<int64_t>(), restricted);
      if (a) out["account"] = *a;
    }
    out["household"] = nullptr;
    if ((*contact)["household_id"].is_number_integer()) {
      int64_t hid = (*contact)["household_id"].get<int64_t>();
      auto h = linked(c, actor, entity("households"), hid, restricted);
      if (h && restricted) {
        out["household"] = *h;  // no address, no members
      } else if (h) {
        (*h)["members"] = related(c, actor, "contacts", "household_id", hid, "last_name", 50);
        for (auto& m : (*h)["members"]) m = json{{"id", m["id"]}, {"first_name", m["first_name"]}, {"last_name", m["last_name"]}};
        out["household"] = *h;
      }
    }
    out["consent"] = (*contact)["consent"];
    out["preferences"] = (*contact)["preferences"];
    add_relationship(c, actor, out, *contact, "contacts", "contact_id", id);
    return out;
  });
}

std::optional<json> CustomerViewService::account_record_360(const Actor& actor, int64_t id) {
  return store::with_transaction(db_, false, [&](Connection& c) -> std::optional<json> {
    const Entity& accounts = entity("accounts");
    auto account = RecordStore::find(c, accounts, id, read_scope(actor, accounts));
    if (!account) return std::nullopt;
    json out;
    out["account"] = *account;
    out["contacts"] = related(c, actor, "contacts", "account_id", id, "last_name", 100);
    add_relationship(c, actor, out, *account, "accounts", "account_id", id);
    return out;
  });
}

}  // namespace gz::domain
