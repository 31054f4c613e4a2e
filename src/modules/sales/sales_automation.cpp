#include "modules/sales/sales_automation.h"
#include "modules/sales/daily_digest.h"

#include <cmath>

#include "core/clock.h"
#include "core/message.h"
#include "core/zoned_time.h"
#include "domain/jobs.h"
#include "domain/records.h"
#include "http/api.h"
#include "modules/sales/forecast.h"
#include "modules/sales/lead_scoring.h"
#include "modules/sales/sales_store.h"
#include "modules/settings/company_settings.h"
#include "store/notification_store.h"

namespace gz::modules::sales {

namespace {

json parsed(const json& v) {
  if (!v.is_string()) return v;
  return json::parse(v.get<std::string>(), nullptr, false);
}

// A French date for a stored text: "2026-12-03" -> "03/12/2026".
std::string fr_date(const std::string& d) {
  return d.size() >= 10 ? d.substr(8, 2) + "/" + d.substr(5, 2) + "/" + d.substr(0, 4) : d;
}

// The record the scores read for an opportunity: its own fields, plus its company's and
// contact's under "account" and "contact" (rules may say "account.industry").
json scoring_record(store::Connection& c, const json& opp) {
  json r = opp;
  if (opp.value("account_id", json()).is_number_integer())
    r["account"] = c.query_one("SELECT industry, size, city, postcode, country, tier, value_tier, source_type, source_campaign, source_medium "
                               "FROM accounts WHERE id = ?",
                               {opp["account_id"]});
  if (opp.value("contact_id", json()).is_number_integer())
    r["contact"] = c.query_one("SELECT job_title, city, postcode, region, country, source_type, source_campaign, source_medium, value_tier "
                               "FROM contacts WHERE id = ?",
                               {opp["contact_id"]});
  // What the learned score compares: flat keys.
  auto copy = [&](const char* from, const char* key, const char* as) {
    if (r.contains(from) && r[from].is_object() && !r[from].value(key, json()).is_null()) r[as] = r[from][key];
  };
  copy("account", "industry", "account_industry");
  copy("account", "size", "account_size");
  copy("account", "tier", "account_tier");
  copy("contact", "region", "contact_region");
  copy("contact", "job_title", "contact_job_title");
  if (r.value("contact_region", json()).is_null()) copy("account", "postcode", "account_postcode");
  if (r.contains("account_postcode") && r["account_postcode"].is_string())
    r["departement"] = r["account_postcode"].get<std::string>().substr(0, 2);
  return r;
}

NaiveBayesOptions model_options() {
  NaiveBayesOptions o;
  o.categorical = {"source", "campaign", "pipeline_id", "account_industry", "account_size", "account_tier",
                   "contact_region", "contact_job_title", "departement", "forecast_category"};
  o.numeric = {"amount_cents"};
  return o;
}

}  // namespace

json read_sales_settings(store::Connection& c) {
  json row = c.query_one("SELECT * FROM sales_settings WHERE id = 1");
  json out = {{"quote_followup_days", 7}, {"prospect_contact_days", 2}, {"followups_enabled", true},
              {"referral_reward_kind", "points"}, {"referral_reward_value", 100},
              {"scoring_rules", json::array()}, {"model", nullptr}, {"trained_at", nullptr}, {"version", 0}};
  if (row.is_null()) return out;
  for (const char* k : {"quote_followup_days", "prospect_contact_days", "trained_at", "version", "referral_reward_kind",
                        "referral_reward_value"})
    if (!row.value(k, json()).is_null()) out[k] = row[k];
  out["followups_enabled"] = row.value("followups_enabled", json(1)) != 0 && row.value("followups_enabled", json(1)) != false;
  if (row["scoring_rules"].is_string()) out["scoring_rules"] = parsed(row["scoring_rules"]);
  if (row["model"].is_string()) out["model"] = parsed(row["model"]);
  return out;
}

namespace {

// The settings a manager changes; the learned model's columns are the learning's own
// (train_scoring_model), so that neither write undoes the other.
void write_settings(store::Connection& c, const json& s) {
  c.execute("INSERT INTO sales_settings (id, quote_followup_days, prospect_contact_days, followups_enabled, scoring_rules, "
            "referral_reward_kind, referral_reward_value, version) VALUES (1, ?, ?, ?, ?, ?, ?, 1) "
            "ON CONFLICT (id) DO UPDATE SET referral_reward_kind = excluded.referral_reward_kind, "
            "referral_reward_value = excluded.referral_reward_value, "
            "quote_followup_days = excluded.quote_followup_days, prospect_contact_days = excluded.prospect_contact_days, "
            "followups_enabled = excluded.followups_enabled, scoring_rules = excluded.scoring_rules, "
            "version = sales_settings.version + 1",
            {s["quote_followup_days"], s["prospect_contact_days"], s["followups_enabled"].get<bool>() ? 1 : 0,
             s["scoring_rules"].dump(), s["referral_reward_kind"], s["referral_reward_value"]});
}

// Makes the follow-up task (and its notification) once: (rule, occasion) is recorded first and a
// second run finds it taken.
bool follow_up_once(store::Connection& c, const std::string& rule, const std::string& occasion, int64_t user_id,
                    const std::string& title, const std::string& description, const json& links, const std::string& today,
                    const std::string& now) {
  json taken = c.query_one("INSERT INTO sales_followups (rule, occasion, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                           {rule, occasion, now});
  if (taken.is_null()) return false;
  json task = {{"title", title}, {"description", description}, {"assignee_id", user_id}, {"due_date", today}, {"priority", "high"}};
  for (auto it = links.begin(); it != links.end(); ++it) task[it.key()] = it.value();
  domain::Actor system = domain::system_actor();
  json made = domain::RecordService::create_in(c, system, kernel::entity("tasks"), task);
  store::NotificationStore::insert(c, user_id, "sales_followup", "Nouvelle relance : " + title, description, "tasks",
                                   made["id"].get<int64_t>(), now);
  c.execute("UPDATE sales_followups SET task_id = ? WHERE id = ?", {made["id"], taken["id"]});
  return true;
}

}  // namespace

json run_followups(store::Database& db, int64_t now_unix) {
  return store::with_transaction(db, true, [&](store::Connection& c) {
    json settings = read_sales_settings(c);
    json made = {{"quote_unanswered", 0}, {"opportunity_stale", 0}, {"prospect_not_contacted", 0}};
    if (!settings["followups_enabled"].get<bool>()) return made;
    const zoned::Zone zone = settings::company_zone(c);
    const std::string today = zone.local_date(now_unix), now = clock::format_utc(now_unix);
    // A quote sent and unanswered after N days.
    const int quote_days = settings["quote_followup_days"].get<int>();
    for (const auto& q : c.query("SELECT id, number, title, owner_id, contact_id, account_id, issued_on FROM quotes WHERE status = 'sent' "
                                 "AND issued_on <= ? AND owner_id IS NOT NULL AND archived_at IS NULL",
                                 {zoned::next_date(today, -quote_days)}))
      if (follow_up_once(c, "quote_unanswered", "quote:" + q["id"].dump(), q["owner_id"].get<int64_t>(),
                         "Relancer le devis " + text_of(q, "number") + " (" + q["title"].get<std::string>() + ")",
                         "Envoyé le " + fr_date(q["issued_on"].get<std::string>()) + ", sans réponse depuis " +
                             std::to_string(quote_days) + " jours.",
                         {{"contact_id", q["contact_id"]}, {"account_id", q["account_id"]}}, today, now))
        made["quote_unanswered"] = made["quote_unanswered"].get<int>() + 1;
    // A deal longer in its stage than the stage allows: once per stay in that stage.
    for (const auto& o : c.query(
             "SELECT o.id, o.name, o.owner_id, o.contact_id, o.account_id, o.stage, o.stage_entered_at, s.name AS stage_name, "
             "s.stale_after_days FROM opportunities o JOIN pipeline_stages s ON s.pipeline_id = o.pipeline_id AND s.key = o.stage "
             "WHERE o.status = 'open' AND s.stale_after_days IS NOT NULL AND o.owner_id IS NOT NULL AND o.archived_at IS NULL "
             "AND o.stage_entered_at IS NOT NULL")) {
      auto entered = clock::parse_utc(o["stage_entered_at"].get<std::string>());
      const int64_t days = entered ? (now_unix - *entered) / 86400 : 0;
      if (days < o["stale_after_days"].get<int64_t>()) continue;
      if (follow_up_once(c, "opportunity_stale", "opportunity:" + o["id"].dump() + ":" + o["stage"].get<std::string>() + ":" +
                                                     o["stage_entered_at"].get<std::string>(),
                         o["owner_id"].get<int64_t>(), "Faire avancer « " + o["name"].get<std::string>() + " »",
                         std::to_string(days) + " jours à l'étape « " + o["stage_name"].get<std::string>() + " ».",
                         {{"contact_id", o["contact_id"]}, {"account_id", o["account_id"]}}, today, now))
        made["opportunity_stale"] = made["opportunity_stale"].get<int>() + 1;
    }
    // A prospect nobody contacted within N days of its capture.
    const int prospect_days = settings["prospect_contact_days"].get<int>();
    for (const auto& p : c.query(
             "SELECT p.id, p.first_name, p.last_name, p.owner_id, p.created_at FROM contacts p WHERE p.lifecycle_stage = 'prospect' "
             "AND p.owner_id IS NOT NULL AND p.archived_at IS NULL AND p.created_at <= ? AND p.created_at >= ? AND NOT EXISTS "
             "(SELECT 1 FROM interactions i WHERE i.contact_id = p.id AND i.direction = 'outbound')",
             {clock::format_utc(now_unix - int64_t(prospect_days) * 86400), clock::format_utc(now_unix - 90 * 86400)})) {
      std::string name = (p["first_name"].is_string() ? p["first_name"].get<std::string>() + " " : "") + p["last_name"].get<std::string>();
      if (follow_up_once(c, "prospect_not_contacted", "contact:" + p["id"].dump(), p["owner_id"].get<int64_t>(),
                         "Contacter le prospect " + name,
                         "Arrivé le " + fr_date(p["created_at"].get<std::string>()) + ", pas encore contacté.",
                         {{"contact_id", p["id"]}}, today, now))
        made["prospect_not_contacted"] = made["prospect_not_contacted"].get<int>() + 1;
    }
    return made;
  });
}

json train_scoring_model(store::Database& db) {
  std::vector<LabelledRecord> examples;
  store::with_transaction(db, false, [&](store::Connection& c) {
    for (const auto& o : c.query("SELECT * FROM opportunities WHERE status IN ('won', 'lost') AND archived_at IS NULL ORDER BY id"))
      examples.push_back({scoring_record(c, o), o["status"] == "won"});
  });
  NaiveBayesModel model = NaiveBayesModel::train(examples, model_options());
  // Only the model's own columns: a whole-row write from settings read before the learning would
  // undo a manager's change saved meanwhile (PostgreSQL does not serialise the two writers).
  const std::string trained_at = clock::now_utc();
  return store::with_transaction(db, true, [&](store::Connection& c) {
    c.execute("INSERT INTO sales_settings (id, model, trained_at, version) VALUES (1, ?, ?, 1) "
              "ON CONFLICT (id) DO UPDATE SET model = excluded.model, trained_at = excluded.trained_at, "
              "version = sales_settings.version + 1",
              {model.to_json().dump(), trained_at});
    return json{{"won", model.won()}, {"lost", model.lost()}, {"prior_only", model.prior_only()}, {"trained_at", trained_at}};
  });
}

json score_opportunity(store::Database& db, const domain::Actor& actor, int64_t id, const std::string& lang) {
  const kernel::Entity& e = kernel::entity("opportunities");
  return store::with_transaction(db, false, [&](store::Connection& c) {
    auto rec = store::RecordStore::find(c, e, id, domain::read_scope(actor, e));
    if (!rec)
      throw Problem(ProblemKind::NotFound,
                    tr("opportunity {id} does not exist or is not visible to you", {{"id", std::to_string(id)}}));
    json s = read_sales_settings(c);
    RuleSet rules = parse_rule_set(s["scoring_rules"]);
    NaiveBayesModel model = s["model"].is_object() ? NaiveBayesModel::from_json(s["model"])
                                                   : NaiveBayesModel::train({}, model_options());
    json out = score_lead(rules, model, scoring_record(c, *rec), lang);
    out["trained_at"] = s["trained_at"];
    return out;
  });
}

void add_sales_automation_jobs(domain::JobHandlers& h) {
  h.add("sales_followups", [](domain::JobContext& ctx) { ctx.result = run_followups(ctx.db, ctx.queue.now()); });
  h.add("sales_forecast_snapshot", [](domain::JobContext& ctx) {
    const std::string today = store::with_transaction(ctx.db, false, [&](store::Connection& c) {
      return settings::company_zone(c).local_date(ctx.queue.now());
    });
    ctx.result = {{"written", take_forecast_snapshot(ctx.db, today)}};
  });
  h.add("sales_train_scoring", [](domain::JobContext& ctx) { ctx.result = train_scoring_model(ctx.db); });
  // The daily summaries by e-mail (daily_digest.h): hourly check, one per user and day.
  h.add("sales_daily_digest", [](domain::JobContext& ctx) {
    ctx.result = {{"queued", queue_daily_digests(ctx.db, ctx.queue, ctx.queue.now())}};
  });
  h.add("sales_digest_user", [](domain::JobContext& ctx) {
    ctx.result = {{"sent", send_daily_digest(ctx.db, ctx.queue, ctx.job.payload.value("user_id", int64_t(0)),
                                             ctx.job.payload.value("day", std::string()))}};
  });
}

void add_sales_automation_routes(http::Api& api, http::Services& s) {
  api.add({"GET", "/api/v1/sales/settings",
           "The sales settings: quote_followup_days, prospect_contact_days, followups_enabled, scoring_rules (the rule "
           "score: field, operator, value, points, label; and bands), the learned model's summary (won, lost, trained_at)",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             json out = store::with_transaction(s.db, false, [](store::Connection& c) { return read_sales_settings(c); });
             if (out["model"].is_object()) {
               NaiveBayesModel m = NaiveBayesModel::from_json(out["model"]);
               out["model"] = {{"won", m.won()}, {"lost", m.lost()}, {"prior_only", m.prior_only()},
                               {"note", m.note().render(http::problem_language(ctx.req, &ctx.actor))}};
             }
             http::send_json(ctx.res, 200, out);
           }});
  api.add({"PATCH", "/api/v1/sales/settings",
           "Change the sales settings (manager or admin): quote_followup_days (1-365), prospect_contact_days (1-365), "
           "followups_enabled, scoring_rules",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             if (!manages_sales(ctx.actor))
               throw Problem(ProblemKind::Forbidden, tr("only a manager or an admin changes the sales settings"));
             json b = http::parse_json_body(ctx.req);
             FieldErrors errors;
             json out = store::with_transaction(s.db, true, [&](store::Connection& c) {
               json cur = read_sales_settings(c);
               for (auto it = b.begin(); it != b.end(); ++it) {
                 const std::string& k = it.key();
                 if (k == "quote_followup_days" || k == "prospect_contact_days") {
                   if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 365)
                     errors.add(k, tr("must be a number of days from 1 to 365"));
                   else cur[k] = *it;
                 } else if (k == "referral_reward_kind") {
                   if (!it->is_string() || (*it != "points" && *it != "amount" && *it != "percent"))
                     errors.add(k, tr("must be points, amount (cents) or percent (basis points of the deal)"));
                   else cur[k] = *it;
                 } else if (k == "referral_reward_value") {
                   if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 100000000)
                     errors.add(k, tr("must be a whole number from 0 to 100000000"));
                   else cur[k] = *it;
                 } else if (k == "followups_enabled") {
                   if (!it->is_boolean()) errors.add(k, tr("must be true or false"));
                   else cur[k] = *it;
                 } else if (k == "scoring_rules") {
                   cur[k] = to_json(parse_rule_set(*it));  // a Problem naming rules[3].operator
                 } else {
                   errors.add(k, tr("unknown setting '{key}'", {{"key", k}}));
                 }
               }
               errors.throw_if_any();
               write_settings(c, cur);
               return read_sales_settings(c);
             });
             out.erase("model");
             http::send_json(ctx.res, 200, out);
           }, 200});
  api.add({"POST", "/api/v1/sales/scoring/train",
           "Learn the lead score now from the won and lost opportunities (manager or admin; also done every night)",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             if (!manages_sales(ctx.actor))
               throw Problem(ProblemKind::Forbidden, tr("only a manager or an admin changes the sales settings"));
             http::send_json(ctx.res, 200, train_scoring_model(s.db));
           }, 200});
  api.add({"GET", "/api/v1/opportunities/{id}/score",
           "The opportunity's two scores side by side, each explained: the rule score (the sales settings' rules) and "
           "the score learned from the won and lost history (probability, points, lines \"+12: …\")",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::send_json(ctx.res, 200,
                             score_opportunity(s.db, ctx.actor, ctx.id_param(), http::problem_language(ctx.req, &ctx.actor)));
           }});
  api.add({"POST", "/api/v1/sales/followups/run",
           "Run the automatic follow-up rules now (manager or admin; the job runs them every hour): how many tasks each made",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             if (!manages_sales(ctx.actor))
               throw Problem(ProblemKind::Forbidden, tr("only a manager or an admin changes the sales settings"));
             http::send_json(ctx.res, 200, run_followups(s.db, clock::now_unix()));
           }, 200});
}

}  // namespace gz::modules::sales
