#include "core/text.h"

#include <cctype>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace gz::text {

std::string fold(std::string_view utf8) {
  // Fast path: plain ASCII needs only lower-casing.
  bool ascii = true;
  for (unsigned char c : utf8) if (c >= 0x80) { ascii = false; break; }
  if (ascii) {
    std::string out(utf8);
    for (auto& c : out) if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  icu::UnicodeString src = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), int32_t(utf8.size())));
  icu::UnicodeString decomposed = U_SUCCESS(status) ? nfkd->normalize(src, status) : src;
  icu::UnicodeString stripped;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    switch (c) {  // letters that NFKD keeps whole but a French reader treats as two
      case 0x0153: case 0x0152: stripped.append(u"oe"); continue;
      case 0x00E6: case 0x00C6: stripped.append(u"ae"); continue;
      case 0x00F8: case 0x00D8: stripped.append(u"o"); continue;
      case 0x0142: case 0x0141: stripped.append(u"l"); continue;
      case 0x2019: case 0x2018: stripped.append(u"'"); continue;
      default: stripped.append(c);
    }
  }
  stripped.foldCase();
  std::string out;
  stripped.toUTF8String(out);
  return out;
}

std::string fold_words(std::string_view utf8) {
  std::string f = fold(utf8);
  std::string out;
  out.reserve(f.size());
  bool space = false;
  for (size_t i = 0; i < f.size();) {
    unsigned char c = f[i];
    if (c < 0x80) {
      if (std::isalnum(c)) {
        if (space && !out.empty()) out += ' ';
        space = false;
        out += char(c);
      } else {
        space = true;
      }
      ++i;
    } else {  // keep non-ASCII letters (e.g. Greek, Cyrillic) as part of words
      size_t len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 1;
      if (space && !out.empty()) out += ' ';
      space = false;
      out.append(f, i, len);
      i += len;
    }
  }
  return out;
}

std::vector<std::string> words(std::string_view utf8) {
  std::vector<std::string> out;
  std::string f = fold_words(utf8);
  size_t start = 0;
  while (start < f.size()) {
    size_t end = f.find(' ', start);
    if (end == std::string::npos) end = f.size();
    if (end > start) out.push_back(f.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

size_t length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool valid_utf8(std::string_view s) {
  int32_t i = 0, len = int32_t(s.size());
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  while (i < len) {
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) return false;
  }
  return true;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string digits_only(std::string_view s) {
  std::string out;
  for (char c : s) if (c >= '0' && c <= '9') out += c;
  return out;
}

}  // namespace gz::text
