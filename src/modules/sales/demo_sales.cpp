#include "modules/sales/demo_sales.h"

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/zoned_time.h"
#include "domain/records.h"
#include "modules/sales/forecast.h"
#include "modules/sales/sales_store.h"
#include "modules/settings/company_settings.h"

namespace gz::modules::sales {

namespace {

// The demo's own small generator (splitmix64), seeded like the rest of the demo.
struct Draw {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t range(int64_t lo, int64_t hi) { return lo + int64_t(next() % uint64_t(hi - lo + 1)); }
  bool chance(double p) { return double(next() >> 11) * (1.0 / 9007199254740992.0) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[size_t(next() % v.size())]; }
};

const std::vector<std::string> kDeals = {"Équipement du magasin", "Renouvellement du parc", "Contrat annuel", "Extension de gamme",
                                         "Ouverture d'une agence", "Commande de rentrée", "Aménagement des bureaux",
                                         "Offre de fin d'année", "Projet pilote", "Remplacement des machines"};
const std::vector<std::string> kNextSteps = {"Rappeler pour fixer un rendez-vous", "Envoyer la proposition chiffrée",
                                             "Démonstration sur site", "Relancer le décideur", "Attendre le retour du comité"};
const std::vector<std::string> kSources = {"web_form", "referral", "campaign", "trade_fair", "inbound_call", "cold_call", "partner",
                                           "existing_customer"};

}  // namespace

int64_t add_demo_sales(store::Database& db, uint64_t seed) {
  Draw rng{seed * 7919 + 17};
  const domain::Actor system = domain::system_actor();
  auto create = [&](store::Connection& c, const char* entity, const json& input) {
    return domain::RecordService::create_in(c, system, kernel::entity(entity), input);
  };
  int64_t made = store::with_transaction(db, true, [&](store::Connection& c) -> int64_t {
    if (!c.query_one("SELECT id FROM opportunities LIMIT 1").is_null()) return 0;
    const std::string today = settings::company_today(c);
    const int64_t pipeline = SalesStore::default_pipeline(c, system);
    const std::vector<json> stages = SalesStore::stages(c, pipeline);
    std::vector<int64_t> loss_reasons;
    for (const char* r : {"Prix trop élevé", "Concurrent retenu", "Projet abandonné", "Pas de budget cette année", "Délai de livraison"})
      loss_reasons.push_back(create(c, "sales_reasons", {{"name", r}, {"kind", "loss"}})["id"].get<int64_t>());
    create(c, "sales_reasons", {{"name", "Pas intéressé"}, {"kind", "refusal"}});
    create(c, "sales_reasons", {{"name", "Hors cible"}, {"kind", "disqualification"}});

    std::vector<json> products = c.query("SELECT id, name, unit_price_cents FROM products WHERE active <> 0 ORDER BY id LIMIT 40");
    std::vector<json> accounts = c.query("SELECT a.id, a.owner_id, (SELECT MIN(p.id) FROM contacts p WHERE p.account_id = a.id) AS contact_id "
                                         "FROM accounts a WHERE a.owner_id IS NOT NULL AND a.archived_at IS NULL ORDER BY a.id LIMIT 160");
    json admin = c.query_one("SELECT id FROM users WHERE email = 'admin@demo.gazelle.fr'");
    if (accounts.empty() || products.empty()) return 0;

    // A price list for gold customers: 8 % off the first products, more from 10 units.
    json items = json::array();
    for (size_t i = 0; i < products.size() && i < 8; ++i) {
      const int64_t price = products[i]["unit_price_cents"].get<int64_t>();
      items.push_back({{"product_id", products[i]["id"]}, {"min_quantity", 1}, {"unit_price_cents", price * 92 / 100}});
      items.push_back({{"product_id", products[i]["id"]}, {"min_quantity", 10}, {"unit_price_cents", price * 85 / 100}});
    }
    create(c, "price_lists", {{"name", "Tarif clients Or"}, {"tier", "gold"}, {"items", items}});
    create(c, "lead_forms", {{"name", "Demande de devis (site web)"}, {"campaign", "site-web"}, {"medium", "web"},
                             {"assignee_id", accounts.front()["owner_id"]}});

    int64_t made = 0;
    std::vector<json> to_quote;
    for (size_t i = 0; i < accounts.size(); ++i) {
      const json& a = accounts[i];
      json owner = i % 9 == 0 && !admin.is_null() ? admin["id"] : a["owner_id"];
      // Open deals spread over the open stages; a third already closed (won or lost).
      const bool closed = rng.chance(0.35);
      size_t stage_i = 0;
      if (closed) stage_i = rng.chance(0.45) ? stages.size() - 2 : stages.size() - 1;  // won, lost
      else stage_i = size_t(rng.range(0, int64_t(stages.size()) - 3));
      const json& stage = stages[stage_i];
      const json& pr = rng.pick(products);
      const int64_t qty = rng.range(2, 25);
      json input = {{"name", rng.pick(kDeals)},
                    {"account_id", a["id"]},
                    {"contact_id", a["contact_id"]},
                    {"pipeline_id", pipeline},
                    {"stage", stage["key"]},
                    {"source", rng.pick(kSources)},
                    {"owner_id", owner},
                    {"next_step", rng.pick(kNextSteps)},
                    {"forecast_category", stage_i >= 3 ? "commit" : stage_i == 2 ? "best_case" : "pipeline"},
                    {"lines", {{{"product_id", pr["id"]}, {"quantity", qty}}}}};
      const int64_t days = closed ? -rng.range(3, 170) : rng.range(-20, 100);
      input["expected_close_date"] = zoned::next_date(today, int(days));
      if (closed) input["closed_on"] = zoned::next_date(today, int(days));
      if (stage["outcome"] == "lost") input["loss_reason_id"] = rng.pick(loss_reasons);
      json o = create(c, "opportunities", input);
      ++made;
      // Their history: created weeks before, in the stage for some days (a few beyond its limit).
      const int64_t age = closed ? -days + rng.range(20, 90) : rng.range(5, 120);
      const int64_t in_stage = std::min<int64_t>(age, rng.range(1, 30));
      c.execute("UPDATE opportunities SET created_at = ?, stage_entered_at = ? WHERE id = ?",
                {clock::format_utc(clock::now_unix() - age * 86400), clock::format_utc(clock::now_unix() - in_stage * 86400), o["id"]});
      c.execute("UPDATE stage_history SET changed_at = ? WHERE entity = 'opportunities' AND record_id = ?",
                {clock::format_utc(clock::now_unix() - in_stage * 86400), o["id"]});
      if (!closed && stage_i >= 2 && to_quote.size() < 18) to_quote.push_back(o);
    }
    // Quotes for deals at the proposal stage and beyond: sent some days ago, two accepted.
    for (size_t i = 0; i < to_quote.size(); ++i) {
      const json& o = to_quote[i];
      const int64_t issued_days = rng.range(1, 20);
      json lines = json::array();
      for (const auto& l : o["lines"])
        lines.push_back({{"product_id", l["product_id"]}, {"quantity", l["quantity"]}, {"vat_rate", "20"}});
      if (rng.chance(0.3))
        lines.push_back({{"description", "Livraison et installation"}, {"quantity", 1}, {"unit_price_cents", rng.range(80, 400) * 100},
                         {"vat_rate", "20"}});
      json q = domain::RecordService::create_in(
          c, system, kernel::entity("quotes"),
          {{"title", o["name"]}, {"opportunity_id", o["id"]}, {"owner_id", o["owner_id"]},
           {"issued_on", zoned::next_date(today, -int(issued_days))}, {"status", "sent"}, {"lines", lines},
           {"payment_terms", "Paiement à 30 jours fin de mois"}});
      if (i < 2)
        domain::RecordService::update_in(c, system, kernel::entity("quotes"), q["id"].get<int64_t>(),
                                         {{"status", "accepted"}, {"accepted_by_name", "Signé par le client"}}, std::nullopt, false);
    }
    // This month's targets: a little above what each salesperson won last quarter.
    for (const auto& u : c.query("SELECT id FROM users WHERE role IN ('sales', 'manager') AND active <> 0"))
      create(c, "sales_targets", {{"user_id", u["id"]}, {"month", today.substr(0, 7)}, {"amount_cents", rng.range(15, 60) * 100000}});
    return made;
  });
  if (made) {
    const std::string today = store::with_transaction(db, false, [](store::Connection& c) {
      return settings::company_today(c);
    });
    take_forecast_snapshot(db, today);
  }
  return made;
}

}  // namespace gz::modules::sales
