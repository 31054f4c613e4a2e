#include "modules/analytics/module.h"

#include <map>
#include <string>
#include <utility>

#include "cli/cli.h"
#include "modules/analytics/analytics_service.h"
#include "domain/customer_view.h"
#include "modules/analytics/analytics_store.h"
#include "domain/jobs.h"
#include "http/api.h"

namespace gz::modules::analytics {

namespace {
// What a 360°'s view360 hook read for its value card (its transaction's batch), for view360_after.
struct CardData {
  std::string entity;
  int64_t id = 0;
  std::string signature;
  std::map<std::string, nlohmann::json> settings;
  bool asked = false;
};
thread_local CardData card_data;
}  // namespace

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "analytics";
    m.messages_fr = {
      {"customer value analytics are for the admin, manager and marketing roles", "l'analyse de la valeur client est réservée aux rôles administrateur, manager et marketing"},
      {"from must not be after to", "la date de début ne doit pas être après la date de fin"},
      {"is not an interaction channel", "n'est pas un canal d'interaction"},
      {"is used by another rule", "est déjà le nom d'une autre règle"},
      {"must be 1 to 30 characters among a-z, 0-9, _ and -", "doit compter de 1 à 30\u00a0caractères parmi a-z, 0-9, _ et -"},
      {"must be a JSON object of settings", "doit être un objet JSON de réglages"},
      {"must be a number above 0 and at most 100", "doit être un nombre supérieur à 0 et au plus égal à 100"},
      {"must be a number from 0 to 1", "doit être un nombre de 0 à 1"},
      {"must be a number from 0 to 1 (0.35 = 35 %)", "doit être un nombre de 0 à 1 (0,35 = 35\u00a0%)"},
      {"must be an array of 1 to 10 rules {name, top_pct}", "doit être une liste de 1 à 10\u00a0règles {name, top_pct}"},
      {"must be an integer from 1 to 120", "doit être un entier de 1 à 120"},
      {"must be an integer from 2 to 10", "doit être un entier de 2 à 10"},
      {"must be an integer number of cents from 0 to 100000000", "doit être un nombre entier de centimes de 0 à 100\u202f000\u202f000"},
      {"must be an object {channel: cost in cents}", "doit être un objet {canal: coût en centimes}"},
      {"must be an object {measure, period_months, rules}", "doit être un objet {measure, period_months, rules}"},
      {"must be an object {name, top_pct}", "doit être un objet {name, top_pct}"},
      {"must be net_profit, revenue or clv", "doit valoir net_profit, revenue ou clv"},
      {"only an admin changes the analytics settings", "seul un administrateur modifie les réglages de l'analyse"},
      {"unknown field", "champ inconnu"},
      {"unknown setting", "réglage inconnu"},
      {"unknown tier setting", "réglage de niveau inconnu"},
      {"no customer made a repeat purchase in the calibration period: the model cannot be fitted",
       "aucun client n'a racheté pendant la période de calibration\u00a0: le modèle ne peut pas être ajusté"},
      {"no customer with a purchase before the calibration end", "aucun client n'a acheté avant la fin de la calibration"},
      {"no customer with a repeat purchase of positive value: the Gamma-Gamma model cannot be fitted",
       "aucun client n'a de rachat de valeur positive\u00a0: le modèle Gamma-Gamma ne peut pas être ajusté"},
      {"calibration_end must be a date YYYY-MM-DD", "calibration_end doit être une date AAAA-MM-JJ"},
      {"model must be one of bgnbd, pnbd, gammagamma", "model doit valoir bgnbd, pnbd ou gammagamma"},
      {"there is no order to fit a lifetime-value model on", "il n'y a aucune commande sur laquelle ajuster un modèle de valeur vie client"},
      {"unit must be one of contacts, accounts", "unit doit valoir contacts ou accounts"},
      {"--set is not valid JSON", "--set n'est pas du JSON valide"},
      {"--calibration-end must be a date YYYY-MM-DD", "--calibration-end doit être une date AAAA-MM-JJ"},
      {"--plot must name an .svg file", "--plot doit nommer un fichier .svg"},
      // Messages with arguments (issue 14: they were built by concatenation, in English only).
      {"cannot read {file}", "impossible de lire {file}"},
      {"cannot write {file}", "impossible d'écrire {file}"},
      {"cannot write the file", "impossible d'écrire le fichier"},
      {"write failed", "l'écriture a échoué"},
      {"no purchase", "aucun achat"},
      {"customer {id} has an impossible summary (x, t_x, T)", "le client {id} a un résumé impossible (x, t_x, T)"},
      {"line {line}: bad customer id or amount in '{text}'",
       "ligne {line}\u00a0: identifiant client ou montant incorrect dans «\u00a0{text}\u00a0»"},
      {"line {line}: bad date '{value}'", "ligne {line}\u00a0: date incorrecte «\u00a0{value}\u00a0»"},
      {"line {line}: expected 4 or 5 columns, found {n}", "ligne {line}\u00a0: 4 ou 5\u00a0colonnes attendues, {n} trouvées"},
      {"must be a number from {min} to {max}", "doit être un nombre de {min} à {max}"},
      {"{name} must be a number from {min} to {max}", "{name} doit être un nombre de {min} à {max}"},
      {"must be one of {values}", "doit être l'une des valeurs\u00a0: {values}"},
      {"{name} must be one of {values}", "{name} doit être l'une des valeurs\u00a0: {values}"},
      {"must be a date YYYY-MM-DD", "doit être une date AAAA-MM-JJ"},
      {"{name} must be a date YYYY-MM-DD", "{name} doit être une date AAAA-MM-JJ"},
      {"segment '{value}' is not an RFM segment", "le segment «\u00a0{value}\u00a0» n'est pas un segment RFM"},
      {"tiers by lifetime value need a fit of the purchases: {reason}",
       "les niveaux par valeur vie client demandent un modèle ajusté sur les achats\u00a0: {reason}"},
      {"top_pct must add up to 100 (they add up to {sum})", "les top_pct doivent totaliser 100 (ils totalisent {sum})"},
      {"unknown parameter '{name}'", "paramètre «\u00a0{name}\u00a0» inconnu"},
      {"unknown parameter", "paramètre inconnu"},
      {"{file} holds no purchase", "{file} ne contient aucun achat"},
      // gazelle analytics … (cmd_analytics.cpp, cmd_analytics_clv.cpp): the lines above the tables.
      {"RFM as of {date}: {customers} customers, {bins} bins", "RFM au {date}\u00a0: {customers}\u00a0clients, {bins}\u00a0classes"},
      {"Profitability {from} … {to}: {customers} customers, {losing} losing money",
       "Rentabilité du {from} au {to}\u00a0: {customers}\u00a0clients, dont {losing} à perte"},
      {"Concentration of {measure} over {customers} customers, Gini {gini}; Stobachoff peak: the best {pct} % make "
       "{share} of the profit",
       "Concentration ({measure}) sur {customers}\u00a0clients, Gini {gini}\u00a0; sommet de Stobachoff\u00a0: les "
       "{pct}\u00a0% meilleurs font {share} de la marge"},
      {"Tiers by {measure} from {from} to {to}", "Niveaux selon {measure} du {from} au {to}"},
      {"Replacing earns {pct} % less ({difference})", "Remplacer rapporte {pct}\u00a0% de moins ({difference})"},
      {"wrote {file} ({weeks} weeks)", "{file} écrit ({weeks}\u00a0semaines)"},
      {"Warning: this fit is not reliable ({reasons}), so its parameters and P(alive) are not findings about the customers.",
       "Attention\u00a0: cet ajustement n'est pas fiable ({reasons})\u00a0; ses paramètres et P(actif) ne disent rien "
       "des clients."},
    };
    m.label = {"Valeur client", "Customer value"};
    m.depends = {"users", "customers", "activity", "orders"};
    // The value card (RFM, profit, tier) of a customer's 360°, from the in-memory history. The
    // data's signature and the settings are read with the view's lists (one transaction, and one
    // round trip on PostgreSQL), then handed to view360_after, which runs next on the same thread.
    m.view360 = [](domain::View360& v) {
      CardData& d = card_data;
      d = {v.entity.name, v.id, {}, {}, true};
      for (auto& st : store::AnalyticsStore::settings_and_signature_statements(v.conn.dialect(), d.signature, d.settings)) v.read(std::move(st));
    };
    m.view360_after = [](store::Database& db, const kernel::Entity& e, int64_t id, nlohmann::json& out) {
      const CardData d = std::exchange(card_data, CardData{});
      const nlohmann::json tier = out[e.singular].value("value_tier", nlohmann::json());
      domain::AnalyticsService analytics(db);
      out["value_card"] = d.asked && d.entity == e.name && d.id == id
                              ? analytics.value_card(e.name, id, tier, d.signature, d.settings)
                              : analytics.value_card(e.name, id, tier);
    };
    m.routes = [](http::Api& api, http::Services& s) {
      http::add_analytics_routes(api, s);      // routes_analytics.cpp
      http::add_analytics_clv_routes(api, s);  // routes_analytics_clv.cpp
    };
    m.commands = [](CLI::App& app, cli::CliContext& ctx, std::function<void()>& action) {
      CLI::App* analytics = cli::add_analytics_commands(app, ctx, action);  // cmd_analytics.cpp
      cli::add_clv_command(analytics, ctx, action);                          // cmd_analytics_clv.cpp
    };
    // Nightly value tiers (docs/analytics.md): rank customers and store contacts/accounts.value_tier.
    m.jobs = [](domain::JobHandlers& h) {
      h.add("analytics.tiers", [](domain::JobContext& ctx) {
        domain::AnalyticsService(ctx.db).recompute_tiers(domain::system_actor(), {});
      });
    };
    m.schedules = {{"analytics.tiers", 86400}};
    // A server keeps the in-memory analytics loaded and reloads them after writes.
    m.while_serving = [](store::Database& db) -> std::shared_ptr<void> {
      return std::make_shared<domain::AnalyticsRefresher>(db);
    };
    return m;
  }();
  return m;
}

}  // namespace gz::modules::analytics
