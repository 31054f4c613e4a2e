#include "modules/lookup/module.h"

#include "http/api.h"
#include "modules/lookup/lookup.h"

namespace gz::modules::lookup {

namespace {

// Contacts hold a list of phones (JSON text, each number in E.164 as validate::phone wrote it on
// every write path), accounts one number. The indexes are the database's own, so that no write
// path (create, update, import, merge and its undo, demo generation, data copy) can leave them
// behind. SQLite: an expression index on each of the first three numbers of the list (partial:
// only contacts that have that many), and the few contacts with more than three numbers in a
// partial index of their own, read through json_each. (Triggers filling a side table were tried
// first: a trigger on contacts makes SQLite open a statement journal at every insert, which makes
// FTS5 flush the search index's pending terms at each row — the demo company's contacts took
// twice the CPU.) PostgreSQL: a GIN index on the list as jsonb. Accounts: the column itself.
const char* kSqlite = R"(
CREATE INDEX contacts_phone_1 ON contacts(json_extract(phones, '$[0]')) WHERE json_extract(phones, '$[0]') IS NOT NULL;
CREATE INDEX contacts_phone_2 ON contacts(json_extract(phones, '$[1]')) WHERE json_extract(phones, '$[1]') IS NOT NULL;
CREATE INDEX contacts_phone_3 ON contacts(json_extract(phones, '$[2]')) WHERE json_extract(phones, '$[2]') IS NOT NULL;
CREATE INDEX contacts_phone_more ON contacts(id) WHERE json_array_length(phones) > 3;
CREATE INDEX accounts_phone ON accounts(phone) WHERE phone IS NOT NULL;
)";

const char* kPostgresql = R"(
CREATE INDEX contacts_phones ON contacts USING gin ((phones::jsonb) jsonb_path_ops) WHERE phones <> '[]';
CREATE INDEX accounts_phone ON accounts(phone) WHERE phone IS NOT NULL;
)";

void add_routes(http::Api& api, http::Services& s) {
  api.add({"GET", "/api/v1/lookup/phone/{number}",
           "Caller look-up (CTI, docs/cti.md): the contacts and accounts you may see whose phone is this number, "
           "written in any form (06 12 34 56 78, +33612345678, 0033…, dots or dashes), each with its owner, value "
           "tier, open tasks and latest interactions; an unknown number gives empty lists, a text that is no phone "
           "number a 422 naming number",
           "lookup", true, "", "lookup", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {});
             http::send_json(ctx.res, 200, PhoneLookup(s.db).by_phone(ctx.actor, ctx.path_param(0)));
           }, 200});
}

}  // namespace

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "lookup";
    m.label = {"Identification de l'appelant", "Caller look-up"};
    m.depends = {"users", "customers", "activity"};
    m.routes = add_routes;
    m.migrations = {{"sqlite", 1, "phone_indexes", kSqlite}, {"postgresql", 1, "phone_indexes", kPostgresql},
                    // A short GIN pending list (migrations/postgresql/014_search_pending_list.sql).
                    {"postgresql", 2, "phone index pending list",
                     "ALTER INDEX contacts_phones SET (gin_pending_list_limit = 64);"}};
    m.messages_fr = {
        {"is not a phone number: only digits, spaces, dots, dashes, brackets and a leading + are read",
         "n'est pas un numéro de téléphone\u00a0: seuls les chiffres, espaces, points, tirets, parenthèses et un + initial sont lus"},
        {"is too long for a phone number (15 digits at most after the country code)",
         "est trop long pour un numéro de téléphone (15\u00a0chiffres au plus après l'indicatif du pays)"},
        {"is too short for a phone number (4 digits at least)",
         "est trop court pour un numéro de téléphone (4\u00a0chiffres au moins)"},
        {"is not a phone number", "n'est pas un numéro de téléphone"},
    };
    return m;
  }();
  return m;
}

}  // namespace gz::modules::lookup
