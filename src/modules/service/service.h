// The service module's pieces, declared once: the entities' hooks (module.cpp lists the
// entities), the case service (cases.cpp: events, replies, notes, the SLA replay, merge), the
// queue (routing.cpp), calls and the screen pop (calls.cpp), the knowledge base (knowledge.cpp),
// interventions (interventions.cpp), surveys (surveys.cpp), the dashboard (dashboard.cpp), e-mail
// cases (email_cases.cpp), the public request form (support_form.cpp), the jobs (jobs.cpp), the
// routes (routes.cpp) and the French of the messages (messages.cpp); the replay itself is sla.h,
// the invitations icalendar.h, the demo demo_service.h. docs/service.md describes them.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/problem.h"
#include "domain/access.h"
#include "domain/entity_rules.h"
#include "kernel/module.h"
#include "modules/email/mime_message.h"
#include "modules/service/sla.h"
#include "store/database.h"

namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http
namespace gz::domain {
class JobHandlers;
class JobQueue;
struct View360;
}  // namespace gz::domain

namespace gz::modules::service {

using json = nlohmann::json;

// ---- module.cpp: choices used by the entities ----
const std::vector<kernel::Choice>& weekdays();
const std::vector<kernel::Choice>& script_answer_kinds();
const std::vector<kernel::Choice>& script_targets();

// ---- hooks (rules.cpp) ----
void calendar_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors);
void sla_policy_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors);
void case_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors);
void case_after_write(domain::WriteContext& ctx, const json& record);
void agent_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors);
void script_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors);
void article_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors);
void article_after_write(domain::WriteContext& ctx, const json& record);
void intervention_rules(domain::WriteContext& ctx, json& record, FieldErrors& errors);
void intervention_after_write(domain::WriteContext& ctx, const json& record);

std::vector<kernel::Migration> migrations();
void add_routes(http::Api& api, http::Services& s);
void add_jobs(domain::JobHandlers& handlers);
void view360(domain::View360& v);
std::vector<std::pair<std::string, std::string>> messages_fr();

// ---- cases.cpp ----

// "HH:MM" → minutes from midnight (24:00 → 1440); nullopt when malformed.
std::optional<int> parse_hhmm(const std::string& text);

// A calendar as stored (business_calendars + its ranges and closing days); nullopt: unknown id.
std::optional<CalendarSpec> load_calendar(store::Connection& c, int64_t calendar_id);

// The service levels of one case at `now`, replayed from its events.
struct CaseSla {
  SlaResult result;
  std::vector<json> policies;  // {id, name} of the policies that apply
  std::optional<std::string> tier;
};
CaseSla replay_case(store::Connection& c, const json& case_row, int64_t now);
// Replays and stores what the lists sort and filter by (sla_state, the due dates): derived
// columns, written without a new version since nothing a user wrote changed.
CaseSla refresh_case_sla(store::Connection& c, int64_t case_id, int64_t now);
// The SLA as the API shows it: per metric its state and label, due date, remaining business
// minutes, the policy; labels in `lang`.
json sla_json(const CaseSla& sla, const std::string& lang);

// One event of a case's history (case_events). kind: created, reply, customer_message, note,
// status, assignment, priority, tier_override, merged, escalated, warned, call, survey, script.
int64_t record_case_event(store::Connection& c, int64_t case_id, const std::string& kind, std::optional<int64_t> user_id,
                          const json& data = json::object(), std::optional<std::string> at = std::nullopt);

// The tier a case is served at: its override, else its company's manual tier, else the computed
// tier of its contact, else of its company.
std::optional<std::string> case_tier(store::Connection& c, const json& case_row);

struct ReplyRequest {
  std::string body;
  bool by_email = true;                      // sent to the contact's address when it has one
  std::optional<std::string> status;         // the case's status after the reply (default: a new or reopened case becomes open)
  std::vector<email::MailAttachment> attachments;
};

class CaseService {
 public:
  explicit CaseService(store::Database& db) : db_(db) {}
  // A reply to the customer: the only thing that counts as a response. On the customer's
  // timeline as an interaction, sent by e-mail through the case's mailbox when asked.
  json reply(const domain::Actor& actor, int64_t case_id, ReplyRequest r, domain::JobQueue& queue, const std::string& base_url);
  // An internal note: never shown to the customer, never a response.
  json note(const domain::Actor& actor, int64_t case_id, const std::string& body);
  // Something the customer said outside e-mail (a call, a visit): starts the next-response clock.
  json customer_message(const domain::Actor& actor, int64_t case_id, const std::string& body, const std::string& channel);
  // The case's history, newest last, with who did what, and its SLA now.
  json history(const domain::Actor& actor, int64_t case_id, const std::string& lang);
  // Moves source's events, messages and work into target and closes source (merged_into_id).
  json merge(const domain::Actor& actor, int64_t source_id, int64_t target_id);
  // The answers of a call script, checked against its questions and branches; stored on the case
  // and, where a question maps to one, on the case's or contact's field.
  json answer_script(const domain::Actor& actor, int64_t case_id, int64_t script_id, const json& answers);

 private:
  store::Database& db_;
};

// The case a visible id names, or Problem 404; writable_case also requires the right to change cases (403).
json visible_case(store::Connection& c, const domain::Actor& actor, int64_t case_id);
json writable_case(store::Connection& c, const domain::Actor& actor, int64_t case_id);

// "Oui > panne; Non > fin" → {"oui": "panne", "non": "fin"} (answers folded).
std::map<std::string, std::string> parse_branches(const std::string& text);

// ---- routing.cpp: one queue for every channel ----
struct QueueService {
  store::Database& db;
  // Adds a case to the queue (a work item of its channel) unless it already waits there.
  static void enqueue(store::Connection& c, int64_t case_id, const std::string& channel, std::optional<std::string> call_id = {});
  // Offers waiting items to the best available agent; takes back the offers older than the
  // hand-off timeout (they go to the next agent). Returns how many items were offered.
  int dispatch(int64_t now);
  // Whether dispatch has anything to do (read-only): an offer past its hand-off time, or a
  // waiting item and an available agent with room. Readers of the queue dispatch only then, so
  // that reading the queue takes no write lock in the steady state.
  bool dispatch_needed(int64_t now);
  json queue(const domain::Actor& actor, bool everyone);
  json accept(const domain::Actor& actor, int64_t item_id);
  json decline(const domain::Actor& actor, int64_t item_id);
  json reassign(const domain::Actor& actor, int64_t item_id, int64_t agent_user_id);
  json set_availability(const domain::Actor& actor, const std::string& availability);
  json agents(const domain::Actor& actor);
};
// The order of the queue, kept on each work item (rewritten by every replay of its case): the
// customer's tier, then the nearest deadline, then the priority, then the age.
std::string urgency_key(const std::string& tier, const std::string& sla_due_at, const std::string& priority, const std::string& created_at);
// Minutes an offered item waits for its agent before it goes to the next one (company setting
// service_handoff_minutes, default 2).
int64_t handoff_seconds(store::Connection& c);

// ---- calls.cpp ----
// One event of a phone system (ringing, answered, ended), idempotent; returns the call.
json call_event(store::Database& db, const domain::Actor& actor, const json& body);
json link_call(store::Database& db, const domain::Actor& actor, const std::string& call_id, const json& body);
std::vector<json> pops_after(store::Database& db, int64_t agent_id, int64_t after_id);
int64_t pops_start(store::Database& db, int64_t agent_id);

// ---- surveys.cpp ----
// Creates the one-use survey of a solved case (its link is sent to the contact by e-mail when a
// mailbox sends automatic messages). Returns the token, or nullopt when the case has none to get.
std::optional<std::string> create_survey(store::Connection& c, int64_t case_id, int64_t now);
std::string survey_token(store::Connection& c, int64_t survey_id);
std::string configured_public_url(store::Connection& c);
json send_survey(store::Database& db, domain::JobQueue& queue, int64_t survey_id);
// The public page of a link: (HTTP status, HTML).
std::pair<int, std::string> survey_page(store::Database& db, const std::string& token);
json answer_survey(store::Database& db, const std::string& token, const json& answer);
json case_survey(store::Connection& c, int64_t case_id, const std::string& base_url);

// ---- knowledge.cpp ----
// Published articles close to a case's subject and description (accent-insensitive words, any
// of them, best first); public_only for the self-service page.
json article_suggestions(store::Connection& c, const std::string& text, bool public_only, int limit);
json vote_article(store::Database& db, int64_t article_id, const std::string& voter, bool helpful, bool public_only);
json article_from_case(store::Database& db, const domain::Actor& actor, int64_t case_id);
std::pair<int, std::string> kb_page(store::Database& db, const std::string& query);
std::pair<int, std::string> kb_article_page(store::Database& db, int64_t id, const std::string& notice = "");

// ---- interventions.cpp ----
json send_invitation(store::Database& db, domain::JobQueue& queue, int64_t intervention_id, int64_t sequence);
json report_intervention(store::Database& db, const domain::Actor& actor, int64_t id, const json& body);

// ---- dashboard.cpp ----
json dashboard(store::Database& db, const domain::Actor& actor, const std::string& from, const std::string& to, const std::string& lang);
// The service's cost per customer over a period (handling time × hourly cost + interventions),
// for the profitability analysis.
json service_costs(store::Connection& c, const std::string& from, const std::string& to);

// ---- email_cases.cpp ----
// Called by the e-mail module for each message stored (same transaction): a message to a
// mailbox that opens cases opens a case or joins its case's history.
void on_email_stored(store::Connection& c, int64_t email_id);

// ---- support_form.cpp: the public request form (/support) ----
std::string support_form_page(const json& values, const std::map<std::string, std::string>& errors);
// Opens a case of channel web for the contact of the address (made when none has it); throws
// Problem naming the fields.
json submit_support_form(store::Database& db, const json& fields);

// ---- jobs.cpp: the SLA watch (warnings before a deadline, escalation on a breach) ----
json watch_sla(store::Database& db, int64_t now);

}  // namespace gz::modules::service
