// Import runs as jobs (docs/import.md, "Resume after a crash"; docs/jobs.md): a run queued by the
// web is imported by the "import_run" job; a job whose worker died is taken again after its
// lease and resumes the run from its checkpoint; while its job is queued or running, a run is
// not marked interrupted. SQLite, and PostgreSQL when GAZELLE_TEST_PG_URL names a server.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/clock.h"
#include "core/crypto.h"
#include "domain/import_runs.h"
#include "domain/jobs.h"
#include "store/import_store.h"
#include "store/migrations.h"
#include "scratch_database.h"

using namespace gz;
using namespace gz::domain;
using json = nlohmann::json;
namespace fs = std::filesystem;

class ImportRunJob : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    crypto::init();
    scratch_ = std::make_unique<gzt::ScratchDatabase>(GetParam(), "importjob");
    if (!scratch_->available()) GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set: PostgreSQL variant skipped";
    db_ = store::Database::open(scratch_->location());
    store::apply_migrations(*db_);
    char tmpl[] = "/tmp/gazelle-importjob-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    db_.reset();
    scratch_.reset();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  // A contacts file of n rows (lines 2 … n + 1), each with an external id.
  std::string write_file(int n) {
    std::string path = (dir_ / "contacts.csv").string();
    std::ofstream out(path);
    out << "external_id,last_name\n";
    for (int i = 1; i <= n; ++i) out << "K" << i << ",Name" << i << "\n";
    return path;
  }
  json query_one(const std::string& sql, const store::Params& p = {}) {
    return store::with_transaction(*db_, false, [&](store::Connection& c) { return c.query_one(sql, p); });
  }
  json run(int64_t id) { return *store::with_transaction(*db_, false, [&](store::Connection& c) { return store::ImportRunStore::find(c, id); }); }
  Job job(int64_t id) { return *JobQueue(*db_).find(id); }

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<gzt::ScratchDatabase> scratch_;
  fs::path dir_;
};

TEST_P(ImportRunJob, QueuedRunIsImportedByItsJob) {
  ImportFileRequest req;
  req.entity = "contacts";
  req.path = write_file(30);
  req.rejects_path = (dir_ / "contacts.rejects.csv").string();
  int64_t run_id = queue_import_run(*db_, system_actor(), req);
  Job queued = queue_import_job(*db_, system_actor(), {run_id, req.path, "", false, false});
  EXPECT_EQ(queued.kind, "import_run");
  EXPECT_EQ(queued.payload["run_id"], run_id);
  // One run, one job: queueing it again answers the same job.
  EXPECT_EQ(queue_import_job(*db_, system_actor(), {run_id, req.path, "", false, false}).id, queued.id);

  JobHandlers handlers;
  add_import_run_handler(handlers, {});
  JobQueue queue(*db_);
  WorkerOptions o;
  o.heartbeat = false;
  Worker w(queue, handlers, o);
  EXPECT_EQ(w.run_once(), 1);
  Job done = job(queued.id);
  EXPECT_EQ(done.status, "done") << done.last_error;
  EXPECT_EQ(done.result["run_id"], run_id);
  EXPECT_EQ(done.result["created"], 30);
  EXPECT_EQ(run(run_id)["status"], "done");
  EXPECT_EQ(query_one("SELECT COUNT(*) AS n FROM contacts")["n"], 30);
  EXPECT_TRUE(fs::exists(req.path)) << "remove_file was not asked";
}

TEST_P(ImportRunJob, JobOfADeadWorkerResumesTheRunFromItsCheckpoint) {
  ImportFileRequest req;
  req.entity = "contacts";
  req.path = write_file(50);
  req.rejects_path = (dir_ / "contacts.rejects.csv").string();
  int64_t run_id = queue_import_run(*db_, system_actor(), req);
  Job queued = queue_import_job(*db_, system_actor(), {run_id, req.path, "", false, true});

  // A worker claims the job, gets through lines 2-21 (its checkpoint) and dies: the run is left
  // running with a heartbeat that stopped long ago.
  int64_t t = clock::now_unix();
  QueueOptions qo;
  qo.lease_seconds = 60;
  qo.clock = [&t] { return t; };
  JobQueue queue(*db_, qo);
  ASSERT_EQ(queue.claim("dead-worker", {"import_run"}, 1).size(), 1u);
  store::with_transaction(*db_, true, [&](store::Connection& c) {
    store::ImportCounts n;
    n.last_line = 21;
    n.rows = 20;
    n.created = 20;
    store::ImportRunStore::set_status(c, run_id, "running", "2000-01-01T00:00:00Z");
    store::ImportRunStore::checkpoint(c, run_id, n, "2000-01-01T00:00:00Z");
  });
  // Its job still holds it: not marked interrupted (a worker will resume it).
  EXPECT_EQ(mark_interrupted_runs(*db_), 0);
  EXPECT_EQ(run(run_id)["status"], "running");

  JobHandlers handlers;
  add_import_run_handler(handlers, {});
  WorkerOptions o;
  o.id = "rescuer";
  o.heartbeat = false;
  Worker w(queue, handlers, o);
  EXPECT_EQ(w.run_once(), 0) << "the lease still holds";
  t += 61;
  EXPECT_EQ(w.run_once(), 1);
  Job done = job(queued.id);
  ASSERT_EQ(done.status, "done") << done.last_error;
  EXPECT_EQ(done.attempts, 1) << "the dead worker's attempt counts";
  json r = run(run_id);
  EXPECT_EQ(r["status"], "done");
  EXPECT_EQ(r["last_line"], 51);
  EXPECT_EQ(r["created"], 50) << "the counts continue from the checkpoint";
  json report = json::parse(r["report"].get<std::string>());
  EXPECT_EQ(report["resumed_after_line"], 21);
  // The rows up to the checkpoint were not read again: only lines 22-51 were written here.
  EXPECT_EQ(query_one("SELECT COUNT(*) AS n FROM contacts")["n"], 30);
  EXPECT_EQ(query_one("SELECT MIN(external_id) AS m FROM contacts WHERE external_id IN ('K20', 'K21', 'K22')")["m"], "K21");
  EXPECT_FALSE(fs::exists(req.path)) << "the file is removed once the run is done";
}

TEST_P(ImportRunJob, RunWithoutAJobIsStillMarkedInterrupted) {
  ImportFileRequest req;
  req.entity = "contacts";
  req.path = write_file(3);
  int64_t run_id = queue_import_run(*db_, system_actor(), req);
  store::with_transaction(*db_, true, [&](store::Connection& c) {
    store::ImportRunStore::set_status(c, run_id, "running", "2000-01-01T00:00:00Z");
  });
  EXPECT_EQ(mark_interrupted_runs(*db_), 1);
  EXPECT_EQ(run(run_id)["status"], "failed");
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportRunJob, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
