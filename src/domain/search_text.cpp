#include "domain/search_text.h"

#include <cctype>

#include "core/text.h"
#include "core/validate.h"

namespace gz::domain {

using json = nlohmann::json;

namespace {

void add(std::string& body, const json& v) {
  if (!v.is_string()) return;
  std::string w = text::fold_words(v.get<std::string>());
  if (w.empty()) return;
  if (!body.empty()) body += ' ';
  body += w;
}

void add_phone(std::string& body, const json& v) {
  if (!v.is_string()) return;
  const std::string& e164 = v.get_ref<const std::string&>();
  body += ' ' + text::digits_only(e164) + ' ' + validate::phone_national_digits(e164);
}

void add_common(std::string& body, const json& r) {
  add(body, r.value("external_id", json()));
  add(body, r.value("city", json()));
  add(body, r.value("postcode", json()));
}

}  // namespace

std::string contact_search_body(const json& c, const std::string& account_name) {
  std::string body;
  add(body, c.value("first_name", json()));
  add(body, c.value("last_name", json()));
  if (c.contains("emails") && c["emails"].is_array())
    for (const auto& e : c["emails"]) add(body, e);  // "helene.lefevre@example.fr" -> "helene lefevre example fr"
  if (c.contains("phones") && c["phones"].is_array())
    for (const auto& p : c["phones"]) add_phone(body, p);
  add(body, json(account_name));
  add(body, c.value("job_title", json()));
  add_common(body, c);
  return body;
}

std::string account_search_body(const json& a) {
  std::string body;
  add(body, a.value("name", json()));
  if (a.value("legal_id", json()).is_string()) body += ' ' + text::digits_only(a["legal_id"].get<std::string>());
  add(body, a.value("website", json()));
  add_phone(body, a.value("phone", json()));
  add(body, a.value("industry", json()));
  add_common(body, a);
  return body;
}

std::string household_search_body(const json& h) {
  std::string body;
  add(body, h.value("name", json()));
  add_common(body, h);
  return body;
}

std::vector<std::vector<std::string>> parse_search_query(const std::string& q) {
  std::vector<std::vector<std::string>> groups;
  std::string digits = text::digits_only(q);
  bool phone_like = digits.size() >= 6;
  for (char c : q)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '+' || c == '.' || c == '-' || c == '(' ||
          c == ')' || c == '/'))
      phone_like = false;
  if (phone_like) {
    std::vector<std::string> alt{digits};
    auto r = validate::phone(q);
    if (r.error.empty()) {
      std::string e164 = text::digits_only(r.e164), national = validate::phone_national_digits(r.e164);
      if (e164 != digits) alt.push_back(e164);
      if (national != digits && national != e164) alt.push_back(national);
    }
    groups.push_back(alt);
    return groups;
  }
  for (auto& w : text::words(q)) {
    if (groups.size() >= 8) break;  // a longer query adds nothing but cost
    groups.push_back({w});
  }
  return groups;
}

}  // namespace gz::domain
