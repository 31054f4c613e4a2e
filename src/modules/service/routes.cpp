// The service desk's routes beyond the generic record routes of its entities (docs/service.md).
#include "core/clock.h"
#include "core/crypto.h"
#include "core/json_text.h"
#include "core/message.h"
#include "domain/customer_view.h"
#include "domain/jobs.h"
#include "domain/records.h"
#include "http/api.h"
#include "http/params.h"
#include "http/public_page.h"
#include "modules/email/email_service.h"
#include "modules/service/service.h"

namespace gz::modules::service {

namespace {

bool supervises(const domain::Actor& a) { return a.is_admin() || a.may("service.supervise") || a.role == "manager"; }

void send_html(httplib::Response& res, const std::pair<int, std::string>& page) {
  res.status = page.first;
  res.set_content(page.second, "text/html; charset=utf-8");
}

std::string body_text(const json& b, const char* key) {
  const json& v = b.value(key, json());
  if (v.is_null()) return "";
  if (!v.is_string()) throw Problem(ProblemKind::Unprocessable, tr("must be a text"), {{key, tr("must be a text")}});
  return v.get<std::string>();
}

int64_t body_id(const json& b, const char* key) {
  const json& v = b.value(key, json());
  if (!v.is_number_integer() || v.get<int64_t>() <= 0)
    throw Problem(ProblemKind::Unprocessable, tr("must be a record id"), {{key, tr("must be a record id")}});
  return v.get<int64_t>();
}

// The desk's settings, the defaults while none was changed.
json service_settings(store::Connection& c) {
  json s = c.query_one("SELECT handoff_minutes, reopen_days, survey_days, public_url, hourly_cost_cents, intervention_cost_cents "
                       "FROM service_settings WHERE id = 1");
  if (!s.is_null()) return s;
  return {{"handoff_minutes", 2}, {"reopen_days", 7}, {"survey_days", 14}, {"public_url", nullptr}, {"hourly_cost_cents", 0},
          {"intervention_cost_cents", 0}};
}

}  // namespace

void add_routes(http::Api& api, http::Services& s) {
  // ---- Cases ----
  api.add({"GET", "/api/v1/cases/{id}/history",
           "The case's history, oldest first: created, replies to the customer, the customer's messages, internal notes, "
           "status, assignment, priority and tier changes, calls, scripts, interventions, surveys, warnings and escalations "
           "(kind, at, user_name, data with labels, public: seen by the customer); and its service levels now (sla)",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {});
             http::send_json(ctx.res, 200, CaseService(s.db).history(ctx.actor, ctx.id_param(), ctx.lang()));
           }});
  api.add({"GET", "/api/v1/cases/{id}/sla",
           "The case's service levels replayed now from its history: per metric (first_response, next_response, "
           "resolution) the state, due date, remaining business minutes and the policy giving the earliest deadline",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             json out = store::with_transaction(s.db, false, [&](store::Connection& c) {
               json cs = visible_case(c, ctx.actor, ctx.id_param());
               return sla_json(replay_case(c, cs, clock::now_unix()), ctx.lang());
             });
             http::send_json(ctx.res, 200, out);
           }});
  api.add({"POST", "/api/v1/cases/{id}/replies",
           "A reply to the customer (the only thing that counts as a response): body; by_email (default true: sent to the "
           "contact's address from the case's mailbox, threaded with the customer's last message); status (the case's status "
           "afterwards; default open when new or reopened); attachments [{filename, content_type, content_base64}]",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"body", "by_email", "status", "attachments"});
             ReplyRequest r;
             r.body = body_text(b, "body");
             r.by_email = http::body_bool(b, "by_email", true);
             if (!body_text(b, "status").empty()) r.status = body_text(b, "status");
             r.attachments = email::attachments_of(b);
             domain::JobQueue queue(s.db);
             http::send_json(ctx.res, 201, CaseService(s.db).reply(ctx.actor, ctx.id_param(), r, queue, http::public_base_url(ctx.req)));
           }, 201});
  api.add({"POST", "/api/v1/cases/{id}/notes", "An internal note (body): never shown to the customer, never a response", "cases",
           true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"body"});
             http::send_json(ctx.res, 201, CaseService(s.db).note(ctx.actor, ctx.id_param(), body_text(b, "body")));
           }, 201});
  api.add({"POST", "/api/v1/cases/{id}/customer-messages",
           "What the customer said outside e-mail (body, channel: phone, web, in_person…): starts the next-response clock, "
           "reopens a solved case and resumes one waiting for the customer",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"body", "channel"});
             http::send_json(ctx.res, 201,
                             CaseService(s.db).customer_message(ctx.actor, ctx.id_param(), body_text(b, "body"), body_text(b, "channel")));
           }, 201});
  api.add({"POST", "/api/v1/cases/{id}/merge",
           "Merges this case into another (into_id): its messages, notes, attachments, e-mail thread and interventions move "
           "there; this case is closed and points to the other",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"into_id"});
             http::send_json(ctx.res, 200, CaseService(s.db).merge(ctx.actor, ctx.id_param(), body_id(b, "into_id")));
           }, 200});
  api.add({"POST", "/api/v1/cases/{id}/script",
           "The answers of a call script (script_id, answers: {question key: answer}) checked along the script's branches; "
           "stored on the case (script_answers) and, where a question says so, in a field of the case or the contact",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"script_id", "answers"});
             http::send_json(ctx.res, 200,
                             CaseService(s.db).answer_script(ctx.actor, ctx.id_param(), body_id(b, "script_id"), b.value("answers", json())));
           }, 200});
  api.add({"GET", "/api/v1/cases/{id}/suggestions",
           "Published knowledge-base articles close to the case's subject and description (accent-insensitive, best first): "
           "id, title, excerpt, visibility, helpful_count",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             json out = store::with_transaction(s.db, false, [&](store::Connection& c) {
               json cs = visible_case(c, ctx.actor, ctx.id_param());
               return article_suggestions(c, text_of(cs, "subject") + " " + text_of(cs, "description"), false, 5);
             });
             http::send_json(ctx.res, 200, {{"data", out}});
           }});
  api.add({"POST", "/api/v1/cases/{id}/article",
           "Turns the case's solution into a draft internal article: its subject as title, its description and replies as "
           "content, its category; linked to the case",
           "cases", true, "", "kb_articles", [&s](http::RequestContext& ctx) {
             http::send_json(ctx.res, 201, article_from_case(s.db, ctx.actor, ctx.id_param()));
           }, 201});
  api.add({"GET", "/api/v1/cases/{id}/survey",
           "The satisfaction survey of a solved case: its one-use link (url, while unanswered), sent_at, expires_at, "
           "answered_at, csat, nps, comment, follow_up_case_id; null when the case has none",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             json out = store::with_transaction(s.db, false, [&](store::Connection& c) {
               visible_case(c, ctx.actor, ctx.id_param());
               std::string base = configured_public_url(c);
               return case_survey(c, ctx.id_param(), base.empty() ? http::public_base_url(ctx.req) : base);
             });
             http::send_json(ctx.res, 200, {{"survey", out}});
           }});

  // ---- The queue ----
  api.add({"GET", "/api/v1/service/queue",
           "The queue: the 50 most urgent waiting work items (waiting: how many wait) and yours (a supervisor: everyone's; "
           "?all=false: only theirs), most urgent first (tier, deadline, priority); me: your agent profile and availability; "
           "waiting items are offered first",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"all"});
             QueueService q{s.db};
             if (q.dispatch_needed(clock::now_unix())) q.dispatch(clock::now_unix());
             http::send_json(ctx.res, 200, q.queue(ctx.actor, http::query_bool(ctx.req, "all", true)));
           }});
  api.add({"POST", "/api/v1/service/work-items/{id}/accept", "Takes a work item offered to you (or waiting): the case becomes yours",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             http::send_json(ctx.res, 200, QueueService{s.db}.accept(ctx.actor, ctx.id_param()));
           }, 200});
  api.add({"POST", "/api/v1/service/work-items/{id}/decline", "Lets a work item offered to you go to the next agent", "cases", true, "",
           "", [&s](http::RequestContext& ctx) { http::send_json(ctx.res, 200, QueueService{s.db}.decline(ctx.actor, ctx.id_param())); },
           200});
  api.add({"POST", "/api/v1/service/work-items/{id}/assign", "A supervisor gives a work item to an agent (agent_id: a user id)",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"agent_id"});
             http::send_json(ctx.res, 200, QueueService{s.db}.reassign(ctx.actor, ctx.id_param(), body_id(b, "agent_id")));
           }, 200});
  api.add({"PUT", "/api/v1/service/me/availability", "Your availability as an agent: available, busy, away or offline", "cases", true,
           "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"availability"});
             http::send_json(ctx.res, 200, QueueService{s.db}.set_availability(ctx.actor, body_text(b, "availability")));
           }, 200});
  api.add({"GET", "/api/v1/service/agents", "The agents with their availability, skills, languages, load and capacity per channel",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             http::send_json(ctx.res, 200, QueueService{s.db}.agents(ctx.actor));
           }});
  api.add({"GET", "/api/v1/service/settings",
           "The desk's settings: handoff_minutes, reopen_days, survey_days, public_url (of survey links sent by e-mail), "
           "hourly_cost_cents, intervention_cost_cents",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             http::send_json(ctx.res, 200, store::with_transaction(s.db, false, [](store::Connection& c) { return service_settings(c); }));
           }});
  api.add({"PUT", "/api/v1/service/settings", "Changes the desk's settings (supervisors and managers)", "cases", true, "", "",
           [&s](http::RequestContext& ctx) {
             if (!supervises(ctx.actor)) throw Problem(ProblemKind::Forbidden, tr("only a supervisor of the service changes its settings"));
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"handoff_minutes", "reopen_days", "survey_days", "public_url", "hourly_cost_cents",
                                           "intervention_cost_cents"});
             json out = store::with_transaction(s.db, true, [&](store::Connection& c) {
               json cur = service_settings(c);
               const int64_t handoff = http::body_int(b, "handoff_minutes", cur["handoff_minutes"].get<int64_t>(), 1, 240);
               const int64_t reopen = http::body_int(b, "reopen_days", cur["reopen_days"].get<int64_t>(), 0, 365);
               const int64_t survey = http::body_int(b, "survey_days", cur["survey_days"].get<int64_t>(), 1, 365);
               const int64_t hourly = http::body_int(b, "hourly_cost_cents", cur["hourly_cost_cents"].get<int64_t>(), 0, 100000000);
               const int64_t visit = http::body_int(b, "intervention_cost_cents", cur["intervention_cost_cents"].get<int64_t>(), 0, 100000000);
               std::string url = b.contains("public_url") ? body_text(b, "public_url") : text_of(cur, "public_url");
               if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
                 throw Problem(ProblemKind::Unprocessable, tr("must start with https://"), {{"public_url", tr("must start with https://, e.g. https://crm.example.fr")}});
               c.execute("INSERT INTO service_settings (id, handoff_minutes, reopen_days, survey_days, public_url, hourly_cost_cents, "
                         "intervention_cost_cents) VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                         "handoff_minutes = excluded.handoff_minutes, reopen_days = excluded.reopen_days, survey_days = excluded.survey_days, "
                         "public_url = excluded.public_url, hourly_cost_cents = excluded.hourly_cost_cents, "
                         "intervention_cost_cents = excluded.intervention_cost_cents",
                         {handoff, reopen, survey, url.empty() ? json() : json(url), hourly, visit});
               return service_settings(c);
             });
             http::send_json(ctx.res, 200, out);
           }, 200});

  // ---- Calls and the screen pop ----
  api.add({"POST", "/api/v1/calls/events",
           "A phone system's call event (docs/cti.md): call_id, event (ringing, answered, ended), caller, called, extension "
           "(the agent's), direction (inbound, outbound), at (optional). Idempotent: the same event again changes nothing. "
           "Ringing pops the caller's file on the agent's screen; an ended call becomes an interaction with its duration",
           "calls", true, "", "", [&s](http::RequestContext& ctx) {
             http::send_json(ctx.res, 200, call_event(s.db, ctx.actor, http::parse_json_body(ctx.req)));
           }, 200});
  api.add({"POST", "/api/v1/calls/{call_id}/link",
           "Links a call to a contact (contact_id: the number joins the contact's phones) and/or a case (case_id: the call "
           "joins the case's history)",
           "calls", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"contact_id", "case_id"});
             http::send_json(ctx.res, 200, link_call(s.db, ctx.actor, ctx.path_param(0), b));
           }, 200});
  api.add({"GET", "/api/v1/service/stream",
           "Server-sent events for the signed-in agent: `call` (ringing with the caller's file: lookup and open_cases; "
           "answered; ended) and `offer` (a work item offered or assigned to you), within 100 ms, whichever server holds "
           "the connection",
           "calls", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {});
             store::Database& db = s.db;
             const int64_t agent = ctx.actor.user_id;
             auto last = std::make_shared<int64_t>(pops_start(db, agent));
             auto first = std::make_shared<bool>(true);
             http::EventStream stream;
             stream.interval = std::chrono::milliseconds(100);
             stream.poll = [&db, agent, last, first](std::string& out) {
               if (*first) {
                 out += "retry: 2000\n: connected\n\n";
                 *first = false;
               }
               for (const auto& p : pops_after(db, agent, *last)) {
                 *last = p["id"].get<int64_t>();
                 json payload = json::parse(text_of(p, "payload"), nullptr, false);
                 out += "event: " + text_of(p, "event") + "\ndata: " +
                        (payload.is_discarded() ? std::string("{}") : payload.dump(-1, ' ', false, json::error_handler_t::replace)) + "\n\n";
               }
               return true;
             };
             ctx.start_event_stream(std::move(stream));
           }, 200});

  // ---- Knowledge base ----
  api.add({"POST", "/api/v1/kb_articles/{id}/vote", "Whether the article helped (helpful: true or false); one vote per user, a new vote replaces it",
           "kb_articles", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"helpful"});
             if (!b.value("helpful", json()).is_boolean())
               throw Problem(ProblemKind::Unprocessable, tr("must be true or false"), {{"helpful", tr("must be true or false")}});
             http::send_json(ctx.res, 200, vote_article(s.db, ctx.id_param(), "user:" + std::to_string(ctx.actor.user_id), b["helpful"].get<bool>(), false));
           }, 200});
  api.add({"GET", "/kb", "The public self-service help: published public articles, searched with ?q= (accent-insensitive)", "kb_articles",
           false, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"q"});
             send_html(ctx.res, kb_page(s.db, http::query_text(ctx.req, "q", "")));
           }, 200});
  api.add({"GET", "/kb/{id}", "One public article, with its usefulness vote", "kb_articles", false, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {});
             send_html(ctx.res, kb_article_page(s.db, ctx.id_param()));
           }, 200});
  api.add({"POST", "/kb/{id}/vote", "A reader's vote on a public article (helpful=1 or 0), one per reader", "kb_articles", false, "", "",
           [&s](http::RequestContext& ctx) {
             bool html = false;
             json f = http::posted_fields(ctx.req, html);
             const std::string v = f.value("helpful", json()).is_string() ? f["helpful"].get<std::string>()
                                   : f.value("helpful", json()).is_boolean() ? (f["helpful"].get<bool>() ? "1" : "0") : "";
             if (v != "1" && v != "0") throw Problem(ProblemKind::Unprocessable, tr("must be 1 or 0"), {{"helpful", tr("must be 1 or 0")}});
             const std::string voter = "reader:" + crypto::sha256_hex(http::client_address(s, ctx.req) + "|" + ctx.req.get_header_value("User-Agent")).substr(0, 32);
             json r = vote_article(s.db, ctx.id_param(), voter, v == "1", true);
             if (html) send_html(ctx.res, kb_article_page(s.db, ctx.id_param(), "Merci pour votre avis."));
             else http::send_json(ctx.res, 200, r);
           }, 200});

  // ---- Surveys ----
  api.add({"GET", "/survey/{token}", "The satisfaction survey of a solved case (one-use link)", "cases", false, "", "",
           [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {});
             send_html(ctx.res, survey_page(s.db, ctx.path_param(0)));
           }, 200});
  api.add({"POST", "/survey/{token}",
           "Answers a survey once (csat 1-5, nps 0-10, comment): from the page's form or as JSON; a second answer is a 409",
           "cases", false, "", "", [&s](http::RequestContext& ctx) {
             bool html = false;
             json f = http::posted_fields(ctx.req, html);
             if (!html) {
               http::send_json(ctx.res, 200, answer_survey(s.db, ctx.path_param(0), f));
               return;
             }
             try {
               answer_survey(s.db, ctx.path_param(0), f);
               send_html(ctx.res, {200, http::public_page("Merci", "<h1>Merci pour votre avis</h1><p>Il nous aide à mieux vous servir.</p>", "32rem")});
             } catch (const Problem& p) {
               if (p.kind() == ProblemKind::Unprocessable) send_html(ctx.res, survey_page(s.db, ctx.path_param(0)));
               else throw;
             }
           }, 200});

  // ---- The public request form ----
  api.add({"GET", "/support", "The public form a customer writes to the service with (a case of channel web)", "cases", false, "", "",
           [](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {});
             send_html(ctx.res, {200, support_form_page(json::object(), {})});
           }, 200});
  api.add({"POST", "/support",
           "Sends the public form (first_name, last_name, email, phone, subject, message): a case for the contact of that "
           "address, made when none has it; from the page's form or as JSON",
           "cases", false, "", "", [&s](http::RequestContext& ctx) {
             bool html = false;
             json f = http::posted_fields(ctx.req, html);
             if (!html) {
               http::send_json(ctx.res, 201, submit_support_form(s.db, f));
               return;
             }
             try {
               json r = submit_support_form(s.db, f);
               send_html(ctx.res, {200, http::public_page("Demande envoyée",
                                                          "<h1>Merci, votre demande est enregistrée</h1><p>Son numéro : <strong>" +
                                                              http::html_escape(text_of(r, "number")) +
                                                              "</strong>. Nous vous répondons par e-mail.</p>",
                                                          "32rem")});
             } catch (const Problem& p) {
               if (p.kind() != ProblemKind::Unprocessable) throw;
               std::map<std::string, std::string> errors;
               for (const auto& e : p.fields()) {
                 std::string key = e.field.substr(0, e.field.find('['));
                 if (key == "emails") key = "email";
                 if (key == "phones") key = "phone";
                 errors[key] = e.message.render("fr");
               }
               ctx.res.status = 422;
               ctx.res.set_content(support_form_page(f, errors), "text/html; charset=utf-8");
             }
           }, 201});

  // ---- Interventions ----
  api.add({"POST", "/api/v1/interventions/{id}/report",
           "The technician's report (report, outcome: done or no_show; solve_case: also solves the case) closes the intervention",
           "interventions", true, "", "interventions", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"report", "outcome", "solve_case"});
             http::send_json(ctx.res, 200, report_intervention(s.db, ctx.actor, ctx.id_param(), b));
           }, 200});

  // ---- Dashboard ----
  api.add({"GET", "/api/v1/service/dashboard",
           "The supervisor's dashboard over from..to (default the last 30 days): backlog by status and age, service level "
           "attainment by tier and policy, first-contact resolution, handling and waiting times, calls, CSAT and NPS with "
           "weekly trends, complaints by reason, per agent",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"from", "to"});
             const std::string today = clock::today_utc();
             const std::string to = http::query_date(ctx.req, "to").value_or(today);
             const std::string from = http::query_date(ctx.req, "from").value_or(zoned::next_date(to, -29));
             if (from > to) throw Problem(ProblemKind::BadRequest, tr("from must not be after to"), {{"from", tr("must not be after to")}});
             http::send_json(ctx.res, 200, dashboard(s.db, ctx.actor, from, to, ctx.lang()));
           }});
  api.add({"GET", "/api/v1/service/costs",
           "The cost of service per customer over from..to (default the last 30 days): talk time at the hourly cost and "
           "interventions done at their cost (service settings); service supervisors and administrators",
           "cases", true, "", "", [&s](http::RequestContext& ctx) {
             // Per customer, whoever they belong to: for the roles that see every customer.
             if (!ctx.actor.is_admin() && !ctx.actor.may("service.supervise"))
               throw Problem(ProblemKind::Forbidden, tr("the cost of service per customer is for service supervisors and administrators"));
             http::reject_unknown_params(ctx.req, {"from", "to"});
             const std::string to = http::query_date(ctx.req, "to").value_or(clock::today_utc());
             const std::string from = http::query_date(ctx.req, "from").value_or(zoned::next_date(to, -29));
             json out = store::with_transaction(s.db, false, [&](store::Connection& c) { return service_costs(c, from, to); });
             http::send_json(ctx.res, 200, {{"from", from}, {"to", to}, {"data", out}});
           }});
}

void view360(domain::View360& v) {
  if (v.column != "contact_id" && v.column != "account_id") return;
  v.out["cases"] = v.related_json("cases", "-created_at", 10);
  v.out["interventions"] = v.related_json("interventions", "-starts_at", 5);
}

}  // namespace gz::modules::service
