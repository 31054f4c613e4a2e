// The service part of the demo company (gazelle demo, make run; bench/service_bench.sh at 200,000
// cases): office hours, service levels by value tier as the customer-strategy paper sets them
// (gold 1 hour, silver 4 hours, bronze 24 hours), categories with their skills, complaint reasons,
// the agent Hélène Roux, call scripts, knowledge-base articles, and cases over the last two months
// with their replies, notes, statuses and surveys. The settings go through the record service;
// the cases are bulk-loaded and then replayed, so their deadlines are what the live rules give.
#include "modules/service/demo_service.h"

#include <random>

#include "core/clock.h"
#include "core/json_text.h"
#include "core/text.h"
#include "domain/records.h"
#include "modules/service/service.h"
#include "store/bulk_store.h"

namespace gz::modules::service {

namespace {

json make(store::Connection& c, const char* entity, const json& in) {
  return domain::RecordService::create_in(c, domain::system_actor(), kernel::entity(entity), in);
}

struct Setup {
  std::vector<int64_t> categories, reasons;
  int64_t agent_user = 0;
};

Setup add_settings(store::Database& db) {
  return store::with_transaction(db, true, [&](store::Connection& c) {
    Setup s;
    json cal = make(c, "business_calendars", {{"name", "Heures de bureau"}});
    const json id = cal["id"];
    make(c, "sla_policies", {{"name", "Or : réponse en 1 heure"}, {"tier", "gold"}, {"calendar_id", id}, {"first_response_minutes", 60},
                             {"next_response_minutes", 120}, {"resolution_minutes", 480}, {"face_to_face", true}});
    make(c, "sla_policies", {{"name", "Argent : réponse en 4 heures"}, {"tier", "silver"}, {"calendar_id", id},
                             {"first_response_minutes", 240}, {"next_response_minutes", 240}, {"resolution_minutes", 1440}});
    make(c, "sla_policies", {{"name", "Bronze : réponse en 24 heures"}, {"tier", "bronze"}, {"calendar_id", id},
                             {"first_response_minutes", 1440}, {"resolution_minutes", 4320}});
    make(c, "sla_policies", {{"name", "Standard"}, {"is_default", true}, {"calendar_id", id}, {"first_response_minutes", 1440},
                             {"resolution_minutes", 7200}});
    make(c, "sla_policies", {{"name", "Urgences : 2 heures, 24 h/24"}, {"priority", "urgent"}, {"first_response_minutes", 120},
                             {"warn_before_minutes", 30}});
    for (const auto& [name, type, skill] : std::vector<std::tuple<const char*, const char*, const char*>>{
             {"Facturation", "information", "facturation"}, {"Panne de machine", "assistance", "technique"},
             {"Livraison", "complaint", "logistique"}, {"Information produit", "information", ""},
             {"Entretien et détartrage", "intervention", "technique"}}) {
      json in = {{"name", name}, {"default_type", type}};
      if (*skill) in["skill"] = skill;
      s.categories.push_back(make(c, "case_categories", in)["id"].get<int64_t>());
    }
    for (const auto& [name, code] : std::vector<std::pair<const char*, const char*>>{
             {"Retard de livraison", "LIV"}, {"Produit défectueux", "DEF"}, {"Erreur de facturation", "FAC"},
             {"Accueil téléphonique", "ACC"}, {"Intervention non satisfaisante", "INT"}})
      s.reasons.push_back(make(c, "complaint_reasons", {{"name", name}, {"code", code}})["id"].get<int64_t>());
    json manager = c.query_one("SELECT id FROM users WHERE email = 'marc.petit@demo.gazelle.fr'");
    json group = make(c, "service_groups", {{"name", "Support clients"}, {"supervisor_id", manager.is_null() ? json() : manager["id"]}});
    json agent = c.query_one("SELECT id FROM users WHERE email = 'helene.roux@demo.gazelle.fr'");
    if (!agent.is_null()) {
      s.agent_user = agent["id"].get<int64_t>();
      make(c, "service_agents", {{"user_id", agent["id"]}, {"group_id", group["id"]}, {"extension", "201"},
                                 {"skills", {"facturation", "technique", "logistique"}}, {"languages", {"fr", "en"}},
                                 {"availability", "available"}});
    }
    make(c, "call_scripts",
         {{"name", "Panne de machine à café"},
          {"case_type", "assistance"},
          {"steps",
           {{{"key", "allume"}, {"question", "La machine s'allume-t-elle ?"}, {"answer_kind", "yes_no"}, {"required", true},
             {"branches", "Non > prise"}},
            {{"key", "code"}, {"question", "Quel code d'erreur s'affiche ?"}, {"answer_kind", "choice"}, {"choices", "E01;E05;E12;Aucun"},
             {"branches", "E05 > detartrage"}, {"next", "urgence"}},
            {{"key", "prise"}, {"question", "La prise et le disjoncteur ont-ils été vérifiés ?"}, {"answer_kind", "yes_no"},
             {"next", "urgence"}},
            {{"key", "detartrage"}, {"question", "Date du dernier détartrage"}, {"answer_kind", "date"}, {"next", "urgence"}},
            {{"key", "urgence"}, {"question", "Urgence pour le client"}, {"answer_kind", "choice"}, {"choices", "low;normal;high;urgent"},
             {"maps_to", "case.priority"}, {"next", "fin"}}}}});
    const std::vector<std::tuple<const char*, const char*, const char*>> articles = {
        {"Détartrer une machine expresso", "public",
         "Le code E05 signale que la machine doit être détartrée.\n\nVersez le détartrant dans le réservoir, lancez le programme "
         "de détartrage (maintenir les deux touches 5 secondes), puis rincez deux fois à l'eau claire."},
        {"Code erreur E01 : réservoir d'eau", "public",
         "Le réservoir est mal enclenché ou vide. Retirez-le, remplissez-le et remettez-le en place jusqu'au déclic."},
        {"Obtenir un duplicata de facture", "public",
         "Les factures des 24 derniers mois sont envoyées en PDF sur simple demande. Précisez le numéro de commande."},
        {"Suivre une livraison en retard", "public",
         "Le transporteur livre sous 48 heures ouvrées. Au-delà, le service client ouvre une enquête auprès du transporteur."},
        {"Geste commercial : barème interne", "internal",
         "Retard de livraison de plus de 5 jours : 10 % de la commande en avoir. Produit défectueux : échange immédiat."},
        {"Garantie des machines", "public",
         "Les machines sont garanties 2 ans pièces et main-d'œuvre ; l'intervention sur site est comprise pour les clients Or."}};
    for (const auto& [title, visibility, body] : articles)
      make(c, "kb_articles", {{"title", title}, {"body", body}, {"visibility", visibility}, {"status", "published"}});
    return s;
  });
}

}  // namespace

int64_t add_demo_service(store::Database& db, uint64_t seed, int64_t cases, const std::function<void(int64_t, int64_t)>& progress) {
  const bool done = store::with_transaction(db, false, [](store::Connection& c) {
    return !c.query_one("SELECT id FROM business_calendars LIMIT 1").is_null();
  });
  if (done) return 0;
  Setup setup = add_settings(db);
  std::vector<std::pair<int64_t, json>> customers;  // contact id, its account id
  store::with_transaction(db, false, [&](store::Connection& c) {
    for (const auto& r : c.query("SELECT id, account_id FROM contacts ORDER BY id LIMIT 20000")) customers.push_back({r["id"].get<int64_t>(), r["account_id"]});
  });
  if (customers.empty() || cases <= 0) return 0;
  std::mt19937_64 rng(seed ^ 0x5e1f1ce);
  auto pick = [&](size_t n) { return size_t(rng() % n); };
  const int64_t now = clock::now_unix();
  const char* subjects[] = {"Machine qui ne chauffe plus", "Facture en double", "Livraison en retard", "Code erreur E05",
                            "Demande de duplicata de facture", "Fuite sous la machine", "Question sur la garantie",
                            "Capsules non reçues", "Demande de détartrage", "Erreur sur le montant de la TVA"};
  const char* statuses[] = {"closed", "solved", "solved", "solved", "open", "waiting_customer", "new", "waiting_third_party"};
  const char* priorities[] = {"normal", "normal", "normal", "high", "low", "urgent"};
  const char* channels[] = {"phone", "phone", "email", "email", "web"};
  std::vector<int64_t> ids;
  {
    store::BulkLoader load(db);
    const int64_t base = load.max_id("cases");
    const int t_cases = load.table("cases", {"number", "subject", "description", "contact_id", "account_id", "type", "category_id",
                                             "complaint_reason_id", "priority", "channel", "status", "assignee_id", "language", "solved_at",
                                             "closed_at", "version", "created_at", "updated_at"});
    const int t_search = load.table("cases_search", {"rowid", "body"});
    const int t_events = load.table("case_events", {"case_id", "at", "kind", "user_id", "data"});
    const int t_surveys = load.table("surveys", {"token_hash", "case_id", "contact_id", "agent_id", "channel", "category_id", "created_at",
                                                 "expires_at", "answered_at", "csat", "nps"});
    const int t_work = load.table("work_items", {"case_id", "channel", "status", "created_at"});
    if (cases > 100000) {
      load.defer_indexes("case_events");
      load.defer_indexes("cases");
    }
    const json agent = setup.agent_user ? json(setup.agent_user) : json();
    for (int64_t i = 0; i < cases; ++i) {
      const auto& [contact, account] = customers[pick(customers.size())];
      const int64_t created = now - int64_t(pick(60 * 86400));
      const std::string status = statuses[pick(8)];
      const size_t cat = pick(setup.categories.size());
      const std::string type = cat == 2 ? "complaint" : cat == 4 ? "intervention" : cat == 0 || cat == 3 ? "information" : "assistance";
      const std::string subject = subjects[pick(10)];
      const std::string channel = channels[pick(5)];
      const bool solved = status == "solved" || status == "closed";
      const int64_t replied = created + 600 + int64_t(pick(8 * 3600));
      const int64_t solved_at = replied + int64_t(pick(3 * 86400));
      char number[40];
      std::snprintf(number, sizeof number, "SAV-%s-%05lld", clock::format_utc(created).substr(0, 4).c_str(), (long long)(base + i + 1));
      const std::string description = "Demande reçue par " + std::string(channel == "phone" ? "téléphone" : channel == "email" ? "e-mail" : "le site") + ".";
      const json assignee = status == "new" ? json() : agent;
      const int64_t id = load.insert(
          t_cases, {number, subject, description, contact, account, type, setup.categories[cat],
                    type == "complaint" ? json(setup.reasons[pick(setup.reasons.size())]) : json(), priorities[pick(6)], channel, status,
                    assignee, "fr", solved ? json(clock::format_utc(std::min(solved_at, now))) : json(),
                    status == "closed" ? json(clock::format_utc(std::min(solved_at + 86400, now))) : json(), 1, clock::format_utc(created),
                    clock::format_utc(created)});
      ids.push_back(id);
      load.insert(t_search, {id, text::fold_words(std::string(number) + " " + subject + " " + description)});
      load.insert(t_events, {id, clock::format_utc(created), "created", json(), json{{"channel", channel}}.dump()});
      if (status == "new") {
        load.insert(t_work, {id, channel, "waiting", clock::format_utc(created)});
        continue;
      }
      if (pick(3) == 0)
        load.insert(t_events, {id, clock::format_utc(created + 300), "note", agent, json{{"body", "Client rappelé, en attente de la pièce."}}.dump()});
      if (replied < now)
        load.insert(t_events, {id, clock::format_utc(replied), "reply", agent,
                               json{{"body", "Bonjour, nous avons bien reçu votre demande et revenons vers vous rapidement."}, {"channel", channel}}.dump()});
      if (solved && solved_at < now) {
        load.insert(t_events, {id, clock::format_utc(solved_at), "status", agent, json{{"from", "open"}, {"to", "solved"}}.dump()});
        if (pick(5) < 2) {
          const int csat = 1 + int(pick(100) < 70 ? 3 + pick(2) : pick(3));
          const int nps = csat >= 4 ? 8 + int(pick(3)) : int(pick(8));
          load.insert(t_surveys, {"demo-" + std::to_string(id), id, contact, agent, channel, setup.categories[cat],
                                  clock::format_utc(solved_at), clock::format_utc(solved_at + 14 * 86400),
                                  clock::format_utc(std::min(now, solved_at + 3600 * int64_t(1 + pick(48)))), csat, nps});
        }
      } else if (status == "waiting_customer" || status == "waiting_third_party") {
        load.insert(t_events, {id, clock::format_utc(std::min(replied + 60, now)), "status", agent, json{{"from", "open"}, {"to", status}}.dump()});
      }
      if (progress && i % 5000 == 0) progress(i, cases);
    }
    load.finish();
  }
  // The numbers' sequence continues after the demo's, and every case is replayed once.
  store::with_transaction(db, true, [&](store::Connection& c) {
    c.execute("DELETE FROM service_sequences WHERE name = ?", {"case-" + clock::format_utc(now).substr(0, 4)});
    c.execute("INSERT INTO service_sequences (name, value) VALUES (?, ?)",
              {"case-" + clock::format_utc(now).substr(0, 4), int64_t(ids.size()) + 1000});
  });
  for (size_t i = 0; i < ids.size(); i += 2000) {
    store::with_transaction(db, true, [&](store::Connection& c) {
      for (size_t k = i; k < std::min(ids.size(), i + 2000); ++k) refresh_case_sla(c, ids[k], now);
    });
    if (progress) progress(int64_t(std::min(ids.size(), i + 2000)), int64_t(ids.size()));
  }
  return int64_t(ids.size());
}

}  // namespace gz::modules::service
