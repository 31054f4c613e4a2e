// The French of the kernel's messages (core/message.h), by English template. A module's own
// messages are in its Module::messages_fr. Placeholders ({field}) stay as they are; French
// punctuation puts a no-break space before ":" (U+00A0) and uses « » around quoted values.
#include <string>
#include <utility>
#include <vector>

namespace gz {

const std::vector<std::pair<std::string, std::string>>& kernel_french_messages() {
  static const std::vector<std::pair<std::string, std::string>> m = {
      // Problem titles
      {"Bad request", "Requête incorrecte"},
      {"Authentication required", "Connexion requise"},
      {"Forbidden", "Accès refusé"},
      {"Not found", "Introuvable"},
      {"Conflict", "Conflit"},
      {"Precondition failed", "Version périmée"},
      {"Invalid input", "Saisie invalide"},
      {"Too many requests", "Trop de requêtes"},
      // Field errors
      {"{field}: {message}", "{field}\u00a0: {message}"},
      {"{n} fields are invalid (first: {field}: {message})",
       "{n} champs sont invalides (premier\u00a0: {field}\u00a0: {message})"},
  };
  return m;
}

}  // namespace gz
