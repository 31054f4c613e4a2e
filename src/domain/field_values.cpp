#include "domain/field_values.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "core/text.h"
#include "core/validate.h"
#include "store/amounts.h"

namespace gz::domain {

using json = nlohmann::json;

const char* json_type_name(const json& v) {
  if (v.is_string()) return "a string";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

Message label_message(const kernel::Label& l) { return Message::both(l.fr, l.en); }
Message field_label(const Field& f) { return f.label.fr.empty() ? Message::verbatim(f.name) : label_message(f.label); }
Message entity_label(const Entity& e) { return e.label.fr.empty() ? Message::verbatim(e.name) : label_message(e.label); }
Message singular_label(const Entity& e) {
  return e.label_singular.fr.empty() ? Message::verbatim(e.singular) : label_message(e.label_singular);
}
Message role_label(const std::string& role) {
  const kernel::Role* r = kernel::find_role(role);
  return r ? label_message(r->label) : Message::verbatim(role);
}

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

Message label_of(const Field& f) { return field_label(f); }

// Text rules: valid UTF-8, no control characters (but line breaks in long text), length limit.
bool check_text(const Field& f, const std::string& s, const std::string& path, FieldErrors& errors) {
  if (!text::valid_utf8(s)) { errors.add(path, label_of(f), "is not valid UTF-8 text"); return false; }
  bool multiline = f.kind == FieldKind::LongText || f.name == "street";
  for (unsigned char c : s)
    if (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
      errors.add(path, label_of(f), "contains a control character");
      return false;
    }
  size_t n = text::length(s);
  if (n > size_t(f.max_length)) {
    errors.add(path, label_of(f),
               tr("is {n} characters long; the maximum is {max}", {{"n", n}, {"max", f.max_length}}));
    return false;
  }
  return true;
}

}  // namespace

NumericRange numeric_range(const Field& f) {
  const int64_t amount = store::kMaxAmountCents;
  if (f.kind == FieldKind::Money) {
    if (f.name == "unit_price_cents" || f.name == "category_spend_cents" || f.name == "discount_cents") return {0, amount};
    return {-amount, amount};  // total_cents: a return is negative
  }
  if (f.name == "size") return {0, 1000};                    // people in a household
  if (f.name == "duration_seconds") return {0, 30 * 86400};  // an interaction lasts at most 30 days
  return {-1000000000LL, 1000000000000LL};
}

json normalise_field_value(const Field& f, const json& v, const std::string& path, FieldErrors& errors) {
  if (v.is_null()) {
    if (!f.default_value.is_null()) return f.default_value;
    if (f.kind == FieldKind::EmailList || f.kind == FieldKind::PhoneList || f.kind == FieldKind::TagList)
      return json::array();
    if (f.kind == FieldKind::Object) return json::object();
    return nullptr;
  }
  const Message label = label_of(f);
  auto wrong_type = [&](const char* expected) {
    errors.add(path, label, tr("must be {expected}, not {actual}", {{"expected", Message(expected)}, {"actual", Message(json_type_name(v))}}));
    return json();
  };
  switch (f.kind) {
    case FieldKind::Text:
    case FieldKind::LongText: {
      if (!v.is_string()) return wrong_type("a string");
      std::string s = f.kind == FieldKind::Text ? text::trim(v.get<std::string>()) : v.get<std::string>();
      if (!check_text(f, s, path, errors)) return nullptr;
      if (s.empty()) return nullptr;  // an empty text is no value
      return s;
    }
    case FieldKind::Integer:
    case FieldKind::Reference:
    case FieldKind::Money: {
      if (!v.is_number_integer()) {
        if (f.kind == FieldKind::Money && v.is_number()) return wrong_type("an integer number of cents");
        return wrong_type("an integer");
      }
      // 9223372036854775808 and above arrive as unsigned: read as int64_t they would wrap to a
      // negative number and be stored so.
      bool beyond = v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX);
      int64_t n = beyond ? INT64_MAX : v.get<int64_t>();
      if (f.kind == FieldKind::Reference) {
        if (n <= 0 || beyond) { errors.add(path, label, "must be a positive id"); return nullptr; }
        return n;
      }
      NumericRange r = numeric_range(f);
      if (beyond || n < r.min || n > r.max) {
        errors.add(path, label,
                   f.kind == FieldKind::Money
                       ? tr("must be from {min} to {max} cents", {{"min", (long long)r.min}, {"max", (long long)r.max}})
                       : tr("must be from {min} to {max}", {{"min", (long long)r.min}, {"max", (long long)r.max}}));
        return nullptr;
      }
      return n;
    }
    case FieldKind::Boolean:
      if (!v.is_boolean()) return wrong_type("true or false");
      return v;
    case FieldKind::Date: {
      if (!v.is_string()) return wrong_type("a date string YYYY-MM-DD");
      auto d = validate::iso_date(v.get<std::string>());
      if (!d) {
        errors.add(path, label, tr("'{value}' is not a date (YYYY-MM-DD)", {{"value", v.get<std::string>().substr(0, 40)}}));
        return nullptr;
      }
      return *d;
    }
    case FieldKind::DateTime: {
      if (!v.is_string()) return wrong_type("an ISO 8601 date-time string");
      auto d = validate::iso_datetime_utc(v.get<std::string>());
      if (!d) {
        errors.add(path, label,
                   tr("'{value}' is not an ISO 8601 date-time (e.g. 2026-03-01T14:30:00+01:00)",
                      {{"value", v.get<std::string>().substr(0, 40)}}));
        return nullptr;
      }
      return *d;
    }
    case FieldKind::Enum: {
      if (!v.is_string()) return wrong_type("a string");
      std::string s = v.get<std::string>();
      if (std::find(f.values.begin(), f.values.end(), s) == f.values.end()) {
        // The values as users read them: "Prospect, Client, Ancien client".
        std::vector<std::string> fr, en;
        for (size_t i = 0; i < f.values.size(); ++i) {
          fr.push_back(f.value_label(f.values[i], "fr"));
          en.push_back(f.value_label(f.values[i], "en"));
        }
        errors.add(path, label,
                   tr("'{value}' is not one of: {values}", {{"value", s.substr(0, 40)}, {"values", Message::both(join(fr), join(en))}}));
        return nullptr;
      }
      return s;
    }
    case FieldKind::EmailList: {
      json arr = v.is_string() ? json::array({v}) : v;
      if (!arr.is_array()) return wrong_type("an array of e-mail addresses");
      if (arr.size() > 10) { errors.add(path, label, "holds more than 10 addresses"); return nullptr; }
      json out = json::array();
      std::vector<std::string> seen;
      for (size_t i = 0; i < arr.size(); ++i) {
        std::string p = path + "[" + std::to_string(i) + "]";
        if (!arr[i].is_string()) { errors.add(p, label, "must be a string"); continue; }
        std::string s = text::trim(arr[i].get<std::string>());
        if (auto err = validate::email(s)) {
          errors.add(p, label, tr("'{value}' {reason}", {{"value", s.substr(0, 60)}, {"reason", Message(*err)}}));
          continue;
        }
        std::string key = text::fold(s);
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;  // duplicate address
        seen.push_back(key);
        out.push_back(s);
      }
      return out;
    }
    case FieldKind::PhoneList: {
      json arr = v.is_string() ? json::array({v}) : v;
      if (!arr.is_array()) return wrong_type("an array of phone numbers");
      if (arr.size() > 10) { errors.add(path, label, "holds more than 10 numbers"); return nullptr; }
      json out = json::array();
      for (size_t i = 0; i < arr.size(); ++i) {
        std::string p = path + "[" + std::to_string(i) + "]";
        if (!arr[i].is_string()) { errors.add(p, label, "must be a string"); continue; }
        auto r = validate::phone(arr[i].get<std::string>());
        if (!r.error.empty()) { errors.add(p, label, r.error); continue; }
        if (std::find(out.begin(), out.end(), json(r.e164)) == out.end()) out.push_back(r.e164);
      }
      return out;
    }
    case FieldKind::TagList: {
      // Tags are folded ("Salon Été" -> "salon ete") so that a filter finds them however typed.
      json arr = v.is_string() ? json::array({v}) : v;
      if (!arr.is_array()) return wrong_type("an array of tags");
      json out = json::array();
      for (size_t i = 0; i < arr.size(); ++i) {
        std::string p = path + "[" + std::to_string(i) + "]";
        if (!arr[i].is_string()) { errors.add(p, label, "must be a string"); continue; }
        std::string raw = text::trim(arr[i].get<std::string>());
        if (!text::valid_utf8(raw)) { errors.add(p, label, "is not valid UTF-8 text"); continue; }
        std::string tag = text::fold(raw);
        std::string collapsed;
        for (char ch : tag)
          if (!(std::isspace(static_cast<unsigned char>(ch)) && (collapsed.empty() || collapsed.back() == ' ')))
            collapsed += std::isspace(static_cast<unsigned char>(ch)) ? ' ' : ch;
        if (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
        if (collapsed.empty()) continue;
        if (!check_text(f, collapsed, p, errors)) continue;
        if (std::find(out.begin(), out.end(), json(collapsed)) == out.end()) out.push_back(collapsed);
      }
      if (out.size() > 20) {
        errors.add(path, label, tr("holds {n} tags; the maximum is 20", {{"n", out.size()}}));
        return nullptr;
      }
      return out;
    }
    case FieldKind::Phone: {
      if (!v.is_string()) return wrong_type("a phone number string");
      if (text::trim(v.get<std::string>()).empty()) return nullptr;
      auto r = validate::phone(v.get<std::string>());
      if (!r.error.empty()) { errors.add(path, label, r.error); return nullptr; }
      return r.e164;
    }
    case FieldKind::Url: {
      if (!v.is_string()) return wrong_type("a URL string");
      std::string s = text::trim(v.get<std::string>());
      if (s.empty()) return nullptr;
      if (!check_text(f, s, path, errors)) return nullptr;
      if (s.find(' ') != std::string::npos || s.find('.') == std::string::npos) {
        errors.add(path, label, tr("'{value}' is not a web address (e.g. https://www.example.fr)", {{"value", s.substr(0, 60)}}));
        return nullptr;
      }
      return s;
    }
    case FieldKind::Currency:
    case FieldKind::Country: {
      size_t len = f.kind == FieldKind::Currency ? 3 : 2;
      if (!v.is_string()) return wrong_type("a code string");
      std::string s = text::trim(v.get<std::string>());
      for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
      bool ok = s.size() == len && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      if (!ok) {
        errors.add(path, label,
                   f.kind == FieldKind::Currency
                       ? tr("'{value}' is not an ISO 4217 currency code (e.g. EUR)", {{"value", s.substr(0, 20)}})
                       : tr("'{value}' is not an ISO 3166 country code (e.g. FR)", {{"value", s.substr(0, 20)}}));
        return nullptr;
      }
      return s;
    }
    case FieldKind::Object: {
      if (!v.is_object()) return wrong_type("an object");
      if (v.dump().size() > size_t(f.max_length)) {
        errors.add(path, label, tr("is larger than {n} bytes", {{"n", f.max_length}}));
        return nullptr;
      }
      return v;
    }
  }
  return nullptr;
}

}  // namespace gz::domain
