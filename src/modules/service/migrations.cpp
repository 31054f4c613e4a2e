// The service module's tables (Module::migrations). Written once for SQLite; the PostgreSQL
// form is derived by postgresql_of (64-bit integers, identity keys, byte-order collation as the
// core tables use), with the full-text tables written for each backend.
#include <regex>

#include "modules/service/service.h"
#include "store/migrations.h"

namespace gz::modules::service {

namespace {

const char* kTables = R"(
CREATE TABLE case_categories (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, default_type TEXT, skill TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE complaint_reasons (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, code TEXT, active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE service_groups (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, supervisor_id INTEGER REFERENCES users(id),
  description TEXT,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE business_calendars (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, time_zone TEXT NOT NULL DEFAULT 'Europe/Paris',
  french_holidays INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE calendar_ranges (
  id INTEGER PRIMARY KEY, calendar_id INTEGER NOT NULL REFERENCES business_calendars(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, weekday TEXT NOT NULL, starts TEXT NOT NULL, ends TEXT NOT NULL);
CREATE INDEX calendar_ranges_parent ON calendar_ranges(calendar_id, position);
CREATE TABLE calendar_closures (
  id INTEGER PRIMARY KEY, calendar_id INTEGER NOT NULL REFERENCES business_calendars(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, day TEXT NOT NULL, label TEXT);
CREATE INDEX calendar_closures_parent ON calendar_closures(calendar_id, position);
CREATE TABLE sla_policies (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, tier TEXT, priority TEXT, channel TEXT,
  calendar_id INTEGER REFERENCES business_calendars(id), first_response_minutes INTEGER, next_response_minutes INTEGER,
  resolution_minutes INTEGER, warn_before_minutes INTEGER NOT NULL DEFAULT 30, escalate INTEGER NOT NULL DEFAULT 1,
  face_to_face INTEGER NOT NULL DEFAULT 0, is_default INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE call_scripts (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT NOT NULL, case_type TEXT,
  category_id INTEGER REFERENCES case_categories(id), active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE call_script_steps (
  id INTEGER PRIMARY KEY, script_id INTEGER NOT NULL REFERENCES call_scripts(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, key TEXT NOT NULL, question TEXT NOT NULL, answer_kind TEXT NOT NULL DEFAULT 'text',
  choices TEXT, branches TEXT, next TEXT, maps_to TEXT, required INTEGER NOT NULL DEFAULT 0);
CREATE INDEX call_script_steps_parent ON call_script_steps(script_id, position);
CREATE TABLE cases (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, number TEXT UNIQUE, subject TEXT NOT NULL, description TEXT,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  type TEXT NOT NULL DEFAULT 'assistance', category_id INTEGER REFERENCES case_categories(id),
  complaint_reason_id INTEGER REFERENCES complaint_reasons(id), priority TEXT NOT NULL DEFAULT 'normal',
  channel TEXT NOT NULL DEFAULT 'phone', status TEXT NOT NULL DEFAULT 'new', assignee_id INTEGER REFERENCES users(id),
  group_id INTEGER REFERENCES service_groups(id), language TEXT NOT NULL DEFAULT 'fr', value_tier TEXT, tier_override TEXT,
  sla_policy_ids TEXT, sla_state TEXT, first_response_due_at TEXT, next_response_due_at TEXT, resolution_due_at TEXT,
  sla_due_at TEXT, first_responded_at TEXT, solved_at TEXT, closed_at TEXT, escalated_at TEXT,
  merged_into_id INTEGER REFERENCES cases(id), parent_case_id INTEGER REFERENCES cases(id),
  script_id INTEGER REFERENCES call_scripts(id), script_answers TEXT, csat INTEGER, nps INTEGER, handling_seconds INTEGER,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE INDEX cases_contact ON cases(contact_id, created_at);
CREATE INDEX cases_account ON cases(account_id, created_at);
CREATE INDEX cases_assignee ON cases(assignee_id, status, sla_due_at);
CREATE INDEX cases_status ON cases(status, sla_due_at);
CREATE INDEX cases_created ON cases(created_at, id);
CREATE INDEX cases_due ON cases(sla_due_at, id);
-- The e-mail thread a case's messages are in (a reply of the customer finds its case).
CREATE TABLE case_threads (thread_id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE);
CREATE INDEX case_threads_case ON case_threads(case_id);
-- What the last replay found, for the dashboard's attainment figures (derived, rewritten by each replay).
CREATE TABLE case_sla (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE, policy_id INTEGER, tier TEXT,
  first_response_state TEXT, next_response_state TEXT, resolution_state TEXT, next_response_breaches INTEGER NOT NULL DEFAULT 0,
  warned_for TEXT, escalated_for TEXT, replayed_at TEXT NOT NULL);
CREATE TABLE case_events (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  at TEXT NOT NULL, kind TEXT NOT NULL, user_id INTEGER REFERENCES users(id), data TEXT NOT NULL DEFAULT '{}',
  interaction_id INTEGER REFERENCES interactions(id) ON DELETE SET NULL, email_id INTEGER);
CREATE INDEX case_events_case ON case_events(case_id, at, id);
CREATE TABLE case_attachments (
  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  event_id INTEGER REFERENCES case_events(id) ON DELETE CASCADE, filename TEXT NOT NULL, content_type TEXT NOT NULL,
  size INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX case_attachments_case ON case_attachments(case_id);
CREATE TABLE service_sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
-- The desk's settings (one row): minutes an offer waits before the next agent, days after which a
-- customer's reply to a solved case opens a new case instead of reopening it, days a survey link lasts.
-- No row until the settings are first changed: the defaults are the columns' (a new database holds no data).
CREATE TABLE service_settings (id INTEGER PRIMARY KEY CHECK (id = 1), handoff_minutes INTEGER NOT NULL DEFAULT 2,
  reopen_days INTEGER NOT NULL DEFAULT 7, survey_days INTEGER NOT NULL DEFAULT 14, public_url TEXT,
  hourly_cost_cents INTEGER NOT NULL DEFAULT 0, intervention_cost_cents INTEGER NOT NULL DEFAULT 0);
CREATE TABLE service_agents (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, user_id INTEGER NOT NULL UNIQUE REFERENCES users(id),
  group_id INTEGER REFERENCES service_groups(id), extension TEXT UNIQUE, skills TEXT NOT NULL DEFAULT '[]',
  languages TEXT NOT NULL DEFAULT '["fr"]', phone_capacity INTEGER NOT NULL DEFAULT 1, email_capacity INTEGER NOT NULL DEFAULT 5,
  web_capacity INTEGER NOT NULL DEFAULT 5, availability TEXT NOT NULL DEFAULT 'offline', availability_since TEXT,
  last_offered_at TEXT,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE TABLE work_items (
  id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE, channel TEXT NOT NULL,
  call_id TEXT, status TEXT NOT NULL DEFAULT 'waiting', agent_id INTEGER REFERENCES users(id),
  offered_at TEXT, accepted_at TEXT, done_at TEXT, passed_by TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL,
  urgency TEXT NOT NULL DEFAULT '3|9999|2|');
CREATE INDEX work_items_urgency ON work_items(status, urgency, id);
CREATE INDEX work_items_agent ON work_items(agent_id, status, urgency);
CREATE INDEX work_items_case ON work_items(case_id, status);
CREATE TABLE calls (
  id INTEGER PRIMARY KEY, call_id TEXT NOT NULL UNIQUE, direction TEXT NOT NULL DEFAULT 'inbound',
  caller TEXT, called TEXT, extension TEXT, agent_id INTEGER REFERENCES users(id), state TEXT NOT NULL,
  ringing_at TEXT, answered_at TEXT, ended_at TEXT, duration_seconds INTEGER, contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL, case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
  interaction_id INTEGER REFERENCES interactions(id) ON DELETE SET NULL, events TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE screen_pops (
  id INTEGER PRIMARY KEY, agent_id INTEGER NOT NULL REFERENCES users(id), call_id TEXT NOT NULL, event TEXT NOT NULL,
  payload TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX screen_pops_agent ON screen_pops(agent_id, id);
CREATE TABLE kb_articles (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, title TEXT NOT NULL, body TEXT NOT NULL,
  category_id INTEGER REFERENCES case_categories(id), keywords TEXT NOT NULL DEFAULT '[]',
  visibility TEXT NOT NULL DEFAULT 'internal', status TEXT NOT NULL DEFAULT 'draft', revision INTEGER NOT NULL DEFAULT 1,
  helpful_count INTEGER NOT NULL DEFAULT 0, not_helpful_count INTEGER NOT NULL DEFAULT 0,
  source_case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE INDEX kb_articles_updated ON kb_articles(updated_at, id);
CREATE TABLE kb_article_versions (
  id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, saved_at TEXT NOT NULL, saved_by INTEGER);
CREATE UNIQUE INDEX kb_article_versions_rev ON kb_article_versions(article_id, revision);
CREATE TABLE kb_votes (
  id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  voter TEXT NOT NULL, helpful INTEGER NOT NULL, voted_at TEXT NOT NULL);
CREATE UNIQUE INDEX kb_votes_voter ON kb_votes(article_id, voter);
CREATE TABLE interventions (
  id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, title TEXT NOT NULL, case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  technician_id INTEGER NOT NULL REFERENCES users(id), starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, address TEXT,
  postal_code TEXT, city TEXT, status TEXT NOT NULL DEFAULT 'planned', report TEXT, ical_uid TEXT, ical_sequence INTEGER,
  invitation_sent_at TEXT, invitation_status TEXT,
  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_by INTEGER, updated_by INTEGER);
CREATE INDEX interventions_technician ON interventions(technician_id, starts_at);
CREATE INDEX interventions_starts ON interventions(starts_at, id);
CREATE INDEX interventions_case ON interventions(case_id);
CREATE INDEX interventions_contact ON interventions(contact_id, starts_at);
CREATE TABLE surveys (
  id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, agent_id INTEGER REFERENCES users(id),
  channel TEXT, category_id INTEGER, tier TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, sent_at TEXT,
  answered_at TEXT, csat INTEGER, nps INTEGER, comment TEXT, answers TEXT NOT NULL DEFAULT '{}',
  follow_up_case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL);
CREATE INDEX surveys_case ON surveys(case_id);
CREATE INDEX surveys_answered ON surveys(answered_at);
ALTER TABLE mailboxes ADD COLUMN opens_cases INTEGER NOT NULL DEFAULT 0;
)";

const char* kSqliteSearch = R"(
CREATE VIRTUAL TABLE cases_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
CREATE VIRTUAL TABLE kb_articles_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
)";

const char* kPostgresqlSearch = R"(
CREATE TABLE cases_search (rowid BIGINT PRIMARY KEY, body TEXT COLLATE "C" NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);
CREATE INDEX cases_search_tsv ON cases_search USING gin (tsv);
CREATE TABLE kb_articles_search (rowid BIGINT PRIMARY KEY, body TEXT COLLATE "C" NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);
CREATE INDEX kb_articles_search_tsv ON kb_articles_search USING gin (tsv);
)";

// The PostgreSQL form of the tables above: identity keys, BIGINT integers, TEXT in byte order
// (as every core table: sorting and comparisons match SQLite's), nullable sort columns first.
std::string postgresql_of(const std::string& sqlite) {
  std::string s = std::regex_replace(sqlite, std::regex(R"(\bINTEGER PRIMARY KEY\b)"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  s = std::regex_replace(s, std::regex(R"(\bINTEGER\b)"), "BIGINT");
  s = std::regex_replace(s, std::regex(R"(\bTEXT\b)"), "TEXT COLLATE \"C\"");
  s = std::regex_replace(s, std::regex(R"(sla_due_at, id\))"), "sla_due_at NULLS FIRST, id)");
  s = std::regex_replace(s, std::regex(R"(TEXT COLLATE "C" PRIMARY KEY)"), "TEXT COLLATE \"C\" PRIMARY KEY");
  return s;
}

constexpr const char* kInterventionsByAccount = "CREATE INDEX interventions_account ON interventions(account_id, starts_at);";

}  // namespace

std::vector<kernel::Migration> migrations() {
  return {{"sqlite", 1, "service desk", std::string(kTables) + kSqliteSearch},
          {"postgresql", 1, "service desk", postgresql_of(kTables) + kPostgresqlSearch},
          {"postgresql", 2, "search pending lists",  // migrations/postgresql/014_search_pending_list.sql
           "ALTER INDEX cases_search_tsv SET (gin_pending_list_limit = 64);"
           "ALTER INDEX kb_articles_search_tsv SET (gin_pending_list_limit = 64);"},
          {"sqlite", 2, "search prefixes",
           store::sqlite_search_rebuild("cases_search") + store::sqlite_search_rebuild("kb_articles_search")},
          {"postgresql", 3, "search words",
           store::pg_search_words("cases_search") + store::pg_search_words("kb_articles_search")},
          // An account's 360° lists its interventions: without an index, each view (and each
          // deletion of an account, ON DELETE SET NULL) walked every intervention.
          {"sqlite", 3, "interventions by account", kInterventionsByAccount},
          {"postgresql", 4, "interventions by account", kInterventionsByAccount}};
}

}  // namespace gz::modules::service
