// French first names and family names as people write them, for matching (inputs already
// normalised by norm_name: folded, lower case, words separated by one space). Pure, thread-safe,
// no allocation on the comparison path.
#pragma once
#include <string_view>

namespace gz::matching {

// One is a usual short form of the other ("fred" / "frederic", "cathy" / "catherine",
// "manu" / "emmanuel"), from a list of French diminutives.
bool nickname_of(std::string_view a, std::string_view b);

// One is the feminine form of the other, so two people: "jean" / "jeanne", "louis" / "louise",
// "daniel" / "danielle", "paul" / "paulette", "laurent" / "laurence".
bool feminine_form(std::string_view a, std::string_view b);

// Comparison of two first names word by word, -1 when the words say nothing (then the plain
// string comparison decides). Returns a level of engine.h:
//  - Close: the same words, each equal, an initial of the other ("j p" / "jean pierre", "jp"
//    being read as "j p"), a short form, or a slip (5+ letters, Jaro–Winkler ≥ 0.94); or one name
//    is some of the other's words in order ("jean" / "jean pierre", "jean p" / "jean pierre");
//  - Similar: only initials agree ("j" / "jean"), or one is the beginning of the other (3+
//    letters, "max" / "maxence");
//  - Different: as many words on both sides (2+) and two of them disagree ("jean pierre" /
//    "jean paul"), or a feminine form.
int compare_given_words(std::string_view a, std::string_view b);

// Family names with marriage words: "dupont nee martin", "martin epouse dupont", "martin ep
// dupont", "dupont veuve martin" hold two names. Calls fn(part) for each name around those words
// (once, with the whole value, when there is none) and returns how many it called.
template <class Fn>
int for_each_family_part(std::string_view s, Fn&& fn);

bool is_marriage_word(std::string_view w);

template <class Fn>
int for_each_family_part(std::string_view s, Fn&& fn) {
  int parts = 0;
  size_t start = 0, i = 0;
  auto flush = [&](size_t end) {
    while (start < end && s[start] == ' ') ++start;
    size_t e = end;
    while (e > start && s[e - 1] == ' ') --e;
    if (e > start) {
      fn(s.substr(start, e - start));
      ++parts;
    }
  };
  while (i <= s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (is_marriage_word(s.substr(i, j - i))) {
      flush(i);
      start = j;
    }
    i = j + 1;
  }
  flush(s.size());
  return parts;
}

}  // namespace gz::matching
