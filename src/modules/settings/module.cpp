#include "modules/settings/module.h"

#include "http/api.h"
#include "modules/settings/company_settings.h"

namespace gz::modules::settings {

namespace {

// At most one row (id = 1), written by the first PATCH; until then GET answers the defaults. The
// migration inserts none, so that a freshly migrated database stays empty (gazelle migrate-data
// copies into an empty target only).
const char* kSqlite = R"(
CREATE TABLE company_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  company_name TEXT, siret TEXT, vat_number TEXT, address TEXT, postal_code TEXT, city TEXT,
  country TEXT NOT NULL DEFAULT 'FR',
  time_zone TEXT NOT NULL DEFAULT 'Europe/Paris',
  currency TEXT NOT NULL DEFAULT 'EUR',
  language TEXT NOT NULL DEFAULT 'fr',
  version INTEGER NOT NULL DEFAULT 1, updated_at TEXT, updated_by INTEGER REFERENCES users(id));
)";

const char* kPostgresql = R"(
CREATE TABLE company_settings (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  company_name TEXT COLLATE "C", siret TEXT COLLATE "C", vat_number TEXT COLLATE "C", address TEXT COLLATE "C",
  postal_code TEXT COLLATE "C", city TEXT COLLATE "C",
  country TEXT COLLATE "C" NOT NULL DEFAULT 'FR',
  time_zone TEXT COLLATE "C" NOT NULL DEFAULT 'Europe/Paris',
  currency TEXT COLLATE "C" NOT NULL DEFAULT 'EUR',
  language TEXT COLLATE "C" NOT NULL DEFAULT 'fr',
  version BIGINT NOT NULL DEFAULT 1, updated_at TEXT COLLATE "C", updated_by BIGINT REFERENCES users(id));
)";

void add_routes(http::Api& api, http::Services& s) {
  api.add({"GET", "/api/v1/settings/company",
           "The company settings (every logged-in user): company_name, siret, vat_number, address, postal_code, city, "
           "country, time_zone (IANA), currency (ISO 4217), language, version",
           "settings", true, "", "", [&s](http::RequestContext& ctx) {
             json body = CompanySettingsService(s.db).get();
             ctx.res.set_header("ETag", "\"" + std::to_string(body.value("version", int64_t(0))) + "\"");
             http::send_json(ctx.res, 200, body);
           }});
  api.add({"PATCH", "/api/v1/settings/company",
           "Change the company settings (admin): any of company_name, siret (SIREN or SIRET), vat_number, address, "
           "postal_code, city, country, time_zone (a known IANA zone), currency (ISO 4217), language (fr, en); "
           "If-Match: the version read",
           "settings", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             json body = CompanySettingsService(s.db).update(ctx.actor, b, http::if_match_version(ctx.req));
             ctx.res.set_header("ETag", "\"" + std::to_string(body.value("version", int64_t(0))) + "\"");
             http::send_json(ctx.res, 200, body);
           }, 200});
}

}  // namespace

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "settings";
    m.label = {"Paramètres", "Settings"};
    m.depends = {"users"};
    m.migrations = {{"sqlite", 1, "company_settings", kSqlite}, {"postgresql", 1, "company_settings", kPostgresql}};
    m.routes = add_routes;
    m.messages_fr = {
        {"must be a string or null", "doit être un texte ou null"},
        {"must be at most {max} characters", "doit faire au plus {max} caractères"},
        {"'{value}' is not a known time zone (e.g. Europe/Paris)",
         "«\u00a0{value}\u00a0» n'est pas un fuseau horaire connu (par exemple Europe/Paris)"},
        {"must be fr or en", "doit être fr ou en"},
        {"'{value}' is not a valid VAT number (e.g. FR40303265045)",
         "«\u00a0{value}\u00a0» n'est pas un numéro de TVA valide (par exemple FR40303265045)"},
        {"only admins change the company settings", "seuls les administrateurs modifient les paramètres de l'entreprise"},
        {"the company settings were changed by someone else: reload them before saving",
         "les paramètres de l'entreprise ont été modifiés par quelqu'un d'autre : rechargez-les avant d'enregistrer"},
        {"unknown setting '{key}'", "paramètre inconnu «\u00a0{key}\u00a0»"},
        {"unknown setting", "paramètre inconnu"},
    };
    return m;
  }();
  return m;
}

}  // namespace gz::modules::settings
