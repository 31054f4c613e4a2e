// Text helpers for matching: values are stored as the user typed them, and compared through
// fold(), which removes accents and case with ICU ("Hélène LEFÈVRE" -> "helene lefevre").
// Thread-safe: no shared state.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace gz::text {

// Lower-cased, accents removed, ligatures expanded (œ -> oe), other characters kept.
std::string fold(std::string_view utf8);
// fold(), then every run of non-alphanumeric characters becomes one space; trimmed.
std::string fold_words(std::string_view utf8);
// Words of fold_words().
std::vector<std::string> words(std::string_view utf8);
// Number of Unicode code points (what a user calls the length of a string).
size_t length(std::string_view utf8);
bool valid_utf8(std::string_view s);
std::string trim(std::string_view s);
std::string digits_only(std::string_view s);

}  // namespace gz::text
