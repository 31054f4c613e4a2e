// Web-to-lead: the public form a company embeds in its own site (docs/sales.md, "Web-to-lead").
// A submission becomes a prospect in the one customer file — or, when the duplicate check finds
// the person already there, an interaction on the existing contact (the answer is the same, so
// the form never tells whether an address is known) — with its source, its consent as given
// (wording, date, origin) and a follow-up for the form's assignee. A honeypot field and a rate
// limit per client address answer spam and floods without writing a prospect; every accepted
// request is logged in lead_submissions.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http

namespace gz::modules::sales {

// At most this many submissions per client address in kLeadWindowSeconds; more are answered 429.
inline constexpr int kLeadsPerWindow = 5;
inline constexpr int64_t kLeadWindowSeconds = 600;

// The form's fields as received (first_name, last_name, email, phone, company, message,
// consent, website — the honeypot) from a public client.
struct LeadSubmission {
  std::string form_key;
  nlohmann::json fields = nlohmann::json::object();
  std::string client_address;
  std::string public_base_url;  // "https://crm.example.fr": the double opt-in's link
};
struct LeadOutcome {
  std::string outcome;  // created, attached, spam
  int64_t contact_id = 0;
  int64_t submission_id = 0;
};

// Throws Problem: NotFound for an unknown or inactive form, TooManyRequests beyond the rate
// limit, Unprocessable naming the fields.
LeadOutcome submit_lead(http::Services& s, const LeadSubmission& sub);

// The HTML of a form posting to action (the hosted page and the snippet).
std::string form_html(const nlohmann::json& form, const std::string& action);
// A new form's public key: 24 random hex digits.
std::string new_form_key();

void add_web_to_lead_routes(http::Api& api, http::Services& s);

}  // namespace gz::modules::sales
