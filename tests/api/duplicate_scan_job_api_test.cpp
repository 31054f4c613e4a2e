// The duplicate scan as a background job (docs/duplicates.md, "Scan in the background"):
// POST /api/v1/duplicates/scan answers 202 with a job to poll at GET /api/v1/jobs/{id} (progress,
// then the summary in result) and the review queue is replaced when it is done; a second scan of
// the entity while one is queued or running is a 409 naming it; wrong input and roles are refused
// at once without queuing anything; {"wait": true} keeps the synchronous scan.
#include "api_fixture.h"

using namespace gzt;

class DuplicateScanJobApi : public ApiTest {
 protected:
  // Two records of one person (the second forced past the entry check) and a third, distinct one,
  // created by `who`; returns the ids of the two.
  std::pair<int64_t, int64_t> make_duplicates(const std::string& mark, const std::string& who) {
    std::string email = "helene@" + mark + ".fr";
    json first = create("contacts", {{"first_name", "Hélène"}, {"last_name", mark}, {"emails", {email}},
                                     {"phones", {"06 12 34 56 78"}}, {"postcode", "69003"}}, who);
    Response second = post("/api/v1/contacts?allow_duplicate=true", as(who),
                           {{"first_name", "Helene"}, {"last_name", mark}, {"emails", {email}},
                            {"phones", {"0612345678"}}, {"postcode", "69003"}});
    EXPECT_EQ(second.status, 201) << second.dump();
    create("contacts", {{"first_name", "Marc"}, {"last_name", mark + "z"}, {"emails", {"marc@" + mark + ".org"}},
                        {"postcode", "13008"}}, who);
    return {first.value("id", int64_t(0)), second.j.value("id", int64_t(0))};
  }

  // Polls the job as `who` until it has ended (done, failed, dead); returns its last state and
  // every status and stage seen on the way.
  json wait_for(int64_t id, const std::string& who, std::vector<std::string>* seen = nullptr) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      Response r = get("/api/v1/jobs/" + std::to_string(id), as(who));
      EXPECT_EQ(r.status, 200) << r.dump();
      if (r.status != 200) return json();
      std::string status = r.j["status"];
      if (seen) {
        std::string stage = r.j["progress"].is_object() ? r.j["progress"].value("stage", "") : "";
        seen->push_back(status + (stage.empty() ? "" : ":" + stage));
      }
      if (status == "done" || status == "failed" || status == "dead") return r.j;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "job " << id << " still " << status << " after 20 s: " << r.dump();
        return r.j;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  // Scan jobs in the queue (admin's view of GET /api/v1/jobs).
  size_t scan_jobs() {
    Response r = get("/api/v1/jobs?limit=500", as("admin"));
    EXPECT_EQ(r.status, 200) << r.dump();
    size_t n = 0;
    if (r.j.is_object())
      for (const auto& j : r.j["data"]) n += j["kind"] == "duplicates.scan";
    return n;
  }

  // The review queue of contacts as `who`: does a cluster hold both records?
  bool queue_has_pair(const std::string& who, int64_t a, int64_t b) {
    Response r = get("/api/v1/duplicates?entity=contacts&limit=200", as(who));
    EXPECT_EQ(r.status, 200) << r.dump();
    if (!r.j.is_object()) return false;
    for (const auto& c : r.j["data"]) {
      std::set<int64_t> ids;
      for (const auto& m : c["members"]) ids.insert(m["id"].get<int64_t>());
      if (ids.count(a) && ids.count(b)) return true;
    }
    return false;
  }
};

TEST_F(DuplicateScanJobApi, ScanRunsInTheBackgroundAndFillsTheReviewQueue) {
  auto [a, b] = make_duplicates(unique("Vasseur"), "manager_a");
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  EXPECT_FALSE(queue_has_pair("manager_a", a, b)) << "no scan yet";

  Response r = post("/api/v1/duplicates/scan", as("manager_a"), {{"entity", "contacts"}});
  ASSERT_EQ(r.status, 202) << r.dump();
  int64_t id = r.j["id"];
  EXPECT_EQ(r.header("Location"), "/api/v1/jobs/" + std::to_string(id));
  EXPECT_EQ(r.j["job_url"], "/api/v1/jobs/" + std::to_string(id));
  EXPECT_EQ(r.j["kind"], "duplicates.scan");
  EXPECT_TRUE(r.j["status"] == "queued" || r.j["status"] == "running") << r.dump();
  EXPECT_EQ(r.j["created_by"], uid("manager_a"));
  EXPECT_EQ(r.j["payload"], json({{"entity", "contacts"}}));
  EXPECT_TRUE(r.j["result"].is_null());

  std::vector<std::string> seen;
  json job = wait_for(id, "manager_a", &seen);
  ASSERT_EQ(job["status"], "done") << job.dump() << " seen: " << testing::PrintToString(seen);
  EXPECT_TRUE(job["last_error"].is_null());
  EXPECT_EQ(job["progress"]["stage"], "done");
  EXPECT_EQ(job["progress"]["percent"], 100.0);
  const json& res = job["result"];
  ASSERT_TRUE(res.is_object()) << job.dump();
  EXPECT_EQ(res["entity"], "contacts");
  EXPECT_GT(res["scan_id"].get<int64_t>(), 0);
  EXPECT_GE(res["records"].get<int64_t>(), 3);  // the manager's team's contacts: at least these three
  EXPECT_GE(res["clusters"].get<int64_t>(), 1);
  EXPECT_GE(res["proposed"].get<int64_t>() + res["review"].get<int64_t>(), 1);
  EXPECT_TRUE(res["seconds_total"].is_number());
  EXPECT_TRUE(queue_has_pair("manager_a", a, b)) << "the job replaced the review queue";

  // The job is its starter's and the admins': others do not find it.
  EXPECT_EQ(get("/api/v1/jobs/" + std::to_string(id), as("admin")).status, 200);
  EXPECT_EQ(get("/api/v1/jobs/" + std::to_string(id), as("manager_b")).status, 404);
  EXPECT_EQ(get("/api/v1/jobs/" + std::to_string(id), as("sales_a")).status, 404);
  EXPECT_EQ(get("/api/v1/jobs/999999", as("admin")).status, 404);

  // Once it has ended, a new scan of the entity may start.
  Response again = post("/api/v1/duplicates/scan", as("manager_a"), {{"entity", "contacts"}});
  ASSERT_EQ(again.status, 202) << again.dump();
  EXPECT_NE(again.j["id"], id);
  EXPECT_EQ(wait_for(again.j["id"], "manager_a")["status"], "done");
}

TEST_F(DuplicateScanJobApi, SecondScanOfTheEntityIsA409NamingTheRunningOne) {
  make_duplicates(unique("Lefranc"), "admin");
  // The first job may (rarely) end before the second request arrives: then both are accepted
  // one after the other, and the pair of requests is tried again. A 409 must come.
  bool refused = false;
  for (int attempt = 0; attempt < 5 && !refused; ++attempt) {
    Response first = post("/api/v1/duplicates/scan", as("admin"), {{"entity", "contacts"}});
    ASSERT_EQ(first.status, 202) << first.dump();
    int64_t id = first.j["id"];
    Response second = post("/api/v1/duplicates/scan", as("manager_a"), {{"entity", "contacts"}});
    Response inline_scan = post("/api/v1/duplicates/scan", as("admin"), {{"entity", "contacts"}, {"wait", true}});
    // Another entity is not held up.
    Response accounts = post("/api/v1/duplicates/scan", as("admin"), {{"entity", "accounts"}});
    ASSERT_EQ(accounts.status, 202) << accounts.dump();
    if (second.status == 409 && inline_scan.status == 409) {
      refused = true;
      for (const Response* c : {&second, &inline_scan}) {
        EXPECT_TRUE(c->is_problem()) << c->dump();
        EXPECT_EQ(c->j["job_id"], id) << c->dump();
        EXPECT_EQ(c->header("Location"), "/api/v1/jobs/" + std::to_string(id));
        EXPECT_NE(c->j["detail"].get<std::string>().find("job " + std::to_string(id)), std::string::npos) << c->dump();
        EXPECT_TRUE(c->j["job_status"] == "queued" || c->j["job_status"] == "running") << c->dump();
      }
    } else {
      EXPECT_NE(second.status, 202) << "a second scan job while job " << id << " was still queued or running? "
                                    << second.dump();
      EXPECT_TRUE(second.status == 202 || second.status == 409) << second.dump();
      EXPECT_TRUE(inline_scan.status == 200 || inline_scan.status == 409) << inline_scan.dump();
    }
    EXPECT_EQ(wait_for(id, "admin")["status"], "done");
    EXPECT_EQ(wait_for(accounts.j["id"], "admin")["status"], "done");
    if (second.status == 202) EXPECT_EQ(wait_for(second.j["id"], "manager_a")["status"], "done");
  }
  EXPECT_TRUE(refused) << "five times the first scan ended before the second request";
}

TEST_F(DuplicateScanJobApi, WrongInputAndRolesAreRefusedAtOnceWithoutAJob) {
  size_t before = scan_jobs();
  Response r = post("/api/v1/duplicates/scan", as("admin"), {{"entity", "contacts"}, {"threshold_upper", "high"}});
  EXPECT_EQ(r.status, 422) << r.dump();
  EXPECT_TRUE(r.names_field("threshold_upper")) << r.dump();
  r = post("/api/v1/duplicates/scan", as("admin"), {{"threshold_lower", json::array()}, {"wait", "yes"}});
  EXPECT_EQ(r.status, 422) << r.dump();
  EXPECT_TRUE(r.names_field("threshold_lower")) << r.dump();
  EXPECT_TRUE(r.names_field("wait")) << r.dump();
  r = post("/api/v1/duplicates/scan", as("admin"), {{"entity", "orders"}});
  EXPECT_EQ(r.status, 404) << r.dump();
  EXPECT_TRUE(r.names_field("entity")) << r.dump();
  r = post("/api/v1/duplicates/scan", as("admin"), json::array({"contacts"}));
  EXPECT_EQ(r.status, 400) << r.dump();
  for (const char* who : {"sales_a", "read_only", "service"}) {
    r = post("/api/v1/duplicates/scan", as(who), {{"entity", "contacts"}});
    EXPECT_EQ(r.status, 403) << who << ": " << r.dump();
  }
  EXPECT_EQ(post("/api/v1/duplicates/scan", Auth::none(), {{"entity", "contacts"}}).status, 401);
  EXPECT_EQ(scan_jobs(), before) << "nothing queued";
}

TEST_F(DuplicateScanJobApi, WaitTrueScansInlineForScripts) {
  auto [a, b] = make_duplicates(unique("Marchal"), "admin");
  size_t before = scan_jobs();
  Response r = post("/api/v1/duplicates/scan", as("admin"), {{"entity", "contacts"}, {"wait", true}});
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["entity"], "contacts");
  EXPECT_GT(r.j["scan_id"].get<int64_t>(), 0);
  EXPECT_GE(r.j["clusters"].get<int64_t>(), 1);
  EXPECT_TRUE(r.j["seconds_total"].is_number());
  EXPECT_TRUE(queue_has_pair("admin", a, b));
  EXPECT_EQ(scan_jobs(), before) << "an inline scan queues no job";
}
