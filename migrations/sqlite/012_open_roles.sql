-- Roles are declared by the modules (kernel/catalogue.h, modules/users and any module adding
-- its own, such as the service desk's agents); the application checks a user's role against
-- them. The fixed CHECK list of 001 goes. SQLite cannot drop a CHECK constraint: the table's
-- stored definition is edited as SQLite's ALTER TABLE documentation describes for removing a
-- CHECK constraint, the schema reloaded, and a no-op DDL bumps the schema version so that every
-- other open connection reloads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, ' CHECK (role IN (''admin'',''manager'',''sales'',''service'',''marketing'',''read_only''))', '')
 WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
CREATE TABLE roles_opened (done INTEGER);
DROP TABLE roles_opened;

-- Migrations of the modules' own tables (kernel/module.h: Module::migrations), per module.
CREATE TABLE module_migrations (
  module TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (module, version)
);
