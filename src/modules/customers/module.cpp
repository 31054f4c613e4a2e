#include "modules/customers/module.h"

#include "kernel/fields.h"
#include "kernel/members.h"
#include "modules/customers/rules.h"
#include "modules/customers/vocabulary.h"
#include "store/migrations.h"

namespace gz::modules::customers {

using namespace kernel::fields;
using kernel::Access;
using kernel::Choice;
using kernel::Delete;
using kernel::Entity;
using kernel::Field;

const std::vector<Choice>& lifecycle_stages() {
  static const std::vector<Choice> v = {
      {"suspect", {"Suspect", "Suspect"}},
      {"prospect", {"Prospect", "Prospect"}},
      {"disqualified", {"Disqualifié", "Disqualified"}},
      {"new_customer", {"Nouveau client", "New customer"}},
      {"regular_customer", {"Client régulier", "Regular customer"}},
      {"customer", {"Client", "Customer"}},
      {"advocate", {"Ambassadeur", "Advocate"}},
      {"partner", {"Partenaire", "Partner"}},
      {"inactive", {"Inactif", "Inactive"}},
  };
  return v;
}

const std::vector<Choice>& interaction_channels() {
  static const std::vector<Choice> v = {
      {"phone", {"Appel", "Call"}},           {"email", {"E-mail", "E-mail"}},
      {"meeting", {"Rendez-vous", "Meeting"}}, {"chat", {"Chat", "Chat"}},
      {"web", {"Web", "Web"}},                 {"letter", {"Courrier", "Letter"}},
      {"fax", {"Fax", "Fax"}},                 {"sms", {"SMS", "SMS"}},
      {"social", {"Réseaux sociaux", "Social"}}, {"in_store", {"En magasin", "In store"}},
      {"note", {"Note", "Note"}},
  };
  return v;
}

const std::vector<Choice>& value_tiers() {
  static const std::vector<Choice> v = {{"gold", {"Or", "Gold"}}, {"silver", {"Argent", "Silver"}}, {"bronze", {"Bronze", "Bronze"}}};
  return v;
}

const std::vector<Choice>& source_types() {
  static const std::vector<Choice> v = {{"referral", {"Parrainage", "Referral"}},
                                        {"campaign", {"Campagne", "Campaign"}},
                                        {"medium", {"Média", "Medium"}},
                                        {"web_form", {"Formulaire web", "Web form"}},
                                        {"other", {"Autre", "Other"}}};
  return v;
}

const std::vector<Choice>& consent_channels() {
  static const std::vector<Choice> v = {
      {"email", {"E-mail", "E-mail"}}, {"phone", {"Téléphone", "Phone"}}, {"sms", {"SMS", "SMS"}}, {"post", {"Courrier", "Post"}}};
  return v;
}

bool is_value(const std::vector<Choice>& choices, const std::string& value) {
  for (const auto& c : choices) if (c.value == value) return true;
  return false;
}

std::vector<std::string> values_of(const std::vector<Choice>& choices) {
  std::vector<std::string> out;
  for (const auto& c : choices) out.push_back(c.value);
  return out;
}

namespace {

// Free labels for grouping and bulk work ("vip", "salon-2026"); ?tags=vip lists the records with one.
Field tags() {
  return filt(maxlen(F("tags", K::TagList, {"Étiquettes", "Tags"}, "Labels, stored lower-cased without accents; at most 20, of 50 characters each"), 50));
}
// Customer value (docs/analytics.md): the tier the analytics compute (read-only), and the
// customer's annual spend in our category, for share of wallet.
Field value_tier() {
  return server(filt(maxlen(F("value_tier", K::Text, {"Niveau de valeur calculé", "Computed value tier"},
                              "Value tier computed by the analytics (gold, silver, bronze…); null for none"),
                            30)));
}
Field category_spend() {
  return F("category_spend_cents", K::Money, {"Dépense annuelle dans la catégorie", "Annual spend in the category"},
           "Annual spend in our product category, in cents (share of wallet)");
}
std::vector<Field> address() {
  return {F("street", K::Text, {"Adresse", "Street"}, "Street address, may span lines"),
          filt(maxlen(F("postcode", K::Text, {"Code postal", "Postcode"}), 20)),
          both(F("city", K::Text, {"Ville", "City"})),
          dflt(filt(F("country", K::Country, {"Pays", "Country"}, "ISO 3166-1 alpha-2, default FR")), "FR")};
}
// What the object fields hold, described for display (labels of keys and values: "Salon" for
// the consent origin "trade fair"); the rules of rules_contacts.cpp check them.
using kernel::Member;
std::vector<Member> consent_members() {
  const std::vector<Member> given = {
      {"status", K::Enum, {"Statut", "Status"}, {{"granted", {"accordé", "granted"}}, {"denied", {"refusé", "denied"}}}},
      {"date", K::DateTime, {"Date", "Date"}},
      {"origin", K::Text, {"Origine", "Origin"},
       {{"web form", {"Formulaire web", "Web form"}}, {"phone call", {"Appel téléphonique", "Phone call"}},
        {"in store", {"En magasin", "In store"}}, {"trade fair", {"Salon", "Trade fair"}},
        {"paper form", {"Formulaire papier", "Paper form"}}, {"system", {"Système", "System"}},
        {"unsubscribe link", {"Lien de désinscription", "Unsubscribe link"}},
        {"double opt-in", {"Confirmation par e-mail (double opt-in)", "E-mail confirmation (double opt-in)"}},
        // A consent given in the form without an origin: who entered it (rules_contacts.cpp), a
        // pattern the web fills with the name ("Saisi par Marie Dupont").
        {"entered by {name}", {"Saisi par {name}", "Entered by {name}"}}}},
  };
  std::vector<Member> out;
  for (const auto& ch : consent_channels()) out.push_back({ch.value, K::Object, ch.label, {}, "", given});
  return out;
}
std::vector<Member> preference_members() {
  return {{"channel", K::Enum, {"Canal préféré", "Preferred channel"}, interaction_channels()},
          {"frequency", K::Enum, {"Fréquence", "Frequency"}, {{"high", {"fréquente", "frequent"}}, {"spaced", {"espacée", "spaced"}}}},
          {"frequency_cap_per_month", K::Integer, {"Au plus par mois", "At most per month"}},
          {"initiative", K::Enum, {"Initiative", "Initiative"},
           {{"waits", {"attend d’être contacté", "waits to be contacted"}}, {"initiates", {"prend contact", "gets in touch"}}}},
          {"autonomy", K::Enum, {"Autonomie", "Autonomy"},
           {{"autonomous", {"autonome", "autonomous"}}, {"accompanied", {"souhaite être accompagné", "wants to be accompanied"}}}}};
}
std::vector<Member> household_attribute_members() {
  return {{"children_ages", K::Integer, {"Âges des enfants", "Children's ages"}, {}, "year", {}, true},
          {"owner_occupier", K::Boolean, {"Propriétaire occupant", "Owner-occupier"}},
          {"housing", K::Text, {"Logement", "Housing"}, {{"maison", {"maison", "house"}}, {"appartement", {"appartement", "flat"}}}},
          {"equipment", K::Text, {"Équipement", "Equipment"}, {}, "", {}, true},
          {"pets", K::Text, {"Animaux", "Pets"}, {}, "", {}, true}};
}

Field stage(std::string description) {
  return E("lifecycle_stage", lifecycle_stages(), {"Étape du cycle de vie", "Lifecycle stage"}, std::move(description));
}

Entity accounts() {
  Entity e{"accounts", "account", Access::Owned, "", true, "name", {}};
  e.label = {"Comptes", "Accounts"};
  e.label_singular = {"Compte", "Account"};
  e.fields = {
      required(sortf(F("name", K::Text, {"Nom", "Name"}, "Company name"))),
      filt(maxlen(F("legal_id", K::Text, {"SIREN / SIRET", "SIREN / SIRET"},
                    "SIREN (9 digits) or SIRET (14) in France, checked; free text elsewhere"),
                  50)),
      both(F("industry", K::Text, {"Secteur", "Industry"})),
      E("size",
        {{"1-9", {"1 à 9", "1-9"}}, {"10-49", {"10 à 49", "10-49"}}, {"50-249", {"50 à 249", "50-249"}},
         {"250-4999", {"250 à 4 999", "250-4,999"}}, {"5000+", {"5 000 et plus", "5,000+"}}},
        {"Effectif", "Size"}, "Head-count band (French size classes)"),
      F("website", K::Url, {"Site web", "Website"}),
      F("phone", K::Phone, {"Téléphone", "Phone"}, "Switchboard, stored in E.164"),
  };
  for (auto& f : address()) e.fields.push_back(f);
  e.fields.push_back(E("tier", value_tiers(), {"Niveau", "Tier"}, "Value tier; null for none"));
  e.fields.push_back(stage("Where the company stands in the relationship"));
  e.fields.push_back(maxlen(F("stage_reason", K::Text, {"Motif de l'étape", "Reason for the stage"}, "Why disqualified or inactive"), 500));
  e.fields.push_back(tags());
  e.fields.push_back(value_tier());
  e.fields.push_back(category_spend());
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "industry", "city", "lifecycle_stage", "tier", "owner_id"};
  e.menu_order = 10;
  e.importable = e.exportable = e.mergeable = e.stage_history = true;
  e.hooks.rules = account_rules;
  e.hooks.after_write = account_after_write;
  e.hooks.search_body = [](store::Connection&, const nlohmann::json& r) { return domain::account_search_body(r); };
  // An import naming an unknown company by its number (create_missing) creates it so named.
  e.hooks.placeholder = [](const std::string& ext) { return nlohmann::json{{"name", ext}}; };
  return e;
}

Entity households() {
  Entity e{"households", "household", Access::Owned, "", true, "name", {}};
  e.label = {"Foyers", "Households"};
  e.label_singular = {"Foyer", "Household"};
  e.fields = {required(sortf(F("name", K::Text, {"Nom", "Name"}, "Household name, e.g. Famille Martin")))};
  for (auto& f : address()) e.fields.push_back(f);
  e.fields.push_back(both(F("size", K::Integer, {"Personnes", "People"}, "Number of people")));
  e.fields.push_back(filt(maxlen(F("socio_professional_category", K::Text,
                                   {"Catégorie socio-professionnelle", "Socio-professional category"}, "PCS/CSP category"),
                                 100)));
  Field attrs = F("attributes", K::Object, {"Caractéristiques", "Attributes"}, "Free attributes: equipment, children's ages, …");
  kernel::describe_members("households", "attributes", household_attribute_members());
  attrs.max_length = 20000;
  e.fields.push_back(attrs);
  e.fields.push_back(tags());
  e.fields.push_back(category_spend());
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "postcode", "city", "size", "owner_id"};
  e.menu_order = 30;
  e.importable = e.exportable = e.mergeable = true;
  e.hooks.rules = household_rules;
  e.hooks.search_body = [](store::Connection&, const nlohmann::json& r) { return domain::household_search_body(r); };
  e.hooks.placeholder = [](const std::string& ext) { return nlohmann::json{{"name", ext}}; };
  return e;
}

Entity contacts() {
  Entity e{"contacts", "contact", Access::Owned, "", true, "last_name", {}};
  e.label = {"Contacts", "Contacts"};
  e.label_singular = {"Contact", "Contact"};
  e.fields = {
      sortf(F("first_name", K::Text, {"Prénom", "First name"})),
      required(sortf(F("last_name", K::Text, {"Nom", "Last name"}))),
      F("job_title", K::Text, {"Fonction", "Job title"}),
      F("emails", K::EmailList, {"E-mails", "E-mails"}, "E-mail addresses, the first is the main one"),
      F("phones", K::PhoneList, {"Téléphones", "Phones"}, "Phone numbers; national numbers are read as French; stored in E.164"),
  };
  for (auto& f : address()) e.fields.push_back(f);
  e.fields.push_back(filt(maxlen(F("region", K::Text, {"Région", "Region"}, "State, region, county or département"), 100)));
  e.fields.push_back(filt(F("birth_date", K::Date, {"Date de naissance", "Date of birth"},
                            "Date of birth; strong evidence for duplicate detection")));
  Field identifiers = F("identifiers", K::Object, {"Identifiants", "Identifiers"},
                        "Identifiers given by other systems or authorities, {name: value}, e.g. "
                        "{\"customer_no\": \"C-1234\", \"social_security\": \"…\"}; equal values mark duplicates");
  identifiers.max_length = 2000;
  e.fields.push_back(identifiers);
  // A company's people are customers in their own right: it is not deleted from under them.
  e.fields.push_back(keeps(R("account_id", "accounts", {"Entreprise", "Company"}, "Company the person works for")));
  e.fields.push_back(E("buying_role",
                       {{"prescriber", {"Prescripteur", "Prescriber"}}, {"decision_maker", {"Décideur", "Decision maker"}},
                        {"buyer", {"Acheteur", "Buyer"}}, {"user", {"Utilisateur", "User"}}},
                       {"Rôle dans le centre d'achat", "Buying-centre role"}, "Role in the buying centre"));
  e.fields.push_back(R("household_id", "households", {"Foyer", "Household"}, "Household the person belongs to"));
  e.fields.push_back(dflt(stage("Kotler's stages; default suspect"), "suspect"));
  e.fields.push_back(maxlen(F("stage_reason", K::Text, {"Motif de l'étape", "Reason for the stage"}, "Required for disqualified and inactive"), 500));
  e.fields.push_back(filt(E("source_type", source_types(), {"Origine", "Source"}, "Where the prospect came from")));
  e.fields.push_back(R("source_contact_id", "contacts", {"Parrain", "Referred by"}, "Referring contact (source_type referral)"));
  e.fields.push_back(filt(F("source_campaign", K::Text, {"Campagne", "Campaign"}, "Campaign or promotional activity")));
  e.fields.push_back(filt(F("source_medium", K::Text, {"Média", "Medium"}, "Medium, e.g. salon, web, radio")));
  Field prefs = F("preferences", K::Object, {"Préférences de contact", "Contact preferences"},
                  "{channel, frequency: high|spaced, frequency_cap_per_month, initiative: waits|initiates, "
                  "autonomy: autonomous|accompanied}");
  kernel::describe_members("contacts", "preferences", preference_members());
  prefs.max_length = 2000;
  e.fields.push_back(prefs);
  Field consent = F("consent", K::Object, {"Consentement", "Consent"},
                    "Per channel (email, phone, sms, post): {status: granted|denied, date, origin}");
  kernel::describe_members("contacts", "consent", consent_members());
  consent.max_length = 4000;
  e.fields.push_back(consent);
  e.fields.push_back(filt(F("email_bounced_at", K::DateTime, {"E-mail en échec le", "E-mail bounced"},
                            "When mail to the main e-mail address bounced; null when it did not")));
  e.fields.push_back(tags());
  e.fields.push_back(value_tier());
  e.fields.push_back(category_spend());
  add_common(e);
  e.title_fields = {"first_name", "last_name"};
  e.list_columns = {"last_name", "first_name", "emails", "phones", "account_id", "city", "lifecycle_stage", "owner_id"};
  e.menu_order = 20;
  e.importable = e.exportable = e.mergeable = e.stage_history = true;
  e.hooks.rules = contact_rules;
  e.hooks.search_body = contact_search_body_of;
  // An order file's unknown customer number (create_missing) becomes "Customer 17850".
  e.hooks.placeholder = [](const std::string& ext) { return nlohmann::json{{"last_name", "Customer " + ext}}; };
  return e;
}

}  // namespace

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "customers";
    // The core's search tables (migrations/postgresql/001_core.sql) get their words as B-tree rows.
    m.migrations = {{"postgresql", 1, "search words",
                     store::pg_search_words("contacts_search") + store::pg_search_words("accounts_search") +
                         store::pg_search_words("households_search")}};
    m.messages_fr = {
      {"'{value}' is not a plausible birth date (from 1880 to today)",
       "«\u00a0{value}\u00a0» n'est pas une date de naissance plausible (de 1880 à aujourd'hui)"},
      {"a contact cannot refer themselves", "un contact ne peut pas être son propre parrain"},
      {"an inactive customer can only come back at a customer stage (won back): {stages}",
       "un client inactif ne peut revenir (reconquis) qu'à une étape de client\u00a0: {stages}"},
      {"cannot go from {from} back to {to}: a customer who has bought stays a customer; mark them {inactive} with a reason instead",
       "impossible de revenir de «\u00a0{from}\u00a0» à «\u00a0{to}\u00a0»\u00a0: un client qui a acheté reste client\u00a0; passez-le plutôt à «\u00a0{inactive}\u00a0» avec un motif"},
      {"each identifier needs a name of 1 to 50 characters", "chaque identifiant a besoin d'un nom de 1 à 50\u00a0caractères"},
      {"fill in {contact} or {account}: each {entity} record belongs to a contact or an account",
       "renseignez «\u00a0{contact}\u00a0» ou «\u00a0{account}\u00a0»\u00a0: chaque fiche «\u00a0{entity}\u00a0» appartient à un contact ou à un compte"},
      {"is required when {field} is {stage} (e.g. bankruptcy, moved, dissatisfied)",
       "est obligatoire quand «\u00a0{field}\u00a0» vaut «\u00a0{stage}\u00a0» (par exemple faillite, déménagement, insatisfaction)"},
      {"is required when {field} is {stage} (e.g. cannot afford, would not be profitable)",
       "est obligatoire quand «\u00a0{field}\u00a0» vaut «\u00a0{stage}\u00a0» (par exemple n'en a pas les moyens, ne serait pas rentable)"},
      {"is required when source_type is referral (who referred this person?)", "est obligatoire quand l'origine est un parrainage (qui a recommandé cette personne\u00a0?)"},
      {"must be a channel: email, phone, sms, letter, meeting, …", "doit être un canal\u00a0: email, phone, sms, letter, meeting…"},
      {"must be a non-empty text of at most 100 characters", "doit être un texte non vide de 100\u00a0caractères au plus"},
      {"must be a text of at most 200 characters (e.g. web form, phone call)", "doit être un texte de 200\u00a0caractères au plus (par exemple formulaire web, appel)"},
      {"must be an ISO 8601 date or date-time", "doit être une date ou une date et heure ISO 8601"},
      {"must be an integer from 0 to 100 (contacts per month at most)", "doit être un entier de 0 à 100 (contacts par mois au plus)"},
      {"must be an object {status, date, origin}", "doit être un objet {status, date, origin}"},
      {"must be autonomous or accompanied", "doit valoir autonomous (autonome) ou accompanied (accompagné)"},
      {"must be from 1 to 50 people", "doit être de 1 à 50\u00a0personnes"},
      {"must be granted or denied", "doit valoir granted (accordé) ou denied (refusé)"},
      {"must be high or spaced", "doit valoir high (fréquent) ou spaced (espacé)"},
      {"must be waits (waits to be contacted) or initiates", "doit valoir waits (attend d'être contacté) ou initiates (prend l'initiative)"},
      {"unknown channel; consent is given per channel: email, phone, sms, post", "canal inconnu\u00a0; le consentement se donne par canal\u00a0: email, phone, sms, post"},
      {"unknown preference; use channel, frequency, frequency_cap_per_month, initiative, autonomy", "préférence inconnue\u00a0; utilisez channel, frequency, frequency_cap_per_month, initiative, autonomy"},
      {"unknown; use status, date, origin", "inconnu\u00a0; utilisez status, date, origin"},
    };
    m.label = {"Clients", "Customers"};
    m.depends = {"users"};
    m.entities = {accounts(), households(), contacts()};
    m.routes = add_routes;
    m.view360 = add_to_360;
    auto add = [&](std::vector<kernel::Right> r) { m.rights.insert(m.rights.end(), r.begin(), r.end()); };
    for (const char* e : {"accounts", "households", "contacts"}) {
      add(grant({"manager"}, e, true, Delete::Any));
      add(grant({"sales"}, e, true, Delete::Own));
      add(grant({"read_only", "marketing"}, e, false, Delete::None));
    }
    add(grant({"service"}, "accounts", false, Delete::None));
    add(grant({"service"}, "households", true, Delete::Own));
    add(grant({"service"}, "contacts", true, Delete::Own));
    return m;
  }();
  return m;
}

}  // namespace gz::modules::customers
