// Sales routes: the kanban board's figures per stage, a quote's acceptance, the time an
// opportunity spent in each stage. Cards, lists and forms are the generic record routes.
#include "core/clock.h"
#include "core/text.h"
#include "core/zoned_time.h"
#include "domain/customer_view.h"
#include "domain/records.h"
#include "http/api.h"
#include "http/params.h"
#include "domain/jobs.h"
#include "modules/email/email_service.h"
#include "modules/sales/quote_pdf.h"
#include "modules/sales/rules.h"
#include "modules/sales/sales_routes.h"
#include "modules/sales/exchange_rates.h"
#include "modules/sales/sales_store.h"
#include "modules/settings/company_settings.h"
#include "store/history_store.h"
#include "store/record_store.h"

namespace gz::modules::sales {

using json = nlohmann::json;

namespace {

// The board of one pipeline: its stages in order, each with the count, amount and weighted
// amount (amount × probability) of the opportunities the reader sees, and how many are overdue.
json board(store::Database& db, const domain::Actor& actor, int64_t pipeline_id, std::optional<int64_t> owner_id) {
  const kernel::Entity& opp = kernel::entity("opportunities");
  if (domain::read_scope(actor, opp).none) throw Problem(ProblemKind::Forbidden, tr("your role cannot read opportunities"));
  int64_t id = pipeline_id;
  if (!id) {
    json first = store::with_transaction(db, false, [&](store::Connection& c) {
      return c.query_one("SELECT id FROM pipelines ORDER BY is_default DESC, id LIMIT 1");
    });
    // The first board ever opened makes the usual pipeline.
    id = first.is_null() ? store::with_transaction(db, true, [&](store::Connection& c) { return SalesStore::default_pipeline(c, actor); })
                         : first["id"].get<int64_t>();
  }
  return store::with_transaction(db, false, [&](store::Connection& c) {
    json pipeline = c.query_one("SELECT id, name, currency FROM pipelines WHERE id = ?", {id});
    if (pipeline.is_null())
      throw Problem(ProblemKind::NotFound, tr("pipeline {id} does not exist", {{"id", std::to_string(id)}}));
    store::Params vp;
    std::string visible = store::RecordStore::visibility_sql(opp, "o", domain::read_scope(actor, opp), vp);
    const std::string today = settings::company_today(c);
    auto figures = SalesStore::stage_figures(c, id, visible, vp, owner_id, today);
    json stages = json::array();
    int64_t open_amount = 0, open_weighted = 0, open_count = 0;
    for (auto s : SalesStore::stages(c, id)) {
      s["count"] = 0;
      s["amount_cents"] = 0;
      s["weighted_cents"] = 0;
      s["overdue"] = 0;
      for (const auto& f : figures)
        if (f["stage"] == s["key"]) {
          s["count"] = f["count"];
          s["amount_cents"] = f["amount_cents"];
          // Rounded half up to the cent: amount × probability / 100.
          const int64_t x100 = f["weighted_x100"].get<int64_t>();
          s["weighted_cents"] = (x100 + 50) / 100;
          s["overdue"] = f["overdue"];
        }
      if (s["outcome"] == "open") {
        open_count += s["count"].get<int64_t>();
        open_amount += s["amount_cents"].get<int64_t>();
        open_weighted += s["weighted_cents"].get<int64_t>();
      }
      stages.push_back(s);
    }
    json pipelines = c.query("SELECT id, name, is_default FROM pipelines ORDER BY name, id");
    return json{{"pipeline", pipeline}, {"pipelines", pipelines}, {"stages", stages}, {"today", today},
                {"currency", company_currency(c)},
                {"open", {{"count", open_count}, {"amount_cents", open_amount}, {"weighted_cents", open_weighted}}}};
  });
}

// Time spent in each stage, from the stage history (the current stage counts until now).
json stage_times(store::Database& db, domain::RecordService& records, const domain::Actor& actor, int64_t id) {
  const kernel::Entity& opp = kernel::entity("opportunities");
  auto rec = records.get(actor, opp, id);
  if (!rec)
    throw Problem(ProblemKind::NotFound, tr("opportunity {id} does not exist or is not visible to you", {{"id", std::to_string(id)}}));
  auto history = records.stage_history(actor, opp, id);
  json out = json::array();
  for (size_t i = 0; i < history.size(); ++i) {
    auto from = clock::parse_utc(history[i]["changed_at"].get<std::string>());
    auto to = i + 1 < history.size() ? clock::parse_utc(history[i + 1]["changed_at"].get<std::string>())
                                     : std::optional<int64_t>(clock::now_unix());
    out.push_back({{"stage", history[i]["stage"]}, {"entered_at", history[i]["changed_at"]},
                   {"left_at", i + 1 < history.size() ? history[i + 1]["changed_at"] : json()},
                   {"seconds", from && to ? *to - *from : 0}, {"user_id", history[i]["user_id"]}});
  }
  (void)db;
  return out;
}

std::vector<std::string> address_lines(const json& r, const char* street, const char* postcode, const char* city) {
  std::vector<std::string> out;
  if (r.value(street, json()).is_string()) {
    std::string line;
    for (char ch : r[street].get<std::string>() + "\n")
      if (ch == '\n') {
        if (!text::trim(line).empty()) out.push_back(text::trim(line));
        line.clear();
      } else if (ch != '\r') {
        line += ch;
      }
  }
  std::string town = (r.value(postcode, json()).is_string() ? r[postcode].get<std::string>() + " " : "") +
                     (r.value(city, json()).is_string() ? r[city].get<std::string>() : "");
  if (!town.empty()) out.push_back(town);
  return out;
}

// The quote as the customer receives it: the company's identity and legal mentions from the
// company settings, the customer's name and address, the lines and the stored totals.
}  // namespace

std::string render_stored_quote_pdf(store::Database& db, int64_t id, std::string& number) {
  auto q = domain::RecordService(db).get(domain::system_actor(), kernel::entity("quotes"), id);
  if (!q) throw Problem(ProblemKind::NotFound, tr("quote {id} does not exist or is not visible to you", {{"id", std::to_string(id)}}));
  return store::with_transaction(db, false, [&](store::Connection& c) {
    json company = settings::read_company_settings(c);
    QuoteDocument doc;
    doc.language = text_of(company, "language", "fr");
    doc.company.name = company.value("company_name", json()).is_string() ? company["company_name"].get<std::string>() : "";
    doc.company.address_lines = address_lines(company, "address", "postal_code", "city");
    std::string legal = company.value("siret", json()).is_string() ? company["siret"].get<std::string>() : "";
    if (legal.size() == 14) doc.company.siret = legal, doc.company.siren = legal.substr(0, 9);
    else doc.company.siren = legal;
    if (company.value("vat_number", json()).is_string()) doc.company.vat_number = company["vat_number"].get<std::string>();
    if ((*q).value("payment_terms", json()).is_string()) doc.company.payment_terms = (*q)["payment_terms"].get<std::string>();
    if ((*q)["account_id"].is_number_integer()) {
      json a = c.query_one("SELECT name, street, postcode, city FROM accounts WHERE id = ?", {(*q)["account_id"]});
      if (!a.is_null()) {
        doc.customer.name = a["name"].get<std::string>();
        doc.customer.address_lines = address_lines(a, "street", "postcode", "city");
      }
    }
    if ((*q)["contact_id"].is_number_integer()) {
      json p = c.query_one("SELECT first_name, last_name, street, postcode, city FROM contacts WHERE id = ?", {(*q)["contact_id"]});
      if (!p.is_null()) {
        std::string name = (p["first_name"].is_string() ? p["first_name"].get<std::string>() + " " : "") + p["last_name"].get<std::string>();
        if (doc.customer.name.empty()) {
          doc.customer.name = name;
          doc.customer.address_lines = address_lines(p, "street", "postcode", "city");
        } else {
          doc.customer.address_lines.insert(doc.customer.address_lines.begin(), "À l'attention de " + name);
        }
      }
    }
    number = text_of((*q), "number");
    doc.number = number;
    doc.issue_date = text_of((*q), "issued_on");
    doc.valid_until = text_of((*q), "valid_until");
    doc.currency = text_of((*q), "currency", "EUR");
    const std::string exemption = (*q).value("vat_exemption", json()).is_string() ? (*q)["vat_exemption"].get<std::string>() : "";
    for (const auto& l : (*q)["lines"]) {
      QuoteDocumentLine d;
      d.description = l.value("description", json()).is_string() ? l["description"].get<std::string>() : "";
      d.quantity = l["quantity"].get<int64_t>();
      d.unit_price_cents = l["unit_price_cents"].get<int64_t>();
      d.discount_cents = l["discount_cents"].get<int64_t>();
      d.vat_rate = l["vat_rate"].get<std::string>();
      d.vat_exemption = d.vat_rate == "0" ? exemption : "";
      doc.lines.push_back(d);
    }
    if ((*q).value("notes", json()).is_string()) doc.notes = (*q)["notes"].get<std::string>();
    compute_totals(doc);
    return render_quote_pdf(doc);
  });
}

namespace {

namespace {

// The quote as the actor may see it; a 404 otherwise.
json visible_quote(domain::RecordService& records, const domain::Actor& actor, int64_t id) {
  auto q = records.get(actor, kernel::entity("quotes"), id);
  if (!q) throw Problem(ProblemKind::NotFound, tr("quote {id} does not exist or is not visible to you", {{"id", std::to_string(id)}}));
  return *q;
}

}  // namespace

std::string quote_pdf(store::Database& db, domain::RecordService& records, const domain::Actor& actor, int64_t id,
                      std::string& number) {
  visible_quote(records, actor, id);
  return render_stored_quote_pdf(db, id, number);
}

}  // namespace

ReportPeriod report_period(store::Database& db, const httplib::Request& req) {
  const std::string today = company_today(db);
  return {http::query_date(req, "from").value_or(zoned::next_date(today, -365)), http::query_date(req, "to").value_or(today)};
}

std::string customer_entity_param(const httplib::Request& req) {
  std::string entity = http::query_text(req, "entity", "contacts");
  if (entity != "contacts" && entity != "accounts")
    throw Problem(ProblemKind::BadRequest, tr("entity must be contacts or accounts"), {{"entity", tr("must be contacts or accounts")}});
  return entity;
}

void add_sales_routes(http::Api& api, http::Services& s) {
  api.add({"GET", "/api/v1/sales/board",
           "The kanban board of a pipeline (pipeline_id, default the default pipeline; owner_id to see one "
           "salesperson's): its stages in order with count, amount_cents, weighted_cents (amount × probability) and "
           "overdue of the opportunities you see; the cards are GET /api/v1/opportunities?pipeline_id=…&stage=…",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::reject_unknown_params(ctx.req, {"pipeline_id", "owner_id"});
             int64_t pipeline = http::query_id(ctx.req, "pipeline_id", 0, "a pipeline id");
             int64_t owner = http::query_id(ctx.req, "owner_id", 0, "a user id");
             http::send_json(ctx.res, 200, board(s.db, ctx.actor, pipeline, owner ? std::optional<int64_t>(owner) : std::nullopt));
           }});
  api.add({"GET", "/api/v1/opportunities/{id}/stage-times",
           "Time the opportunity spent in each stage, oldest first: stage, entered_at, left_at (null for the current "
           "one), seconds",
           "opportunities", true, "", "", [&s](http::RequestContext& ctx) {
             http::send_json(ctx.res, 200, {{"data", stage_times(s.db, s.records, ctx.actor, ctx.id_param())}});
           }});
  api.add({"GET", "/api/v1/quotes/{id}/pdf",
           "The quote as a PDF document (A4, French formats, VAT breakdown, the company's legal mentions)", "quotes", true,
           "", "", [&s](http::RequestContext& ctx) {
             std::string number;
             std::string pdf = quote_pdf(s.db, s.records, ctx.actor, ctx.id_param(), number);
             ctx.res.status = 200;
             ctx.res.set_header("Content-Disposition", "inline; filename=\"Devis " + number + ".pdf\"");
             ctx.res.set_content(pdf, "application/pdf");
           }});
  api.add({"POST", "/api/v1/quotes/{id}/send",
           "Sends the quote by e-mail with its PDF attached (the e-mail module: queued, sent over SMTP, on the "
           "customer's timeline); body {mailbox_id, to (default the quote's contact), cc, subject, body}; a draft "
           "becomes sent",
           "quotes", true, "", "", [&s](http::RequestContext& ctx) {
             json b = http::parse_json_body(ctx.req);
             http::reject_unknown_keys(b, {"mailbox_id", "to", "cc", "subject", "body"});
             const json q = visible_quote(s.records, ctx.actor, ctx.id_param());
             std::string number;
             std::string pdf = quote_pdf(s.db, s.records, ctx.actor, ctx.id_param(), number);
             email::SendRequest r;
             if (!b.contains("mailbox_id") || !b["mailbox_id"].is_number_integer())
               throw Problem(ProblemKind::Unprocessable, tr("is required"), {{"mailbox_id", tr("is required")}});
             r.mailbox_id = b["mailbox_id"].get<int64_t>();
             r.to = http::body_string(b, "to");
             r.cc = http::body_string(b, "cc");
             std::string first_name;
             if (q["contact_id"].is_number_integer()) {
               r.contact_id = q["contact_id"].get<int64_t>();
               if (auto c = s.records.get(ctx.actor, kernel::entity("contacts"), *r.contact_id)) {
                 if (r.to.empty() && (*c)["emails"].is_array() && !(*c)["emails"].empty()) r.to = (*c)["emails"][0].get<std::string>();
                 if ((*c)["first_name"].is_string()) first_name = (*c)["first_name"].get<std::string>();
               }
             }
             r.subject = http::body_string(b, "subject", "Devis " + number + " — " + q.value("title", std::string()));
             r.body = http::body_string(b, "body", "Bonjour" + (first_name.empty() ? std::string() : " " + first_name) +
                                                       ",\n\nVeuillez trouver ci-joint notre devis " + number +
                                                       ".\n\nJe reste à votre disposition pour toute question.\n\nBien cordialement,");
             r.attachments.push_back({"Devis " + number + ".pdf", "application/pdf", "", false, pdf, false});
             domain::JobQueue queue(s.db);
             json sent = email::EmailService(s.db).queue_send(ctx.actor, std::move(r), queue, http::public_base_url(ctx.req));
             if (q["status"] == "draft") s.records.update(ctx.actor, kernel::entity("quotes"), ctx.id_param(), {{"status", "sent"}}, std::nullopt);
             http::send_json(ctx.res, 202, sent);
           }, 202});
  api.add({"POST", "/api/v1/quotes/{id}/versions",
           "Make a new version of a quote (not accepted, not already replaced): a copy with its lines, the same number "
           "followed by -V2, -V3…, dated today, as a draft; the quote it replaces becomes superseded and stays as it was",
           "quotes", true, "", "quotes", [&s](http::RequestContext& ctx) {
             const kernel::Entity& quotes = kernel::entity("quotes");
             const json q = visible_quote(s.records, ctx.actor, ctx.id_param());
             json input = {{"previous_quote_id", q["id"]}, {"lines", json::array()}};
             for (const char* k : {"title", "opportunity_id", "contact_id", "account_id", "currency", "price_list_id",
                                   "vat_exemption", "payment_terms", "notes"})
               if (q.contains(k) && !q[k].is_null()) input[k] = q[k];
             for (const auto& l : q["lines"]) {
               json line = json::object();
               for (const char* k : {"product_id", "description", "quantity", "unit_price_cents", "discount_cents", "vat_rate"})
                 if (l.contains(k) && !l[k].is_null()) line[k] = l[k];
               input["lines"].push_back(line);
             }
             json rec = s.records.create(ctx.actor, quotes, input);
             ctx.res.set_header("Location", "/api/v1/quotes/" + std::to_string(rec["id"].get<int64_t>()));
             http::send_json(ctx.res, 201, rec);
           }, 201});
  api.add({"GET", "/api/v1/quotes/{id}/versions",
           "Every version of a quote the reader may see (same number), oldest first: number, revision, status, dates and "
           "totals",
           "quotes", true, "", "", [&s](http::RequestContext& ctx) {
             const kernel::Entity& quotes = kernel::entity("quotes");
             const json q = visible_quote(s.records, ctx.actor, ctx.id_param());
             const std::string base = quote_base_number(text_of(q, "number"));
             json out = json::array();
             store::with_transaction(s.db, false, [&](store::Connection& c) {
               for (const auto& r : c.query("SELECT id FROM quotes WHERE number = ? OR number LIKE ? ORDER BY revision, id",
                                            {base, base + "-V%"})) {
                 try {
                   json v = domain::RecordService::load_visible(c, ctx.actor, quotes, r["id"].get<int64_t>());
                   out.push_back({{"id", v["id"]}, {"number", v["number"]}, {"revision", v["revision"]}, {"status", v["status"]},
                                  {"issued_on", v["issued_on"]}, {"valid_until", v["valid_until"]}, {"currency", v["currency"]},
                                  {"subtotal_cents", v["subtotal_cents"]}, {"total_cents", v["total_cents"]}});
                 } catch (const Problem&) {  // a version out of the reader's reach is left out
                 }
               }
             });
             http::send_json(ctx.res, 200, {{"data", out}});
           }});
  api.add({"POST", "/api/v1/quotes/{id}/accept",
           "Record the customer's acceptance of a quote (accepted_by_name: who signed, default you): the quote "
           "becomes accepted, an order with its lines is made and its opportunity's amount follows it; If-Match: the "
           "version read",
           "quotes", true, "", "quotes", [&s](http::RequestContext& ctx) {
             json b = ctx.req.body.empty() ? json::object() : http::parse_json_body(ctx.req);
             json input = {{"status", "accepted"}};
             if (b.contains("accepted_by_name")) input["accepted_by_name"] = b["accepted_by_name"];
             json rec = s.records.update(ctx.actor, kernel::entity("quotes"), ctx.id_param(), input, http::if_match_version(ctx.req));
             rec = *s.records.get(ctx.actor, kernel::entity("quotes"), ctx.id_param());
             ctx.res.set_header("ETag", "\"" + std::to_string(rec.value("version", int64_t(0))) + "\"");
             http::send_json(ctx.res, 200, rec);
           }, 200});
}

void view360(domain::View360& v) {
  if (v.column != "contact_id" && v.column != "account_id") return;
  v.out["opportunities"] = v.related_json("opportunities", "-updated_at", 20);
  v.out["quotes"] = v.related_json("quotes", "-created_at", 10);
  if (v.column == "contact_id") {
    v.out["referrals"] = v.related_json("opportunities", "-updated_at", 20, "referred_by_contact_id");
    v.out["referral_rewards"] = v.related_json("referral_rewards", "-earned_on", 20);
    v.out["referral_rewards_received"] = v.related_json("referral_rewards", "-earned_on", 20, "referred_contact_id");
  }
}

std::vector<std::pair<std::string, std::string>> messages_fr() {
  return {
      {"a pipeline needs at least one stage", "un pipeline a au moins une étape"},
      {"'{value}' is not a rate: a number above 0 with at most 6 decimals, e.g. 0,9231",
       "«\u00a0{value}\u00a0» n'est pas un taux : un nombre supérieur à 0 avec 6\u00a0décimales au plus, par exemple 0,9231"},
      {"{currency} is the company's own currency: it needs no rate", "{currency} est la devise de la société : elle n'a pas de taux"},
      {"a rate for {currency} already starts on this day", "un taux pour {currency} commence déjà ce jour-là"},
      {"no exchange rate from {currency} to {company} is recorded (Sales › Exchange rates)",
       "aucun taux de change de {currency} en {company} n'est enregistré (Ventes › Taux de change)"},
      {"this version was replaced by a newer one: change the newer one",
       "cette version a été remplacée par une plus récente : modifiez la plus récente"},
      {"a quote is superseded when a new version of it is made, not by hand",
       "un devis est remplacé quand on en fait une nouvelle version, pas à la main"},
      {"is given when the new version is made, and does not change", "est donnée à la création de la nouvelle version et ne change plus"},
      {"a pipeline needs at least one open stage", "un pipeline a au moins une étape en cours"},
      {"must hold letters or digits", "doit contenir des lettres ou des chiffres"},
      {"'{key}' is already the code of another stage of this pipeline",
       "«\u00a0{key}\u00a0» est déjà le code d'une autre étape de ce pipeline"},
      {"must be a percentage from 0 to 100", "doit être un pourcentage de 0 à 100"},
      {"must be a number of days from 1 to 3650, or empty", "doit être un nombre de jours de 1 à 3\u202f650, ou rester vide"},
      {"{count} opportunities are in the stage '{key}': move them before removing it",
       "{count}\u00a0opportunités sont à l'étape «\u00a0{key}\u00a0» : déplacez-les avant de la supprimer"},
      {"pipeline {id} has no stages", "le pipeline {id} n'a pas d'étape"},
      {"'{stage}' is not a stage of this pipeline (its stages: {keys})",
       "«\u00a0{stage}\u00a0» n'est pas une étape de ce pipeline (ses étapes : {keys})"},
      {"is required when the opportunity is won or lost", "est obligatoire quand l'opportunité est gagnée ou perdue"},
      {"is required when the opportunity is lost (a coded reason, from the sales reasons)",
       "est obligatoire quand l'opportunité est perdue (un motif de la liste des motifs commerciaux)"},
      {"must not be negative", "ne doit pas être négatif"},
      {"must be an integer", "doit être un nombre entier"},
      {"product {id} does not exist", "le produit {id} n'existe pas"},
      {"no product has SKU '{sku}'", "aucun produit n'a la référence «\u00a0{sku}\u00a0»"},
      {"is required for a line without product", "est obligatoire pour une ligne sans produit"},
      {"must be a text of at most 500 characters", "doit être un texte de 500\u00a0caractères au plus"},
      {"must be a whole quantity from 1 to {max}", "doit être une quantité entière de 1 à {max}"},
      {"is required when no product gives the price", "est obligatoire quand aucun produit ne donne le prix"},
      {"must be an amount in cents from 0 to {max}", "doit être un montant en centimes de 0 à {max}"},
      {"'{value}' is not a French VAT rate: 20, 10, 5.5, 2.1 or 0",
       "«\u00a0{value}\u00a0» n'est pas un taux de TVA français : 20, 10, 5,5, 2,1 ou 0"},
      {"quantity × unit price exceeds {max} cents", "quantité × prix unitaire dépasse {max}\u00a0centimes"},
      {"must be an amount in cents from 0 to the line's amount", "doit être un montant en centimes de 0 au montant de la ligne"},
      {"an accepted quote does not change: make a new quote", "un devis accepté ne change plus : faites un nouveau devis"},
      {"must not be before the quote's date ({date})", "ne doit pas précéder la date du devis ({date})"},
      {"the price list is in {list}, the quote in {quote}", "la liste de prix est en {list}, le devis en {quote}"},
      {"the price list is not valid on {date}", "la liste de prix n'est pas valable le {date}"},
      {"is required when a line has the 0 % rate (the wording the document must carry)",
       "est obligatoire quand une ligne est à 0\u00a0% (la mention que le document doit porter)"},
      {"a quote is accepted with its lines", "un devis est accepté avec ses lignes"},
      {"Quote {number} accepted", "Devis {number} accepté"},
      {"must not be before the start of validity ({date})", "ne doit pas précéder le début de validité ({date})"},
      {"must be at least 1", "doit valoir au moins 1"},
      {"this product already has a price from this quantity in the list",
       "ce produit a déjà un prix à partir de cette quantité dans la liste"},
      {"quote {id} does not exist or is not visible to you", "le devis {id} n'existe pas ou ne vous est pas visible"},
      {"{param} must be a month written YYYY-MM", "{param} doit être un mois écrit AAAA-MM"},
      {"must be a month written YYYY-MM", "doit être un mois écrit AAAA-MM"},
      {"to must follow from, within three years", "to doit suivre from, à moins de trois ans"},
      {"must follow from, within three years", "doit suivre from, à moins de trois ans"},
      {"must be points, amount (cents) or percent (basis points of the deal)",
       "doit valoir points, amount (centimes) ou percent (points de base du montant de l'affaire)"},
      {"must be a whole number from 0 to 100000000", "doit être un nombre entier de 0 à 100\u202f000\u202f000"},
      {"this person already has a target for this month", "cette personne a déjà un objectif pour ce mois"},
      {"only a manager or an admin reassigns a salesperson's records",
       "seuls un responsable ou un administrateur réattribuent les fiches d'un commercial"},
      {"choose two different people", "choisissez deux personnes différentes"},
      {"user {id} does not exist", "l'utilisateur {id} n'existe pas"},
      {"must be a user id", "doit être l'identifiant d'un utilisateur"},
      {"your role cannot read {entity}", "votre rôle ne permet pas de lire les {entity}"},
      {"entity must be contacts or accounts", "entity doit valoir contacts ou accounts"},
      {"must be contacts or accounts", "doit valoir contacts ou accounts"},
      {"by must be source, owner or none", "by doit valoir source, owner ou none"},
      {"from must be a date on or before to", "from doit être une date antérieure ou égale à to"},
      {"must be a date on or before to", "doit être une date antérieure ou égale à to"},
      {"source must be one of the sources of a record", "source doit être l'une des origines d'une fiche"},
      {"must be one of the sources of a record", "doit être l'une des origines d'une fiche"},
      {"must be source, owner or none", "doit valoir source, owner ou none"},
      {"only a draft or sent quote can be sent for acceptance", "seul un devis en brouillon ou envoyé peut être soumis à acceptation"},
      {"this link does not exist", "ce lien n'existe pas"},
      {"web form requests are recorded by the form itself, not entered",
       "les demandes reçues par formulaire sont enregistrées par le formulaire lui-même, pas saisies"},
      {"your role cannot read opportunities", "votre rôle ne permet pas de lire les opportunités"},
      {"pipeline {id} does not exist", "le pipeline {id} n'existe pas"},
      {"this form does not exist or no longer takes requests", "ce formulaire n'existe pas ou ne reçoit plus de demandes"},
      {"too many requests from your address: try again in a few minutes",
       "trop de demandes depuis votre adresse : réessayez dans quelques minutes"},
      {"Last name", "Nom"},
      {"E-mail", "E-mail"},
      {"is required", "est obligatoire"},
      {"give an e-mail address or a phone number", "indiquez une adresse e-mail ou un numéro de téléphone"},
      {"must be at most {max} characters", "doit faire au plus {max} caractères"},
      {"form {id} does not exist", "le formulaire {id} n'existe pas"},
      {"only a manager or an admin changes the sales settings",
       "seuls un responsable ou un administrateur modifient les paramètres commerciaux"},
      {"must be a number of days from 1 to 365", "doit être un nombre de jours de 1 à 365"},
      {"must be true or false", "doit valoir vrai ou faux"},
      {"unknown setting '{key}'", "paramètre inconnu «\u00a0{key}\u00a0»"},
      {"opportunity {id} does not exist or is not visible to you",
       "l'opportunité {id} n'existe pas ou ne vous est pas visible"},
  };
}

}  // namespace gz::modules::sales
