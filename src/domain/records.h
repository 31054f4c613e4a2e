// RecordService: create, read, update, delete and list any entity of the schema, with the
// rules every record obeys — input validation (every wrong field reported at once), access
// (domain/access.h), optimistic concurrency (version / If-Match), an audit entry per change,
// the search index kept in step — and the entity's own rules (entity_rules.h). Each call is one
// transaction: a Problem thrown anywhere leaves the data as it was.
// Thread-safe: holds only the Database, which is.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "domain/access.h"
#include "domain/schema.h"
#include "store/database.h"

namespace gz::domain {

using json = nlohmann::json;

struct ListRequest {
  std::map<std::string, std::string> params;  // query parameters as received (limit, cursor, sort, q, count, filters)
};

struct ListResult {
  std::vector<json> data;
  std::string next_cursor;  // empty on the last page
  std::optional<int64_t> total;  // only when asked for (count=true)
};

class RecordService {
 public:
  explicit RecordService(store::Database& db) : db_(db) {}

  json create(const Actor& actor, const Entity& e, const json& input);
  std::optional<json> get(const Actor& actor, const Entity& e, int64_t id);
  // replace=false: PATCH (only the given fields); replace=true: PUT (missing fields cleared).
  // expected_version from If-Match; a stale one throws PreconditionFailed and changes nothing.
  json update(const Actor& actor, const Entity& e, int64_t id, const json& input,
              std::optional<int64_t> expected_version, bool replace = false);
  void remove(const Actor& actor, const Entity& e, int64_t id, std::optional<int64_t> expected_version);
  ListResult list(const Actor& actor, const Entity& e, const ListRequest& req);
  // The same page as the list route answers it, as JSON text written from the rows (no tree
  // per row: store/record_json.h): {"data": [...], "names": {...}, "next_cursor": ..., "total"
  // when asked}, names as domain/record_names.h gives them, in the page's transaction.
  std::string list_json(const Actor& actor, const Entity& e, const ListRequest& req);

  // Same as create/update but inside the caller's transaction (imports, demo data, and a
  // module's hook that writes another record with the one being written: an accepted quote's
  // order). They need no Database, hence static.
  static json create_in(store::Connection& c, const Actor& actor, const Entity& e, const json& input);
  // create_in in two steps, for an import that validates rows on one thread while another
  // writes: prepare_create checks the input against every rule (throws Problem naming the
  // fields) and returns the record to insert; store_created writes it (row, search index, stage
  // history, audit) and returns the stored record. The connection of prepare_create only reads.
  struct PreparedCreate {
    json record;                    // the row to insert (database defaults left out)
    json scratch = json::object();  // what the rules hand to the write (an order's lines)
    // With the columns' defaults known (RecordStore::column_defaults), what the write needs
    // that does not depend on the new id, worked out on the preparing thread: the record as it
    // will be stored (no read-back), its audit entry and its search text.
    json stored;  // null: unknown, the row is read back after the insert
    std::string insert_sql;  // RecordStore::insert_sql of record
    store::Params insert_params;
    std::string audit_changes;
    std::optional<std::string> search_body;
  };
  static PreparedCreate prepare_create(store::Connection& c, const Actor& actor, const Entity& e, const json& input,
                                const json* column_defaults = nullptr);
  static json store_created(store::Connection& c, const Actor& actor, const Entity& e, const PreparedCreate& prepared,
                     const json& input);
  static json update_in(store::Connection& c, const Actor& actor, const Entity& e, int64_t id, const json& input,
                 std::optional<int64_t> expected_version, bool replace);

  // The audit trail of one record, newest first.
  std::vector<json> audit_trail(const Actor& actor, const Entity& e, int64_t id);
  // One page of it, like every list: params limit (1-500, default 50) and cursor (the
  // next_cursor of the previous page); any other parameter is a 400.
  ListResult audit_page(const Actor& actor, const Entity& e, int64_t id, const std::map<std::string, std::string>& params);
  // Dated lifecycle-stage changes of a contact or account, oldest first.
  std::vector<json> stage_history(const Actor& actor, const Entity& e, int64_t id);
  // Shares an owned record with a user outside the owner's team.
  void share(const Actor& actor, const Entity& e, int64_t id, int64_t user_id);

  store::Database& database() { return db_; }
  // The record as the actor may see it, in the caller's transaction; NotFound otherwise.
  static json load_visible(store::Connection& c, const Actor& actor, const Entity& e, int64_t id);

 private:
  // The query a list request asks for (filters, sort, cursor, search), checked; limit as asked.
  store::ListQuery list_query(const Actor& actor, const Entity& e, const ListRequest& req, bool& want_count);
  store::Database& db_;
};

}  // namespace gz::domain
