-- PostgreSQL twin of migrations/sqlite/004_analytics.sql: same tables, columns and indexes.
-- Customer value analytics (docs/analytics.md): product margins, stored value tiers, the
-- customer's category spend (share of wallet) and the analytics settings.
ALTER TABLE products ADD COLUMN margin_bp BIGINT;
ALTER TABLE contacts ADD COLUMN value_tier TEXT COLLATE "C";
ALTER TABLE contacts ADD COLUMN category_spend_cents BIGINT;
ALTER TABLE accounts ADD COLUMN value_tier TEXT COLLATE "C";
ALTER TABLE accounts ADD COLUMN category_spend_cents BIGINT;
ALTER TABLE households ADD COLUMN category_spend_cents BIGINT;
CREATE INDEX contacts_value_tier ON contacts(value_tier);
CREATE INDEX accounts_value_tier ON accounts(value_tier);
-- Change detection for the in-memory order history: the latest write to orders/interactions.
CREATE INDEX orders_updated ON orders(updated_at);
CREATE INDEX interactions_updated ON interactions(updated_at);

-- One row per setting key; the value is a JSON document. Keys never set take their default.
CREATE TABLE analytics_settings (
  key TEXT COLLATE "C" PRIMARY KEY,
  value TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  updated_by BIGINT
);
