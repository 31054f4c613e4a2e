-- Roles are declared by the modules (kernel/catalogue.h); the application checks them. The fixed
-- CHECK list of 001 goes.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;

-- Migrations of the modules' own tables (kernel/module.h: Module::migrations), per module.
CREATE TABLE module_migrations (
  module TEXT COLLATE "C" NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (module, version)
);
