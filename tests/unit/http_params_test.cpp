// The one parser of query parameters (http/params.h): integers with a range, booleans, dates,
// record ids, a parameter given twice, unknown parameters — each refused with a 400 naming it.
#include <gtest/gtest.h>

#include "core/problem.h"
#include "http/params.h"

using namespace gz::http;

namespace {

httplib::Request with(std::initializer_list<std::pair<const char*, const char*>> params) {
  httplib::Request r;
  for (const auto& [k, v] : params) r.params.emplace(k, v);
  return r;
}

// The 400's field list names the parameter.
void expect_bad(const std::function<void()>& f, const std::string& name) {
  try {
    f();
    ADD_FAILURE() << "no problem for " << name;
  } catch (const gz::Problem& p) {
    EXPECT_EQ(p.http_status(), 400) << p.detail();
    ASSERT_EQ(p.fields().size(), 1u);
    EXPECT_EQ(p.fields()[0].field, name);
    EXPECT_NE(p.detail().find(name), std::string::npos) << p.detail();
  }
}

}  // namespace

TEST(HttpParams, ParseInt) {
  EXPECT_EQ(parse_int("0", 0, 10), 0);
  EXPECT_EQ(parse_int("10", 0, 10), 10);
  EXPECT_EQ(parse_int("-5", -10, 10), -5);
  EXPECT_EQ(parse_int("9223372036854775807", 0, INT64_MAX), INT64_MAX);
  EXPECT_EQ(parse_int("-9223372036854775808", INT64_MIN, 0), INT64_MIN);
  for (const char* bad : {"", "-", "11", "-1", " 5", "5 ", "+5", "1e3", "0x10", "abc", "9223372036854775808",
                          "99999999999999999999", "5.0"})
    EXPECT_FALSE(parse_int(bad, 0, 10)) << bad;
}

TEST(HttpParams, ParseBoolAndDate) {
  EXPECT_EQ(parse_bool("true"), true);
  EXPECT_EQ(parse_bool("1"), true);
  EXPECT_EQ(parse_bool(""), true);
  EXPECT_EQ(parse_bool("false"), false);
  EXPECT_EQ(parse_bool("0"), false);
  EXPECT_FALSE(parse_bool("maybe"));
  EXPECT_FALSE(parse_bool("TRUE"));
  EXPECT_EQ(parse_date("2024-02-29"), "2024-02-29");
  EXPECT_EQ(parse_date("2000-02-29"), "2000-02-29");
  for (const char* bad : {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01",
                          "20240101", "2024-01-01T00:00:00Z", "", "abcd-ef-gh", "0000-01-01"})
    EXPECT_FALSE(parse_date(bad)) << bad;
}

TEST(HttpParams, Accessors) {
  auto r = with({{"limit", "50"}, {"unread", "true"}, {"since", "2024-03-01"}, {"user_id", "7"}, {"q", "x"}});
  EXPECT_EQ(query_int(r, "limit", 20, 1, 200), 50);
  EXPECT_EQ(query_int(r, "absent", 20, 1, 200), 20);
  EXPECT_TRUE(query_bool(r, "unread"));
  EXPECT_FALSE(query_bool(r, "absent"));
  EXPECT_TRUE(query_bool(r, "absent", true));
  EXPECT_EQ(query_date(r, "since"), "2024-03-01");
  EXPECT_FALSE(query_date(r, "absent"));
  EXPECT_EQ(query_id(r, "user_id"), 7);
  EXPECT_EQ(query_id(r, "absent", 3), 3);
  EXPECT_EQ(query_text(r, "q", ""), "x");
  EXPECT_EQ(query_text(r, "absent", "dflt"), "dflt");
  EXPECT_EQ(query_map(r).size(), 5u);
  EXPECT_NO_THROW(reject_unknown_params(r, {"limit", "unread", "since", "user_id", "q"}));
}

TEST(HttpParams, RefusalsNameTheParameter) {
  auto r = with({{"limit", "201"}, {"unread", "maybe"}, {"since", "2024-02-30"}, {"user_id", "0"}, {"cursor", "-3"}});
  expect_bad([&] { query_int(r, "limit", 20, 1, 200); }, "limit");
  expect_bad([&] { query_bool(r, "unread"); }, "unread");
  expect_bad([&] { query_date(r, "since"); }, "since");
  expect_bad([&] { query_id(r, "user_id"); }, "user_id");
  expect_bad([&] { query_id(r, "cursor"); }, "cursor");
  expect_bad([&] { reject_unknown_params(r, {"limit"}); }, "cursor");  // the first unknown, in order
  try {
    query_int(r, "limit", 20, 1, 200);
  } catch (const gz::Problem& p) {
    EXPECT_EQ(p.detail(), "limit must be an integer from 1 to 200");
    EXPECT_EQ(p.fields()[0].message, "must be an integer from 1 to 200");
  }
}

TEST(HttpParams, GivenTwice) {
  auto r = with({{"limit", "5"}, {"limit", "6"}, {"map", "a:b"}, {"map", "c:d"}});
  expect_bad([&] { query_int(r, "limit", 20, 1, 200); }, "limit");
  expect_bad([&] { query_text(r, "limit"); }, "limit");
  expect_bad([&] { query_map(r); }, "limit");
  // A parameter meant to be repeated is read whole.
  EXPECT_EQ(query_all(r, "map"), (std::vector<std::string>{"a:b", "c:d"}));
}
