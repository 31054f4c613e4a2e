#include "modules/analytics/module.h"

#include "cli/cli.h"
#include "modules/analytics/analytics_service.h"
#include "domain/jobs.h"
#include "http/api.h"

namespace gz::modules::analytics {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "analytics";
    m.messages_fr = {
      {"customer value analytics are for the admin, manager and marketing roles", "l'analyse de la valeur client est réservée aux rôles administrateur, manager et marketing"},
      {"from must not be after to", "la date de début ne doit pas être après la date de fin"},
      {"is not an interaction channel", "n'est pas un canal d'interaction"},
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
    };
    m.label = {"Valeur client", "Customer value"};
    m.depends = {"users", "customers", "activity", "orders"};
    // The value card (RFM, profit, tier) of a customer's 360°, from the in-memory history.
    m.view360_after = [](store::Database& db, const kernel::Entity& e, int64_t id, nlohmann::json& out) {
      out["value_card"] = domain::AnalyticsService(db).value_card(e.name, id, out[e.singular].value("value_tier", nlohmann::json()));
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
