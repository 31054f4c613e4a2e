#include "modules/duplicates/normalize.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "core/validate.h"

namespace gz::matching {

std::string norm_name(std::string_view s) { return text::fold_words(s); }

std::string norm_email(std::string_view s) {
  std::string t = text::trim(s);
  for (auto& c : t) c = char(std::tolower(static_cast<unsigned char>(c)));
  return t;
}

std::string norm_phone(std::string_view s, const std::string& default_region) {
  std::string t = text::trim(s);
  if (t.empty()) return "";
  // Stored values are already E.164: skip libphonenumber for them (it costs microseconds).
  if (t[0] == '+' && t.size() >= 8 && std::all_of(t.begin() + 1, t.end(), ::isdigit)) return t.substr(1);
  auto r = validate::phone(t, default_region);
  if (r.e164.empty()) {
    // A number libphonenumber refuses (an unallocated range, a typo) is still compared: its
    // digits, written as E.164 when they look French ("+33 (0)7 11…", "0033 7 11…", "07 11…").
    std::string d = text::digits_only(t);
    if (d.rfind("0033", 0) == 0) d = d.substr(2);
    if (d.size() == 12 && d.rfind("330", 0) == 0) d = "33" + d.substr(3);
    if (default_region == "FR" && d.size() == 10 && d[0] == '0' && d[1] != '0') d = "33" + d.substr(1);
    return d.size() >= 6 ? d : "";
  }
  return r.e164.substr(1);
}

std::string norm_postcode(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) out += char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string norm_identifier(std::string_view s) {
  std::string f = text::fold(s), out;
  for (char c : f)
    if (std::isalnum(static_cast<unsigned char>(c))) out += char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string norm_company_id(std::string_view s) {
  std::string d = norm_identifier(s);
  if ((d.size() == 14 || d.size() == 9) && std::all_of(d.begin(), d.end(), ::isdigit)) return d.substr(0, 9);
  return d;
}

namespace {

const std::unordered_set<std::string>& legal_forms() {
  static const std::unordered_set<std::string> forms = {
      "sarl", "sas", "sasu", "sa", "eurl", "sci", "snc", "scop", "selarl", "ei", "eirl", "gie", "scp", "sca",
      "ltd", "limited", "inc", "incorporated", "llc", "plc", "llp", "corp", "corporation", "co", "company", "gmbh",
      "ag", "bv", "nv", "spa", "srl", "et", "and", "de", "du", "des", "la", "le", "les", "the", "cie", "compagnie",
      "societe", "ste", "groupe", "group"};
  return forms;
}

const std::unordered_map<std::string, std::string>& street_types() {
  static const std::unordered_map<std::string, std::string> m = {
      {"rue", "r"}, {"avenue", "av"}, {"ave", "av"}, {"av", "av"}, {"boulevard", "bd"}, {"bld", "bd"}, {"blvd", "bd"},
      {"boul", "bd"}, {"place", "pl"}, {"pl", "pl"}, {"chemin", "ch"}, {"che", "ch"}, {"chem", "ch"},
      {"impasse", "imp"}, {"allee", "all"}, {"allees", "all"}, {"route", "rte"}, {"quai", "qu"}, {"cours", "crs"},
      {"faubourg", "fg"}, {"fbg", "fg"}, {"square", "sq"}, {"residence", "res"}, {"lotissement", "lot"},
      {"street", "st"}, {"str", "st"}, {"road", "rd"}, {"drive", "dr"}, {"drv", "dr"}, {"lane", "ln"},
      {"court", "ct"}, {"crescent", "cres"}, {"cresent", "cres"}, {"terrace", "tce"}, {"terr", "tce"},
      {"circuit", "cct"}, {"close", "cl"}, {"parade", "pde"}, {"highway", "hwy"}, {"hway", "hwy"},
      {"grove", "gr"}, {"gve", "gr"}, {"square", "sq"}, {"way", "wy"}, {"mount", "mt"}, {"saint", "st"},
      {"sainte", "ste"}, {"north", "n"}, {"south", "s"}, {"east", "e"}, {"west", "w"}, {"apartment", "apt"},
      {"appartement", "apt"}, {"unit", "u"}, {"batiment", "bat"}, {"building", "bldg"},
      // French abbreviations of titles in street names (La Poste, NF Z10-011)
      {"general", "gal"}, {"marechal", "mal"}, {"docteur", "dr"}, {"president", "pdt"}, {"professeur", "pr"},
      {"commandant", "cdt"}, {"capitaine", "cne"}, {"lieutenant", "lt"}, {"colonel", "col"}};
  return m;
}

}  // namespace

std::string norm_company_name(std::string_view s) {
  std::string out;
  for (const auto& w : text::words(s)) {
    if (legal_forms().count(w)) continue;
    out += (out.empty() ? "" : " ") + w;
  }
  return out.empty() ? text::fold_words(s) : out;
}

std::string norm_address(std::string_view s) {
  std::string out;
  for (auto w : text::words(s)) {
    auto it = street_types().find(w);
    if (it != street_types().end()) w = it->second;
    // "12 bis" / "12 b" -> "12b", so the number stays one token.
    if ((w == "bis" || w == "ter" || w == "b" || w == "t") && !out.empty() && std::isdigit(static_cast<unsigned char>(out.back()))) {
      out += w[0];
      continue;
    }
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

std::vector<std::string> address_tokens(std::string_view normalised) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < normalised.size()) {
    size_t j = normalised.find(' ', i);
    if (j == std::string_view::npos) j = normalised.size();
    if (j > i) out.emplace_back(normalised.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string norm_date(std::string_view s) {
  std::string t = text::trim(s);
  std::string d;
  if (t.size() >= 10 && t[4] == '-' && t[7] == '-') d = t.substr(0, 4) + t.substr(5, 2) + t.substr(8, 2);
  else if (t.size() == 8) d = t;
  else return "";
  return std::all_of(d.begin(), d.end(), ::isdigit) ? d : "";
}

std::string norm_domain(std::string_view s) {
  std::string t = norm_email(s);
  if (auto at = t.rfind('@'); at != std::string::npos) t = t.substr(at + 1);
  if (auto p = t.find("://"); p != std::string::npos) t = t.substr(p + 3);
  if (auto p = t.find_first_of("/?#:"); p != std::string::npos) t.resize(p);
  if (t.rfind("www.", 0) == 0) t = t.substr(4);
  return t;
}

}  // namespace gz::matching
