#include "modules/duplicates/module.h"

#include "cli/cli.h"
#include "http/api.h"
#include "modules/duplicates/scan_job.h"

namespace gz::modules::duplicates {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "duplicates";
    m.messages_fr = {
      {"at most 50 records are merged at once", "50\u00a0fiches au plus sont fusionnées à la fois"},
      {"compare takes from 2 to 20 ids", "la comparaison prend de 2 à 20\u00a0identifiants"},
      {"entity must be contacts or accounts", "entity doit valoir contacts ou accounts"},
      {"entity must be contacts, accounts or households", "entity doit valoir contacts, accounts ou households"},
      {"give from 1 to 1000 ids", "donnez de 1 à 1000\u00a0identifiants"},
      {"give from 2 to 20 ids, comma-separated", "donnez de 2 à 20\u00a0identifiants, séparés par des virgules"},
      {"ids is required", "ids est obligatoire"},
      {"ids must list from 1 to 1000 record ids", "ids doit lister de 1 à 1000\u00a0identifiants de fiches"},
      {"is the survivor: a record cannot be merged with itself", "est la fiche conservée\u00a0: une fiche ne peut pas être fusionnée avec elle-même"},
      {"must be a non-empty list of record ids", "doit être une liste non vide d'identifiants de fiches"},
      {"must be a number (a score)", "doit être un nombre (un score)"},
      {"must be a record id", "doit être un identifiant de fiche"},
      {"must be an object: field name -> rule or record id", "doit être un objet\u00a0: nom de champ -> règle ou identifiant de fiche"},
      {"must be survivor, most_recent or most_complete", "doit valoir survivor, most_recent ou most_complete"},
      {"status must be proposed, review, dismissed or merged", "status doit valoir proposed, review, dismissed ou merged"},
      {"the body must be a JSON object (the record to check)", "le corps doit être un objet JSON (la fiche à vérifier)"},
      {"the body must be {\"entity\": \"contacts\"}", "le corps doit être {\"entity\": \"contacts\"}"},
      {"the body must be {\"entity\": …, \"ids\": [...]}", "le corps doit être {\"entity\": …, \"ids\": [...]}"},
      {"the body must be {\"survivor_id\": …, \"absorbed_ids\": [...], \"fields\": {...}}", "le corps doit être {\"survivor_id\": …, \"absorbed_ids\": [...], \"fields\": {...}}"},
      {"this cluster was merged; undo the merge instead", "ce groupe a été fusionné\u00a0; annulez plutôt la fusion"},
      {"use contacts or accounts", "utilisez contacts ou accounts"},
      {"use contacts, accounts or households", "utilisez contacts, accounts ou households"},
      {"use proposed, review, dismissed or merged", "utilisez proposed, review, dismissed ou merged"},
    };
    m.label = {"Doublons, fusion et purge", "Duplicates, merge and purge"};
    m.depends = {"users", "customers", "email"};  // email: the purge reads bounced addresses
    m.routes = [](http::Api& api, http::Services& s) {
      http::add_merge_routes(api, s);      // routes_merge.cpp
      http::add_duplicate_routes(api, s);  // routes_duplicates.cpp
    };
    m.commands = [](CLI::App& app, cli::CliContext& ctx, std::function<void()>& action) {
      cli::add_merge_commands(app, ctx, action);      // cmd_merge.cpp: merge, purge
      cli::add_duplicate_commands(app, ctx, action);  // cmd_duplicates.cpp: duplicates scan, check
    };
    m.jobs = matching::add_scan_job_handler;
    // The import's duplicate warnings (duplicates.cpp, import_duplicate_warnings).
    m.messages_fr.insert(m.messages_fr.end(), {
        {"very likely the same record as {name}", "très probablement la même fiche que {name}"},
        {"perhaps the same record as {name}", "peut-être la même fiche que {name}"},
        {"very likely the same record as {name} ({reasons})", "très probablement la même fiche que {name} ({reasons})"},
        {"perhaps the same record as {name} ({reasons})", "peut-être la même fiche que {name} ({reasons})"},
    });
    // Messages with arguments (issue 14: they were built by concatenation, in English only).
    m.messages_fr.insert(m.messages_fr.end(), {
        {"--field takes name=rule (survivor, most_recent, most_complete or a record id), not '{value}'",
         "--field attend nom=règle (survivor, most_recent, most_complete ou un identifiant de fiche), pas «\u00a0{value}\u00a0»"},
        {"a duplicate scan of {entity} is already {status} (job {id}); follow it at {url} rather than starting another",
         "une recherche de doublons ({entity}) est déjà à l'état {status} (tâche {id})\u00a0; suivez-la à {url} plutôt "
         "que d'en lancer une autre"},
        {"duplicate cluster {id} does not exist", "le groupe de doublons {id} n'existe pas"},
        {"duplicates are detected for contacts and accounts, not '{entity}'",
         "les doublons se détectent parmi les contacts et les comptes, pas «\u00a0{entity}\u00a0»"},
        {"id {id} is in use again; the merge cannot be undone",
         "l'identifiant {id} est de nouveau utilisé\u00a0; la fusion ne peut pas être annulée"},
        {"is required: a list of the ids of the {entity} records merged into the survivor",
         "est obligatoire\u00a0: la liste des identifiants des fiches «\u00a0{entity}\u00a0» fusionnées dans la fiche conservée"},
        {"is required: the id of the {entity} record that stays",
         "est obligatoire\u00a0: l'identifiant de la fiche «\u00a0{entity}\u00a0» conservée"},
        {"must be {entities}", "doit valoir {entities}"},
        {"is not a field a merge chooses for {entity}", "n'est pas un champ que la fusion choisit pour {entity}"},
        {"merge {id} does not exist or is not visible to you", "la fusion {id} n'existe pas ou n'est pas visible pour vous"},
        {"merge {id} does not exist", "la fusion {id} n'existe pas"},
        {"merge {id} was already undone on {date}", "la fusion {id} a déjà été annulée le {date}"},
        {"must be survivor, most_recent, most_complete or the id of one of the merged records, not {value}",
         "doit valoir survivor, most_recent, most_complete ou l'identifiant d'une des fiches fusionnées, pas {value}"},
        {"only admins and managers scan for duplicates and review them (your role: {role})",
         "seuls les administrateurs et les managers recherchent et examinent les doublons (votre rôle\u00a0: {role})"},
        {"reason '{reason}' does not apply to {entity}", "le motif «\u00a0{reason}\u00a0» ne s'applique pas à {entity}"},
        {"use entity, reason, inactive_years, after_id, limit", "utilisez entity, reason, inactive_years, after_id, limit"},
        {"use inactive, closed or bounced", "utilisez inactive, closed ou bounced"},
        {"use inactive or closed", "utilisez inactive ou closed"},
        {"scans of {entity} keep starting and ending; try again",
         "les recherches de doublons ({entity}) ne cessent de démarrer et de s'arrêter\u00a0; réessayez"},
        {"your role ({role}) cannot archive {entity}", "votre rôle ({role}) ne permet pas d'archiver les fiches «\u00a0{entity}\u00a0»"},
        {"your role ({role}) cannot merge {entity}", "votre rôle ({role}) ne permet pas de fusionner les fiches «\u00a0{entity}\u00a0»"},
        {"your role ({role}) cannot restore {entity}", "votre rôle ({role}) ne permet pas de restaurer les fiches «\u00a0{entity}\u00a0»"},
        {"{entity} are not archived", "les fiches «\u00a0{entity}\u00a0» ne s'archivent pas"},
        {"{entity} cannot be archived", "les fiches «\u00a0{entity}\u00a0» ne peuvent pas être archivées"},
        {"{entity} cannot be compared; compare {entities}", "les fiches «\u00a0{entity}\u00a0» ne se comparent pas\u00a0; comparez des {entities}"},
        {"{entity} cannot be merged; merge {entities}", "les fiches «\u00a0{entity}\u00a0» ne se fusionnent pas\u00a0; fusionnez des {entities}"},
        {"{entity} {id} is not archived", "{entity} n°\u00a0{id}\u00a0: la fiche n'est pas archivée"},
        {"{entity} {id} was changed by someone else meanwhile: try again",
         "{entity} n°\u00a0{id}\u00a0: modifié par quelqu'un d'autre entre-temps\u00a0: réessayez"},
        {"{entity} {id} was merged again since (merge {merge}): undo merge {merge} first",
         "{entity} n°\u00a0{id}\u00a0: fusionné de nouveau depuis (fusion {merge})\u00a0: annulez d'abord la fusion {merge}"},
        {"{entity} {id}, which kept the merged records, was deleted since: nothing to undo into",
         "{entity} n°\u00a0{id}, qui a gardé les fiches fusionnées, a été supprimé depuis\u00a0: la fusion n'a plus où être annulée"},
        {"{id} is given twice", "{id} est donné deux fois"},
        {"{n} candidate", "{n}\u00a0fiche candidate"},
        {"{n} candidates", "{n}\u00a0fiches candidates"},
        {" (more: raise --limit)", " (il y en a d'autres\u00a0: augmentez --limit)"},
        {"{name} must be record ids separated by commas", "{name} doit être des identifiants de fiches séparés par des virgules"},
    });
    return m;
  }();
  return m;
}

}  // namespace gz::modules::duplicates
