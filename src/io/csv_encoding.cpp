#include "io/csv_encoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "core/utf8.h"

namespace gz::io {

using utf8::append_utf8;
using utf8::next_code_point;

namespace {

constexpr size_t kChunk = 1 << 16;

// A single-byte encoding as ICU reads it: the UTF-8 of each byte, and back.
struct SingleByte {
  std::vector<std::string> to_utf8 = std::vector<std::string>(256);
  std::unordered_map<uint32_t, char> from_code_point;
};

const SingleByte& single_byte(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<SingleByte>> tables;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = tables[name];
  if (slot) return *slot;
  UErrorCode err = U_ZERO_ERROR;
  UConverter* cnv = ucnv_open(name.c_str(), &err);
  if (U_FAILURE(err)) throw std::runtime_error("no converter for " + name);
  auto t = std::make_unique<SingleByte>();
  for (int b = 0; b < 256; ++b) {
    char in = char(b);
    UChar out[4];
    err = U_ZERO_ERROR;
    ucnv_reset(cnv);
    int32_t n = ucnv_toUChars(cnv, out, 4, &in, 1, &err);
    uint32_t cp = U_SUCCESS(err) && n >= 1 ? out[0] : 0xFFFD;
    if (b < 0x80) cp = uint32_t(b);  // ASCII as itself whatever the converter says
    append_utf8(t->to_utf8[size_t(b)], cp);
    if (cp != 0xFFFD) t->from_code_point.emplace(cp, char(b));
  }
  ucnv_close(cnv);
  slot = std::move(t);
  return *slot;
}

bool is_single_byte(const std::string& name) { return name != "UTF-8" && name != "UTF-16LE" && name != "UTF-16BE"; }

// Whether bytes are valid UTF-8; with at_end false, a sequence cut by the end of the sample is fine.
bool valid_utf8(std::string_view s, bool at_end) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || c == 0xC0 || c == 0xC1 || c > 0xF4) return false;
    if (i + len > n) return !at_end && std::all_of(s.begin() + long(i) + 1, s.end(), [](char x) {
                                   return (static_cast<unsigned char>(x) & 0xC0) == 0x80;
                                 });
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    i += len;
  }
  return true;
}

std::string lower_alnum(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) out += char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Not a byte-order mark nor valid UTF-8: UTF-16/32 when ICU's detector is sure of it, Mac Roman
// when bytes undefined in Windows-1252 occur, else Windows-1252.
TextEncoding detect_legacy(std::string_view sample) {
  TextEncoding enc;
  enc.name = "windows-1252";
  enc.confidence = 0;
  UErrorCode err = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&err);
  if (U_SUCCESS(err)) {
    ucsdet_setText(det, sample.data(), int32_t(std::min<size_t>(sample.size(), 1 << 20)), &err);
    const UCharsetMatch* m = U_SUCCESS(err) ? ucsdet_detect(det, &err) : nullptr;
    if (m && U_SUCCESS(err)) {
      std::string name = ucsdet_getName(m, &err);
      int conf = ucsdet_getConfidence(m, &err);
      if (U_SUCCESS(err)) {
        enc.confidence = conf;
        if ((name == "UTF-16LE" || name == "UTF-16BE") && conf >= 60) enc.name = name;
      }
    }
    ucsdet_close(det);
  }
  if (enc.name == "windows-1252") {
    for (char c : sample) {
      unsigned char b = static_cast<unsigned char>(c);
      if (b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D) {
        enc.name = "macintosh";
        break;
      }
    }
  }
  return enc;
}

}  // namespace

const std::vector<std::string>& supported_encodings() {
  static const std::vector<std::string> names = {"UTF-8",     "windows-1252", "ISO-8859-1", "ISO-8859-15",
                                                 "macintosh", "IBM850",       "UTF-16LE",   "UTF-16BE"};
  return names;
}

std::optional<std::string> canonical_encoding(std::string_view raw) {
  std::string k = lower_alnum(raw);
  if (k.empty() || k == "auto") return std::string();
  static const std::map<std::string, std::string> aliases = {
      {"utf8", "UTF-8"},          {"unicode", "UTF-8"},           {"windows1252", "windows-1252"},
      {"cp1252", "windows-1252"}, {"win1252", "windows-1252"},    {"ansi", "windows-1252"},
      {"iso88591", "ISO-8859-1"}, {"latin1", "ISO-8859-1"},       {"l1", "ISO-8859-1"},
      {"iso885915", "ISO-8859-15"}, {"latin9", "ISO-8859-15"},    {"latin0", "ISO-8859-15"},
      {"macintosh", "macintosh"}, {"mac", "macintosh"},           {"macroman", "macintosh"},
      {"ibm850", "IBM850"},       {"cp850", "IBM850"},            {"dos", "IBM850"},
      {"utf16le", "UTF-16LE"},    {"utf16", "UTF-16LE"},          {"utf16be", "UTF-16BE"}};
  auto it = aliases.find(k);
  if (it == aliases.end()) return std::nullopt;
  return it->second;
}

TextEncoding detect_encoding_of(std::string_view s, bool at_end) {
  TextEncoding enc;
  if (s.size() >= 3 && s.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    enc.bom = true;
    return enc;
  }
  if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xFF && static_cast<unsigned char>(s[1]) == 0xFE) {
    enc.name = "UTF-16LE";
    enc.bom = true;
    return enc;
  }
  if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xFE && static_cast<unsigned char>(s[1]) == 0xFF) {
    enc.name = "UTF-16BE";
    enc.bom = true;
    return enc;
  }
  // UTF-16 without a mark is valid UTF-8 (ASCII and NUL bytes): NULs in text say otherwise.
  size_t nuls = static_cast<size_t>(std::count(s.begin(), s.begin() + long(std::min<size_t>(s.size(), 4096)), '\0'));
  if (nuls == 0 && valid_utf8(s, at_end)) return enc;
  return detect_legacy(s);
}

TextEncoding detect_encoding(std::istream& in) {
  std::streambuf* buf = in.rdbuf();
  auto start = buf->pubseekoff(0, std::ios::cur, std::ios::in);
  std::string head(kChunk, '\0');
  head.resize(size_t(buf->sgetn(head.data(), std::streamsize(head.size()))));
  if (start == std::streampos(-1)) return detect_encoding_of(head, head.size() < kChunk);
  TextEncoding enc = detect_encoding_of(head, head.size() < kChunk);
  if (enc.name == "UTF-8" && !enc.bom && head.size() == kChunk) {
    // Valid so far: the rest must be too, chunk by chunk (a sequence cut between two chunks is
    // carried over).
    std::string carry, chunk(kChunk, '\0');
    size_t cut = head.size();
    while (cut > 0 && (static_cast<unsigned char>(head[cut - 1]) & 0xC0) == 0x80 && head.size() - cut < 3) --cut;
    if (cut > 0 && static_cast<unsigned char>(head[cut - 1]) >= 0xC0) carry = head.substr(cut - 1);
    for (;;) {
      auto n = buf->sgetn(chunk.data(), std::streamsize(chunk.size()));
      if (n <= 0) {
        if (!carry.empty() && !valid_utf8(carry, true)) enc = detect_legacy(head);
        break;
      }
      std::string part = carry + chunk.substr(0, size_t(n));
      bool last = size_t(n) < chunk.size();
      if (!valid_utf8(part, last)) {
        enc = detect_legacy(head + part);
        break;
      }
      carry.clear();
      if (!last) {
        size_t c = part.size();
        while (c > 0 && (static_cast<unsigned char>(part[c - 1]) & 0xC0) == 0x80 && part.size() - c < 3) --c;
        if (c > 0 && static_cast<unsigned char>(part[c - 1]) >= 0xC0) carry = part.substr(c - 1);
      } else {
        break;
      }
    }
  }
  in.clear();
  buf->pubseekpos(start, std::ios::in);
  return enc;
}

DecodingStreambuf::DecodingStreambuf(std::streambuf* source, const std::string& encoding) : src_(source) {
  if (encoding == "UTF-8" || encoding.empty()) kind_ = Kind::Utf8;
  else if (encoding == "UTF-16LE") kind_ = Kind::Utf16LE;
  else if (encoding == "UTF-16BE") kind_ = Kind::Utf16BE;
  else {
    kind_ = Kind::SingleByte;
    table_ = &single_byte(encoding).to_utf8;
  }
  in_.resize(kChunk);
}

DecodingStreambuf::int_type DecodingStreambuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  for (;;) {
    std::streamsize n = src_ ? src_->sgetn(in_.data(), std::streamsize(in_.size())) : 0;
    if (n <= 0) return traits_type::eof();
    consumed_ += uint64_t(n);
    std::string out;
    out.reserve(size_t(n) * 2);
    size_t i = 0;
    if (!started_) {
      started_ = true;
      auto u = [&](size_t k) { return static_cast<unsigned char>(in_[k]); };
      if (kind_ == Kind::Utf8 && n >= 3 && u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) i = 3;
      if (kind_ == Kind::Utf16LE && n >= 2 && u(0) == 0xFF && u(1) == 0xFE) i = 2;
      if (kind_ == Kind::Utf16BE && n >= 2 && u(0) == 0xFE && u(1) == 0xFF) i = 2;
    }
    if (kind_ == Kind::Utf8) {
      out.assign(in_.data() + i, size_t(n) - i);
    } else if (kind_ == Kind::SingleByte) {
      for (; i < size_t(n); ++i) out += (*table_)[static_cast<unsigned char>(in_[i])];
    } else {
      std::string bytes = carry_ + std::string(in_.data() + i, size_t(n) - i);
      carry_.clear();
      size_t k = 0;
      bool le = kind_ == Kind::Utf16LE;
      auto unit = [&](size_t at) {
        unsigned a = static_cast<unsigned char>(bytes[at]), b = static_cast<unsigned char>(bytes[at + 1]);
        return le ? (b << 8 | a) : (a << 8 | b);
      };
      while (k + 1 < bytes.size()) {
        unsigned u1 = unit(k);
        if (u1 >= 0xD800 && u1 <= 0xDBFF) {
          if (k + 3 >= bytes.size()) break;  // the low surrogate is in the next chunk
          unsigned u2 = unit(k + 2);
          if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
            append_utf8(out, 0x10000 + ((u1 - 0xD800) << 10) + (u2 - 0xDC00));
            k += 4;
            continue;
          }
          append_utf8(out, 0xFFFD);
          k += 2;
          continue;
        }
        append_utf8(out, (u1 >= 0xDC00 && u1 <= 0xDFFF) ? 0xFFFD : u1);
        k += 2;
      }
      carry_ = bytes.substr(k);
    }
    if (out.empty()) continue;
    out_.assign(out.begin(), out.end());
    setg(out_.data(), out_.data(), out_.data() + out_.size());
    return traits_type::to_int_type(*gptr());
  }
}

std::string byte_order_mark(const std::string& encoding) {
  if (encoding == "UTF-8") return "\xEF\xBB\xBF";
  if (encoding == "UTF-16LE") return "\xFF\xFE";
  if (encoding == "UTF-16BE") return "\xFE\xFF";
  return "";
}

std::string encode_text(std::string_view utf8, const std::string& encoding) {
  if (encoding == "UTF-8" || encoding.empty()) return std::string(utf8);
  std::string out;
  out.reserve(utf8.size());
  const SingleByte* t = is_single_byte(encoding) ? &single_byte(encoding) : nullptr;
  size_t i = 0;
  while (i < utf8.size()) {
    uint32_t cp = next_code_point(utf8, i);
    if (cp == 0x202F) cp = 0xA0;  // narrow no-break space (French numbers): a no-break space
    if (t) {
      if (cp < 0x80) {
        out += char(cp);
        continue;
      }
      auto it = t->from_code_point.find(cp);
      out += it != t->from_code_point.end() ? it->second : '?';
      continue;
    }
    bool le = encoding == "UTF-16LE";
    auto put = [&](uint32_t u) {
      char a = char(u >> 8), b = char(u & 0xFF);
      if (le) { out += b; out += a; } else { out += a; out += b; }
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}

}  // namespace gz::io
