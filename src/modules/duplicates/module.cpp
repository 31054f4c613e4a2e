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
    m.depends = {"users", "customers"};
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
    return m;
  }();
  return m;
}

}  // namespace gz::modules::duplicates
