#include "domain/import_service.h"
#include "domain/import_read.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <thread>
#include <mutex>
#include <deque>
#include <functional>
#include <unordered_set>
#include <condition_variable>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/problem.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/entity_rules.h"
#include "io/csv.h"
#include "io/xlsx_reader.h"
#include "store/history_store.h"
#include "store/matching_store.h"
#include "store/import_session.h"
#include "store/record_store.h"
#include "store/statistics.h"

namespace gz::domain {

using store::Connection;
using store::RecordStore;

const std::vector<std::string>& transfer_entities() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Entity* e : kernel::entities_with(&Entity::importable)) v.push_back(e->name);
    return v;
  }();
  return names;
}

const char* on_match_name(OnMatch m) {
  switch (m) {
    case OnMatch::Skip: return "skip";
    case OnMatch::Create: return "create";
    default: return "update";
  }
}

std::optional<OnMatch> on_match_of(std::string_view name) {
  if (name == "update") return OnMatch::Update;
  if (name == "skip") return OnMatch::Skip;
  if (name == "create") return OnMatch::Create;
  return std::nullopt;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Cell values

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string shorten(const std::string& s, size_t n = 40) { return s.size() <= n ? s : s.substr(0, n) + "…"; }

// A field as users know it: its catalogue label, in the reader's language.
Message label_of(const Field& f) { return Message::both(f.label.fr, f.label.en); }
Message entity_label(const Entity& e) { return Message::both(e.label.fr, e.label.en); }
Message singular_label(const Entity& e) { return Message::both(e.label_singular.fr, e.label_singular.en); }

// The role as users know it ("Commercial"), for "your role … cannot …".
Message role_label(const std::string& role) {
  if (const kernel::Role* r = kernel::find_role(role)) return Message::both(r->label.fr, r->label.en);
  return Message::verbatim(role);
}

std::string line_path(int64_t line) { return "line " + std::to_string(line); }

// The file cannot be read: a broken header, broken quoting further on, an empty file.
Problem header_problem(const io::CsvError& err) {
  return Problem(ProblemKind::BadRequest,
                 tr("the header is not valid CSV: line {line}: {reason}", {{"line", err.line()}, {"reason", err.message()}}),
                 {{line_path(err.line()), err.message()}});
}
Problem file_problem(const io::CsvError& err) {
  return Problem(ProblemKind::BadRequest,
                 tr("the file is not valid CSV: line {line}: {reason}", {{"line", err.line()}, {"reason", err.message()}}),
                 {{line_path(err.line()), err.message()}});
}
Problem empty_file() { return Problem(ProblemKind::BadRequest, tr("the file is empty; it needs a header row")); }

// What an exception says to a person: a Problem's detail, else its text as it is.
Message message_of(const std::exception& ex) {
  if (auto* p = dynamic_cast<const Problem*>(&ex)) return p->detail_message();
  return Message::verbatim(ex.what());
}

// A cell that a reject or export file wrote with a leading quote so that a spreadsheet does not
// run it as a formula ('=1+2, '+33 6 12…): read back without the quote.
std::string unneutralised(std::string t) {
  if (t.size() >= 2 && t[0] == '\'' && (t[1] == '=' || t[1] == '+' || t[1] == '-' || t[1] == '@')) t.erase(0, 1);
  return t;
}

std::optional<int64_t> parse_integer(const std::string& raw) {
  std::string s = text::trim(raw);
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// "12,50", "12.50", "1 234,5", "-3", "12 €" -> cents. Both separators: the last one is decimal.
// With rounded non-null, more than two decimals (unit prices such as 0.001) are rounded half
// away from zero to the cent and *rounded says so; otherwise they are refused.
std::optional<int64_t> parse_euros(const std::string& raw, bool* rounded = nullptr) {
  std::string s;
  for (size_t i = 0; i < raw.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == ' ' || c == '\t' || c == '\'') continue;
    if (raw.compare(i, 2, "\xC2\xA0") == 0) { ++i; continue; }            // no-break space
    if (raw.compare(i, 3, "\xE2\x80\xAF") == 0) { i += 2; continue; }     // narrow no-break space
    if (raw.compare(i, 3, "\xE2\x82\xAC") == 0) { i += 2; continue; }     // €
    s += char(c);
  }
  bool negative = !s.empty() && s[0] == '-';
  if (negative || (!s.empty() && s[0] == '+')) s.erase(0, 1);
  size_t dec = s.find_last_of(".,");
  std::string whole = dec == std::string::npos ? s : s.substr(0, dec);
  std::string frac = dec == std::string::npos ? "" : s.substr(dec + 1);
  // A separator other than the decimal one is a thousands separator.
  whole.erase(std::remove_if(whole.begin(), whole.end(), [](char c) { return c == '.' || c == ','; }), whole.end());
  if (whole.empty() && frac.empty()) return std::nullopt;
  if ((frac.size() > 2 && (!rounded || frac.size() > 9)) || whole.size() > 15) return std::nullopt;
  if (!std::all_of(whole.begin(), whole.end(), ::isdigit) || !std::all_of(frac.begin(), frac.end(), ::isdigit))
    return std::nullopt;
  if (dec != std::string::npos && frac.empty()) return std::nullopt;
  bool round_up = false;
  if (frac.size() > 2) {
    round_up = frac[2] >= '5';
    *rounded = true;
    frac.resize(2);
  }
  while (frac.size() < 2) frac += '0';
  int64_t cents = (whole.empty() ? 0 : std::stoll(whole)) * 100 + std::stoll(frac) + (round_up ? 1 : 0);
  return negative ? -cents : cents;
}

std::optional<bool> parse_bool(const std::string& raw) {
  std::string s = lower(text::trim(raw));
  if (s == "true" || s == "1" || s == "oui" || s == "yes" || s == "vrai" || s == "o" || s == "y") return true;
  if (s == "false" || s == "0" || s == "non" || s == "no" || s == "faux" || s == "n") return false;
  return std::nullopt;
}

// French DD/MM/YYYY (day and month on one or two digits), optionally followed by HH:MM[:SS].
// Returns "YYYY-MM-DD" and the time "HH:MM:SS" (empty when absent), or nullopt.
std::optional<std::pair<std::string, std::string>> parse_french_date(const std::string& s) {
  size_t a = s.find('/');
  if (a == std::string::npos) return std::nullopt;
  size_t b = s.find('/', a + 1);
  if (b == std::string::npos) return std::nullopt;
  size_t end = s.find_first_of(" T", b + 1);
  std::string d = s.substr(0, a), m = s.substr(a + 1, b - a - 1), y = s.substr(b + 1, end == std::string::npos ? std::string::npos : end - b - 1);
  auto digits = [](const std::string& x, size_t lo, size_t hi) {
    return x.size() >= lo && x.size() <= hi && std::all_of(x.begin(), x.end(), ::isdigit);
  };
  if (!digits(d, 1, 2) || !digits(m, 1, 2) || !digits(y, 4, 4)) return std::nullopt;
  std::string date = y + "-" + (m.size() == 1 ? "0" : "") + m + "-" + (d.size() == 1 ? "0" : "") + d;
  std::string time;
  if (end != std::string::npos) {
    time = text::trim(s.substr(end + 1));
    if (time.size() == 4 || time.size() == 7) time = "0" + time;  // 9:30 -> 09:30
    if (time.size() == 5) time += ":00";
    if (time.size() != 8 || time[2] != ':' || time[5] != ':') return std::nullopt;
  }
  return std::make_pair(date, time);
}

// Turns a non-empty cell into the JSON value RecordService expects for the field, or sets err.
json cell_value(const Field& f, const std::string& cell, bool euros, Message& err) {
  std::string t = unneutralised(text::trim(cell));
  switch (f.kind) {
    case FieldKind::Integer:
    case FieldKind::Reference: {
      auto n = parse_integer(t);
      if (!n) err = tr("'{value}' is not an integer", {{"value", shorten(t)}});
      return n ? json(*n) : json();
    }
    case FieldKind::Money: {
      if (euros) {
        auto c = parse_euros(t);
        if (!c) err = tr("'{value}' is not an amount in euros (e.g. 12,50 or 12.50)", {{"value", shorten(t)}});
        return c ? json(*c) : json();
      }
      auto n = parse_integer(t);
      if (!n)
        err = tr("'{value}' is not an integer number of cents (write 1250 for 12,50 €, or name the column {column} "
                 "for euros)",
                 {{"value", shorten(t)},
                  {"column", (ends_with(f.name, "_cents") ? f.name.substr(0, f.name.size() - 6) : f.name) + "_eur"}});
      return n ? json(*n) : json();
    }
    case FieldKind::Boolean: {
      auto b = parse_bool(t);
      if (!b) err = tr("'{value}' is not a yes/no value (true/false, 1/0, oui/non)", {{"value", shorten(t)}});
      return b ? json(*b) : json();
    }
    case FieldKind::Date: {
      if (auto fr = parse_french_date(t)) return fr->first;
      if (t.size() > 10 && (t[10] == 'T' || t[10] == ' ')) return t.substr(0, 10);
      return t;
    }
    case FieldKind::DateTime: {
      if (auto fr = parse_french_date(t)) return fr->first + "T" + (fr->second.empty() ? "00:00:00" : fr->second) + "Z";
      return t;
    }
    case FieldKind::EmailList:
    case FieldKind::PhoneList:
    case FieldKind::TagList: {
      // Several values in one cell: "a@x.fr; b@y.fr", "06 12 34 56 78 / 01 42 68 53 00".
      const char* separators = f.kind == FieldKind::PhoneList ? "|;,/" : f.kind == FieldKind::EmailList ? "|;," : "|;";
      json arr = json::array();
      size_t start = 0;
      while (start <= t.size()) {
        size_t end = t.find_first_of(separators, start);
        std::string part = text::trim(t.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!part.empty()) arr.push_back(part);
        if (end == std::string::npos) break;
        start = end + 1;
      }
      return arr;
    }
    case FieldKind::Object: {
      json v = json::parse(t, nullptr, false);
      if (v.is_discarded()) err = tr("is not valid JSON (e.g. {example})", {{"example", "{\"email\": {\"status\": \"granted\"}}"}});
      return v.is_discarded() ? json() : v;
    }
    case FieldKind::LongText:
      return cell;
    case FieldKind::Enum: {
      // A value, or one of its labels as the lists and forms show them ("Engagé" for commit),
      // compared folded (case and accents ignored).
      if (std::find(f.values.begin(), f.values.end(), t) != f.values.end()) return t;
      const std::string folded = text::fold(t);
      for (size_t i = 0; i < f.values.size() && i < f.value_labels.size(); ++i)
        if (text::fold(f.value_labels[i].fr) == folded || text::fold(f.value_labels[i].en) == folded) return f.values[i];
      return t;  // refused by the record's validation, which lists the values
    }
    default:
      return t;
  }
}

// ---------------------------------------------------------------------------------------------
// Columns

// Line: a cell of one child line in the one-row-per-line form (Column::field is the child's
// field, or null for a key the line reads without storing it, such as an order line's sku).
// RefLookup: a reference given by a natural key of the record referred to (a contact's company
// by its name or SIRET: account_name, account_legal_id).
enum class Role { Skip, Field, ExternalId, Id, CreatedAt, RefExternal, RefLookup, Line };

struct Column {
  std::string name;  // as in the CSV header
  Role role = Role::Skip;
  const Field* field = nullptr;  // Field, RefExternal/RefLookup (the reference field), Line (the child's field)
  const Entity* ref = nullptr;   // RefExternal, RefLookup: the entity referred to
  std::string lookup;            // RefLookup: "name" or "legal_id"
  bool euros = false;
  std::string key;  // what errors about this column are reported under (field or line key)
};

// Stored records of an entity by a natural key (a contact's e-mail addresses, an account's
// SIRET, SIREN or folded name), loaded once per import from the records the actor sees
// (archived ones left out) and kept up to date with the records the import creates. Keys are
// kept as 64-bit hashes (a million contacts: about 40 MB; two keys colliding: about one chance
// in 10^7 for a million keys). Thread-safe: a pipelined import reads on one thread and writes
// on another.
class NaturalKeys {
 public:
  using KeysOf = std::function<void(const json& record, std::vector<std::string>& keys)>;
  NaturalKeys(const Entity& e, std::vector<std::string> columns, KeysOf keys_of)
      : e_(e), columns_(std::move(columns)), keys_of_(std::move(keys_of)) {}

  std::vector<int64_t> find(Connection& c, const Actor* actor, const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    load(c, actor);
    std::vector<int64_t> out;
    auto [a, b] = map_.equal_range(hash(key));
    for (auto it = a; it != b; ++it)
      if (std::find(out.begin(), out.end(), it->second) == out.end()) out.push_back(it->second);
    std::sort(out.begin(), out.end());
    return out;
  }
  // A record the import wrote: its keys from now on (a later row of the file finds it).
  void add(const json& record) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!loaded_ || !record.contains("id")) return;
    std::vector<std::string> keys;
    keys_of_(record, keys);
    for (const auto& k : keys) map_.emplace(hash(k), record["id"].get<int64_t>());
  }

 private:
  static uint64_t hash(const std::string& k) { return std::hash<std::string>{}(k); }
  void load(Connection& c, const Actor* actor) {
    if (loaded_) return;
    loaded_ = true;
    store::Scope scope = actor ? read_scope(*actor, e_) : store::Scope{};
    int64_t after = 0;
    std::vector<std::string> keys;
    for (;;) {
      auto rows = store::MatchingStore::page(c, e_, columns_, after, 50000, scope);
      for (const auto& r : rows) {
        keys.clear();
        keys_of_(r, keys);
        for (const auto& k : keys) map_.emplace(hash(k), r["id"].get<int64_t>());
      }
      if (rows.size() < 50000) break;
      after = rows.back()["id"].get<int64_t>();
    }
  }
  const Entity& e_;
  std::vector<std::string> columns_;
  KeysOf keys_of_;
  std::mutex mutex_;
  bool loaded_ = false;
  std::unordered_multimap<uint64_t, int64_t> map_;
};

std::string email_key(const std::string& email) {
  std::string k = text::trim(email);
  for (auto& ch : k) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return k;
}

// Keys of a SIREN or SIRET as stored (digits): "=" and the whole number, and for a SIRET its
// SIREN prefixed "<", for a SIREN "s" (so that a SIRET of the file finds a company stored by
// its SIREN, and a SIREN the company stored by one of its SIRETs).
void legal_keys(const json& v, std::vector<std::string>& keys) {
  if (!v.is_string()) return;
  std::string d = text::digits_only(v.get<std::string>());
  if (d.size() != 9 && d.size() != 14) return;
  keys.push_back("=" + d);
  keys.push_back((d.size() == 14 ? "<" : "s") + d.substr(0, 9));
}

// The stored record a SIRET or SIREN of the file designates, if exactly one does.
std::optional<int64_t> find_by_legal_id(NaturalKeys& keys, Connection& c, const Actor* actor, const std::string& raw) {
  std::string d = text::digits_only(raw);
  if (d.size() != 9 && d.size() != 14) return std::nullopt;
  auto exact = keys.find(c, actor, "=" + d);
  if (exact.size() == 1) return exact.front();
  if (!exact.empty()) return std::nullopt;
  // A SIRET finds the company stored by its SIREN; a SIREN the one stored by its only SIRET.
  auto other = keys.find(c, actor, (d.size() == 14 ? "s" : "<") + d.substr(0, 9));
  if (other.size() == 1) return other.front();
  return std::nullopt;
}

// What a run keeps beside the plan: the natural keys it matches rows and references with.
struct Lookups {
  std::mutex mutex;  // over the slots below (each NaturalKeys guards itself)
  std::unique_ptr<NaturalKeys> own;  // the imported entity's (on_match): e-mails or SIRET/SIREN
  std::map<std::string, std::unique_ptr<NaturalKeys>> names, legal_ids;  // by referred entity
};

struct Plan {
  const Entity* e = nullptr;
  std::vector<Column> cols;
  bool line_form = false;
  int ext_col = -1;
  bool has_created_at = false;
  std::map<std::string, std::string> field_column;  // field name -> CSV column
  std::map<std::string, std::string> line_column;   // line key -> CSV column
  // Context of the run, for create_missing and the order options.
  const ImportOptions* o = nullptr;
  RecordService* records = nullptr;
  const Actor* actor = nullptr;
  std::map<std::string, int64_t>* created_related = nullptr;
  std::shared_ptr<Lookups> lookups = std::make_shared<Lookups>();
  // The natural key of the imported entity that rows without external_id are matched on
  // ("emails", "legal_id"; "" = none), when on_match is not create and a column gives it.
  std::string match_field;
  // Columns read as suggest_mapping suggests (named after no field, not mapped): column -> target.
  std::vector<std::pair<std::string, std::string>> suggested;
};

// Spreadsheets write numeric identifiers as floats ("17850.0"); an identifier is read without
// the ".0" so that it matches the same identifier written as an integer elsewhere.
std::string clean_identifier(const std::string& t) {
  size_t dot = t.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= t.size()) return t;
  for (size_t i = 0; i < dot; ++i)
    if (!std::isdigit(static_cast<unsigned char>(t[i])) && !(i == 0 && t[i] == '-')) return t;
  for (size_t i = dot + 1; i < t.size(); ++i)
    if (t[i] != '0') return t;
  return t.substr(0, dot);
}

// The child collection an entity's rows can give one line each of (the one-row-per-line form).
const kernel::ChildCollection* line_collection(const Entity& e) { return e.children.empty() ? nullptr : &e.children.front(); }

// A field name, or name_eur for a Money field name_cents given in euros; null when neither.
const Field* money_or_field(const std::vector<Field>& fields, std::string& name, bool& euros) {
  auto find = [&](const std::string& n) -> const Field* {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  };
  if (const Field* f = find(name)) return f;
  if (ends_with(name, "_eur"))
    if (const Field* f = find(name.substr(0, name.size() - 4) + "_cents"); f && f->kind == FieldKind::Money) {
      name = f->name;
      euros = true;
      return f;
    }
  return nullptr;
}

// The natural keys a reference can be given by: <ref>_name when the entity referred to is named
// by a "name" field, <ref>_legal_id when it has a legal_id field (accounts).
const char* const kLookupKeys[] = {"name", "legal_id"};

std::optional<Column> resolve(const Entity& e, const std::string& header, const std::string& mapped, bool line_form) {
  Column c;
  c.name = header;
  bool euros_header = ends_with(lower(header), "_eur");
  if (mapped == "-") return c;
  auto alias = e.import_aliases.find(mapped);
  const std::string& target = alias != e.import_aliases.end() ? alias->second : mapped;
  if (target == "external_id") { c.role = Role::ExternalId; c.key = target; return c; }
  if (target == "id") { c.role = Role::Id; c.key = target; return c; }
  if (target == "created_at") { c.role = Role::CreatedAt; c.key = target; return c; }
  if (const kernel::ChildCollection* cc = line_form ? line_collection(e) : nullptr) {
    std::string name = target;
    bool euros = euros_header;
    if (const Field* f = money_or_field(cc->fields, name, euros)) {
      if (f->server_set) return c;  // computed from the lines (a line's total)
      c.role = Role::Line;
      c.field = f;
      c.key = f->name;
      c.euros = euros && f->kind == FieldKind::Money;
      return c;
    }
    if (std::find(cc->also_accepted.begin(), cc->also_accepted.end(), target) != cc->also_accepted.end()) {
      c.role = Role::Line;
      c.key = target;
      return c;
    }
  }
  std::string name = target;
  bool euros = euros_header;
  money_or_field(e.fields, name, euros);
  if (const Field* f = e.field(name)) {
    if (f->server_set) return c;  // echoed back from an export: set by the server, ignored
    c.role = Role::Field;
    c.field = f;
    c.key = f->name;
    c.euros = euros && f->kind == FieldKind::Money;
    return c;
  }
  if (ends_with(name, "_external_id")) {
    const Field* f = e.field(name.substr(0, name.size() - 12) + "_id");
    if (f && f->kind == FieldKind::Reference && !f->server_set) {
      if (const Entity* target_e = find_entity(f->references)) {
        c.role = Role::RefExternal;
        c.field = f;
        c.ref = target_e;
        c.key = f->name;
        return c;
      }
    }
  }
  for (const char* k : kLookupKeys) {
    std::string suffix = std::string("_") + k;
    if (!ends_with(name, suffix)) continue;
    const Field* f = e.field(name.substr(0, name.size() - suffix.size()) + "_id");
    if (!f || f->kind != FieldKind::Reference || f->server_set) continue;
    const Entity* target_e = find_entity(f->references);
    if (!target_e || !target_e->field(k) || !target_e->importable) continue;
    c.role = Role::RefLookup;
    c.field = f;
    c.ref = target_e;
    c.lookup = k;
    c.key = f->name;
    return c;
  }
  return std::nullopt;
}

Plan make_plan(const Entity& e, const std::vector<std::string>& raw_header, const ImportOptions& o) {
  Plan plan;
  plan.e = &e;
  std::vector<std::string> header;
  for (const auto& h : raw_header) header.push_back(text::trim(h));
  std::map<std::string, std::string> map;
  for (const auto& [col, field] : o.map) {
    std::string c = text::trim(col), f = text::trim(field);
    if (std::find(header.begin(), header.end(), c) == header.end())
      throw Problem(ProblemKind::BadRequest,
                    tr("the mapping names column '{column}', which the file does not have", {{"column", c}}),
                    {{"map", tr("no column '{column}' in the header", {{"column", c}})}});
    map[c] = f;
  }
  // A column that names no field and is not mapped is read as the wizard would suggest it
  // ("email", "Téléphone", "Code postal"…), unless another column gives that target already.
  std::vector<std::string> suggested = ImportService::suggest_mapping(e, header);
  auto target_of = [&](const std::string& h) { return map.count(h) ? map[h] : h; };
  auto own_target = [&](size_t i) -> std::string {
    const std::string& h = header[i];
    if (map.count(h)) return map[h];
    if (resolve(e, h, h, false)) return h;
    return suggested[i].empty() ? h : suggested[i];
  };
  // The one-row-per-line form: a column gives a required field of the lines (an order's quantity).
  if (const kernel::ChildCollection* cc = line_collection(e))
    for (size_t i = 0; i < header.size(); ++i)
      for (const auto& f : cc->fields)
        plan.line_form |= f.required && !e.field(f.name) && (target_of(header[i]) == f.name || own_target(i) == f.name);

  std::vector<FieldError> unknown;
  std::map<std::string, std::string> seen;  // target key -> column
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    if (h.empty() && !map.count(h)) {
      unknown.push_back({tr("column {n}", {{"n", i + 1}}).english(), tr("has no name; name it or map it to -")});
      continue;
    }
    auto c = resolve(e, h, target_of(h), plan.line_form);
    if (!c && !map.count(h) && !suggested[i].empty()) {
      c = resolve(e, h, suggested[i], plan.line_form);
      if (c) plan.suggested.emplace_back(h, suggested[i]);
    }
    if (!c) {
      std::string fields;
      for (const auto& f : e.fields)
        if (!f.server_set) fields += (fields.empty() ? "" : ", ") + f.name;
      unknown.push_back({h, tr("unknown column for {entity}; map it to a field ({fields}) or to - to skip it",
                               {{"entity", entity_label(e)}, {"fields", fields}})});
      continue;
    }
    if (c->role != Role::Skip) {
      bool is_line = c->role == Role::Line;
      std::string k = (is_line ? "line." : "") + c->key + (c->role == Role::RefLookup ? "." + c->lookup : "");
      if (seen.count(k)) {
        const Field* f = c->field;
        unknown.push_back({h, tr("gives {target} again (already given by column '{column}')",
                                 {{"target", f ? label_of(*f) : Message::verbatim(c->key)}, {"column", seen[k]}})});
      }
      seen[k] = h;
      if (is_line) plan.line_column[c->key] = h;
      else if (c->role == Role::RefLookup) plan.field_column.emplace(c->key, h);
      else plan.field_column[c->key] = h;
      if (c->role == Role::ExternalId) plan.ext_col = int(i);
      if (c->role == Role::CreatedAt) plan.has_created_at = true;
    }
    plan.cols.push_back(*c);
  }
  if (!unknown.empty()) {
    std::string names;
    for (const auto& u : unknown) names += (names.empty() ? "«\u00a0" : "\u00a0», «\u00a0") + u.field;
    names += "\u00a0»";
    Message entity = entity_label(e);
    throw Problem(ProblemKind::Unprocessable,
                  unknown.size() == 1
                      ? tr("column {columns} cannot be imported into {entity}: {reason}",
                           {{"columns", names}, {"entity", entity}, {"reason", unknown.front().message}})
                      : tr("columns {columns} cannot be imported into {entity}: {reason}",
                           {{"columns", names}, {"entity", entity}, {"reason", unknown.front().message}}),
                  unknown);
  }
  if (plan.line_form && plan.ext_col < 0)
    throw Problem(ProblemKind::Unprocessable,
                  tr("a file of {entity} with one row per line needs an external_id column: rows with the same "
                     "external_id make one {singular}",
                     {{"entity", entity_label(e)}, {"singular", singular_label(e)}}),
                  {{"external_id", tr("required in the one-row-per-line form")}});
  // Rows without external_id matched on the entity's natural key (contacts: e-mail; accounts:
  // SIRET/SIREN), unless told to create them all.
  if (o.on_match != OnMatch::Create && !plan.line_form) {
    for (const char* key : {"emails", "legal_id"})
      if (plan.field_column.count(key) && e.field(key) && (e.name == "contacts" || e.name == "accounts")) {
        plan.match_field = key;
        break;
      }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Rows

struct Prepared;

struct Unit {  // one record to write: one row, or the rows of one order in the line form
  std::vector<io::CsvRow> rows;
  std::string ext;
  std::vector<ImportError> errors;  // found while reading (malformed row)
  bool continuation = false;  // more lines of an order whose first lines came earlier in the file
  size_t line_offset = 0;     // continuation: stored lines put before this unit's rows
  // An order whose rows come in several runs in the file (its lines reappear after other
  // orders): how many rows the whole file gives it, and how many came before this unit. With
  // them a re-import recognises lines already stored in full and changes nothing.
  int64_t split_total = -1;
  size_t split_before = 0;
  std::shared_ptr<Prepared> prepared;  // pipelined import only
};

// Units committed together, with where the reading stood after the last of them (checkpoint).
struct Batch {
  std::vector<Unit> units;
  size_t rows = 0;
  int64_t rows_read = 0;
  uint64_t bytes_read = 0;
};

// Hand-over of prepared batches from the reading thread to the writing thread; bounded, so that
// reading stays at most `capacity` batches ahead and memory stays flat.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  bool push(Batch b) {  // false when the writer has stopped
    std::unique_lock<std::mutex> lock(m_);
    space_.wait(lock, [&] { return q_.size() < capacity_ || stopped_; });
    if (stopped_) return false;
    q_.push_back(std::move(b));
    ready_.notify_one();
    return true;
  }
  std::optional<Batch> pop() {  // nullopt when the reader is done (or stopped) and all is written
    std::unique_lock<std::mutex> lock(m_);
    ready_.wait(lock, [&] { return !q_.empty() || closed_ || stopped_; });
    if (stopped_ || q_.empty()) return std::nullopt;
    Batch b = std::move(q_.front());
    q_.pop_front();
    space_.notify_one();
    return b;
  }
  void close() {  // the reader has handed over its last batch
    std::lock_guard<std::mutex> lock(m_);
    closed_ = true;
    ready_.notify_all();
  }
  // Written batches go back to the reading thread to be freed there: freeing a batch's rows and
  // records costs the writing thread, the busier of the two, about a tenth of its time.
  void give_back(Batch b) {
    std::lock_guard<std::mutex> lock(m_);
    spent_.push_back(std::move(b));
  }
  void free_spent() {
    std::vector<Batch> spent;
    {
      std::lock_guard<std::mutex> lock(m_);
      spent.swap(spent_);
    }
  }
  void stop() {  // either side failed: the other stops at its next hand-over
    std::lock_guard<std::mutex> lock(m_);
    stopped_ = true;
    ready_.notify_all();
    space_.notify_all();
  }

 private:
  size_t capacity_;
  std::deque<Batch> q_;
  std::vector<Batch> spent_;
  bool closed_ = false, stopped_ = false;
  std::mutex m_;
  std::condition_variable ready_, space_;
};

using Warning = std::pair<std::string, ImportError>;  // kind, where and what

enum class Outcome { Created, Updated, Unchanged, Rejected };

struct Result {
  Outcome outcome = Outcome::Rejected;
  int64_t id = 0;        // the stored record (not rejected)
  bool matched = false;  // found by its natural key (e-mail, SIRET) rather than its external_id
  bool skipped = false;  // matched and left as it was (on_match skip)
  std::vector<ImportError> errors;
  std::vector<Warning> warnings;
  json preview;  // the record as stored (dry run preview)
};

// A pipelined import (import_rows): what the reading thread found out about a unit before the
// writing thread gets it.
struct Prepared {
  bool rejected = false;  // a cell is wrong: nothing to write, result says why
  Result result;          // the conversion's errors or warnings
  json input;             // the record's input
  // The input checked as a new record; none when the rules refuse it as one (it may update a
  // stored record: the writer decides, on its own connection).
  std::optional<RecordService::PreparedCreate> create;
};

struct Converted {
  json input = json::object();
  json line = json::object();
  std::string ext;
  std::optional<int64_t> id;
  std::string created_at;
  std::vector<Warning> warnings;
};

// "Unit price" for unit_price_cents: how messages name a line's field.
Message label_of(const kernel::ChildCollection& cc, const std::string& key) {
  for (const auto& f : cc.fields)
    if (f.name == key) return label_of(f);
  return Message::verbatim(key);
}

// create_missing: a referenced record that does not exist yet, as its entity's placeholder
// hook makes it; none when the entity has no placeholder.
std::optional<int64_t> create_referenced(Connection& c, const Plan& plan, const Entity& ref, const std::string& ext) {
  if (!ref.hooks.placeholder) return std::nullopt;
  json input = ref.hooks.placeholder(ext);
  input["external_id"] = ext;
  json rec = plan.records->create_in(c, *plan.actor, ref, input);
  ++(*plan.created_related)[ref.name];
  return rec["id"].get<int64_t>();
}

// create_missing: the record a line designates by one of its fields (a product by its SKU),
// created from the line's values when none has that value.
void create_looked_up(Connection& c, const Plan& plan, const kernel::ChildCollection& cc,
                      const kernel::ChildCollection::Lookup& lookup, const json& line, int64_t row_line,
                      std::vector<ImportError>& errors) {
  if (!line.contains(lookup.key) || !line[lookup.key].is_string()) return;
  const std::string value = line[lookup.key].get<std::string>();
  const Field* ref_field = nullptr;
  for (const auto& f : cc.fields)
    if (f.name == lookup.reference_field) ref_field = &f;
  const Entity* target = ref_field ? find_entity(ref_field->references) : nullptr;
  if (!target || RecordStore::find_id_by_value(c, *target, lookup.by_field, value)) return;
  json input = {{lookup.by_field, value}};
  for (const auto& [field, key] : lookup.create_from) {
    const Field* f = target->field(field);
    json v = line.value(key, json());
    if (v.is_string() && v.get<std::string>().empty()) v = nullptr;
    if (f && f->kind == FieldKind::Money && v.is_number_integer() && v.get<int64_t>() < 0) v = nullptr;
    if (v.is_null() && f && f->kind != FieldKind::Money) v = value;  // a name: the key's own value
    if (!v.is_null()) input[field] = v;
  }
  try {
    plan.records->create_in(c, *plan.actor, *target, input);
    ++(*plan.created_related)[target->name];
  } catch (const Problem& p) {
    auto col = plan.line_column.find(lookup.key);
    errors.push_back({row_line, col != plan.line_column.end() ? col->second : lookup.key,
                      tr("{entity} {value} cannot be created: {reason}",
                         {{"entity", singular_label(*target)}, {"value", value}, {"reason", p.detail_message()}})});
  }
}

// How a record is named in a message: its title fields ("Zoé Aubert", "Brasserie Éole").
std::string title_of(const Entity& e, const json& input) {
  std::string name;
  for (const auto& f : e.title_fields)
    if (input.contains(f) && input[f].is_string() && !input[f].get<std::string>().empty())
      name += (name.empty() ? "" : " ") + input[f].get<std::string>();
  return name;
}

// The natural keys of an entity referred to by name (folded) or SIRET/SIREN, loaded once.
NaturalKeys& ref_keys(const Plan& plan, const Entity& ref, const std::string& lookup) {
  std::lock_guard<std::mutex> lock(plan.lookups->mutex);
  auto& slot = (lookup == "name" ? plan.lookups->names : plan.lookups->legal_ids)[ref.name];
  if (!slot) {
    if (lookup == "name")
      slot = std::make_unique<NaturalKeys>(ref, std::vector<std::string>{"name"}, [](const json& r, std::vector<std::string>& k) {
        if (r.value("name", json()).is_string()) k.push_back(text::fold_words(r["name"].get<std::string>()));
      });
    else
      slot = std::make_unique<NaturalKeys>(ref, std::vector<std::string>{"legal_id"},
                                           [](const json& r, std::vector<std::string>& k) { legal_keys(r.value("legal_id", json()), k); });
  }
  return *slot;
}

// A reference given by natural keys (a contact's company by its SIRET, else its name): the
// record, created with create_missing when none is found. Not found, or several of that name:
// the row is kept without the reference and a warning says why, or in strict mode rejected.
void resolve_lookup(Connection& c, const Plan& plan, const io::CsvRow& row, const Field& field, const Entity& ref,
                    const std::map<std::string, std::pair<std::string, std::string>>& given, Converted& out,
                    std::vector<ImportError>& errors) {
  auto name_it = given.find("name"), legal_it = given.find("legal_id");
  std::string name = name_it != given.end() ? name_it->second.second : "";
  std::string legal = legal_it != given.end() ? legal_it->second.second : "";
  std::string column = (legal_it != given.end() ? legal_it : name_it)->second.first;
  bool strict = plan.o && plan.o->strict;
  auto problem = [&](const std::string& kind, Message m) {
    if (strict) errors.push_back({row.line, column, std::move(m)});
    else out.warnings.push_back({kind, {row.line, column, std::move(m)}});
  };
  Message ref_label = singular_label(ref);
  std::optional<int64_t> id;
  if (!legal.empty()) id = find_by_legal_id(ref_keys(plan, ref, "legal_id"), c, plan.actor, legal);
  if (!id && !name.empty()) {
    auto ids = ref_keys(plan, ref, "name").find(c, plan.actor, text::fold_words(name));
    if (ids.size() > 1) {
      problem("reference_ambiguous",
              tr("{count} records of {entity} are named '{name}': the row is imported without {field} (give the "
                 "SIRET, or the external id, to say which)",
                 {{"count", ids.size()}, {"entity", entity_label(ref)}, {"name", name}, {"field", label_of(field)}}));
      return;
    }
    if (ids.size() == 1) id = ids.front();
  }
  // Known from a record this run created in a batch that was then rolled back: not there.
  if (id && !RecordStore::find(c, ref, *id, store::Scope{})) id.reset();
  if (!id && plan.o && plan.o->create_missing && plan.actor && plan.records) {
    json input = {{"name", name.empty() ? legal : name}};
    if (!legal.empty() && ref.field("legal_id")) input["legal_id"] = legal;
    try {
      json rec = plan.records->create_in(c, *plan.actor, ref, input);
      ++(*plan.created_related)[ref.name];
      id = rec["id"].get<int64_t>();
      ref_keys(plan, ref, "name").add(rec);
      if (ref.field("legal_id")) ref_keys(plan, ref, "legal_id").add(rec);
    } catch (const Problem& p) {
      errors.push_back({row.line, column,
                        tr("{entity} '{value}' cannot be created: {reason}",
                           {{"entity", ref_label}, {"value", name.empty() ? legal : name}, {"reason", p.detail_message()}})});
      return;
    }
  }
  if (!id) {
    problem("reference_not_found",
            tr("no {entity} is named '{value}': the row is imported without {field} (create it first, or tick "
               "\"create what is missing\")",
               {{"entity", ref_label}, {"value", name.empty() ? legal : name}, {"field", label_of(field)}}));
    return;
  }
  if (out.input.contains(field.name) && out.input[field.name] != json(*id)) {
    errors.push_back({row.line, column,
                      tr("designates another {entity} than column '{column}'",
                         {{"entity", ref_label}, {"column", plan.field_column.at(field.name)}})});
    return;
  }
  out.input[field.name] = *id;
}

Converted convert(Connection& c, const Plan& plan, const io::CsvRow& row, std::vector<ImportError>& errors) {
  Converted out;
  bool strict = plan.o && plan.o->strict;
  // Numbers that cannot be used, set aside (not strict): named in a warning once the row's name is known.
  std::vector<std::pair<const Column*, Message>> set_aside;
  // References by natural key: field -> lookup -> (column, value).
  std::map<const Field*, std::map<std::string, std::pair<std::string, std::string>>> lookups;
  for (size_t i = 0; i < plan.cols.size() && i < row.fields.size(); ++i) {
    const Column& col = plan.cols[i];
    const std::string& cell = row.fields[i];
    std::string t = unneutralised(text::trim(cell));
    if (col.role == Role::Skip || t.empty()) continue;
    auto fail = [&](Message msg) { errors.push_back({row.line, col.name, std::move(msg)}); };
    Message err;
    switch (col.role) {
      case Role::Skip:
        break;
      case Role::ExternalId:
        out.ext = clean_identifier(t);
        out.input["external_id"] = out.ext;
        break;
      case Role::Id:
        if (auto n = parse_integer(t)) out.id = *n;
        else fail(tr("'{value}' is not a record id", {{"value", shorten(t)}}));
        break;
      case Role::CreatedAt:
        out.created_at = t;
        break;
      case Role::Field: {
        json v = cell_value(*col.field, cell, col.euros, err);
        if (!strict && !v.is_null() && (col.field->kind == FieldKind::PhoneList || col.field->kind == FieldKind::Phone)) {
          // A number that cannot be used costs that number only, not the row.
          auto usable = [&](const json& p) {
            if (!p.is_string()) return true;
            auto r = validate::phone(p.get<std::string>());
            if (r.error.empty()) return true;
            set_aside.emplace_back(&col, r.error);
            return false;
          };
          if (v.is_array()) {
            json kept = json::array();
            for (const auto& p : v)
              if (usable(p)) kept.push_back(p);
            if (kept.empty() && !v.empty()) break;
            v = std::move(kept);
          } else if (!usable(v)) {
            break;
          }
        }
        if (!err.empty()) fail(err);
        else if (out.input.contains(col.field->name) && out.input[col.field->name] != v)
          fail(tr("gives {value} but another column gives {other}",
                  {{"value", v.dump()}, {"other", out.input[col.field->name].dump()}}));
        else out.input[col.field->name] = v;
        break;
      }
      case Role::RefExternal: {
        t = clean_identifier(t);
        auto id = RecordStore::find_id_by_external_id(c, *col.ref, t);
        if (!id && plan.o && plan.o->create_missing) id = create_referenced(c, plan, *col.ref, t);
        if (!id)
          fail(tr("no {entity} has the external id '{value}'", {{"entity", singular_label(*col.ref)}, {"value", shorten(t, 60)}}));
        else if (out.input.contains(col.field->name) && out.input[col.field->name] != json(*id))
          fail(tr("designates {entity} {id} but column '{column}' gives {other}",
                  {{"entity", singular_label(*col.ref)}, {"id", *id}, {"column", plan.field_column.at(col.field->name)},
                   {"other", out.input[col.field->name].dump()}}));
        else out.input[col.field->name] = *id;
        break;
      }
      case Role::RefLookup:
        lookups[col.field][col.lookup] = {col.name, t};
        break;
      case Role::Line:
        if (!col.field) {
          out.line[col.key] = t;  // read by the line (an order line's sku), not stored
        } else if (col.euros) {
          bool rounded = false;
          auto cents = parse_euros(t, &rounded);
          if (!cents) fail(tr("'{value}' is not an amount in euros (e.g. 12,50 or 12.50)", {{"value", shorten(t)}}));
          else out.line[col.key] = *cents;
          if (cents && rounded)
            out.warnings.push_back({"price_rounded", {row.line, col.name,
                                                      tr("'{value}' rounded to {cents} cents", {{"value", t}, {"cents", *cents}})}});
        } else {
          json v = cell_value(*col.field, cell, false, err);
          if (!err.empty()) fail(err);
          else out.line[col.key] = v;
        }
        break;
    }
  }
  for (const auto& [field, given] : lookups) {
    const Entity* ref = find_entity(field->references);
    if (ref) resolve_lookup(c, plan, row, *field, *ref, given, out, errors);
  }
  if (!set_aside.empty()) {
    std::string name = title_of(*plan.e, out.input);
    for (auto& [col, reason] : set_aside)
      out.warnings.push_back(
          {"phone_set_aside",
           {row.line, col->name,
            name.empty() ? tr("{reason}; the number is set aside and the rest of the row imported: correct it on the "
                              "record",
                              {{"reason", reason}})
                         : tr("{reason}; the number is set aside and the rest of the row imported: correct it on the "
                              "record of {name}",
                              {{"reason", reason}, {"name", name}})}});
  }
  if (plan.line_form && !out.line.empty()) {
    const kernel::ChildCollection& cc = *line_collection(*plan.e);
    for (const auto& key : cc.zero_price_warned) {
      json price = out.line.value(key, json());
      if (price.is_number_integer() && price.get<int64_t>() == 0) {
        auto col = plan.line_column.find(key);
        out.warnings.push_back({"price_zero", {row.line, col != plan.line_column.end() ? col->second : key,
                                               tr("{field} 0: the line is kept, with no revenue",
                                                  {{"field", label_of(cc, key)}})}});
      }
    }
    // create_missing: a line designating an unknown record (an unknown SKU) creates it.
    if (plan.o && plan.o->create_missing)
      for (const auto& lookup : cc.lookups) create_looked_up(c, plan, cc, lookup, out.line, row.line, errors);
  }
  return out;
}

// Whether the record's stored lines are those the input gives (so a re-import changes nothing):
// all of them, or for a record split in the file (total >= 0) the stored lines from `offset` on,
// the record holding `total` lines in all.
bool same_lines(Connection& c, const Plan& plan, int64_t id, const json& lines, size_t offset = 0, int64_t total = -1) {
  const kernel::ChildCollection& cc = *line_collection(*plan.e);
  auto all = RecordStore::children(c, cc, id);
  if (all.size() != (total >= 0 ? size_t(total) : lines.size()) || offset + lines.size() > all.size()) return false;
  std::vector<json> old(all.begin() + long(offset), all.begin() + long(offset + lines.size()));
  return same_child_lines(c, *plan.actor, *plan.e, cc, old, lines);
}

// Field errors of a Problem, reported under the CSV line and column they come from.
void map_problem(const Problem& p, const Plan& plan, const Unit& u, std::vector<ImportError>& errors) {
  int64_t first = u.rows.front().line;
  if (p.fields().empty()) {
    errors.push_back({first, "", p.detail_message()});
    return;
  }
  for (const auto& f : p.fields()) {
    const std::string& path = f.field;
    size_t cut = path.find_first_of(".[");
    std::string key = path.substr(0, cut);
    int64_t line = first;
    std::string column;
    Message message = f.message;
    if (key == "lines" && plan.line_form && cut != std::string::npos && path[cut] == '[') {
      size_t close = path.find(']', cut);
      auto idx = parse_integer(path.substr(cut + 1, close - cut - 1));
      if (idx) *idx -= int64_t(u.line_offset);
      if (idx && *idx >= 0 && size_t(*idx) < u.rows.size()) line = u.rows[size_t(*idx)].line;
      std::string sub = close != std::string::npos && close + 2 <= path.size() ? path.substr(close + 2) : "";
      auto it = plan.line_column.find(sub);
      column = it != plan.line_column.end() ? it->second : sub;
    } else {
      auto it = plan.field_column.find(key);
      column = it != plan.field_column.end() ? it->second : "";
      // "address.city": the member is named; "phones[1]": the value in the message says which one.
      if (cut != std::string::npos && path[cut] == '.')
        message = tr("{field}: {message}", {{"field", path.substr(cut + 1)}, {"message", message}});
      // No column gives the field (a required one left out): the message names it as users know it.
      if (column.empty()) {
        const Field* fd = plan.e->field(key);
        Message label = fd ? label_of(*fd) : !f.label.empty() ? f.label : Message::verbatim(key);
        message = tr("{field}: {message}", {{"field", label}, {"message", message}});
      }
    }
    errors.push_back({line, column, message});
  }
}

// The unit's rows as the input of one record (constants and the order options applied); false
// when a cell is wrong (r.errors says which). The same whether the record is then created or
// updated.
bool convert_unit(Connection& c, const Plan& plan, const Unit& u, Result& r, Converted& head) {
  if (!u.errors.empty()) {
    r.errors = u.errors;
    return false;
  }
  const Entity& e = *plan.e;
  head = convert(c, plan, u.rows.front(), r.errors);
  r.warnings = std::move(head.warnings);
  if (plan.line_form) {
    json lines = json::array();
    std::map<std::string, int64_t> first_line;  // order-level key -> line that gave it
    for (auto it = head.input.begin(); it != head.input.end(); ++it) first_line[it.key()] = u.rows.front().line;
    lines.push_back(head.line);
    for (size_t i = 1; i < u.rows.size(); ++i) {
      Converted more = convert(c, plan, u.rows[i], r.errors);
      for (auto& w : more.warnings) r.warnings.push_back(std::move(w));
      for (auto it = more.input.begin(); it != more.input.end(); ++it) {
        if (!head.input.contains(it.key())) {
          head.input[it.key()] = it.value();
          first_line[it.key()] = u.rows[i].line;
        } else if (head.input[it.key()] != it.value()) {
          auto col = plan.field_column.find(it.key());
          std::string column = col != plan.field_column.end() ? col->second : it.key();
          const Field* f = e.field(it.key());
          // An invoice whose lines were stamped a minute apart is one order: its first time is
          // kept and the difference reported; any other disagreement rejects the order.
          if (f && f->kind == FieldKind::DateTime)
            r.warnings.push_back({"order_time_differs", {u.rows[i].line, column,
                                  tr("differs from line {line} of the same order; the time of line {line} is kept",
                                     {{"line", first_line[it.key()]}})}});
          else
            r.errors.push_back({u.rows[i].line, column,
                                tr("differs from line {line} of the same order", {{"line", first_line[it.key()]}})});
        }
      }
      lines.push_back(more.line);
    }
    head.input["lines"] = lines;
  }
  if (!r.errors.empty()) return false;
  for (const auto& [field, value] : plan.o ? plan.o->constants : std::map<std::string, json>{})
    if (!head.input.contains(field)) head.input[field] = value;
  if (e.hooks.import_row && plan.o) e.hooks.import_row(*plan.o, head.ext, head.input);

  return true;
}

// The imported entity's natural keys (Plan::match_field), loaded on first use.
NaturalKeys& own_keys(const Plan& plan) {
  std::lock_guard<std::mutex> lock(plan.lookups->mutex);
  auto& slot = plan.lookups->own;
  if (!slot) {
    if (plan.match_field == "emails")
      slot = std::make_unique<NaturalKeys>(*plan.e, std::vector<std::string>{"emails"}, [](const json& r, std::vector<std::string>& k) {
        json v = r.value("emails", json());
        if (v.is_string()) v = json::parse(v.get<std::string>(), nullptr, false);
        if (v.is_array())
          for (const auto& m : v)
            if (m.is_string()) k.push_back(email_key(m.get<std::string>()));
      });
    else
      slot = std::make_unique<NaturalKeys>(*plan.e, std::vector<std::string>{"legal_id"},
                                           [](const json& r, std::vector<std::string>& k) { legal_keys(r.value("legal_id", json()), k); });
  }
  return *slot;
}

// The stored record a row without external_id designates by its natural key: the first of its
// e-mail addresses that a contact has (the oldest such contact), or the account with its SIRET
// (or SIREN).
std::optional<int64_t> match_own(Connection& c, const Plan& plan, const json& input) {
  if (plan.match_field.empty()) return std::nullopt;
  NaturalKeys& keys = own_keys(plan);
  if (plan.match_field == "emails") {
    json v = input.value("emails", json());
    if (v.is_string()) v = json::array({v});
    if (!v.is_array()) return std::nullopt;
    for (const auto& m : v)
      if (m.is_string())
        if (auto ids = keys.find(c, plan.actor, email_key(m.get<std::string>())); !ids.empty()) return ids.front();
    return std::nullopt;
  }
  json v = input.value(plan.match_field, json());
  if (!v.is_string()) return std::nullopt;
  return find_by_legal_id(keys, c, plan.actor, v.get<std::string>());
}

// A record the import created: a later row of the file matches it.
void remember_created(const Plan& plan, const json& record) {
  NaturalKeys* own = nullptr;
  {
    std::lock_guard<std::mutex> lock(plan.lookups->mutex);
    own = plan.lookups->own.get();
  }
  if (own) own->add(record);
}

Result process(Connection& c, RecordService& records, const Actor& actor, const Plan& plan, Unit& u,
               bool isolated) {
  Result r;
  Converted head;
  if (!convert_unit(c, plan, u, r, head)) return r;
  const Entity& e = *plan.e;
  std::optional<int64_t> id;
  if (!head.ext.empty()) {
    id = RecordStore::find_id_by_external_id(c, e, head.ext);
  } else if (head.id) {
    auto rec = RecordStore::find(c, e, *head.id, store::Scope{});
    if (rec && plan.has_created_at) {
      auto given = validate::iso_datetime_utc(head.created_at);
      if (!given || json(*given) != (*rec)["created_at"]) rec.reset();  // another database's record
    }
    if (rec) id = *head.id;
  } else if ((id = match_own(c, plan, head.input)) && !RecordStore::find(c, e, *id, store::Scope{})) {
    id.reset();  // created by a batch that was rolled back (and redone row by row)
  } else if (id) {
    r.matched = true;
    if (plan.o && plan.o->on_match == OnMatch::Skip) {
      r.outcome = Outcome::Unchanged;
      r.skipped = true;
      r.id = *id;
      return r;
    }
  }
  if (u.continuation && id && plan.line_form) {
    // More lines of an order read earlier: they add lines only; the order's own fields (its
    // time, customer, status) are those of its first rows.
    json lines = std::move(head.input["lines"]);
    head.input = {{"lines", std::move(lines)}};
  }
  bool split_unchanged = u.split_total >= 0 && id && plan.line_form &&
                         same_lines(c, plan, *id, head.input[line_collection(e)->name], u.split_before, u.split_total);
  if (split_unchanged) head.input.erase("lines");
  if (u.continuation && id && plan.line_form && !split_unchanged) {
    // The order's first lines came earlier in this file: these are added after them.
    json all = json::array();
    auto stored = RecordStore::children(c, *line_collection(e), *id);
    stored.resize(std::min(stored.size(), u.split_before));  // lines a previous run added after them are redone
    for (const auto& l : stored) {
      json keep = json::object();
      for (const auto& f : line_collection(e)->fields)
        if (!f.server_set && l.contains(f.name) && !l[f.name].is_null()) keep[f.name] = l[f.name];
      all.push_back(keep);
    }
    u.line_offset = all.size();
    for (auto& l : head.input["lines"]) all.push_back(l);
    head.input["lines"] = all;
  }
  bool keep_preview = plan.o && plan.o->dry_run && plan.o->preview_rows > 0;
  try {
    if (id) {
      auto before = RecordStore::find(c, e, *id, store::Scope{});
      int64_t version = before ? before->value("version", int64_t(0)) : 0;
      if (plan.line_form && head.input.contains("lines") && u.split_total < 0 && same_lines(c, plan, *id, head.input[line_collection(e)->name]))
        head.input.erase("lines");
      json after = records.update_in(c, actor, e, *id, head.input, std::nullopt, false);
      r.outcome = after.value("version", int64_t(0)) == version ? Outcome::Unchanged : Outcome::Updated;
      r.id = *id;
      if (keep_preview) r.preview = std::move(after);
    } else {
      json created = records.create_in(c, actor, e, head.input);
      r.outcome = Outcome::Created;
      r.id = created.value("id", int64_t(0));
      remember_created(plan, created);
      if (keep_preview) r.preview = std::move(created);
    }
  } catch (const Problem& p) {
    // A conflict comes from the database, possibly after a first write of the row: in a shared
    // transaction, let the caller redo the batch row by row.
    if (!isolated && p.kind() == ProblemKind::Conflict) throw;
    r.outcome = Outcome::Rejected;
    map_problem(p, plan, u, r.errors);
  }
  return r;
}

struct Rollback {};

// Whether rows can be checked as new records on another connection, ahead of the writes: not
// for orders (lines, split orders), nor when a row may refer to a record this same import
// writes (create_missing, a reference to the imported entity) or designates stored ids.
bool pipelined_plan(const Plan& plan, const ImportOptions& o) {
  if (!o.pipeline || !plan.e->children.empty() || o.create_missing || o.dry_run || o.all_or_nothing) return false;
  for (const auto& col : plan.cols) {
    if (col.role == Role::Id || col.role == Role::CreatedAt) return false;
    if (col.role == Role::RefExternal && col.ref->name == plan.e->name) return false;
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Import

ImportReport ImportService::import_csv(const Actor& actor, const Entity& e, std::istream& in,
                                       const ImportOptions& o) {
  auto source = csv_source(in, 0, o.encoding);
  return import_rows(actor, e, *source, o);
}

ImportReport ImportService::import_rows(const Actor& actor, const Entity& e, RowSource& src, const ImportOptions& o) {
  if (std::find(transfer_entities().begin(), transfer_entities().end(), e.name) == transfer_entities().end())
    throw Problem(ProblemKind::NotFound, tr("{entity} cannot be imported; import {entities}",
                                            {{"entity", e.name}, {"entities", kernel::names_with(&Entity::importable)}}));
  if (!can_write(actor, e))
    throw Problem(ProblemKind::Forbidden, tr("your role ({role}) cannot create or change {entity}",
                                             {{"role", role_label(actor.role)}, {"entity", entity_label(e)}}));
  for (const auto& [field, value] : o.constants) {
    const Field* f = e.field(field);
    if (!f || f->server_set || field == "external_id")
      throw Problem(ProblemKind::Unprocessable,
                    tr("the constant '{field}' is not a field of {entity} you can set", {{"field", field}, {"entity", entity_label(e)}}),
                    {{"constants." + field, tr("not a writable field of {entity}", {{"entity", entity_label(e)}})}});
  }

  // First pass: the quoting of the whole file, so that a broken file writes nothing; for orders
  // in the line form, also which orders come in several runs of rows and their row counts.
  std::unordered_map<std::string, int64_t> split_rows;
  if (src.rewind()) {
    std::vector<std::string> h;
    try {
      src.read_header(h);
    } catch (const io::CsvError& err) {  // a broken quote in the header line
      throw header_problem(err);
    }
    int ext_col = -1;
    if (!e.children.empty()) {
      Plan first = make_plan(e, h, o);
      if (first.line_form) ext_col = first.ext_col;
    }
    std::unordered_map<std::string, int64_t> rows_of;  // line form: order -> rows so far
    std::string previous;
    io::CsvRow row;
    for (;;) {
      try {
        if (!src.next(row)) break;
      } catch (const io::CsvError& err) {
        if (err.recoverable()) continue;
        throw file_problem(err);
      }
      if (ext_col < 0 || size_t(ext_col) >= row.fields.size()) continue;
      std::string ext = clean_identifier(text::trim(row.fields[size_t(ext_col)]));
      if (ext.empty()) continue;
      int64_t& n = rows_of[ext];
      if (n > 0 && ext != previous) split_rows[ext] = 0;
      ++n;
      previous = std::move(ext);
    }
    for (auto& [ext, n] : split_rows) n = rows_of[ext];
    src.rewind();
  }
  std::unordered_map<std::string, size_t> split_seen;  // split order -> rows read so far

  std::vector<std::string> header;
  try {
    if (!src.read_header(header)) throw empty_file();
  } catch (const io::CsvError& err) {
    throw header_problem(err);
  }
  ImportReport report;
  report.encoding = src.text_encoding();
  report.separator = src.separator();
  Plan plan = make_plan(e, header, o);
  report.suggested_columns = plan.suggested;
  plan.o = &o;
  plan.records = &records_;
  plan.actor = &actor;
  plan.created_related = &report.created_related;

  report.created = o.resume.created;
  report.updated = o.resume.updated;
  report.unchanged = o.resume.unchanged;
  report.rejected = o.resume.rejected;
  report.warning_count = o.resume.warnings;
  report.resumed_after_line = o.resume.last_line;
  auto record_error = [&](const ImportError& err) {
    ++report.error_count;
    if (report.errors.size() < o.max_errors_kept) report.errors.push_back(err);
    if (o.on_error) o.on_error(err);
  };
  auto tally = [&](Result& r, const Unit& u) {
    int64_t line = u.rows.front().line;
    switch (r.outcome) {
      case Outcome::Created: ++report.created; break;
      case Outcome::Updated: ++report.updated; break;
      case Outcome::Unchanged: ++report.unchanged; break;
      case Outcome::Rejected: ++report.rejected; break;
    }
    if (r.matched) ++report.matched;
    if (r.skipped) ++report.skipped;
    for (const auto& err : r.errors) record_error(err);
    if (r.outcome == Outcome::Rejected && o.on_rejected) {
      std::vector<int64_t> lines;
      for (const auto& row : u.rows) lines.push_back(row.line);
      o.on_rejected(lines);
    }
    if (r.outcome != Outcome::Rejected && r.id > 0 && o.on_record) o.on_record(line, r.id);
    for (const auto& [kind, w] : r.warnings) {
      ++report.warning_count;
      ++report.warning_kinds[kind];
      if (report.warnings.size() < o.max_errors_kept) report.warnings.push_back(w);
      if (o.on_warning) o.on_warning(w);
    }
    if (!r.preview.is_null() && report.preview.size() < o.preview_rows)
      report.preview.push_back({{"line", line}, {"record", std::move(r.preview)}});
  };

  // Reads the next unit; false at the end. Orders in the line form: consecutive rows with the
  // same external_id. A malformed row (wrong number of columns) is rejected with its unit.
  struct Lookahead {
    io::CsvRow row;
    std::optional<ImportError> bad;
  };
  std::optional<Lookahead> lookahead;
  std::set<std::string> finished_orders;
  bool eof = false;
  auto progress = [&] {
    if (o.on_progress) o.on_progress(report.rows);
    if (o.on_progress_bytes) o.on_progress_bytes(report.rows, src.bytes_read(), src.total_bytes());
  };
  auto read_row = [&](io::CsvRow& row, std::optional<ImportError>& bad) -> bool {
    bad.reset();
    if (lookahead) {
      row = std::move(lookahead->row);
      bad = lookahead->bad;
      lookahead.reset();
      return true;
    }
    if (eof) return false;
    try {
      if (!src.next(row)) {
        eof = true;
        return false;
      }
    } catch (const io::CsvError& err) {
      if (!err.recoverable())
        throw file_problem(err);
      bad = ImportError{err.line(), "", err.message()};
      row.line = err.line();
    }
    ++report.rows;
    if (report.rows % 500 == 0) progress();
    if (o.limit_rows > 0 && report.rows >= o.limit_rows) eof = true;
    return true;
  };
  auto ext_of = [&](const io::CsvRow& r) {
    return plan.ext_col >= 0 && size_t(plan.ext_col) < r.fields.size()
               ? clean_identifier(text::trim(r.fields[size_t(plan.ext_col)]))
               : std::string();
  };
  auto next_unit = [&](Unit& u) -> bool {
    u = Unit{};
    io::CsvRow row;
    std::optional<ImportError> bad;
    if (!read_row(row, bad)) return false;
    u.ext = ext_of(row);
    u.rows.push_back(row);
    if (bad) u.errors.push_back(*bad);
    if (!plan.line_form) return true;
    const std::string& ext_column = plan.cols[size_t(plan.ext_col)].name;
    if (u.ext.empty()) {
      if (!bad)
        u.errors.push_back({row.line, ext_column,
                            "is required: in the one-row-per-line form it says which order the line belongs to"});
      return true;
    }
    for (;;) {
      io::CsvRow more;
      std::optional<ImportError> more_bad;
      if (!read_row(more, more_bad)) break;
      if (ext_of(more) != u.ext) {
        lookahead = Lookahead{std::move(more), more_bad};
        break;
      }
      u.rows.push_back(more);
      if (more_bad) u.errors.push_back(*more_bad);
    }
    if (!u.errors.empty() && u.rows.size() > 1)
      u.errors.push_back({u.rows.front().line, ext_column,
                          tr("{entity} {id} not imported: one of its rows is malformed",
                             {{"entity", singular_label(e)}, {"id", u.ext}})});
    // Lines of an order that appeared earlier, after other orders: added to that order.
    if (finished_orders.count(u.ext)) u.continuation = true;
    finished_orders.insert(u.ext);
    if (auto split = split_rows.find(u.ext); split != split_rows.end()) {
      u.split_total = split->second;
      u.split_before = split_seen[u.ext];
      split_seen[u.ext] += u.rows.size();
    }
    return true;
  };
  auto skipped = [&](const Unit& u) { return o.resume.last_line > 0 && u.rows.back().line <= o.resume.last_line; };
  auto warn_continuation = [&](Unit& u, Result& r) {
    if (u.continuation)
      r.warnings.push_back({"order_split", {u.rows.front().line, plan.cols[size_t(plan.ext_col)].name,
                                            tr("more lines of {entity} {id} after others: added to the lines read before",
                                               {{"entity", singular_label(e)}, {"id", u.ext}})}});
  };

  // One connection for every batch of the run (store/import_session.h).
  store::ImportSession session(records_.database());
  if (o.dry_run || o.all_or_nothing) {
    try {
      session.transaction(true, [&](Connection& c) {
        Unit u;
        while (next_unit(u)) {
          if (skipped(u)) continue;
          Result r = process(c, records_, actor, plan, u, true);
          warn_continuation(u, r);
          tally(r, u);
        }
        if (o.dry_run || report.rejected > 0) throw Rollback{};
      });
      report.written = true;
    } catch (const Rollback&) {
      report.written = false;
    }
    progress();
    return report;
  }

  // Batches: each committed on its own with its checkpoint; a batch that fails as a whole is
  // redone row by row (each row then commits with its own checkpoint).
  //
  // Pipelined (pipelined_plan): this thread reads the rows and checks each as a new record on a
  // read-only connection (conversion, RecordService::prepare_create), while a second thread
  // writes the previous batch; each stage has one of the machine's cores. The writer takes a
  // prepared record as it is unless its external_id is stored (then it is an update and goes
  // the ordinary way, as does any row the rules refused as a new record). Rows keep their file
  // order in the writes, the reports and the checkpoints.
  const bool pipelined = pipelined_plan(plan, o);
  std::optional<json> defaults;  // the columns' defaults, so that a new row is not read back
  bool defaults_known = false;
  auto checkpoint = [&](const Batch& b, int64_t last_line) {
    ImportCheckpoint cp;
    cp.last_line = last_line;
    cp.rows = b.rows_read;
    cp.bytes = b.bytes_read;
    cp.created = report.created;
    cp.updated = report.updated;
    cp.unchanged = report.unchanged;
    cp.rejected = report.rejected;
    cp.warnings = report.warning_count;
    return cp;
  };
  auto write_unit = [&](Connection& c, Unit& u, bool isolated) -> Result {
    if (!u.prepared) return process(c, records_, actor, plan, u, isolated);
    Prepared& p = *u.prepared;
    if (p.rejected) return p.result;
    if (!p.create || (!u.ext.empty() && RecordStore::find_id_by_external_id(c, e, u.ext)) ||
        (u.ext.empty() && match_own(c, plan, p.input)))
      return process(c, records_, actor, plan, u, isolated);
    Result r;
    r.warnings = p.result.warnings;
    try {
      json created = records_.store_created(c, actor, e, *p.create, p.input);
      r.outcome = Outcome::Created;
      r.id = created.value("id", int64_t(0));
      remember_created(plan, created);
    } catch (const Problem& pr) {
      if (!isolated && pr.kind() == ProblemKind::Conflict) throw;  // see process()
      r.outcome = Outcome::Rejected;
      map_problem(pr, plan, u, r.errors);
    }
    return r;
  };
  auto flush = [&](Batch& b) {
    if (b.units.empty()) return;
    std::vector<Result> results;
    bool done = false;
    try {
      session.transaction(true, [&](Connection& c) {
        results.clear();
        for (auto& u : b.units) {
          results.push_back(write_unit(c, u, false));
          warn_continuation(u, results.back());
        }
        // Reported before the commit, so that the reject file holds at least what the
        // checkpoint covers (a resume drops what lies beyond it).
        for (size_t i = 0; i < b.units.size(); ++i) tally(results[i], b.units[i]);
        done = true;
        if (o.on_commit) o.on_commit(c, checkpoint(b, b.units.back().rows.back().line));
      });
    } catch (const std::exception&) {
      if (done) throw;  // the checkpoint or the commit failed: stop rather than count twice
      for (auto& u : b.units) {
        Result r;
        bool tallied = false;
        try {
          session.transaction(true, [&](Connection& c) {
            r = write_unit(c, u, true);
            warn_continuation(u, r);
            tally(r, u);
            tallied = true;
            if (o.on_commit) o.on_commit(c, checkpoint(b, u.rows.back().line));
          });
        } catch (const std::exception& ex) {
          if (tallied) throw;
          r = Result{};
          r.errors.push_back({u.rows.front().line, "", message_of(ex)});
          tally(r, u);
        }
      }
    }
    report.written = true;
  };
  // Reading thread, pipelined: each unit converted and checked as a new record.
  auto prepare = [&](Batch& b) {
    store::with_transaction(records_.database(), false, [&](Connection& rc) {
      if (!defaults_known) {
        defaults = RecordStore::column_defaults(rc, e);
        defaults_known = true;
      }
      for (auto& u : b.units) {
        auto p = std::make_shared<Prepared>();
        Converted head;
        if (!convert_unit(rc, plan, u, p->result, head)) {
          p->rejected = true;
        } else {
          try {
            p->create = records_.prepare_create(rc, actor, e, head.input, defaults ? &*defaults : nullptr);
          } catch (const Problem&) {
            // Refused as a new record: the writer sees whether it updates one, else reports why.
          }
          p->input = std::move(head.input);
        }
        u.prepared = std::move(p);
      }
    });
  };

  BatchQueue queue(2);
  std::exception_ptr writer_failed;
  std::thread writer;
  if (pipelined)
    writer = std::thread([&] {
      try {
        while (auto b = queue.pop()) {
          flush(*b);
          queue.give_back(std::move(*b));
        }
      } catch (...) {
        writer_failed = std::current_exception();
        queue.stop();
      }
    });
  auto finish_writer = [&] {
    if (!writer.joinable()) return;
    queue.close();
    writer.join();
  };
  Batch batch;
  auto hand_over = [&] {
    if (batch.units.empty()) return;
    batch.rows_read = report.rows - (lookahead ? 1 : 0);
    batch.bytes_read = src.bytes_read();
    if (!pipelined) {
      flush(batch);
    } else {
      queue.free_spent();
      prepare(batch);
      if (!queue.push(std::move(batch))) {  // the writer failed: its error is the one to report
        finish_writer();
        std::rethrow_exception(writer_failed);
      }
    }
    batch = Batch{};
  };
  try {
    Unit u;
    while (next_unit(u)) {
      if (skipped(u)) continue;
      batch.rows += u.rows.size();
      batch.units.push_back(std::move(u));
      if (batch.rows >= size_t(std::max(1, o.batch_size))) hand_over();
    }
    hand_over();
  } catch (...) {
    queue.stop();  // what is committed stays, with its checkpoint; the rest is not written
    if (writer.joinable()) writer.join();
    throw;
  }
  finish_writer();
  if (writer_failed) std::rethrow_exception(writer_failed);
  progress();
  // A big import changes the shape of the tables: the planner's statistics follow at once
  // (store/statistics.h), rather than at the next hourly refresh. Never a reason to fail the import.
  if (!o.dry_run && report.created + report.updated >= 10000) {
    try {
      store::analyze_after_bulk_write(records_.database());
    } catch (const std::exception&) {
    }
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Export

std::vector<std::string> ImportService::export_columns(const Entity& e) {
  std::vector<std::string> cols = {"id", "external_id"};
  for (const auto& f : e.fields)
    if (!f.server_set && f.name != "external_id") cols.push_back(f.name);
  cols.push_back("created_at");
  cols.push_back("updated_at");
  return cols;
}

namespace {

std::string cell_text(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "|" : "") + (v[i].is_string() ? v[i].get<std::string>() : v[i].dump());
    return s;
  }
  if (v.is_object() && v.empty()) return "";
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

template <class Fn>
void ImportService::for_each_record(const Actor& actor, const Entity& e, Fn&& fn) {
  if (!e.exportable)
    throw Problem(ProblemKind::NotFound, tr("{entity} cannot be exported; export {entities}",
                                            {{"entity", e.name}, {"entities", kernel::names_with(&Entity::exportable)}}));
  ListRequest req;
  req.params = {{"limit", "500"}, {"sort", "id"}};
  for (;;) {
    ListResult page = records_.list(actor, e, req);
    for (const auto& rec : page.data) fn(rec);
    if (page.next_cursor.empty()) break;
    req.params["cursor"] = page.next_cursor;
  }
}

void ImportService::export_csv(const Actor& actor, const Entity& e, std::ostream& out) {
  auto cols = export_columns(e);
  io::CsvWriter w(out);
  w.write_row(cols);
  std::vector<std::string> row(cols.size());
  for_each_record(actor, e, [&](const json& rec) {
    for (size_t i = 0; i < cols.size(); ++i) row[i] = cell_text(rec.value(cols[i], json()));
    w.write_row(row);
  });
  out.flush();
}

void ImportService::export_xlsx(const Actor& actor, const Entity& e, const std::string& path) {
  auto cols = export_columns(e);
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) throw std::runtime_error("cannot create " + path);
  struct Closer {
    lxw_workbook* wb;
    bool closed = false;
    ~Closer() { if (!closed) workbook_close(wb); }
  } closer{wb};
  lxw_worksheet* ws = workbook_add_worksheet(wb, e.name.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t i = 0; i < cols.size(); ++i) worksheet_write_string(ws, 0, lxw_col_t(i), cols[i].c_str(), bold);
  worksheet_freeze_panes(ws, 1, 0);
  lxw_row_t r = 0;
  for_each_record(actor, e, [&](const json& rec) {
    if (++r >= LXW_ROW_MAX)
      throw Problem(ProblemKind::Unprocessable,
                    tr("too many {entity} for one XLSX sheet; export to CSV instead", {{"entity", entity_label(e)}}));
    for (size_t i = 0; i < cols.size(); ++i) {
      json v = rec.value(cols[i], json());
      auto c = lxw_col_t(i);
      if (v.is_number()) worksheet_write_number(ws, r, c, v.get<double>(), nullptr);
      else if (v.is_boolean()) worksheet_write_boolean(ws, r, c, v.get<bool>(), nullptr);
      else if (!v.is_null()) {
        std::string s = cell_text(v);
        if (s.size() > 32767) s.resize(32767);  // a cell's limit
        if (!s.empty()) worksheet_write_string(ws, r, c, s.c_str(), nullptr);
      }
    }
  });
  closer.closed = true;
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) throw std::runtime_error("cannot write " + path + ": " + lxw_strerror(err));
}

}  // namespace gz::domain

// ---------------------------------------------------------------------------------------------
// Sources

namespace gz::domain {

namespace {

class CsvSource : public RowSource {
 public:
  // encoding: "" = detected from the content (a stream that cannot seek is read as UTF-8).
  CsvSource(std::istream& in, uint64_t total, const std::string& encoding)
      : in_(in), total_(total), start_(in.tellg()) {
    if (total_ == 0 && start_ != std::streampos(-1)) {  // a seekable stream: its size
      in_.seekg(0, std::ios::end);
      auto end = in_.tellg();
      if (end != std::streampos(-1)) total_ = uint64_t(end - start_);
      in_.clear();
      in_.seekg(start_);
    }
    if (start_ == std::streampos(-1)) {
      enc_.name = encoding.empty() ? "UTF-8" : encoding;
      enc_.detected = encoding.empty();
    } else if (encoding.empty()) {
      enc_ = io::detect_encoding(in_);
    } else {
      // Given by the user: the byte-order mark only is looked at.
      char head[4] = {};
      in_.read(head, 4);
      io::TextEncoding seen = io::detect_encoding_of(std::string_view(head, size_t(in_.gcount())), false);
      in_.clear();
      in_.seekg(start_);
      enc_.name = encoding;
      enc_.detected = false;
      enc_.bom = seen.bom && seen.name == encoding;
    }
    open_reader();
  }
  bool read_header(std::vector<std::string>& names) override { return reader_->read_header(names); }
  bool next(io::CsvRow& row) override { return reader_->next(row); }
  uint64_t bytes_read() override {
    auto pos = in_.rdbuf()->pubseekoff(0, std::ios::cur, std::ios::in);
    return pos == std::streampos(-1) || start_ == std::streampos(-1) ? 0 : uint64_t(pos - start_);
  }
  uint64_t total_bytes() override { return total_; }
  bool rewind() override {
    if (start_ == std::streampos(-1)) return false;
    in_.clear();
    in_.seekg(start_);
    if (!in_) return false;
    open_reader();
    return true;
  }
  std::optional<io::TextEncoding> text_encoding() const override { return enc_; }
  char separator() const override { return reader_->separator(); }

 private:
  void open_reader() {
    reader_.reset();
    decoded_.reset();
    if (enc_.name == "UTF-8") {
      reader_ = std::make_unique<io::CsvReader>(in_);  // reads UTF-8 as it is, a byte-order mark dropped
    } else {
      decoded_ = std::make_unique<io::DecodedStream>(in_.rdbuf(), enc_.name);
      reader_ = std::make_unique<io::CsvReader>(*decoded_);
    }
  }
  std::istream& in_;
  uint64_t total_;
  std::streampos start_;
  io::TextEncoding enc_;
  std::unique_ptr<io::DecodedStream> decoded_;
  std::unique_ptr<io::CsvReader> reader_;
};

class XlsxSource : public RowSource {
 public:
  XlsxSource(const std::string& path, const std::string& sheet) : reader_(path) {
    reader_.open_sheet(sheet);
  }
  bool read_header(std::vector<std::string>& names) override {
    int64_t row = 0;
    if (!reader_.next_row(names, row)) return false;
    while (!names.empty() && text::trim(names.back()).empty()) names.pop_back();
    columns_ = names.size();
    return true;
  }
  bool next(io::CsvRow& out) override {
    try {
      for (;;) {
        if (!reader_.next_row(out.fields, out.line)) return false;
        bool blank = std::all_of(out.fields.begin(), out.fields.end(), [](const std::string& f) { return f.empty(); });
        if (!blank) break;  // empty rows (formatted but without values) are skipped, as CSV blank lines
      }
    } catch (const io::XlsxError& e) {
      throw io::CsvError(out.line, Message::verbatim(e.what()), false);
    }
    if (out.fields.size() > columns_) {
      for (size_t i = columns_; i < out.fields.size(); ++i)
        if (!out.fields[i].empty())
          throw io::CsvError(out.line,
                             tr("has a value in column {n} beyond the header's {columns} columns",
                                {{"n", i + 1}, {"columns", columns_}}),
                             true);
    }
    out.fields.resize(columns_);
    return true;
  }
  uint64_t bytes_read() override { return reader_.bytes_read(); }
  uint64_t total_bytes() override { return reader_.total_bytes(); }

 private:
  io::XlsxReader reader_;
  size_t columns_ = 0;
};

// A CSV file opened by path, owning its stream.
class CsvFileSource : public RowSource {
 public:
  CsvFileSource(const std::string& path, const std::string& encoding) : in_(path, std::ios::binary) {
    if (!in_) throw Problem(ProblemKind::NotFound, tr("cannot open {file}", {{"file", path}}));
    inner_ = std::make_unique<CsvSource>(in_, 0, encoding);
  }
  bool read_header(std::vector<std::string>& names) override { return inner_->read_header(names); }
  bool next(io::CsvRow& row) override { return inner_->next(row); }
  uint64_t bytes_read() override { return inner_->bytes_read(); }
  uint64_t total_bytes() override { return inner_->total_bytes(); }
  bool rewind() override { return inner_->rewind(); }
  std::optional<io::TextEncoding> text_encoding() const override { return inner_->text_encoding(); }
  char separator() const override { return inner_->separator(); }

 private:
  std::ifstream in_;
  std::unique_ptr<CsvSource> inner_;
};

std::string fold_header(const std::string& h) {
  std::string f = text::fold(h), out;
  for (char c : f)
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  return out;
}

}  // namespace

// An encoding a user names, checked: its canonical name ("" = detect).
static std::string checked_encoding(const std::string& name) {
  auto canonical = io::canonical_encoding(name);
  if (!canonical) {
    std::string names;
    for (const auto& n : io::supported_encodings()) names += (names.empty() ? "" : ", ") + n;
    throw Problem(ProblemKind::Unprocessable,
                  tr("'{encoding}' is not an encoding the import reads; use {encodings} (or auto to detect it)",
                     {{"encoding", name.substr(0, 40)}, {"encodings", names}}),
                  {{"encoding", tr("use {encodings} or auto", {{"encodings", names}})}});
  }
  return *canonical;
}

std::unique_ptr<RowSource> csv_source(std::istream& in, uint64_t total_bytes, const std::string& encoding) {
  return std::make_unique<CsvSource>(in, total_bytes, checked_encoding(encoding));
}

std::unique_ptr<RowSource> xlsx_source(const std::string& path, const std::string& sheet) {
  try {
    return std::make_unique<XlsxSource>(path, sheet);
  } catch (const io::XlsxError& e) {
    throw Problem(ProblemKind::BadRequest, Message::verbatim(e.what()),
                  {{sheet.empty() ? "file" : "sheet", Message::verbatim(e.what())}});
  }
}

bool is_xlsx_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  char magic[4] = {};
  f.read(magic, 4);
  return f.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

std::unique_ptr<RowSource> open_source(const std::string& path, const std::string& sheet, const std::string& encoding) {
  std::string enc = checked_encoding(encoding);
  if (is_xlsx_file(path)) return xlsx_source(path, sheet);
  if (!sheet.empty())
    throw Problem(ProblemKind::BadRequest, tr("--sheet is for XLSX workbooks; {file} is not one", {{"file", path}}),
                  {{"sheet", tr("only for XLSX files")}});
  return std::make_unique<CsvFileSource>(path, enc);
}

json file_format_json(const std::optional<io::TextEncoding>& enc, char separator) {
  json out = json::object();
  if (!enc) return out;
  out["encoding"] = enc->name;
  out["encoding_detected"] = enc->detected;
  out["bom"] = enc->bom;
  if (separator) out["separator"] = std::string(1, separator);
  return out;
}

json ImportService::peek(RowSource& source, size_t rows) {
  std::vector<std::string> header;
  try {
    if (!source.read_header(header)) throw empty_file();
  } catch (const io::CsvError& err) {
    throw header_problem(err);
  }
  json out = {{"header", header}, {"rows", json::array()}};
  out.update(file_format_json(source.text_encoding(), source.separator()));
  io::CsvRow row;
  while (out["rows"].size() < rows) {
    try {
      if (!source.next(row)) break;
    } catch (const io::CsvError& err) {
      if (!err.recoverable()) break;
      continue;
    }
    out["rows"].push_back(row.fields);
  }
  return out;
}

std::vector<std::string> ImportService::suggest_mapping(const Entity& e, const std::vector<std::string>& header) {
  // Names that spreadsheets and other tools give these columns, folded; the first whose target
  // the entity has wins ("Société": an account's name, a contact's company).
  static const std::vector<std::pair<const char*, const char*>> synonyms = {
      {"nom", "last_name"}, {"lastname", "last_name"}, {"surname", "last_name"}, {"familyname", "last_name"},
      {"nomdefamille", "last_name"}, {"prenom", "first_name"}, {"firstname", "first_name"},
      {"givenname", "first_name"}, {"email", "emails"}, {"mail", "emails"}, {"courriel", "emails"},
      {"mel", "emails"}, {"emailaddress", "emails"}, {"adresseemail", "emails"}, {"adressemail", "emails"},
      {"adressecourriel", "emails"}, {"adresseelectronique", "emails"}, {"telephone", "phones"},
      {"telephone", "phone"}, {"tel", "phones"}, {"tel", "phone"}, {"phone", "phones"}, {"phonenumber", "phones"},
      {"mobile", "phones"}, {"portable", "phones"}, {"telportable", "phones"}, {"telephoneportable", "phones"},
      {"telmobile", "phones"}, {"gsm", "phones"}, {"telfixe", "phones"}, {"numerodetelephone", "phones"},
      {"standard", "phone"}, {"adresse", "street"}, {"address", "street"}, {"rue", "street"},
      {"adressepostale", "street"}, {"codepostal", "postcode"}, {"cp", "postcode"}, {"zip", "postcode"},
      {"zipcode", "postcode"}, {"postalcode", "postcode"}, {"ville", "city"}, {"commune", "city"},
      {"localite", "city"}, {"town", "city"}, {"pays", "country"}, {"societe", "name"}, {"entreprise", "name"},
      {"raisonsociale", "name"}, {"company", "name"}, {"denomination", "name"}, {"nomdelentreprise", "name"},
      {"societe", "account_name"}, {"entreprise", "account_name"}, {"raisonsociale", "account_name"},
      {"company", "account_name"}, {"employeur", "account_name"}, {"organisation", "account_name"},
      {"siret", "legal_id"}, {"siren", "legal_id"}, {"numerosiret", "legal_id"}, {"siret", "account_legal_id"},
      {"siren", "account_legal_id"}, {"fonction", "job_title"}, {"poste", "job_title"}, {"titre", "job_title"},
      {"secteur", "industry"}, {"secteurdactivite", "industry"}, {"siteweb", "website"}, {"siteinternet", "website"},
      {"web", "website"}, {"datedenaissance", "birth_date"}, {"naissance", "birth_date"},
      {"id", "external_id"}, {"ref", "external_id"}, {"reference", "external_id"}, {"code", "external_id"},
      {"codeclient", "external_id"}, {"numeroclient", "external_id"}, {"invoiceno", "external_id"},
      {"invoice", "external_id"}, {"facture", "external_id"}, {"numero", "external_id"},
      {"stockcode", "sku"}, {"sku", "sku"}, {"article", "sku"}, {"quantity", "quantity"}, {"quantite", "quantity"},
      {"qty", "quantity"}, {"unitprice", "unit_price"}, {"prixunitaire", "unit_price"}, {"prix", "unit_price"},
      {"price", "unit_price"}, {"invoicedate", "ordered_at"}, {"date", "ordered_at"}, {"datecommande", "ordered_at"},
      {"customerid", "contact_external_id"}, {"client", "contact_external_id"}, {"customer", "contact_external_id"},
      {"description", "description"}, {"libelle", "description"}, {"canal", "channel"}, {"objet", "subject"},
      {"sujet", "subject"}, {"duree", "duration_seconds"}, {"resultat", "outcome"}, {"taille", "size"}};
  // The reason column of a reject file (read back after the rows were corrected): skipped.
  static const std::set<std::string> reject_reason = {"motifdurejet", "rejectionreason"};

  // What a column can be read as, folded: field names (and the line form's), labels, aliases,
  // references by external id or natural key.
  std::set<std::string> targets = {"external_id"};
  std::map<std::string, std::string> by_name, by_label;
  auto add_target = [&](const std::string& t) {
    targets.insert(t);
    by_name.emplace(fold_header(t), t);
  };
  auto add_label = [&](const kernel::Label& l, const std::string& t) {
    for (const auto* text : {&l.fr, &l.en})
      if (!text->empty()) by_label.emplace(fold_header(*text), t);
  };
  add_target("external_id");
  // A column named after a money field's label ("Montant HT", "Prix unitaire") holds what the
  // forms show, euros ("12 500,00 €"), not cents: it is read as <name>_eur.
  auto label_target = [](const Field& f) {
    return f.kind == FieldKind::Money && ends_with(f.name, "_cents") ? f.name.substr(0, f.name.size() - 6) + "_eur" : f.name;
  };
  for (const auto& f : e.fields) {
    if (f.server_set && f.name != "external_id") continue;
    add_target(f.name);
    if (f.kind != FieldKind::Reference) {
      add_label(f.label, label_target(f));
      continue;
    }
    if (f.name.size() <= 3) continue;
    std::string ref = f.name.substr(0, f.name.size() - 3);
    add_target(ref + "_external_id");
    // A reference's label ("Entreprise") designates the record by its name when it has one.
    for (const char* k : kLookupKeys) {
      std::string t = ref + "_" + k;
      if (!resolve(e, t, t, false)) continue;
      add_target(t);
      if (std::string(k) == "name") add_label(f.label, t);
    }
  }
  if (const kernel::ChildCollection* cc = line_collection(e)) {  // the one-row-per-line form's columns
    for (const auto& f : cc->fields)
      if (!f.server_set) {
        add_target(f.name);
        add_label(f.label, label_target(f));
      }
    for (const auto& k : cc->also_accepted) add_target(k);
    for (const auto& [alias, target] : e.import_aliases) add_target(alias);
  }

  std::vector<std::string> out(header.size());
  std::set<std::string> used;
  // Columns named exactly after a target first, so that a synonym never takes it from them.
  for (size_t i = 0; i < header.size(); ++i)
    if (auto it = by_name.find(fold_header(header[i])); it != by_name.end() && !used.count(it->second)) {
      out[i] = it->second;
      used.insert(it->second);
    }
  for (size_t i = 0; i < header.size(); ++i) {
    if (!out[i].empty()) continue;
    std::string k = fold_header(header[i]), target;
    if (k.empty()) continue;
    if (reject_reason.count(k)) {
      out[i] = "-";
      continue;
    }
    if (auto it = by_label.find(k); it != by_label.end()) target = it->second;
    if (target.empty() || used.count(target)) {
      target.clear();
      for (const auto& [syn, field] : synonyms)
        if (k == syn && targets.count(field) && !used.count(field)) {
          target = field;
          break;
        }
    }
    if (target.empty() || used.count(target)) continue;  // one column per target
    used.insert(target);
    out[i] = target;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading without importing (domain/import_read.h; duplicates check --file): make_plan and
// convert as the import uses them, in one read-only transaction.

void read_import_records(store::Database& db, const Entity& e, RowSource& src, const ImportOptions& o,
                         const std::function<void(const ReadRecord&)>& fn) {
  if (!e.importable)
    throw Problem(ProblemKind::NotFound, tr("{entity} cannot be imported; import {entities}",
                                            {{"entity", e.name}, {"entities", kernel::names_with(&Entity::importable)}}));
  std::vector<std::string> header;
  try {
    if (!src.read_header(header)) throw empty_file();
  } catch (const io::CsvError& err) {
    throw header_problem(err);
  }
  Plan plan = make_plan(e, header, o);
  store::with_transaction(db, false, [&](Connection& c) {
    io::CsvRow row;
    for (;;) {
      ReadRecord r;
      try {
        if (!src.next(row)) break;
      } catch (const io::CsvError& err) {
        if (!err.recoverable())
          throw file_problem(err);
        r.line = err.line();
        r.errors.push_back({err.line(), "", err.message()});
        fn(r);
        continue;
      }
      r.line = row.line;
      Converted conv = convert(c, plan, row, r.errors);
      for (const auto& [field, value] : o.constants)
        if (!conv.input.contains(field)) conv.input[field] = value;
      r.external_id = conv.ext;
      r.input = std::move(conv.input);
      fn(r);
    }
    return 0;
  });
}

}  // namespace gz::domain
