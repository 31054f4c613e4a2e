// The demo company: "Café & Compagnie", a French SME selling coffee machines, coffee, tea and
// services to companies (B2B) and households (B2C), with two sales teams.
//
// Rows are written through store::BulkLoader (prepared inserts, large transactions), not
// through RecordService: the generator builds only valid data (checked SIRETs, E.164 numbers,
// consistent order totals, reasons where a stage needs one), and writes the search index rows
// with the same functions the services use, so search finds what it generates.
// Everything random comes from one generator seeded by options.seed; dates are relative to the
// day of generation (tasks due today must be due today).
#include "modules/demo/demo.h"
#include "modules/sales/demo_sales.h"
#include "modules/service/demo_service.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/clock.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/auth.h"
#include "modules/customers/lifecycle.h"
#include "domain/search_text.h"
#include "store/bulk_store.h"
#include "store/statistics.h"
#include "modules/orders/order_store.h"

namespace gz::domain {

using modules::customers::is_customer_stage;

using json = nlohmann::json;
using store::Params;

namespace {

// ---------------------------------------------------------------------------------------------
// Random numbers: splitmix64, so that a seed gives the same company on every platform.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) { return lo + int64_t(next() % uint64_t(hi - lo + 1)); }
  double unit() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return unit() < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[size_t(next() % v.size())]; }
  // Index drawn with the given weights.
  size_t weighted(const std::vector<int>& w) {
    int total = 0;
    for (int x : w) total += x;
    int r = int(next() % uint64_t(total));
    for (size_t i = 0; i < w.size(); ++i) {
      if (r < w[i]) return i;
      r -= w[i];
    }
    return w.size() - 1;
  }
};

// ---------------------------------------------------------------------------------------------
// Vocabulary.
const std::vector<std::string> kFemaleFirst = {
    "Hélène", "Léa", "Zoé", "Chloé", "Camille", "Manon", "Inès", "Émilie", "Céline", "Nathalie", "Isabelle",
    "Sophie", "Marie", "Anaïs", "Clémence", "Maëlle", "Océane", "Élodie", "Sandrine", "Valérie", "Brigitte",
    "Françoise", "Agnès", "Bénédicte", "Noémie", "Justine", "Laëtitia", "Aurélie", "Séverine", "Juliette",
    "Louise", "Jeanne", "Margaux", "Pauline", "Amélie", "Claire", "Geneviève", "Joséphine", "Aïcha", "Fatou",
    "Mélanie", "Gaëlle", "Stéphanie", "Véronique", "Christelle", "Anne-Sophie", "Marie-Hélène", "Lucie", "Emma",
    "Jade", "Alice", "Rose", "Capucine", "Solène", "Thérèse", "Yasmine", "Nadia", "Karine", "Corinne", "Mireille"};
const std::vector<std::string> kMaleFirst = {
    "François", "Jérôme", "Benoît", "Hervé", "Stéphane", "Frédéric", "Grégoire", "Thierry", "Nicolas", "Julien",
    "Mathieu", "Sébastien", "Antoine", "Étienne", "Loïc", "Gaël", "Noé", "Raphaël", "Théo", "Hugo", "Lucas",
    "Maxime", "Olivier", "Pascal", "Philippe", "Bruno", "Cédric", "Jérémy", "Mickaël", "Joël", "Clément",
    "Yannick", "Rémi", "Arnaud", "Laurent", "Didier", "Alain", "Bernard", "Moussa", "Karim", "Mehdi", "Youssef",
    "Léo", "Gérald", "André", "Jean-François", "Pierre-Yves", "Gabriel", "Louis", "Arthur", "Jules", "Adrien",
    "Baptiste", "Denis", "Fabrice", "Guillaume", "Xavier", "Yves", "Jean-Luc", "Aurélien"};
const std::vector<std::string> kLastNames = {
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
    "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
    "Lambert", "Fontaine", "Rousseau", "Vincent", "Müller", "Lefebvre", "Faure", "André", "Mercier", "Blanc",
    "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
    "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud",
    "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard", "Roche",
    "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert",
    "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey",
    "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot",
    "Hubert", "Berger", "Carpentier", "Sánchez", "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur",
    "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry",
    "Guyot", "Carré", "Charles", "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly",
    "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet",
    "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy", "Le Goff",
    "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon",
    "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin",
    "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard",
    "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélémy", "Cordier", "Pichon",
    "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte", "N'Diaye", "Diallo", "Traoré",
    "Nguyen", "Benali", "Haddad", "Kowalski", "Dos Santos", "Ferreira", "Côté", "D'Almeida", "Dufresne",
    "Bélanger", "Lefèvre-Dubois", "Œuvrard", "Mégret", "Thévenin", "Crépin", "Lécuyer", "Bœuf", "Bézier"};

struct City {
  const char* name;
  const char* postcode;
  char region;  // first digit of the area's landline numbers: 1 Île-de-France … 5 south-west
};
const std::vector<City> kCities = {
    {"Paris", "75011", '1'}, {"Paris", "75015", '1'}, {"Paris", "75009", '1'}, {"Boulogne-Billancourt", "92100", '1'},
    {"Versailles", "78000", '1'}, {"Saint-Denis", "93200", '1'}, {"Montreuil", "93100", '1'},
    {"Nanterre", "92000", '1'}, {"Créteil", "94000", '1'}, {"Cergy", "95000", '1'},
    {"Évry-Courcouronnes", "91000", '1'}, {"Lyon", "69003", '4'}, {"Lyon", "69007", '4'},
    {"Villeurbanne", "69100", '4'}, {"Marseille", "13008", '4'}, {"Marseille", "13001", '4'},
    {"Aix-en-Provence", "13100", '4'}, {"Nice", "06000", '4'}, {"Toulon", "83000", '4'},
    {"Montpellier", "34000", '4'}, {"Nîmes", "30000", '4'}, {"Grenoble", "38000", '4'},
    {"Saint-Étienne", "42000", '4'}, {"Annecy", "74000", '4'}, {"Chambéry", "73000", '4'},
    {"Valence", "26000", '4'}, {"Avignon", "84000", '4'}, {"Arles", "13200", '4'}, {"Béziers", "34500", '4'},
    {"Perpignan", "66000", '4'}, {"Clermont-Ferrand", "63000", '4'}, {"Toulouse", "31000", '5'},
    {"Bordeaux", "33000", '5'}, {"Mérignac", "33700", '5'}, {"Pau", "64000", '5'}, {"Bayonne", "64100", '5'},
    {"Biarritz", "64200", '5'}, {"Limoges", "87000", '5'}, {"Poitiers", "86000", '5'},
    {"La Rochelle", "17000", '5'}, {"Périgueux", "24000", '5'}, {"Agen", "47000", '5'},
    {"Angoulême", "16000", '5'}, {"Brive-la-Gaillarde", "19100", '5'}, {"Niort", "79000", '5'},
    {"Nantes", "44000", '2'}, {"Saint-Nazaire", "44600", '2'}, {"Rennes", "35000", '2'},
    {"Saint-Malo", "35400", '2'}, {"Brest", "29200", '2'}, {"Quimper", "29000", '2'}, {"Lorient", "56100", '2'},
    {"Vannes", "56000", '2'}, {"Angers", "49000", '2'}, {"Cholet", "49300", '2'}, {"Le Mans", "72000", '2'},
    {"Laval", "53000", '2'}, {"Tours", "37000", '2'}, {"Caen", "14000", '2'}, {"Rouen", "76000", '2'},
    {"Le Havre", "76600", '2'}, {"Orléans", "45000", '2'}, {"Lille", "59000", '3'}, {"Roubaix", "59100", '3'},
    {"Villeneuve-d'Ascq", "59650", '3'}, {"Amiens", "80000", '3'}, {"Compiègne", "60200", '3'},
    {"Reims", "51100", '3'}, {"Troyes", "10000", '3'}, {"Metz", "57000", '3'}, {"Nancy", "54000", '3'},
    {"Strasbourg", "67000", '3'}, {"Colmar", "68000", '3'}, {"Mulhouse", "68100", '3'}, {"Dijon", "21000", '3'},
    {"Besançon", "25000", '3'}};

const std::vector<std::string> kStreetTypes = {"rue", "rue", "rue", "avenue", "boulevard", "place", "impasse",
                                               "chemin", "allée", "quai", "route"};
const std::vector<std::string> kStreetNames = {
    "Victor Hugo", "de la République", "Jean Jaurès", "du Général de Gaulle", "Pasteur", "de la Paix",
    "des Écoles", "de l'Église", "du Moulin", "des Lilas", "Émile Zola", "Gambetta", "Voltaire", "Jules Ferry",
    "de la Gare", "des Tilleuls", "du Château", "Saint-Michel", "de Verdun", "Molière", "Anatole France",
    "Édouard Herriot", "du Port", "des Acacias", "de Bretagne", "Carnot", "Foch", "Clemenceau",
    "Aristide Briand", "des Peupliers", "du Maréchal Leclerc", "de la Libération", "des Vignes", "Sainte-Anne",
    "de l'Hôtel de Ville", "des Forges", "Louis Pergaud", "Françoise Dolto", "Simone Veil", "Marie Curie"};

struct Trade {
  const char* prefix;
  const char* industry;
};
const std::vector<Trade> kTrades = {
    {"Boulangerie", "Boulangerie-pâtisserie"}, {"Pâtisserie", "Boulangerie-pâtisserie"},
    {"Garage", "Automobile"}, {"Transports", "Transport et logistique"}, {"Menuiserie", "Bâtiment"},
    {"Plomberie", "Bâtiment"}, {"Électricité", "Bâtiment"}, {"Maçonnerie", "Bâtiment"},
    {"Pharmacie", "Santé"}, {"Cabinet médical", "Santé"}, {"Cabinet comptable", "Expertise comptable"},
    {"Agence immobilière", "Immobilier"}, {"Hôtel", "Hôtellerie-restauration"},
    {"Restaurant", "Hôtellerie-restauration"}, {"Brasserie", "Hôtellerie-restauration"},
    {"Librairie", "Commerce de détail"}, {"Fromagerie", "Commerce alimentaire"},
    {"Boucherie", "Commerce alimentaire"}, {"Imprimerie", "Industrie graphique"}, {"Domaine", "Viticulture"},
    {"Atelier", "Artisanat"}, {"Pépinières", "Horticulture"}, {"Laboratoires", "Industrie pharmaceutique"},
    {"Fonderie", "Métallurgie"}, {"Mécanique", "Industrie mécanique"}, {"Ambulances", "Santé"},
    {"Auto-école", "Enseignement"}, {"Salon de coiffure", "Services à la personne"},
    {"Informatique", "Services informatiques"}, {"Conseil", "Conseil"}, {"Études", "Ingénierie"},
    {"Nettoyage", "Propreté"}};
const std::vector<std::string> kLegalForms = {"SARL", "SAS", "SA", "EURL", "SASU", "& Fils", "et Associés", ""};
const std::vector<std::string> kSizes = {"1-9", "10-49", "50-249", "250-4999", "5000+"};
const std::vector<int> kSizeWeights = {55, 28, 12, 4, 1};

struct JobTitle {
  const char* male;
  const char* female;
};
const std::vector<JobTitle> kJobTitles = {
    {"Gérant", "Gérante"}, {"Directeur commercial", "Directrice commerciale"},
    {"Responsable des achats", "Responsable des achats"}, {"Acheteur", "Acheteuse"},
    {"Assistant de direction", "Assistante de direction"}, {"Comptable", "Comptable"},
    {"Directeur administratif et financier", "Directrice administrative et financière"},
    {"Chef d'atelier", "Cheffe d'atelier"}, {"Responsable qualité", "Responsable qualité"},
    {"Office manager", "Office manager"}, {"Président", "Présidente"}, {"Directeur général", "Directrice générale"},
    {"Chargé de communication", "Chargée de communication"}, {"Responsable logistique", "Responsable logistique"},
    {"Responsable des services généraux", "Responsable des services généraux"}};

const std::vector<std::string> kMailProviders = {"gmail.com", "orange.fr", "free.fr", "laposte.net", "outlook.fr",
                                                 "sfr.fr", "wanadoo.fr", "yahoo.fr", "hotmail.fr", "icloud.com"};
const std::vector<std::string> kPcs = {"Agriculteurs exploitants",
                                       "Artisans, commerçants et chefs d'entreprise",
                                       "Cadres et professions intellectuelles supérieures",
                                       "Professions intermédiaires",
                                       "Employés",
                                       "Ouvriers",
                                       "Retraités",
                                       "Autres personnes sans activité professionnelle"};
const std::vector<std::string> kEquipment = {"machine à expresso", "cafetière filtre", "bouilloire", "lave-vaisselle",
                                             "voiture électrique", "vélo électrique", "piscine", "jardin",
                                             "panneaux solaires", "cheminée", "robot cuiseur"};
const std::vector<std::string> kPets = {"chien", "chat", "lapin", "poissons"};

const std::vector<std::string> kCampaigns = {"Salon du Café Paris 2024", "Offre de rentrée 2024",
                                             "Newsletter printemps 2025", "Black Friday 2024",
                                             "Jeu concours Instagram", "Salon Sirha Lyon 2025",
                                             "Parrainage clients 2025", "Foire de Bordeaux 2024"};
const std::vector<std::string> kMedia = {"salon", "web", "radio", "presse locale", "affichage", "réseaux sociaux",
                                         "bouche-à-oreille", "moteur de recherche"};
const std::vector<std::string> kReasonsDisqualified = {"Hors zone de livraison", "Budget insuffisant",
                                                       "Pas de besoin identifié", "Déjà équipé chez un concurrent",
                                                       "Coordonnées erronées"};
const std::vector<std::string> kReasonsInactive = {"Aucune commande depuis 18 mois", "Parti à la concurrence",
                                                   "Déménagement hors zone", "Cessation d'activité",
                                                   "Insatisfait du service après-vente"};

// Contact lifecycle stages and how often each is drawn.
const std::vector<std::string> kStages = {"suspect", "prospect", "disqualified", "new_customer", "regular_customer",
                                          "customer", "advocate", "partner", "inactive"};
const std::vector<int> kStageWeights = {14, 20, 5, 10, 20, 13, 5, 3, 10};

struct ChannelVocab {
  const char* channel;
  int weight;
  std::vector<std::string> subjects;
  std::vector<std::string> outcomes;
  int min_seconds, max_seconds;  // duration, 0 when not timed
};
const std::vector<ChannelVocab> kChannels = {
    {"phone", 30,
     {"Appel de suivi", "Relance du devis", "Prise de rendez-vous", "Question sur la facture", "Appel de courtoisie",
      "Réclamation livraison", "Panne de la machine", "Renouvellement du contrat d'entretien"},
     {"joint", "messagerie", "pas de réponse", "rappel demandé", "intéressé", "pas intéressé", "résolu"},
     30, 1200},
    {"email", 28,
     {"Envoi du devis", "Confirmation de commande", "Réponse à votre demande", "Documentation produit",
      "Relance facture impayée", "Invitation au salon", "Offre personnalisée", "Enquête de satisfaction"},
     {"envoyé", "ouvert", "répondu", "sans réponse", "désabonné"},
     0, 0},
    {"meeting", 8,
     {"Rendez-vous de présentation", "Visite sur site", "Réunion de négociation", "Point annuel",
      "Démonstration produit", "Dégustation des nouveaux cafés"},
     {"tenu", "reporté", "intéressé", "devis demandé", "commande passée"},
     1800, 7200},
    {"chat", 6,
     {"Question sur la livraison", "Demande d'information", "Suivi de commande", "Aide au détartrage"},
     {"résolu", "transféré au service client", "en attente"},
     60, 900},
    {"web", 6,
     {"Formulaire de contact", "Demande de devis en ligne", "Téléchargement du catalogue", "Inscription newsletter"},
     {"reçu", "traité"},
     0, 0},
    {"letter", 3,
     {"Courrier de bienvenue", "Envoi du contrat", "Lettre de relance", "Conditions générales mises à jour"},
     {"envoyé", "reçu", "retour à l'expéditeur"},
     0, 0},
    {"fax", 1, {"Bon de commande", "Accusé de réception"}, {"reçu", "envoyé"}, 0, 0},
    {"sms", 7,
     {"Rappel de rendez-vous", "Commande prête", "Offre promotionnelle", "Livraison prévue demain"},
     {"envoyé", "délivré", "répondu"},
     0, 0},
    {"social", 3,
     {"Message LinkedIn", "Commentaire Facebook", "Mention Instagram", "Avis Google"},
     {"répondu", "sans suite", "intéressé"},
     0, 0},
    {"in_store", 5,
     {"Passage en boutique", "Retrait de commande", "Conseil en magasin", "Dépôt de machine en réparation"},
     {"vente", "conseil donné", "réparation prise en charge"},
     300, 1800},
    {"note", 3,
     {"Note interne", "Compte rendu", "Information client", "Changement d'interlocuteur"}, {}, 0, 0}};

const std::vector<std::string> kContents = {
    "Client satisfait de la machine, souhaite tester le café en grains bio.",
    "À rappeler après les vacances scolaires.",
    "Demande un devis pour trois machines supplémentaires.",
    "Livraison arrivée avec deux jours de retard, geste commercial proposé.",
    "Intéressé par le contrat d'entretien annuel.",
    "Préfère être contacté par e-mail le matin.",
    "Budget validé par la direction pour le prochain trimestre.",
    "Souhaite comparer avec l'offre d'un concurrent."};

struct TaskVocab {
  const char* title;  // "%s" = the contact's name
  bool with_name;
};
const std::vector<TaskVocab> kTaskTitles = {
    {"Rappeler %s", true}, {"Envoyer le devis à %s", true}, {"Relancer la facture de %s", true},
    {"Préparer le rendez-vous avec %s", true}, {"Envoyer la documentation", false},
    {"Vérifier la livraison", false}, {"Proposer le renouvellement du contrat", false},
    {"Mettre à jour les coordonnées de %s", true}, {"Planifier la maintenance de la machine", false},
    {"Envoyer les échantillons de café", false}};

struct Product {
  const char* sku;
  const char* name;
  const char* category;
  int64_t price_cents;
};
// Gross margin rate of a category, in basis points (products.margin_bp): a reseller's margins,
// thin on machines, wide on coffee and on services, so that profitability differs from revenue.
int64_t category_margin_bp(const std::string& category) {
  static const std::map<std::string, int64_t> kMargins = {
      {"Machines à café", 2200}, {"Cafés", 4800},      {"Thés et infusions", 5200}, {"Chocolat et sucres", 3500},
      {"Accessoires", 4000},     {"Entretien", 4500}, {"Services", 6500},          {"Coffrets", 3800}};
  auto it = kMargins.find(category);
  return it == kMargins.end() ? 3000 : it->second;
}
const std::vector<Product> kProducts = {
    {"MAC-001", "Machine expresso Barista Pro", "Machines à café", 129000},
    {"MAC-002", "Machine expresso Compacte", "Machines à café", 44900},
    {"MAC-003", "Machine à grains Automatique 2 tasses", "Machines à café", 79900},
    {"MAC-004", "Machine professionnelle 2 groupes", "Machines à café", 249000},
    {"MAC-005", "Cafetière filtre isotherme", "Machines à café", 8990},
    {"MAC-006", "Moulin à café professionnel", "Machines à café", 39900},
    {"MAC-007", "Machine à capsules Essentielle", "Machines à café", 14900},
    {"CAF-001", "Café en grains Arabica bio 1 kg", "Cafés", 2490},
    {"CAF-002", "Café en grains Espresso intense 1 kg", "Cafés", 1990},
    {"CAF-003", "Café moulu Brésil 250 g", "Cafés", 690},
    {"CAF-004", "Café en grains Éthiopie Moka 500 g", "Cafés", 1590},
    {"CAF-005", "Capsules compatibles Lungo ×100", "Cafés", 2890},
    {"CAF-006", "Café décaféiné à l'eau 1 kg", "Cafés", 2290},
    {"CAF-007", "Café en grains Colombie Huila 1 kg", "Cafés", 2690},
    {"CAF-008", "Dosettes papier Classique ×150", "Cafés", 3190},
    {"THE-001", "Thé vert Sencha bio 100 g", "Thés et infusions", 890},
    {"THE-002", "Thé noir Earl Grey 100 g", "Thés et infusions", 790},
    {"THE-003", "Infusion verveine-menthe 50 sachets", "Thés et infusions", 650},
    {"THE-004", "Rooibos vanille 100 g", "Thés et infusions", 850},
    {"CHO-001", "Chocolat en poudre 1 kg", "Chocolat et sucres", 1290},
    {"SUC-001", "Sucre en morceaux emballés ×500", "Chocolat et sucres", 990},
    {"SUC-002", "Bâtonnets de sucre de canne ×1000", "Chocolat et sucres", 1490},
    {"ACC-001", "Tasses expresso porcelaine ×6", "Accessoires", 2400},
    {"ACC-002", "Mugs en grès ×4", "Accessoires", 2900},
    {"ACC-003", "Pot à lait inox 600 ml", "Accessoires", 1890},
    {"ACC-004", "Tasseur inox 58 mm", "Accessoires", 2490},
    {"ACC-005", "Gobelets carton recyclé ×1000", "Accessoires", 4590},
    {"ACC-006", "Touillettes en bois ×1000", "Accessoires", 890},
    {"ENT-001", "Détartrant liquide 1 l", "Entretien", 1290},
    {"ENT-002", "Pastilles de nettoyage ×100", "Entretien", 1990},
    {"ENT-003", "Filtre à eau pour machine", "Entretien", 1690},
    {"ENT-004", "Kit d'entretien complet", "Entretien", 3990},
    {"SRV-001", "Installation et mise en service", "Services", 12900},
    {"SRV-002", "Contrat d'entretien annuel", "Services", 34900},
    {"SRV-003", "Formation barista (demi-journée)", "Services", 29000},
    {"SRV-004", "Réparation atelier forfait", "Services", 8900},
    {"SRV-005", "Location machine professionnelle (mois)", "Services", 5900},
    {"SRV-006", "Extension de garantie 2 ans", "Services", 9900},
    {"LOT-001", "Coffret découverte 5 cafés", "Coffrets", 3490},
    {"LOT-002", "Coffret cadeau thés du monde", "Coffrets", 2990}};

// ---------------------------------------------------------------------------------------------
// Users of the demo.
struct DemoUser {
  const char* email;
  const char* name;
  const char* role;
  const char* team;
};
const std::vector<DemoUser> kUsers = {
    {"admin@demo.gazelle.fr", "Admin Démo", "admin", "Direction"},
    {"claire.dubois@demo.gazelle.fr", "Claire Dubois", "manager", "Équipe Nord"},
    {"hugo.lefevre@demo.gazelle.fr", "Hugo Lefèvre", "sales", "Équipe Nord"},
    {"lea.martin@demo.gazelle.fr", "Léa Martin", "sales", "Équipe Nord"},
    {"jerome.garcia@demo.gazelle.fr", "Jérôme Garcia", "manager", "Équipe Sud"},
    {"zoe.nguyen@demo.gazelle.fr", "Zoé Nguyen", "sales", "Équipe Sud"},
    {"francois.muller@demo.gazelle.fr", "François Müller", "sales", "Équipe Sud"},
    {"helene.roux@demo.gazelle.fr", "Hélène Roux", "service", "Service client"},
    {"marc.petit@demo.gazelle.fr", "Marc Petit", "service_supervisor", "Service client"},
    {"noemie.gerard@demo.gazelle.fr", "Noémie Gérard", "marketing", "Marketing"},
    {"paul.bernard@demo.gazelle.fr", "Paul Bernard", "read_only", "Comptabilité"}};
constexpr const char* kDemoPassword = "gazelle-demo";

struct UserRef {
  int64_t id = 0;
  int64_t team_id = 0;  // 0 = none
};

// ---------------------------------------------------------------------------------------------
// Helpers.

// "Hélène Lefèvre-Dubois" -> "helene-lefevre-dubois" style pieces for addresses and domains.
std::string slug(const std::string& s, char sep) {
  std::string f = text::fold_words(s), out;
  for (char c : f) out += c == ' ' ? sep : c;
  return out;
}

std::string digits(Rng& r, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += char('0' + r.next() % 10);
  return s;
}

// Luhn key making body + key valid.
char luhn_key(const std::string& body) {
  for (char k = '0'; k <= '9'; ++k)
    if (validate::luhn_valid(body + k)) return k;
  return '0';
}

std::string siret(Rng& r) {
  std::string siren;
  do {
    siren = std::string(1, char('1' + r.next() % 9)) + digits(r, 7);
    siren += luhn_key(siren);
  } while (siren == "356000000");
  std::string nic = "000" + std::to_string(r.range(10, 99));
  std::string body = siren + nic.substr(nic.size() - 4);
  return body + luhn_key(body);
}

// French mobile numbers in ranges libphonenumber knows as valid: 06 10–88 but not 06 39 (not
// allocated), 07 50–89.
std::string mobile(Rng& r) {
  if (r.chance(0.7)) {
    int64_t block = r.range(10, 88);
    if (block == 39) block = 38;
    return "+336" + std::to_string(block) + digits(r, 6);
  }
  return "+337" + std::to_string(r.range(50, 89)) + digits(r, 6);
}

// Geographic number of the city's area: 0[1-5] then a non-zero digit.
std::string landline(Rng& r, char region) {
  return std::string("+33") + region + char('1' + r.next() % 8) + digits(r, 7);
}

std::string street(Rng& r) {
  std::string num = std::to_string(r.range(1, 180));
  if (r.chance(0.05)) num += " bis";
  return num + " " + r.pick(kStreetTypes) + " " + r.pick(kStreetNames);
}

struct Clock {
  int64_t today;  // unix time of today's midnight UTC
  int64_t now;
  // Business hours (08:00–18:59 Paris, roughly UTC 07–17) of a day `days_ago` days back.
  int64_t business_time(Rng& r, int64_t days_ago) const {
    return today - days_ago * 86400 + r.range(7, 17) * 3600 + r.range(0, 59) * 60 + r.range(0, 59);
  }
};

std::string iso(int64_t t) { return clock::format_utc(t); }

struct AccountRef {
  int64_t id;
  std::string name;
  std::string domain;
  uint8_t owner;  // index into the sales users
  uint16_t city;
};
struct HouseholdRef {
  int64_t id;
  uint16_t last;
  uint16_t city;
  std::string street;
  uint8_t owner;
};
struct ContactRef {
  int64_t id;
  int64_t account_id;  // 0 = none
  uint16_t first;
  uint16_t last;
  bool female;
  uint8_t owner;
  uint8_t stage;
};

class Progress {
 public:
  explicit Progress(const DemoProgress& p) : p_(p) {}
  void start(const std::string& stage, int64_t total) {
    stage_ = stage;
    total_ = total;
    report(0);
  }
  void tick(int64_t done) {
    if (p_ && (done % 5000 == 0 || done == total_)) p_(done, total_, stage_);
  }
  void set_total(int64_t total) { total_ = total; }
  void report(int64_t done) {
    if (p_) p_(done, total_, stage_);
  }

 private:
  const DemoProgress& p_;
  std::string stage_;
  int64_t total_ = 0;
};

}  // namespace

DemoLogin generate_demo(store::Database& db, const DemoOptions& o, const DemoProgress& progress_cb) {
  Progress progress(progress_cb);
  Rng rng(o.seed);
  Clock ck;
  ck.now = clock::now_unix();
  ck.today = ck.now - ck.now % 86400;

  // Users: reuse those that exist, create the others.
  progress.start("users", int64_t(kUsers.size()));
  AuthService auth(db);
  std::map<std::string, UserRef> by_email;
  auto load_users = [&] {
    for (const auto& u : auth.list_users())
      by_email[u["email"].get<std::string>()] =
          UserRef{u["id"].get<int64_t>(), u["team_id"].is_number_integer() ? u["team_id"].get<int64_t>() : 0};
  };
  load_users();
  for (const auto& u : kUsers)
    if (!by_email.count(u.email)) auth.add_user(u.email, u.name, u.role, u.team, kDemoPassword);
  load_users();
  progress.report(int64_t(kUsers.size()));
  std::vector<UserRef> sales;  // record owners
  for (const auto& u : kUsers)
    if (std::string(u.role) == "sales") sales.push_back(by_email.at(u.email));
  const UserRef service = by_email.at("helene.roux@demo.gazelle.fr");
  const UserRef marketing = by_email.at("noemie.gerard@demo.gazelle.fr");
  const UserRef admin = by_email.at("admin@demo.gazelle.fr");
  auto uid = [](const UserRef& u) { return json(u.id); };
  auto tid = [](const UserRef& u) { return u.team_id ? json(u.team_id) : json(); };

  constexpr int64_t kLargeTable = 200000;  // above this many new rows, indexes are rebuilt once at the end
  store::BulkLoader load(db);
  if (o.accounts >= kLargeTable) load.defer_indexes("accounts");
  if (o.households >= kLargeTable) load.defer_indexes("households");
  if (o.contacts >= kLargeTable) {
    load.defer_indexes("contacts");
    load.defer_indexes("stage_history");
  }
  if (o.interactions >= kLargeTable) load.defer_indexes("interactions");
  if (o.tasks >= kLargeTable) load.defer_indexes("tasks");
  if (o.orders >= kLargeTable) {
    load.defer_indexes("orders");
    load.defer_indexes("order_lines");
  }

  const int t_accounts = load.table(
      "accounts", {"name", "legal_id", "industry", "size", "website", "phone", "street", "postcode", "city", "country",
                   "tier", "lifecycle_stage", "stage_reason", "owner_id", "team_id", "created_at", "updated_at",
                   "created_by", "updated_by"});
  const int t_accounts_search = load.table("accounts_search", {"rowid", "body"});
  const int t_households = load.table(
      "households", {"name", "street", "postcode", "city", "country", "size", "socio_professional_category",
                     "attributes", "owner_id", "team_id", "created_at", "updated_at", "created_by", "updated_by"});
  const int t_households_search = load.table("households_search", {"rowid", "body"});
  const int t_contacts = load.table(
      "contacts", {"first_name", "last_name", "job_title", "emails", "phones", "street", "postcode", "city",
                   "country", "account_id", "buying_role", "household_id", "lifecycle_stage", "stage_reason",
                   "source_type", "source_contact_id", "source_campaign", "source_medium", "preferences", "consent",
                   "owner_id", "team_id", "created_at", "updated_at", "created_by", "updated_by"});
  const int t_contacts_search = load.table("contacts_search", {"rowid", "body"});
  const int t_stage = load.table("stage_history", {"entity", "record_id", "stage", "reason", "changed_at", "user_id"});
  const int t_interactions = load.table(
      "interactions", {"channel", "direction", "subject", "content", "occurred_at", "duration_seconds", "outcome",
                       "commercial", "contact_id", "account_id", "user_id", "created_at", "updated_at", "created_by",
                       "updated_by"});
  const int t_tasks = load.table("tasks", {"title", "description", "due_at", "status", "priority", "completed_at",
                                           "assignee_id", "contact_id", "account_id", "created_at", "updated_at",
                                           "created_by", "updated_by"});
  const int t_products = load.table("products", {"sku", "name", "category", "unit_price_cents", "currency", "active",
                                                 "margin_bp", "created_at", "updated_at"});
  const int t_orders = load.table(
      "orders", {"contact_id", "account_id", "ordered_at", "channel", "status", "currency", "subtotal_cents",
                 "discount_cents", "total_cents", "created_at", "updated_at", "created_by", "updated_by"});
  const int t_lines = load.table("order_lines", {"order_id", "line_no", "product_id", "description", "quantity",
                                                 "unit_price_cents", "discount_cents", "total_cents"});

  const auto stage_reason = [&](const std::string& stage) -> json {
    if (stage == "disqualified") return rng.pick(kReasonsDisqualified);
    if (stage == "inactive") return rng.pick(kReasonsInactive);
    return nullptr;
  };
  Params p;

  // ---- Accounts.
  std::vector<AccountRef> accounts;
  accounts.reserve(size_t(o.accounts));
  progress.start("accounts", o.accounts);
  for (int64_t i = 0; i < o.accounts; ++i) {
    const Trade& trade = kTrades[rng.next() % kTrades.size()];
    const std::string& last = rng.pick(kLastNames);
    const std::string& legal = rng.pick(kLegalForms);
    std::string name = trade.prefix == std::string("Informatique") || trade.prefix == std::string("Conseil") ||
                               trade.prefix == std::string("Études") || trade.prefix == std::string("Nettoyage")
                           ? last + " " + trade.prefix
                           : std::string(trade.prefix) + " " + last;
    if (!legal.empty()) name += " " + legal;
    std::string domain = slug(std::string(trade.prefix) + " " + last, '-') + ".fr";
    uint16_t city = uint16_t(rng.next() % kCities.size());
    const City& c = kCities[city];
    uint8_t owner = uint8_t(rng.next() % sales.size());
    int64_t created = ck.business_time(rng, rng.range(730, 1460));
    int64_t updated = ck.business_time(rng, rng.range(0, 729));
    std::string stage = kStages[rng.weighted({10, 20, 4, 8, 25, 18, 6, 4, 5})];
    json reason = stage_reason(stage);
    json tier = rng.chance(0.4) ? json(std::vector<std::string>{"gold", "silver", "bronze", "bronze"}[rng.next() % 4])
                                : json();
    json rec = {{"name", name},
                {"legal_id", siret(rng)},
                {"industry", trade.industry},
                {"size", kSizes[rng.weighted(kSizeWeights)]},
                {"website", "https://www." + domain},
                {"phone", landline(rng, c.region)},
                {"street", street(rng)},
                {"postcode", c.postcode},
                {"city", c.name},
                {"country", "FR"}};
    const UserRef& u = sales[owner];
    p = {rec["name"], rec["legal_id"], rec["industry"], rec["size"], rec["website"], rec["phone"], rec["street"],
         rec["postcode"], rec["city"], "FR", tier, stage, reason, uid(u), tid(u), iso(created), iso(updated),
         uid(u), uid(u)};
    int64_t id = load.insert(t_accounts, p);
    load.insert(t_accounts_search, {id, account_search_body(rec)});
    load.insert(t_stage, {"accounts", id, stage, reason, iso(updated), uid(u)});
    accounts.push_back({id, std::move(name), std::move(domain), owner, city});
    progress.tick(i + 1);
  }

  // ---- Households.
  std::vector<HouseholdRef> households;
  households.reserve(size_t(o.households));
  progress.start("households", o.households);
  for (int64_t i = 0; i < o.households; ++i) {
    uint16_t last = uint16_t(rng.next() % kLastNames.size());
    uint16_t city = uint16_t(rng.next() % kCities.size());
    const City& c = kCities[city];
    int size = int(rng.weighted({15, 30, 20, 22, 9, 4})) + 1;
    json attrs = json::object();
    attrs["housing"] = rng.chance(0.55) ? "maison" : "appartement";
    attrs["owner_occupier"] = rng.chance(0.6);
    json equipment = json::array();
    for (const auto& e : kEquipment)
      if (rng.chance(0.25)) equipment.push_back(e);
    attrs["equipment"] = equipment;
    int adults = size == 1 ? 1 : int(rng.range(1, 2));
    json ages = json::array();
    for (int k = 0; k < size - adults; ++k) ages.push_back(rng.range(0, 20));
    attrs["children_ages"] = ages;
    if (rng.chance(0.4)) attrs["pets"] = json::array({rng.pick(kPets)});
    uint8_t owner = uint8_t(rng.next() % sales.size());
    const UserRef& u = sales[owner];
    std::string st = street(rng);
    std::string name = "Famille " + kLastNames[last];
    int64_t created = ck.business_time(rng, rng.range(730, 1460));
    int64_t updated = ck.business_time(rng, rng.range(0, 729));
    p = {name, st, c.postcode, c.name, "FR", size, rng.pick(kPcs), attrs.dump(), uid(u), tid(u), iso(created),
         iso(updated), uid(u), uid(u)};
    int64_t id = load.insert(t_households, p);
    load.insert(t_households_search,
                {id, household_search_body({{"name", name}, {"city", c.name}, {"postcode", c.postcode}})});
    households.push_back({id, last, city, std::move(st), owner});
    progress.tick(i + 1);
  }

  // ---- Contacts: B2B when attached to a company, B2C (often in a household) otherwise.
  std::vector<ContactRef> contacts;
  contacts.reserve(size_t(o.contacts));
  std::vector<uint32_t> buyers;  // indexes of contacts who have bought (customer stages, inactive)
  progress.start("contacts", o.contacts);
  const double b2b_share = accounts.empty() ? 0.0 : households.empty() ? 1.0 : 0.55;
  for (int64_t i = 0; i < o.contacts; ++i) {
    bool female = rng.chance(0.5);
    const auto& firsts = female ? kFemaleFirst : kMaleFirst;
    uint16_t first = uint16_t(rng.next() % firsts.size());
    uint16_t last = uint16_t(rng.next() % kLastNames.size());
    const AccountRef* account = nullptr;
    const HouseholdRef* household = nullptr;
    if (rng.chance(b2b_share)) {
      account = &accounts[rng.next() % accounts.size()];
    } else if (!households.empty() && rng.chance(0.8)) {
      household = &households[rng.next() % households.size()];
      last = household->last;
    }
    const std::string& fn = firsts[first];
    const std::string& ln = kLastNames[last];
    uint16_t city = account ? account->city : household ? household->city : uint16_t(rng.next() % kCities.size());
    const City& c = kCities[city];
    uint8_t owner = account ? account->owner : household ? household->owner : uint8_t(rng.next() % sales.size());
    const UserRef& u = sales[owner];

    std::string local = slug(fn, '-') + "." + slug(ln, '-');
    json emails = json::array();
    if (account) {
      emails.push_back(local + "@" + account->domain);
      if (rng.chance(0.25)) emails.push_back(local + std::to_string(rng.range(1, 99)) + "@" + rng.pick(kMailProviders));
    } else {
      std::string suffix = rng.chance(0.5) ? std::to_string(rng.range(1, 99)) : "";
      emails.push_back(local + suffix + "@" + rng.pick(kMailProviders));
      if (rng.chance(0.15)) emails.push_back(slug(fn, '.') + "." + slug(ln, '.') + "@" + rng.pick(kMailProviders));
    }
    json phones = json::array();
    int nphones = int(rng.weighted({15, 55, 30}));
    for (int k = 0; k < nphones; ++k) phones.push_back(k == 0 && !rng.chance(0.25) ? mobile(rng) : landline(rng, c.region));

    uint8_t stage_ix = uint8_t(rng.weighted(kStageWeights));
    const std::string& stage = kStages[stage_ix];
    json reason = stage_reason(stage);
    int64_t created = ck.business_time(rng, rng.range(730, 1460));
    int64_t updated = ck.business_time(rng, rng.range(0, 729));

    json source_type, source_contact, source_campaign, source_medium;
    switch (rng.weighted({20, 30, 30, 20})) {
      case 0:
        if (!contacts.empty()) {
          source_type = "referral";
          source_contact = contacts[rng.next() % contacts.size()].id;
        }
        break;
      case 1: source_type = "campaign"; source_campaign = rng.pick(kCampaigns); break;
      case 2: source_type = "medium"; source_medium = rng.pick(kMedia); break;
      default: if (rng.chance(0.5)) source_type = "other";
    }

    json prefs = json::object();
    if (rng.chance(0.7)) {
      prefs["channel"] = std::vector<std::string>{"email", "phone", "sms", "meeting", "letter"}[rng.weighted({40, 30, 15, 10, 5})];
      prefs["frequency"] = rng.chance(0.35) ? "high" : "spaced";
      if (rng.chance(0.5)) prefs["frequency_cap_per_month"] = rng.range(1, 8);
      prefs["initiative"] = rng.chance(0.6) ? "waits" : "initiates";
      prefs["autonomy"] = rng.chance(0.55) ? "autonomous" : "accompanied";
    }
    json consent = json::object();
    static const std::vector<std::string> kOrigins = {"web form", "phone call", "in store", "trade fair", "paper form"};
    for (const char* ch : {"email", "phone", "sms", "post"}) {
      if (!rng.chance(std::string(ch) == "email" ? 0.85 : 0.45)) continue;
      consent[ch] = {{"status", rng.chance(0.8) ? "granted" : "denied"},
                     {"date", iso(ck.business_time(rng, rng.range(0, 1000)))},
                     {"origin", rng.pick(kOrigins)}};
    }
    json job = account ? json((female ? kJobTitles[rng.next() % kJobTitles.size()].female
                                      : kJobTitles[rng.next() % kJobTitles.size()].male))
                       : json();
    json buying_role = account ? json(std::vector<std::string>{"prescriber", "decision_maker", "buyer", "user"}[rng.weighted({20, 25, 30, 25})])
                               : json();
    std::string st = household ? household->street : account ? std::string() : street(rng);
    json street_v = st.empty() ? json() : json(st);

    p = {fn, ln, job, emails.dump(), phones.dump(), street_v, c.postcode, c.name, "FR",
         account ? json(account->id) : json(), buying_role, household ? json(household->id) : json(), stage, reason,
         source_type, source_contact, source_campaign, source_medium, prefs.dump(), consent.dump(), uid(u), tid(u),
         iso(created), iso(updated), uid(u), uid(u)};
    int64_t id = load.insert(t_contacts, p);
    json rec = {{"first_name", fn}, {"last_name", ln}, {"emails", emails}, {"phones", phones}, {"job_title", job},
                {"city", c.name}, {"postcode", c.postcode}};
    load.insert(t_contacts_search, {id, contact_search_body(rec, account ? account->name : std::string())});
    // Stage history: customers were prospects first.
    if (is_customer_stage(stage) || stage == "inactive")
      load.insert(t_stage, {"contacts", id, "prospect", nullptr, iso(created), uid(u)});
    load.insert(t_stage, {"contacts", id, stage, reason, iso(updated), uid(u)});
    if (is_customer_stage(stage) || stage == "inactive") buyers.push_back(uint32_t(contacts.size()));
    contacts.push_back({id, account ? account->id : 0, first, last, female, owner, stage_ix});
    progress.tick(i + 1);
  }
  if (buyers.empty())
    for (uint32_t k = 0; k < contacts.size(); ++k) buyers.push_back(k);

  auto contact_name = [&](const ContactRef& c) {
    return (c.female ? kFemaleFirst : kMaleFirst)[c.first] + " " + kLastNames[c.last];
  };

  // ---- Interactions over the last two years, all channels.
  std::vector<int> channel_weights;
  for (const auto& ch : kChannels) channel_weights.push_back(ch.weight);
  progress.start("interactions", contacts.empty() ? 0 : o.interactions);
  for (int64_t i = 0; !contacts.empty() && i < o.interactions; ++i) {
    // A third of the activity concentrates on the first tenth of the customers (key accounts).
    const ContactRef& c = rng.chance(0.3) ? contacts[rng.next() % std::max<size_t>(1, contacts.size() / 10)]
                                          : contacts[rng.next() % contacts.size()];
    const ChannelVocab& ch = kChannels[rng.weighted(channel_weights)];
    int64_t at = ck.business_time(rng, rng.range(0, 729));
    if (at > ck.now) at -= 86400;
    bool inbound = std::string(ch.channel) != "note" && rng.chance(0.35);
    const UserRef* user = &sales[c.owner];
    std::string chn = ch.channel;
    if (inbound && (chn == "phone" || chn == "chat" || chn == "email") && rng.chance(0.5)) user = &service;
    else if (!inbound && (chn == "email" || chn == "sms" || chn == "social") && rng.chance(0.3)) user = &marketing;
    json duration = ch.max_seconds ? json(rng.range(ch.min_seconds, ch.max_seconds)) : json();
    json outcome = ch.outcomes.empty() ? json() : json(rng.pick(ch.outcomes));
    json content = chn == "note" || rng.chance(0.15) ? json(rng.pick(kContents)) : json();
    std::string at_s = iso(at);
    p = {chn, chn == "note" ? "outbound" : inbound ? "inbound" : "outbound", rng.pick(ch.subjects), content, at_s,
         duration, outcome, rng.chance(0.8) ? 1 : 0, c.id, c.account_id ? json(c.account_id) : json(), uid(*user),
         at_s, at_s, uid(*user), uid(*user)};
    load.insert(t_interactions, p);
    progress.tick(i + 1);
  }

  // ---- Tasks: some overdue, some due today, some done.
  progress.start("tasks", contacts.empty() ? 0 : o.tasks);
  for (int64_t i = 0; !contacts.empty() && i < o.tasks; ++i) {
    const ContactRef& c = contacts[rng.next() % contacts.size()];
    const TaskVocab& tv = kTaskTitles[rng.next() % kTaskTitles.size()];
    std::string title = tv.title;
    if (tv.with_name) title.replace(title.find("%s"), 2, contact_name(c));
    int kind = int(rng.weighted({25, 10, 30, 30, 5}));  // overdue, today, upcoming, done, cancelled
    int64_t due;
    json status = "open", completed;
    switch (kind) {
      case 0: due = ck.business_time(rng, rng.range(1, 60)); break;
      case 1: due = ck.today + rng.range(7, 17) * 3600; break;
      case 2: due = ck.business_time(rng, -rng.range(1, 90)); break;
      case 3: {
        due = ck.business_time(rng, rng.range(1, 700));
        status = "done";
        completed = iso(std::min(ck.now, due - rng.range(0, 3) * 86400 + rng.range(0, 3600)));
        break;
      }
      default: due = ck.business_time(rng, rng.range(1, 300)); status = "cancelled";
    }
    int64_t created = std::min(ck.now, due - rng.range(1, 30) * 86400);
    const UserRef& u = rng.chance(0.85) ? sales[c.owner] : service;
    json description = rng.chance(0.4) ? json(rng.pick(kContents)) : json();
    json updated = completed.is_null() ? json(iso(created)) : completed;
    p = {title, description, iso(due), status, std::vector<std::string>{"low", "normal", "high"}[rng.weighted({20, 60, 20})],
         completed, uid(u), c.id, c.account_id ? json(c.account_id) : json(), iso(created), updated, uid(u), uid(u)};
    load.insert(t_tasks, p);
    progress.tick(i + 1);
  }

  // ---- The admin's own day: the person who logs in first (make run prints the admin's login)
  // finds follow-ups on "My day" — two overdue, three due later today — and the calls and the
  // meeting they logged these last days at the top of the recent activity.
  if (!contacts.empty() && o.tasks > 0) {
    struct AdminTask {
      const char* title;
      int64_t due;
      const char* priority;
    };
    const int64_t end_of_today = ck.today + 86400 - 60;
    auto later_today = [&](int64_t hours) { return std::min(end_of_today, std::max(ck.now + hours * 3600, ck.today + (8 + hours) * 3600)); };
    const std::vector<AdminTask> admin_tasks = {
        {"Valider les remises du trimestre avec %s", ck.business_time(rng, 3), "high"},
        {"Relire le contrat d'entretien de %s", ck.business_time(rng, 1), "normal"},
        {"Rappeler %s au sujet de sa commande", later_today(1), "high"},
        {"Préparer le point mensuel avec l'équipe Nord", later_today(2), "normal"},
        {"Envoyer la proposition de contrat à %s", later_today(3), "normal"}};
    for (const auto& at : admin_tasks) {
      const ContactRef& c = contacts[rng.next() % std::max<size_t>(1, contacts.size() / 10)];  // a key customer
      std::string title = at.title;
      if (auto pos = title.find("%s"); pos != std::string::npos) title.replace(pos, 2, contact_name(c));
      int64_t created = std::min(ck.now, at.due - rng.range(2, 10) * 86400);
      load.insert(t_tasks, {title, nullptr, iso(at.due), "open", at.priority, nullptr, uid(admin), c.id,
                            c.account_id ? json(c.account_id) : json(), iso(created), iso(created), uid(admin), uid(admin)});
    }
    struct AdminContact {
      const char* channel;
      const char* subject;
      const char* outcome;
      int64_t seconds_ago;
      int64_t duration;
    };
    const std::vector<AdminContact> admin_log = {
        {"phone", "Appel de courtoisie", "intéressé", 2 * 3600, 540},
        {"meeting", "Point annuel", "tenu", 26 * 3600, 3600},
        {"email", "Offre personnalisée", "envoyé", 50 * 3600, 0}};
    for (const auto& a : admin_log) {
      const ContactRef& c = contacts[rng.next() % std::max<size_t>(1, contacts.size() / 10)];
      std::string at_s = iso(ck.now - a.seconds_ago);
      load.insert(t_interactions, {a.channel, "outbound", a.subject, nullptr, at_s, a.duration ? json(a.duration) : json(),
                                   a.outcome, 1, c.id, c.account_id ? json(c.account_id) : json(), uid(admin), at_s, at_s,
                                   uid(admin), uid(admin)});
    }
  }

  // ---- Products: the catalogue exists once; a second run reuses it.
  struct ProductRef {
    int64_t id;
    std::string name;
    int64_t price;
  };
  std::vector<ProductRef> products;
  progress.start("products", int64_t(kProducts.size()));
  for (const auto& pr : kProducts) {
    int64_t id;
    int64_t price = pr.price_cents;
    if (auto existing = store::OrderStore::product_id_by_sku(load.connection(), pr.sku)) {
      id = *existing;
      if (auto row = store::OrderStore::product(load.connection(), id)) price = (*row)["unit_price_cents"];
    } else {
      std::string at = iso(ck.today - 800 * 86400);
      id = load.insert(t_products, {pr.sku, pr.name, pr.category, pr.price_cents, "EUR", 1,
                                    category_margin_bp(pr.category), at, at});
    }
    products.push_back({id, pr.name, price});
  }
  progress.report(int64_t(kProducts.size()));

  // ---- Orders over two years, 1–4 lines each, totals computed from the lines.
  progress.start("orders", contacts.empty() ? 0 : o.orders);
  static const std::vector<std::string> kStatus = {"confirmed", "paid", "shipped", "cancelled", "returned", "draft"};
  // Skewed history: each buyer's acquisition day (days ago) and last active day, so that cohorts,
  // retention and lifetime-value fits see customers arriving, buying again and dropping out.
  struct Life {
    uint16_t first, last;
  };
  std::vector<Life> lives;
  if (o.order_skew > 0) {
    lives.resize(buyers.size());
    for (size_t b = 0; b < lives.size(); ++b) {
      int64_t first = rng.range(0, 729);
      // An exponential lifetime whose rate differs from buyer to buyer (a gamma of shape 2 whose
      // mean is one departure a year): some customers stay for years, others leave after a few
      // months — the heterogeneity Pareto/NBD's s describes (one rate for all would send s to
      // its bound).
      double rate = (-std::log(1.0 - rng.unit() * 0.999999) - std::log(1.0 - rng.unit() * 0.999999)) / (2 * 365.0);
      int64_t span = int64_t(std::min(10000.0, -std::log(1.0 - rng.unit() * 0.999999) / std::max(rate, 1e-6)));
      // The stage agrees with the history: an inactive customer last bought over a year ago
      // (its reason says 18 months), a new customer arrived these last four months.
      const std::string& stage = kStages[contacts[buyers[b]].stage];
      if (stage == "inactive") {
        first = rng.range(400, 729);
        lives[b] = {uint16_t(first), uint16_t(std::max<int64_t>(365, first - span))};
        continue;
      }
      if (stage == "new_customer") first = rng.range(0, 120);
      lives[b] = {uint16_t(first), uint16_t(std::max<int64_t>(0, first - span))};
    }
  }
  for (int64_t i = 0; !contacts.empty() && i < o.orders; ++i) {
    size_t bi;
    int64_t days_ago;
    if (o.order_skew > 0) {
      // Rank n·u^(1+K), spread over the first 0.1 % (at least 20 buyers) so that the heaviest
      // buyers make hundreds of orders, not tens of thousands.
      const double n = double(buyers.size()), spread = std::max(0.001, 20.0 / n);
      bi = size_t(i) < buyers.size()
               ? size_t(i)
               : std::min(buyers.size() - 1, size_t(n * (std::pow(rng.unit(), 1.0 + o.order_skew) + spread * rng.unit())));
      const Life& l = lives[bi];
      days_ago = size_t(i) < buyers.size() ? l.first : rng.range(l.last, l.first);
    } else {
      bi = rng.next() % buyers.size();
      days_ago = rng.range(0, 729);
    }
    const ContactRef& c = contacts[buyers[bi]];
    bool b2b = c.account_id != 0;
    int64_t at = ck.business_time(rng, days_ago);
    if (at > ck.now) at -= 86400;
    std::string status = kStatus[rng.weighted({15, 25, 50, 4, 3, 3})];
    std::string channel = b2b ? std::vector<std::string>{"sales_rep", "phone", "email", "web"}[rng.weighted({40, 25, 15, 20})]
                              : std::vector<std::string>{"store", "web", "marketplace", "phone"}[rng.weighted({35, 40, 15, 10})];
    int nlines = int(rng.range(1, 4));
    struct Line {
      size_t product;
      int64_t qty, discount, total;
    };
    std::array<Line, 4> lines{};
    int64_t subtotal = 0, discount = 0;
    for (int k = 0; k < nlines; ++k) {
      size_t pi = rng.next() % products.size();
      int64_t qty = b2b ? rng.range(1, 12) : rng.range(1, 3);
      int64_t gross = qty * products[pi].price;
      int64_t disc = rng.chance(b2b ? 0.3 : 0.1) ? gross * rng.range(5, 15) / 100 : 0;
      lines[size_t(k)] = {pi, qty, disc, gross - disc};
      subtotal += gross;
      discount += disc;
    }
    const UserRef& u = sales[c.owner];
    std::string at_s = iso(at);
    p = {c.id, b2b ? json(c.account_id) : json(), at_s, channel, status, "EUR", subtotal, discount,
         subtotal - discount, at_s, at_s, uid(u), uid(u)};
    int64_t order_id = load.insert(t_orders, p);
    for (int k = 0; k < nlines; ++k) {
      const Line& l = lines[size_t(k)];
      const ProductRef& pr = products[l.product];
      load.insert(t_lines, {order_id, k + 1, pr.id, pr.name, l.qty, pr.price, l.discount, l.total});
    }
    progress.tick(i + 1);
  }

  progress.start("indexes", 0);
  load.finish([&](int64_t done, int64_t total) {
    progress.set_total(total);
    progress.report(done);
  });
  // Sales last: its deals and quotes go through the record service (rules, history, totals).
  progress.start("sales", 0);
  modules::sales::add_demo_sales(db, o.seed);
  // The service desk: its settings through the record service, its cases bulk-loaded and replayed.
  progress.start("service", o.cases);
  modules::service::add_demo_service(db, o.seed, o.cases, [&](int64_t done, int64_t) { progress.report(done); });
  // Planner statistics for a large company (store/statistics.h): a bounded ANALYZE on SQLite.
  if (o.contacts >= 10000 || o.interactions >= 100000) {
    progress.start("statistics", 0);
    store::analyze_after_bulk_write(db);
  }
  return {"admin@demo.gazelle.fr", kDemoPassword};
}

}  // namespace gz::domain
