-- Customer value analytics (docs/analytics.md): product margins, stored value tiers, the
-- customer's category spend (share of wallet) and the analytics settings.
ALTER TABLE products ADD COLUMN margin_bp INTEGER;
ALTER TABLE contacts ADD COLUMN value_tier TEXT;
ALTER TABLE contacts ADD COLUMN category_spend_cents INTEGER;
ALTER TABLE accounts ADD COLUMN value_tier TEXT;
ALTER TABLE accounts ADD COLUMN category_spend_cents INTEGER;
ALTER TABLE households ADD COLUMN category_spend_cents INTEGER;
CREATE INDEX contacts_value_tier ON contacts(value_tier);
CREATE INDEX accounts_value_tier ON accounts(value_tier);
-- Change detection for the in-memory order history: the latest write to orders/interactions.
CREATE INDEX orders_updated ON orders(updated_at);
CREATE INDEX interactions_updated ON interactions(updated_at);

-- One row per setting key; the value is a JSON document. Keys never set take their default.
CREATE TABLE analytics_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by INTEGER
);
