// The public request form (/support, docs/service.md "Cases"): a customer writes to the service
// without an account; the request becomes a case of channel web for the contact of that address
// (a new contact when none has it). A hidden field that people leave empty catches robots.
#include "core/json_text.h"
#include "core/message.h"
#include "core/validate.h"
#include "domain/records.h"
#include "http/public_page.h"
#include "modules/email/email_service.h"
#include "modules/email/email_store.h"
#include "modules/service/service.h"

namespace gz::modules::service {

namespace {

const char* kFormCss =
    "input,textarea{width:100%;padding:.5rem;box-sizing:border-box;font:inherit}textarea{min-height:8rem}"
    ".hp{position:absolute;left:-9999px}.err{color:#a40000;margin:.2rem 0 .6rem}";

std::string field_html(const std::string& id, const std::string& label, const std::string& type, const json& values,
                       const std::map<std::string, std::string>& errors, bool required) {
  const std::string value = http::html_escape(text_of(values, id.c_str()));
  std::string out = "<label for=\"f-" + id + "\">" + label + (required ? " *" : "") + "</label>";
  if (type == "textarea")
    out += "<textarea id=\"f-" + id + "\" name=\"" + id + "\"" + (required ? " required" : "") + " maxlength=\"5000\">" + value + "</textarea>";
  else
    out += "<input id=\"f-" + id + "\" name=\"" + id + "\" type=\"" + type + "\" value=\"" + value + "\"" + (required ? " required" : "") +
           " maxlength=\"200\">";
  auto e = errors.find(id);
  if (e != errors.end()) out += "<p class=\"err\">" + http::html_escape(e->second) + "</p>";
  return out;
}

}  // namespace

std::string support_form_page(const json& values, const std::map<std::string, std::string>& errors) {
  const std::string body =
      "<h1>Contacter le service client</h1><p>Décrivez votre demande : nous vous répondons par e-mail.</p>"
      "<form method=\"post\" action=\"/support\" accept-charset=\"utf-8\">" +
      field_html("first_name", "Prénom", "text", values, errors, false) + field_html("last_name", "Nom", "text", values, errors, true) +
      field_html("email", "E-mail", "email", values, errors, true) + field_html("phone", "Téléphone", "tel", values, errors, false) +
      field_html("subject", "Objet", "text", values, errors, true) + field_html("message", "Votre demande", "textarea", values, errors, true) +
      "<div class=\"hp\" aria-hidden=\"true\"><label for=\"f-website\">Site web</label>"
      "<input id=\"f-website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></div>"
      "<p><button type=\"submit\">Envoyer ma demande</button></p></form>";
  return http::public_page("Contacter le service client", body, "34rem", kFormCss);
}

json submit_support_form(store::Database& db, const json& f) {
  if (!text_of(f, "website").empty()) return json{{"ignored", true}};  // a robot filled the hidden field
  FieldErrors errors;
  auto text = [&](const char* k, size_t max, bool required) {
    std::string v = f.value(k, json()).is_string() ? f[k].get<std::string>() : "";
    if (required && v.find_first_not_of(" \t\r\n") == std::string::npos) errors.add(k, tr("is required"));
    if (v.size() > max) errors.add(k, tr("is too long"));
    return v;
  };
  const std::string first = text("first_name", 100, false), last = text("last_name", 100, true), address = text("email", 200, true),
                    phone = text("phone", 40, false), subject = text("subject", 200, true), message = text("message", 5000, true);
  if (!address.empty())
    if (auto why = validate::email(address)) errors.add("email", tr(*why));
  errors.throw_if_any();
  return store::with_transaction(db, true, [&](store::Connection& c) {
    const domain::Actor system = domain::system_actor();
    json contact;
    auto known = email::EmailStore::contacts_with_address(c, email::address_key(address));
    if (!known.empty()) contact = known.front();
    else {
      json in = {{"last_name", last}, {"emails", {address}}, {"lifecycle_stage", "prospect"}};
      if (!first.empty()) in["first_name"] = first;
      if (!phone.empty()) in["phones"] = {phone};
      contact = domain::RecordService::create_in(c, system, kernel::entity("contacts"), in);
    }
    json in = {{"subject", subject}, {"description", message}, {"channel", "web"}, {"contact_id", contact["id"]}};
    json cs = domain::RecordService::create_in(c, system, kernel::entity("cases"), in);
    record_case_event(c, cs["id"].get<int64_t>(), "customer_message", std::nullopt, {{"body", message}, {"channel", "web"}},
                      text_of(cs, "created_at"));
    return json{{"number", cs["number"]}, {"case_id", cs["id"]}};
  });
}

}  // namespace gz::modules::service
