#include "modules/duplicates/reasons.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "domain/schema.h"

namespace gz::matching {

using json = nlohmann::json;

namespace {

int level_of(const std::string& name) {
  for (int l = 0; l < kLevels; ++l)
    if (name == level_name(l)) return l;
  return Missing;
}

// "Date de naissance" -> "date de naissance"; "SIREN / SIRET" stays. A list's label is plural
// ("E-mails", "Téléphones"): a reason is about one of its values.
std::string noun(const domain::Field* field, std::string_view lang) {
  if (!field) return "";
  std::string s = field->label.in(lang);
  if (s.size() >= 2 && std::isupper(static_cast<unsigned char>(s[0])) && !std::isupper(static_cast<unsigned char>(s[1])))
    s[0] = char(std::tolower(static_cast<unsigned char>(s[0])));
  bool list = field->kind == domain::FieldKind::EmailList || field->kind == domain::FieldKind::PhoneList ||
              field->kind == domain::FieldKind::TagList || field->kind == domain::FieldKind::Object;
  if (list && s.size() > 1 && s.back() == 's') s.pop_back();
  return s;
}

// French nouns of fields that are feminine ("date de naissance différente").
bool feminine(const std::string& noun) {
  std::string first = noun.substr(0, noun.find(' '));
  for (const char* w : {"date", "adresse", "ville", "région", "raison", "société", "commune", "rue", "entreprise"})
    if (first == w) return true;
  return false;
}

}  // namespace

std::string reason_text(const Profile& profile, const std::string& field, int level, std::string_view lang) {
  const bool fr = lang != "en";
  if (field == "household")
    return fr ? "peut-être deux personnes du même foyer" : "may be two people of one household";
  const FieldSpec* spec = nullptr;
  for (const auto& f : profile.fields)
    if (f.name == field) spec = &f;
  const domain::Entity& e = domain::entity(profile.entity);
  std::string n = noun(e.field(spec ? spec->source_field() : field), lang);
  if (n.empty()) n = field;
  if (spec && fr && !spec->qualifier_fr.empty()) n += " " + spec->qualifier_fr;      // téléphone fixe
  if (spec && !fr && !spec->qualifier_en.empty()) n = spec->qualifier_en + " " + n;  // landline phone
  bool fem = fr && feminine(n);
  switch (level) {
    case Exact: return fr ? "même " + n : "same " + n;
    case Close: return fr ? n + " proche" : "similar " + n;
    case Similar: return fr ? n + " assez proche" : "somewhat similar " + n;
    case Different: return fr ? n + (fem ? " différente" : " différent") : "different " + n;
    default: return fr ? n + " absent" : "no " + n;
  }
}

json reasons_json(const Profile& profile, const json& explanation, std::string_view lang) {
  struct Reason {
    std::string field;
    int level;
    double weight;
    bool agree;
  };
  std::vector<Reason> list;
  if (explanation.is_array())
    for (const auto& x : explanation) {
      if (!x.is_object()) continue;
      std::string field = x.value("field", "");
      double weight = x.value("weight", 0.0);
      if (field == "household") {
        if (weight <= -1) list.push_back({field, Missing, weight, false});
        continue;
      }
      int level = level_of(x.value("level", ""));
      if (level == Missing) continue;
      bool agree = weight > 0 || (weight == 0 && level >= Close);
      list.push_back({field, level, weight, agree});
    }
  std::stable_sort(list.begin(), list.end(), [](const Reason& a, const Reason& b) {
    if (a.agree != b.agree) return a.agree;
    return a.agree ? a.weight > b.weight : a.weight < b.weight;
  });
  json out = json::array();
  for (const auto& r : list)
    out.push_back({{"field", r.field},
                   {"agree", r.agree},
                   {"level", r.field == "household" ? "household" : level_name(r.level)},
                   {"text", reason_text(profile, r.field, r.level, lang)},
                   {"weight", std::round(r.weight * 100) / 100}});
  return out;
}

}  // namespace gz::matching
