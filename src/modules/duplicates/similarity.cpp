#include "modules/duplicates/similarity.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace gz::matching {

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a == b) return a.empty() ? 0.0 : 1.0;
  const size_t la = a.size(), lb = b.size();
  if (la == 0 || lb == 0) return 0.0;
  const size_t window = std::max<size_t>(la, lb) / 2 > 0 ? std::max<size_t>(la, lb) / 2 - 1 : 0;
  if (la <= 64 && lb <= 64) {
    // Bit-parallel form of the loop below (same matches: each character of a takes the first
    // free equal character of b inside the window): positions of each byte of b as a bit mask.
    thread_local uint64_t positions[256] = {};
    for (size_t j = 0; j < lb; ++j) positions[static_cast<unsigned char>(b[j])] |= uint64_t(1) << j;
    uint64_t used_b = 0, used_a = 0;
    size_t matches = 0;
    for (size_t i = 0; i < la; ++i) {
      size_t lo = i > window ? i - window : 0, hi = std::min(lb, i + window + 1);
      if (lo >= hi) continue;
      uint64_t in_window = (hi == 64 ? ~uint64_t(0) : (uint64_t(1) << hi) - 1) & ~((uint64_t(1) << lo) - 1);
      uint64_t free = positions[static_cast<unsigned char>(a[i])] & in_window & ~used_b;
      if (free) {
        used_b |= free & (~free + 1);
        used_a |= uint64_t(1) << i;
        ++matches;
      }
    }
    for (size_t j = 0; j < lb; ++j) positions[static_cast<unsigned char>(b[j])] = 0;
    if (matches == 0) return 0.0;
    size_t transpositions = 0;
    for (uint64_t x = used_a, y = used_b; x; x &= x - 1, y &= y - 1)
      if (a[size_t(__builtin_ctzll(x))] != b[size_t(__builtin_ctzll(y))]) ++transpositions;
    double m = double(matches);
    double jaro = (m / double(la) + m / double(lb) + (m - double(transpositions) / 2.0) / m) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
    return jaro + double(prefix) * 0.1 * (1.0 - jaro);
  }
  // Longer strings: one flag per character.
  uint8_t fa_small[64], fb_small[64];
  std::vector<uint8_t> fa_big, fb_big;
  uint8_t* fa = fa_small;
  uint8_t* fb = fb_small;
  if (la > 64 || lb > 64) {
    fa_big.assign(la, 0);
    fb_big.assign(lb, 0);
    fa = fa_big.data();
    fb = fb_big.data();
  } else {
    std::fill(fa, fa + la, 0);
    std::fill(fb, fb + lb, 0);
  }
  size_t matches = 0;
  for (size_t i = 0; i < la; ++i) {
    size_t lo = i > window ? i - window : 0, hi = std::min(lb, i + window + 1);
    for (size_t j = lo; j < hi; ++j)
      if (!fb[j] && a[i] == b[j]) {
        fa[i] = fb[j] = 1;
        ++matches;
        break;
      }
  }
  if (matches == 0) return 0.0;
  size_t transpositions = 0, k = 0;
  for (size_t i = 0; i < la; ++i) {
    if (!fa[i]) continue;
    while (!fb[k]) ++k;
    if (a[i] != b[k]) ++transpositions;
    ++k;
  }
  double m = double(matches);
  double jaro = (m / double(la) + m / double(lb) + (m - double(transpositions) / 2.0) / m) / 3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
  return jaro + double(prefix) * 0.1 * (1.0 - jaro);
}

namespace {

// Distance 0, 1 or 2 (= more than one edit) without a table: the comparisons only ever ask
// "at most one edit apart?", and this is their hot path (no allocation, one pass).
bool same_tail(std::string_view a, size_t i, std::string_view b, size_t j) {  // a[i..] == b[j..]
  if (a.size() - i != b.size() - j) return false;
  for (; i < a.size(); ++i, ++j)
    if (a[i] != b[j]) return false;
  return true;
}

int within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  const size_t la = a.size(), lb = b.size();
  if (la - lb > 1) return 2;
  size_t i = 0;
  while (i < lb && a[i] == b[i]) ++i;
  if (la == lb) {
    if (i == la) return 0;
    if (same_tail(a, i + 1, b, i + 1)) return 1;  // substitution
    if (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && same_tail(a, i + 2, b, i + 2)) return 1;  // swap
    return 2;
  }
  return same_tail(a, i + 1, b, i) ? 1 : 2;  // one letter more in a
}

}  // namespace

int damerau_levenshtein(std::string_view a, std::string_view b, int max_distance) {
  int la = int(a.size()), lb = int(b.size());
  if (std::abs(la - lb) > max_distance) return max_distance + 1;
  if (la == 0 || lb == 0) return std::min(std::max(la, lb), max_distance + 1);
  if (max_distance == 1) return within_one_edit(a, b);
  // Three rolling rows (the transposition looks two rows back), on the stack for short strings.
  int small[3][65];
  std::vector<int> big;
  int *r0 = small[0], *r1 = small[1], *r2 = small[2];
  if (lb + 1 > 65) {
    big.assign(size_t(3 * (lb + 1)), 0);
    r0 = big.data();
    r1 = r0 + (lb + 1);
    r2 = r1 + (lb + 1);
  }
  std::fill(r0, r0 + lb + 1, 0);
  for (int j = 0; j <= lb; ++j) r1[size_t(j)] = j;
  for (int i = 1; i <= la; ++i) {
    r2[0] = i;
    int best = r2[0];
    for (int j = 1; j <= lb; ++j) {
      int cost = a[size_t(i - 1)] == b[size_t(j - 1)] ? 0 : 1;
      int v = std::min({r1[size_t(j)] + 1, r2[size_t(j - 1)] + 1, r1[size_t(j - 1)] + cost});
      if (i > 1 && j > 1 && a[size_t(i - 1)] == b[size_t(j - 2)] && a[size_t(i - 2)] == b[size_t(j - 1)])
        v = std::min(v, r0[size_t(j - 2)] + 1);
      r2[size_t(j)] = v;
      best = std::min(best, v);
    }
    if (best > max_distance) return max_distance + 1;
    std::swap(r0, r1);
    std::swap(r1, r2);
  }
  return std::min(r1[size_t(lb)], max_distance + 1);
}

namespace {

std::string letters(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c >= 'a' && c <= 'z') out += char(c - 'a' + 'A');
    else if (c >= 'A' && c <= 'Z') out += c;
  }
  return out;
}

bool vowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y'; }

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string soundex(std::string_view s) {
  static const char* codes = "01230120022455012623010202";  // A..Z
  std::string l = letters(s);
  if (l.empty()) return "";
  std::string out(1, l[0]);
  char last = codes[l[0] - 'A'];
  for (size_t i = 1; i < l.size() && out.size() < 4; ++i) {
    char c = l[i];
    char code = codes[c - 'A'];
    if (c == 'H' || c == 'W') continue;  // do not separate equal codes
    if (code != '0' && code != last) out += code;
    last = code;
  }
  while (out.size() < 4) out += '0';
  return out;
}

std::string phonetic_fr(std::string_view s) {
  std::string w = letters(s);
  if (w.empty()) return "";
  // Spellings of one sound, longest first.
  static const std::pair<const char*, const char*> rules[] = {
      {"SCH", "CH"}, {"SH", "CH"}, {"PH", "F"}, {"TH", "T"}, {"GH", "G"}, {"CK", "K"}, {"QU", "K"}, {"Q", "K"},
      {"CE", "SE"}, {"CI", "SI"}, {"CY", "SI"}, {"CH", "#"}, {"C", "K"}, {"#", "CH"},
      {"GUE", "@E"}, {"GUI", "@I"}, {"GE", "JE"}, {"GI", "JI"}, {"@", "G"}, {"GN", "NI"},
      {"W", "V"}, {"Y", "I"}, {"Z", "S"}, {"EAU", "O"}, {"AU", "O"}, {"AI", "E"}, {"EI", "E"}, {"OE", "E"},
      {"OU", "U"}, {"EN", "AN"}, {"AM", "AN"}, {"EM", "AN"}, {"AIN", "IN"}, {"EIN", "IN"}, {"IM", "IN"},
      {"OM", "ON"}, {"X", "KS"},
  };
  // Silent letters first: a final e, then final t, d, s, x, z, p (Dupont/Dupond, Renaud/Renault).
  while (w.size() > 1 && w.back() == 'E') w.pop_back();
  while (w.size() > 2 && (w.back() == 'T' || w.back() == 'D' || w.back() == 'S' || w.back() == 'X' ||
                          w.back() == 'Z' || w.back() == 'P'))
    w.pop_back();
  if (ends_with(w, "ER") || ends_with(w, "EZ")) w.replace(w.size() - 2, 2, "E");
  for (const auto& [from, to] : rules) replace_all(w, from, to);
  // H is silent except in CH.
  std::string out;
  for (size_t i = 0; i < w.size(); ++i)
    if (w[i] != 'H' || (i > 0 && w[i - 1] == 'C')) out += w[i];
  // Doubled letters sound once.
  std::string code;
  for (char c : out)
    if (code.empty() || code.back() != c) code += c;
  if (code.size() > 1 && code.back() == 'E') code.pop_back();
  return code.substr(0, 8);
}

std::string nysiis(std::string_view s) {
  std::string w = letters(s);
  if (w.empty()) return "";
  auto starts = [&](std::string_view p) { return w.compare(0, p.size(), p) == 0; };
  if (starts("MAC")) w.replace(0, 3, "MCC");
  else if (starts("KN")) w.replace(0, 2, "NN");
  else if (starts("K")) w[0] = 'C';
  else if (starts("PH") || starts("PF")) w.replace(0, 2, "FF");
  else if (starts("SCH")) w.replace(0, 3, "SSS");
  if (ends_with(w, "EE") || ends_with(w, "IE")) w.replace(w.size() - 2, 2, "Y");
  else if (ends_with(w, "DT") || ends_with(w, "RT") || ends_with(w, "RD") || ends_with(w, "NT") || ends_with(w, "ND"))
    w.replace(w.size() - 2, 2, "D");
  std::string key(1, w[0]);
  for (size_t i = 1; i < w.size(); ++i) {
    std::string rep(1, w[i]);
    char c = w[i];
    if (c == 'E' && i + 1 < w.size() && w[i + 1] == 'V') { rep = "AF"; ++i; }
    else if (vowel(c) && c != 'Y') rep = "A";
    else if (c == 'Q') rep = "G";
    else if (c == 'Z') rep = "S";
    else if (c == 'M') rep = "N";
    else if (c == 'K') rep = (i + 1 < w.size() && w[i + 1] == 'N') ? "N" : "C";
    else if (c == 'S' && i + 2 < w.size() && w[i + 1] == 'C' && w[i + 2] == 'H') { rep = "SSS"; i += 2; }
    else if (c == 'P' && i + 1 < w.size() && w[i + 1] == 'H') { rep = "FF"; ++i; }
    else if (c == 'H' && (!vowel(w[i - 1]) || (i + 1 < w.size() && !vowel(w[i + 1])))) rep = std::string(1, w[i - 1]);
    else if (c == 'W' && vowel(w[i - 1])) rep = std::string(1, w[i - 1]);
    for (char r : rep)
      if (key.back() != r) key += r;
  }
  if (key.size() > 1 && key.back() == 'S') key.pop_back();
  if (ends_with(key, "AY")) key.replace(key.size() - 2, 2, "Y");
  if (key.size() > 1 && key.back() == 'A') key.pop_back();
  return key.substr(0, 8);
}

}  // namespace gz::matching
