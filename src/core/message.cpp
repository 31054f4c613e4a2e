#include "core/message.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <ostream>
#include <shared_mutex>
#include <unordered_map>

namespace gz {

const std::string Message::empty_;

// The kernel's French templates (core/messages_fr.cpp).
const std::vector<std::pair<std::string, std::string>>& kernel_french_messages();

namespace {

struct Catalogue {
  std::shared_mutex mutex;
  std::unordered_map<std::string, std::string> fr;
};

Catalogue& catalogue() {
  static Catalogue* c = [] {
    auto* cat = new Catalogue();
    for (const auto& [en, fr] : kernel_french_messages()) cat->fr.emplace(en, fr);
    return cat;
  }();
  return *c;
}

// Groups of three digits separated by sep; "1234567" -> "1 234 567".
std::string group_thousands(const std::string& digits, const std::string& sep) {
  std::string out;
  size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

std::string format_number(double v, int decimals, std::string_view lang) {
  bool french = lang != "en";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
  std::string s = buf;
  std::string int_part = s, frac;
  if (auto dot = s.find('.'); dot != std::string::npos) {
    int_part = s.substr(0, dot);
    frac = s.substr(dot + 1);
  }
  // French groups with a narrow no-break space (U+202F), as the web's Intl.NumberFormat("fr-FR").
  std::string grouped = group_thousands(int_part, french ? "\u202f" : ",");
  std::string out = (v < 0 && std::round(std::fabs(v) * std::pow(10, decimals)) != 0) ? "-" : "";
  out += grouped;
  if (!frac.empty()) out += (french ? "," : ".") + frac;
  return out;
}

}  // namespace

Message Message::verbatim(std::string s) {
  Message m;
  m.kind_ = Kind::Verbatim;
  m.en_ = std::move(s);
  return m;
}

Message Message::both(std::string fr, std::string en) {
  Message m;
  m.kind_ = Kind::Both;
  m.fr_ = std::move(fr);
  m.en_ = std::move(en);
  return m;
}

Message Message::number(double v, int decimals) {
  Message m;
  m.kind_ = Kind::Number;
  m.number_ = v;
  m.decimals_ = decimals;
  return m;
}

Message& Message::arg(std::string name, Message value) {
  args_.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string Message::render(std::string_view lang) const {
  bool english = lang == "en";
  switch (kind_) {
    case Kind::Verbatim: return en_;
    case Kind::Both: return english || fr_.empty() ? (en_.empty() ? fr_ : en_) : fr_;
    case Kind::Number: return format_number(number_, decimals_, lang);
    case Kind::Template: break;
  }
  const std::string* tmpl = &en_;
  if (!english)
    if (const std::string* fr = french_template(en_)) tmpl = fr;
  if (args_.empty()) return *tmpl;
  // {name} is replaced by the argument of that name; an unknown {name} or a lone brace stays.
  std::string out;
  out.reserve(tmpl->size() + 32);
  for (size_t i = 0; i < tmpl->size();) {
    char c = (*tmpl)[i];
    if (c == '{') {
      size_t close = tmpl->find('}', i + 1);
      if (close != std::string::npos) {
        std::string_view name(tmpl->data() + i + 1, close - i - 1);
        const MessageArg* found = nullptr;
        for (const auto& a : args_)
          if (std::string_view(a.name) == name) found = &a;
        if (found) {
          out += found->value.render(lang);
          i = close + 1;
          continue;
        }
      }
    }
    out += c;
    ++i;
  }
  return out;
}

Message tr(std::string english_template, std::initializer_list<MessageArg> args) {
  Message m(std::move(english_template));
  for (const auto& a : args) m.arg(a.name, a.value);
  return m;
}

void add_french_messages(const std::vector<std::pair<std::string, std::string>>& pairs) {
  auto& c = catalogue();
  std::unique_lock lock(c.mutex);
  for (const auto& [en, fr] : pairs) c.fr[en] = fr;
}

const std::string* french_template(const std::string& english_template) {
  auto& c = catalogue();
  std::shared_lock lock(c.mutex);
  auto it = c.fr.find(english_template);
  // Entries are never erased, and unordered_map keeps its nodes in place: the pointer stays valid.
  return it == c.fr.end() ? nullptr : &it->second;
}

std::string language_of_tag(std::string_view tag) {
  return tag.size() >= 2 && (tag[0] == 'e' || tag[0] == 'E') && (tag[1] == 'n' || tag[1] == 'N') ? "en" : "fr";
}

std::string locale_language() {
  for (const char* var : {"GAZELLE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char* v = std::getenv(var); v && *v) return language_of_tag(v);
  return "fr";
}

}  // namespace gz
