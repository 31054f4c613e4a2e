#include "modules/sales/sales_store.h"
#include "http/public_page.h"
#include "modules/sales/web_to_lead.h"
#include "domain/jobs.h"
#include "modules/email/email_service.h"
#include "modules/settings/company_settings.h"


#include "core/clock.h"
#include "core/message.h"
#include "core/text.h"
#include "domain/record_entry.h"
#include "domain/records.h"
#include "http/api.h"
#include "store/record_store.h"

namespace gz::modules::sales {

using http::html_escape;
using http::public_page;
using http::random_hex;

using json = nlohmann::json;

namespace {

std::string field(const json& f, const char* k) {
  const json& v = f.value(k, json());
  return v.is_string() ? text::trim(v.get<std::string>()) : "";
}

bool checked(const json& f, const char* k) {
  const json& v = f.value(k, json());
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    std::string s = text::fold(v.get<std::string>());
    return s == "on" || s == "true" || s == "1" || s == "oui" || s == "yes";
  }
  return false;
}

json find_form(store::Connection& c, const std::string& key) {
  return c.query_one("SELECT id, name, active, campaign, medium, assignee_id, assignment, team_id, consent_text, thank_you_text, "
                     "redirect_url, double_optin FROM lead_forms WHERE form_key = ?",
                     {key});
}

int64_t log_submission(store::Connection& c, int64_t form_id, const LeadSubmission& sub, const std::string& outcome,
                       int64_t contact_id, const json& form) {
  json payload = sub.fields;
  payload.erase("website");
  payload["consent_text_shown"] = form.value("consent_text", json());
  const std::string now = clock::now_utc();
  return c.insert(
      "INSERT INTO lead_submissions (form_id, received_at, client_address, outcome, contact_id, payload, version, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
      {form_id, now, sub.client_address, outcome, contact_id ? json(contact_id) : json(), payload.dump(), now, now});
}

// Who gets a new prospect: the form's assignee, the salesperson of the territory its postcode
// falls in (the longest prefix wins), or the next salesperson of the form's team in turn; the
// assignee when neither applies.
json assign_prospect(store::Connection& c, const json& form, const std::string& postcode) {
  const json fallback = form.value("assignee_id", json());
  const std::string mode = text_of(form, "assignment", "assignee");
  if (mode == "territory" && !postcode.empty()) {
    std::string best;
    json who = fallback;
    for (const auto& t : c.query("SELECT user_id, postcode_prefixes FROM sales_territories WHERE active <> 0 ORDER BY id")) {
      json prefixes = t["postcode_prefixes"].is_string() ? json::parse(t["postcode_prefixes"].get<std::string>(), nullptr, false) : t["postcode_prefixes"];
      if (!prefixes.is_array()) continue;
      for (const auto& p : prefixes)
        if (p.is_string() && postcode.rfind(p.get<std::string>(), 0) == 0 && p.get<std::string>().size() > best.size()) {
          best = p.get<std::string>();
          who = t["user_id"];
        }
    }
    return who;
  }
  if (mode == "round_robin" && form.value("team_id", json()).is_number_integer()) {
    auto members = c.query("SELECT id FROM users WHERE team_id = ? AND active <> 0 AND role IN ('sales', 'manager') ORDER BY id",
                           {form["team_id"]});
    if (members.empty()) return fallback;
    json last = c.query_one("SELECT last_user_id FROM sales_round_robin WHERE team_id = ?", {form["team_id"]});
    json next = members.front()["id"];
    if (!last.is_null())
      for (const auto& m : members)
        if (m["id"].get<int64_t>() > last["last_user_id"].get<int64_t>()) {
          next = m["id"];
          break;
        }
    c.execute("INSERT INTO sales_round_robin (team_id, last_user_id) VALUES (?, ?) ON CONFLICT (team_id) DO UPDATE SET "
              "last_user_id = excluded.last_user_id",
              {form["team_id"], next});
    return next;
  }
  return fallback;
}

}  // namespace

LeadOutcome submit_lead(http::Services& s, const LeadSubmission& sub) {
  const json& f = sub.fields;
  json form = store::with_transaction(s.db, false, [&](store::Connection& c) { return find_form(c, sub.form_key); });
  if (form.is_null() || form["active"] == 0 || form["active"] == false)
    throw Problem(ProblemKind::NotFound, tr("this form does not exist or no longer takes requests"));
  const int64_t form_id = form["id"].get<int64_t>();
  // Floods: counted per client address over the window, refused without writing anything.
  const std::string since = clock::format_utc(clock::now_unix() - kLeadWindowSeconds);
  json recent = store::with_transaction(s.db, false, [&](store::Connection& c) {
    return c.query_one("SELECT COUNT(*) AS n FROM lead_submissions WHERE client_address = ? AND received_at >= ? AND form_id = ?",
                       {sub.client_address, since, form_id});
  });
  if (recent["n"].get<int64_t>() >= kLeadsPerWindow)
    throw Problem(ProblemKind::TooManyRequests, tr("too many requests from your address: try again in a few minutes"));
  // The honeypot: a field hidden from people that robots fill in. Answered as a success.
  if (!field(f, "website").empty()) {
    int64_t id = store::with_transaction(s.db, true, [&](store::Connection& c) { return log_submission(c, form_id, sub, "spam", 0, form); });
    return {"spam", 0, id};
  }
  FieldErrors errors;
  const std::string first = field(f, "first_name"), last = field(f, "last_name"), email = field(f, "email"),
                    phone = field(f, "phone"), company = field(f, "company"), message = field(f, "message"),
                    postcode = field(f, "postcode");
  if (last.empty()) errors.add("last_name", tr("Last name"), tr("is required"));
  if (email.empty() && phone.empty()) errors.add("email", tr("E-mail"), tr("give an e-mail address or a phone number"));
  if (text::length(postcode) > 20) errors.add("postcode", tr("must be at most {max} characters", {{"max", 20}}));
  for (const auto& [k, v] : {std::pair{"first_name", first}, {"last_name", last}, {"company", company}})
    if (text::length(v) > 200) errors.add(k, tr("must be at most {max} characters", {{"max", 200}}));
  if (text::length(message) > 5000) errors.add("message", tr("must be at most {max} characters", {{"max", 5000}}));
  errors.throw_if_any();

  const domain::Actor system = domain::system_actor();
  const kernel::Entity& contacts = kernel::entity("contacts");
  json person = {{"first_name", first.empty() ? json() : json(first)}, {"last_name", last}};
  if (!email.empty()) person["emails"] = {email};
  if (!phone.empty()) person["phones"] = {phone};
  // A person already in the file gets the request on their timeline instead of a second record.
  int64_t existing = 0;
  if (const auto& check = s.entries.duplicate_check(); check && check.applies(contacts)) {
    domain::EntryCandidates found = check.find(system, contacts, person, 0, "fr");
    if (found.probable) existing = found.best_id;
  }
  const std::string now = clock::now_utc();
  email::EmailService mail(s.db);
  const bool double_optin = form.value("double_optin", json(0)) == 1 && checked(f, "consent") && !email.empty() && !existing &&
                            mail.notification_mailbox().has_value();
  LeadOutcome lead = store::with_transaction(s.db, true, [&](store::Connection& c) {
    const json assignee = existing ? form.value("assignee_id", json()) : assign_prospect(c, form, postcode);
    int64_t contact_id = existing;
    json account_id;
    if (!existing) {
      json input = person;
      input["lifecycle_stage"] = "prospect";
      input["source_type"] = "web_form";
      input["source_campaign"] = form.value("campaign", json());
      input["source_medium"] = form.value("medium", json());
      input["lead_form_id"] = form_id;
      if (!postcode.empty()) input["postcode"] = postcode;
      if (assignee.is_number_integer()) input["owner_id"] = assignee;
      if (!company.empty()) {
        json acc = c.query_one("SELECT id FROM accounts WHERE name = ? AND archived_at IS NULL ORDER BY id LIMIT 1", {company});
        account_id = acc.is_null() ? domain::RecordService::create_in(c, system, kernel::entity("accounts"),
                                                                      {{"name", company}, {"lifecycle_stage", "prospect"},
                                                                       {"source_type", "web_form"}, {"lead_form_id", form_id},
                                                                       {"owner_id", input.value("owner_id", json())}})["id"]
                                   : acc["id"];
        input["account_id"] = account_id;
      }
      // With a double opt-in (and a mailbox that sends automatic messages), the consent counts
      // once the person confirms it by the link of the e-mail sent below.
      if (checked(f, "consent") && !email.empty() && !double_optin)
        input["consent"] = {{"email", {{"status", "granted"}, {"date", now}, {"origin", "web form"}}}};
      contact_id = domain::RecordService::create_in(c, system, contacts, input)["id"].get<int64_t>();
    }
    // The request itself, on the person's timeline, with the consent wording they were shown.
    std::string content = message;
    if (checked(f, "consent") && form["consent_text"].is_string())
      content += std::string(content.empty() ? "" : "\n\n") + "Consentement donné : « " + form["consent_text"].get<std::string>() + " »";
    domain::RecordService::create_in(c, system, kernel::entity("interactions"),
                                     {{"contact_id", contact_id}, {"channel", "web"}, {"direction", "inbound"},
                                      {"subject", "Formulaire « " + form["name"].get<std::string>() + " »"},
                                      {"content", content.empty() ? json() : json(content)},
                                      {"user_id", assignee.is_number_integer() ? assignee : json()}});
    // Nothing forgotten: a follow-up for whoever the form gives its prospects to.
    if (assignee.is_number_integer())
      domain::RecordService::create_in(c, system, kernel::entity("tasks"),
                                       {{"title", "Rappeler " + (first.empty() ? last : first + " " + last) + " (formulaire web)"},
                                        {"contact_id", contact_id}, {"assignee_id", assignee}, {"priority", "high"},
                                        {"due_date", settings::company_today(c)}});
    std::string outcome = existing ? "attached" : "created";
    int64_t id = log_submission(c, form_id, sub, outcome, contact_id, form);
    return LeadOutcome{outcome, contact_id, id};
  });
  if (double_optin) {
    domain::JobQueue queue(s.db);
    mail.send_optin_request(lead.contact_id, email, form["name"].get<std::string>(), queue, sub.public_base_url);
  }
  return lead;
}

namespace {

std::string page(const std::string& title, const std::string& body) {
  return public_page(title, body, "32rem",
                     "input,textarea{width:100%;padding:.5rem;box-sizing:border-box;font:inherit}"
                     ".hp{position:absolute;left:-9999px}.consent label{font-weight:400;display:inline}");
}

}  // namespace

// The form's HTML, as served at /forms/{key} and as the snippet an admin copies.
std::string form_html(const json& form, const std::string& action) {
  std::string consent = text_of(form, "consent_text");
  return "<form method=\"post\" action=\"" + html_escape(action) + "\" accept-charset=\"utf-8\">\n"
         "  <label for=\"gz-first\">Prénom</label><input id=\"gz-first\" name=\"first_name\" autocomplete=\"given-name\">\n"
         "  <label for=\"gz-last\">Nom *</label><input id=\"gz-last\" name=\"last_name\" required autocomplete=\"family-name\">\n"
         "  <label for=\"gz-email\">E-mail</label><input id=\"gz-email\" name=\"email\" type=\"email\" autocomplete=\"email\">\n"
         "  <label for=\"gz-phone\">Téléphone</label><input id=\"gz-phone\" name=\"phone\" type=\"tel\" autocomplete=\"tel\">\n"
         "  <label for=\"gz-company\">Société</label><input id=\"gz-company\" name=\"company\" autocomplete=\"organization\">\n"
         "  <label for=\"gz-postcode\">Code postal</label><input id=\"gz-postcode\" name=\"postcode\" autocomplete=\"postal-code\" maxlength=\"20\">\n"
         "  <label for=\"gz-message\">Votre demande</label><textarea id=\"gz-message\" name=\"message\" rows=\"4\"></textarea>\n"
         "  <div class=\"hp\" aria-hidden=\"true\"><label for=\"gz-website\">Site web</label>"
         "<input id=\"gz-website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></div>\n" +
         (consent.empty() ? std::string()
                          : "  <p class=\"consent\"><input id=\"gz-consent\" name=\"consent\" type=\"checkbox\"> <label "
                            "for=\"gz-consent\">" + html_escape(consent) + "</label></p>\n") +
         "  <button type=\"submit\">Envoyer</button>\n</form>";
}

void add_web_to_lead_routes(http::Api& api, http::Services& s) {
  api.add({"POST", "/api/v1/public/forms/{key}",
           "A submission of a public web-to-lead form (no authentication; JSON or an HTML form post): first_name, "
           "last_name, email, phone, company, message, consent; website is a honeypot. Answers the same whether the "
           "person was known or not",
           "lead_forms", false, "", "", [&s](http::RequestContext& ctx) {
             bool html = false;
             LeadSubmission sub;
             sub.form_key = ctx.path_param(0);
             sub.client_address = http::client_address(s, ctx.req);
             sub.public_base_url = http::public_base_url(ctx.req);
             try {
               sub.fields = http::posted_fields(ctx.req, html);
               submit_lead(s, sub);
             } catch (const Problem& p) {
               if (!html) throw;
               std::string items;
               for (const auto& e : p.fields()) items += "<li>" + html_escape(e.render("fr")) + "</li>";
               ctx.res.status = p.kind() == ProblemKind::TooManyRequests ? 429 : p.kind() == ProblemKind::NotFound ? 404 : 422;
               ctx.res.set_content(page("Demande non envoyée", "<h1>Votre demande n'a pas été envoyée</h1><p class=\"err\">" +
                                                                    html_escape(p.detail("fr")) + "</p><ul class=\"err\">" + items +
                                                                    "</ul><p><a href=\"javascript:history.back()\">Revenir au formulaire</a></p>"),
                                   "text/html; charset=utf-8");
               return;
             }
             json form = store::with_transaction(s.db, false, [&](store::Connection& c) { return find_form(c, sub.form_key); });
             const std::string thanks = form.value("thank_you_text", json()).is_string() ? form["thank_you_text"].get<std::string>()
                                                                                          : "Merci, votre demande a bien été reçue. Nous vous recontactons rapidement.";
             if (!html) {
               http::send_json(ctx.res, 200, {{"message", thanks}});
             } else if (form.value("redirect_url", json()).is_string()) {
               ctx.res.status = 303;
               ctx.res.set_header("Location", form["redirect_url"].get<std::string>());
             } else {
               ctx.res.status = 200;
               ctx.res.set_content(page("Merci", "<h1>Merci</h1><p>" + html_escape(thanks) + "</p>"), "text/html; charset=utf-8");
             }
           }, 200});
  api.add({"GET", "/forms/{key}",
           "The public web-to-lead form as a page of its own (to link to or show in an iframe)", "lead_forms", false, "", "",
           [&s](http::RequestContext& ctx) {
             std::string key = ctx.path_param(0);
             json form = store::with_transaction(s.db, false, [&](store::Connection& c) { return find_form(c, key); });
             if (form.is_null() || form["active"] == 0 || form["active"] == false)
               throw Problem(ProblemKind::NotFound, tr("this form does not exist or no longer takes requests"));
             ctx.res.status = 200;
             ctx.res.set_content(page(form["name"].get<std::string>(),
                                      "<h1>" + html_escape(form["name"].get<std::string>()) + "</h1>" +
                                          form_html(form, "/api/v1/public/forms/" + key)),
                                 "text/html; charset=utf-8");
           }, 200});
  api.add({"GET", "/api/v1/lead_forms/{id}/snippet",
           "What to paste in the company's own site for this form: html (a form posting to this server) and iframe "
           "(the hosted page); base: this server's public address as the browser reached it",
           "lead_forms", true, "", "", [&s](http::RequestContext& ctx) {
             auto rec = s.records.get(ctx.actor, kernel::entity("lead_forms"), ctx.id_param());
             if (!rec)
               throw Problem(ProblemKind::NotFound, tr("form {id} does not exist", {{"id", std::to_string(ctx.id_param())}}));
             const std::string base = http::public_base_url(ctx.req);
             std::string key = (*rec)["form_key"].get<std::string>();
             http::send_json(ctx.res, 200,
                             {{"url", base + "/forms/" + key},
                              {"html", form_html(*rec, base + "/api/v1/public/forms/" + key)},
                              {"iframe", "<iframe src=\"" + base + "/forms/" + key +
                                             "\" title=\"" + html_escape((*rec)["name"].get<std::string>()) +
                                             "\" style=\"width:100%;max-width:34rem;height:40rem;border:0\"></iframe>"}});
           }});
}

// A form's public key: 24 random hex digits, unguessable, set once when the form is made.
std::string new_form_key() { return random_hex(12); }

}  // namespace gz::modules::sales
