// Keyset pagination over HTTP: every page walk sees each record exactly once, whatever the sort.
#include "api_fixture.h"

using namespace gzt;

class PaginationApi : public ApiTest {
 protected:
  struct Walk {
    std::vector<int64_t> ids;
    std::vector<json> records;
    int pages = 0;
  };
  Walk walk(const std::string& entity, const std::string& query, int limit, const std::string& who = "admin") {
    Walk w;
    std::string cursor;
    while (w.pages < 500) {
      std::string path = "/api/v1/" + entity + "?limit=" + std::to_string(limit) + (query.empty() ? "" : "&" + query) +
                         (cursor.empty() ? "" : "&cursor=" + enc(cursor));
      Response r = get(path, as(who));
      EXPECT_EQ(r.status, 200) << path << ": " << r.dump();
      if (r.status != 200) break;
      ++w.pages;
      EXPECT_LE(r.j["data"].size(), size_t(limit));
      for (const auto& rec : r.j["data"]) {
        w.ids.push_back(rec["id"].get<int64_t>());
        w.records.push_back(rec);
      }
      if (r.j["next_cursor"].is_null()) break;
      EXPECT_EQ(r.j["data"].size(), size_t(limit)) << "only the last page may be short";
      cursor = r.j["next_cursor"].get<std::string>();
    }
    return w;
  }
  static void expect_no_duplicates(const std::vector<int64_t>& ids, const std::string& what) {
    std::set<int64_t> seen(ids.begin(), ids.end());
    EXPECT_EQ(seen.size(), ids.size()) << "duplicates in " << what;
  }
};

TEST_F(PaginationApi, WalksAllContactsWithLimitTwo) {
  std::string marker = unique("campaign");
  std::vector<int64_t> created;
  // Equal last names and missing first names make ties for the sort keys.
  const char* last[] = {"Bernard", "Bernard", "Bernard", "Petit", "Petit", "Arnaud", "Zola"};
  for (int i = 0; i < 7; ++i) {
    json body = {{"last_name", last[i]}, {"source_campaign", marker}};
    if (i % 3 != 0) body["first_name"] = "P" + std::to_string(7 - i);
    created.push_back(create("contacts", body)["id"]);
  }
  create("contacts", {{"last_name", "Hors campagne"}});

  Walk w = walk("contacts", "source_campaign=" + marker, 2);
  EXPECT_EQ(w.pages, 4);
  expect_no_duplicates(w.ids, "campaign walk");
  EXPECT_EQ(std::set<int64_t>(w.ids.begin(), w.ids.end()), std::set<int64_t>(created.begin(), created.end()));
  // Default sort is last_name, then id.
  for (size_t i = 1; i < w.records.size(); ++i) {
    auto a = w.records[i - 1]["last_name"].get<std::string>(), b = w.records[i]["last_name"].get<std::string>();
    EXPECT_TRUE(a < b || (a == b && w.ids[i - 1] < w.ids[i])) << a << " " << b;
  }
  EXPECT_EQ(count("contacts", "admin", "source_campaign=" + marker), 7);

  // Every sort, both directions, over all contacts: count=true gives the total walked.
  int64_t total = count("contacts");
  EXPECT_GE(total, 8);
  for (const char* sort : {"last_name", "-last_name", "first_name", "-first_name", "id", "-id", "created_at",
                           "-updated_at", "city"}) {
    Walk all = walk("contacts", std::string("sort=") + sort, 2);
    expect_no_duplicates(all.ids, sort);
    EXPECT_EQ(int64_t(all.ids.size()), total) << "sort=" << sort;
    for (int64_t id : created) EXPECT_TRUE(contains_id(all.ids, id)) << "sort=" << sort << " missed " << id;
  }
}

TEST_F(PaginationApi, CountAndEmptyPages) {
  std::string marker = unique("none");
  Response r = get("/api/v1/contacts?count=true&source_campaign=" + marker, as("admin"));
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["total"], 0);
  EXPECT_TRUE(r.j["data"].empty());
  EXPECT_TRUE(r.j["next_cursor"].is_null());
  Response no_count = get("/api/v1/contacts?limit=1", as("admin"));
  EXPECT_FALSE(no_count.j.contains("total")) << "total only when asked for";
}

TEST_F(PaginationApi, PagesOfInteractionsByDate) {
  json c = create("contacts", {{"last_name", "Bavard"}});
  std::vector<int64_t> created;
  for (int i = 0; i < 9; ++i) {
    // Several interactions share one time: ties on the sort key.
    std::string at = "2026-01-0" + std::to_string(1 + i / 3) + "T10:00:00Z";
    created.push_back(create("interactions", {{"channel", "phone"}, {"contact_id", c["id"]}, {"occurred_at", at}})["id"]);
  }
  for (int limit : {1, 2, 4}) {
    Walk w = walk("interactions", "contact_id=" + c["id"].dump(), limit);
    expect_no_duplicates(w.ids, "interactions");
    EXPECT_EQ(w.ids.size(), 9u) << "limit " << limit;
    for (size_t i = 1; i < w.records.size(); ++i)
      EXPECT_GE(w.records[i - 1]["occurred_at"].get<std::string>(), w.records[i]["occurred_at"].get<std::string>())
          << "default sort is newest first";
  }
  Walk range = walk("interactions", "contact_id=" + c["id"].dump() + "&occurred_at_after=2026-01-02&occurred_at_before=2026-01-03", 2);
  EXPECT_EQ(range.ids.size(), 3u);
}

TEST_F(PaginationApi, SalesPagesOnlyOverVisibleRecords) {
  std::string marker = unique("vis");
  for (int i = 0; i < 3; ++i) create("contacts", {{"last_name", "Visible"}, {"source_campaign", marker}}, "sales_a");
  for (int i = 0; i < 3; ++i) create("contacts", {{"last_name", "Caché"}, {"source_campaign", marker}}, "sales_b");
  Walk w = walk("contacts", "source_campaign=" + marker, 2, "sales_a");
  EXPECT_EQ(w.ids.size(), 3u);
  for (const auto& r : w.records) EXPECT_EQ(r["owner_id"], uid("sales_a"));
  EXPECT_EQ(count("contacts", "sales_a", "source_campaign=" + marker), 3);
  EXPECT_EQ(count("contacts", "admin", "source_campaign=" + marker), 6);
}

TEST_F(PaginationApi, TextSortsByCodePointOnEveryBackend) {
  // Sorting compares UTF-8 bytes (code points), as SQLite does: upper case before lower case,
  // accented letters after z. PostgreSQL must agree whatever its locale would do.
  std::string marker = unique("tri");
  const std::vector<std::string> names = {"zola", "Zola", "émile", "Emile", "emile", "Éric", "eric", "Ångström",
                                          "bernard", "Bernard", "b-ernard", "b ernard", "10", "9", "Œuvre"};
  for (const auto& n : names) create("contacts", {{"last_name", n}, {"source_campaign", marker}});
  std::vector<std::string> expected = names;
  std::sort(expected.begin(), expected.end());
  for (int limit : {3, 100}) {
    Walk w = walk("contacts", "sort=last_name&source_campaign=" + marker, limit);
    std::vector<std::string> got;
    for (const auto& r : w.records) got.push_back(r["last_name"]);
    EXPECT_EQ(got, expected) << "limit " << limit;
    Walk d = walk("contacts", "sort=-last_name&source_campaign=" + marker, limit);
    std::vector<std::string> got_desc;
    for (const auto& r : d.records) got_desc.push_back(r["last_name"]);
    EXPECT_EQ(got_desc, std::vector<std::string>(expected.rbegin(), expected.rend())) << "limit " << limit;
  }
}
