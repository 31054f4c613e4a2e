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
      // Import (io/csv, domain/import_*, core/validate phones): docs/import.md
      {"a tab", "une tabulation"},
      {"a control character", "un caractère de contrôle"},
      {"'{char}'", "«\u00a0{char}\u00a0»"},
      {"the quoted field that starts on this line is never closed (missing \")",
       "le champ entre guillemets qui commence sur cette ligne n'est jamais fermé (il manque un \")"},
      {"{char} follows a closing quote; a quoted field must end at its closing quote (write a quote inside a quoted "
       "field as \"\")",
       "{char} suit un guillemet fermant\u00a0; un champ entre guillemets doit finir à son guillemet fermant (écrivez un "
       "guillemet à l'intérieur d'un champ entre guillemets ainsi\u00a0: \"\")"},
      {"quote in the middle of an unquoted field; put the whole field in quotes and double the quotes inside (\"like "
       "\"\"this\"\"\")",
       "guillemet au milieu d'un champ sans guillemets\u00a0; mettez tout le champ entre guillemets et doublez les "
       "guillemets à l'intérieur (\"comme \"\"ceci\"\"\")"},
      {"has {n} column but the header has {header}", "a {n}\u00a0colonne mais l'en-tête en a {header}"},
      {"has {n} columns but the header has {header}", "a {n}\u00a0colonnes mais l'en-tête en a {header}"},
      {"the header is not valid CSV: line {line}: {reason}",
       "l'en-tête n'est pas un CSV valide\u00a0: ligne {line}\u00a0: {reason}"},
      {"the file is not valid CSV: line {line}: {reason}",
       "le fichier n'est pas un CSV valide\u00a0: ligne {line}\u00a0: {reason}"},
      {"the file is empty; it needs a header row", "le fichier est vide\u00a0; il lui faut une ligne d'en-tête"},
      {"'{value}' is not an integer", "«\u00a0{value}\u00a0» n'est pas un nombre entier"},
      {"'{value}' is not an amount in euros (e.g. 12,50 or 12.50)",
       "«\u00a0{value}\u00a0» n'est pas un montant en euros (par exemple 12,50 ou 12.50)"},
      {"'{value}' is not an integer number of cents (write 1250 for 12,50 €, or name the column {column} for euros)",
       "«\u00a0{value}\u00a0» n'est pas un nombre entier de centimes (écrivez 1250 pour 12,50\u00a0€, ou nommez la "
       "colonne {column} pour des euros)"},
      {"'{value}' is not a yes/no value (true/false, 1/0, oui/non)",
       "«\u00a0{value}\u00a0» n'est pas une valeur oui/non (oui/non, vrai/faux, 1/0)"},
      {"is not valid JSON (e.g. {example})", "n'est pas du JSON valide (par exemple {example})"},
      {"the mapping names column '{column}', which the file does not have",
       "la correspondance nomme la colonne «\u00a0{column}\u00a0», que le fichier n'a pas"},
      {"no column '{column}' in the header", "pas de colonne «\u00a0{column}\u00a0» dans l'en-tête"},
      {"column {n}", "colonne {n}"},
      {"has no name; name it or map it to -", "n'a pas de nom\u00a0; nommez-la ou associez-la à - pour l'ignorer"},
      {"unknown column for {entity}; map it to a field ({fields}) or to - to skip it",
       "colonne inconnue pour {entity}\u00a0; associez-la à un champ ({fields}) ou à - pour l'ignorer"},
      {"gives {target} again (already given by column '{column}')",
       "donne de nouveau {target} (déjà donné par la colonne «\u00a0{column}\u00a0»)"},
      {"column {columns} cannot be imported into {entity}: {reason}",
       "la colonne {columns} ne peut pas être importée dans {entity}\u00a0: {reason}"},
      {"columns {columns} cannot be imported into {entity}: {reason}",
       "les colonnes {columns} ne peuvent pas être importées dans {entity}\u00a0: {reason}"},
      {"a file of {entity} with one row per line needs an external_id column: rows with the same external_id make "
       "one {singular}",
       "un fichier de {entity} à une ligne par article a besoin d'une colonne external_id\u00a0: les lignes de même "
       "external_id forment un(e) {singular}"},
      {"required in the one-row-per-line form", "obligatoire avec une ligne par article"},
      {"{entity} {value} cannot be created: {reason}", "{entity} {value} ne peut pas être créé(e)\u00a0: {reason}"},
      {"{count} records of {entity} are named '{name}': the row is imported without {field} (give the SIRET, or the "
       "external id, to say which)",
       "{count}\u00a0fiches de {entity} s'appellent «\u00a0{name}\u00a0»\u00a0: la ligne est importée sans {field} "
       "(donnez le SIRET, ou l'identifiant externe, pour dire laquelle)"},
      {"{entity} '{value}' cannot be created: {reason}",
       "{entity} «\u00a0{value}\u00a0» ne peut pas être créé(e)\u00a0: {reason}"},
      {"no {entity} is named '{value}': the row is imported without {field} (create it first, or tick \"create what "
       "is missing\")",
       "aucune fiche {entity} ne s'appelle «\u00a0{value}\u00a0»\u00a0: la ligne est importée sans {field} (créez-la "
       "d'abord, ou cochez «\u00a0créer ce qui manque\u00a0»)"},
      {"designates another {entity} than column '{column}'",
       "désigne une autre fiche {entity} que la colonne «\u00a0{column}\u00a0»"},
      {"'{value}' is not a record id", "«\u00a0{value}\u00a0» n'est pas un numéro de fiche"},
      {"gives {value} but another column gives {other}", "donne {value} mais une autre colonne donne {other}"},
      {"no {entity} has the external id '{value}'",
       "aucune fiche {entity} n'a l'identifiant externe «\u00a0{value}\u00a0»"},
      {"designates {entity} {id} but column '{column}' gives {other}",
       "désigne {entity} {id} mais la colonne «\u00a0{column}\u00a0» donne {other}"},
      {"'{value}' rounded to {cents} cents", "«\u00a0{value}\u00a0» arrondi à {cents}\u00a0centimes"},
      {"{reason}; the number is set aside and the rest of the row imported: correct it on the record",
       "{reason}\u00a0; le numéro est mis de côté et le reste de la ligne importé\u00a0: corrigez-le sur la fiche"},
      {"{reason}; the number is set aside and the rest of the row imported: correct it on the record of {name}",
       "{reason}\u00a0; le numéro est mis de côté et le reste de la ligne importé\u00a0: corrigez-le sur la fiche de "
       "{name}"},
      {"{field} 0: the line is kept, with no revenue", "{field} 0\u00a0: la ligne est gardée, sans chiffre d'affaires"},
      {"differs from line {line} of the same order; the time of line {line} is kept",
       "diffère de la ligne {line} de la même commande\u00a0; l'heure de la ligne {line} est gardée"},
      {"differs from line {line} of the same order", "diffère de la ligne {line} de la même commande"},
      {"{entity} cannot be imported; import {entities}", "{entity} ne s'importe pas\u00a0; importez {entities}"},
      {"your role ({role}) cannot create or change {entity}",
       "votre rôle ({role}) ne permet pas de créer ni de modifier des {entity}"},
      {"the constant '{field}' is not a field of {entity} you can set",
       "la constante «\u00a0{field}\u00a0» n'est pas un champ de {entity} que vous pouvez remplir"},
      {"not a writable field of {entity}", "pas un champ modifiable de {entity}"},
      {"{entity} {id} not imported: one of its rows is malformed",
       "{entity} {id} non importé(e)\u00a0: une de ses lignes est mal formée"},
      {"more lines of {entity} {id} after others: added to the lines read before",
       "d'autres lignes de {entity} {id} après d'autres\u00a0: ajoutées aux lignes lues avant"},
      {"{entity} cannot be exported; export {entities}", "{entity} ne s'exporte pas\u00a0; exportez {entities}"},
      {"too many {entity} for one XLSX sheet; export to CSV instead",
       "trop de {entity} pour une feuille XLSX\u00a0; exportez plutôt en CSV"},
      {"has a value in column {n} beyond the header's {columns} columns",
       "a une valeur en colonne {n}, au-delà des {columns}\u00a0colonnes de l'en-tête"},
      {"cannot open {file}", "impossible d'ouvrir {file}"},
      {"'{encoding}' is not an encoding the import reads; use {encodings} (or auto to detect it)",
       "«\u00a0{encoding}\u00a0» n'est pas un encodage que l'import sait lire\u00a0; utilisez {encodings} (ou auto "
       "pour le détecter)"},
      {"use {encodings} or auto", "utilisez {encodings} ou auto"},
      {"--sheet is for XLSX workbooks; {file} is not one", "--sheet vaut pour les classeurs XLSX\u00a0; {file} n'en est pas un"},
      {"only for XLSX files", "seulement pour les fichiers XLSX"},
      {"a mapping is a JSON object", "une correspondance est un objet JSON"},
      {"must be an object", "doit être un objet"},
      {"unknown key '{key}' in the mapping", "clé «\u00a0{key}\u00a0» inconnue dans la correspondance"},
      {"use columns, constants and options", "utilisez columns, constants et options"},
      {"mapping.columns maps file columns to fields", "mapping.columns associe les colonnes du fichier à des champs"},
      {"must be an object {column: field}", "doit être un objet {colonne: champ}"},
      {"column '{column}' must map to a field name or -",
       "la colonne «\u00a0{column}\u00a0» doit être associée à un nom de champ ou à -"},
      {"must be a field name or -", "doit être un nom de champ ou -"},
      {"mapping.constants gives a value per field", "mapping.constants donne une valeur par champ"},
      {"must be an object {field: value}", "doit être un objet {champ: valeur}"},
      {"mapping.options must be an object", "mapping.options doit être un objet"},
      {"{option} must be true or false", "{option} doit valoir true ou false"},
      {"must be a boolean", "doit être un booléen"},
      {"{option} must be a short text", "{option} doit être un texte court"},
      {"must be a text of at most 20 characters", "doit être un texte de 20\u00a0caractères au plus"},
      {"{option} must name an encoding the import reads: {encodings}, or auto",
       "{option} doit nommer un encodage que l'import sait lire\u00a0: {encodings}, ou auto"},
      {"{option} must be update, skip or create", "{option} doit valoir update, skip ou create"},
      {"use update, skip or create", "utilisez update, skip ou create"},
      {"unknown import option '{option}'", "option d'import «\u00a0{option}\u00a0» inconnue"},
      {"use create_missing, returns_prefix, allow_anonymous, encoding, strict or on_match",
       "utilisez create_missing, returns_prefix, allow_anonymous, encoding, strict ou on_match"},
      {"{column}: {reason}", "{column}\u00a0: {reason}"},
      {"Rejection reason", "Motif du rejet"},
      {"rejected with the other rows of the same record", "rejetée avec les autres lignes de la même fiche"},
      {"{first}; {next}", "{first}\u00a0; {next}"},
      {"{list}; and {n} more", "{list}\u00a0; et {n} de plus"},
      {"'{entity}' cannot be imported", "«\u00a0{entity}\u00a0» ne s'importe pas"},
      {"there is no unfinished import of {file} into {entity} with this mapping to resume",
       "aucun import inachevé de {file} dans {entity} avec cette correspondance n'est à reprendre"},
      {"import run {id} not found", "import {id} introuvable"},
      {"this file was already imported into {entity} (run {run}, {created} created) and no column gives external_id, "
       "e-mail or SIRET: importing it again adds every row again. Map the column that identifies a row to external_id "
       "so that rows update their records, or check duplicates (e-mail, name) first",
       "ce fichier a déjà été importé dans {entity} (import {run}, {created}\u00a0créées) et aucune colonne ne donne "
       "l'identifiant externe, l'e-mail ou le SIRET\u00a0: l'importer de nouveau ajoute chaque ligne une seconde fois. "
       "Associez à external_id la colonne qui identifie chaque ligne pour qu'elle mette à jour sa fiche, ou vérifiez "
       "d'abord les doublons (e-mail, nom)"},
      {"this file was already imported into {entity} (run {run}, {created} created) and no column gives external_id: "
       "importing it again adds every row again. Map the column that identifies a row to external_id so that rows "
       "update their records",
       "ce fichier a déjà été importé dans {entity} (import {run}, {created}\u00a0créées) et aucune colonne ne donne "
       "l'identifiant externe\u00a0: l'importer de nouveau ajoute chaque ligne une seconde fois. Associez à "
       "external_id la colonne qui identifie chaque ligne pour qu'elle mette à jour sa fiche"},
      {"the import run {id} keeps starting and ending; try again",
       "l'import {id} ne cesse de démarrer et de s'arrêter\u00a0; réessayez"},
      {"--derive '{spec}': {reason}", "--derive «\u00a0{spec}\u00a0»\u00a0: {reason}"},
      {"write target=expression, e.g. street=concat(number, street_name)",
       "écrivez cible=expression, par exemple street=concat(numero, voie)"},
      {"the expression is empty", "l'expression est vide"},
      {"missing closing parenthesis", "il manque la parenthèse fermante"},
      {"unknown function '{function}'; use concat, coalesce, date or object",
       "fonction «\u00a0{function}\u00a0» inconnue\u00a0; utilisez concat, coalesce, date ou object"},
      {"date takes a column and a format, e.g. date(born, YYYYMMDD)",
       "date prend une colonne et un format, par exemple date(naissance, YYYYMMDD)"},
      {"the date format needs YYYY, MM and DD, e.g. YYYYMMDD or DD/MM/YYYY",
       "le format de date doit contenir YYYY, MM et DD, par exemple YYYYMMDD ou DD/MM/YYYY"},
      {"an argument is empty", "un argument est vide"},
      {"column '{column}' is derived twice", "la colonne «\u00a0{column}\u00a0» est calculée deux fois"},
      {"--derive {target}: the file has no column '{column}'",
       "--derive {target}\u00a0: le fichier n'a pas de colonne «\u00a0{column}\u00a0»"},
      {"'{value}' is not a date in the form {format}; left empty",
       "«\u00a0{value}\u00a0» n'est pas une date de la forme {format}\u00a0; laissée vide"},
      {"the mapping '{name}' belongs to another team; save yours under another name",
       "la correspondance «\u00a0{name}\u00a0» appartient à une autre équipe\u00a0; enregistrez la vôtre sous un autre nom"},
      {"belongs to another team", "appartient à une autre équipe"},
      {"use {entities}", "utilisez {entities}"},
      {"is required, at most 100 characters", "est obligatoire, 100\u00a0caractères au plus"},
      {"no saved mapping '{name}' for {entity}", "aucune correspondance «\u00a0{name}\u00a0» enregistrée pour {entity}"},
      {"your role ({role}) cannot import {entity}", "votre rôle ({role}) ne permet pas d'importer des {entity}"},
      {"another mapping of {entity} is named {name}; choose another name or replace it",
       "une autre correspondance de {entity} s'appelle {name}\u00a0; choisissez un autre nom ou remplacez-la"},
      {"already taken", "déjà pris"},
      {"mapping not found", "correspondance introuvable"},
      {"your role ({role}) cannot change this mapping",
       "votre rôle ({role}) ne permet pas de modifier cette correspondance"},
      {"another mapping of {entity} is named {name}", "une autre correspondance de {entity} s'appelle {name}"},
      {"your role ({role}) cannot delete this mapping",
       "votre rôle ({role}) ne permet pas de supprimer cette correspondance"},
      // Phones (core/validate)
      {"is empty", "est vide"},
      {"'{value}' is too long for a phone number", "«\u00a0{value}\u00a0» est trop long pour un numéro de téléphone"},
      {"'{value}' is too short for a phone number", "«\u00a0{value}\u00a0» est trop court pour un numéro de téléphone"},
      {"'{value}' is not a phone number", "«\u00a0{value}\u00a0» n'est pas un numéro de téléphone"},
      {"'{value}' is not a valid phone number (national numbers are read as {region}; add the country code, e.g. "
       "+44…)",
       "«\u00a0{value}\u00a0» n'est pas un numéro de téléphone attribué (les numéros nationaux sont lus comme "
       "{region}\u00a0; ajoutez l'indicatif du pays, par exemple +44…)"},
  };
  return m;
}

}  // namespace gz
