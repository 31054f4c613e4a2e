#include "modules/activity/module.h"

#include "core/clock.h"
#include "domain/customer_view.h"
#include "domain/jobs.h"
#include "http/api.h"
#include "modules/activity/reminders.h"
#include "kernel/fields.h"
#include "modules/activity/rules.h"
#include "modules/customers/vocabulary.h"
#include "core/problem.h"
#include "store/database.h"

namespace gz::modules::activity {

using namespace kernel::fields;
using kernel::Access;
using kernel::Delete;
using kernel::Entity;

namespace {

Entity interactions() {
  Entity e{"interactions", "interaction", Access::ViaCustomer, "user_id", false, "-occurred_at", {}};
  e.label = {"Échanges", "Interactions"};
  e.label_singular = {"Échange", "Interaction"};
  e.fields = {
      required(E("channel", customers::interaction_channels(), {"Canal", "Channel"})),
      dflt(E("direction", {{"inbound", {"Entrant", "Inbound"}}, {"outbound", {"Sortant", "Outbound"}}}, {"Sens", "Direction"},
             "Default outbound"),
           "outbound"),
      F("subject", K::Text, {"Objet", "Subject"}),
      F("content", K::LongText, {"Notes", "Notes"}),
      both(F("occurred_at", K::DateTime, {"Quand", "When"}, "When it happened; default now")),
      F("duration_seconds", K::Integer, {"Durée (secondes)", "Duration (seconds)"}),
      maxlen(filt(F("outcome", K::Text, {"Résultat", "Outcome"}, "e.g. reached, voicemail, interested")), 200),
      dflt(filt(F("commercial", K::Boolean, {"Commercial", "Commercial"}, "Commercial (true, default) or relationship-only contact")),
           true),
      R("contact_id", "contacts", {"Contact", "Contact"}),
      R("account_id", "accounts", {"Entreprise", "Company"}),
      R("user_id", "users", {"Traité par", "Handled by"}, "Who handled it; default the current user"),
      dflt(F("is_private", K::Boolean, {"Privé", "Private"},
             "Seen only by whoever handled it (a personal mailbox's private e-mail); default false"),
           false),
  };
  add_common(e);
  // An e-mail belongs to every contact whose address it carries (modules/email fills the links).
  e.customer_links = {{"interaction_contacts", "interaction_id", "contact_id", "contacts"}};
  e.private_column = "is_private";
  e.title_fields = {"subject"};
  e.list_columns = {"occurred_at", "channel", "subject", "contact_id", "account_id", "user_id"};
  e.importable = e.exportable = true;
  e.hooks.rules = interaction_rules;
  return e;
}

Entity tasks() {
  Entity e{"tasks", "task", Access::ViaCustomer, "assignee_id", false, "due_at", {}};
  e.label = {"Relances", "Follow-ups"};
  e.label_singular = {"Relance", "Follow-up"};
  e.fields = {
      required(sortf(F("title", K::Text, {"Intitulé", "Title"}))),
      F("description", K::LongText, {"Description", "Description"}),
      both(F("due_at", K::DateTime, {"Échéance", "Due"},
             "Due date and time; a date alone (2026-03-29) is due all that day in the company's time zone")),
      F("due_date", K::Date, {"Échéance (jour)", "Due day"},
        "Set for a follow-up due on a day without a time (all day, in the company's time zone); due_at is then "
        "the last second of that local day"),
      dflt(E("status", {{"open", {"Ouverte", "Open"}}, {"done", {"Faite", "Done"}}, {"cancelled", {"Annulée", "Cancelled"}}},
             {"Statut", "Status"}, "Default open"),
           "open"),
      dflt(E("priority", {{"low", {"Basse", "Low"}}, {"normal", {"Normale", "Normal"}}, {"high", {"Haute", "High"}}},
             {"Priorité", "Priority"}, "Default normal"),
           "normal"),
      server(F("completed_at", K::DateTime, {"Faite le", "Completed"}, "Set when status becomes done")),
      R("assignee_id", "users", {"Attribuée à", "Assignee"}, "Default the current user"),
      R("contact_id", "contacts", {"Contact", "Contact"}),
      R("account_id", "accounts", {"Entreprise", "Company"}),
  };
  add_common(e);
  e.title_fields = {"title"};
  e.list_columns = {"title", "due_at", "status", "priority", "assignee_id", "contact_id", "account_id"};
  e.menu_order = 40;
  e.hooks.rules = task_rules;
  // ?overdue=true: open follow-ups whose due time has passed (the web's "En retard"). A
  // follow-up due on a day without a time has due_at at the last second of that day in the
  // company's time zone (task_rules), so it becomes overdue at local midnight, not before.
  e.filters.push_back({"overdue", {"En retard", "Overdue"}, [](const std::string& v) {
                         std::vector<kernel::Condition> out;
                         if (v == "true") out = {{"status", "=", "open"}, {"due_at", "<", clock::now_utc()}};
                         return out;
                       }, nullptr});
  // ?due=today: due within today, the company's local day (the web's "Relances du jour").
  e.filters.push_back({"due", {"Échéance", "Due"}, nullptr, [](store::Connection& c, const std::string& v) {
                         if (v != "today")
                           throw Problem(ProblemKind::BadRequest, tr("due must be today"), {{"due", tr("use today")}});
                         auto [start, end] = company_day(c, clock::now_unix());
                         return std::vector<kernel::Condition>{{"due_at", ">=", clock::format_utc(start)},
                                                               {"due_at", "<", clock::format_utc(end)}};
                       }});
  return e;
}

}  // namespace

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "activity";
    m.messages_fr = {
      {"months must be an integer from 1 to 36", "months doit être un entier de 1 à 36"},
      {"must be an integer from 1 to 36", "doit être un entier de 1 à 36"},
      {"must be from 0 to 604800 (one week)", "doit être de 0 à 604\u202f800 (une semaine)"},
      {"due must be today", "due doit valoir today"},
      {"use today", "utilisez today"},
    };
    m.label = {"Activité", "Activity"};
    m.depends = {"users", "settings", "customers"};
    // due_date: a follow-up due on a day without a time (task_rules).
    // interaction_contacts: the contacts of an interaction beyond its contact_id (an e-mail's
    // other correspondents; its contact_id is not repeated there); is_private: see interactions().
    m.migrations = {{"sqlite", 1, "task_due_date", "ALTER TABLE tasks ADD COLUMN due_date TEXT;"},
                    {"postgresql", 1, "task_due_date", "ALTER TABLE tasks ADD COLUMN due_date TEXT COLLATE \"C\";"},
                    {"sqlite", 2, "interaction_contacts", R"(
ALTER TABLE interactions ADD COLUMN is_private INTEGER NOT NULL DEFAULT 0;
CREATE TABLE interaction_contacts (
  interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  PRIMARY KEY (interaction_id, contact_id)
);
CREATE INDEX interaction_contacts_contact ON interaction_contacts(contact_id, interaction_id);
)"},
                    {"postgresql", 2, "interaction_contacts", R"(
ALTER TABLE interactions ADD COLUMN is_private BIGINT NOT NULL DEFAULT 0;
CREATE TABLE interaction_contacts (
  interaction_id BIGINT NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  PRIMARY KEY (interaction_id, contact_id)
);
CREATE INDEX interaction_contacts_contact ON interaction_contacts(contact_id, interaction_id);
)"}};
    m.entities = {interactions(), tasks()};
    // A customer's 360° shows its open follow-ups and its latest interactions.
    m.view360 = [](domain::View360& v) {
      if (!domain::entity("tasks").field(v.column)) return;
      v.out["open_tasks"] = v.related_json("tasks", "due_at", 20, "", true);
      v.out["interactions"] = v.related_json("interactions", "-occurred_at", 20);
    };
    m.routes = [](http::Api& api, http::Services& s) {
      http::add_dashboard_routes(api, s);  // routes_dashboard.cpp: the figures of "My day"
      http::add_stream_routes(api, s);     // routes_stream.cpp: notifications as server-sent events
    };
    // Reminders of due follow-ups become notifications (reminders.h), checked every minute.
    m.jobs = [](domain::JobHandlers& h) {
      h.add("task_reminders", [](domain::JobContext& ctx) {
        domain::TaskReminders(ctx.db).remind_due_tasks(ctx.queue.now(), domain::ReminderOptions{});
      });
    };
    m.schedules = {{"task_reminders", domain::ReminderOptions{}.period_seconds}};
    for (const char* e : {"interactions", "tasks"})
      for (auto rights : {grant({"manager"}, e, true, Delete::Any), grant({"sales", "service", "marketing"}, e, true, Delete::Own),
                          grant({"read_only"}, e, false, Delete::None)})
        m.rights.insert(m.rights.end(), rights.begin(), rights.end());
    return m;
  }();
  return m;
}

}  // namespace gz::modules::activity
