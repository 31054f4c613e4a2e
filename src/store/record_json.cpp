#include "store/record_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <emmintrin.h>  // SSE2, part of x86-64: the scans below test 16 bytes at a time
#include <unordered_map>

namespace gz::store {

using json = nlohmann::json;
using kernel::FieldKind;

namespace {

bool stored_as_json(FieldKind k) {
  return k == FieldKind::EmailList || k == FieldKind::PhoneList || k == FieldKind::TagList || k == FieldKind::Object;
}

// How many leading bytes of p[0, n) a JSON string copies as they are: not a control character,
// '"' or '\\', nor (when high_stops) a byte of 0x80 or more. Sixteen bytes a step: the strings
// of a list page (names, e-mails, consents) are mostly plain ASCII, and testing them a byte at
// a time was a third of the page's writing.
// kStops[c]: bit 0 set when c always ends a run, bit 1 when it ends one where high bytes stop.
constexpr std::array<unsigned char, 256> kStops = [] {
  std::array<unsigned char, 256> k{};
  for (int c = 0; c < 256; ++c) k[size_t(c)] = c < 0x20 || c == '"' || c == '\\' ? 3 : c >= 0x80 ? 2 : 0;
  return k;
}();

inline __attribute__((always_inline)) size_t plain_prefix(const unsigned char* p, size_t n, bool high_stops) {
  size_t i = 0;
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                                      _mm_cmpeq_epi8(_mm_min_epu8(x, control), x));  // x <= 0x1F
    const int mask = _mm_movemask_epi8(stop) | (high_stops ? _mm_movemask_epi8(x) : 0);
    if (mask) return i + size_t(__builtin_ctz(unsigned(mask)));
  }
  const unsigned char stop_bits = high_stops ? 3 : 1;
  for (; i < n; ++i)
    if (kStops[p[i]] & stop_bits) return i;
  return n;
}

// The length of the well-formed UTF-8 sequence that starts p (its first byte at least 0x80), or 0
// when it is not one (nlohmann replaces such bytes; a string holding one takes its path).
size_t utf8_sequence(const unsigned char* p, size_t left) {
  const unsigned char c = p[0];
  const size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || len > left) return 0;
  const unsigned char c1 = p[1];
  if ((c1 & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
  if (c == 0xED && c1 > 0x9F) return 0;  // surrogates
  if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
  if (c == 0xF4 && c1 > 0x8F) return 0;  // beyond U+10FFFF
  for (size_t k = 2; k < len; ++k)
    if ((p[k] & 0xC0) != 0x80) return 0;
  return len;
}

// A JSON validator that builds nothing (json::accept tokenises into a buffer: 15 % of a list
// page's CPU). RFC 8259 grammar; depth-limited.
class Validator {
 public:
  explicit Validator(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  bool document() {
    space();
    if (!value(0)) return false;
    space();
    return p_ == end_;
  }

 private:
  void space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool literal(const char* word) {
    for (; *word; ++word, ++p_)
      if (p_ == end_ || *p_ != *word) return false;
    return true;
  }
  bool string() {
    ++p_;  // the opening quote
    while (p_ < end_) {
      p_ += plain_prefix(reinterpret_cast<const unsigned char*>(p_), size_t(end_ - p_), false);
      if (p_ == end_) return false;
      const unsigned char c = static_cast<unsigned char>(*p_++);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c == '\\') {
        if (p_ == end_) return false;
        const char e = *p_++;
        if (e == 'u') {
          for (int i = 0; i < 4; ++i, ++p_)
            if (p_ == end_ || !std::isxdigit(static_cast<unsigned char>(*p_))) return false;
        } else if (!std::strchr("\"\\/bfnrt", e) || e == 0) {
          return false;
        }
      }
    }
    return false;
  }
  bool digits() {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > start;
  }
  bool number() {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') ++p_;
    else if (!digits()) return false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!digits()) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
    }
    // A fraction or exponent beyond a double's range is refused, as nlohmann refuses it.
    if (std::find_if(start, p_, [](char ch) { return ch == '.' || ch == 'e' || ch == 'E'; }) != p_) {
      const std::string n(start, p_);
      if (!std::isfinite(std::strtod(n.c_str(), nullptr))) return false;
    }
    return true;
  }
  bool value(int depth) {
    if (p_ == end_ || depth > 64) return false;
    switch (*p_) {
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      case '[': {
        ++p_;
        space();
        if (p_ < end_ && *p_ == ']') return ++p_, true;
        for (;;) {
          if (!value(depth + 1)) return false;
          space();
          if (p_ == end_) return false;
          if (*p_ == ']') return ++p_, true;
          if (*p_++ != ',') return false;
          space();
        }
      }
      case '{': {
        ++p_;
        space();
        if (p_ < end_ && *p_ == '}') return ++p_, true;
        for (;;) {
          if (p_ == end_ || *p_ != '"' || !string()) return false;
          space();
          if (p_ == end_ || *p_++ != ':') return false;
          space();
          if (!value(depth + 1)) return false;
          space();
          if (p_ == end_) return false;
          if (*p_ == '}') return ++p_, true;
          if (*p_++ != ',') return false;
          space();
        }
      }
      default: return (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) && number();
    }
  }
  const char* p_;
  const char* end_;
};

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

bool is_json(std::string_view text) { return Validator(text).document(); }

// One pass: ASCII that needs no escape is copied in runs, a multi-byte character is checked as
// it comes (a first pass to validate the whole string, then one to escape it, cost as much as
// nlohmann's serializer did).
void append_json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  const size_t mark = out.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  out += '"';
  size_t run = 0;  // start of the bytes copied as they are
  for (size_t i = 0; i < n;) {
    i += plain_prefix(p + i, n - i, true);
    if (i == n) break;
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const size_t len = utf8_sequence(p + i, n - i);
      if (len == 0) {
        out.resize(mark);
        out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
        return;
      }
      i += len;
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(esc, 6);
      }
    }
    run = ++i;
  }
  out.append(s.data() + run, n - run);
  out += '"';
}

void append_json(std::string& out, const json& j) {
  switch (j.type()) {
    case json::value_t::null: out += "null"; return;
    case json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; return;
    case json::value_t::number_integer: append_int(out, j.get<int64_t>()); return;
    case json::value_t::number_unsigned: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, j.get<uint64_t>());
      out.append(buf, r.ptr);
      return;
    }
    case json::value_t::string: append_json_string(out, j.get_ref<const std::string&>()); return;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json(out, v);
      }
      out += ']';
      return;
    }
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, v] : j.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        append_json(out, v);
      }
      out += '}';
      return;
    }
    default: out += j.dump(-1, ' ', false, json::error_handler_t::replace);  // floats, binary
  }
}

std::string dump_json(const json& j) {
  std::string out;
  append_json(out, j);
  return out;
}

void RecordJsonWriter::plan(const RowView& row) {
  const int n = row.columns();
  // A plan depends only on the entity and the columns' names: kept per thread and copied (the
  // keys are short strings), not built again for each page (a 360° planned five lists: 5 % of
  // its instructions).
  thread_local std::unordered_map<std::string, std::vector<Column>> plans;
  const kernel::Entity* entity = &e_;  // the catalogue's entities live as long as the process
  std::string names(reinterpret_cast<const char*>(&entity), sizeof entity);
  for (int i = 0; i < n; ++i) {
    names += '\0';
    names += row.name(i);
  }
  if (auto it = plans.find(names); it != plans.end()) {
    columns_ = it->second;
    return;
  }
  columns_.clear();
  columns_.reserve(size_t(n));
  for (int i = 0; i < n; ++i) {
    std::string name(row.name(i));
    std::string key;
    append_json_string(key, name);
    key += ':';
    columns_.push_back({i, std::move(key), e_.field(name)});
  }
  // A JSON object's keys in nlohmann's order (std::map: by bytes); on a repeated name the last
  // column wins there, as here.
  std::stable_sort(columns_.begin(), columns_.end(), [](const Column& a, const Column& b) { return a.key < b.key; });
  std::vector<Column> unique;
  for (auto& c : columns_) {
    if (!unique.empty() && unique.back().key == c.key) unique.back() = std::move(c);
    else unique.push_back(std::move(c));
  }
  columns_ = std::move(unique);
  if (plans.size() >= 512) plans.clear();  // list queries name their columns a few ways only
  plans.emplace(std::move(names), columns_);
}

int RecordJsonWriter::column(std::string_view name) const {
  for (const auto& c : columns_)
    if (std::string_view(c.key).substr(1, c.key.size() - 3) == name) return c.index;
  return -1;
}

void RecordJsonWriter::append_value(const RowView& row, const Column& c, std::string& out) const {
  const FieldKind kind = c.field ? c.field->kind : FieldKind::Text;
  switch (row.type(c.index)) {
    case ColumnType::Null: out += "null"; return;
    case ColumnType::Bool: out += row.text(c.index) == "t" ? "true" : "false"; return;
    case ColumnType::Integer:
      if (c.field && kind == FieldKind::Boolean) out += row.int64(c.index) != 0 ? "true" : "false";
      else append_int(out, row.int64(c.index));
      return;
    case ColumnType::Real:
      if (c.field && kind == FieldKind::Boolean) out += int64_t(row.real(c.index)) != 0 ? "true" : "false";
      else out += json(row.real(c.index)).dump();
      return;
    case ColumnType::Numeric: out += column_value(row, c.index).dump(); return;
    case ColumnType::Text: {
      const std::string_view t = row.text(c.index);
      if (c.field && stored_as_json(kind)) {
        // As stored (the store writes them minified with sorted keys); not JSON: null.
        if (t == "[]" || t == "{}" || is_json(t)) out += t;
        else out += "null";
      } else {
        append_json_string(out, t);
      }
      return;
    }
  }
}

void RecordJsonWriter::append(const RowView& row, std::string& out) {
  if (columns_.empty()) plan(row);
  out += '{';
  bool first = true;
  for (const auto& c : columns_) {
    if (!first) out += ',';
    first = false;
    out += c.key;
    append_value(row, c, out);
  }
  out += '}';
}

}  // namespace gz::store
