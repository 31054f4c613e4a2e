// PostgreSQL backend (libpq): a pool of connections to one database, statements prepared once
// per connection, parameters bound as text. The store's SQL is written with `?` placeholders;
// they become $1, $2 … here, so the SQL builders stay backend-neutral.
#pragma once
#include <mutex>
#include <vector>

#include "store/database.h"

namespace gz::store::postgres {

class PgDialect : public Dialect {
 public:
  std::string name() const override { return "postgresql"; }
  std::string search_match_sql(const std::string& entity, const std::string& alias) const override;
  std::string search_expression(const std::vector<std::vector<std::string>>& groups) const override;
  std::string search_rowids(const std::string& entity, const std::vector<std::vector<std::string>>& groups,
                            Params& p) const override;
  std::string returning_id() const override { return " RETURNING id"; }
  std::string migration_lock_sql() const override { return "SELECT pg_advisory_xact_lock(74295311) AS locked"; }
  std::string skip_locked() const override { return " FOR UPDATE SKIP LOCKED"; }
  // jsonb containment; the ?| operators would clash with the driver's ? placeholders.
  std::string json_array_contains_sql(const std::string& column) const override {
    return "(" + column + ")::jsonb @> jsonb_build_array(?::text)";
  }
};

// `?` -> `$n`, outside quoted strings and identifiers.
std::string number_placeholders(const std::string& sql);

class PgDatabase : public Database {
 public:
  explicit PgDatabase(std::string url);
  ~PgDatabase() override;
  Lease acquire() override;
  const Dialect& dialect() const override { return dialect_; }
  std::string location() const override;
  void backup_to(const std::string& path) override;
  PoolStats pool_stats() override;

 protected:
  void release(std::unique_ptr<Connection> c) override;

 private:
  std::string url_;
  PgDialect dialect_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace gz::store::postgres
