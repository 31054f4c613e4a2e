// The JSON text writer of the read path (store/record_json.h) against nlohmann, which the tree
// path used: the same escaping for every string, the same verdict on what is JSON.
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <random>

#include "store/record_json.h"

using gz::store::append_json_string;
using gz::store::dump_json;
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
  // Longer strings, mostly plain ASCII: the scan takes 16 bytes a step, and a byte to escape or
  // a multi-byte character may sit anywhere in or across those steps.
  const std::string specials[] = {"\"", "\\", "\n", std::string("\0", 1), "\x1f", "é", "€", "🦌", "\xc3", "\x80"};
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    for (size_t len = rng() % 70; s.size() < len;)
      s += rng() % 8 == 0 ? specials[rng() % std::size(specials)] : std::string(1, char('a' + rng() % 26));
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
  // Strings long enough for the 16-byte scan, with quotes, escapes and control bytes anywhere.
  const std::string pieces[] = {"\"", "\\\"", "\\n", "\\u00e9", "\\x", "\n", "\t", "é", "abcdefgh", "ijklmnopq", ",", ":"};
  for (int i = 0; i < 20000; ++i) {
    std::string s = rng() % 2 ? "[\"" : "{\"k\":\"";
    for (int k = int(rng() % 12); k > 0; --k) s += pieces[rng() % std::size(pieces)];
    s += rng() % 2 ? "\"]" : "\"}";
    EXPECT_EQ(is_json(s), json::accept(s)) << s;
  }
}

// Every kind of value, nested, with the strings of the escaping test among keys and values.
TEST(RecordJson, TreesAreWrittenAsNlohmannDumpsThem) {
  std::mt19937 rng(11);
  auto text = [&] {
    std::string s(size_t(rng() % 6), '\0');
    for (auto& ch : s) ch = char(rng() % 3 == 0 ? rng() % 256 : 'a' + rng() % 26);
    return s;
  };
  std::function<json(int)> value = [&](int depth) -> json {
    switch (rng() % (depth > 3 ? 7 : 9)) {
      case 0: return nullptr;
      case 1: return rng() % 2 == 0;
      case 2: return int64_t(rng()) - int64_t(1) * 2147483648LL * (rng() % 3);
      case 3: return uint64_t(rng()) * 4294967296ULL + rng();
      case 4: return double(int64_t(rng())) / double(1 + rng() % 1000);
      case 5: return text();
      case 6: return std::numeric_limits<double>::quiet_NaN();
      case 7: {
        json a = json::array();
        for (int i = int(rng() % 4); i > 0; --i) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (int i = int(rng() % 4); i > 0; --i) o[text()] = value(depth + 1);
        return o;
      }
    }
  };
  for (int i = 0; i < 3000; ++i) {
    const json j = value(0);
    EXPECT_EQ(dump_json(j), j.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  EXPECT_EQ(dump_json(json::parse(R"({"b":[1,-2,3.5,1e300,"\u00e9"],"a":{"":null,"x":true}})")),
            R"({"a":{"":null,"x":true},"b":[1,-2,3.5,1e+300,"é"]})");
}
