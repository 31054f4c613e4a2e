#include "modules/service/module.h"

#include "core/text.h"
#include "kernel/fields.h"
#include "modules/email/email_service.h"
#include "modules/service/service.h"
#include "modules/service/vocabulary.h"

namespace gz::modules::service {

using namespace kernel::fields;
using kernel::Access;
using kernel::Choice;
using kernel::Delete;
using kernel::Entity;
using kernel::Field;
using json = nlohmann::json;

const std::vector<Choice>& case_types() {
  static const std::vector<Choice> v = {{"information", {"Demande d'information", "Information request"}},
                                        {"complaint", {"Réclamation", "Complaint"}},
                                        {"assistance", {"Assistance", "Assistance"}},
                                        {"intervention", {"Intervention", "Intervention"}}};
  return v;
}

const std::vector<Choice>& case_statuses() {
  static const std::vector<Choice> v = {{"new", {"Nouveau", "New"}},
                                        {"open", {"En cours", "Open"}},
                                        {"waiting_customer", {"En attente du client", "Waiting for the customer"}},
                                        {"waiting_third_party", {"En attente d'un tiers", "Waiting for a third party"}},
                                        {"solved", {"Résolu", "Solved"}},
                                        {"closed", {"Clos", "Closed"}},
                                        {"reopened", {"Rouvert", "Reopened"}}};
  return v;
}

const std::vector<Choice>& case_priorities() {
  static const std::vector<Choice> v = {{"low", {"Basse", "Low"}},
                                        {"normal", {"Normale", "Normal"}},
                                        {"high", {"Haute", "High"}},
                                        {"urgent", {"Urgente", "Urgent"}}};
  return v;
}

const std::vector<Choice>& case_channels() {
  static const std::vector<Choice> v = {{"phone", {"Téléphone", "Phone"}},
                                        {"email", {"E-mail", "E-mail"}},
                                        {"web", {"Formulaire web", "Web form"}},
                                        {"api", {"API", "API"}},
                                        {"in_person", {"Sur place", "In person"}}};
  return v;
}

const std::vector<Choice>& sla_states() {
  static const std::vector<Choice> v = {{"none", {"Sans engagement", "No target"}},
                                        {"running", {"Dans les délais", "On time"}},
                                        {"warning", {"Échéance proche", "Due soon"}},
                                        {"paused", {"En pause", "Paused"}},
                                        {"met", {"Respecté", "Met"}},
                                        {"breached", {"Dépassé", "Breached"}}};
  return v;
}

const std::vector<Choice>& availabilities() {
  static const std::vector<Choice> v = {{"available", {"Disponible", "Available"}},
                                        {"busy", {"Occupé", "Busy"}},
                                        {"away", {"Absent", "Away"}},
                                        {"offline", {"Hors ligne", "Offline"}}};
  return v;
}

std::string choice_label(const std::vector<Choice>& list, const std::string& value, const std::string& lang) {
  for (const auto& c : list)
    if (c.value == value) return lang == "en" ? c.label.en : c.label.fr;
  return value;
}

bool is_open_status(const std::string& status) { return status != "solved" && status != "closed"; }

int priority_rank(const std::string& p) {
  if (p == "urgent") return 0;
  if (p == "high") return 1;
  if (p == "low") return 3;
  return 2;
}

namespace {

Entity case_categories() {
  Entity e{"case_categories", "case category", Access::Catalogue, "", false, "name", {}};
  e.label = {"Catégories de demandes", "Case categories"};
  e.label_singular = {"Catégorie", "Category"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Libellé", "Label"}, "e.g. Facturation, Panne, Livraison"), 100))),
      E("default_type", case_types(), {"Type par défaut", "Default type"}),
      maxlen(F("skill", K::Text, {"Compétence requise", "Required skill"},
               "The agents' skill a case of this category is routed by, e.g. facturation"), 60),
      dflt(filt(F("active", K::Boolean, {"Active", "Active"}, "Offered in the lists; default true")), true),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "default_type", "skill", "active"};
  e.menu_order = 93;
  return e;
}

Entity complaint_reasons() {
  Entity e{"complaint_reasons", "complaint reason", Access::Catalogue, "", false, "name", {}};
  e.label = {"Motifs de réclamation", "Complaint reasons"};
  e.label_singular = {"Motif de réclamation", "Complaint reason"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Libellé", "Label"}, "e.g. Retard de livraison, Produit défectueux"), 100))),
      maxlen(F("code", K::Text, {"Code", "Code"}, "A short code for reports, e.g. LIV"), 20),
      dflt(filt(F("active", K::Boolean, {"Actif", "Active"}, "Offered in the lists; default true")), true),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "code", "active"};
  e.menu_order = 94;
  return e;
}

Entity service_groups() {
  Entity e{"service_groups", "service group", Access::Catalogue, "", false, "name", {}};
  e.label = {"Groupes de service", "Service groups"};
  e.label_singular = {"Groupe", "Group"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}, "e.g. Support niveau 1, Techniciens"), 100))),
      R("supervisor_id", "users", {"Superviseur", "Supervisor"}, "Who is warned when a case of the group breaches its service level"),
      F("description", K::LongText, {"Description", "Description"}),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "supervisor_id"};
  e.menu_order = 95;
  return e;
}

Entity business_calendars() {
  Entity e{"business_calendars", "business calendar", Access::Catalogue, "", false, "name", {}};
  e.label = {"Calendriers d'ouverture", "Business calendars"};
  e.label_singular = {"Calendrier", "Calendar"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}, "e.g. Heures de bureau"), 100))),
      dflt(maxlen(F("time_zone", K::Text, {"Fuseau horaire", "Time zone"}, "IANA id, default Europe/Paris"), 64), "Europe/Paris"),
      dflt(F("french_holidays", K::Boolean, {"Fermé les jours fériés français", "Closed on French public holidays"},
             "Easter Monday, Ascension and Whit Monday computed for each year; default true"),
           true),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "time_zone", "french_holidays"};
  e.menu_order = 96;
  kernel::ChildCollection ranges;
  ranges.name = "ranges";
  ranges.label = {"Plages d'ouverture", "Opening ranges"};
  ranges.item = "an opening range";
  ranges.table = "calendar_ranges";
  ranges.parent_column = "calendar_id";
  ranges.position_column = "position";
  ranges.max_items = 70;
  ranges.fields = {
      required(E("weekday", weekdays(), {"Jour", "Day"}, "1 = Monday … 7 = Sunday")),
      required(maxlen(F("starts", K::Text, {"De", "From"}, "HH:MM, e.g. 09:00"), 5)),
      required(maxlen(F("ends", K::Text, {"À", "To"}, "HH:MM, e.g. 12:30; 24:00 for midnight"), 5)),
  };
  kernel::ChildCollection closures;
  closures.name = "closures";
  closures.label = {"Jours de fermeture", "Closing days"};
  closures.item = "a closing day";
  closures.table = "calendar_closures";
  closures.parent_column = "calendar_id";
  closures.position_column = "position";
  closures.max_items = 400;
  closures.fields = {
      required(F("day", K::Date, {"Jour", "Day"})),
      maxlen(F("label", K::Text, {"Motif", "Reason"}, "e.g. Pont de l'Ascension"), 100),
  };
  e.children = {ranges, closures};
  e.hooks.rules = calendar_rules;
  return e;
}

Entity sla_policies() {
  Entity e{"sla_policies", "service level policy", Access::Catalogue, "", false, "name", {}};
  e.label = {"Engagements de service", "Service level policies"};
  e.label_singular = {"Engagement de service", "Service level policy"};
  std::vector<Choice> tiers = value_tiers();
  tiers.push_back({"none", {"Client sans niveau", "Customer without a tier"}});
  std::vector<Choice> channels = case_channels();
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}, "e.g. Or : réponse en 1 heure"), 100))),
      filt(E("tier", tiers, {"Niveau de valeur", "Value tier"}, "gold, silver, bronze or none; empty: every tier")),
      filt(E("priority", case_priorities(), {"Priorité", "Priority"}, "Empty: every priority")),
      filt(E("channel", channels, {"Canal", "Channel"}, "Empty: every channel")),
      R("calendar_id", "business_calendars", {"Calendrier", "Calendar"}, "Business hours the targets count in; empty: round the clock"),
      F("first_response_minutes", K::Integer, {"Première réponse (minutes ouvrées)", "First response (business minutes)"}),
      F("next_response_minutes", K::Integer, {"Réponse suivante (minutes ouvrées)", "Next response (business minutes)"}),
      F("resolution_minutes", K::Integer, {"Résolution (minutes ouvrées)", "Resolution (business minutes)"}),
      dflt(F("warn_before_minutes", K::Integer, {"Alerte avant échéance (minutes)", "Warn before (minutes)"},
             "The assignee is warned this long before a deadline; default 30"),
           30),
      dflt(F("escalate", K::Boolean, {"Escalade en cas de dépassement", "Escalate on breach"},
             "On a breach the priority is raised and the group's supervisor warned; default true"),
           true),
      dflt(F("face_to_face", K::Boolean, {"Rendez-vous avec un conseiller", "Face-to-face meetings"},
             "Customers of this policy may meet an adviser in person"),
           false),
      dflt(filt(F("is_default", K::Boolean, {"Politique par défaut", "Default policy"},
                  "Applies to a case that no other policy matches")),
           false),
      dflt(filt(F("active", K::Boolean, {"Active", "Active"})), true),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "tier", "priority", "channel", "first_response_minutes", "resolution_minutes", "active"};
  e.menu_order = 97;
  e.hooks.rules = sla_policy_rules;
  return e;
}

Entity cases() {
  Entity e{"cases", "case", Access::ViaCustomer, "assignee_id", true, "-created_at", {}};
  e.label = {"Demandes clients", "Cases"};
  e.label_singular = {"Demande", "Case"};
  e.fields = {
      server(both(maxlen(F("number", K::Text, {"Numéro", "Number"}, "SAV-YYYY-NNNNN, from a sequence without gaps"), 30))),
      required(maxlen(F("subject", K::Text, {"Objet", "Subject"}), 200)),
      F("description", K::LongText, {"Description", "Description"}),
      filt(R("contact_id", "contacts", {"Contact", "Contact"})),
      filt(R("account_id", "accounts", {"Entreprise", "Company"})),
      dflt(filt(E("type", case_types(), {"Type", "Type"}, "information, complaint, assistance or intervention; default assistance")),
           "assistance"),
      filt(R("category_id", "case_categories", {"Catégorie", "Category"})),
      filt(R("complaint_reason_id", "complaint_reasons", {"Motif de réclamation", "Complaint reason"},
             "Required for a complaint")),
      dflt(both(E("priority", case_priorities(), {"Priorité", "Priority"}, "Default normal")), "normal"),
      dflt(filt(E("channel", case_channels(), {"Canal", "Channel"}, "Where the request came from; default phone")), "phone"),
      dflt(filt(E("status", case_statuses(), {"Statut", "Status"}, "Default new")), "new"),
      filt(R("assignee_id", "users", {"Attribuée à", "Assignee"})),
      filt(R("group_id", "service_groups", {"Groupe", "Group"})),
      dflt(maxlen(F("language", K::Text, {"Langue", "Language"}, "The customer's language for routing, default fr"), 10), "fr"),
      server(filt(E("value_tier", value_tiers(), {"Niveau de valeur", "Value tier"},
                    "The customer's tier the service levels use: the override, else the company's manual tier, else the computed one"))),
      filt(E("tier_override", value_tiers(), {"Niveau imposé", "Tier override"},
             "Set to serve this case at another tier than the customer's; recorded in the case's history")),
      server(F("sla_policy_ids", K::Object, {"Engagements appliqués", "Policies applied"})),
      server(filt(E("sla_state", sla_states(), {"Délais", "Service level"}))),
      server(sortf(F("first_response_due_at", K::DateTime, {"Première réponse avant", "First response due"}))),
      server(F("next_response_due_at", K::DateTime, {"Prochaine réponse avant", "Next response due"})),
      server(sortf(F("resolution_due_at", K::DateTime, {"Résolution avant", "Resolution due"}))),
      server(sortf(F("sla_due_at", K::DateTime, {"Prochaine échéance", "Next deadline"}))),
      server(F("first_responded_at", K::DateTime, {"Première réponse le", "First response"})),
      server(both(F("solved_at", K::DateTime, {"Résolue le", "Solved"}))),
      server(F("closed_at", K::DateTime, {"Close le", "Closed"})),
      server(F("escalated_at", K::DateTime, {"Escaladée le", "Escalated"})),
      server(R("merged_into_id", "cases", {"Fusionnée dans", "Merged into"})),
      filt(R("parent_case_id", "cases", {"Demande d'origine", "Original case"},
             "The closed case this one follows (a reply after closure opens a linked case)")),
      R("script_id", "call_scripts", {"Script d'appel", "Call script"}),
      server(F("script_answers", K::Object, {"Réponses au script", "Script answers"})),
      server(F("csat", K::Integer, {"Satisfaction (1-5)", "CSAT (1-5)"})),
      server(F("nps", K::Integer, {"Recommandation (0-10)", "NPS (0-10)"})),
      server(F("handling_seconds", K::Integer, {"Temps de traitement (s)", "Handling time (s)"})),
  };
  add_common(e);
  e.title_fields = {"number", "subject"};
  e.list_columns = {"number", "subject", "contact_id", "status", "priority", "sla_state", "sla_due_at", "assignee_id"};
  e.menu_order = 8;
  e.exportable = true;
  e.hooks.rules = case_rules;
  e.hooks.after_write = case_after_write;
  e.hooks.search_body = [](store::Connection&, const json& r) {
    std::string body;
    for (const char* k : {"number", "subject", "description", "external_id"})
      if (r.value(k, json()).is_string()) body += text::fold_words(r[k].get<std::string>()) + " ";
    return body;
  };
  // ?mine=true: the reader's own cases; ?open=true: neither solved nor closed.
  e.filters.push_back({"open", {"Ouvertes", "Open"}, [](const std::string& v) {
                         std::vector<kernel::Condition> out;
                         if (v == "true") out = {{"status", "!=", "solved"}, {"status", "!=", "closed"}};
                         return out;
                       }, nullptr});
  return e;
}

Entity service_agents() {
  Entity e{"service_agents", "service agent", Access::Catalogue, "", false, "id", {}};
  e.label = {"Agents du service client", "Service agents"};
  e.label_singular = {"Agent", "Agent"};
  e.fields = {
      required(filt(R("user_id", "users", {"Utilisateur", "User"}))),
      filt(R("group_id", "service_groups", {"Groupe", "Group"})),
      maxlen(filt(F("extension", K::Text, {"Poste téléphonique", "Phone extension"},
                    "The extension the phone system names when it rings this agent, e.g. 201")),
             20),
      maxlen(F("skills", K::TagList, {"Compétences", "Skills"}, "e.g. facturation, chaudières"), 30),
      dflt(maxlen(F("languages", K::TagList, {"Langues", "Languages"}, "Language codes, e.g. fr, en; default fr"), 10),
           json::array({"fr"})),
      dflt(F("phone_capacity", K::Integer, {"Appels simultanés", "Calls at once"}), 1),
      dflt(F("email_capacity", K::Integer, {"E-mails simultanés", "E-mails at once"}), 5),
      dflt(F("web_capacity", K::Integer, {"Demandes web simultanées", "Web requests at once"}), 5),
      dflt(filt(E("availability", availabilities(), {"Disponibilité", "Availability"}, "Set by the agent; default offline")),
           "offline"),
      server(F("availability_since", K::DateTime, {"Depuis", "Since"})),
      server(F("last_offered_at", K::DateTime, {"Dernière attribution", "Last offered"})),
  };
  add_common(e);
  e.title_fields = {"extension"};
  e.list_columns = {"user_id", "group_id", "extension", "skills", "languages", "availability"};
  e.menu_order = 98;
  e.hooks.rules = agent_rules;
  return e;
}

Entity call_scripts() {
  Entity e{"call_scripts", "call script", Access::Catalogue, "", false, "name", {}};
  e.label = {"Scripts d'appel", "Call scripts"};
  e.label_singular = {"Script d'appel", "Call script"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}, "e.g. Panne de chaudière"), 100))),
      filt(E("case_type", case_types(), {"Type de demande", "Case type"}, "The calls it guides; empty: every type")),
      filt(R("category_id", "case_categories", {"Catégorie", "Category"})),
      dflt(filt(F("active", K::Boolean, {"Actif", "Active"})), true),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "case_type", "category_id", "active"};
  e.menu_order = 99;
  kernel::ChildCollection steps;
  steps.name = "steps";
  steps.label = {"Questions", "Questions"};
  steps.item = "a question";
  steps.table = "call_script_steps";
  steps.parent_column = "script_id";
  steps.position_column = "position";
  steps.max_items = 100;
  steps.fields = {
      required(maxlen(F("key", K::Text, {"Repère", "Key"}, "Short name of the question the branches point to, e.g. panne"), 40)),
      required(maxlen(F("question", K::Text, {"Question", "Question"}), 300)),
      dflt(E("answer_kind", script_answer_kinds(), {"Réponse attendue", "Answer"}), "text"),
      maxlen(F("choices", K::Text, {"Choix", "Choices"}, "For a choice: the answers separated by ; e.g. Oui;Non"), 500),
      maxlen(F("branches", K::Text, {"Suite selon la réponse", "Next by answer"},
               "answer > key of the next question, separated by ; e.g. Oui > symptome; Non > fin"), 500),
      maxlen(F("next", K::Text, {"Question suivante", "Next question"}, "Key of the next question; empty: the following one"), 40),
      E("maps_to", script_targets(), {"Enregistrer dans", "Store in"}, "A field of the case or the contact the answer fills"),
      dflt(F("required", K::Boolean, {"Obligatoire", "Required"}), false),
  };
  e.children = {steps};
  e.hooks.rules = script_rules;
  return e;
}

Entity kb_articles() {
  Entity e{"kb_articles", "knowledge base article", Access::Catalogue, "", true, "-updated_at", {}};
  e.label = {"Base de connaissances", "Knowledge base"};
  e.label_singular = {"Article", "Article"};
  e.fields = {
      required(sortf(maxlen(F("title", K::Text, {"Titre", "Title"}), 200))),
      required(maxlen(F("body", K::LongText, {"Contenu", "Content"}, "The answer, in plain text; blank lines separate paragraphs"), 50000)),
      filt(R("category_id", "case_categories", {"Catégorie", "Category"})),
      maxlen(F("keywords", K::TagList, {"Mots-clés", "Keywords"}), 30),
      dflt(filt(E("visibility", {{"internal", {"Interne", "Internal"}}, {"public", {"Publique", "Public"}}},
                  {"Visibilité", "Visibility"}, "internal (agents only) or public (the self-service page); default internal")),
           "internal"),
      dflt(filt(E("status", {{"draft", {"Brouillon", "Draft"}}, {"published", {"Publié", "Published"}}, {"archived", {"Archivé", "Archived"}}},
                  {"Statut", "Status"}, "Default draft")),
           "draft"),
      server(F("revision", K::Integer, {"Version", "Revision"}, "1, then +1 at each change of the title or the content")),
      server(sortf(F("helpful_count", K::Integer, {"Utile", "Helpful"}))),
      server(F("not_helpful_count", K::Integer, {"Pas utile", "Not helpful"})),
      R("source_case_id", "cases", {"Demande d'origine", "From case"}),
  };
  add_common(e);
  e.title_fields = {"title"};
  e.list_columns = {"title", "category_id", "visibility", "status", "helpful_count", "updated_at"};
  e.menu_order = 9;
  e.hooks.rules = article_rules;
  e.hooks.after_write = article_after_write;
  e.hooks.search_body = [](store::Connection&, const json& r) {
    std::string body;
    for (const char* k : {"title", "body"})
      if (r.value(k, json()).is_string()) body += text::fold_words(r[k].get<std::string>()) + " ";
    if (r.value("keywords", json()).is_array())
      for (const auto& k : r["keywords"])
        if (k.is_string()) body += text::fold_words(k.get<std::string>()) + " ";
    return body;
  };
  return e;
}

Entity interventions() {
  Entity e{"interventions", "intervention", Access::ViaCustomer, "technician_id", false, "starts_at", {}};
  e.label = {"Interventions", "Interventions"};
  e.label_singular = {"Intervention", "Intervention"};
  e.fields = {
      required(maxlen(F("title", K::Text, {"Objet", "Subject"}, "e.g. Remplacement de la pompe"), 200)),
      filt(R("case_id", "cases", {"Demande", "Case"})),
      R("contact_id", "contacts", {"Contact", "Contact"}, "Who receives the invitation; default the case's contact"),
      R("account_id", "accounts", {"Entreprise", "Company"}),
      required(filt(R("technician_id", "users", {"Technicien", "Technician"}))),
      required(both(F("starts_at", K::DateTime, {"Début", "Start"}))),
      required(both(F("ends_at", K::DateTime, {"Fin", "End"}))),
      maxlen(F("address", K::Text, {"Adresse", "Address"}), 300),
      maxlen(F("postal_code", K::Text, {"Code postal", "Postal code"}, "Five digits; appointments of one day stay in one département"), 10),
      maxlen(F("city", K::Text, {"Ville", "City"}), 100),
      dflt(filt(E("status", {{"planned", {"Planifiée", "Planned"}}, {"done", {"Réalisée", "Done"}},
                             {"cancelled", {"Annulée", "Cancelled"}}, {"no_show", {"Client absent", "Customer absent"}}},
                  {"Statut", "Status"}, "Default planned")),
           "planned"),
      F("report", K::LongText, {"Compte rendu", "Report"}, "The technician's outcome report"),
      server(F("ical_uid", K::Text, {"Identifiant de l'invitation", "Invitation UID"})),
      server(F("ical_sequence", K::Integer, {"Version de l'invitation", "Invitation sequence"})),
      server(F("invitation_sent_at", K::DateTime, {"Invitation envoyée le", "Invitation sent"})),
      server(E("invitation_status",
               {{"queued", {"Invitation en cours d'envoi", "Invitation queued"}},
                {"sent", {"Invitation envoyée", "Invitation sent"}},
                {"cancel_queued", {"Annulation en cours d'envoi", "Cancellation queued"}},
                {"cancel_sent", {"Annulation envoyée", "Cancellation sent"}},
                {"no_address", {"Pas d'adresse e-mail du client", "The customer has no e-mail address"}},
                {"no_mailbox", {"Aucune boîte n'envoie les messages automatiques", "No mailbox sends automatic messages"}}},
               {"Invitation", "Invitation"})),
  };
  add_common(e);
  e.title_fields = {"title"};
  e.list_columns = {"starts_at", "title", "technician_id", "contact_id", "city", "status"};
  e.menu_order = 41;
  e.hooks.rules = intervention_rules;
  e.hooks.after_write = intervention_after_write;
  return e;
}

}  // namespace

const std::vector<Choice>& weekdays() {
  static const std::vector<Choice> v = {{"1", {"Lundi", "Monday"}},   {"2", {"Mardi", "Tuesday"}},
                                        {"3", {"Mercredi", "Wednesday"}}, {"4", {"Jeudi", "Thursday"}},
                                        {"5", {"Vendredi", "Friday"}}, {"6", {"Samedi", "Saturday"}},
                                        {"7", {"Dimanche", "Sunday"}}};
  return v;
}

const std::vector<Choice>& script_answer_kinds() {
  static const std::vector<Choice> v = {{"text", {"Texte libre", "Free text"}},
                                        {"choice", {"Choix dans une liste", "Choice"}},
                                        {"yes_no", {"Oui / Non", "Yes / No"}},
                                        {"number", {"Nombre", "Number"}},
                                        {"date", {"Date", "Date"}}};
  return v;
}

const std::vector<Choice>& script_targets() {
  static const std::vector<Choice> v = {{"case.subject", {"Demande : objet", "Case: subject"}},
                                        {"case.description", {"Demande : description", "Case: description"}},
                                        {"case.priority", {"Demande : priorité", "Case: priority"}},
                                        {"case.type", {"Demande : type", "Case: type"}},
                                        {"contact.job_title", {"Contact : fonction", "Contact: job title"}},
                                        {"contact.city", {"Contact : ville", "Contact: city"}},
                                        {"contact.postcode", {"Contact : code postal", "Contact: postal code"}},
                                        {"contact.street", {"Contact : adresse", "Contact: street"}}};
  return v;
}

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "service";
    m.label = {"Service client", "Customer service"};
    m.depends = {"users", "settings", "customers", "activity", "email", "analytics", "lookup"};
    m.entities = {case_categories(), complaint_reasons(), service_groups(), business_calendars(), sla_policies(),
                  call_scripts(), cases(), service_agents(), kb_articles(), interventions()};
    m.extends = {{"mailboxes",
                  {dflt(F("opens_cases", K::Boolean, {"Ouvre des demandes clients", "Opens cases"},
                          "Messages received become service cases (a reply goes to its case); default false"),
                        false)}}};
    m.roles = {{"service_supervisor", {"Responsable du service client", "Customer service supervisor"}, false, true,
                {"service.supervise", "analytics.view"}}};
    m.migrations = migrations();
    m.routes = add_routes;
    m.jobs = add_jobs;
    // Deadlines and hand-offs every 30 s: warnings, escalations and the next agent come on time.
    m.schedules = {{"service_sla_watch", 60}, {"service_queue_dispatch", 30}};
    m.view360 = view360;
    // A message to a mailbox that opens cases becomes a case (email_cases.cpp).
    email::on_message_stored(on_email_stored);
    m.messages_fr = messages_fr();
    const std::vector<std::string> admin_entities = {"case_categories", "complaint_reasons", "service_groups", "business_calendars",
                                                     "sla_policies", "call_scripts", "service_agents"};
    for (const auto& name : admin_entities) {
      for (auto r : grant({"manager", "service_supervisor"}, name, true, Delete::Any)) m.rights.push_back(r);
      for (auto r : grant({"sales", "service", "marketing", "read_only"}, name, false, Delete::None)) m.rights.push_back(r);
    }
    for (auto rights : {grant({"manager", "service_supervisor", "service"}, "cases", true, Delete::None),
                        grant({"sales", "marketing", "read_only"}, "cases", false, Delete::None),
                        grant({"manager", "service_supervisor", "service"}, "kb_articles", true, Delete::Any),
                        grant({"sales", "marketing", "read_only"}, "kb_articles", false, Delete::None),
                        grant({"manager", "service_supervisor", "service"}, "interventions", true, Delete::None),
                        grant({"sales", "read_only"}, "interventions", false, Delete::None)})
      m.rights.insert(m.rights.end(), rights.begin(), rights.end());
    // The supervisor reads and writes what an agent does on the customer file.
    for (auto rights : {grant({"service_supervisor"}, "contacts", true, Delete::None),
                        grant({"service_supervisor"}, "accounts", false, Delete::None),
                        grant({"service_supervisor"}, "households", false, Delete::None),
                        grant({"service_supervisor"}, "interactions", true, Delete::None),
                        grant({"service_supervisor"}, "tasks", true, Delete::Own)})
      m.rights.insert(m.rights.end(), rights.begin(), rights.end());
    return m;
  }();
  return m;
}

}  // namespace gz::modules::service
