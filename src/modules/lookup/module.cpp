#include "modules/lookup/module.h"

#include "http/api.h"
#include "modules/lookup/lookup.h"

namespace gz::modules::lookup {

namespace {

// Contacts hold a list of phones (JSON text, each number in E.164 as validate::phone wrote it):
// one row per (number, contact), kept by triggers so that no write path can forget it. Accounts
// hold one number: a partial index on the column itself. Existing bases are filled here.
const char* kSqlite = R"(
CREATE TABLE contact_phones (
  phone TEXT NOT NULL,
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  PRIMARY KEY (phone, contact_id)) WITHOUT ROWID;
CREATE INDEX contact_phones_contact ON contact_phones(contact_id);
CREATE TRIGGER contact_phones_insert AFTER INSERT ON contacts WHEN new.phones <> '[]' BEGIN
  INSERT OR IGNORE INTO contact_phones (phone, contact_id)
    SELECT j.value, new.id FROM json_each(CASE WHEN json_valid(new.phones) THEN new.phones ELSE '[]' END) j
    WHERE j.type = 'text';
END;
CREATE TRIGGER contact_phones_update AFTER UPDATE OF phones ON contacts WHEN old.phones IS NOT new.phones BEGIN
  DELETE FROM contact_phones WHERE contact_id = old.id;
  INSERT OR IGNORE INTO contact_phones (phone, contact_id)
    SELECT j.value, new.id FROM json_each(CASE WHEN json_valid(new.phones) THEN new.phones ELSE '[]' END) j
    WHERE j.type = 'text';
END;
CREATE TRIGGER contact_phones_delete AFTER DELETE ON contacts BEGIN
  DELETE FROM contact_phones WHERE contact_id = old.id;
END;
INSERT OR IGNORE INTO contact_phones (phone, contact_id)
  SELECT j.value, c.id FROM contacts c, json_each(CASE WHEN json_valid(c.phones) THEN c.phones ELSE '[]' END) j
  WHERE c.phones <> '[]' AND j.type = 'text';
CREATE INDEX accounts_phone ON accounts(phone) WHERE phone IS NOT NULL;
)";

const char* kPostgresql = R"(
CREATE TABLE contact_phones (
  phone TEXT COLLATE "C" NOT NULL,
  contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  PRIMARY KEY (phone, contact_id));
CREATE INDEX contact_phones_contact ON contact_phones(contact_id);
CREATE FUNCTION contact_phones_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.phones IS NOT DISTINCT FROM OLD.phones THEN RETURN NULL; END IF;
    DELETE FROM contact_phones WHERE contact_id = OLD.id;
  END IF;
  IF NEW.phones LIKE '[%' AND NEW.phones <> '[]' THEN
    INSERT INTO contact_phones (phone, contact_id)
      SELECT DISTINCT p, NEW.id FROM jsonb_array_elements_text(NEW.phones::jsonb) p WHERE p IS NOT NULL
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER contact_phones_sync AFTER INSERT OR UPDATE OF phones ON contacts
  FOR EACH ROW EXECUTE PROCEDURE contact_phones_sync();
INSERT INTO contact_phones (phone, contact_id)
  SELECT DISTINCT p, c.id FROM contacts c, jsonb_array_elements_text(c.phones::jsonb) p
  WHERE c.phones LIKE '[%' AND c.phones <> '[]' AND p IS NOT NULL
  ON CONFLICT DO NOTHING;
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
    m.migrations = {{"sqlite", 1, "contact_phones", kSqlite}, {"postgresql", 1, "contact_phones", kPostgresql}};
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
