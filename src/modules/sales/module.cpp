#include "modules/sales/module.h"

#include "kernel/fields.h"
#include "modules/sales/quote_totals.h"
#include "modules/customers/vocabulary.h"
#include "modules/sales/exchange_rates.h"
#include "modules/sales/forecast.h"
#include "modules/sales/macro_processes.h"
#include "modules/sales/quote_links.h"
#include "modules/sales/results.h"
#include "modules/sales/rules.h"
#include "modules/sales/sales_automation.h"
#include "modules/sales/sales_routes.h"
#include "modules/sales/sales_store.h"
#include "modules/sales/vocabulary.h"
#include "modules/sales/web_to_lead.h"

#include "core/text.h"

namespace gz::modules::sales {

using namespace kernel::fields;
using kernel::Access;
using kernel::Choice;
using kernel::Delete;
using kernel::Entity;
using kernel::Field;
using json = nlohmann::json;
using domain::WriteContext;

const std::vector<Choice>& stage_outcomes() {
  static const std::vector<Choice> v = {
      {"open", {"En cours", "Open"}}, {"won", {"Gagnée", "Won"}}, {"lost", {"Perdue", "Lost"}}};
  return v;
}

const std::vector<Choice>& forecast_categories() {
  static const std::vector<Choice> v = {{"commit", {"Engagé", "Commit"}},
                                        {"best_case", {"Meilleur cas", "Best case"}},
                                        {"pipeline", {"Pipeline", "Pipeline"}},
                                        {"omitted", {"Exclu", "Omitted"}}};
  return v;
}

const std::vector<Choice>& lead_sources() {
  static const std::vector<Choice> v = {
      {"web_form", {"Formulaire web", "Web form"}}, {"referral", {"Recommandation", "Referral"}},
      {"campaign", {"Campagne", "Campaign"}},       {"trade_fair", {"Salon", "Trade fair"}},
      {"inbound_call", {"Appel entrant", "Inbound call"}}, {"cold_call", {"Prospection téléphonique", "Cold call"}},
      {"email", {"E-mail", "E-mail"}},              {"partner", {"Partenaire", "Partner"}},
      {"existing_customer", {"Client existant", "Existing customer"}}, {"other", {"Autre", "Other"}}};
  return v;
}

const std::vector<Choice>& vat_rate_choices() {
  static const std::vector<Choice> v = {{"20", {"20 %", "20%"}},
                                        {"10", {"10 %", "10%"}},
                                        {"5.5", {"5,5 %", "5.5%"}},
                                        {"2.1", {"2,1 %", "2.1%"}},
                                        {"0", {"0 % (exonéré)", "0% (exempt)"}}};
  return v;
}

// The exemptions' labels are the wording the document prints (quote_totals.h).
const std::vector<Choice>& vat_exemption_choices() {
  static const std::vector<Choice> v = [] {
    std::vector<Choice> out;
    for (auto e : {VatExemption::FranchiseEnBase, VatExemption::IntraEuSupply, VatExemption::Export, VatExemption::ReverseCharge})
      out.push_back({std::string(exemption_code(e)), {exemption_wording(e, "fr"), exemption_wording(e, "en")}});
    return out;
  }();
  return v;
}

const std::vector<Choice>& price_sources() {
  static const std::vector<Choice> v = {
      {"manual", {"Saisi", "Entered"}},
      {"customer_list", {"Liste du client", "Customer's list"}},
      {"tier_list", {"Liste du niveau de valeur", "Value tier's list"}},
      {"segment_list", {"Liste du segment", "Segment's list"}},
      {"chosen_list", {"Liste choisie", "Chosen list"}},
      {"general_list", {"Liste générale", "General list"}},
      {"catalogue", {"Catalogue", "Catalogue"}}};
  return v;
}

namespace {

Field source() { return E("source", lead_sources(), {"Origine", "Source"}, "Where the deal comes from"); }

Entity sales_reasons() {
  Entity e{"sales_reasons", "sales reason", Access::Catalogue, "", false, "name", {}};
  e.label = {"Motifs commerciaux", "Sales reasons"};
  e.label_singular = {"Motif", "Reason"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Libellé", "Label"}), 100))),
      required(dflt(E("kind",
                      {{"loss", {"Perte d'affaire", "Lost deal"}},
                       {"refusal", {"Refus du prospect", "Prospect's refusal"}},
                       {"disqualification", {"Disqualification", "Disqualification"}}},
                      {"Type", "Kind"}, "What the reason explains"),
                    "loss")),
      dflt(filt(F("active", K::Boolean, {"Actif", "Active"}, "Offered in the lists; default true")), true),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "kind", "active"};
  e.menu_order = 85;
  return e;
}

Entity pipelines() {
  Entity e{"pipelines", "pipeline", Access::Catalogue, "", false, "name", {}};
  e.label = {"Pipelines", "Pipelines"};
  e.label_singular = {"Pipeline", "Pipeline"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}), 100))),
      dflt(filt(F("is_default", K::Boolean, {"Pipeline par défaut", "Default pipeline"},
                  "New opportunities without a pipeline go to it; one pipeline at most")),
           false),
      dflt(F("currency", K::Currency, {"Devise", "Currency"}, "ISO 4217, default EUR"), "EUR"),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "is_default", "currency"};
  e.menu_order = 84;
  kernel::ChildCollection stages;
  stages.name = "stages";
  stages.label = {"Étapes", "Stages"};
  stages.item = "a stage";
  stages.table = "pipeline_stages";
  stages.parent_column = "pipeline_id";
  stages.position_column = "position";
  stages.max_items = 30;
  stages.fields = {
      maxlen(F("key", K::Text, {"Code", "Key"}, "Stable code of the stage; default from its name"), 40),
      required(maxlen(F("name", K::Text, {"Nom", "Name"}), 60)),
      dflt(F("probability_pct", K::Integer, {"Probabilité (%)", "Probability (%)"}, "Default probability, 0-100"), 10),
      dflt(E("outcome", stage_outcomes(), {"Issue", "Outcome"}, "open, won or lost"), "open"),
      dflt(F("folded", K::Boolean, {"Replié dans le tableau", "Folded on the board"}), false),
      F("stale_after_days", K::Integer, {"Dormante après (jours)", "Stale after (days)"},
        "An opportunity longer than this in the stage is marked stale; null: never"),
  };
  e.children = {stages};
  e.hooks.rules = pipeline_rules;
  e.hooks.after_write = pipeline_after_write;
  return e;
}

Entity opportunities() {
  Entity e{"opportunities", "opportunity", Access::Owned, "", true, "-updated_at", {}};
  e.label = {"Opportunités", "Opportunities"};
  e.label_singular = {"Opportunité", "Opportunity"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}, "What is being sold, e.g. Équipement du magasin de Lyon"), 200))),
      keeps(R("account_id", "accounts", {"Entreprise", "Company"})),
      keeps(R("contact_id", "contacts", {"Contact", "Contact"}, "The customer: a contact, an account or both")),
      R("pipeline_id", "pipelines", {"Pipeline", "Pipeline"}, "Default: the default pipeline"),
      filt(maxlen(F("stage", K::Text, {"Étape", "Stage"}, "Key of a stage of the opportunity's pipeline; default its first"), 40)),
      server(filt(E("status", stage_outcomes(), {"Statut", "Status"}, "open, won or lost: the outcome of its stage"))),
      dflt(sortf(F("amount_cents", K::Money, {"Montant HT", "Amount (excl. VAT)"}, "Expected amount in cents, net of VAT")), 0),
      dflt(F("currency", K::Currency, {"Devise", "Currency"}, "ISO 4217, default EUR"), "EUR"),
      F("probability_pct", K::Integer, {"Probabilité (%)", "Probability (%)"}, "0-100; default the stage's"),
      both(F("expected_close_date", K::Date, {"Date de clôture prévue", "Expected close date"})),
      dflt(filt(E("forecast_category", forecast_categories(), {"Catégorie de prévision", "Forecast category"},
                  "commit, best_case, pipeline or omitted")),
           "pipeline"),
      filt(source()),
      maxlen(F("campaign", K::Text, {"Campagne", "Campaign"}), 100),
      R("referred_by_contact_id", "contacts", {"Recommandé par", "Referred by"}, "The customer who referred this deal"),
      maxlen(F("competitors", K::TagList, {"Concurrents", "Competitors"}), 50),
      maxlen(F("next_step", K::Text, {"Prochaine étape", "Next step"}), 200),
      R("loss_reason_id", "sales_reasons", {"Motif de perte", "Loss reason"}, "Required when the deal is lost"),
      both(F("closed_on", K::Date, {"Date de clôture", "Closed on"}, "Required when won or lost")),
      server(sortf(F("stage_entered_at", K::DateTime, {"Dans l'étape depuis", "In the stage since"}))),
      F("notes", K::LongText, {"Notes", "Notes"}),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "account_id", "stage", "amount_cents", "expected_close_date", "owner_id"};
  e.menu_order = 5;
  e.importable = e.exportable = e.stage_history = true;
  e.stage_field = "stage";
  e.stage_reason_field = "";
  kernel::ChildCollection lines;
  lines.name = "lines";
  lines.label = {"Produits", "Products"};
  lines.item = "an opportunity line";
  lines.table = "opportunity_lines";
  lines.parent_column = "opportunity_id";
  lines.position_column = "line_no";
  lines.max_items = 500;
  lines.also_accepted = {"sku"};
  lines.fields = {
      R("product_id", "products", {"Produit", "Product"}),
      maxlen(F("description", K::Text, {"Désignation", "Description"}), 500),
      required(F("quantity", K::Integer, {"Quantité", "Quantity"})),
      F("unit_price_cents", K::Money, {"Prix unitaire HT", "Unit price (excl. VAT)"}, "Default the product's price"),
      dflt(F("discount_cents", K::Money, {"Remise", "Discount"}), 0),
      server(F("total_cents", K::Money, {"Total HT", "Total (excl. VAT)"})),
  };
  lines.line = opportunity_line;
  e.children = {lines};
  e.hooks.rules = [](WriteContext& ctx, json& record, FieldErrors& errors) {
    opportunity_rules(ctx, record, errors);
    if (errors.empty()) company_amount_rules(ctx, record, errors);
  };
  e.hooks.after_write = [](WriteContext& ctx, const json& record) {
    company_amount_after_write(ctx, record);
    opportunity_after_write(ctx, record);
  };
  e.hooks.search_body = [](store::Connection&, const json& r) {
    std::string body;
    for (const char* k : {"name", "next_step", "campaign", "external_id"})
      if (r.value(k, json()).is_string()) body += text::fold_words(r[k].get<std::string>()) + " ";
    return body;
  };
  return e;
}

Entity price_lists() {
  Entity e{"price_lists", "price list", Access::Catalogue, "", false, "name", {}};
  e.label = {"Listes de prix", "Price lists"};
  e.label_singular = {"Liste de prix", "Price list"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}), 100))),
      dflt(F("currency", K::Currency, {"Devise", "Currency"}, "ISO 4217, default EUR"), "EUR"),
      both(F("valid_from", K::Date, {"Valable du", "Valid from"}, "Null: always")),
      both(F("valid_until", K::Date, {"Valable jusqu'au", "Valid until"}, "Null: always")),
      R("account_id", "accounts", {"Entreprise", "Company"}, "A list of this customer's own prices"),
      R("contact_id", "contacts", {"Contact", "Contact"}, "A list of this customer's own prices"),
      filt(E("tier", {{"gold", {"Or", "Gold"}}, {"silver", {"Argent", "Silver"}}, {"bronze", {"Bronze", "Bronze"}}},
             {"Niveau de valeur", "Value tier"}, "For the customers of this value tier")),
      filt(maxlen(F("segment", K::Text, {"Segment (étiquette)", "Segment (tag)"}, "For the customers that carry this tag"), 50)),
      dflt(filt(F("active", K::Boolean, {"Active", "Active"}, "Default true")), true),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "currency", "valid_from", "valid_until", "tier", "segment", "active"};
  e.menu_order = 86;
  kernel::ChildCollection items;
  items.name = "items";
  items.label = {"Prix", "Prices"};
  items.item = "a price";
  items.table = "price_list_items";
  items.parent_column = "price_list_id";
  items.position_column = "line_no";
  items.max_items = 10000;
  items.fields = {
      required(R("product_id", "products", {"Produit", "Product"})),
      dflt(F("min_quantity", K::Integer, {"À partir de (quantité)", "From quantity"}, "Volume break; default 1"), 1),
      required(F("unit_price_cents", K::Money, {"Prix unitaire HT", "Unit price (excl. VAT)"})),
  };
  e.children = {items};
  e.hooks.rules = price_list_rules;
  return e;
}

// Where a prospect comes from: contacts have it from the customers module (source_type,
// source_campaign, source_medium, source_contact_id); the sales module adds the web form, and the
// same source to accounts.
std::vector<Field> attribution(bool contact) {
  Field form = R("lead_form_id", "lead_forms", {"Formulaire web", "Web form"}, "The web-to-lead form it came through");
  if (contact) return {form};
  return {filt(E("source_type", customers::source_types(), {"Origine", "Source"}, "Where the prospect came from")),
          filt(maxlen(F("source_campaign", K::Text, {"Campagne", "Campaign"}, "Campaign or promotional activity"), 200)),
          filt(maxlen(F("source_medium", K::Text, {"Média", "Medium"}, "Medium, e.g. salon, web, radio"), 200)), form};
}

const char* const kDefaultConsent =
    "J'accepte de recevoir des informations commerciales par e-mail. Je peux me désinscrire à tout moment.";

Entity lead_forms() {
  Entity e{"lead_forms", "web form", Access::Catalogue, "", false, "name", {}};
  e.label = {"Formulaires web", "Web forms"};
  e.label_singular = {"Formulaire web", "Web form"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}, "Shown as the form's title"), 100))),
      server(F("form_key", K::Text, {"Clé publique", "Public key"}, "In the form's public address; set by the server")),
      dflt(filt(F("active", K::Boolean, {"Actif", "Active"}, "Takes requests; default true")), true),
      maxlen(F("campaign", K::Text, {"Campagne", "Campaign"}, "Kept as the prospects' source campaign"), 100),
      maxlen(F("medium", K::Text, {"Support", "Medium"}), 100),
      R("assignee_id", "users", {"Prospects confiés à", "Prospects go to"},
        "Owner of the prospects and of their follow-up (for territory and round robin: when none applies)"),
      dflt(E("assignment",
             {{"assignee", {"À la personne choisie", "To the chosen person"}},
              {"territory", {"Par territoire (code postal)", "By territory (postcode)"}},
              {"round_robin", {"À tour de rôle dans l'équipe", "Round robin within the team"}}},
             {"Attribution des prospects", "Prospect assignment"}, "assignee, territory or round_robin"),
           "assignee"),
      R("team_id", "teams", {"Équipe (tour de rôle)", "Team (round robin)"}, "The team whose salespeople take turns"),
      maxlen(F("consent_text", K::LongText, {"Texte du consentement", "Consent wording"},
               "The wording beside the consent box, kept with each request; default: e-mail offers, unsubscribe any time"),
             2000),
      maxlen(F("thank_you_text", K::Text, {"Message de remerciement", "Thank-you message"}), 500),
      F("redirect_url", K::Url, {"Page après envoi", "Page after sending"}, "Where the browser goes after a request"),
      dflt(F("double_optin", K::Boolean, {"Double opt-in", "Double opt-in"},
             "The consent counts once the person confirms it by the link of an e-mail (sent from the mailbox that sends "
             "automatic messages)"),
           false),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "active", "campaign", "assignee_id"};
  e.menu_order = 87;
  e.hooks.rules = [](WriteContext& ctx, json& record, FieldErrors&) {
    if (!ctx.before) record["form_key"] = new_form_key();
    if (!ctx.before && record.value("consent_text", json()).is_null()) record["consent_text"] = kDefaultConsent;
  };
  return e;
}

Entity sales_territories() {
  Entity e{"sales_territories", "territory", Access::Catalogue, "", false, "name", {}};
  e.label = {"Territoires", "Territories"};
  e.label_singular = {"Territoire", "Territory"};
  e.fields = {
      required(sortf(maxlen(F("name", K::Text, {"Nom", "Name"}, "e.g. Rhône-Alpes"), 100))),
      maxlen(F("postcode_prefixes", K::TagList, {"Codes postaux (débuts)", "Postcode prefixes"},
               "Postcodes starting so belong to it: 69, 01, 38…; the longest match wins"),
             10),
      required(R("user_id", "users", {"Commercial", "Salesperson"}, "Who gets the territory's prospects")),
      dflt(filt(F("active", K::Boolean, {"Actif", "Active"}, "Default true")), true),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "postcode_prefixes", "user_id", "active"};
  e.menu_order = 87;
  return e;
}

Entity lead_submissions() {
  Entity e{"lead_submissions", "web form request", Access::Catalogue, "", false, "-received_at", {}};
  e.label = {"Demandes reçues par formulaire", "Web form requests"};
  e.label_singular = {"Demande reçue", "Web form request"};
  e.fields = {
      server(filt(R("form_id", "lead_forms", {"Formulaire", "Form"}))),
      server(both(F("received_at", K::DateTime, {"Reçue le", "Received"}))),
      server(filt(F("client_address", K::Text, {"Adresse IP", "Client address"}))),
      server(filt(E("outcome",
                    {{"created", {"Prospect créé", "Prospect created"}},
                     {"attached", {"Ajoutée à un contact existant", "Added to an existing contact"}},
                     {"spam", {"Indésirable (piège à robots)", "Spam (honeypot)"}}},
                    {"Résultat", "Outcome"}))),
      server(R("contact_id", "contacts", {"Contact", "Contact"})),
      server(F("payload", K::Object, {"Contenu reçu", "What was sent"})),
  };
  add_common(e);
  e.title_fields = {"received_at"};
  e.list_columns = {"received_at", "form_id", "outcome", "contact_id", "client_address"};
  e.menu_order = 88;
  // Written by the web form alone (web_to_lead.cpp, straight SQL): never through the API.
  e.hooks.rules = [](WriteContext&, json&, FieldErrors& errors) {
    errors.add("outcome", tr("web form requests are recorded by the form itself, not entered"));
  };
  return e;
}

Entity referral_rewards() {
  Entity e{"referral_rewards", "referral reward", Access::ViaCustomer, "created_by", false, "-earned_on", {}};
  e.label = {"Récompenses de parrainage", "Referral rewards"};
  e.label_singular = {"Récompense de parrainage", "Referral reward"};
  e.fields = {
      keeps(R("contact_id", "contacts", {"Parrain", "Referrer"}, "The customer who referred the deal")),
      R("account_id", "accounts", {"Entreprise du parrain", "Referrer's company"}),
      R("opportunity_id", "opportunities", {"Affaire recommandée", "Referred deal"}),
      R("referred_contact_id", "contacts", {"Filleul", "Referred customer"}),
      R("referred_account_id", "accounts", {"Entreprise filleule", "Referred company"}),
      filt(E("kind", {{"points", {"Points", "Points"}}, {"amount", {"Montant", "Amount"}}}, {"Type", "Kind"})),
      F("points", K::Integer, {"Points", "Points"}),
      F("amount_cents", K::Money, {"Montant", "Amount"}),
      both(F("earned_on", K::Date, {"Gagnée le", "Earned on"})),
      dflt(filt(E("status", {{"earned", {"Acquise", "Earned"}}, {"paid", {"Versée", "Paid"}}, {"cancelled", {"Annulée", "Cancelled"}}},
                  {"Statut", "Status"})),
           "earned"),
  };
  add_common(e);
  // Made by the server when a referred deal is won; a manager may correct or mark it paid.
  e.title_fields = {};
  e.list_columns = {"earned_on", "contact_id", "opportunity_id", "kind", "points", "amount_cents", "status"};
  e.menu_order = 89;
  return e;
}

// Units of the company's currency for one unit of another, from a date: what amounts in other
// currencies are added up at (exchange_rates.h).
Entity exchange_rates() {
  Entity e{"exchange_rates", "exchange rate", Access::Catalogue, "", false, "-valid_from", {}};
  e.label = {"Taux de change", "Exchange rates"};
  e.label_singular = {"Taux de change", "Exchange rate"};
  e.fields = {
      required(filt(F("currency", K::Currency, {"Devise", "Currency"}, "ISO 4217 code of the other currency, e.g. USD"))),
      required(maxlen(F("rate", K::Text, {"Taux (en devise de la société pour 1 unité)", "Rate (company currency for 1 unit)"},
                        "Units of the company's currency for one unit of this currency, e.g. 0,9231"),
                      20)),
      both(F("valid_from", K::Date, {"Valable à partir du", "Valid from"}, "Default today")),
      maxlen(F("notes", K::Text, {"Notes", "Notes"}, "Where the rate comes from, e.g. BCE"), 200),
  };
  add_common(e);
  e.title_fields = {"currency", "valid_from"};
  e.list_columns = {"currency", "rate", "valid_from", "notes"};
  e.menu_order = 92;
  e.hooks.rules = exchange_rate_rules;
  return e;
}

Entity sales_targets() {
  Entity e{"sales_targets", "sales target", Access::Catalogue, "", false, "-month", {}};
  e.label = {"Objectifs commerciaux", "Sales targets"};
  e.label_singular = {"Objectif", "Target"};
  e.fields = {
      required(filt(R("user_id", "users", {"Commercial", "Salesperson"}))),
      required(both(maxlen(F("month", K::Text, {"Mois (AAAA-MM)", "Month (YYYY-MM)"}), 7))),
      required(F("amount_cents", K::Money, {"Objectif de ventes HT", "Sales target (excl. VAT)"})),
  };
  add_common(e);
  e.title_fields = {"month"};
  e.list_columns = {"month", "user_id", "amount_cents"};
  e.menu_order = 90;
  e.hooks.rules = [](WriteContext& ctx, json& record, FieldErrors& errors) {
    const json m = record.value("month", json());
    if (m.is_string()) {
      const std::string v = m.get<std::string>();
      if (!is_month(v))
        errors.add("month", tr("must be a month written YYYY-MM"));
      else if (!ctx.conn.query_one("SELECT id FROM sales_targets WHERE user_id = ? AND month = ? AND id <> ?",
                                   {record["user_id"], v, ctx.before ? (*ctx.before)["id"] : json(0)})
                    .is_null())
        errors.add("month", tr("this person already has a target for this month"));
    }
  };
  return e;
}

Entity quotes() {
  Entity e{"quotes", "quote", Access::Owned, "", true, "-created_at", {}};
  e.label = {"Devis", "Quotes"};
  e.label_singular = {"Devis", "Quote"};
  e.fields = {
      server(both(maxlen(F("number", K::Text, {"Numéro", "Number"}, "D-YYYY-NNNN, from a sequence without gaps"), 30))),
      required(maxlen(F("title", K::Text, {"Objet", "Subject"}), 200)),
      R("opportunity_id", "opportunities", {"Opportunité", "Opportunity"}),
      keeps(R("account_id", "accounts", {"Entreprise", "Company"})),
      keeps(R("contact_id", "contacts", {"Contact", "Contact"}, "The customer: a contact, an account or both")),
      dflt(filt(E("status",
                  {{"draft", {"Brouillon", "Draft"}}, {"sent", {"Envoyé", "Sent"}}, {"accepted", {"Accepté", "Accepted"}},
                   {"refused", {"Refusé", "Refused"}}, {"expired", {"Expiré", "Expired"}},
                   {"superseded", {"Remplacé", "Superseded"}}},
                  {"Statut", "Status"}, "draft, sent, accepted, refused, expired; superseded when a new version is made")),
           "draft"),
      both(F("issued_on", K::Date, {"Date du devis", "Issue date"}, "Default today")),
      both(F("valid_until", K::Date, {"Valable jusqu'au", "Valid until"}, "Default 30 days after the issue date")),
      dflt(F("currency", K::Currency, {"Devise", "Currency"}, "ISO 4217, default EUR"), "EUR"),
      R("price_list_id", "price_lists", {"Liste de prix", "Price list"},
        "Prices taken from this list; without it, the most specific valid list of the customer"),
      E("vat_exemption", vat_exemption_choices(), {"Mention d'exonération", "VAT exemption wording"},
        "Required when a line has the 0 % rate"),
      server(F("subtotal_cents", K::Money, {"Total HT", "Total excl. VAT"})),
      server(F("vat_cents", K::Money, {"TVA", "VAT"})),
      server(sortf(F("total_cents", K::Money, {"Total TTC", "Total incl. VAT"}))),
      server(F("vat_breakdown", K::Object, {"Détail de la TVA", "VAT breakdown"}, "Per rate: base, VAT")),
      F("payment_terms", K::Text, {"Conditions de paiement", "Payment terms"}, "Default the company's"),
      F("notes", K::LongText, {"Notes", "Notes"}),
      server(F("accepted_at", K::DateTime, {"Accepté le", "Accepted"})),
      server(F("accepted_by_name", K::Text, {"Accepté par", "Accepted by"})),
      server(R("order_id", "orders", {"Commande", "Order"}, "The order made when the quote was accepted")),
      R("previous_quote_id", "quotes", {"Version précédente", "Previous version"},
        "Given at creation: this quote is a new version of that one (same number, -V2, -V3…), which becomes superseded"),
      server(F("revision", K::Integer, {"Version", "Version"}, "1 for the first version of a quote")),
  };
  add_common(e);
  e.title_fields = {"number", "title"};
  e.list_columns = {"number", "title", "account_id", "status", "total_cents", "valid_until", "owner_id"};
  e.menu_order = 6;
  kernel::ChildCollection lines;
  lines.name = "lines";
  lines.label = {"Lignes", "Lines"};
  lines.item = "a quote line";
  lines.table = "quote_lines";
  lines.parent_column = "quote_id";
  lines.position_column = "line_no";
  lines.max_items = 1000;
  lines.also_accepted = {"sku"};
  lines.fields = {
      R("product_id", "products", {"Produit", "Product"}),
      maxlen(F("description", K::Text, {"Désignation", "Description"}), 500),
      required(F("quantity", K::Integer, {"Quantité", "Quantity"}, "At least 1")),
      F("unit_price_cents", K::Money, {"Prix unitaire HT", "Unit price (excl. VAT)"},
        "Default: the price list's, else the product's"),
      dflt(F("discount_cents", K::Money, {"Remise", "Discount"}), 0),
      dflt(E("vat_rate", vat_rate_choices(), {"TVA", "VAT"}, "20, 10, 5.5, 2.1 or 0"), "20"),
      server(F("total_cents", K::Money, {"Total HT", "Total (excl. VAT)"})),
      server(E("price_source", price_sources(), {"Origine du prix", "Price from"})),
  };
  lines.line = quote_line;
  e.children = {lines};
  e.hooks.rules = quote_rules;
  e.hooks.after_write = quote_after_write;
  e.hooks.search_body = [](store::Connection&, const json& r) {
    std::string body;
    for (const char* k : {"number", "title", "external_id"})
      if (r.value(k, json()).is_string()) body += text::fold_words(r[k].get<std::string>()) + " ";
    return body;
  };
  return e;
}

}  // namespace

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "sales";
    m.label = {"Ventes", "Sales"};
    m.depends = {"users", "settings", "customers", "orders", "analytics", "email"};
    m.entities = {sales_reasons(), pipelines(), opportunities(), price_lists(), quotes(), lead_forms(), sales_territories(), lead_submissions(),
                  referral_rewards(), sales_targets(), exchange_rates()};
    // An order made from an accepted quote keeps the quote's VAT beside its net amount.
    m.extends = {{"contacts", attribution(true)},
                 {"accounts", attribution(false)},
                 {"orders",
                  {server(F("vat_cents", K::Money, {"TVA", "VAT"}, "The VAT of the quote it comes from, beside the net total"))}}};
    m.migrations = migrations();
    m.routes = [](http::Api& api, http::Services& s) {
      add_sales_routes(api, s);
      add_forecast_routes(api, s);
      add_results_routes(api, s);
      add_macro_process_routes(api, s);
      add_quote_link_routes(api, s);
      add_web_to_lead_routes(api, s);
      add_sales_automation_routes(api, s);
    };
    m.jobs = add_sales_automation_jobs;
    // Follow-ups every hour (each fires once per occasion); the learned score every night.
    // The forecast snapshot daily: the first run of a week takes that week's.
    m.schedules = {{"sales_followups", 3600}, {"sales_train_scoring", 86400}, {"sales_forecast_snapshot", 86400},
                   {"sales_daily_digest", 3600}};
    m.view360 = view360;
    m.messages_fr = messages_fr();
    for (const auto& fr : quote_messages_fr()) m.messages_fr.push_back(fr);
    for (auto rights : {grant({"manager"}, "pipelines", true, Delete::Any),
                        grant({"sales", "service", "marketing", "read_only"}, "pipelines", false, Delete::None),
                        grant({"manager"}, "sales_reasons", true, Delete::Any),
                        grant({"sales", "service", "marketing", "read_only"}, "sales_reasons", false, Delete::None),
                        grant({"manager"}, "price_lists", true, Delete::Any),
                        grant({"sales", "service", "marketing", "read_only"}, "price_lists", false, Delete::None),
                        grant({"manager"}, "opportunities", true, Delete::Any),
                        grant({"sales"}, "opportunities", true, Delete::Own),
                        grant({"marketing", "service", "read_only"}, "opportunities", false, Delete::None),
                        // Quote numbers run without gaps: an issued quote is refused or expires,
                        // it is not deleted (only an admin may).
                        grant({"manager", "sales"}, "quotes", true, Delete::None),
                        grant({"service", "marketing", "read_only"}, "quotes", false, Delete::None),
                        grant({"manager", "marketing"}, "lead_forms", true, Delete::Any),
                        grant({"sales", "service", "read_only"}, "lead_forms", false, Delete::None),
                        grant({"manager"}, "sales_territories", true, Delete::Any),
                        grant({"sales", "marketing", "read_only"}, "sales_territories", false, Delete::None),
                        // Requests hold what strangers typed: read by who runs the forms.
                        grant({"manager", "marketing"}, "lead_submissions", false, Delete::None),
                        grant({"manager"}, "referral_rewards", true, Delete::None),
                        grant({"sales", "service", "marketing", "read_only"}, "referral_rewards", false, Delete::None),
                        grant({"manager"}, "sales_targets", true, Delete::Any),
                        grant({"manager"}, "exchange_rates", true, Delete::Any),
                        grant({"sales", "service", "marketing", "read_only"}, "exchange_rates", false, Delete::None),
                        grant({"sales", "read_only"}, "sales_targets", false, Delete::None)})
      m.rights.insert(m.rights.end(), rights.begin(), rights.end());
    return m;
  }();
  return m;
}

}  // namespace gz::modules::sales
