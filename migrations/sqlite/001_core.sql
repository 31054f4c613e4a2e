-- Core model: users and access, the customer file (accounts, contacts, households), the
-- relationship history (interactions, tasks), purchases (products, orders), audit trail.
-- Times are UTC ISO 8601 text; money is integer cents with an ISO 4217 currency.

CREATE TABLE teams (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin','manager','sales','service','marketing','read_only')),
  team_id INTEGER REFERENCES teams(id),
  password_hash TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);

CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  ip TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX login_failures_email_at ON login_failures(email, at);
CREATE INDEX login_failures_ip_at ON login_failures(ip, at);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,
  name TEXT NOT NULL,
  legal_id TEXT,
  industry TEXT,
  size TEXT,
  website TEXT,
  phone TEXT,
  street TEXT,
  postcode TEXT,
  city TEXT,
  country TEXT NOT NULL DEFAULT 'FR',
  tier TEXT,
  lifecycle_stage TEXT,
  stage_reason TEXT,
  owner_id INTEGER REFERENCES users(id),
  team_id INTEGER REFERENCES teams(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER,
  updated_by INTEGER
);
CREATE INDEX accounts_name ON accounts(name, id);
CREATE INDEX accounts_owner ON accounts(owner_id);
CREATE INDEX accounts_team ON accounts(team_id);
CREATE INDEX accounts_updated ON accounts(updated_at, id);

CREATE TABLE households (
  id INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,
  name TEXT NOT NULL,
  street TEXT,
  postcode TEXT,
  city TEXT,
  country TEXT NOT NULL DEFAULT 'FR',
  size INTEGER,
  socio_professional_category TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  owner_id INTEGER REFERENCES users(id),
  team_id INTEGER REFERENCES teams(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER,
  updated_by INTEGER
);
CREATE INDEX households_name ON households(name, id);
CREATE INDEX households_owner ON households(owner_id);
CREATE INDEX households_team ON households(team_id);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,
  first_name TEXT,
  last_name TEXT NOT NULL,
  job_title TEXT,
  emails TEXT NOT NULL DEFAULT '[]',
  phones TEXT NOT NULL DEFAULT '[]',
  street TEXT,
  postcode TEXT,
  city TEXT,
  country TEXT NOT NULL DEFAULT 'FR',
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  buying_role TEXT,
  household_id INTEGER REFERENCES households(id) ON DELETE SET NULL,
  lifecycle_stage TEXT NOT NULL DEFAULT 'suspect',
  stage_reason TEXT,
  source_type TEXT,
  source_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  source_campaign TEXT,
  source_medium TEXT,
  preferences TEXT NOT NULL DEFAULT '{}',
  consent TEXT NOT NULL DEFAULT '{}',
  owner_id INTEGER REFERENCES users(id),
  team_id INTEGER REFERENCES teams(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER,
  updated_by INTEGER
);
CREATE INDEX contacts_name ON contacts(last_name, id);
CREATE INDEX contacts_account ON contacts(account_id);
CREATE INDEX contacts_household ON contacts(household_id);
CREATE INDEX contacts_owner ON contacts(owner_id);
CREATE INDEX contacts_team ON contacts(team_id);
CREATE INDEX contacts_stage ON contacts(lifecycle_stage);
CREATE INDEX contacts_updated ON contacts(updated_at, id);

-- Dated lifecycle-stage changes of contacts and accounts, for conversion and drop-out reports.
CREATE TABLE stage_history (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  stage TEXT NOT NULL,
  reason TEXT,
  changed_at TEXT NOT NULL,
  user_id INTEGER
);
CREATE INDEX stage_history_record ON stage_history(entity, record_id, changed_at);

CREATE TABLE interactions (
  id INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,
  channel TEXT NOT NULL,
  direction TEXT NOT NULL DEFAULT 'outbound',
  subject TEXT,
  content TEXT,
  occurred_at TEXT NOT NULL,
  duration_seconds INTEGER,
  outcome TEXT,
  commercial INTEGER NOT NULL DEFAULT 1,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
  account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER,
  updated_by INTEGER
);
CREATE INDEX interactions_contact ON interactions(contact_id, occurred_at);
CREATE INDEX interactions_account ON interactions(account_id, occurred_at);
CREATE INDEX interactions_user ON interactions(user_id, occurred_at);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,
  title TEXT NOT NULL,
  description TEXT,
  due_at TEXT,
  status TEXT NOT NULL DEFAULT 'open',
  priority TEXT NOT NULL DEFAULT 'normal',
  completed_at TEXT,
  assignee_id INTEGER REFERENCES users(id),
  contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
  account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER,
  updated_by INTEGER
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status, due_at);
CREATE INDEX tasks_status_due ON tasks(status, due_at);
CREATE INDEX tasks_contact ON tasks(contact_id, status);
CREATE INDEX tasks_account ON tasks(account_id, status);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,
  sku TEXT UNIQUE,
  name TEXT NOT NULL,
  category TEXT,
  unit_price_cents INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'EUR',
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER,
  updated_by INTEGER
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  ordered_at TEXT NOT NULL,
  channel TEXT,
  status TEXT NOT NULL DEFAULT 'confirmed',
  currency TEXT NOT NULL DEFAULT 'EUR',
  subtotal_cents INTEGER NOT NULL DEFAULT 0,
  discount_cents INTEGER NOT NULL DEFAULT 0,
  total_cents INTEGER NOT NULL DEFAULT 0,
  notes TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER,
  updated_by INTEGER
);
CREATE INDEX orders_contact ON orders(contact_id, ordered_at);
CREATE INDEX orders_account ON orders(account_id, ordered_at);
CREATE INDEX orders_date ON orders(ordered_at, id);

CREATE TABLE order_lines (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL,
  product_id INTEGER REFERENCES products(id),
  description TEXT,
  quantity INTEGER NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  discount_cents INTEGER NOT NULL DEFAULT 0,
  total_cents INTEGER NOT NULL
);
CREATE INDEX order_lines_order ON order_lines(order_id, line_no);
CREATE INDEX order_lines_product ON order_lines(product_id);

-- Records shared with a user outside the owner's team.
CREATE TABLE record_shares (
  entity TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (entity, record_id, user_id)
);
CREATE INDEX record_shares_user ON record_shares(user_id, entity);

-- Who changed what and when: one row per create, update or delete, with the changed fields.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER,
  entity TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log(entity, record_id, id);

-- Search: one full-text index per searchable entity; rowid = record id. The body is written
-- by the application already folded (no accents, lower case) so that both backends agree;
-- it holds names, e-mails, companies and each phone as E.164 digits and national digits.
CREATE VIRTUAL TABLE contacts_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
CREATE VIRTUAL TABLE accounts_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
CREATE VIRTUAL TABLE households_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
