// SQL for the records described in the catalogue (kernel/catalogue.h): insert, update with a version check, read,
// delete, keyset-paginated lists with filters, search and record-level visibility. All the SQL
// of the generic record operations is built here from the schema, with every value bound.
// Stateless; the caller supplies the Connection (and so the transaction).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kernel/catalogue.h"
#include "store/database.h"
#include "store/record_json.h"

namespace gz::store {

// Which records of an entity the current user may see. all = no restriction.
struct Scope {
  bool all = true;
  int64_t user_id = 0;
  int64_t team_id = 0;  // 0 when the user has no team
  bool none = false;    // the role may not read the entity at all: nothing is visible
};

using Condition = kernel::Condition;

struct ListQuery {
  std::vector<Condition> conditions;
  // Full-text search: every group must match; a group matches when one of its words does, as a
  // prefix. Words are already folded (domain/search_text).
  std::vector<std::vector<std::string>> search;
  std::string sort_column = "id";
  bool descending = false;
  // Keyset cursor: the sort value and id of the last row of the previous page.
  bool has_cursor = false;
  json after_value;
  int64_t after_id = 0;
  int limit = 50;
  // The columns read, each checked against the entity; empty: every column (t.*).
  std::vector<std::string> columns;
};

// A list page as JSON text written from the rows of RecordStore::list_statement, one row at a
// time: list_json's second half, for a caller that sends several statements at once
// (store/row_stream.h stream_batch) and writes each page from its rows.
class JsonPageBuilder {
 public:
  // The rows are written after start (a caller's opening text, so that the page is not copied
  // into its answer).
  JsonPageBuilder(const kernel::Entity& e, const ListQuery& q, int limit, std::string start = {});
  void add(const RowView& row);
  // The page, once every row is added (remembers its size for the next page's room).
  JsonPage finish();

 private:
  size_t& size_hint();
  JsonPage page_;
  const kernel::Entity& e_;
  RecordJsonWriter writer_;
  std::string sort_column_;
  const kernel::Field* sort_field_;
  int limit_;
  std::vector<std::pair<int, const kernel::Field*>> refs_;
  int sort_col_ = -1, id_col_ = -1;
};

class RecordStore {
 public:
  // Row as stored -> record as the API shows it (JSON columns decoded, booleans as booleans).
  static json to_record(const kernel::Entity& e, json row);
  // values: column -> value as the API shows it. Returns the new id.
  static int64_t insert(Connection& c, const kernel::Entity& e, const json& values);
  // The statement insert() runs (for a caller that builds it ahead, on another thread).
  static std::string insert_sql(const Dialect& d, const kernel::Entity& e, const json& values, Params& params);
  // Every column of the entity with the value a row gets when the INSERT leaves it out (null
  // when it has no default), as a record. nullopt when a default is an expression rather than a
  // constant (the row must then be read back).
  static std::optional<json> column_defaults(Connection& c, const kernel::Entity& e);
  // Applies changes when the stored version is expected_version, and increments the version.
  // Returns false when the record is absent or its version differs.
  static bool update(Connection& c, const kernel::Entity& e, int64_t id, int64_t expected_version,
                     const json& changes);
  static bool remove(Connection& c, const kernel::Entity& e, int64_t id);
  // Number of rows of `table` whose `column` refers to id (both from the schema, never a request).
  static int64_t count_referring(Connection& c, const std::string& table, const std::string& column, int64_t id);
  static std::optional<json> find(Connection& c, const kernel::Entity& e, int64_t id, const Scope& scope);
  // The record whatever the scope, and whether the scope lets it be seen, in one statement (for
  // a batch, store/row_stream.h): fn runs only when the record exists.
  static BatchStatement find_statement(const kernel::Entity& e, int64_t id, const Scope& scope,
                                       std::function<void(json record, bool visible)> fn);
  static std::optional<int64_t> find_id_by_external_id(Connection& c, const kernel::Entity& e,
                                                       const std::string& external_id);
  // The record whose `field` (from the schema, never a request) equals value; the first by id.
  static std::optional<int64_t> find_id_by_value(Connection& c, const kernel::Entity& e, const std::string& field,
                                                 const json& value);
  static std::vector<json> list(Connection& c, const kernel::Entity& e, const ListQuery& q, const Scope& scope);
  // The same page as list() (q.limit rows at most, of which `limit` are written), as JSON text
  // written from the rows (store/record_json.h): what the list route answers.
  static JsonPage list_json(Connection& c, const kernel::Entity& e, const ListQuery& q, const Scope& scope, int limit,
                            std::string start = {});
  static int64_t count(Connection& c, const kernel::Entity& e, const ListQuery& q, const Scope& scope);
  // The SELECT that list() and list_json() run, its parameters appended to p (the search peer
  // of bench/search_latency.sh runs it on raw SQLite).
  static std::string list_statement(Connection& c, const kernel::Entity& e, const ListQuery& q, const Scope& scope,
                                    Params& p);
  static bool exists(Connection& c, const std::string& table, int64_t id, const Scope& scope);

  // The child lines of a parent record (kernel::ChildCollection), in their order, with their
  // position column; replace_children deletes the stored lines and writes these, numbered 1, 2, 3…
  static std::vector<json> children(Connection& c, const kernel::ChildCollection& cc, int64_t parent_id);
  static void replace_children(Connection& c, const kernel::ChildCollection& cc, int64_t parent_id, const json& lines);

  static void write_search(Connection& c, const kernel::Entity& e, int64_t id, const std::string& body);
  static void delete_search(Connection& c, const kernel::Entity& e, int64_t id);

  // SQL condition restricting alias to what scope may see, appending its parameters.
  static std::string visibility_sql(const kernel::Entity& e, const std::string& alias, const Scope& scope,
                                    Params& params);
};

}  // namespace gz::store
