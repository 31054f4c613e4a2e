#include "modules/duplicates/merge_store.h"

#include <stdexcept>

namespace gz::store {

namespace {

// Names spliced into SQL come from the schema or from rows this database returned; checked anyway.
const std::string& ident(const std::string& name) {
  if (name.empty()) throw std::logic_error("empty SQL identifier");
  for (char ch : name)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
      throw std::logic_error("bad SQL identifier " + name);
  return name;
}

std::vector<int64_t> ids_of(const std::vector<json>& rows) {
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r["id"].get<int64_t>());
  return out;
}

// Runs "<head> IN (?, …) <tail>" over ids in chunks that stay under every backend's parameter limit.
int64_t for_chunks(Connection& c, const std::string& head, const std::vector<int64_t>& ids, const Params& before,
                   const std::string& tail, const Params& after) {
  int64_t n = 0;
  for (size_t i = 0; i < ids.size(); i += 500) {
    Params p = before;
    std::string marks;
    for (size_t j = i; j < ids.size() && j < i + 500; ++j) {
      marks += marks.empty() ? "?" : ", ?";
      p.push_back(ids[j]);
    }
    p.insert(p.end(), after.begin(), after.end());
    n += c.execute(head + " IN (" + marks + ")" + tail, p);
  }
  return n;
}

json decode(const json& v) {
  if (!v.is_string()) return v;
  json parsed = json::parse(v.get<std::string>(), nullptr, false);
  return parsed.is_discarded() ? v : parsed;
}

}  // namespace

std::optional<json> MergeStore::raw_row(Connection& c, const std::string& table, int64_t id) {
  json row = c.query_one("SELECT * FROM " + ident(table) + " WHERE id = ?", {id});
  if (row.is_null()) return std::nullopt;
  return row;
}

void MergeStore::insert_raw_row(Connection& c, const std::string& table, const json& row) {
  std::string cols, marks;
  Params p;
  for (auto it = row.begin(); it != row.end(); ++it) {
    cols += (cols.empty() ? "" : ", ") + ident(it.key());
    marks += marks.empty() ? "?" : ", ?";
    p.push_back(it.value());
  }
  c.execute("INSERT INTO " + ident(table) + " (" + cols + ") VALUES (" + marks + ")", p);
}

void MergeStore::delete_row(Connection& c, const std::string& table, int64_t id) {
  c.execute("DELETE FROM " + ident(table) + " WHERE id = ?", {id});
}

void MergeStore::delete_ids(Connection& c, const std::string& table, const std::vector<int64_t>& ids) {
  for_chunks(c, "DELETE FROM " + ident(table) + " WHERE id", ids, {}, "", {});
}

std::vector<int64_t> MergeStore::ids_pointing_to(Connection& c, const std::string& table, const std::string& column,
                                                 int64_t id) {
  return ids_of(c.query("SELECT id FROM " + ident(table) + " WHERE " + ident(column) + " = ? ORDER BY id", {id}));
}

int64_t MergeStore::repoint(Connection& c, const std::string& table, const std::string& column,
                            const std::vector<int64_t>& ids, int64_t from, int64_t to) {
  return for_chunks(c, "UPDATE " + ident(table) + " SET " + ident(column) + " = ? WHERE id", ids, {to},
                    " AND " + column + " = ?", {from});
}

std::vector<int64_t> MergeStore::trail_ids(Connection& c, const std::string& table, const std::string& entity_column,
                                           const std::string& id_column, const std::string& entity, int64_t id) {
  return ids_of(c.query("SELECT id FROM " + ident(table) + " WHERE " + ident(entity_column) + " = ? AND " +
                            ident(id_column) + " = ? ORDER BY id",
                        {entity, id}));
}

int64_t MergeStore::repoint_trail(Connection& c, const std::string& table, const std::string& id_column,
                                  const std::vector<int64_t>& ids, int64_t from, int64_t to) {
  return repoint(c, table, id_column, ids, from, to);
}

std::vector<json> MergeStore::shares(Connection& c, const std::string& entity, int64_t record_id) {
  return c.query("SELECT user_id, created_at FROM record_shares WHERE entity = ? AND record_id = ? ORDER BY user_id",
                 {entity, record_id});
}

void MergeStore::delete_share(Connection& c, const std::string& entity, int64_t record_id, int64_t user_id) {
  c.execute("DELETE FROM record_shares WHERE entity = ? AND record_id = ? AND user_id = ?", {entity, record_id, user_id});
}

bool MergeStore::insert_share(Connection& c, const std::string& entity, int64_t record_id, int64_t user_id,
                              const json& created_at) {
  return c.execute("INSERT INTO record_shares (entity, record_id, user_id, created_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT DO NOTHING",
                   {entity, record_id, user_id, created_at}) == 1;
}

int64_t MergeStore::insert_merge(Connection& c, const std::string& entity, int64_t survivor_id, const json& absorbed_ids,
                                 const json& rules, const json& journal, int64_t user_id, const std::string& at) {
  return c.insert(
      "INSERT INTO merges (entity, survivor_id, absorbed_ids, rules, journal, user_id, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {entity, survivor_id, absorbed_ids.dump(), rules.dump(), journal.dump(), user_id > 0 ? json(user_id) : json(), at});
}

void MergeStore::update_journal(Connection& c, int64_t merge_id, const json& journal) {
  c.execute("UPDATE merges SET journal = ? WHERE id = ?", {journal.dump(), merge_id});
}

std::optional<json> MergeStore::merge(Connection& c, int64_t id) {
  json row = c.query_one(
      "SELECT m.*, u.name AS user_name FROM merges m LEFT JOIN users u ON u.id = m.user_id WHERE m.id = ?", {id});
  if (row.is_null()) return std::nullopt;
  for (const char* k : {"absorbed_ids", "rules", "journal"}) row[k] = decode(row[k]);
  return row;
}

std::vector<json> MergeStore::merges(Connection& c, const std::string& entity, int64_t before_id, int limit) {
  std::string sql =
      "SELECT m.id, m.entity, m.survivor_id, m.absorbed_ids, m.rules, m.user_id, u.name AS user_name, m.merged_at, "
      "m.undone_at, m.undone_by FROM merges m LEFT JOIN users u ON u.id = m.user_id WHERE 1 = 1";
  Params p;
  if (!entity.empty()) { sql += " AND m.entity = ?"; p.push_back(entity); }
  if (before_id > 0) { sql += " AND m.id < ?"; p.push_back(before_id); }
  sql += " ORDER BY m.id DESC LIMIT ?";
  p.push_back(limit);
  auto rows = c.query(sql, p);
  for (auto& r : rows)
    for (const char* k : {"absorbed_ids", "rules"}) r[k] = decode(r[k]);
  return rows;
}

void MergeStore::mark_undone(Connection& c, int64_t merge_id, int64_t user_id, const std::string& at) {
  c.execute("UPDATE merges SET undone_at = ?, undone_by = ? WHERE id = ?",
            {at, user_id > 0 ? json(user_id) : json(), merge_id});
}

void MergeStore::add_alias(Connection& c, const std::string& entity, int64_t alias_id, const json& external_id,
                           int64_t survivor_id, int64_t merge_id) {
  c.execute("INSERT INTO record_aliases (entity, alias_id, external_id, survivor_id, merge_id) VALUES (?, ?, ?, ?, ?)",
            {entity, alias_id, external_id, survivor_id, merge_id});
}

void MergeStore::remove_aliases(Connection& c, int64_t merge_id) {
  c.execute("DELETE FROM record_aliases WHERE merge_id = ?", {merge_id});
}

std::optional<int64_t> MergeStore::resolve_alias(Connection& c, const std::string& entity, int64_t id) {
  std::optional<int64_t> out;
  // A survivor may itself have been absorbed later: follow the chain (bounded, in case of a cycle).
  for (int hop = 0; hop < 32; ++hop) {
    json row = c.query_one("SELECT survivor_id FROM record_aliases WHERE entity = ? AND alias_id = ?", {entity, id});
    if (row.is_null()) break;
    id = row["survivor_id"].get<int64_t>();
    out = id;
  }
  return out;
}

std::optional<int64_t> MergeStore::absorbing_merge(Connection& c, const std::string& entity, int64_t id) {
  json row = c.query_one("SELECT merge_id FROM record_aliases WHERE entity = ? AND alias_id = ?", {entity, id});
  if (row.is_null()) return std::nullopt;
  return row["merge_id"].get<int64_t>();
}

std::vector<json> PurgeStore::candidates(Connection& c, const kernel::Entity& e, const std::string& reason,
                                         const std::string& since, const Scope& scope, int64_t after_id, int limit) {
  const bool accounts = e.name == "accounts";
  // Activity of an account counts its own and that of its people.
  const std::string who = accounts ? "(x.account_id = t.id OR x.contact_id IN (SELECT ac.id FROM contacts ac WHERE ac.account_id = t.id))"
                                   : "x.contact_id = t.id";
  std::string sql = "SELECT t.*, (SELECT MAX(x.occurred_at) FROM interactions x WHERE " + who +
                    ") AS last_interaction_at, (SELECT MAX(x.ordered_at) FROM orders x WHERE " + who +
                    ") AS last_order_at FROM " + ident(e.name) + " t WHERE t.archived_at IS NULL AND t.id > ?";
  Params p{after_id};
  if (reason == "inactive") {
    sql += " AND t.updated_at < ? AND NOT EXISTS (SELECT 1 FROM interactions x WHERE " + who +
           " AND x.occurred_at >= ?) AND NOT EXISTS (SELECT 1 FROM orders x WHERE " + who + " AND x.ordered_at >= ?)";
    p.push_back(since); p.push_back(since); p.push_back(since);
  } else if (reason == "closed") {
    sql += " AND t.lifecycle_stage = 'inactive'";
  } else if (reason == "bounced") {
    // Marked by hand or by an import (email_bounced_at), or its main address refused by its mail
    // server: a delivery report the e-mail module read marks that address (email_address_status).
    const std::string main_address = c.dialect().name() == "postgresql" ? "lower(t.emails::jsonb->>0)"
                                                                        : "lower(json_extract(t.emails, '$[0]'))";
    sql += " AND (t.email_bounced_at IS NOT NULL OR EXISTS (SELECT 1 FROM email_address_status b WHERE b.status = "
           "'bounced' AND b.address = " + main_address + "))";
  } else {
    throw std::logic_error("unknown purge reason " + reason);
  }
  std::string v = RecordStore::visibility_sql(e, "t", scope, p);
  if (!v.empty()) sql += " AND " + v;
  sql += " ORDER BY t.id LIMIT ?";
  p.push_back(limit);
  auto rows = c.query(sql, p);
  for (auto& r : rows) {
    json last_i = r["last_interaction_at"], last_o = r["last_order_at"];
    r = RecordStore::to_record(e, std::move(r));
    r["last_interaction_at"] = last_i;
    r["last_order_at"] = last_o;
  }
  return rows;
}

bool PurgeStore::set_archived(Connection& c, const std::string& table, int64_t id, const json& archived_at,
                              const std::string& now, int64_t user_id) {
  return c.execute("UPDATE " + ident(table) +
                       " SET archived_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
                   {archived_at, now, user_id > 0 ? json(user_id) : json(), id}) == 1;
}

}  // namespace gz::store
