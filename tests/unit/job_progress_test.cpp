// Jobs started by users (docs/jobs.md, migration 009): the progress a handler reports is stored
// while it runs and its result with done; an active key lets one job hold it while queued or
// running and frees it when the job ends; a failed job is not retried beside the new holder.
// SQLite, and PostgreSQL when GAZELLE_TEST_PG_URL names a server.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/crypto.h"
#include "core/problem.h"
#include "domain/jobs.h"
#include "domain/records.h"
#include "modules/duplicates/scan_job.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/user_store.h"
#include "scratch_database.h"

using namespace gz;
using namespace gz::domain;
using json = nlohmann::json;
namespace fs = std::filesystem;

class JobProgress : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    crypto::init();
    scratch_ = std::make_unique<gzt::ScratchDatabase>(GetParam(), "jobprog");
    if (!scratch_->available()) GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set: PostgreSQL variant skipped";
    db_ = store::Database::open(scratch_->location());
    store::apply_migrations(*db_);
  }

  void TearDown() override {
    db_.reset();
    scratch_.reset();
  }

  Job job(int64_t id) {
    auto j = JobQueue(*db_).find(id);
    if (!j) throw std::runtime_error("no job " + std::to_string(id));
    return *j;
  }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<gzt::ScratchDatabase> scratch_;
};

TEST_P(JobProgress, ProgressIsStoredWhileRunningAndResultWhenDone) {
  JobQueue queue(*db_);
  EnqueueOptions eo;
  eo.created_by = 0;
  int64_t id = *queue.enqueue("count", json{{"to", 3}}, eo);
  EXPECT_TRUE(job(id).progress.is_null());
  EXPECT_TRUE(job(id).result.is_null());
  std::vector<json> seen;  // the stored progress, read back by the handler after each report
  JobHandlers handlers;
  handlers.add("count", [&](JobContext& ctx) {
    for (int i = 1; i <= ctx.job.payload["to"].get<int>(); ++i) {
      ctx.report({{"done", i}, {"percent", 100.0 * i / 3}});
      seen.push_back(job(ctx.job.id).progress);
    }
    ctx.result = {{"counted", 3}};
  });
  WorkerOptions o;
  o.heartbeat = false;
  Worker w(queue, handlers, o);
  EXPECT_EQ(w.run_once(), 1);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0]["done"], 1);
  EXPECT_EQ(seen[2]["done"], 3);
  Job done = job(id);
  EXPECT_EQ(done.status, "done");
  EXPECT_EQ(done.result, json({{"counted", 3}}));
  EXPECT_EQ(done.progress["done"], 3);
  json shown = done.to_json();
  EXPECT_EQ(shown["result"]["counted"], 3);
  EXPECT_TRUE(shown["created_by"].is_null());

  // A handler that reports nothing and sets no result leaves both null; a JobContext built
  // without a progress function ignores reports.
  int64_t quiet = *queue.enqueue("quiet");
  handlers.add("quiet", [](JobContext& ctx) { ctx.report({{"ignored", true}}); });
  Worker w2(queue, handlers, o);
  Job fake = job(quiet);
  JobContext bare{fake, *db_, queue, [] { return true; }};
  EXPECT_NO_THROW(bare.report({{"x", 1}}));
  EXPECT_EQ(w2.run_once(), 1);
  EXPECT_EQ(job(quiet).status, "done");
  EXPECT_TRUE(job(quiet).result.is_null());
}

TEST_P(JobProgress, ActiveKeyIsHeldWhileQueuedOrRunningOnly) {
  JobQueue queue(*db_);
  EnqueueOptions eo;
  eo.active_key = "scan:contacts";
  eo.created_by = 7;
  eo.max_attempts = 1;
  auto first = queue.enqueue("scan", json::object(), eo);
  ASSERT_TRUE(first);
  EXPECT_EQ(job(*first).created_by, 7);
  EXPECT_EQ(job(*first).active_key, "scan:contacts");
  EXPECT_FALSE(queue.enqueue("scan", json::object(), eo)) << "the key is held by a queued job";
  ASSERT_TRUE(queue.find_active("scan:contacts"));
  EXPECT_EQ(queue.find_active("scan:contacts")->id, *first);
  EnqueueOptions other = eo;
  other.active_key = "scan:accounts";
  auto accounts = queue.enqueue("scan", json::object(), other);
  EXPECT_TRUE(accounts) << "another key is free";

  // Held while running too; freed when the job fails.
  std::optional<int64_t> while_running = 0;
  JobHandlers handlers;
  handlers.add("scan", [&](JobContext& ctx) {
    if (ctx.job.id != *first) return;
    while_running = queue.enqueue("scan", json::object(), eo);
    throw PermanentJobError("no such entity");
  });
  WorkerOptions o;
  o.heartbeat = false;
  o.batch = 1;
  Worker w(queue, handlers, o);
  EXPECT_EQ(w.run_once(), 1);
  EXPECT_FALSE(while_running) << "the key is held by a running job";
  EXPECT_EQ(job(*first).status, "failed");
  EXPECT_FALSE(queue.find_active("scan:contacts"));
  auto second = queue.enqueue("scan", json::object(), eo);
  ASSERT_TRUE(second) << "an ended job frees its key";

  // The failed job cannot be retried beside the new holder of its key, and can once it is done.
  try {
    queue.retry(*first);
    ADD_FAILURE() << "retried beside job " << *second;
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::Conflict);
    EXPECT_NE(std::string(p.what()).find(std::to_string(*second)), std::string::npos) << p.what();
  }
  while (w.run_once() > 0) {
  }
  EXPECT_EQ(job(*second).status, "done");
  EXPECT_EQ(queue.retry(*first).status, "queued");
  EXPECT_EQ(queue.find_active("scan:contacts")->id, *first);
}

// The duplicate scan job (modules/duplicates/scan_job.h) runs as the user in created_by: the system's scan
// finds the pair and leaves the summary as result; a user without the right, or gone, fails it
// for good with the reason.
TEST_P(JobProgress, ScanJobRunsAsItsStarterAndLeavesTheSummary) {
  RecordService records(*db_);
  const auto& contacts = entity("contacts");
  for (const char* first : {"Hélène", "Helene"})
    records.create(system_actor(), contacts,
                   {{"first_name", first}, {"last_name", "Vasseur"}, {"emails", {"helene@vasseur.fr"}},
                    {"phones", {"06 12 34 56 78"}}, {"postcode", "69003"}});
  records.create(system_actor(), contacts, {{"first_name", "Marc"}, {"last_name", "Dupuis"}, {"postcode", "13008"}});
  int64_t sales = store::with_transaction(*db_, true, [&](store::Connection& c) {
    return store::UserStore::insert_user(c, "s@x.fr", "S", "sales", json(), "");
  });

  JobQueue queue(*db_);
  auto queued = matching::queue_scan(*db_, system_actor(), "contacts", {});
  ASSERT_TRUE(queued.created);
  EXPECT_EQ(queued.job.active_key, "duplicates.scan:contacts");
  EXPECT_FALSE(matching::queue_scan(*db_, system_actor(), "contacts", {}).created);
  EnqueueOptions as_sales;
  as_sales.created_by = sales;
  int64_t refused = *queue.enqueue(matching::kScanJobKind, {{"entity", "contacts"}}, as_sales);
  EnqueueOptions as_ghost;
  as_ghost.created_by = 999999;
  int64_t ghost = *queue.enqueue(matching::kScanJobKind, {{"entity", "accounts"}}, as_ghost);

  JobHandlers handlers;
  matching::add_scan_job_handler(handlers);
  WorkerOptions o;
  o.heartbeat = false;
  Worker w(queue, handlers, o);
  while (w.run_once() > 0) {
  }
  Job done = job(queued.job.id);
  ASSERT_EQ(done.status, "done") << done.last_error;
  EXPECT_EQ(done.progress, matching::scan_progress_json("done", 1));
  EXPECT_EQ(done.result["entity"], "contacts");
  EXPECT_EQ(done.result["records"], 3);
  EXPECT_EQ(done.result["clusters"], 1);
  EXPECT_GT(done.result["scan_id"].get<int64_t>(), 0);
  EXPECT_EQ(job(refused).status, "failed");
  EXPECT_NE(job(refused).last_error.find("only admins and managers"), std::string::npos) << job(refused).last_error;
  EXPECT_EQ(job(ghost).status, "failed");
  EXPECT_NE(job(ghost).last_error.find("no longer active"), std::string::npos) << job(ghost).last_error;

  // Percent grows with the stages.
  double last = -1;
  for (const char* stage : {"loading", "blocking", "comparing", "weights", "clustering", "storing", "done"})
    for (double f : {0.0, 0.5, 1.0}) {
      double p = matching::scan_progress_json(stage, f)["percent"].get<double>();
      EXPECT_GE(p, last) << stage << " " << f;
      last = p;
    }
  EXPECT_EQ(last, 100.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobProgress, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
