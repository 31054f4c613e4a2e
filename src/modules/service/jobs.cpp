// The service desk's jobs: the SLA watch (each minute: the open cases whose next deadline is near
// are replayed; a warning to the assignee before a deadline, an escalation on a breach — raised
// priority, the group's supervisor warned — each once per deadline), the queue's dispatch (offers
// and hand-offs), the survey e-mails and the interventions' invitations.
#include "core/clock.h"
#include "core/json_text.h"
#include "domain/jobs.h"
#include "domain/records.h"
#include "modules/service/service.h"
#include "modules/service/vocabulary.h"
#include "store/notification_store.h"

namespace gz::modules::service {

namespace {

int64_t id_of(const json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

std::string raised(const std::string& p) { return p == "low" ? "normal" : p == "normal" ? "high" : "urgent"; }

// Who hears of a breach: the group's supervisor, else every service supervisor.
std::vector<int64_t> supervisors_of(store::Connection& c, const json& cs) {
  std::vector<int64_t> out;
  if (cs["group_id"].is_number_integer()) {
    json g = c.query_one("SELECT supervisor_id FROM service_groups WHERE id = ?", {cs["group_id"]});
    if (!g.is_null() && g["supervisor_id"].is_number_integer()) return {g["supervisor_id"].get<int64_t>()};
  }
  for (const auto& u : c.query("SELECT id FROM users WHERE role = 'service_supervisor' AND active = 1 ORDER BY id")) out.push_back(id_of(u["id"]));
  return out;
}

}  // namespace

json watch_sla(store::Database& db, int64_t now) {
  // The cases whose nearest deadline is within a week (the longest warning) or already passed.
  std::vector<json> due = store::with_transaction(db, false, [&](store::Connection& c) {
    // Running deadlines within a week, and those missed in the last two hours (escalated once; a
    // case missed longer ago was escalated then and is not replayed every minute).
    return c.query("SELECT id FROM cases WHERE sla_due_at >= ? AND sla_due_at <= ? AND status NOT IN ('solved', 'closed') "
                   "ORDER BY sla_due_at LIMIT 2000",
                   {clock::format_utc(now - 2 * 3600), clock::format_utc(now + 7 * 86400)});
  });
  int64_t warned = 0, escalated = 0;
  for (const auto& d : due) {
    store::with_transaction(db, true, [&](store::Connection& c) {
      const int64_t id = d["id"].get<int64_t>();
      CaseSla sla = refresh_case_sla(c, id, now);
      json cs = c.query_one("SELECT id, number, subject, priority, assignee_id, group_id FROM cases WHERE id = ?", {id});
      json state = c.query_one("SELECT warned_for, escalated_for, policy_id FROM case_sla WHERE case_id = ?", {id});
      const Metric* metrics[] = {&sla.result.first_response, &sla.result.next_response, &sla.result.resolution};
      const char* names[] = {"première réponse", "réponse suivante", "résolution"};
      const std::string nows = clock::format_utc(now);
      for (int i = 0; i < 3; ++i) {
        const Metric& m = *metrics[i];
        if (m.state == MetricState::Warning && m.due_at) {
          const std::string key = std::to_string(i) + "@" + clock::format_utc(*m.due_at);
          if (text_of(state, "warned_for") == key) continue;
          c.execute("UPDATE case_sla SET warned_for = ? WHERE case_id = ?", {key, id});
          record_case_event(c, id, "warned", std::nullopt, {{"metric", names[i]}, {"due_at", clock::format_utc(*m.due_at)}});
          std::vector<int64_t> to;
          if (cs["assignee_id"].is_number_integer()) to.push_back(cs["assignee_id"].get<int64_t>());
          else to = supervisors_of(c, cs);
          for (int64_t u : to)
            store::NotificationStore::insert(c, u, "sla_warning", "Échéance proche : " + text_of(cs, "number"),
                                             "Délai de " + std::string(names[i]) + " : il reste " + std::to_string(std::max<int64_t>(0, m.remaining_seconds / 60)) +
                                                 " min ouvrées pour « " + text_of(cs, "subject") + " ».",
                                             "cases", id, nows);
          ++warned;
        }
        if (m.state == MetricState::Breached && m.breached_at && !m.met_at) {
          const std::string key = std::to_string(i) + "@" + clock::format_utc(*m.breached_at);
          if (text_of(state, "escalated_for") == key) continue;
          c.execute("UPDATE case_sla SET escalated_for = ? WHERE case_id = ?", {key, id});
          json policy = m.policy_id ? c.query_one("SELECT escalate FROM sla_policies WHERE id = ?", {*m.policy_id}) : json();
          const bool escalate = policy.is_null() || id_of(policy["escalate"]) == 1;
          record_case_event(c, id, "escalated", std::nullopt,
                            {{"metric", names[i]}, {"due_at", clock::format_utc(*m.breached_at)}, {"escalated", escalate}});
          if (!escalate) continue;
          c.execute("UPDATE cases SET escalated_at = ? WHERE id = ?", {nows, id});
          if (text_of(cs, "priority") != "urgent") {
            domain::RecordService::update_in(c, domain::system_actor(), kernel::entity("cases"), id, {{"priority", raised(text_of(cs, "priority"))}},
                                             std::nullopt, false);
            cs["priority"] = raised(text_of(cs, "priority"));
          }
          std::vector<int64_t> to = supervisors_of(c, cs);
          if (cs["assignee_id"].is_number_integer()) to.push_back(cs["assignee_id"].get<int64_t>());
          for (int64_t u : to)
            store::NotificationStore::insert(c, u, "sla_breach", "Délai dépassé : " + text_of(cs, "number"),
                                             "Le délai de " + std::string(names[i]) + " de « " + text_of(cs, "subject") +
                                                 " » est dépassé ; priorité portée à « " + choice_label(case_priorities(), text_of(cs, "priority")) + " ».",
                                             "cases", id, nows);
          ++escalated;
        }
      }
    });
  }
  return {{"replayed", due.size()}, {"warned", warned}, {"escalated", escalated}};
}

void add_jobs(domain::JobHandlers& h) {
  h.add("service_sla_watch", [](domain::JobContext& ctx) { ctx.result = watch_sla(ctx.db, ctx.queue.now()); });
  h.add("service_queue_dispatch", [](domain::JobContext& ctx) {
    ctx.result = {{"offered", QueueService{ctx.db}.dispatch(ctx.queue.now())}};
  });
  h.add("service_survey_send", [](domain::JobContext& ctx) {
    ctx.result = send_survey(ctx.db, ctx.queue, ctx.job.payload.value("survey_id", int64_t(0)));
  });
  h.add("service_invitation", [](domain::JobContext& ctx) {
    ctx.result = send_invitation(ctx.db, ctx.queue, ctx.job.payload.value("intervention_id", int64_t(0)),
                                 ctx.job.payload.value("sequence", int64_t(0)));
  });
}

}  // namespace gz::modules::service
