// The French person records generator (french_people.h, docs/duplicates.md "The French test set").
// Written from what French customer files hold (INSEE's frequent first names and surnames, La
// Poste's street-type abbreviations, the ways people write phone numbers), not from FEBRL.
#include "french_people.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace gz::testdata {

using json = nlohmann::json;

namespace {

// splitmix64: small, fast, the same everywhere.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n ? size_t(next() % n) : 0; }
  int between(int lo, int hi) { return lo + int(below(size_t(hi - lo + 1))); }  // inclusive
  bool chance(double p) { return double(next() >> 11) / double(1ULL << 53) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
  // Index drawn with the given weights.
  size_t weighted(const std::vector<double>& w) {
    double total = 0;
    for (double x : w) total += x;
    double r = double(next() >> 11) / double(1ULL << 53) * total;
    for (size_t i = 0; i < w.size(); ++i) {
      if (r < w[i]) return i;
      r -= w[i];
    }
    return w.size() - 1;
  }
};

// ---------------------------------------------------------------------------------------------
// Reference lists

struct Given {
  const char* name;
  std::vector<const char*> short_forms;  // nicknames people are entered under
};

// Frequent first names of people born 1935–2006 in France, with their usual short forms.
const std::vector<Given>& male_names() {
  static const std::vector<Given> v = {
      {"Jean", {}}, {"Pierre", {}}, {"Michel", {}}, {"André", {}}, {"Philippe", {"Phil"}}, {"Alain", {}},
      {"Jacques", {"Jacky"}}, {"Bernard", {}}, {"Daniel", {"Dany"}}, {"Patrick", {"Pat"}}, {"Christian", {}},
      {"Nicolas", {"Nico"}}, {"Christophe", {"Chris", "Christo"}}, {"Stéphane", {"Steph"}}, {"Frédéric", {"Fred"}},
      {"Laurent", {}}, {"Éric", {}}, {"David", {}}, {"Sébastien", {"Seb", "Séb"}}, {"Julien", {}},
      {"Thomas", {"Tom"}}, {"Alexandre", {"Alex"}}, {"Olivier", {"Oliv"}}, {"Pascal", {}}, {"Thierry", {}},
      {"François", {}}, {"Guillaume", {}}, {"Antoine", {"Toine"}}, {"Vincent", {"Vince"}}, {"Maxime", {"Max"}},
      {"Kévin", {}}, {"Romain", {}}, {"Jérôme", {}}, {"Mathieu", {"Math"}}, {"Benjamin", {"Ben", "Benji"}},
      {"Hugo", {}}, {"Lucas", {}}, {"Louis", {}}, {"Théo", {}}, {"Gabriel", {"Gaby"}}, {"Arthur", {}},
      {"Nathan", {}}, {"Léo", {}}, {"Raphaël", {"Raph"}}, {"Paul", {}}, {"Yves", {}}, {"Gérard", {"Gégé"}},
      {"René", {}}, {"Marcel", {}}, {"Claude", {}}, {"Dominique", {"Dom"}}, {"Emmanuel", {"Manu"}},
      {"Denis", {}}, {"Gilles", {}}, {"Didier", {}}, {"Bruno", {}}, {"Joël", {}}, {"Serge", {}}, {"Hervé", {}},
      {"Franck", {}}, {"Cédric", {}}, {"Damien", {}}, {"Fabrice", {"Fab"}}, {"Ludovic", {"Ludo"}},
      {"Arnaud", {}}, {"Yann", {}}, {"Adrien", {}}, {"Florian", {"Flo"}}, {"Quentin", {}}, {"Baptiste", {"Bat"}},
      {"Valentin", {"Val"}}, {"Clément", {}}, {"Jules", {}}, {"Enzo", {}}, {"Mohamed", {"Momo"}}, {"Karim", {}},
      {"Mehdi", {}}, {"Marc", {}}, {"Luc", {}}, {"Martin", {}}, {"Noël", {}}, {"Roger", {}}, {"Robert", {"Bob"}},
      {"Henri", {"Riri"}}, {"Georges", {"Jojo"}}, {"Maurice", {"Momo"}}, {"Anthony", {"Tony"}}, {"Jonathan", {"Jo"}},
      {"Grégory", {"Greg"}}, {"Jérémy", {"Jérem"}}, {"Matthieu", {"Matt"}}, {"Timothée", {"Tim"}},
      {"Jean-Pierre", {}}, {"Jean-Claude", {}}, {"Jean-Luc", {}}, {"Jean-Marc", {}}, {"Jean-François", {}},
      {"Jean-Michel", {}}, {"Jean-Louis", {}}, {"Jean-Paul", {}}, {"Jean-Jacques", {}}, {"Pierre-Yves", {}},
      {"Jean-Baptiste", {"JB"}}, {"Paul-Henri", {}}, {"Marc-Antoine", {}}, {"Jean-Charles", {}}, {"Jean-Yves", {}}};
  return v;
}

const std::vector<Given>& female_names() {
  static const std::vector<Given> v = {
      {"Marie", {}}, {"Nathalie", {"Nath"}}, {"Isabelle", {"Isa", "Isabel"}}, {"Sylvie", {}},
      {"Catherine", {"Cathy", "Cath"}}, {"Françoise", {"Fanfan"}}, {"Martine", {}}, {"Christine", {"Kiki"}},
      {"Monique", {}}, {"Nicole", {"Nico"}}, {"Sandrine", {"Sandy"}}, {"Valérie", {"Val"}},
      {"Véronique", {"Véro"}}, {"Stéphanie", {"Steph", "Fanny"}}, {"Sophie", {}}, {"Céline", {}},
      {"Aurélie", {"Aurel"}}, {"Julie", {}}, {"Émilie", {"Mimi"}}, {"Camille", {"Cam"}}, {"Laura", {}},
      {"Sarah", {}}, {"Manon", {}}, {"Léa", {}}, {"Chloé", {}}, {"Emma", {}}, {"Inès", {}}, {"Jade", {}},
      {"Louise", {"Lou"}}, {"Alice", {}}, {"Lina", {}}, {"Anne", {}}, {"Hélène", {}}, {"Brigitte", {"Gigi"}},
      {"Chantal", {}}, {"Jacqueline", {"Jacky"}}, {"Danielle", {"Dany"}}, {"Michèle", {"Micky"}}, {"Jeanne", {}},
      {"Denise", {}}, {"Pascale", {}}, {"Patricia", {"Patou", "Pat"}}, {"Florence", {"Flo"}}, {"Laurence", {}},
      {"Caroline", {"Caro"}}, {"Virginie", {"Virgi"}}, {"Delphine", {"Delph"}}, {"Audrey", {}}, {"Mélanie", {"Mel"}},
      {"Élodie", {}}, {"Charlotte", {"Charlie"}}, {"Pauline", {"Popo"}}, {"Marion", {}}, {"Lucie", {}},
      {"Clara", {}}, {"Anaïs", {}}, {"Océane", {}}, {"Sabrina", {"Sab"}}, {"Karine", {}}, {"Corinne", {"Coco"}},
      {"Agnès", {}}, {"Béatrice", {"Béa"}}, {"Claire", {}}, {"Élisabeth", {"Babeth", "Élise"}}, {"Yvette", {}},
      {"Josiane", {"Jo"}}, {"Fatima", {}}, {"Nadia", {}}, {"Samia", {}}, {"Dominique", {"Dom"}},
      {"Alexandra", {"Alex"}}, {"Frédérique", {"Fred"}}, {"Gabrielle", {"Gaby"}}, {"Margaux", {"Margot"}},
      {"Marie-Claire", {}}, {"Marie-Christine", {}}, {"Anne-Sophie", {}}, {"Marie-Hélène", {}}, {"Anne-Marie", {}},
      {"Marie-France", {}}, {"Marie-Pierre", {}}, {"Marie-Laure", {}}, {"Marie-Thérèse", {}}, {"Anne-Laure", {}},
      {"Marie-Noëlle", {}}, {"Marie-José", {}}, {"Marie-Odile", {}}, {"Marie-Paule", {}}};
  return v;
}

// The 200 commonest surnames in France (INSEE), in order; drawn with a Zipf-like weight so that
// Martin and Bernard come back often, as in a real file.
const std::vector<std::string>& surnames() {
  static const std::vector<std::string> v = {
      "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
      "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
      "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André",
      "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
      "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
      "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
      "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
      "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
      "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
      "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
      "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
      "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
      "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
      "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet",
      "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
      "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
      "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez",
      "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva",
      "Bouchet", "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret",
      "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte",
      "Dos Santos", "N'Diaye", "Benali", "Nguyen", "De La Fontaine", "Saint-Martin", "Lefranc", "Delmas", "Texier", "Ollivier"};
  return v;
}

struct Town {
  const char* name;
  std::vector<const char*> postcodes;
  double weight;
  char phone_zone;  // the landline prefix: 01 Île-de-France … 05 South-West
};

const std::vector<Town>& towns() {
  static const std::vector<Town> v = {
      {"Paris", {"75001", "75003", "75005", "75008", "75010", "75011", "75012", "75013", "75014", "75015", "75016", "75017", "75018", "75019", "75020"}, 20, '1'},
      {"Marseille", {"13001", "13004", "13005", "13006", "13008", "13009", "13012", "13013"}, 8, '4'},
      {"Lyon", {"69001", "69002", "69003", "69004", "69006", "69007", "69008"}, 7, '4'},
      {"Toulouse", {"31000", "31100", "31200", "31300", "31400", "31500"}, 5, '5'},
      {"Nice", {"06000", "06100", "06200", "06300"}, 4, '4'},
      {"Nantes", {"44000", "44100", "44200", "44300"}, 4, '2'},
      {"Montpellier", {"34000", "34070", "34080", "34090"}, 3, '4'},
      {"Strasbourg", {"67000", "67100", "67200"}, 3, '3'},
      {"Bordeaux", {"33000", "33100", "33200", "33300", "33800"}, 3, '5'},
      {"Lille", {"59000", "59800", "59160"}, 3, '3'},
      {"Rennes", {"35000", "35200", "35700"}, 3, '2'},
      {"Reims", {"51100"}, 2, '3'},
      {"Saint-Étienne", {"42000", "42100"}, 2, '4'},
      {"Toulon", {"83000", "83100", "83200"}, 2, '4'},
      {"Le Havre", {"76600", "76610", "76620"}, 2, '2'},
      {"Grenoble", {"38000", "38100"}, 2, '4'},
      {"Dijon", {"21000"}, 2, '3'},
      {"Angers", {"49000", "49100"}, 2, '2'},
      {"Nîmes", {"30000", "30900"}, 2, '4'},
      {"Villeurbanne", {"69100"}, 2, '4'},
      {"Clermont-Ferrand", {"63000", "63100"}, 2, '4'},
      {"Le Mans", {"72000", "72100"}, 2, '2'},
      {"Aix-en-Provence", {"13090", "13100"}, 2, '4'},
      {"Brest", {"29200"}, 2, '2'},
      {"Tours", {"37000", "37100", "37200"}, 2, '2'},
      {"Amiens", {"80000", "80080", "80090"}, 2, '3'},
      {"Limoges", {"87000", "87100", "87280"}, 2, '5'},
      {"Annecy", {"74000"}, 1, '4'},
      {"Perpignan", {"66000", "66100"}, 1, '4'},
      {"Metz", {"57000", "57050", "57070"}, 1, '3'},
      {"Besançon", {"25000"}, 1, '3'},
      {"Orléans", {"45000", "45100"}, 1, '2'},
      {"Rouen", {"76000", "76100"}, 1, '2'},
      {"Mulhouse", {"68100", "68200"}, 1, '3'},
      {"Caen", {"14000"}, 1, '2'},
      {"Nancy", {"54000", "54100"}, 1, '3'},
      {"Saint-Denis", {"93200"}, 1, '1'},
      {"Argenteuil", {"95100"}, 1, '1'},
      {"Montreuil", {"93100"}, 1, '1'},
      {"Roubaix", {"59100"}, 1, '3'},
      {"Avignon", {"84000"}, 1, '4'},
      {"Créteil", {"94000"}, 1, '1'},
      {"Poitiers", {"86000"}, 1, '5'},
      {"Versailles", {"78000"}, 1, '1'},
      {"Pau", {"64000"}, 1, '5'},
      {"La Rochelle", {"17000"}, 1, '5'},
      {"Colmar", {"68000"}, 1, '3'},
      {"Quimper", {"29000"}, 1, '2'},
      {"Vannes", {"56000"}, 1, '2'},
      {"Saint-Malo", {"35400"}, 1, '2'},
      {"Chambéry", {"73000"}, 1, '4'},
      {"Bayonne", {"64100"}, 1, '5'},
      {"Niort", {"79000"}, 1, '5'},
      {"Chartres", {"28000"}, 1, '2'},
      {"Évreux", {"27000"}, 1, '2'},
      {"Laval", {"53000"}, 1, '2'},
      {"Écully", {"69130"}, 0.5, '4'},
      {"Bois-Colombes", {"92270"}, 0.5, '1'},
      {"L'Haÿ-les-Roses", {"94240"}, 0.5, '1'},
      {"Saint-Germain-en-Laye", {"78100"}, 0.5, '1'},
      {"Châlons-en-Champagne", {"51000"}, 0.5, '3'},
      {"Sainte-Foy-lès-Lyon", {"69110"}, 0.5, '4'},
      {"Pléneuf-Val-André", {"22370"}, 0.3, '2'},
      {"Bourg-en-Bresse", {"01000"}, 0.5, '4'},
      {"Ajaccio", {"20000"}, 0.5, '4'}};
  return v;
}

// Street types as written in full and the abbreviations La Poste accepts or people use.
struct StreetType {
  const char* full;
  std::vector<const char*> short_forms;
  double weight;
};
const std::vector<StreetType>& street_types() {
  static const std::vector<StreetType> v = {
      {"rue", {"r.", "R.", "r"}, 50},          {"avenue", {"av.", "av", "ave", "Av."}, 15},
      {"boulevard", {"bd", "Bd", "boul.", "bld"}, 8}, {"place", {"pl.", "Pl."}, 5},
      {"chemin", {"ch.", "chem.", "Ch."}, 5},   {"allée", {"all.", "allee"}, 5},
      {"impasse", {"imp.", "Imp."}, 4},         {"route", {"rte", "Rte"}, 4},
      {"quai", {}, 1},                          {"square", {"sq."}, 1},
      {"cours", {"crs"}, 1},                    {"faubourg", {"fbg", "Fg"}, 1}};
  return v;
}

const std::vector<std::string>& street_names() {
  static const std::vector<std::string> v = {
      "de la République", "Jean Jaurès", "Victor Hugo", "du Général de Gaulle", "Pasteur", "de la Gare",
      "des Écoles", "Nationale", "Voltaire", "de Paris", "du Moulin", "des Lilas", "des Tilleuls", "de l'Église",
      "du Château", "de la Mairie", "Émile Zola", "Gambetta", "Jean Moulin", "du Maréchal Foch", "Saint-Martin",
      "des Vignes", "de la Paix", "Carnot", "de Verdun", "du 8 Mai 1945", "des Acacias", "du Stade",
      "de la Liberté", "Anatole France", "Paul Bert", "Jules Ferry", "Louis Pasteur", "de Bretagne",
      "Saint-Exupéry", "des Peupliers", "du Commerce", "de la Fontaine", "des Roses", "du Port",
      "Aristide Briand", "Georges Clemenceau", "Henri Barbusse", "de la Poste", "des Prés", "Sadi Carnot",
      "du Docteur Roux", "de Lattre de Tassigny", "Pierre et Marie Curie", "de la Croix", "des Jardins",
      "du Parc", "Jean-Baptiste Clément", "Condorcet", "de Strasbourg", "de Lyon", "du Maréchal Leclerc",
      "des Marronniers", "des Cerisiers", "de la Chapelle", "Saint-Jacques", "Notre-Dame", "du Four",
      "de Belleville", "de la Roquette", "Mozart", "Molière", "Racine", "Lamartine", "de Provence",
      "des Mimosas", "du Lavoir", "des Châtaigniers", "Édouard Herriot", "Président Wilson", "Denfert-Rochereau",
      "de la Libération", "du Onze Novembre", "des Bleuets", "du Bois", "des Champs", "de la Forêt"};
  return v;
}

const std::vector<std::pair<const char*, double>>& mail_domains() {
  static const std::vector<std::pair<const char*, double>> v = {
      {"gmail.com", 30}, {"orange.fr", 15}, {"free.fr", 10}, {"hotmail.fr", 8}, {"yahoo.fr", 6},
      {"wanadoo.fr", 6}, {"sfr.fr", 5}, {"laposte.net", 5}, {"outlook.fr", 4}, {"icloud.com", 3},
      {"live.fr", 3}, {"neuf.fr", 2}, {"bbox.fr", 2}, {"aol.com", 1}};
  return v;
}

// ---------------------------------------------------------------------------------------------
// Text helpers (UTF-8, French letters only)

const std::vector<std::pair<std::string, std::string>>& accent_table() {
  // accented, plain, upper-case accented
  static const std::vector<std::pair<std::string, std::string>> v = {
      {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"ë", "e"}, {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"î", "i"},
      {"ï", "i"}, {"ô", "o"}, {"ö", "o"}, {"ù", "u"}, {"û", "u"}, {"ü", "u"}, {"ç", "c"}, {"ÿ", "y"},
      {"É", "E"}, {"È", "E"}, {"Ê", "E"}, {"Ë", "E"}, {"À", "A"}, {"Â", "A"}, {"Î", "I"}, {"Ï", "I"},
      {"Ô", "O"}, {"Ù", "U"}, {"Û", "U"}, {"Ç", "C"}, {"œ", "oe"}, {"Œ", "OE"}};
  return v;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::string strip_accents(std::string s) {
  for (const auto& [a, b] : accent_table()) s = replace_all(s, a, b);
  return s;
}

bool has_accent(const std::string& s) { return strip_accents(s) != s; }

std::string upper(std::string s) {
  static const std::vector<std::pair<std::string, std::string>> up = {
      {"é", "É"}, {"è", "È"}, {"ê", "Ê"}, {"ë", "Ë"}, {"à", "À"}, {"â", "Â"}, {"î", "Î"}, {"ï", "Ï"},
      {"ô", "Ô"}, {"ù", "Ù"}, {"û", "Û"}, {"ç", "Ç"}, {"œ", "Œ"}, {"ä", "Ä"}, {"ö", "Ö"}, {"ü", "Ü"}, {"ÿ", "Ÿ"}};
  for (const auto& [a, b] : up) s = replace_all(s, a, b);
  for (auto& c : s)
    if (static_cast<unsigned char>(c) < 0x80) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Lower-case ASCII letters and digits of a name, for e-mail addresses ("Jean-Pierre" -> "jean-pierre").
std::string mail_word(const std::string& s, bool keep_hyphen) {
  std::string out;
  for (char c : strip_accents(s)) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += char(std::tolower(u));
    else if (c == '-' && keep_hyphen) out += '-';
  }
  return out;
}

// One keyboard slip (AZERTY) on an ASCII letter of s: a neighbour key, a letter dropped, doubled,
// or two letters swapped. Accented letters stay whole.
std::string typo(Rng& rng, std::string s) {
  static const char* rows[] = {"azertyuiop", "qsdfghjklm", "wxcvbn"};
  std::vector<size_t> letters;
  for (size_t i = 0; i < s.size(); ++i)
    if (std::isalpha(static_cast<unsigned char>(s[i]))) letters.push_back(i);
  if (letters.size() < 3) return s;
  // Not the first letter: people rarely mistype it.
  size_t k = 1 + rng.below(letters.size() - 1), p = letters[k];
  switch (rng.below(4)) {
    case 0: {  // neighbour key
      char c = char(std::tolower(static_cast<unsigned char>(s[p])));
      for (const char* row : rows) {
        const char* at = std::strchr(row, c);
        if (!at) continue;
        size_t i = size_t(at - row), n = std::strlen(row);
        size_t j = i == 0 ? 1 : i + 1 == n ? i - 1 : (rng.chance(0.5) ? i - 1 : i + 1);
        char r = row[j];
        s[p] = std::isupper(static_cast<unsigned char>(s[p])) ? char(std::toupper(static_cast<unsigned char>(r))) : r;
        break;
      }
      break;
    }
    case 1: s.erase(p, 1); break;
    case 2: s.insert(p, 1, s[p]); break;
    default:
      if (k + 1 < letters.size() && letters[k + 1] == p + 1 && s[p] != s[p + 1]) std::swap(s[p], s[p + 1]);
      else s.erase(p, 1);
      break;
  }
  return s;
}

// National phone number "0612345678" written as people write it.
std::string phone_as(const std::string& n, int format) {
  std::string pairs = n.substr(0, 2) + " " + n.substr(2, 2) + " " + n.substr(4, 2) + " " + n.substr(6, 2) + " " + n.substr(8, 2);
  std::string rest = n.substr(1);  // "612345678"
  std::string rest_pairs = rest.substr(0, 1) + " " + rest.substr(1, 2) + " " + rest.substr(3, 2) + " " + rest.substr(5, 2) + " " + rest.substr(7, 2);
  switch (format) {
    case 0: return pairs;                                  // 06 12 34 56 78
    case 1: return n;                                      // 0612345678
    case 2: return replace_all(pairs, " ", ".");           // 06.12.34.56.78
    case 3: return replace_all(pairs, " ", "-");           // 06-12-34-56-78
    case 4: return "+33 " + rest_pairs;                    // +33 6 12 34 56 78
    case 5: return "+33" + rest;                           // +33612345678
    case 6: return "+33 (0)" + rest_pairs;                 // +33 (0)6 12 34 56 78
    case 7: return "0033 " + rest_pairs;                   // 0033 6 12 34 56 78
    default: return "0033" + rest;                         // 0033612345678
  }
}
constexpr int kPhoneFormats = 9;

// ---------------------------------------------------------------------------------------------
// People

struct Address {
  int number = 1;
  std::string suffix;  // "", "bis", "ter"
  size_t type = 0;     // street_types()
  std::string name;
  size_t town = 0;
  std::string postcode;
};

struct Person {
  int64_t id = 0;
  bool female = false;
  std::string first;
  std::vector<const char*> short_forms;
  std::string birth_surname;
  std::string used_surname;   // as first entered: the married name of most married women
  std::string other_surname;  // a married woman's other name (maiden or married), "" otherwise
  bool married_name_used = false;
  std::string birth;          // YYYY-MM-DD
  bool birth_known = true;    // entered on the first record
  Address address;
  std::string mobile;         // national digits, "" when none
  std::string landline;
  std::string email;
  int64_t household = 0;
  bool namesake = false;
  int phone_format = 0;       // how the first record writes phones
  bool abbreviate_street = false;
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {
    for (size_t i = 0; i < surnames().size(); ++i) surname_weights_.push_back(1.0 / std::pow(double(i + 1), 0.75));
    for (const auto& t : towns()) town_weights_.push_back(t.weight);
    for (const auto& t : street_types()) type_weights_.push_back(t.weight);
    for (const auto& d : mail_domains()) domain_weights_.push_back(d.second);
  }

  FrenchSet run(size_t people) {
    while (persons_.size() < people) {
      // About four people in ten share their home with another customer.
      if (rng_.chance(0.2) && persons_.size() + 5 <= people) household();
      else single();
      if (rng_.chance(0.04) && persons_.size() < people) namesake_of(persons_.back());
    }
    mark_natural_namesakes();
    FrenchSet set;
    for (const auto& p : persons_) {
      std::vector<FrenchRecord> recs;
      recs.push_back(first_record(p));
      double r = double(rng_.next() >> 11) / double(1ULL << 53);
      int extra = r < 0.06 ? 2 : r < 0.32 ? 1 : 0;
      for (int k = 0; k < extra; ++k) recs.push_back(extra_record(p, recs.front(), k + 1));
      for (auto& rec : recs) set.records.push_back(std::move(rec));
    }
    // Records arrive in no particular order in a real base.
    for (size_t i = set.records.size(); i > 1; --i) std::swap(set.records[i - 1], set.records[rng_.below(i)]);
    return set;
  }

 private:
  Rng rng_;
  std::vector<Person> persons_;
  std::vector<double> surname_weights_, town_weights_, type_weights_, domain_weights_;
  std::set<std::string> mobiles_, landlines_, emails_;
  int64_t households_ = 0;

  std::string surname() { return surnames()[rng_.weighted(surname_weights_)]; }

  void given(Person& p) {
    const auto& list = p.female ? female_names() : male_names();
    // Frequent names first: a mild Zipf weight over the list.
    std::vector<double> w;
    for (size_t i = 0; i < list.size(); ++i) w.push_back(1.0 / std::pow(double(i % 40 + 1), 0.5));
    const Given& g = list[rng_.weighted(w)];
    p.first = g.name;
    p.short_forms = g.short_forms;
  }

  std::string date(int year) {
    int month = rng_.between(1, 12);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int day = rng_.between(1, days[month - 1]);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
  }
  static int year_of(const std::string& d) { return std::stoi(d.substr(0, 4)); }

  Address address(size_t town) {
    Address a;
    a.town = town;
    a.postcode = rng_.pick(std::vector<std::string>(towns()[town].postcodes.begin(), towns()[town].postcodes.end()));
    a.number = rng_.chance(0.1) ? rng_.between(100, 250) : rng_.between(1, 99);
    a.suffix = rng_.chance(0.05) ? (rng_.chance(0.7) ? "bis" : "ter") : "";
    a.type = rng_.weighted(type_weights_);
    a.name = rng_.pick(street_names());
    return a;
  }
  Address address() { return address(rng_.weighted(town_weights_)); }

  std::string new_mobile() {
    for (;;) {
      std::string n = rng_.chance(0.7) ? "06" : "07" + std::to_string(rng_.between(3, 9));
      while (n.size() < 10) n += char('0' + rng_.below(10));
      if (mobiles_.insert(n).second) return n;
    }
  }
  std::string new_landline(char zone) {
    for (;;) {
      std::string n = rng_.chance(0.2) ? "09" : std::string("0") + zone;
      n += char('1' + rng_.below(9));
      while (n.size() < 10) n += char('0' + rng_.below(10));
      if (landlines_.insert(n).second) return n;
    }
  }
  std::string domain() { return mail_domains()[rng_.weighted(domain_weights_)].first; }
  std::string unique_mail(std::string local, const std::string& dom) {
    std::string e = local + "@" + dom;
    while (!emails_.insert(e).second) e = local + std::to_string(rng_.between(1, 99)) + "@" + dom;
    return e;
  }
  std::string personal_mail(const Person& p) {
    std::string f = mail_word(p.first, rng_.chance(0.5)), l = mail_word(p.used_surname, false);
    if (f.empty()) f = "contact";
    std::string yy = p.birth.substr(2, 2);
    std::string local;
    switch (rng_.below(9)) {
      case 0: case 1: case 2: local = f + "." + l; break;
      case 3: local = f + l; break;
      case 4: local = f.substr(0, 1) + "." + l; break;
      case 5: local = f.substr(0, 1) + l; break;
      case 6: local = l + "." + f; break;
      case 7: local = f + "." + l + yy; break;
      default: local = f + "_" + l; break;
    }
    return unique_mail(local, domain());
  }

  Person& add(Person p) {
    p.id = int64_t(persons_.size()) + 1;
    p.phone_format = int(rng_.weighted({50, 25, 12, 3, 5, 3, 1, 1, 0}));
    p.abbreviate_street = rng_.chance(0.2);
    p.birth_known = rng_.chance(0.85);
    persons_.push_back(std::move(p));
    return persons_.back();
  }

  void contacts(Person& p, bool personal_mail_likely) {
    int age = 2024 - year_of(p.birth);
    if (rng_.chance(age < 75 ? 0.88 : 0.6)) p.mobile = new_mobile();
    if (rng_.chance(personal_mail_likely ? 0.82 : 0.6)) p.email = personal_mail(p);
  }

  void single() {
    Person p;
    p.female = rng_.chance(0.52);
    given(p);
    p.birth_surname = p.used_surname = surname();
    p.birth = date(rng_.between(1938, 2005));
    // A married woman whose husband is not a customer: entered under her married name.
    if (p.female && year_of(p.birth) < 1995 && rng_.chance(0.35)) {
      std::string husband = surname();
      if (husband != p.birth_surname) {
        p.used_surname = husband;
        p.other_surname = p.birth_surname;
        p.married_name_used = true;
      }
    }
    p.address = address();
    contacts(p, true);
    if (rng_.chance(0.25)) p.landline = new_landline(towns()[p.address.town].phone_zone);
    if (p.mobile.empty() && p.landline.empty() && p.email.empty()) p.mobile = new_mobile();
    add(std::move(p));
  }

  // A household: a couple (married or not) with grown-up children, a parent with children, or
  // siblings; one address, often one landline, sometimes one e-mail for all.
  void household() {
    int64_t h = ++households_;
    Address home = address();
    std::string landline = rng_.chance(0.6) ? new_landline(towns()[home.town].phone_zone) : "";
    std::vector<Person> members;
    int kind = int(rng_.weighted({60, 15, 8, 6}));  // couple(+children), single parent, siblings, father and son of one name
    std::string family = surname();
    int base_year = rng_.between(1940, 1985);
    auto person = [&](bool female, int year) {
      Person p;
      p.female = female;
      given(p);
      p.birth_surname = p.used_surname = family;
      p.birth = date(std::min(2005, year));
      p.address = home;
      p.household = h;
      return p;
    };
    std::vector<Person> parents;
    if (kind == 0) {
      Person man = person(false, base_year);
      Person woman = person(true, base_year + rng_.between(-6, 4));
      woman.first = woman.first == man.first ? "Sophie" : woman.first;
      double r = double(rng_.next() >> 11) / double(1ULL << 53);
      std::string maiden = surname();
      if (maiden == family) maiden = "Lambert";
      if (r < 0.62) {  // married, her husband's name
        woman.birth_surname = maiden;
        woman.other_surname = maiden;
        woman.married_name_used = true;
      } else if (r < 0.72) {  // married, both names
        woman.birth_surname = maiden;
        woman.used_surname = family + "-" + maiden;
        woman.other_surname = maiden;
        woman.married_name_used = true;
      } else if (r < 0.82) {  // married, kept her name
        woman.birth_surname = woman.used_surname = maiden;
        woman.other_surname = family;
      } else {  // not married
        woman.birth_surname = woman.used_surname = maiden;
      }
      parents = {man, woman};
    } else if (kind == 1) {
      parents = {person(rng_.chance(0.7), base_year)};
    }
    for (auto& p : parents) members.push_back(p);
    int children = kind == 2 ? rng_.between(2, 3) : kind == 3 ? 1 : int(rng_.weighted({35, 30, 25, 10}));
    int first_child_year = (kind == 2 ? base_year + 15 : base_year) + rng_.between(22, 34);
    bool twins = children >= 2 && rng_.chance(0.06);
    std::string twins_birth;
    for (int c = 0; c < children && first_child_year + 2 * c <= 2005; ++c) {
      Person kid = person(rng_.chance(0.5), first_child_year + c * rng_.between(1, 4));
      if (kind == 3) {  // a son named after his father, both at home
        Person father = person(false, base_year);
        members.push_back(father);
        kid.female = false;
        kid.first = father.first;
        kid.short_forms = father.short_forms;
        kid.birth = date(std::min(2005, year_of(father.birth) + rng_.between(22, 35)));
      }
      if (twins && c < 2) {
        if (c == 0) twins_birth = kid.birth;
        else kid.birth = twins_birth;
      }
      // Brothers and sisters do not share a first name.
      for (const auto& m : members)
        if (m.first == kid.first && kind != 3) given(kid);
      members.push_back(kid);
    }
    if (members.size() < 2) {  // a parent too young for grown-up children: a sibling instead
      members.push_back(person(rng_.chance(0.5), base_year + rng_.between(-5, 5)));
      if (members[1].first == members[0].first) given(members[1]);
    }
    // Their e-mails: mostly their own; in a quarter of households one address for the parents
    // (or the husband's given for both).
    std::string shared;
    if (rng_.chance(0.28)) {
      std::string l = mail_word(family, false);
      switch (rng_.below(3)) {
        case 0: shared = unique_mail("famille." + l, domain()); break;
        case 1: shared = unique_mail(l + ".famille", domain()); break;
        default: shared = unique_mail(mail_word(members[0].first, false) + "." + l, domain()); break;
      }
    }
    size_t adults = std::max<size_t>(parents.size(), 1);
    for (size_t i = 0; i < members.size(); ++i) {
      Person& m = members[i];
      contacts(m, true);
      if (!shared.empty() && i < adults + (parents.empty() ? 1 : 0)) m.email = shared;
      if (!landline.empty() && rng_.chance(0.85)) m.landline = landline;
      if (m.mobile.empty() && m.landline.empty() && m.email.empty()) m.mobile = new_mobile();
      add(std::move(m));
    }
  }

  // Someone else of the same first and last name in the same town, born another year.
  void namesake_of(Person& p) {
    if (p.household) return;
    const int64_t pid = p.id;
    Person q;
    q.female = p.female;
    q.first = p.first;
    q.short_forms = p.short_forms;
    q.birth_surname = q.used_surname = p.used_surname;
    int year = year_of(p.birth) + (rng_.chance(0.5) ? 1 : -1) * rng_.between(1, 30);
    q.birth = date(std::clamp(year, 1935, 2005));
    if (q.birth == p.birth) q.birth = date(year_of(p.birth) + 3);
    q.address = address(p.address.town);
    contacts(q, true);
    if (rng_.chance(0.25)) q.landline = new_landline(towns()[q.address.town].phone_zone);
    if (q.mobile.empty() && q.landline.empty() && q.email.empty()) q.mobile = new_mobile();
    p.namesake = true;
    q.namesake = true;
    add(std::move(q)).birth_known = true;  // (p is no longer safe to use: persons_ grew)
    // Namesakes are told apart by their birth dates: both are entered with theirs.
    persons_[size_t(pid - 1)].birth_known = true;
  }

  void mark_natural_namesakes() {
    std::map<std::string, std::vector<size_t>> by_name;
    for (size_t i = 0; i < persons_.size(); ++i) {
      const auto& p = persons_[i];
      by_name[mail_word(p.first, false) + "|" + mail_word(p.used_surname, false) + "|" + towns()[p.address.town].name].push_back(i);
    }
    for (const auto& [k, v] : by_name)
      if (v.size() > 1)
        for (size_t i : v) persons_[i].namesake = true;
  }

  // ---------------------------------------------------------------------------------------------
  // Records

  std::string street(const Address& a, bool abbreviate) {
    const StreetType& t = street_types()[a.type];
    std::string type = t.full;
    if (abbreviate && !t.short_forms.empty()) type = rng_.pick(std::vector<std::string>(t.short_forms.begin(), t.short_forms.end()));
    std::string name = a.name;
    if (abbreviate) {
      name = replace_all(name, "Général", "Gal");
      name = replace_all(name, "Maréchal", "Mal");
      name = replace_all(name, "Saint-", "St-");
      name = replace_all(name, "Docteur", "Dr");
      name = replace_all(name, "Président", "Pdt");
    }
    std::string num = std::to_string(a.number) + (a.suffix.empty() ? "" : " " + a.suffix);
    return num + (rng_.chance(0.15) ? ", " : " ") + type + " " + name;
  }

  FrenchRecord first_record(const Person& p) {
    FrenchRecord r;
    r.key = "p" + std::to_string(p.id) + "-0";
    r.person = p.id;
    r.household = p.household;
    if (p.household) r.labels.insert("family");
    if (p.namesake) r.labels.insert("namesake");
    json c = json::object();
    c["first_name"] = p.first;
    c["last_name"] = p.used_surname;
    if (p.birth_known) c["birth_date"] = p.birth;
    c["street"] = street(p.address, p.abbreviate_street);
    c["postcode"] = p.address.postcode;
    c["city"] = towns()[p.address.town].name;
    json phones = json::array();
    if (!p.mobile.empty()) phones.push_back(phone_as(p.mobile, p.phone_format));
    if (!p.landline.empty()) phones.push_back(phone_as(p.landline, p.phone_format));
    c["phones"] = phones;
    c["emails"] = p.email.empty() ? json::array() : json::array({p.email});
    r.contact = c;
    return r;
  }

  // Another record of the person, entered later or by someone else: a few phenomena apply.
  FrenchRecord extra_record(const Person& p, const FrenchRecord& first, int k) {
    for (int attempt = 0;; ++attempt) {
      FrenchRecord r = first;
      r.key = "p" + std::to_string(p.id) + "-" + std::to_string(k);
      r.labels.clear();
      if (p.household) r.labels.insert("family");
      if (p.namesake) r.labels.insert("namesake");
      json& c = r.contact;
      // What the person changed or the typist did differently.
      std::vector<std::string> options;
      std::vector<double> weights;
      auto offer = [&](const char* what, double w, bool applies) {
        if (!applies) return;
        options.push_back(what);
        weights.push_back(w);
      };
      bool compound = p.first.find('-') != std::string::npos;
      offer("nickname", 10, !p.short_forms.empty());
      offer("compound_first_name", 14, compound);
      offer("married_name", 14, !p.other_surname.empty());
      offer("moved", 14, !p.mobile.empty() || !p.email.empty());
      offer("typo", 30, true);
      offer("missing_values", 18, true);
      std::set<std::string> chosen;
      int n = rng_.chance(0.3) ? 2 : 1;
      for (int i = 0; i < n && !options.empty(); ++i) {
        size_t j = rng_.weighted(weights);
        chosen.insert(options[j]);
        options.erase(options.begin() + std::ptrdiff_t(j));
        weights.erase(weights.begin() + std::ptrdiff_t(j));
      }
      std::string first_name = c["first_name"], last_name = c["last_name"];
      if (chosen.count("nickname")) first_name = rng_.pick(std::vector<std::string>(p.short_forms.begin(), p.short_forms.end()));
      if (chosen.count("compound_first_name")) {
        size_t dash = p.first.find('-');
        std::string a = p.first.substr(0, dash), b = p.first.substr(dash + 1);
        std::string ia = strip_accents(a).substr(0, 1), ib = strip_accents(b).substr(0, 1);
        switch (rng_.below(7)) {
          case 0: first_name = ia + "-" + ib; break;            // J-P
          case 1: first_name = ia + ".-" + ib + "."; break;     // J.-P.
          case 2: first_name = ia + ib; break;                  // JP
          case 3: first_name = a + " " + ib + "."; break;       // Jean P.
          case 4: first_name = a; break;                        // Jean
          case 5: first_name = a + " " + b; break;              // Jean Pierre
          default: first_name = a + "-" + ib + "."; break;      // Jean-P.
        }
      }
      if (chosen.count("married_name")) {
        const std::string& married = p.married_name_used ? p.used_surname.substr(0, p.used_surname.find('-')) : p.other_surname;
        const std::string& maiden = p.married_name_used ? p.other_surname : p.used_surname;
        switch (rng_.below(6)) {
          case 0: last_name = p.married_name_used ? maiden : married; break;  // the other name alone
          case 1: last_name = married + " née " + maiden; break;
          case 2: last_name = maiden + " épouse " + married; break;
          case 3: last_name = maiden + " ép. " + married; break;
          case 4: last_name = married + "-" + maiden; break;
          default: last_name = married + " " + maiden; break;
        }
      }
      if (chosen.count("moved")) {
        Address a = rng_.chance(0.5) ? address(p.address.town) : address();
        c["street"] = street(a, p.abbreviate_street);
        c["postcode"] = a.postcode;
        c["city"] = towns()[a.town].name;
        // The old landline goes; a new one sometimes comes.
        json phones = json::array();
        if (!p.mobile.empty()) phones.push_back(phone_as(p.mobile, p.phone_format));
        if (rng_.chance(0.3)) phones.push_back(phone_as(new_landline(towns()[a.town].phone_zone), p.phone_format));
        c["phones"] = phones;
        // A new e-mail address too, at times, when the mobile stays.
        if (!p.mobile.empty() && !p.email.empty() && rng_.chance(0.3)) {
          Person q = p;
          c["emails"] = json::array({personal_mail(q)});
        }
      }
      if (chosen.count("typo")) {
        switch (rng_.weighted({40, 22, 15, 12, 11})) {
          case 0: last_name = typo(rng_, last_name); break;
          case 1: first_name = typo(rng_, first_name); break;
          case 2: c["street"] = typo(rng_, c["street"].get<std::string>()); break;
          case 3:
            if (c.contains("birth_date")) {
              std::string d = c["birth_date"];
              int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
              int kind = int(rng_.below(3));
              if (kind == 0 && day <= 12 && day != m) {
                std::swap(m, day);  // day and month the other way round
              } else if (kind == 1 && day % 10 != 0 && day < 28) {
                int other = day - day % 10 + 1 + int(rng_.below(9));
                day = other == day ? day + 1 : std::min(other, 28);  // one digit of the day
              } else {
                int y2 = y / 100 * 100 + (y % 10) * 10 + (y / 10) % 10;  // the year's last two digits swapped
                y = (y2 != y && y2 <= 2006 && y2 >= 1930) ? y2 : y - y % 10 + (y % 10 + 1) % 10;
              }
              char buf[16];
              std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, day);
              c["birth_date"] = std::string(buf);
            } else {
              last_name = typo(rng_, last_name);
            }
            break;
          default:
            if (!c["emails"].empty()) {
              std::string e = c["emails"][0];
              size_t at = e.find('@');
              c["emails"][0] = typo(rng_, e.substr(0, at)) + e.substr(at);
            } else {
              last_name = typo(rng_, last_name);
            }
            break;
        }
      }
      if (chosen.count("missing_values")) {
        int dropped = 0;
        for (int tries = 0; tries < 6 && dropped < (rng_.chance(0.3) ? 2 : 1); ++tries) {
          switch (rng_.below(4)) {
            case 0: if (c.contains("birth_date")) { c.erase("birth_date"); ++dropped; } break;
            case 1: if (!c["emails"].empty()) { c["emails"] = json::array(); ++dropped; } break;
            case 2: if (!c["phones"].empty()) { c["phones"] = json::array(); ++dropped; } break;
            default: if (!c["street"].get<std::string>().empty()) { c["street"] = ""; ++dropped; } break;
          }
        }
        if (!dropped) chosen.erase("missing_values");
      }
      // How this typist writes: accents, capitals, street types, phones, e-mails.
      std::string before_first = first_name, before_last = last_name;
      if (rng_.chance(0.25) && (has_accent(first_name) || has_accent(last_name) || has_accent(c["street"].get<std::string>()) ||
                                has_accent(c["city"].get<std::string>()))) {
        first_name = strip_accents(first_name);
        last_name = strip_accents(last_name);
        c["street"] = strip_accents(c["street"].get<std::string>());
        c["city"] = strip_accents(c["city"].get<std::string>());
        chosen.insert("no_accents");
      }
      if (rng_.chance(0.15)) {
        last_name = upper(last_name);
        if (rng_.chance(0.4)) first_name = upper(first_name);
        if (rng_.chance(0.3)) c["city"] = upper(c["city"].get<std::string>());
        if (rng_.chance(0.5)) {
          last_name = strip_accents(last_name);
          first_name = strip_accents(first_name);
        }
        chosen.insert("upper_case");
      }
      if (rng_.chance(0.3) && !c["street"].get<std::string>().empty() && !chosen.count("moved")) {
        std::string s = street(p.address, !p.abbreviate_street);
        if (chosen.count("no_accents")) s = strip_accents(s);
        if (strip_accents(s) != strip_accents(first.contact["street"].get<std::string>())) {
          c["street"] = s;
          chosen.insert("street_abbreviation");
        }
      }
      if (rng_.chance(0.4) && !c["phones"].empty()) {
        int f = int(rng_.below(kPhoneFormats));
        if (f != p.phone_format) {
          json phones = json::array();
          for (const auto& ph : c["phones"]) {
            std::string digits;
            for (char ch : ph.get<std::string>())
              if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
            // Back to the national 10 digits, whatever the format it was in.
            if (digits.rfind("0033", 0) == 0) digits = "0" + digits.substr(4);
            else if (digits.rfind("330", 0) == 0 && digits.size() == 12) digits = "0" + digits.substr(3);
            else if (digits.rfind("33", 0) == 0 && digits.size() == 11) digits = "0" + digits.substr(2);
            phones.push_back(phone_as(digits, f));
          }
          c["phones"] = phones;
          chosen.insert("phone_format");
        }
      }
      if (rng_.chance(0.12) && !c["emails"].empty()) {
        std::string e = c["emails"][0];
        e[0] = char(std::toupper(static_cast<unsigned char>(e[0])));
        size_t dot = e.find('.');
        if (dot != std::string::npos && dot + 1 < e.size() && dot < e.find('@'))
          e[dot + 1] = char(std::toupper(static_cast<unsigned char>(e[dot + 1])));
        size_t at = e.find('@');
        if (at + 1 < e.size() && rng_.chance(0.5)) e[at + 1] = char(std::toupper(static_cast<unsigned char>(e[at + 1])));
        c["emails"][0] = e;
        chosen.insert("email_case");
      }
      c["first_name"] = first_name;
      c["last_name"] = last_name;
      // A record that keeps nothing of the person (moved, married name, no date and no phone
      // or e-mail left in common) is one no one could match: the typist would not have made it.
      bool linked = false;
      auto digits9 = [](const std::string& s) {
        std::string d;
        for (char ch : s)
          if (std::isdigit(static_cast<unsigned char>(ch))) d += ch;
        return d.size() > 9 ? d.substr(d.size() - 9) : d;
      };
      for (const auto& a : c["phones"])
        for (const auto& b : first.contact["phones"]) linked |= digits9(a) == digits9(b);
      for (const auto& a : c["emails"])
        for (const auto& b : first.contact["emails"]) {
          std::string x = a, y = b;
          std::transform(x.begin(), x.end(), x.begin(), ::tolower);
          linked |= x == y;
        }
      linked |= c.contains("birth_date") && first.contact.contains("birth_date") && !chosen.count("married_name");
      linked |= !chosen.count("moved") && !chosen.count("married_name") && c["street"] == first.contact["street"];
      if (!linked && attempt < 8) continue;
      for (const auto& l : chosen) r.labels.insert(l);
      return r;
    }
  }
};

}  // namespace

FrenchSet generate_french_people(uint64_t seed, size_t people) { return Generator(seed).run(people); }

std::set<std::pair<size_t, size_t>> FrenchSet::true_pairs() const {
  std::map<int64_t, std::vector<size_t>> by_person;
  for (size_t i = 0; i < records.size(); ++i) by_person[records[i].person].push_back(i);
  std::set<std::pair<size_t, size_t>> out;
  for (const auto& [p, v] : by_person)
    for (size_t i = 0; i < v.size(); ++i)
      for (size_t j = i + 1; j < v.size(); ++j) out.insert({std::min(v[i], v[j]), std::max(v[i], v[j])});
  return out;
}

std::map<std::pair<size_t, size_t>, std::string> FrenchSet::hard_negatives() const {
  std::map<std::pair<size_t, size_t>, std::string> out;
  std::map<int64_t, std::vector<size_t>> by_household;
  std::map<std::string, std::vector<size_t>> by_name;
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].household) by_household[records[i].household].push_back(i);
    if (records[i].labels.count("namesake"))
      by_name[mail_word(records[i].contact.value("first_name", ""), false) + "|" +
              mail_word(records[i].contact.value("last_name", ""), false) + "|" +
              mail_word(records[i].contact.value("city", ""), false)]
          .push_back(i);
  }
  auto add = [&](const std::vector<size_t>& v, const char* what) {
    for (size_t i = 0; i < v.size(); ++i)
      for (size_t j = i + 1; j < v.size(); ++j)
        if (records[v[i]].person != records[v[j]].person) out[{std::min(v[i], v[j]), std::max(v[i], v[j])}] = what;
  };
  for (const auto& [h, v] : by_household) add(v, "family");
  for (const auto& [n, v] : by_name) add(v, "namesake");
  return out;
}

double PairFigures::precision() const {
  size_t found = true_positive + false_positive;
  return found ? double(true_positive) / double(found) : 1.0;
}
double PairFigures::recall() const {
  size_t truth = true_positive + false_negative;
  return truth ? double(true_positive) / double(truth) : 1.0;
}
double PairFigures::f1() const {
  double p = precision(), r = recall();
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

FrenchFigures measure_french(const FrenchSet& set, const std::set<std::pair<size_t, size_t>>& found) {
  FrenchFigures f;
  auto truth = set.true_pairs();
  auto labels_of = [&](std::pair<size_t, size_t> p) {
    std::set<std::string> l = set.records[p.first].labels;
    l.insert(set.records[p.second].labels.begin(), set.records[p.second].labels.end());
    return l;
  };
  for (const auto& l : kPositivePhenomena) f.by_phenomenon[l];
  for (const auto& l : kNegativePhenomena) f.by_phenomenon[l];
  for (const auto& p : found) {
    bool ok = truth.count(p) > 0;
    (ok ? f.overall.true_positive : f.overall.false_positive)++;
    for (const auto& l : labels_of(p)) (ok ? f.by_phenomenon[l].true_positive : f.by_phenomenon[l].false_positive)++;
  }
  for (const auto& p : truth)
    if (!found.count(p)) {
      f.overall.false_negative++;
      for (const auto& l : labels_of(p)) f.by_phenomenon[l].false_negative++;
    }
  return f;
}

std::string FrenchFigures::table() const {
  std::ostringstream out;
  char line[256];
  out << "| phenomenon | true pairs | pairs found | wrong pairs | precision | recall | F1 |\n";
  out << "|---|---:|---:|---:|---:|---:|---:|\n";
  auto row = [&](const std::string& name, const PairFigures& x) {
    std::snprintf(line, sizeof line, "| %s | %zu | %zu | %zu | %.3f | %.3f | %.3f |\n", name.c_str(),
                  x.true_positive + x.false_negative, x.true_positive + x.false_positive, x.false_positive, x.precision(),
                  x.recall(), x.f1());
    out << line;
  };
  row("**all pairs**", overall);
  for (const auto& l : kPositivePhenomena) row(l, by_phenomenon.at(l));
  for (const auto& l : kNegativePhenomena) row(l + " (must not match)", by_phenomenon.at(l));
  return out.str();
}

}  // namespace gz::testdata
