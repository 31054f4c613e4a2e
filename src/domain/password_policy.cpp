#include "domain/password_policy.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "core/text.h"

namespace gz::domain {

namespace {

// Passwords and password stems found at the top of the public leak lists (English and French),
// written here by hand. A password is refused when it is one of them, or when it is one of them
// with digits and punctuation added before or after ("Motdepasse2024!", "!!azertyuiop").
// Short entries still matter: they are stems ("soleil" + "123456" is 12 characters).
constexpr std::string_view kCommon[] = {
    "password", "passw0rd", "p@ssw0rd", "p@ssword", "pass", "passwort", "passwd", "password1",
    "motdepasse", "mot de passe", "mot-de-passe", "mdp", "secret", "secrets", "topsecret",
    "azerty", "azertyuiop", "azertyuiopqsdfghjklm", "azertyuiopqsdfghjklmwxcvbn", "qwerty", "qwertyuiop",
    "qwertyuiopasdfghjkl", "qwertyuiopasdfghjklzxcvbnm", "asdfghjkl", "zxcvbnm", "qsdfghjklm", "wxcvbn",
    "qazwsxedc", "qazwsxedcrfv", "1qaz2wsx3edc", "1q2w3e4r5t6y", "1q2w3e4r", "zaq12wsx", "aqwzsxedc",
    "abcdefghijkl", "abcdefghijklm", "abcdefghijklmnop", "abcdefghijklmnopqrstuvwxyz", "abc", "abcdef",
    "letmein", "letmeinnow", "welcome", "welcometo", "welcome to", "bienvenue", "bienvenu",
    "admin", "administrator", "administrateur", "root", "toor", "superuser", "superadmin", "manager",
    "changeme", "changez-moi", "changezmoi", "default", "defaut", "temp", "temporaire", "test", "testtest",
    "test1234", "guest", "invite", "user", "utilisateur", "login", "connexion", "access", "acces",
    "iloveyou", "iloveyoumore", "jetaime", "je t'aime", "jetaimetant", "monamour", "mon amour", "doudou",
    "loulou", "chouchou", "cheri", "cherie", "bisous", "calin", "amour", "love", "lovely", "lover",
    "soleil", "bonjour", "bonsoir", "salut", "coucou", "merci", "hello", "helloworld", "hello world",
    "marseille", "paris", "lyon", "toulouse", "bordeaux", "lille", "nantes", "france", "francais",
    "olympiquedemarseille", "allezlom", "psg", "parissaintgermain", "football", "foot", "rugby",
    "baseball", "basketball", "soccer", "hockey", "tennis", "golf", "liverpool", "arsenal", "chelsea",
    "manchester", "manchesterunited", "barcelona", "realmadrid", "juventus",
    "dragon", "monkey", "master", "shadow", "sunshine", "princess", "princesse", "starwars", "pokemon",
    "superman", "batman", "spiderman", "naruto", "harrypotter", "minecraft", "fortnite", "matrix",
    "trustno1", "whatever", "freedom", "liberte", "michael", "jennifer", "jordan", "thomas", "nicolas",
    "julien", "camille", "marie", "nathalie", "sophie", "isabelle", "stephane", "sebastien", "antoine",
    "alexandre", "maxime", "charlie", "jessica", "ashley", "daniel", "andrew", "joshua", "michelle",
    "chocolat", "chocolate", "fromage", "baguette", "pizza", "cookie", "banane", "banana", "orange",
    "cheval", "chien", "chat", "doggy", "kitty", "tigger", "poussin", "papillon", "licorne",
    "maman", "papa", "famille", "bebe", "enfant", "nounours", "cocorico",
    "entreprise", "societe", "company", "business", "office", "bureau", "travail", "boulot", "work",
    "crm", "gazelle", "gazellecrm", "customer", "client", "clients", "vente", "ventes", "sales",
    "marketing", "compta", "comptabilite", "service", "support", "contact", "info", "informatique",
    "computer", "ordinateur", "internet", "google", "facebook", "microsoft", "windows", "apple",
    "samsung", "orange", "freebox", "livebox", "wifi", "server", "serveur", "database", "oracle",
    "postgres", "sqlite", "mysql", "qwerty123", "azerty123", "abc123", "abcd1234", "aa123456",
    "hunter", "hunter2", "killer", "ninja", "mustang", "ferrari", "porsche", "mercedes", "peugeot",
    "renault", "citroen", "corvette", "harley", "yamaha", "jesus", "christ", "dieu", "god", "angel",
    "ange", "lucifer", "demon", "diamond", "gold", "silver", "money", "argent", "million", "lucky",
    "summer", "winter", "spring", "autumn", "ete", "hiver", "printemps", "automne", "janvier", "fevrier",
    "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "monday", "lundi", "friday", "vendredi", "dimanche", "sunday",
    "correcthorsebatterystaple", "correct horse battery staple", "thequickbrownfox",
    "iloveyou123", "password123", "motdepasse123", "azerty123456", "qwerty123456", "123soleil",
};

// Keyboard rows and counting runs: a password made of a slice of one of them is refused.
constexpr std::string_view kRuns[] = {
    "01234567890123456789", "98765432109876543210", "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba",
    "azertyuiopqsdfghjklmwxcvbn", "qwertyuiopasdfghjklzxcvbnm", "azertyuiopazertyuiop", "qwertyuiopqwertyuiop",
};

const std::unordered_set<std::string_view>& common_set() {
  static const std::unordered_set<std::string_view> s(std::begin(kCommon), std::end(kCommon));
  return s;
}

bool decoration(char c) { return (c >= '0' && c <= '9') || std::string_view("!@#$%^&*?._-+=~ /\\|,;:'\"()[]{}<>").find(c) != std::string_view::npos; }

}  // namespace

size_t common_password_count() { return common_set().size(); }

std::optional<Message> password_weakness(const std::string& password, const std::string& email) {
  // Characters, not bytes: "éléphant" is 8 characters.
  size_t chars = 0;
  for (unsigned char c : password) chars += (c & 0xC0) != 0x80;
  if (chars < kMinPasswordLength) return tr("must have at least {n} characters", {{"n", kMinPasswordLength}});
  if (password.size() > 1024) return Message("must have at most 1024 bytes");
  std::string folded = text::fold(password);
  const auto& common = common_set();
  const Message too_common("is too common: choose a phrase of several words or a password manager's");
  if (common.count(folded)) return too_common;
  // The stem without digits and punctuation around it: "Motdepasse2024!" → "motdepasse".
  size_t b = 0, e = folded.size();
  while (b < e && decoration(folded[b])) ++b;
  while (e > b && decoration(folded[e - 1])) --e;
  std::string stem = folded.substr(b, e - b);
  if (stem.empty() || common.count(stem)) return too_common;  // nothing but digits and signs, or a stem of the list
  // One character repeated, or a slice of a keyboard row or of a counting run.
  if (std::all_of(folded.begin(), folded.end(), [&](char c) { return c == folded[0]; })) return too_common;
  for (auto run : kRuns)
    if (run.find(folded) != std::string_view::npos) return too_common;
  // The address itself, or its name part with decoration.
  std::string mail = text::fold(email);
  if (!mail.empty() && (folded == mail || stem == mail.substr(0, mail.find('@')))) return Message("must not be your e-mail address");
  return std::nullopt;
}

}  // namespace gz::domain
