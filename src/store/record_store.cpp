#include "store/record_store.h"

#include "store/record_json.h"
#include "store/row_stream.h"

#include <cctype>
#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace gz::store {

using kernel::Access;
using kernel::Entity;
using kernel::Field;
using kernel::FieldKind;

namespace {

bool stored_as_json(FieldKind k) {
  return k == FieldKind::EmailList || k == FieldKind::PhoneList || k == FieldKind::TagList ||
         k == FieldKind::Object;
}

json to_column_value(const Field& f, const json& v) {
  if (v.is_null()) return v;
  if (stored_as_json(f.kind)) return v.dump();
  if (f.kind == FieldKind::Boolean) return v.get<bool>() ? 1 : 0;
  return v;
}

// Column names come from the schema only, never from a request, so they may be spliced in.
void check_column(const Entity& e, const std::string& column) {
  if (!e.field(column)) throw std::logic_error("no column " + column + " in " + e.name);
}

std::string owned_visibility(const std::string& entity, const std::string& alias, const Scope& s, Params& p) {
  std::string sql = "(" + alias + ".owner_id = ?";
  p.push_back(s.user_id);
  if (s.team_id) {
    sql += " OR " + alias + ".team_id = ?";
    p.push_back(s.team_id);
  }
  sql += " OR EXISTS (SELECT 1 FROM record_shares rs WHERE rs.entity = ? AND rs.record_id = " + alias +
         ".id AND rs.user_id = ?))";
  p.push_back(entity);
  p.push_back(s.user_id);
  return sql;
}

// A search sorted by id reads the full-text index in rowid order and stops at the page's end,
// instead of collecting every match first (a two-letter prefix matches a good part of a base).
bool search_drives(const ListQuery& q) { return !q.search.empty() && q.sort_column == "id"; }

// A first page (a 360° list) of the customer's own records and those linked to it: its "linked"
// condition is read from the FROM clause (first_page_rows), not the WHERE clause.
const Condition* first_page_linked(const ListQuery& q) {
  if (q.has_cursor || q.sort_column.empty() || q.limit <= 0) return nullptr;
  for (const auto& cnd : q.conditions)
    if (cnd.op == "linked") return &cnd;
  return nullptr;
}

// The rows a first page of own and linked records is read from: each side through its index,
// only its first rows in the page's order, with a margin for rows the reader may not see (a
// contact with 5,000 e-mails would otherwise sort them all, bodies included); whole rows, so
// nothing is fetched twice (PostgreSQL spent half a 360° on a list of ids read back by key). A
// record linked to the customer it already belongs to is taken once, from its own side.
// PostgreSQL's form; SQLite reads a compound SELECT instead (first_page_compound).
std::string first_page_rows(const Entity& e, const ListQuery& q, const Condition& cnd, Params& p) {
  check_column(e, cnd.column);
  const char* dir = q.descending ? " DESC" : " ASC";
  const std::string order = " ORDER BY x." + q.sort_column + dir + (q.descending ? " NULLS LAST" : " NULLS FIRST") +
                            ", x.id" + dir + " LIMIT " + std::to_string(q.limit + 50);
  std::string sql = " FROM (SELECT * FROM (SELECT x.* FROM " + e.name + " x WHERE x." + cnd.column + " = ?" + order +
                    ") own";
  p.push_back(cnd.value);
  int n = 0;
  for (const auto& link : e.customer_links)
    if (link.customer_column == cnd.column) {
      sql += " UNION ALL SELECT * FROM (SELECT x.* FROM " + link.table + " l JOIN " + e.name + " x ON x.id = l." +
             link.record_column + " WHERE l." + link.customer_column + " = ? AND x." + cnd.column +
             " IS DISTINCT FROM ?" + order + ") linked" + std::to_string(n++);
      p.push_back(cnd.value);
      p.push_back(cnd.value);
    }
  return sql + ") t";
}


bool plain_word(const std::string& w) {
  for (unsigned char ch : w)
    if (!std::isalnum(ch)) return false;
  return !w.empty();
}

// The share of the rows that hold a word starting with w, estimated on the newest kSample rows
// (FTS5 seeks to them: a fraction of a millisecond even for a word in every row) and kept per
// process: a plan's estimate only (a stale or foreign figure changes the speed of a search,
// never its rows).
constexpr int64_t kSample = 20000;
double word_share(Connection& c, const Entity& e, const std::string& w) {
  static std::mutex mu;
  static std::unordered_map<std::string, double> cache;
  const std::string key = e.name + '\n' + w;
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  const json top = c.query_one("SELECT MAX(id) AS n FROM " + e.name, {})["n"];  // only on a miss
  const int64_t max_id = top.is_number_integer() ? top.get<int64_t>() : 0;
  const int64_t from = std::max<int64_t>(0, max_id - kSample);
  auto row = c.query_one("SELECT COUNT(*) AS n FROM " + e.name + "_search WHERE " + e.name +
                             "_search MATCH ? AND rowid > ?",
                         {c.dialect().search_expression({{w}}), from});
  const double share = max_id > from ? double(row["n"].get<int64_t>()) / double(max_id - from) : 0.0;
  std::lock_guard lock(mu);
  if (cache.size() > 100000) cache.clear();
  cache[key] = share;
  return share;
}

// A search's words split between the full-text index and a check on the row's indexed body
// (SQLite, search driving the query). The index has a prefix index for every length up to 10
// (migrations/sqlite/014_search_prefixes.sql: a word of up to 10 letters is read as one
// doclist, step by step, and an AND of such words seeks through them), but an AND whose
// intersection is small still walks a very common word's doclist (an e-mail's "fr" is in 88 % of
// the contacts, "com" in 26 %: 15 ms at 1M contacts). So a word found in a tenth of the rows or
// more is checked on the rows the other words give (where_clause) when at least one other word is
// left to the index; the rows found are the same. (10 % against 20 %: the same medians, p99 a
// little lower; bench/README.md.)
//
// PostgreSQL: its GIN index gives matches in no order, so a search sorted by id either walks the
// search table backwards testing each row until the page is full (fast for a common word: a
// page of "ma" is found in the first few hundred rows) or gathers every match and sorts them
// (fast for a rare one). Its planner walks for a word of a few hundred rows too ("Leroux", 157 of
// 20,000 contacts: 6,500 rows tested, 5.5 ms, against 0.6 ms gathered). Gathering reads the
// search's words (<entity>_search_words, store::pg_search_words: each word's prefix one range of
// a B-tree, index only), not the GIN index, whose matches must each be read again from the table
// (1,353 pages for the 1,454 contacts of "Leroux" at 200,000). The plan gathers when, from the
// statistics PostgreSQL keeps on the index's words, the E word entries to read and the M matches
// expected satisfy E·M < kGatherBelow·N for N rows: the walk tests about 51·N/M rows at ~0.7 µs
// each, gathering reads and sorts E entries at ~0.6 µs ("Leroux" at 200,000 contacts: 1,770
// entries, 1.1 ms, against 8.9 ms through the GIN index; bench/README.md, "Eighth pass").
struct SearchPlan {
  std::vector<std::vector<std::string>> match;
  std::vector<std::string> filter;
  bool gather = false;  // PostgreSQL: every match from the search's words, then sorted
  std::vector<std::vector<std::string>> checked;  // gathered: groups checked on the search row
};
constexpr double kGatherBelow = 60;
constexpr double kCheckedBeyond = 8;

// What PostgreSQL's statistics say of an entity's search words (pg_stats.most_common_elems of
// <entity>_search.tsv: the ~1,000 commonest words and the share of rows holding each), read once
// per ten minutes per process and database. Empty when the table was never analysed.
struct WordStatistics {
  std::vector<std::pair<std::string, double>> words;  // sorted
  double least = 0;  // the share of the least common word listed
  double rows = 0;
  std::chrono::steady_clock::time_point read_at;
};

std::shared_ptr<const WordStatistics> word_statistics(Connection& c, const Entity& e) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const WordStatistics>> cache;
  const auto now = std::chrono::steady_clock::now();
  const std::string key = c.database_identity() + '\n' + e.name;
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(key); it != cache.end() && now - it->second->read_at < std::chrono::minutes(10))
      return it->second;
  }
  auto fresh = std::make_shared<WordStatistics>();
  WordStatistics& st = *fresh;
  st.read_at = now;
  const std::string table = e.name + "_search";
  const json rows = c.query_one("SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass(?)", {table})["n"];
  st.rows = rows.is_number() ? rows.get<double>() : 0;
  // The shares list has three more entries than the words (the least and largest share, then the
  // share of empty values): the first one without a word is the least share.
  stream_rows(c,
              "SELECT w.word, w.share FROM pg_stats s CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], "
              "s.most_common_elem_freqs) AS w(word, share) WHERE s.schemaname = current_schema() AND s.tablename = ? "
              "AND s.attname = 'tsv'",
              {table}, [&](const RowView& r) {
                if (!r.is_null(0)) st.words.emplace_back(std::string(r.text(0)), r.real(1));
                else if (st.least == 0 && !r.is_null(1)) st.least = r.real(1);
              });
  std::sort(st.words.begin(), st.words.end());
  std::lock_guard lock(mu);
  if (cache.size() > 1000) cache.clear();  // test runs: a database each
  return cache[key] = std::move(fresh);
}

// The matches expected of a search, as PostgreSQL's planner estimates a prefix query: the shares
// of the listed words that start with each word summed, a word starting no listed word taken as
// half the least share, the groups ANDed as independent; and for each group the word entries
// that gathering it reads (every word starting with one of its words). Negative without statistics.
struct ExpectedMatches {
  double matches = -1;
  std::vector<double> entries;  // per group
};

ExpectedMatches expected_matches(const WordStatistics& st, const std::vector<std::vector<std::string>>& groups) {
  if (st.words.empty() || st.rows <= 0) return {};
  ExpectedMatches out;
  double share = 1;
  for (const auto& group : groups) {
    double any = 0;
    for (const auto& w : group) {
      double found = 0;
      for (auto it = std::lower_bound(st.words.begin(), st.words.end(), std::make_pair(w, 0.0));
           it != st.words.end() && it->first.compare(0, w.size(), w) == 0; ++it)
        found += it->second;
      any += found > 0 ? found : st.least / 2;
    }
    share *= std::min(1.0, any);
    out.entries.push_back(any * st.rows);
  }
  out.matches = share * st.rows;
  return out;
}

SearchPlan plan_search(Connection* c, const Entity& e, const ListQuery& q, bool page = false) {
  SearchPlan plan;
  if (c && page && c->dialect().name() == "postgresql" && search_drives(q) && q.limit > 0) {
    plan.match = q.search;
    const auto st = word_statistics(*c, e);
    const ExpectedMatches m = expected_matches(*st, q.search);
    if (m.matches < 0) return plan;
    // A group of many more entries than the rarest one ("d" of "Raphaël D'Almeida", "le" of "Le
    // Gall") is checked on the candidates' search rows (~5 µs each, 8 entries' time) instead of read.
    const double fewest = *std::min_element(m.entries.begin(), m.entries.end());
    double cost = 0;  // in word entries read
    std::vector<std::vector<std::string>> read;
    for (size_t i = 0; i < q.search.size(); ++i) {
      if (m.entries[i] <= kCheckedBeyond * fewest) {
        read.push_back(q.search[i]);
        cost += m.entries[i];
      } else {
        plan.checked.push_back(q.search[i]);
      }
    }
    if (!plan.checked.empty()) cost += kCheckedBeyond * fewest;
    plan.gather = cost * m.matches < kGatherBelow * st->rows;
    if (plan.gather) plan.match = std::move(read);
    else plan.checked.clear();
    return plan;
  }
  if (!c || c->dialect().name() != "sqlite" || !search_drives(q) || q.search.size() < 2) {
    plan.match = q.search;
    return plan;
  }
  for (const auto& g : q.search) {
    // A phone number's forms (a group of several), a word of other characters: the index.
    const bool plain = g.size() == 1 && plain_word(g[0]);
    if (plain && word_share(*c, e, g[0]) >= 0.1) plan.filter.push_back(g[0]);
    else plan.match.push_back(g);
  }
  if (plan.match.empty()) {  // only very common words: the index intersects them better
    plan.match = q.search;
    plan.filter.clear();
  }
  return plan;
}

// The FROM clause of a list; its parameters, if any, come first. A search sorted by id reads
// the search table itself (its rows walked in id order) or, gathered, the matches through the
// index, sorted (OFFSET 0 keeps PostgreSQL from merging the two; pg_database.cpp prepares this form).
std::string from_clause(const Dialect& d, const Entity& e, const ListQuery& q, const SearchPlan& plan, Params& p) {
  if (search_drives(q) && plan.gather) {
    std::string rowids = " FROM (" + d.search_rowids(e.name, plan.match, p) + ") m";
    if (!plan.checked.empty()) {
      rowids += " JOIN " + e.name + "_search x ON x.rowid = m.rowid WHERE " + d.search_match_sql(e.name, "x");
      p.push_back(d.search_expression(plan.checked));
    }
    return " FROM (SELECT m.rowid" + rowids + " ORDER BY m.rowid" + (q.descending ? " DESC" : "") + " OFFSET 0) s JOIN " +
           e.name + " t ON t.id = s.rowid";
  }
  if (search_drives(q)) return " FROM " + e.name + "_search s JOIN " + e.name + " t ON t.id = s.rowid";
  if (const Condition* linked = first_page_linked(q)) return first_page_rows(e, q, *linked, p);
  return " FROM " + e.name + " t";
}

// WHERE clause shared by list() and count().
std::string where_clause(const Dialect& d, const Entity& e, const ListQuery& q, const Scope& scope, Params& p,
                         bool with_cursor, const SearchPlan& plan) {
  std::vector<std::string> parts;
  if (!q.search.empty() && !plan.gather) {  // gathered: matched in the FROM clause
    // Sorted by id, the search index drives the query (see from_clause); otherwise it filters.
    if (search_drives(q)) parts.push_back(d.search_match_sql(e.name, "s"));
    else parts.push_back("t.id IN (SELECT s.rowid FROM " + e.name + "_search s WHERE " + d.search_match_sql(e.name, "s") + ")");
    p.push_back(d.search_expression(plan.match));
    // A filtered word w: the row's indexed body holds a word starting with w. The body is folded
    // words separated by single spaces (domain/search_text), so for a body of ASCII characters
    // FTS5's tokens are exactly those words and instr() answers as the index would; a body with other
    // characters (a typographic apostrophe inside a word separates two tokens for FTS5) asks the
    // index itself. Same rows as the word in the MATCH.
    for (const auto& w : plan.filter) {
      p.push_back(" " + w);
      p.push_back(d.search_expression({{w}}));
      parts.push_back("(instr(' ' || s.body, ?) > 0 OR (s.body GLOB '*[^ -~]*' AND s.rowid IN (SELECT rowid FROM " +
                      e.name + "_search WHERE " + e.name + "_search MATCH ?)))");
    }
  }
  // Query plan: with an equality on a reference (contact_id = ?, an indexed column with few rows
  // per value), an index on a low-cardinality enum or boolean (tasks_status_due) must not drive
  // the query: SQLite, without statistics, would pick it and walk every open task of the base
  // to find one contact's. A unary + keeps such a column out of index selection.
  bool reference_equality = false;
  for (const auto& cnd : q.conditions)
    if ((cnd.op == "=" || cnd.op == "linked") && !cnd.value.is_null() && e.field(cnd.column) &&
        e.field(cnd.column)->kind == FieldKind::Reference)
      reference_equality = true;
  for (const auto& cnd : q.conditions) {
    check_column(e, cnd.column);
    static const std::vector<std::string> ops = {"=", "!=", "<", "<=", ">", ">="};
    const FieldKind kind = e.field(cnd.column)->kind;
    const bool unindexed = reference_equality && (kind == FieldKind::Enum || kind == FieldKind::Boolean);
    if (cnd.op == "linked") {
      if (&cnd == first_page_linked(q)) continue;  // read from the FROM clause (first_page_rows)
      // The customer's own records and those linked to it (an e-mail with several contacts): one
      // list of ids, each side through its index.
      std::string sql = "t.id IN (SELECT x.id FROM " + e.name + " x WHERE x." + cnd.column + " = ?";
      p.push_back(cnd.value);
      for (const auto& link : e.customer_links)
        if (link.customer_column == cnd.column) {
          sql += " UNION SELECT l." + link.record_column + " FROM " + link.table + " l WHERE l." + link.customer_column +
                 " = ?";
          p.push_back(cnd.value);
        }
      parts.push_back(sql + ")");
    } else if (cnd.op == "is null" || cnd.op == "is not null") {
      parts.push_back("t." + cnd.column + (cnd.op == "is null" ? " IS NULL" : " IS NOT NULL"));
    } else if (kind == FieldKind::TagList && cnd.op == "=") {
      parts.push_back(d.json_array_contains_sql("t." + cnd.column));
      p.push_back(cnd.value);
    } else if (std::find(ops.begin(), ops.end(), cnd.op) != ops.end()) {
      const std::string column = "t." + cnd.column;
      parts.push_back((unindexed ? d.without_index(column) : column) + " " + cnd.op + " ?");
      p.push_back(to_column_value(*e.field(cnd.column), cnd.value));
    } else {
      throw std::logic_error("bad operator " + cnd.op);
    }
  }
  if (!scope.all || scope.none) {
    std::string v = RecordStore::visibility_sql(e, "t", scope, p);
    if (!v.empty()) parts.push_back(v);
  }
  if (with_cursor && q.has_cursor) {
    const std::string col = "t." + q.sort_column;
    if (q.sort_column == "id") {
      parts.push_back(std::string(search_drives(q) ? "s.rowid " : "t.id ") + (q.descending ? "<" : ">") + " ?");
      p.push_back(q.after_id);
    } else if (!q.descending) {  // ascending, NULLs first
      if (q.after_value.is_null()) {
        parts.push_back("((" + col + " IS NULL AND t.id > ?) OR " + col + " IS NOT NULL)");
        p.push_back(q.after_id);
      } else {
        // (col, id) > (v, i), written so that `col >= v` bounds the index scan: PostgreSQL read the
        // OR form from the index's start and filtered (half the table for a cursor mid-alphabet).
        parts.push_back(col + " >= ? AND (" + col + " > ? OR t.id > ?)");
        p.push_back(q.after_value); p.push_back(q.after_value); p.push_back(q.after_id);
      }
    } else {  // descending, NULLs last
      if (q.after_value.is_null()) {
        parts.push_back("(" + col + " IS NULL AND t.id < ?)");
        p.push_back(q.after_id);
      } else {
        parts.push_back("(" + col + " < ? OR (" + col + " = ? AND t.id < ?) OR " + col + " IS NULL)");
        p.push_back(q.after_value); p.push_back(q.after_value); p.push_back(q.after_id);
      }
    }
  }
  std::string sql;
  for (size_t i = 0; i < parts.size(); ++i) sql += (i ? " AND " : " WHERE ") + parts[i];
  return sql;
}

}  // namespace

std::vector<json> RecordStore::children(Connection& c, const kernel::ChildCollection& cc, int64_t parent_id) {
  std::string cols = cc.position_column;
  for (const auto& f : cc.fields) cols += ", " + f.name;
  return c.query("SELECT " + cols + " FROM " + cc.table + " WHERE " + cc.parent_column + " = ? ORDER BY " +
                     cc.position_column,
                 {parent_id});
}

void RecordStore::replace_children(Connection& c, const kernel::ChildCollection& cc, int64_t parent_id, const json& lines) {
  c.execute("DELETE FROM " + cc.table + " WHERE " + cc.parent_column + " = ?", {parent_id});
  std::string cols = cc.parent_column + ", " + cc.position_column, marks = "?, ?";
  for (const auto& f : cc.fields) {
    cols += ", " + f.name;
    marks += ", ?";
  }
  const std::string sql = "INSERT INTO " + cc.table + " (" + cols + ") VALUES (" + marks + ")";
  int64_t n = 0;
  for (const auto& l : lines) {
    Params p = {parent_id, ++n};
    for (const auto& f : cc.fields) p.push_back(l.value(f.name, json()));
    c.execute(sql, p);
  }
}

std::string RecordStore::visibility_sql(const Entity& e, const std::string& alias, const Scope& s, Params& p) {
  if (s.none) return "0 = 1";
  if (s.all) return "";
  switch (e.access) {
    case Access::Catalogue: return "";
    case Access::Owned: return owned_visibility(e.name, alias, s, p);
    case Access::ViaCustomer: {
      // Visible to its actor, and — unless it is private — when one of the owned records it
      // refers to (its contact, its account) or is linked to (customer_links) is visible.
      std::string sql = "(" + alias + "." + e.actor_column + " = ? OR ";
      p.push_back(s.user_id);
      if (!e.private_column.empty()) sql += "(COALESCE(" + alias + "." + e.private_column + ", 0) = 0 AND ";
      sql += "(0 = 1";
      int n = 0;
      for (const auto& f : e.fields) {
        const Entity* target = f.kind == kernel::FieldKind::Reference ? kernel::find_entity(f.references) : nullptr;
        if (!target || target->access != Access::Owned || f.server_set) continue;
        std::string v = "v" + std::to_string(n++);
        sql += " OR EXISTS (SELECT 1 FROM " + target->name + " " + v + " WHERE " + v + ".id = " + alias + "." + f.name +
               " AND " + owned_visibility(target->name, v, s, p) + ")";
      }
      for (const auto& link : e.customer_links) {
        std::string l = "l" + std::to_string(n), v = "v" + std::to_string(n++);
        sql += " OR EXISTS (SELECT 1 FROM " + link.table + " " + l + " JOIN " + link.customer_entity + " " + v + " ON " +
               v + ".id = " + l + "." + link.customer_column + " WHERE " + l + "." + link.record_column + " = " + alias +
               ".id AND " + owned_visibility(link.customer_entity, v, s, p) + ")";
      }
      return sql + (e.private_column.empty() ? "))" : ")))");
    }
  }
  return "";
}

json RecordStore::to_record(const Entity& e, json row) {
  for (const auto& f : e.fields) {
    auto it = row.find(f.name);
    if (it == row.end() || it->is_null()) continue;
    if (stored_as_json(f.kind) && it->is_string()) {
      json parsed = json::parse(it->get<std::string>(), nullptr, false);
      *it = parsed.is_discarded() ? json() : parsed;
    } else if (f.kind == FieldKind::Boolean && it->is_number()) {
      *it = it->get<int64_t>() != 0;
    }
  }
  return row;
}

std::string RecordStore::insert_sql(const Dialect& d, const Entity& e, const json& values, Params& p) {
  std::string cols, marks;
  if (e.field("archived_at") && !values.contains("id") && d.name() == "sqlite") {
    // SQLite gives a new row the largest id + 1, so the id of a record absorbed by a merge
    // (deleted, kept as an alias) could come back for a new record and old links would lead to
    // it. Ids are taken past the aliases too. (PostgreSQL's identity never reuses an id.)
    cols = "id";
    marks = "(SELECT COALESCE(MAX(m), 0) + 1 FROM (SELECT MAX(id) AS m FROM " + e.name +
            " UNION ALL SELECT MAX(alias_id) FROM record_aliases WHERE entity = ?) ids)";
    p.push_back(e.name);
  }
  for (auto it = values.begin(); it != values.end(); ++it) {
    check_column(e, it.key());
    if (!cols.empty()) { cols += ", "; marks += ", "; }
    cols += it.key();
    marks += "?";
    p.push_back(to_column_value(*e.field(it.key()), it.value()));
  }
  return "INSERT INTO " + e.name + " (" + cols + ") VALUES (" + marks + ")";
}

int64_t RecordStore::insert(Connection& c, const Entity& e, const json& values) {
  Params p;
  std::string sql = insert_sql(c.dialect(), e, values, p);
  return c.insert(sql, p);
}

namespace {

// A column default as the catalogue gives it: 'text' (PostgreSQL: 'text'::type), an integer,
// or NULL/none. Anything else is an expression: nullopt.
std::optional<json> constant_default(const json& raw) {
  if (raw.is_null()) return json();
  std::string t = raw.is_string() ? raw.get<std::string>() : raw.dump();
  if (t.empty() || t == "NULL") return json();
  if (t.front() == '\'') {
    size_t end = t.rfind('\'');
    if (end == 0) return std::nullopt;
    std::string rest = t.substr(end + 1);
    if (!rest.empty() && rest.rfind("::", 0) != 0) return std::nullopt;
    std::string v;
    for (size_t i = 1; i < end; ++i) {
      if (t[i] == '\'' && i + 1 < end && t[i + 1] == '\'') ++i;
      v += t[i];
    }
    return json(v);
  }
  size_t i = t.front() == '-' ? 1 : 0;
  if (i == t.size()) return std::nullopt;
  for (size_t k = i; k < t.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(t[k]))) return std::nullopt;
  return json(std::stoll(t));
}

}  // namespace

std::optional<json> RecordStore::column_defaults(Connection& c, const Entity& e) {
  std::vector<json> cols;
  if (c.dialect().name() == "sqlite")
    cols = c.query("SELECT name, dflt_value AS dflt FROM pragma_table_info(?)", {e.name});
  else
    cols = c.query("SELECT column_name AS name, column_default AS dflt FROM information_schema.columns "
                   "WHERE table_schema = current_schema() AND table_name = ?", {e.name});
  if (cols.empty()) return std::nullopt;
  json row = json::object();
  for (const auto& col : cols) {
    auto v = constant_default(col["dflt"]);
    if (!v) return std::nullopt;
    row[col["name"].get<std::string>()] = *v;
  }
  return to_record(e, std::move(row));
}

bool RecordStore::update(Connection& c, const Entity& e, int64_t id, int64_t expected_version, const json& changes) {
  std::string sets = "version = version + 1";
  Params p;
  for (auto it = changes.begin(); it != changes.end(); ++it) {
    check_column(e, it.key());
    sets += ", " + it.key() + " = ?";
    p.push_back(to_column_value(*e.field(it.key()), it.value()));
  }
  p.push_back(id);
  p.push_back(expected_version);
  return c.execute("UPDATE " + e.name + " SET " + sets + " WHERE id = ? AND version = ?", p) == 1;
}

bool RecordStore::remove(Connection& c, const Entity& e, int64_t id) {
  return c.execute("DELETE FROM " + e.name + " WHERE id = ?", {id}) == 1;
}

int64_t RecordStore::count_referring(Connection& c, const std::string& table, const std::string& column, int64_t id) {
  check_column(kernel::entity(table), column);
  return c.query_one("SELECT COUNT(*) AS n FROM " + table + " WHERE " + column + " = ?", {id})["n"].get<int64_t>();
}

std::optional<json> RecordStore::find(Connection& c, const Entity& e, int64_t id, const Scope& scope) {
  Params p{id};
  std::string v = visibility_sql(e, "t", scope, p);
  auto row = c.query_one("SELECT t.* FROM " + e.name + " t WHERE t.id = ?" + (v.empty() ? "" : " AND " + v), p);
  if (row.is_null()) return std::nullopt;
  return to_record(e, std::move(row));
}

BatchStatement RecordStore::find_statement(const Entity& e, int64_t id, const Scope& scope,
                                          std::function<void(json, bool)> fn) {
  BatchStatement st;
  const std::string v = visibility_sql(e, "t", scope, st.params);  // its parameters come first
  st.sql = "SELECT t.*, " + (v.empty() ? std::string("1") : "CASE WHEN " + v + " THEN 1 ELSE 0 END") +
           " AS gz_visible FROM " + e.name + " t WHERE t.id = ?";
  st.params.push_back(id);
  st.fn = [&e, fn = std::move(fn)](const RowView& r) {
    json row = row_object(r);
    const bool visible = row["gz_visible"].get<int64_t>() == 1;
    row.erase("gz_visible");
    fn(to_record(e, std::move(row)), visible);
  };
  return st;
}

std::optional<int64_t> RecordStore::find_id_by_external_id(Connection& c, const Entity& e, const std::string& ext) {
  auto row = c.query_one("SELECT id FROM " + e.name + " WHERE external_id = ?", {ext});
  if (row.is_null() && e.field("archived_at")) {
    // A record absorbed by a merge keeps its external_id as an alias of the survivor, so that a
    // re-import updates the survivor instead of creating the duplicate again (modules/duplicates/merge.h).
    row = c.query_one("SELECT survivor_id AS id FROM record_aliases WHERE entity = ? AND external_id = ?",
                      {e.name, ext});
  }
  if (row.is_null()) return std::nullopt;
  return row["id"].get<int64_t>();
}

std::optional<int64_t> RecordStore::find_id_by_value(Connection& c, const Entity& e, const std::string& field,
                                                     const json& value) {
  auto row = c.query_one("SELECT id FROM " + e.name + " WHERE " + field + " = ? ORDER BY id LIMIT 1", {value});
  if (row.is_null()) return std::nullopt;
  return row["id"].get<int64_t>();
}

bool RecordStore::exists(Connection& c, const std::string& table, int64_t id, const Scope& scope) {
  const Entity* e = kernel::find_entity(table);
  Params p{id};
  std::string v = e ? visibility_sql(*e, "t", scope, p) : "";
  return !c.query_one("SELECT 1 AS x FROM " + table + " t WHERE t.id = ?" + (v.empty() ? "" : " AND " + v), p)
              .is_null();
}

namespace {

// SQLite's first page of a customer's own and linked records (first_page_linked): one compound
// SELECT in the page's order, each side filtered by the list's conditions. The own side is read
// in order from the (customer, sort column) index and the sides are merged as they come; the
// derived table of first_page_rows cost three temporary B-trees, and the interactions' page of
// every 360° a third more (bench/README.md, "The 360° at 1M, seventh pass"). Same rows, same order.
std::string first_page_compound(Connection& c, const Entity& e, const ListQuery& q, const Condition& cnd,
                                const Scope& scope, Params& p) {
  check_column(e, cnd.column);
  const SearchPlan no_search;
  const char* dir = q.descending ? " DESC" : " ASC";
  // The list's other conditions, on each side (their parameters appended each time).
  auto and_filters = [&] {
    const std::string where = where_clause(c.dialect(), e, q, scope, p, false, no_search);
    return where.empty() ? where : " AND" + where.substr(6);  // " WHERE a AND b" -> " AND a AND b"
  };
  std::string sql = "SELECT t.* FROM " + e.name + " t WHERE t." + cnd.column + " = ?";
  p.push_back(cnd.value);
  sql += and_filters();
  for (const auto& link : e.customer_links)
    if (link.customer_column == cnd.column) {
      sql += " UNION ALL SELECT t.* FROM " + link.table + " l JOIN " + e.name + " t ON t.id = l." + link.record_column +
             " WHERE l." + link.customer_column + " = ? AND t." + cnd.column + " IS DISTINCT FROM ?";
      p.push_back(cnd.value);
      p.push_back(cnd.value);
      sql += and_filters();
    }
  sql += " ORDER BY " + q.sort_column + dir + (q.descending ? " NULLS LAST" : " NULLS FIRST") + ", id" + dir + " LIMIT ?";
  p.push_back(q.limit);
  return sql;
}

// The SELECT of a list page (its parameters appended to p).
std::string list_sql(Connection& c, const Entity& e, const ListQuery& q, const Scope& scope, Params& p) {
  check_column(e, q.sort_column);
  // (The compound form orders by its result columns: it reads whole rows.)
  if (c.dialect().name() == "sqlite" && q.search.empty() && q.columns.empty())
    if (const Condition* linked = first_page_linked(q)) return first_page_compound(c, e, q, *linked, scope, p);
  const SearchPlan plan = plan_search(&c, e, q, true);
  std::string columns;
  for (const auto& column : q.columns) {
    check_column(e, column);
    columns += (columns.empty() ? "t." : ", t.") + column;
  }
  std::string sql = "SELECT " + (columns.empty() ? "t.*" : columns);
  sql += from_clause(c.dialect(), e, q, plan, p);  // its parameters before the WHERE clause's
  sql += where_clause(c.dialect(), e, q, scope, p, true, plan);
  const char* dir = q.descending ? " DESC" : " ASC";
  if (q.sort_column == "id") {
    sql += std::string(search_drives(q) ? " ORDER BY s.rowid" : " ORDER BY t.id") + dir;
  } else {
    sql += " ORDER BY t." + q.sort_column + dir + (q.descending ? " NULLS LAST" : " NULLS FIRST") + ", t.id" + dir;
  }
  sql += " LIMIT ?";
  p.push_back(q.limit);
  return sql;
}

}  // namespace

std::vector<json> RecordStore::list(Connection& c, const Entity& e, const ListQuery& q, const Scope& scope) {
  Params p;
  const std::string sql = list_sql(c, e, q, scope, p);
  auto rows = c.query(sql, p);
  for (auto& r : rows) r = to_record(e, std::move(r));
  return rows;
}

JsonPageBuilder::JsonPageBuilder(const Entity& e, const ListQuery& q, int limit, std::string start)
    : e_(e), writer_(e), sort_column_(q.sort_column), sort_field_(e.field(q.sort_column)), limit_(limit) {
  page_.rows = std::move(start);
  // Room for the page the last one of this entity and limit needed (a page of 50 contacts is
  // about 53 kB: growing to it from a guess copied it twice).
  page_.rows.reserve(std::max(page_.rows.size() + size_t(limit) * 512, size_hint()));
}

size_t& JsonPageBuilder::size_hint() {
  thread_local std::map<std::pair<const Entity*, int>, size_t> hints;
  return hints[{&e_, limit_}];
}

JsonPage JsonPageBuilder::finish() {
  size_t& hint = size_hint();
  hint = std::max(hint, page_.rows.size() + page_.rows.size() / 8);
  return std::move(page_);
}

void JsonPageBuilder::add(const RowView& row) {
  if (page_.count == limit_) {
    page_.more = true;
    return;
  }
  if (page_.count) page_.rows += ',';
  writer_.append(row, page_.rows);
  if (page_.count++ == 0) {
    sort_col_ = writer_.column(sort_column_);
    id_col_ = writer_.column("id");
    for (const auto& f : e_.fields)
      if (f.kind == FieldKind::Reference && f.references != "users" && f.references != "teams")
        if (int i = writer_.column(f.name); i >= 0) refs_.push_back({i, &f});
  }
  for (const auto& [i, f] : refs_)
    if (row.type(i) == ColumnType::Integer) page_.references[f->references].insert(row.int64(i));
  if (page_.count < limit_) return;  // the cursor is the last row's of a full page
  page_.last_id = row.int64(id_col_);
  page_.last_sort_value = sort_col_ < 0 ? json() : column_value(row, sort_col_);
  if (sort_field_ && sort_field_->kind == FieldKind::Boolean && page_.last_sort_value.is_number())
    page_.last_sort_value = page_.last_sort_value.get<int64_t>() != 0;
}

JsonPage RecordStore::list_json(Connection& c, const Entity& e, const ListQuery& q, const Scope& scope, int limit,
                                std::string start) {
  Params p;
  const std::string sql = list_sql(c, e, q, scope, p);
  JsonPageBuilder builder(e, q, limit, std::move(start));
  read_rows(c, sql, p, [&](const RowView& row) { builder.add(row); });
  return builder.finish();
}

std::string RecordStore::list_statement(Connection& c, const Entity& e, const ListQuery& q, const Scope& scope,
                                        Params& p) {
  return list_sql(c, e, q, scope, p);
}

int64_t RecordStore::count(Connection& c, const Entity& e, const ListQuery& q, const Scope& scope) {
  Params p;
  ListQuery all = q;
  all.limit = 0;  // every row counts, not a first page's (first_page_linked)
  const SearchPlan plan = plan_search(&c, e, all);
  std::string sql = "SELECT COUNT(*) AS n" + from_clause(c.dialect(), e, all, plan, p);  // its parameters before the WHERE clause's
  sql += where_clause(c.dialect(), e, all, scope, p, false, plan);
  auto row = c.query_one(sql, p);
  return row["n"].get<int64_t>();
}

void RecordStore::write_search(Connection& c, const Entity& e, int64_t id, const std::string& body) {
  c.execute("DELETE FROM " + e.name + "_search WHERE rowid = ?", {id});
  c.execute("INSERT INTO " + e.name + "_search (rowid, body) VALUES (?, ?)", {id, body});
}

void RecordStore::delete_search(Connection& c, const Entity& e, int64_t id) {
  c.execute("DELETE FROM " + e.name + "_search WHERE rowid = ?", {id});
}

}  // namespace gz::store
