// The sales module's tables (Module::migrations), on SQLite and PostgreSQL.
#include "modules/sales/sales_store.h"
#include "store/migrations.h"

namespace gz::modules::sales {

namespace {

const char* kSqlite = R"(
CREATE TABLE sales_reasons (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'loss',
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE pipelines (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, is_default INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'EUR',
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE pipeline_stages (
  id INTEGER PRIMARY KEY, pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, probability_pct INTEGER NOT NULL DEFAULT 10,
  outcome TEXT NOT NULL DEFAULT 'open', folded INTEGER NOT NULL DEFAULT 0, stale_after_days INTEGER);
CREATE INDEX pipeline_stages_parent ON pipeline_stages(pipeline_id, position);
CREATE TABLE opportunities (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL,
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL, contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  pipeline_id INTEGER REFERENCES pipelines(id), stage TEXT, status TEXT NOT NULL DEFAULT 'open',
  amount_cents INTEGER NOT NULL DEFAULT 0, currency TEXT NOT NULL DEFAULT 'EUR', probability_pct INTEGER,
  expected_close_date TEXT, forecast_category TEXT NOT NULL DEFAULT 'pipeline', source TEXT, campaign TEXT,
  referred_by_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, competitors TEXT NOT NULL DEFAULT '[]',
  next_step TEXT, loss_reason_id INTEGER REFERENCES sales_reasons(id), closed_on TEXT, stage_entered_at TEXT, notes TEXT,
  owner_id INTEGER REFERENCES users(id), team_id INTEGER REFERENCES teams(id), archived_at TEXT,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE INDEX opportunities_board ON opportunities(pipeline_id, stage, amount_cents);
-- The board's figures per stage read this index alone (no row lookups): bench/sales_board.sh.
CREATE INDEX opportunities_board_figures ON opportunities(pipeline_id, stage, archived_at, status, amount_cents, probability_pct,
  expected_close_date, owner_id, team_id);
CREATE INDEX opportunities_account ON opportunities(account_id);
CREATE INDEX opportunities_contact ON opportunities(contact_id);
CREATE INDEX opportunities_owner ON opportunities(owner_id);
CREATE INDEX opportunities_updated ON opportunities(updated_at, id);
CREATE INDEX opportunities_close ON opportunities(expected_close_date, id);
CREATE TABLE opportunity_lines (
  id INTEGER PRIMARY KEY, opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL, product_id INTEGER REFERENCES products(id), description TEXT, quantity INTEGER NOT NULL,
  unit_price_cents INTEGER, discount_cents INTEGER NOT NULL DEFAULT 0, total_cents INTEGER);
CREATE INDEX opportunity_lines_parent ON opportunity_lines(opportunity_id, line_no);
CREATE VIRTUAL TABLE opportunities_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
CREATE TABLE price_lists (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, currency TEXT NOT NULL DEFAULT 'EUR',
  valid_from TEXT, valid_until TEXT, account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE, tier TEXT, segment TEXT, active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE price_list_items (
  id INTEGER PRIMARY KEY, price_list_id INTEGER NOT NULL REFERENCES price_lists(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL, product_id INTEGER NOT NULL REFERENCES products(id), min_quantity INTEGER NOT NULL DEFAULT 1,
  unit_price_cents INTEGER NOT NULL);
CREATE INDEX price_list_items_parent ON price_list_items(price_list_id, line_no);
CREATE INDEX price_list_items_product ON price_list_items(product_id, min_quantity);
CREATE TABLE quotes (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, number TEXT UNIQUE, title TEXT NOT NULL,
  opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL, contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'draft', issued_on TEXT, valid_until TEXT, currency TEXT NOT NULL DEFAULT 'EUR',
  price_list_id INTEGER REFERENCES price_lists(id) ON DELETE SET NULL, vat_exemption TEXT,
  subtotal_cents INTEGER NOT NULL DEFAULT 0, vat_cents INTEGER NOT NULL DEFAULT 0, total_cents INTEGER NOT NULL DEFAULT 0,
  vat_breakdown TEXT, payment_terms TEXT, notes TEXT, accepted_at TEXT, accepted_by_name TEXT,
  order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL,
  owner_id INTEGER REFERENCES users(id), team_id INTEGER REFERENCES teams(id), archived_at TEXT,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE INDEX quotes_opportunity ON quotes(opportunity_id);
CREATE INDEX quotes_account ON quotes(account_id);
CREATE INDEX quotes_contact ON quotes(contact_id);
CREATE INDEX quotes_owner ON quotes(owner_id);
CREATE INDEX quotes_created ON quotes(created_at, id);
CREATE TABLE quote_lines (
  id INTEGER PRIMARY KEY, quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL, product_id INTEGER REFERENCES products(id), description TEXT, quantity INTEGER NOT NULL,
  unit_price_cents INTEGER, discount_cents INTEGER NOT NULL DEFAULT 0, vat_rate TEXT NOT NULL DEFAULT '20',
  total_cents INTEGER, price_source TEXT);
CREATE INDEX quote_lines_parent ON quote_lines(quote_id, line_no);
CREATE VIRTUAL TABLE quotes_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
CREATE TABLE sales_sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE quote_links (
  token TEXT PRIMARY KEY, quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE, created_at TEXT NOT NULL,
  created_by INTEGER, used_at TEXT, accepted_name TEXT, accepted_address TEXT);
CREATE TABLE sales_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1), quote_followup_days INTEGER NOT NULL DEFAULT 7,
  prospect_contact_days INTEGER NOT NULL DEFAULT 2, followups_enabled INTEGER NOT NULL DEFAULT 1,
  referral_reward_kind TEXT NOT NULL DEFAULT 'points', referral_reward_value INTEGER NOT NULL DEFAULT 100,
  scoring_rules TEXT, model TEXT, trained_at TEXT, version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE referral_rewards (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL, opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
  referred_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, referred_account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  kind TEXT, points INTEGER, amount_cents INTEGER, earned_on TEXT, status TEXT NOT NULL DEFAULT 'earned',
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE INDEX referral_rewards_contact ON referral_rewards(contact_id);
CREATE INDEX referral_rewards_opportunity ON referral_rewards(opportunity_id);
CREATE TABLE sales_targets (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, user_id INTEGER NOT NULL REFERENCES users(id), month TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER,
  UNIQUE (user_id, month));
CREATE TABLE opportunity_snapshots (
  id INTEGER PRIMARY KEY, snapshot_week TEXT NOT NULL, opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
  owner_id INTEGER, team_id INTEGER, pipeline_id INTEGER, stage TEXT, forecast_category TEXT, amount_cents INTEGER NOT NULL,
  probability_pct INTEGER, expected_close_date TEXT, taken_at TEXT NOT NULL, UNIQUE (snapshot_week, opportunity_id));
CREATE INDEX opportunity_snapshots_week ON opportunity_snapshots(snapshot_week, expected_close_date);
CREATE TABLE sales_followups (
  id INTEGER PRIMARY KEY, rule TEXT NOT NULL, occasion TEXT NOT NULL, task_id INTEGER, created_at TEXT NOT NULL,
  UNIQUE (rule, occasion));
CREATE TABLE lead_forms (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, form_key TEXT NOT NULL UNIQUE,
  active INTEGER NOT NULL DEFAULT 1, campaign TEXT, medium TEXT, assignee_id INTEGER REFERENCES users(id),
  assignment TEXT NOT NULL DEFAULT 'assignee', team_id INTEGER REFERENCES teams(id),
  consent_text TEXT, thank_you_text TEXT, redirect_url TEXT,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE sales_territories (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, postcode_prefixes TEXT NOT NULL DEFAULT '[]',
  user_id INTEGER NOT NULL REFERENCES users(id), active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE sales_round_robin (team_id INTEGER PRIMARY KEY, last_user_id INTEGER NOT NULL);
CREATE TABLE lead_submissions (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, form_id INTEGER REFERENCES lead_forms(id) ON DELETE CASCADE,
  received_at TEXT NOT NULL, client_address TEXT, outcome TEXT NOT NULL, contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  payload TEXT,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE INDEX lead_submissions_address ON lead_submissions(client_address, received_at);
CREATE INDEX lead_submissions_received ON lead_submissions(received_at, id);
ALTER TABLE contacts ADD COLUMN lead_form_id INTEGER REFERENCES lead_forms(id) ON DELETE SET NULL;
ALTER TABLE accounts ADD COLUMN source_type TEXT;
ALTER TABLE accounts ADD COLUMN source_campaign TEXT;
ALTER TABLE accounts ADD COLUMN source_medium TEXT;
ALTER TABLE accounts ADD COLUMN lead_form_id INTEGER REFERENCES lead_forms(id) ON DELETE SET NULL;
)";

const char* kPostgresql = R"(
CREATE TABLE sales_reasons (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE, name TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL DEFAULT 'loss', active BIGINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE TABLE pipelines (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE, name TEXT COLLATE "C" NOT NULL,
  is_default BIGINT NOT NULL DEFAULT 0, currency TEXT COLLATE "C" NOT NULL DEFAULT 'EUR',
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE TABLE pipeline_stages (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, pipeline_id BIGINT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  position BIGINT NOT NULL, key TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL,
  probability_pct BIGINT NOT NULL DEFAULT 10, outcome TEXT COLLATE "C" NOT NULL DEFAULT 'open',
  folded BIGINT NOT NULL DEFAULT 0, stale_after_days BIGINT);
CREATE INDEX pipeline_stages_parent ON pipeline_stages(pipeline_id, position);
CREATE TABLE opportunities (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE, name TEXT COLLATE "C" NOT NULL,
  account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL, contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
  pipeline_id BIGINT REFERENCES pipelines(id), stage TEXT COLLATE "C", status TEXT COLLATE "C" NOT NULL DEFAULT 'open',
  amount_cents BIGINT NOT NULL DEFAULT 0, currency TEXT COLLATE "C" NOT NULL DEFAULT 'EUR', probability_pct BIGINT,
  expected_close_date TEXT COLLATE "C", forecast_category TEXT COLLATE "C" NOT NULL DEFAULT 'pipeline',
  source TEXT COLLATE "C", campaign TEXT COLLATE "C",
  referred_by_contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL, competitors TEXT COLLATE "C" NOT NULL DEFAULT '[]',
  next_step TEXT COLLATE "C", loss_reason_id BIGINT REFERENCES sales_reasons(id), closed_on TEXT COLLATE "C",
  stage_entered_at TEXT COLLATE "C", notes TEXT COLLATE "C",
  owner_id BIGINT REFERENCES users(id), team_id BIGINT REFERENCES teams(id), archived_at TEXT COLLATE "C",
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE INDEX opportunities_board ON opportunities(pipeline_id, stage, amount_cents);
-- The board's figures per stage read this index alone (no row lookups): bench/sales_board.sh.
CREATE INDEX opportunities_board_figures ON opportunities(pipeline_id, stage, archived_at, status, amount_cents, probability_pct,
  expected_close_date, owner_id, team_id);
CREATE INDEX opportunities_account ON opportunities(account_id NULLS FIRST);
CREATE INDEX opportunities_contact ON opportunities(contact_id NULLS FIRST);
CREATE INDEX opportunities_owner ON opportunities(owner_id NULLS FIRST);
CREATE INDEX opportunities_updated ON opportunities(updated_at NULLS FIRST, id);
CREATE INDEX opportunities_close ON opportunities(expected_close_date NULLS FIRST, id);
CREATE TABLE opportunity_lines (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
  line_no BIGINT NOT NULL, product_id BIGINT REFERENCES products(id), description TEXT COLLATE "C", quantity BIGINT NOT NULL,
  unit_price_cents BIGINT, discount_cents BIGINT NOT NULL DEFAULT 0, total_cents BIGINT);
CREATE INDEX opportunity_lines_parent ON opportunity_lines(opportunity_id, line_no);
CREATE TABLE opportunities_search (rowid BIGINT PRIMARY KEY, body TEXT COLLATE "C" NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);
CREATE INDEX opportunities_search_tsv ON opportunities_search USING gin (tsv);
CREATE TABLE price_lists (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE, name TEXT COLLATE "C" NOT NULL,
  currency TEXT COLLATE "C" NOT NULL DEFAULT 'EUR', valid_from TEXT COLLATE "C", valid_until TEXT COLLATE "C",
  account_id BIGINT REFERENCES accounts(id) ON DELETE CASCADE, contact_id BIGINT REFERENCES contacts(id) ON DELETE CASCADE,
  tier TEXT COLLATE "C", segment TEXT COLLATE "C", active BIGINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE TABLE price_list_items (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  price_list_id BIGINT NOT NULL REFERENCES price_lists(id) ON DELETE CASCADE,
  line_no BIGINT NOT NULL, product_id BIGINT NOT NULL REFERENCES products(id), min_quantity BIGINT NOT NULL DEFAULT 1,
  unit_price_cents BIGINT NOT NULL);
CREATE INDEX price_list_items_parent ON price_list_items(price_list_id, line_no);
CREATE INDEX price_list_items_product ON price_list_items(product_id, min_quantity);
CREATE TABLE quotes (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE, number TEXT COLLATE "C" UNIQUE,
  title TEXT COLLATE "C" NOT NULL, opportunity_id BIGINT REFERENCES opportunities(id) ON DELETE SET NULL,
  account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL, contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
  status TEXT COLLATE "C" NOT NULL DEFAULT 'draft', issued_on TEXT COLLATE "C", valid_until TEXT COLLATE "C",
  currency TEXT COLLATE "C" NOT NULL DEFAULT 'EUR', price_list_id BIGINT REFERENCES price_lists(id) ON DELETE SET NULL,
  vat_exemption TEXT COLLATE "C", subtotal_cents BIGINT NOT NULL DEFAULT 0, vat_cents BIGINT NOT NULL DEFAULT 0,
  total_cents BIGINT NOT NULL DEFAULT 0, vat_breakdown TEXT COLLATE "C", payment_terms TEXT COLLATE "C", notes TEXT COLLATE "C",
  accepted_at TEXT COLLATE "C", accepted_by_name TEXT COLLATE "C", order_id BIGINT REFERENCES orders(id) ON DELETE SET NULL,
  owner_id BIGINT REFERENCES users(id), team_id BIGINT REFERENCES teams(id), archived_at TEXT COLLATE "C",
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE INDEX quotes_opportunity ON quotes(opportunity_id NULLS FIRST);
CREATE INDEX quotes_account ON quotes(account_id NULLS FIRST);
CREATE INDEX quotes_contact ON quotes(contact_id NULLS FIRST);
CREATE INDEX quotes_owner ON quotes(owner_id NULLS FIRST);
CREATE INDEX quotes_created ON quotes(created_at NULLS FIRST, id);
CREATE TABLE quote_lines (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, quote_id BIGINT NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
  line_no BIGINT NOT NULL, product_id BIGINT REFERENCES products(id), description TEXT COLLATE "C", quantity BIGINT NOT NULL,
  unit_price_cents BIGINT, discount_cents BIGINT NOT NULL DEFAULT 0, vat_rate TEXT COLLATE "C" NOT NULL DEFAULT '20',
  total_cents BIGINT, price_source TEXT COLLATE "C");
CREATE INDEX quote_lines_parent ON quote_lines(quote_id, line_no);
CREATE TABLE quotes_search (rowid BIGINT PRIMARY KEY, body TEXT COLLATE "C" NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);
CREATE INDEX quotes_search_tsv ON quotes_search USING gin (tsv);
CREATE TABLE sales_sequences (name TEXT COLLATE "C" PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE quote_links (
  token TEXT COLLATE "C" PRIMARY KEY, quote_id BIGINT NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
  created_at TEXT COLLATE "C" NOT NULL, created_by BIGINT, used_at TEXT COLLATE "C", accepted_name TEXT COLLATE "C",
  accepted_address TEXT COLLATE "C");
CREATE TABLE sales_settings (
  id BIGINT PRIMARY KEY CHECK (id = 1), quote_followup_days BIGINT NOT NULL DEFAULT 7,
  prospect_contact_days BIGINT NOT NULL DEFAULT 2, followups_enabled BIGINT NOT NULL DEFAULT 1,
  referral_reward_kind TEXT COLLATE "C" NOT NULL DEFAULT 'points', referral_reward_value BIGINT NOT NULL DEFAULT 100,
  scoring_rules TEXT COLLATE "C", model TEXT COLLATE "C", trained_at TEXT COLLATE "C", version BIGINT NOT NULL DEFAULT 1);
CREATE TABLE referral_rewards (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE,
  contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL, account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  opportunity_id BIGINT REFERENCES opportunities(id) ON DELETE SET NULL,
  referred_contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL, referred_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
  kind TEXT COLLATE "C", points BIGINT, amount_cents BIGINT, earned_on TEXT COLLATE "C", status TEXT COLLATE "C" NOT NULL DEFAULT 'earned',
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE INDEX referral_rewards_contact ON referral_rewards(contact_id NULLS FIRST);
CREATE INDEX referral_rewards_opportunity ON referral_rewards(opportunity_id NULLS FIRST);
CREATE TABLE sales_targets (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id), month TEXT COLLATE "C" NOT NULL, amount_cents BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT, UNIQUE (user_id, month));
CREATE TABLE opportunity_snapshots (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, snapshot_week TEXT COLLATE "C" NOT NULL,
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE, owner_id BIGINT, team_id BIGINT,
  pipeline_id BIGINT, stage TEXT COLLATE "C", forecast_category TEXT COLLATE "C", amount_cents BIGINT NOT NULL,
  probability_pct BIGINT, expected_close_date TEXT COLLATE "C", taken_at TEXT COLLATE "C" NOT NULL,
  UNIQUE (snapshot_week, opportunity_id));
CREATE INDEX opportunity_snapshots_week ON opportunity_snapshots(snapshot_week, expected_close_date);
CREATE TABLE sales_followups (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, rule TEXT COLLATE "C" NOT NULL, occasion TEXT COLLATE "C" NOT NULL,
  task_id BIGINT, created_at TEXT COLLATE "C" NOT NULL, UNIQUE (rule, occasion));
CREATE TABLE lead_forms (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE, name TEXT COLLATE "C" NOT NULL,
  form_key TEXT COLLATE "C" NOT NULL UNIQUE, active BIGINT NOT NULL DEFAULT 1,
  campaign TEXT COLLATE "C", medium TEXT COLLATE "C", assignee_id BIGINT REFERENCES users(id),
  assignment TEXT COLLATE "C" NOT NULL DEFAULT 'assignee', team_id BIGINT REFERENCES teams(id),
  consent_text TEXT COLLATE "C", thank_you_text TEXT COLLATE "C", redirect_url TEXT COLLATE "C",
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE TABLE sales_territories (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE, name TEXT COLLATE "C" NOT NULL,
  postcode_prefixes TEXT COLLATE "C" NOT NULL DEFAULT '[]', user_id BIGINT NOT NULL REFERENCES users(id),
  active BIGINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE TABLE sales_round_robin (team_id BIGINT PRIMARY KEY, last_user_id BIGINT NOT NULL);
CREATE TABLE lead_submissions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE,
  form_id BIGINT REFERENCES lead_forms(id) ON DELETE CASCADE, received_at TEXT COLLATE "C" NOT NULL,
  client_address TEXT COLLATE "C", outcome TEXT COLLATE "C" NOT NULL,
  contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL, payload TEXT COLLATE "C",
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE INDEX lead_submissions_address ON lead_submissions(client_address, received_at);
CREATE INDEX lead_submissions_received ON lead_submissions(received_at NULLS FIRST, id);
ALTER TABLE contacts ADD COLUMN lead_form_id BIGINT REFERENCES lead_forms(id) ON DELETE SET NULL;
ALTER TABLE accounts ADD COLUMN source_type TEXT COLLATE "C";
ALTER TABLE accounts ADD COLUMN source_campaign TEXT COLLATE "C";
ALTER TABLE accounts ADD COLUMN source_medium TEXT COLLATE "C";
ALTER TABLE accounts ADD COLUMN lead_form_id BIGINT REFERENCES lead_forms(id) ON DELETE SET NULL;
)";


// Version 2: amounts in the company's currency (exchange rates), quote versions, and the VAT an
// order from a quote keeps beside its net amount.
const char* kSqliteV2 = R"(
CREATE TABLE exchange_rates (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, currency TEXT NOT NULL, rate TEXT NOT NULL, valid_from TEXT NOT NULL,
  notes TEXT,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE UNIQUE INDEX exchange_rates_day ON exchange_rates(currency, valid_from);
ALTER TABLE opportunities ADD COLUMN company_amount_cents INTEGER NOT NULL DEFAULT 0;
UPDATE opportunities SET company_amount_cents = amount_cents;
DROP INDEX opportunities_board_figures;
CREATE INDEX opportunities_board_figures ON opportunities(pipeline_id, stage, archived_at, status, company_amount_cents,
  probability_pct, expected_close_date, owner_id, team_id);
ALTER TABLE quotes ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE quotes ADD COLUMN previous_quote_id INTEGER REFERENCES quotes(id) ON DELETE SET NULL;
CREATE INDEX quotes_previous ON quotes(previous_quote_id);
ALTER TABLE orders ADD COLUMN vat_cents INTEGER;
)";

const char* kPostgresqlV2 = R"(
CREATE TABLE exchange_rates (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, external_id TEXT COLLATE "C" UNIQUE,
  currency TEXT COLLATE "C" NOT NULL, rate TEXT COLLATE "C" NOT NULL, valid_from TEXT COLLATE "C" NOT NULL,
  notes TEXT COLLATE "C",
  version BIGINT NOT NULL DEFAULT 1, created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  created_by BIGINT, updated_by BIGINT);
CREATE UNIQUE INDEX exchange_rates_day ON exchange_rates(currency, valid_from);
ALTER TABLE opportunities ADD COLUMN company_amount_cents BIGINT NOT NULL DEFAULT 0;
UPDATE opportunities SET company_amount_cents = amount_cents;
DROP INDEX opportunities_board_figures;
CREATE INDEX opportunities_board_figures ON opportunities(pipeline_id, stage, archived_at, status, company_amount_cents,
  probability_pct, expected_close_date, owner_id, team_id);
ALTER TABLE quotes ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
ALTER TABLE quotes ADD COLUMN previous_quote_id BIGINT REFERENCES quotes(id) ON DELETE SET NULL;
CREATE INDEX quotes_previous ON quotes(previous_quote_id NULLS FIRST);
ALTER TABLE orders ADD COLUMN vat_cents BIGINT;
)";

// Web forms with a double opt-in (the e-mail module sends the confirmation).
const char* kSqliteV3 = "ALTER TABLE lead_forms ADD COLUMN double_optin INTEGER NOT NULL DEFAULT 0;";
const char* kPostgresqlV3 = "ALTER TABLE lead_forms ADD COLUMN double_optin BIGINT NOT NULL DEFAULT 0;";

const char* kReferrerIndex =
    "CREATE INDEX opportunities_referrer ON opportunities(referred_by_contact_id) WHERE referred_by_contact_id IS NOT NULL;";

// A customer's 360° reads its deals, quotes, referrals and rewards in their list's order from an
// index instead of sorting them: each sort with a LIMIT built a temporary B-tree, even for an
// empty list (bench/README.md, "The 360° at 1M, seventh pass"). The rewards earned by bringing a
// contact had no index at all: each view, and each deletion of a contact or an account, walked
// every reward. NULLS FIRST on PostgreSQL, as everywhere: a backward scan gives DESC NULLS LAST.
std::string view_order_indexes(bool postgresql) {
  const std::string nf = postgresql ? " NULLS FIRST" : "";
  std::string sql;
  auto index = [&](const std::string& name, const std::string& table, const std::string& column, const std::string& order,
                   bool sparse, bool replace) {
    if (replace) sql += "DROP INDEX " + name + ";";
    sql += "CREATE INDEX " + name + " ON " + table + "(" + column + nf + (order.empty() ? "" : ", " + order + nf) + ")" +
           (sparse ? " WHERE " + column + " IS NOT NULL;" : ";");
  };
  index("opportunities_contact", "opportunities", "contact_id", "updated_at", false, true);
  index("opportunities_account", "opportunities", "account_id", "updated_at", false, true);
  index("opportunities_referrer", "opportunities", "referred_by_contact_id", "updated_at", true, true);
  index("quotes_contact", "quotes", "contact_id", "created_at", false, true);
  index("quotes_account", "quotes", "account_id", "created_at", false, true);
  index("referral_rewards_contact", "referral_rewards", "contact_id", "earned_on", false, true);
  index("referral_rewards_referred_contact", "referral_rewards", "referred_contact_id", "earned_on", true, false);
  index("referral_rewards_referred_account", "referral_rewards", "referred_account_id", "", true, false);
  return sql;
}

}  // namespace

std::vector<kernel::Migration> migrations() {
  return {{"sqlite", 1, "sales", kSqlite}, {"postgresql", 1, "sales", kPostgresql},
          {"sqlite", 2, "sales currency, quote versions, order VAT", kSqliteV2},
          {"postgresql", 2, "sales currency, quote versions, order VAT", kPostgresqlV2},
          {"sqlite", 3, "web forms' double opt-in", kSqliteV3}, {"postgresql", 3, "web forms' double opt-in", kPostgresqlV3},
          {"postgresql", 4, "search pending lists",  // migrations/postgresql/014_search_pending_list.sql
           "ALTER INDEX opportunities_search_tsv SET (gin_pending_list_limit = 64);"
           "ALTER INDEX quotes_search_tsv SET (gin_pending_list_limit = 64);"},
          {"sqlite", 4, "search prefixes",
           store::sqlite_search_rebuild("opportunities_search") + store::sqlite_search_rebuild("quotes_search")},
          // A contact's 360° lists the deals it brought (referred_by_contact_id): without an index,
          // every view walked every opportunity.
          {"sqlite", 5, "referrer index", kReferrerIndex},
          {"postgresql", 5, "referrer index", kReferrerIndex},
          {"sqlite", 6, "360° list orders", view_order_indexes(false)},
          {"postgresql", 6, "360° list orders", view_order_indexes(true)},
          {"postgresql", 7, "search words",
           store::pg_search_words("opportunities_search") + store::pg_search_words("quotes_search")}};
}

}  // namespace gz::modules::sales
