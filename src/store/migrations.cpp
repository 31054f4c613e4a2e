#include "store/migrations.h"

#include "core/clock.h"
#include "kernel/module.h"

namespace gz::store {

std::vector<std::string> apply_migrations(Database& db) {
  std::vector<std::string> applied;
  const std::string backend = db.dialect().name();
  // Several servers may start at once on one PostgreSQL database: each migration runs under a
  // lock held until its transaction ends, so only the first server applies it.
  auto locked = [&](Connection& c) {
    std::string lock = db.dialect().migration_lock_sql();
    if (!lock.empty()) c.query(lock);
    c.execute_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)");
  };
  for (const auto& m : embedded_migrations()) {
    if (m.backend != backend) continue;
    with_transaction(db, true, [&](Connection& c) {
      locked(c);
      auto row = c.query_one("SELECT version FROM schema_migrations WHERE version = ?", {m.version});
      if (!row.is_null()) return;
      c.execute_script(m.sql);
      c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {m.version, m.name, clock::now_utc()});
      applied.push_back(m.name);
    });
  }
  // Then each module's own migrations (kernel/module.h), in the order of the composition root.
  for (const kernel::Module* mod : kernel::modules())
    for (const auto& m : mod->migrations) {
      if (m.backend != backend) continue;
      with_transaction(db, true, [&](Connection& c) {
        locked(c);
        auto row = c.query_one("SELECT version FROM module_migrations WHERE module = ? AND version = ?", {mod->name, m.version});
        if (!row.is_null()) return;
        c.execute_script(m.sql);
        c.execute("INSERT INTO module_migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)",
                  {mod->name, m.version, m.name, clock::now_utc()});
        applied.push_back(mod->name + "/" + m.name);
      });
    }
  return applied;
}

std::string sqlite_search_rebuild(const std::string& table) {
  const std::string rebuilt = table + "_rebuilt";
  return "CREATE VIRTUAL TABLE " + rebuilt +
         " USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8 9 10');\n"
         "INSERT INTO " + rebuilt + "(rowid, body) SELECT rowid, body FROM " + table + ";\n"
         "DROP TABLE " + table + ";\n"
         "ALTER TABLE " + rebuilt + " RENAME TO " + table + ";\n";
}

std::string pg_search_words(const std::string& table) {
  const std::string words = table + "_words";
  // An update that leaves the words as they were (most: the body holds names, e-mails, phones)
  // writes nothing; TRUNCATE (a data copy started again) empties the words too.
  return "CREATE TABLE " + words + " (word TEXT COLLATE \"C\" NOT NULL, rowid BIGINT NOT NULL, PRIMARY KEY (word, rowid));\n"
         "CREATE FUNCTION " + words + "_sync() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
         "BEGIN\n"
         "  IF TG_OP = 'TRUNCATE' THEN\n"
         "    TRUNCATE " + words + ";\n"
         "    RETURN NULL;\n"
         "  END IF;\n"
         "  IF TG_OP = 'UPDATE' AND NEW.rowid = OLD.rowid AND NEW.tsv = OLD.tsv THEN RETURN NULL; END IF;\n"
         "  IF TG_OP <> 'INSERT' THEN\n"
         "    DELETE FROM " + words + " WHERE word = ANY (tsvector_to_array(OLD.tsv)) AND rowid = OLD.rowid;\n"
         "  END IF;\n"
         "  IF TG_OP <> 'DELETE' THEN\n"
         "    INSERT INTO " + words + " (word, rowid) SELECT w, NEW.rowid FROM unnest(tsvector_to_array(NEW.tsv)) AS w;\n"
         "  END IF;\n"
         "  RETURN NULL;\n"
         "END $f$;\n"
         "CREATE TRIGGER " + words + "_sync AFTER INSERT OR UPDATE OR DELETE ON " + table +
         " FOR EACH ROW EXECUTE FUNCTION " + words + "_sync();\n"
         "CREATE TRIGGER " + words + "_clear AFTER TRUNCATE ON " + table + " FOR EACH STATEMENT EXECUTE FUNCTION " + words +
         "_sync();\n"
         "INSERT INTO " + words + " (word, rowid) SELECT w, s.rowid FROM " + table +
         " s, unnest(tsvector_to_array(s.tsv)) AS w;\n"
         "ANALYZE " + words + ";\n";
}

}  // namespace gz::store
