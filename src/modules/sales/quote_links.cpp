#include "modules/sales/sales_store.h"
#include "modules/sales/quote_links.h"
#include "http/public_page.h"


#include "core/clock.h"
#include "core/message.h"
#include "core/money.h"
#include "core/text.h"
#include "domain/records.h"
#include "http/api.h"
#include "modules/sales/quote_pdf.h"
#include "modules/sales/sales_routes.h"
#include "modules/settings/company_settings.h"

namespace gz::modules::sales {

using http::html_escape;
using http::public_page;
using http::random_hex;

using json = nlohmann::json;
using money::format_money;

namespace {

std::string page(const std::string& title, const std::string& body) {
  return public_page(title, body, "46rem",
                     "table{border-collapse:collapse;width:100%}td,th{padding:.35rem .5rem;border-bottom:1px solid #e4e7eb;"
                     "text-align:left}td.n,th.n{text-align:right;white-space:nowrap}input[type=text]{width:100%;"
                     "max-width:24rem;padding:.5rem;font:inherit}.scroll{overflow-x:auto}");
}

// The link's quote, or null: unknown token.
json link_quote(store::Connection& c, const std::string& t) {
  json l = c.query_one("SELECT quote_id, used_at, accepted_name FROM quote_links WHERE token = ?", {t});
  if (l.is_null()) return l;
  json q = c.query_one("SELECT * FROM quotes WHERE id = ?", {l["quote_id"]});
  if (q.is_null()) return q;
  q["link"] = l;
  q["lines"] = c.query("SELECT description, quantity, unit_price_cents, discount_cents, vat_rate, total_cents FROM quote_lines "
                       "WHERE quote_id = ? ORDER BY line_no",
                       {l["quote_id"]});
  return q;
}

std::string fr_date(const json& d) {
  if (!d.is_string()) return "";
  return format_long_date(d.get<std::string>(), "fr");
}

std::string quote_html(const json& q, const std::string& t, const std::string& company) {
  const std::string cur = text_of(q, "currency", "EUR");
  std::string rows;
  for (const auto& l : q["lines"])
    rows += "<tr><td>" + html_escape(l.value("description", json()).is_string() ? l["description"].get<std::string>() : "") +
            "</td><td class=\"n\">" + std::to_string(l["quantity"].get<int64_t>()) + "</td><td class=\"n\">" +
            format_money(l["unit_price_cents"].get<int64_t>(), cur) + "</td><td class=\"n\">" +
            format_rate(l["vat_rate"].get<std::string>()) + "</td><td class=\"n\">" + format_money(l["total_cents"].get<int64_t>(), cur) +
            "</td></tr>";
  return "<h1>Devis " + html_escape(text_of(q, "number")) + "</h1><p>" + html_escape(company) + " — " +
         html_escape(q["title"].get<std::string>()) + "<br>Établi le " + fr_date(q["issued_on"]) + ", valable jusqu'au " +
         fr_date(q["valid_until"]) + ".</p><div class=\"scroll\"><table><thead><tr><th>Désignation</th><th class=\"n\">Qté</th>"
         "<th class=\"n\">Prix unitaire HT</th><th class=\"n\">TVA</th><th class=\"n\">Total HT</th></tr></thead><tbody>" + rows +
         "</tbody></table></div><p><strong>Total HT : " + format_money(q["subtotal_cents"].get<int64_t>(), cur) +
         "</strong><br>TVA : " + format_money(q["vat_cents"].get<int64_t>(), cur) + "<br><strong>Total TTC : " +
         format_money(q["total_cents"].get<int64_t>(), cur) + "</strong></p><p><a href=\"/q/" + t +
         "/pdf\">Télécharger le devis en PDF</a></p>";
}

}  // namespace

void add_quote_link_routes(http::Api& api, http::Services& s) {
  api.add({"POST", "/api/v1/quotes/{id}/link",
           "A one-use link for the customer to read and accept the quote on line: url (/q/{token}); a draft quote "
           "becomes sent", "quotes", true, "", "", [&s](http::RequestContext& ctx) {
             const kernel::Entity& e = kernel::entity("quotes");
             const int64_t id = ctx.id_param();
             json q = store::with_transaction(s.db, true, [&](store::Connection& c) {
               json rec = domain::RecordService::load_visible(c, ctx.actor, e, id);
               const std::string status = text_of(rec, "status");
               if (status != "draft" && status != "sent")
                 throw Problem(ProblemKind::Conflict, tr("only a draft or sent quote can be sent for acceptance"));
               if (status == "draft") rec = domain::RecordService::update_in(c, ctx.actor, e, id, {{"status", "sent"}}, std::nullopt, false);
               const std::string t = random_hex(16);
               c.execute("INSERT INTO quote_links (token, quote_id, created_at, created_by) VALUES (?, ?, ?, ?)",
                         {t, id, clock::now_utc(), ctx.actor.user_id});
               rec["token"] = t;
               return rec;
             });
             http::send_json(ctx.res, 201, {{"url", http::public_base_url(ctx.req) + "/q/" + q["token"].get<std::string>()}, {"status", q["status"]}});
           }, 201});
  api.add({"GET", "/q/{token}", "The quote as its customer reads it, with the form to accept it", "quotes", false, "", "",
           [&s](http::RequestContext& ctx) {
             const std::string t = ctx.path_param(0);
             std::string company, today;
             json q = store::with_transaction(s.db, false, [&](store::Connection& c) {
               json settings = settings::read_company_settings(c);
               today = settings::company_today(c);
               company = settings.value("company_name", json()).is_string() ? settings["company_name"].get<std::string>() : "";
               return link_quote(c, t);
             });
             if (q.is_null()) throw Problem(ProblemKind::NotFound, tr("this link does not exist"));
             std::string body = quote_html(q, t, company);
             if (q["status"] == "accepted")
               body += "<p class=\"ok\">Devis accepté le " + fr_date(q["accepted_at"].is_string() ? json(q["accepted_at"].get<std::string>().substr(0, 10)) : json()) +
                       (q["accepted_by_name"].is_string() ? " par " + html_escape(q["accepted_by_name"].get<std::string>()) : "") + ".</p>";
             else if (q["status"] != "sent" || q["link"]["used_at"].is_string())
               body += "<p class=\"err\">Ce devis ne peut plus être accepté en ligne. Contactez votre interlocuteur.</p>";
             else if (q["valid_until"].is_string() && q["valid_until"].get<std::string>() < today)
               body += "<p class=\"err\">Ce devis a expiré le " + fr_date(q["valid_until"]) + ". Contactez votre interlocuteur.</p>";
             else
               body += "<form method=\"post\" action=\"/q/" + t + "/accept\"><label for=\"name\">Votre nom et votre fonction</label>"
                       "<input type=\"text\" id=\"name\" name=\"name\" required maxlength=\"200\" autocomplete=\"name\">"
                       "<p><input type=\"checkbox\" id=\"ok\" name=\"agree\" required> <label for=\"ok\" style=\"display:inline;"
                       "font-weight:400\">Bon pour accord : j'accepte ce devis et ses conditions.</label></p>"
                       "<button type=\"submit\">Accepter le devis</button></form>";
             ctx.res.status = 200;
             ctx.res.set_content(page("Devis " + text_of(q, "number"), body), "text/html; charset=utf-8");
           }, 200});
  api.add({"GET", "/q/{token}/pdf", "The quote's PDF, for its customer", "quotes", false, "", "", [&s](http::RequestContext& ctx) {
             const std::string t = ctx.path_param(0);
             json q = store::with_transaction(s.db, false, [&](store::Connection& c) { return link_quote(c, t); });
             if (q.is_null()) throw Problem(ProblemKind::NotFound, tr("this link does not exist"));
             std::string number;
             std::string pdf = render_stored_quote_pdf(s.db, q["id"].get<int64_t>(), number);
             ctx.res.status = 200;
             ctx.res.set_header("Content-Disposition", "inline; filename=\"Devis " + number + ".pdf\"");
             ctx.res.set_content(pdf, "application/pdf");
           }, 200});
  api.add({"POST", "/q/{token}/accept", "The customer accepts the quote (an HTML form: name, agree)", "quotes", false, "", "",
           [&s](http::RequestContext& ctx) {
             const std::string t = ctx.path_param(0);
             httplib::Params form;
             httplib::detail::parse_query_text(ctx.req.body, form);
             std::string name = form.count("name") ? text::trim(form.find("name")->second) : "";
             const bool agreed = form.count("agree") > 0;
             const std::string address = http::client_address(s, ctx.req);
             std::string outcome = store::with_transaction(s.db, true, [&](store::Connection& c) -> std::string {
               json q = link_quote(c, t);
               if (q.is_null()) throw Problem(ProblemKind::NotFound, tr("this link does not exist"));
               if (q["link"]["used_at"].is_string() || q["status"] != "sent") return "used";
               if (q["valid_until"].is_string() && q["valid_until"].get<std::string>() < settings::company_today(c)) return "expired";
               if (name.empty() || text::length(name) > 200 || !agreed) return "incomplete";
               domain::RecordService::update_in(c, domain::system_actor(), kernel::entity("quotes"), q["id"].get<int64_t>(),
                                                {{"status", "accepted"}, {"accepted_by_name", name}}, std::nullopt, false);
               c.execute("UPDATE quote_links SET used_at = ?, accepted_name = ?, accepted_address = ? WHERE token = ?",
                         {clock::now_utc(), name, address, t});
               return "accepted";
             });
             ctx.res.status = outcome == "accepted" ? 200 : outcome == "incomplete" ? 422 : 409;
             const std::string msg =
                 outcome == "accepted" ? "<h1>Merci</h1><p class=\"ok\">Votre accord est enregistré. Nous revenons vers vous pour la suite.</p>"
                 : outcome == "incomplete" ? "<h1>Accord incomplet</h1><p class=\"err\">Indiquez votre nom et cochez « Bon pour accord ».</p>"
                                             "<p><a href=\"/q/" + t + "\">Revenir au devis</a></p>"
                 : outcome == "expired" ? "<h1>Devis expiré</h1><p class=\"err\">Ce devis n'est plus valable. Contactez votre interlocuteur.</p>"
                                        : "<h1>Déjà traité</h1><p class=\"err\">Ce lien a déjà servi ou ce devis ne peut plus être accepté en ligne.</p>";
             ctx.res.set_content(page("Devis", msg), "text/html; charset=utf-8");
           }, 200});
}

}  // namespace gz::modules::sales
