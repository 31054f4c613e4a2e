// String similarity and phonetic codes for record matching. Inputs are already normalised
// (folded, ASCII-ish lower case, see normalize.h); functions work on bytes, are pure and
// thread-safe, and allocate nothing on the hot path (phonetic codes return small strings).
#pragma once
#include <string>
#include <string_view>

namespace gz::matching {

// Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4), 1 for equal strings.
double jaro_winkler(std::string_view a, std::string_view b);

// Optimal-string-alignment Damerau–Levenshtein distance (insert, delete, substitute, swap of
// two adjacent characters), stopping early: returns max_distance + 1 when the distance is larger.
int damerau_levenshtein(std::string_view a, std::string_view b, int max_distance = 3);

// American Soundex of the letters a–z ("robert" -> "R163"); "" when there is no letter.
std::string soundex(std::string_view s);

// A French phonetic code in the spirit of Soundex-FR / Phonex: French spellings that sound
// alike get one code ("Dupont", "Dupond", "Dupon" -> "DUPON"; "Philippe", "Filipe" -> "FILI";
// "Gauthier", "Gautier", "Gotier" -> "GOTI"). Letters a–z only; "" when there is none.
std::string phonetic_fr(std::string_view s);

// NYSIIS (New York State Identification and Intelligence System) code, good on English names
// ("Knight" / "Night" -> "NAGT"), truncated to 8 letters.
std::string nysiis(std::string_view s);

}  // namespace gz::matching
