// What contacts and accounts are matched on: fields, normalisation of stored records, blocking
// keys. Each key is a 64-bit hash tagged by its kind, so that equal keys of different kinds
// never meet in one block.
#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "modules/duplicates/engine.h"
#include "modules/duplicates/normalize.h"
#include "modules/duplicates/similarity.h"

namespace gz::matching {

using json = nlohmann::json;

namespace {

constexpr char kSep = '\x1f';

uint64_t hash_key(uint8_t kind, std::initializer_list<std::string_view> parts) {
  uint64_t h = 1469598103934665603ULL ^ kind;
  h *= 1099511628211ULL;
  for (auto p : parts) {
    for (unsigned char c : p) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xFF;
    h *= 1099511628211ULL;
  }
  return h;
}

template <class Fn>
void for_each_value(std::string_view s, Fn&& fn) {
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(kSep, i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) fn(s.substr(i, j - i));
    i = j + 1;
  }
}

std::string str(const json& rec, const char* key) {
  auto it = rec.find(key);
  return it != rec.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string join_values(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::string out;
  for (const auto& v : values) {
    if (v.empty()) continue;
    if (!out.empty()) out += kSep;
    out += v;
  }
  return out;
}

std::string first_word(std::string_view s) {
  size_t sp = s.find(' ');
  return std::string(s.substr(0, sp));
}

std::string_view prefix(std::string_view s, size_t n) { return s.substr(0, std::min(n, s.size())); }

// ---------------------------------------------------------------------------------------------
// Contacts: 0 first_name, 1 last_name, 2 birth_date, 3 street, 4 postcode, 5 city, 6 region,
// 7 emails, 8 phones (mobiles and numbers abroad: a person's), 9 identifiers, 10 landline
// (French fixed numbers: a home's).
//
// What a household shares: the family name, the address, the landline, sometimes an e-mail. What
// is a person's: the first name, the birth date, the mobile, identifiers.

enum : uint8_t { kSoundexNames = 1, kFrenchNames, kBirthDate, kIdentifier, kEmail, kPhone, kPostcodeLast,
                 kPostcodeFirst, kLastBirthYear, kStreetNumberPostcode, kNysiisLastFirstInitial, kFirstBirth,
                 kCompanyName, kCompanyFrench, kCompanyId, kDomain, kPostcodeCompany };

Profile make_contacts() {
  Profile p;
  p.entity = "contacts";
  auto field = [](const char* name, Compare how, int swap_with = -1, bool household = false) {
    FieldSpec f;
    f.name = name;
    f.compare = how;
    f.swap_with = swap_with;
    f.household = household;
    return f;
  };
  FieldSpec landline = field("landline", Compare::Phone, -1, true);
  landline.source = "phones";
  landline.qualifier_fr = "fixe";
  landline.qualifier_en = "landline";
  p.fields = {field("first_name", Compare::GivenName, 1), field("last_name", Compare::FamilyName, 0, true),
              field("birth_date", Compare::Date),         field("street", Compare::Address, -1, true),
              field("postcode", Compare::Code, -1, true), field("city", Compare::Text, -1, true),
              field("region", Compare::Code, -1, true),   field("emails", Compare::Email, -1, true),
              field("phones", Compare::Phone),            field("identifiers", Compare::Identifier),
              landline};
  p.sort_fields = {1, 0, 2};
  p.blocking_key_names = {"soundex(last name) + soundex(first name), order-free",
                          "French phonetic(last name) + French phonetic(first name), order-free",
                          "birth date + initial of the last name; birth date + initial of the first name",
                          "each identifier (name=value)",
                          "each e-mail address",
                          "each phone number",
                          "postcode + 2 first letters of the last name",
                          "postcode + 2 first letters of the first name",
                          "3 first letters of the last name + birth year",
                          "street number + postcode",
                          "NYSIIS(last name) + first initial",
                          "first name + birth month and day + last initial"};
  p.normalise = [](const json& r) {
    std::vector<std::string> v(11);
    v[0] = norm_name(str(r, "first_name"));
    v[1] = norm_name(str(r, "last_name"));
    v[2] = norm_date(str(r, "birth_date"));
    v[3] = norm_address(str(r, "street"));
    v[4] = norm_postcode(str(r, "postcode"));
    v[5] = norm_name(str(r, "city"));
    v[6] = norm_name(str(r, "region"));
    std::vector<std::string> emails, phones, landlines, ids;
    if (auto it = r.find("emails"); it != r.end() && it->is_array())
      for (const auto& e : *it)
        if (e.is_string()) emails.push_back(norm_email(e.get<std::string>()));
    if (auto it = r.find("phones"); it != r.end() && it->is_array())
      for (const auto& e : *it)
        if (e.is_string()) {
          // French numbers other than mobiles (06, 07) are fixed lines, shared by a home.
          std::string n = norm_phone(e.get<std::string>());
          bool fixed = n.size() == 11 && n.compare(0, 2, "33") == 0 && n[2] != '6' && n[2] != '7';
          (fixed ? landlines : phones).push_back(n);
        }
    if (auto it = r.find("identifiers"); it != r.end() && it->is_object())
      for (auto i = it->begin(); i != it->end(); ++i) {
        std::string value = i.value().is_string() ? i.value().get<std::string>() : i.value().dump();
        std::string nv = norm_identifier(value);
        if (!nv.empty()) ids.push_back(text::fold_words(i.key()) + "=" + nv);
      }
    v[7] = join_values(emails);
    v[8] = join_values(phones);
    v[9] = join_values(ids);
    v[10] = join_values(landlines);
    return v;
  };
  p.blocking_keys = [](const RecordSet& rs, uint32_t r, std::vector<uint64_t>& out) {
    std::string_view first = rs.value(r, 0), last = rs.value(r, 1), birth = rs.value(r, 2), street = rs.value(r, 3),
                     postcode = rs.value(r, 4);
    std::string fw = first_word(first), lw = first_word(last);
    if (!first.empty() || !last.empty()) {
      std::string a = soundex(fw), b = soundex(lw);
      if (a > b) std::swap(a, b);
      out.push_back(hash_key(kSoundexNames, {a, b}));
      std::string c = phonetic_fr(fw), d = phonetic_fr(lw);
      if (c > d) std::swap(c, d);
      out.push_back(hash_key(kFrenchNames, {c, d}));
    }
    if (!last.empty()) out.push_back(hash_key(kNysiisLastFirstInitial, {nysiis(lw), prefix(first, 1)}));
    if (!birth.empty()) {
      // A birth date alone is shared by ~50 people in a million: paired with an initial of
      // either name (a typo in both initials at once is rare).
      out.push_back(hash_key(kBirthDate, {birth, prefix(last, 1)}));
      out.push_back(hash_key(kBirthDate, {birth, "/", prefix(first, 1)}));
      if (!last.empty()) out.push_back(hash_key(kLastBirthYear, {prefix(last, 3), prefix(birth, 4)}));
      if (!first.empty() && birth.size() == 8) out.push_back(hash_key(kFirstBirth, {fw, birth.substr(4), prefix(last, 1)}));
    }
    for_each_value(rs.value(r, 9), [&](std::string_view v) { out.push_back(hash_key(kIdentifier, {v})); });
    for_each_value(rs.value(r, 7), [&](std::string_view v) { out.push_back(hash_key(kEmail, {v})); });
    for_each_value(rs.value(r, 8), [&](std::string_view v) { out.push_back(hash_key(kPhone, {v})); });
    for_each_value(rs.value(r, 10), [&](std::string_view v) { out.push_back(hash_key(kPhone, {v})); });
    if (!postcode.empty()) {
      if (!last.empty()) out.push_back(hash_key(kPostcodeLast, {postcode, prefix(last, 2)}));
      if (!first.empty()) out.push_back(hash_key(kPostcodeFirst, {postcode, prefix(first, 2)}));
      if (!street.empty() && std::isdigit(static_cast<unsigned char>(street[0])))
        out.push_back(hash_key(kStreetNumberPostcode, {first_word(street), postcode}));
    }
  };
  p.display_name = [](const json& r) {
    std::string f = str(r, "first_name"), l = str(r, "last_name");
    return f.empty() ? l : l.empty() ? f : f + " " + l;
  };
  return p;
}

// ---------------------------------------------------------------------------------------------
// Accounts: 0 name, 1 legal_id, 2 phone, 3 website, 4 street, 5 postcode, 6 city.

Profile make_accounts() {
  Profile p;
  p.entity = "accounts";
  for (auto [name, how] : std::initializer_list<std::pair<const char*, Compare>>{
           {"name", Compare::Name}, {"legal_id", Compare::Code}, {"phone", Compare::Phone}, {"website", Compare::Code},
           {"street", Compare::Address}, {"postcode", Compare::Code}, {"city", Compare::Text}}) {
    FieldSpec f;
    f.name = name;
    f.compare = how;
    p.fields.push_back(f);
  }
  p.sort_fields = {0, 5};
  p.blocking_key_names = {"soundex of the first two words of the name (legal form removed)",
                          "French phonetic of the first word of the name",
                          "SIREN (SIRET's first 9 digits) or other legal id",
                          "phone number",
                          "web site domain",
                          "postcode + 3 first letters of the name"};
  p.normalise = [](const json& r) {
    std::vector<std::string> v(7);
    v[0] = norm_company_name(str(r, "name"));
    v[1] = norm_company_id(str(r, "legal_id"));
    v[2] = str(r, "phone").empty() ? "" : norm_phone(str(r, "phone"));
    v[3] = str(r, "website").empty() ? "" : norm_domain(str(r, "website"));
    v[4] = norm_address(str(r, "street"));
    v[5] = norm_postcode(str(r, "postcode"));
    v[6] = norm_name(str(r, "city"));
    return v;
  };
  p.blocking_keys = [](const RecordSet& rs, uint32_t r, std::vector<uint64_t>& out) {
    std::string_view name = rs.value(r, 0);
    if (!name.empty()) {
      auto words = address_tokens(name);
      std::string a = soundex(words[0]), b = words.size() > 1 ? soundex(words[1]) : "";
      out.push_back(hash_key(kCompanyName, {a, b}));
      out.push_back(hash_key(kCompanyFrench, {phonetic_fr(words[0])}));
    }
    if (!rs.value(r, 1).empty()) out.push_back(hash_key(kCompanyId, {rs.value(r, 1)}));
    if (!rs.value(r, 2).empty()) out.push_back(hash_key(kPhone, {rs.value(r, 2)}));
    if (!rs.value(r, 3).empty()) out.push_back(hash_key(kDomain, {rs.value(r, 3)}));
    if (!rs.value(r, 5).empty() && !name.empty()) out.push_back(hash_key(kPostcodeCompany, {rs.value(r, 5), prefix(name, 3)}));
  };
  p.display_name = [](const json& r) { return str(r, "name"); };
  return p;
}

}  // namespace

const Profile* find_profile(std::string_view entity) {
  static const Profile contacts = make_contacts();
  static const Profile accounts = make_accounts();
  if (entity == "contacts") return &contacts;
  if (entity == "accounts") return &accounts;
  return nullptr;
}

}  // namespace gz::matching
