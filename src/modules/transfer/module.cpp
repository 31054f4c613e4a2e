#include "modules/transfer/module.h"

#include "cli/cli.h"
#include "cli/wiring.h"
#include "domain/import_runs.h"
#include "http/api.h"

namespace gz::modules::transfer {

namespace {

// The French of the messages of routes_transfer.cpp and cmd_transfer.cpp (core/message.h); those
// of the import itself (domain/import_*, io/csv) are in core/messages_fr.cpp.
std::vector<std::pair<std::string, std::string>> messages_fr() {
  return {
      {"--map takes column=field (or column=- to skip it), not '{value}'",
       "--map prend colonne=champ (ou colonne=- pour l'ignorer), pas «\u00a0{value}\u00a0»"},
      {"progress: {rows} rows, {percent}% of the file, {rate} rows/s",
       "avancement\u00a0: {rows}\u00a0lignes, {percent}\u00a0% du fichier, {rate}\u00a0lignes/s"},
      {"{percent}%  {rows} rows  {rate} rows/s", "{percent}\u00a0%  {rows}\u00a0lignes  {rate}\u00a0lignes/s"},
      {"{kind} {n}", "{kind} {n}"},
      {"--set takes field=value, not '{value}'", "--set prend champ=valeur, pas «\u00a0{value}\u00a0»"},
      {"mapping '{name}' saved for {entity}", "correspondance «\u00a0{name}\u00a0» enregistrée pour {entity}"},
      {"--check-duplicates applies to contacts and accounts, not {entity}",
       "--check-duplicates vaut pour les contacts et les comptes, pas pour {entity}"},
      {"file read as {encoding} (detected{bom}), separator {separator}",
       "fichier lu en {encoding} (détecté{bom}), séparateur {separator}"},
      {"file read as {encoding} (as asked{bom}), separator {separator}",
       "fichier lu en {encoding} (comme demandé{bom}), séparateur {separator}"},
      {", with a byte-order mark", ", avec une marque d'ordre des octets (BOM)"},
      {"columns read by their usual names: {columns}", "colonnes lues d'après leur nom usuel\u00a0: {columns}"},
      {"resumed run {run} after line {line}", "reprise de l'import {run} après la ligne {line}"},
      {"line {line}: {message}", "ligne {line}\u00a0: {message}"},
      {"line {line}, {column}: {message}", "ligne {line}, {column}\u00a0: {message}"},
      {"  … and {n} more errors", "  … et {n}\u00a0autres erreurs"},
      {"created {created}, updated {updated}, unchanged {unchanged}, rejected {rejected} ({rows} rows read)",
       "créées {created}, mises à jour {updated}, inchangées {unchanged}, rejetées {rejected} ({rows}\u00a0lignes lues)"},
      {"dry run: {counts}", "essai à blanc\u00a0: {counts}"},
      {"{n} rows matched stored records by e-mail or SIRET and were left as they were (--on-match skip)",
       "{n}\u00a0lignes correspondent à des fiches existantes par l'e-mail ou le SIRET et les ont laissées telles "
       "quelles (--on-match skip)"},
      {"{n} rows matched stored records by e-mail or SIRET and updated them (--on-match update)",
       "{n}\u00a0lignes correspondent à des fiches existantes par l'e-mail ou le SIRET et les ont mises à jour "
       "(--on-match update)"},
      {"  {n} {entity} created for references that did not exist",
       "  {n} {entity} créé(e)s pour des références qui n'existaient pas"},
      {"{n} warnings: {kinds}", "{n}\u00a0avertissements\u00a0: {kinds}"},
      {"{n} warnings: {kinds}; see {file}", "{n}\u00a0avertissements\u00a0: {kinds}\u00a0; voir {file}"},
      {"dry run: nothing was written", "essai à blanc\u00a0: rien n'a été écrit"},
      {"rejected rows: see {file} (the rows as they are in the file, with the reason in a last column: correct them "
       "and import that file again)",
       "lignes rejetées\u00a0: voir {file} (les lignes telles qu'elles sont dans le fichier, avec le motif en "
       "dernière colonne\u00a0: corrigez-les et importez ce fichier de nouveau)"},
      {"--all-or-nothing: nothing was written", "--all-or-nothing\u00a0: rien n'a été écrit"},
      {"--format xlsx writes a file: give it with --output FILE.xlsx",
       "--format xlsx écrit un fichier\u00a0: donnez-le avec --output FICHIER.xlsx"},
      {"'{entity}' cannot be imported or exported; use {entities}",
       "«\u00a0{entity}\u00a0» ne s'importe ni ne s'exporte\u00a0; utilisez {entities}"},
      {"no uploaded file '{upload}'; upload it again", "aucun fichier envoyé «\u00a0{upload}\u00a0»\u00a0; envoyez-le de nouveau"},
      {"unknown or expired upload", "envoi inconnu ou expiré"},
      {"'{id}' is not an id", "«\u00a0{id}\u00a0» n'est pas un numéro"},
      {"map takes column:field (or column:- to skip it), not '{value}'",
       "map prend colonne:champ (ou colonne:- pour l'ignorer), pas «\u00a0{value}\u00a0»"},
      {"use column:field", "utilisez colonne:champ"},
      {"the request body is empty; send the CSV file", "le corps de la requête est vide\u00a0; envoyez le fichier CSV"},
      {"the request body is empty; send the file", "le corps de la requête est vide\u00a0; envoyez le fichier"},
      {"duplicates are checked for contacts and accounts", "les doublons se vérifient pour les contacts et les comptes"},
      {"must be contacts or accounts", "doit être contacts ou accounts"},
      {"file_name must be a UTF-8 text of at most 500 bytes", "file_name doit être un texte UTF-8 de 500\u00a0octets au plus"},
      {"at most 500 bytes of UTF-8 text", "500\u00a0octets de texte UTF-8 au plus"},
      {"check_duplicates applies to contacts and accounts", "check_duplicates vaut pour les contacts et les comptes"},
      {"applies to contacts and accounts, not {entity}", "vaut pour les contacts et les comptes, pas pour {entity}"},
      {"format must be csv or xlsx", "le format doit être csv ou xlsx"},
      {"csv or xlsx", "csv ou xlsx"},
  };
}

}  // namespace

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "transfer";
    m.label = {"Import et export", "Import and export"};
    m.depends = {"users", "customers", "duplicates"};
    m.routes = http::add_transfer_routes;            // routes_transfer.cpp
    m.commands = cli::add_transfer_commands;         // cmd_transfer.cpp: import, export
    m.jobs = [](domain::JobHandlers& h) {            // import runs of the wizard
      domain::add_import_run_handler(h, cli::import_duplicate_check());
    };
    m.messages_fr = messages_fr();
    return m;
  }();
  return m;
}

}  // namespace gz::modules::transfer
