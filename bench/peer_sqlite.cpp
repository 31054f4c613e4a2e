// The peer of the HTTP benchmark: the same reads and write that Gazelle's API does for a
// contact's 360° view, a search, a list page and a new interaction, run directly with SQLite
// prepared statements in-process (no HTTP, no JSON, no access checks). Gazelle's figures divided
// by these give the cost of everything around the SQL.
//
//   peer_sqlite DB QUERIES_FILE [ITERATIONS] [THREADS] [PHONES_FILE]
//
// QUERIES_FILE: one search text per line (as sent in ?q=, already folded into words).
// PHONES_FILE: one stored E.164 number per line, for the caller look-up (lookup_phone: the
// number already normalised, then per match its owner, 5 open tasks and 5 interactions).
// Prints, per operation: "PEER name rps p50_ms p99_ms" (rps over THREADS threads).
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

struct Stmt {
  sqlite3_stmt* st = nullptr;
  Stmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "prepare failed: %s\n%s\n", sqlite3_errmsg(db), sql);
      std::exit(1);
    }
  }
  ~Stmt() { sqlite3_finalize(st); }
  // Binds integers or texts, steps through every row reading every column; returns the row count
  // and the first column of the first row (an id to follow).
  template <class... A>
  std::pair<int, int64_t> run(A... args) {
    sqlite3_reset(st);
    int i = 0;
    (bind(++i, args), ...);
    int rows = 0;
    int64_t first = 0;
    size_t bytes = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      if (rows == 0) first = sqlite3_column_int64(st, 0);
      ++rows;
      for (int c = 0, n = sqlite3_column_count(st); c < n; ++c) {
        const unsigned char* t = sqlite3_column_text(st, c);
        if (t) bytes += size_t(sqlite3_column_bytes(st, c));
      }
    }
    (void)bytes;
    return {rows, first};
  }
  void bind(int i, int64_t v) { sqlite3_bind_int64(st, i, v); }
  void bind(int i, int v) { sqlite3_bind_int64(st, i, v); }
  void bind(int i, const std::string& v) { sqlite3_bind_text(st, i, v.data(), int(v.size()), SQLITE_TRANSIENT); }
  void bind(int i, const char* v) { sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT); }
};

sqlite3* open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    std::exit(1);
  }
  sqlite3_busy_timeout(db, 10000);
  // The server's settings (src/store/sqlite/sqlite_database.cpp): small page cache, no mmap.
  sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-4000;", nullptr, nullptr,
               nullptr);
  return db;
}

void exec(sqlite3* db, const char* sql) { sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

// Words of a query -> the FTS expression Gazelle builds: "w1"* AND "w2"*.
std::string fts(const std::string& q) {
  std::string out, w;
  auto flush = [&] {
    if (w.empty()) return;
    if (!out.empty()) out += " AND ";
    out += "(\"" + w + "\"*)";
    w.clear();
  };
  for (char c : q) {
    if (c == ' ' || c == '+') flush();
    else w += c;
  }
  flush();
  return out;
}

struct Worker {
  sqlite3* db;
  Stmt contact, account, household, members, owner, stages, tasks, interactions, orders, value, search, list, insert;
  Stmt phone_contacts, phone_accounts, tasks5, interactions5, account_tasks5, account_interactions5;
  // The statements of Gazelle's 360° as it runs them (logged from the server): the token, then
  // the view's read transaction (the lists that may hold a row asked first, the value card's
  // data signature and settings read with them).
  // (The contact, its owner, stage history, open tasks and orders: the statements above.)
  Stmt token, v_account, v_household, v_members, v_value, v_interactions, v_opportunities, v_quotes, v_referred,
      v_rewards, v_rewards_received, v_cases, v_interventions, v_probe, v_signature, v_settings;
  explicit Worker(sqlite3* d)
      : db(d),
        contact(d, "SELECT t.* FROM contacts t WHERE t.id = ?"),
        account(d, "SELECT t.* FROM accounts t WHERE t.id = ?"),
        household(d, "SELECT t.* FROM households t WHERE t.id = ?"),
        members(d, "SELECT t.* FROM contacts t WHERE t.household_id = ? ORDER BY t.last_name ASC NULLS FIRST, t.id ASC LIMIT 50"),
        owner(d, "SELECT id, name, email, role, team_id, active FROM users WHERE id = ?"),
        stages(d, "SELECT stage, reason, changed_at, user_id FROM stage_history WHERE entity = 'contacts' AND record_id = ? ORDER BY id"),
        tasks(d, "SELECT t.* FROM tasks t WHERE t.contact_id = ? AND +t.status = 'open' ORDER BY t.due_at ASC NULLS FIRST, t.id ASC LIMIT 20"),
        interactions(d, "SELECT t.* FROM interactions t WHERE t.contact_id = ? ORDER BY t.occurred_at DESC NULLS LAST, t.id DESC LIMIT 20"),
        orders(d, "SELECT t.* FROM orders t WHERE t.contact_id = ? ORDER BY t.ordered_at DESC NULLS LAST, t.id DESC LIMIT 10"),
        value(d, "SELECT COALESCE(SUM(total_cents), 0), COUNT(*), MIN(ordered_at), MAX(ordered_at) FROM orders "
                 "WHERE contact_id = ? AND status NOT IN ('cancelled', 'returned', 'draft')"),
        search(d, "SELECT t.* FROM contacts t WHERE t.id IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ?) "
                  "ORDER BY t.id DESC LIMIT 51"),
        list(d, "SELECT t.* FROM contacts t ORDER BY t.last_name ASC NULLS FIRST, t.id ASC LIMIT 51"),
        insert(d, "INSERT INTO interactions (channel, direction, subject, occurred_at, commercial, contact_id, user_id, "
                  "created_at, updated_at, created_by, updated_by) VALUES ('phone', 'outbound', 'Bench', "
                  "strftime('%Y-%m-%dT%H:%M:%SZ','now'), 1, ?, 1, strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                  "strftime('%Y-%m-%dT%H:%M:%SZ','now'), 1, 1)"),
        phone_contacts(d, "SELECT t.* FROM contacts t WHERE t.id IN (SELECT id FROM contacts WHERE json_extract(phones, '$[0]') = ?1"
                          " UNION SELECT id FROM contacts WHERE json_extract(phones, '$[1]') = ?1"
                          " UNION SELECT id FROM contacts WHERE json_extract(phones, '$[2]') = ?1"
                          " UNION SELECT id FROM contacts WHERE json_array_length(phones) > 3"
                          " AND EXISTS (SELECT 1 FROM json_each(phones) j WHERE j.value = ?1)) "
                          "AND t.archived_at IS NULL ORDER BY t.id LIMIT 20"),
        phone_accounts(d, "SELECT t.* FROM accounts t WHERE t.phone = ? AND t.archived_at IS NULL ORDER BY t.id LIMIT 20"),
        tasks5(d, "SELECT t.* FROM tasks t WHERE t.contact_id = ? AND +t.status = 'open' ORDER BY t.due_at ASC NULLS FIRST, t.id ASC LIMIT 5"),
        interactions5(d, "SELECT t.* FROM interactions t WHERE t.contact_id = ? ORDER BY t.occurred_at DESC NULLS LAST, t.id DESC LIMIT 5"),
        account_tasks5(d, "SELECT t.* FROM tasks t WHERE t.account_id = ? AND +t.status = 'open' ORDER BY t.due_at ASC NULLS FIRST, t.id ASC LIMIT 5"),
        account_interactions5(d, "SELECT t.* FROM interactions t WHERE t.account_id = ? ORDER BY t.occurred_at DESC NULLS LAST, t.id DESC LIMIT 5"),
        token(d, "SELECT u.id, u.email, u.name, u.role, u.team_id, t.name AS team, u.active, u.language FROM api_tokens k "
                 "JOIN users u ON u.id = k.user_id LEFT JOIN teams t ON t.id = u.team_id WHERE k.token_hash = ? AND "
                 "k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?) AND u.active = 1"),
        v_account(d, "SELECT t.*, 1 AS gz_visible FROM accounts t WHERE t.id = ?"),
        v_household(d, "SELECT t.*, 1 AS gz_visible FROM households t WHERE t.id = ?"),
        v_members(d, "SELECT t.id, t.first_name, t.last_name FROM contacts t WHERE t.household_id = ? AND t.archived_at IS NULL "
                     "ORDER BY t.last_name ASC NULLS FIRST, t.id ASC LIMIT 50"),
        v_value(d, "SELECT COALESCE(SUM((CASE WHEN total_cents > 1000000000000 THEN 1000000000000 WHEN total_cents < "
                   "-1000000000000 THEN -1000000000000 ELSE total_cents END)), 0) AS revenue_cents, COUNT(*) AS order_count, "
                   "MIN(ordered_at) AS first_purchase_at, MAX(ordered_at) AS last_purchase_at FROM orders WHERE contact_id = ? "
                   "AND status <> 'cancelled' AND status <> 'returned' AND status <> 'draft'"),
        v_interactions(d, "SELECT t.* FROM interactions t WHERE t.contact_id = ?1 UNION ALL SELECT t.* FROM interaction_contacts l "
                          "JOIN interactions t ON t.id = l.interaction_id WHERE l.contact_id = ?1 AND t.contact_id IS DISTINCT FROM ?1 "
                          "ORDER BY occurred_at DESC NULLS LAST, id DESC LIMIT 20"),
        v_opportunities(d, "SELECT t.* FROM opportunities t WHERE t.contact_id = ? AND t.archived_at IS NULL ORDER BY t.updated_at "
                           "DESC NULLS LAST, t.id DESC LIMIT 20"),
        v_quotes(d, "SELECT t.* FROM quotes t WHERE t.contact_id = ? AND t.archived_at IS NULL ORDER BY t.created_at DESC NULLS "
                    "LAST, t.id DESC LIMIT 10"),
        v_referred(d, "SELECT t.* FROM opportunities t WHERE t.referred_by_contact_id = ? AND t.archived_at IS NULL ORDER BY "
                      "t.updated_at DESC NULLS LAST, t.id DESC LIMIT 20"),
        v_rewards(d, "SELECT t.* FROM referral_rewards t WHERE t.contact_id = ? ORDER BY t.earned_on DESC NULLS LAST, t.id DESC LIMIT 20"),
        v_rewards_received(d, "SELECT t.* FROM referral_rewards t WHERE t.referred_contact_id = ? ORDER BY t.earned_on DESC NULLS "
                              "LAST, t.id DESC LIMIT 20"),
        v_cases(d, "SELECT t.* FROM cases t WHERE t.contact_id = ? ORDER BY t.created_at DESC NULLS LAST, t.id DESC LIMIT 10"),
        v_interventions(d, "SELECT t.* FROM interventions t WHERE t.contact_id = ? ORDER BY t.starts_at DESC NULLS LAST, t.id DESC LIMIT 5"),
        v_probe(d, "SELECT EXISTS (SELECT 1 FROM tasks WHERE contact_id = ?1), EXISTS (SELECT 1 FROM orders WHERE contact_id = ?1), "
                   "EXISTS (SELECT 1 FROM opportunities WHERE contact_id = ?1), EXISTS (SELECT 1 FROM quotes WHERE contact_id = ?1), "
                   "EXISTS (SELECT 1 FROM opportunities WHERE referred_by_contact_id = ?1), "
                   "EXISTS (SELECT 1 FROM referral_rewards WHERE contact_id = ?1), "
                   "EXISTS (SELECT 1 FROM referral_rewards WHERE referred_contact_id = ?1), "
                   "EXISTS (SELECT 1 FROM cases WHERE contact_id = ?1), EXISTS (SELECT 1 FROM interventions WHERE contact_id = ?1)"),
        v_signature(d, "SELECT (SELECT MAX(id) FROM audit_log), (SELECT MAX(id) FROM orders), (SELECT MAX(id) FROM interactions), "
                       "(SELECT MAX(id) FROM contacts), (SELECT MAX(id) FROM accounts), (SELECT MAX(id) FROM products)"),
        v_settings(d, "SELECT key, value FROM analytics_settings ORDER BY key") {}

  // The caller look-up's SQL for one number (its owner, tasks and interactions per match).
  void lookup(const std::string& e164) {
    exec(db, "BEGIN");
    std::vector<std::pair<int64_t, int64_t>> ids;  // (id, owner)
    auto collect = [&](Stmt& s) {
      ids.clear();
      sqlite3_reset(s.st);
      sqlite3_bind_text(s.st, 1, e164.data(), int(e164.size()), SQLITE_TRANSIENT);
      while (sqlite3_step(s.st) == SQLITE_ROW) {
        int64_t id = 0, owner_id = 0;
        for (int c = 0, n = sqlite3_column_count(s.st); c < n; ++c) {
          std::string_view name = sqlite3_column_name(s.st, c);
          if (name == "id") id = sqlite3_column_int64(s.st, c);
          else if (name == "owner_id") owner_id = sqlite3_column_int64(s.st, c);
          else sqlite3_column_text(s.st, c);
        }
        ids.emplace_back(id, owner_id);
      }
      sqlite3_reset(s.st);
    };
    collect(phone_contacts);
    for (auto [id, owner_id] : ids) {
      if (owner_id) owner.run(owner_id);
      tasks5.run(id);
      interactions5.run(id);
    }
    collect(phone_accounts);
    for (auto [id, owner_id] : ids) {
      if (owner_id) owner.run(owner_id);
      account_tasks5.run(id);
      account_interactions5.run(id);
    }
    exec(db, "COMMIT");
  }

  // The contact's row, every column read; the ids the view follows from it.
  struct ContactLinks {
    int64_t account_id = 0, household_id = 0, owner_id = 0;
  };
  ContactLinks read_contact(int64_t id) {
    ContactLinks l;
    sqlite3_reset(contact.st);
    sqlite3_bind_int64(contact.st, 1, id);
    if (sqlite3_step(contact.st) == SQLITE_ROW) {
      for (int c = 0, n = sqlite3_column_count(contact.st); c < n; ++c) {
        std::string_view name = sqlite3_column_name(contact.st, c);
        if (name == "account_id") l.account_id = sqlite3_column_int64(contact.st, c);
        else if (name == "household_id") l.household_id = sqlite3_column_int64(contact.st, c);
        else if (name == "owner_id") l.owner_id = sqlite3_column_int64(contact.st, c);
        else sqlite3_column_text(contact.st, c);
      }
    }
    sqlite3_reset(contact.st);
    return l;
  }

  void view360(int64_t id) {
    exec(db, "BEGIN");
    const auto [account_id, household_id, owner_id] = read_contact(id);
    if (account_id) account.run(account_id);
    if (household_id) {
      household.run(household_id);
      members.run(household_id);
    }
    if (owner_id) owner.run(owner_id);
    stages.run(id);
    tasks.run(id);
    interactions.run(id);
    orders.run(id);
    value.run(id);
    exec(db, "COMMIT");
  }
  // Every statement of Gazelle's 360° in its two transactions, each row's columns read as text:
  // the SQL's share of a view, without HTTP, access rules, JSON or the value card's arithmetic.
  void view360_full(int64_t id) {
    exec(db, "BEGIN");
    token.run("8b8d2a82502d2ce19ba8de26621dad75e5efa63f9d71391b7143d38a2950ced4", "2026-12-04T22:36:56Z");
    exec(db, "COMMIT");
    exec(db, "BEGIN");
    const auto [account_id, household_id, owner_id] = read_contact(id);
    if (owner_id) owner.run(owner_id);
    stages.run(id);
    if (account_id) v_account.run(account_id);
    if (household_id) {
      v_household.run(household_id);
      v_members.run(household_id);
    }
    // The lists no row of whose table refers to the contact are not read (one statement asks).
    Stmt* lists[] = {&tasks, &orders, &v_opportunities, &v_quotes, &v_referred, &v_rewards, &v_rewards_received,
                     &v_cases, &v_interventions};
    bool may_hold[9] = {};
    sqlite3_reset(v_probe.st);
    sqlite3_bind_int64(v_probe.st, 1, id);
    if (sqlite3_step(v_probe.st) == SQLITE_ROW)
      for (int c = 0; c < 9; ++c) may_hold[c] = sqlite3_column_int64(v_probe.st, c) != 0;
    sqlite3_reset(v_probe.st);
    v_value.run(id);
    v_interactions.run(id);
    for (int c = 0; c < 9; ++c)
      if (may_hold[c]) lists[c]->run(id);
    v_signature.run();
    v_settings.run();
    exec(db, "COMMIT");
  }
  void do_search(const std::string& q) {
    exec(db, "BEGIN");
    search.run(fts(q));
    exec(db, "COMMIT");
  }
  void do_list() {
    exec(db, "BEGIN");
    list.run();
    exec(db, "COMMIT");
  }
  void do_insert(int64_t contact_id) {
    exec(db, "BEGIN IMMEDIATE");
    insert.run(contact_id);
    exec(db, "COMMIT");
  }
};

struct Result {
  double rps, p50, p99;
};

template <class Op>
Result measure(const std::string& path, int threads, int iterations, Op op) {
  std::vector<std::vector<double>> lat(static_cast<size_t>(threads));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      sqlite3* db = open(path);
      {
        Worker w(db);
        std::mt19937_64 rng(uint64_t(t) * 7919 + 1);
        for (int i = 0; i < iterations; ++i) {
          auto a = std::chrono::steady_clock::now();
          op(w, rng);
          lat[size_t(t)].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
        }
      }
      sqlite3_close(db);
    });
  for (auto& th : pool) th.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, size_t(p * double(all.size())))]; };
  return {double(all.size()) / secs, pct(0.50), pct(0.99)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DB QUERIES_FILE [ITERATIONS] [THREADS]\n", argv[0]);
    return 2;
  }
  std::string path = argv[1];
  std::vector<std::string> queries;
  {
    std::ifstream f(argv[2]);
    for (std::string l; std::getline(f, l);)
      if (!l.empty()) queries.push_back(l);
  }
  if (queries.empty()) queries.push_back("martin");
  int iterations = argc > 3 ? std::atoi(argv[3]) : 5000;
  int threads = argc > 4 ? std::atoi(argv[4]) : 2;
  std::vector<std::string> phones;
  if (argc > 5) {
    std::ifstream f(argv[5]);
    for (std::string l; std::getline(f, l);)
      if (!l.empty()) phones.push_back(l);
  }
  int64_t max_id = 0;
  {
    sqlite3* db = open(path);
    sqlite3_stmt* st;
    sqlite3_prepare_v2(db, "SELECT MAX(id) FROM contacts", -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW) max_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  if (max_id == 0) return 1;
  auto print = [](const char* name, Result r) { std::printf("PEER %s %.0f %.3f %.3f\n", name, r.rps, r.p50, r.p99); };
  print("contact_360", measure(path, threads, iterations, [&](Worker& w, std::mt19937_64& g) {
          w.view360(int64_t(g() % uint64_t(max_id)) + 1);
        }));
  print("contact_360_full", measure(path, threads, iterations, [&](Worker& w, std::mt19937_64& g) {
          w.view360_full(int64_t(g() % uint64_t(max_id)) + 1);
        }));
  print("search", measure(path, threads, iterations, [&](Worker& w, std::mt19937_64& g) {
          w.do_search(queries[g() % queries.size()]);
        }));
  if (!phones.empty())
    print("lookup_phone", measure(path, threads, iterations, [&](Worker& w, std::mt19937_64& g) {
            w.lookup(phones[g() % phones.size()]);
          }));
  print("list", measure(path, threads, iterations, [&](Worker& w, std::mt19937_64&) { w.do_list(); }));
  print("create_interaction", measure(path, threads, std::max(1, iterations / 5), [&](Worker& w, std::mt19937_64& g) {
          w.do_insert(int64_t(g() % uint64_t(max_id)) + 1);
        }));
  return 0;
}
