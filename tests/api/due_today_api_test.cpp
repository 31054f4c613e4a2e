// Follow-ups due on a day without a time are due all that day in the company's time zone
// (modules/activity, task_rules): listed by ?due=today and not by ?overdue=true until local
// midnight, on the days the clocks change too; a follow-up with a time keeps it. And the company
// settings (modules/settings): everyone reads them, an admin changes them, each field checked.
// The server's clock is moved through GAZELLE_TEST_CLOCK_FILE (core/clock.h).
#include <cstdio>

#include "clocked_fixture.h"

using namespace gzt;

namespace {

class DueTodayApi : public ClockedApiTest {
 protected:
  bool listed(int64_t id, const std::string& query, const std::string& who = "sales_a") {
    Response r = get("/api/v1/tasks?assignee_id=me&status=open&limit=500&" + query, as(who));
    EXPECT_EQ(r.status, 200) << r.dump();
    for (const auto& t : r.j["data"])
      if (t["id"] == id) return true;
    return false;
  }
};

}  // namespace

TEST_F(DueTodayApi, ADateOnlyFollowUpIsDueAllDayOnTheSpringForwardDay) {
  at("2026-03-29T06:00:00Z");
  json t = create("tasks", {{"title", "Rappeler Mme Roux"}, {"due_at", "2026-03-29"}}, "sales_a");
  EXPECT_EQ(t["due_date"], "2026-03-29") << t.dump();
  // The day's last second in Paris: 23:59:59 CEST (the day lasts 23 hours).
  EXPECT_EQ(t["due_at"], "2026-03-29T21:59:59Z") << t.dump();
  int64_t id = t["id"].get<int64_t>();
  // From local midnight (23:00 UTC the day before, still CET) to 23:59:59 CEST.
  for (const char* now : {"2026-03-28T23:00:00Z", "2026-03-29T08:00:01Z", "2026-03-29T12:00:00Z", "2026-03-29T21:59:59Z"}) {
    at(now);
    EXPECT_TRUE(listed(id, "due=today")) << now;
    EXPECT_FALSE(listed(id, "overdue=true")) << now;
  }
  at("2026-03-29T22:00:00Z");  // 00:00 CEST on the 30th
  EXPECT_FALSE(listed(id, "due=today"));
  EXPECT_TRUE(listed(id, "overdue=true"));
  at("2026-03-28T22:59:59Z");  // 23:59:59 CET on the 28th: not yet its day
  EXPECT_FALSE(listed(id, "due=today"));
  EXPECT_FALSE(listed(id, "overdue=true"));
}

TEST_F(DueTodayApi, ADateOnlyFollowUpIsDueAllDayOnTheFallBackDay) {
  at("2026-10-25T06:00:00Z");
  json t = create("tasks", {{"title", "Devis cuisine"}, {"due_date", "2026-10-25"}}, "sales_a");
  EXPECT_EQ(t["due_date"], "2026-10-25") << t.dump();
  EXPECT_EQ(t["due_at"], "2026-10-25T22:59:59Z") << t.dump();  // 23:59:59 CET (a 25-hour day)
  int64_t id = t["id"].get<int64_t>();
  for (const char* now : {"2026-10-24T22:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-25T22:30:00Z",
                          "2026-10-25T22:59:59Z"}) {
    at(now);
    EXPECT_TRUE(listed(id, "due=today")) << now;
    EXPECT_FALSE(listed(id, "overdue=true")) << now;
  }
  at("2026-10-25T23:00:00Z");  // 00:00 CET on the 26th
  EXPECT_FALSE(listed(id, "due=today"));
  EXPECT_TRUE(listed(id, "overdue=true"));
}

TEST_F(DueTodayApi, AFollowUpWithATimeKeepsIt) {
  at("2026-06-10T06:00:00Z");
  json t = create("tasks", {{"title", "Appel 14 h"}, {"due_at", "2026-06-10T14:00:00+02:00"}}, "sales_a");
  EXPECT_EQ(t["due_at"], "2026-06-10T12:00:00Z") << t.dump();
  EXPECT_TRUE(t["due_date"].is_null()) << t.dump();
  int64_t id = t["id"].get<int64_t>();
  at("2026-06-10T11:59:59Z");
  EXPECT_TRUE(listed(id, "due=today"));
  EXPECT_FALSE(listed(id, "overdue=true"));
  at("2026-06-10T12:00:01Z");
  EXPECT_TRUE(listed(id, "due=today"));
  EXPECT_TRUE(listed(id, "overdue=true"));

  // Given a day instead, it becomes due all day; given a time again, it keeps that time.
  Response day = patch("/api/v1/tasks/" + std::to_string(id), as("sales_a"), {{"due_at", "2026-06-11"}},
                       {{"If-Match", "\"" + std::to_string(t["version"].get<int64_t>()) + "\""}});
  ASSERT_EQ(day.status, 200) << day.dump();
  EXPECT_EQ(day.j["due_date"], "2026-06-11");
  EXPECT_EQ(day.j["due_at"], "2026-06-11T21:59:59Z");
  Response timed = patch("/api/v1/tasks/" + std::to_string(id), as("sales_a"), {{"due_at", "2026-06-11T09:30:00Z"}},
                         {{"If-Match", "\"" + std::to_string(day.j["version"].get<int64_t>()) + "\""}});
  ASSERT_EQ(timed.status, 200) << timed.dump();
  EXPECT_TRUE(timed.j["due_date"].is_null()) << timed.dump();
  EXPECT_EQ(timed.j["due_at"], "2026-06-11T09:30:00Z");

  Response bad = get("/api/v1/tasks?due=tomorrow", as("sales_a"));
  EXPECT_EQ(bad.status, 400) << bad.dump();
}

namespace {
class CompanySettingsApi : public DueTodayApi {};
const httplib::Headers kFr = {{"Accept-Language", "fr-FR,fr;q=0.9"}};
const httplib::Headers kEn = {{"Accept-Language", "en-GB,en;q=0.9"}};
}  // namespace

TEST_F(CompanySettingsApi, EveryoneReadsThemAndOnlyAnAdminChangesThem) {
  Response r = get("/api/v1/settings/company", as("read_only"));
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["time_zone"], "Europe/Paris");
  EXPECT_EQ(r.j["currency"], "EUR");
  EXPECT_EQ(r.j["language"], "fr");
  EXPECT_EQ(get("/api/v1/settings/company", Auth::none()).status, 401);

  for (const char* who : {"manager_a", "sales_a", "read_only"}) {
    Response no = patch("/api/v1/settings/company", as(who), {{"company_name", "Pirates SARL"}});
    EXPECT_EQ(no.status, 403) << who << " " << no.dump();
  }
  Response ok = patch("/api/v1/settings/company", as("admin"),
                      {{"company_name", "Boulangerie Roux"}, {"siret", "732 829 320 00074"}, {"vat_number", "fr 44 732829320"},
                       {"currency", "chf"}, {"address", "12 rue des Lilas"}, {"postal_code", "69003"}, {"city", "Lyon"}});
  ASSERT_EQ(ok.status, 200) << ok.dump();
  EXPECT_EQ(ok.j["siret"], "73282932000074");
  EXPECT_EQ(ok.j["vat_number"], "FR44732829320");
  EXPECT_EQ(ok.j["currency"], "CHF");
  Response seen = get("/api/v1/settings/company", as("sales_a"));
  EXPECT_EQ(seen.j["company_name"], "Boulangerie Roux");
  EXPECT_EQ(seen.j["city"], "Lyon");
  EXPECT_EQ(seen.j["time_zone"], "Europe/Paris");

  // A stale version is refused.
  EXPECT_EQ(r.j["version"], 0);  // the defaults, before any change
  EXPECT_EQ(ok.j["version"], 1);
  Response stale = patch("/api/v1/settings/company", as("admin"), {{"city", "Paris"}}, {{"If-Match", "\"0\""}});
  EXPECT_EQ(stale.status, 412) << stale.dump();
  Response unknown = patch("/api/v1/settings/company", as("admin"), {{"version", 7}});
  EXPECT_EQ(unknown.status, 400) << unknown.dump();
}

TEST_F(CompanySettingsApi, AnUnknownTimeZoneIsRefusedNamingTheField) {
  Response fr = patch("/api/v1/settings/company", as("admin"), {{"time_zone", "Europe/Pariss"}}, kFr);
  ASSERT_EQ(fr.status, 422) << fr.dump();
  ASSERT_EQ(fr.j["errors"].size(), 1u) << fr.dump();
  EXPECT_EQ(fr.j["errors"][0]["field"], "time_zone");
  EXPECT_EQ(fr.j["errors"][0]["label"], "Fuseau horaire");
  std::string detail = fr.j.value("detail", "");
  EXPECT_EQ(detail.rfind("Fuseau horaire", 0), 0u) << detail;
  EXPECT_NE(detail.find("n'est pas un fuseau horaire connu"), std::string::npos) << detail;

  Response en = patch("/api/v1/settings/company", as("admin"), {{"time_zone", "Europe/Pariss"}}, kEn);
  ASSERT_EQ(en.status, 422) << en.dump();
  EXPECT_EQ(en.j.value("detail", "").rfind("Time zone: 'Europe/Pariss' is not a known time zone", 0), 0u) << en.dump();

  // Every wrong field at once; nothing changes.
  Response many = patch("/api/v1/settings/company", as("admin"),
                        {{"currency", "EUX"}, {"siret", "123"}, {"language", "de"}, {"time_zone", nullptr}}, kEn);
  ASSERT_EQ(many.status, 422) << many.dump();
  EXPECT_EQ(many.j["errors"].size(), 4u) << many.dump();
  EXPECT_EQ(get("/api/v1/settings/company", as("admin")).j["time_zone"], "Europe/Paris");
}

TEST_F(CompanySettingsApi, TheCompanysTimeZoneSetsTheDayOfAFollowUp) {
  Response ny = patch("/api/v1/settings/company", as("admin"), {{"time_zone", "America/New_York"}});
  ASSERT_EQ(ny.status, 200) << ny.dump();
  EXPECT_EQ(ny.j["time_zone"], "America/New_York");
  at("2026-03-08T12:00:00Z");
  // 2026-03-08 is New York's spring-forward day: it ends at 23:59:59 EDT.
  json t = create("tasks", {{"title", "Call Brooklyn"}, {"due_at", "2026-03-08"}}, "sales_a");
  EXPECT_EQ(t["due_at"], "2026-03-09T03:59:59Z") << t.dump();
  int64_t id = t["id"].get<int64_t>();
  at("2026-03-09T03:30:00Z");  // 23:30 in New York, already the 9th in Paris
  EXPECT_TRUE(listed(id, "due=today"));
  EXPECT_FALSE(listed(id, "overdue=true"));
  Response back = patch("/api/v1/settings/company", as("admin"), {{"time_zone", "Europe/Paris"}});
  EXPECT_EQ(back.status, 200) << back.dump();
}
