// The JSON text writer of the read path (store/record_json.h) against nlohmann, which the tree
// path used: the same escaping for every string, the same verdict on what is JSON.
#include <gtest/gtest.h>

#include <random>

#include "store/record_json.h"

using gz::store::append_json_string;
using gz::store::is_json;
using json = nlohmann::json;

TEST(RecordJson, StringsAreEscapedAsNlohmannDumpsThem) {
  std::vector<std::string> cases = {"", "Élodie", "a\"b", "a\\b", "tab\there", "cr\r\nlf", std::string("nul\0x", 5),
                                    "\x01\x1f\x7f", "</script>", "🦌 € «»", "\xff\xfe invalid", "\xc3", "\xed\xa0\x80",
                                    "\xf4\x90\x80\x80", "\xe0\x80\xaf", "ok\xc3\xa9"};
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {  // random bytes, mostly invalid UTF-8
    std::string s(size_t(rng() % 12), '\0');
    for (auto& ch : s) ch = char(rng() % 256);
    cases.push_back(s);
  }
  for (const auto& s : cases) {
    std::string mine;
    append_json_string(mine, s);
    EXPECT_EQ(mine, json(s).dump(-1, ' ', false, json::error_handler_t::replace)) << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

TEST(RecordJson, WhatIsJsonIsWhatNlohmannAccepts) {
  std::vector<std::string> cases = {"[]", "{}", "[\"a\",1,-2.5e3,true,false,null]", "{\"a\":{\"b\":[1,{}]}}", " [ 1 , 2 ] ",
                                    "", "[", "]", "[1,]", "{\"a\"}", "{\"a\":}", "{a:1}", "[01]", "[1.]", "[.5]", "[-]",
                                    "[1e]", "\"\\u00e9\"", "\"\\u00g9\"", "\"\\x\"", "\"a\nb\"", "[1] [2]", "nul", "truex",
                                    "[\"\\/\"]", "{\"a\":1,}", "[[[[[[[[[[]]]]]]]]]]", "-0", "1E+2", "\"é\""};
  for (const auto& s : cases) EXPECT_EQ(is_json(s), json::accept(s)) << s;
  std::mt19937 rng(11);
  const std::string alphabet = "[]{}\",:0123456789-+.eEtrufalsn \\u";
  for (int i = 0; i < 20000; ++i) {
    std::string s(size_t(rng() % 10), ' ');
    for (auto& ch : s) ch = alphabet[rng() % alphabet.size()];
    EXPECT_EQ(is_json(s), json::accept(s)) << s;
  }
}
