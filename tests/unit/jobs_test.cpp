// The background job queue (domain/jobs.h, store/job_store.h) on SQLite, and on PostgreSQL when
// GAZELLE_TEST_PG_URL names a server (each test then creates a database of its own and drops it).
// Two worker processes drain a queue with every job run exactly once; a worker killed mid-job
// loses its job to another once the lease expires; a failing job backs off and is parked as dead;
// task reminders are created once per due task however many workers run them.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/problem.h"
#include "domain/jobs.h"
#include "domain/notifications.h"
#include "modules/activity/reminders.h"
#include "domain/records.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/user_store.h"
#include "scratch_database.h"

using namespace gz;
using namespace gz::domain;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

int64_t scalar(store::Database& db, const std::string& sql, const store::Params& p = {}) {
  return store::with_transaction(db, false, [&](store::Connection& c) { return c.query_one(sql, p)["n"].get<int64_t>(); });
}

// Waits for a byte on fd; false after timeout_ms.
bool wait_readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) == 1;
}

// Waits for a child; its exit code, or -1 when it had to be killed after timeout_s.
int wait_child(pid_t pid, int timeout_s) {
  for (int i = 0; i < timeout_s * 20; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

}  // namespace

class Jobs : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    crypto::init();
    scratch_ = std::make_unique<gzt::ScratchDatabase>(GetParam(), "jobs");
    if (!scratch_->available()) GTEST_SKIP() << "GAZELLE_TEST_PG_URL is not set: PostgreSQL variant skipped";
    location_ = scratch_->location();
    db_ = open();
    store::with_transaction(*db_, true, [](store::Connection& c) {
      c.execute_script("CREATE TABLE test_runs (job_id BIGINT NOT NULL, worker TEXT NOT NULL)");
    });
  }

  void TearDown() override {
    db_.reset();
    scratch_.reset();
  }

  // A connection pool of its own, as another process would have.
  std::unique_ptr<store::Database> open() {
    auto db = store::Database::open(location_);
    store::apply_migrations(*db);
    return db;
  }

  static void record_run(store::Database& db, int64_t job_id, const std::string& worker) {
    store::with_transaction(db, true, [&](store::Connection& c) {
      c.execute("INSERT INTO test_runs (job_id, worker) VALUES (?, ?)", {job_id, worker});
    });
  }

  Job job(int64_t id) {
    auto j = JobQueue(*db_).find(id);
    if (!j) throw std::runtime_error("no job " + std::to_string(id));
    return *j;
  }

  int64_t add_user(const std::string& email) {
    return store::with_transaction(*db_, true, [&](store::Connection& c) {
      return store::UserStore::insert_user(c, email, email, "sales", json(), "");
    });
  }

  std::string location_;
  std::unique_ptr<store::Database> db_;

 private:
  std::unique_ptr<gzt::ScratchDatabase> scratch_;
};

INSTANTIATE_TEST_SUITE_P(Backends, Jobs, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// (1) Two worker processes drain 200 jobs; every job runs exactly once.
TEST_P(Jobs, TwoWorkerProcessesRunEachJobExactlyOnce) {
  {
    JobQueue queue(*db_);
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(queue.enqueue("probe", {{"n", i}}));
  }
  // A child of fork() has only the thread that forked: the parent's database is closed first, so
  // that no thread of it (SQLite's checkpointer) holds a lock the children would inherit taken.
  db_.reset();

  int go[2];
  ASSERT_EQ(pipe(go), 0);
  std::vector<pid_t> children;
  for (int k = 1; k <= 2; ++k) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child: its own connections (the parent's are never touched), then wait for the start.
      int code = 0;
      try {
        auto db = open();
        JobQueue q(*db);
        JobHandlers handlers;
        std::string id = "child-" + std::to_string(k);
        handlers.add("probe", [&](JobContext& ctx) {
          record_run(ctx.db, ctx.job.id, id);
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        });
        WorkerOptions o;
        o.id = id;
        Worker w(q, handlers, o);
        char byte;
        if (read(go[0], &byte, 1) != 1) _exit(3);
        for (int idle = 0; idle < 3;) {
          if (w.run_once() > 0) idle = 0;
          else if (q.depth()["queued"] == 0) ++idle;
          else std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      } catch (const std::exception& e) {
        fprintf(stderr, "child %d: %s\n", k, e.what());
        code = 1;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  db_ = open();
  JobQueue queue(*db_);
  ASSERT_EQ(write(go[1], "gg", 2), 2);
  for (pid_t pid : children) EXPECT_EQ(wait_child(pid, 180), 0) << "worker process failed or hung";
  close(go[0]);
  close(go[1]);

  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM test_runs"), 200);
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(DISTINCT job_id) AS n FROM test_runs"), 200);
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM (SELECT job_id FROM test_runs GROUP BY job_id HAVING COUNT(*) > 1) d"), 0)
      << "a job ran twice";
  auto depth = queue.depth();
  EXPECT_EQ(depth["done"], 200);
  EXPECT_EQ(depth["queued"] + depth["running"] + depth["failed"] + depth["dead"], 0);
  // Both processes took part (the queue was shared, not drained by one).
  for (const char* w : {"child-1", "child-2"})
    EXPECT_GT(scalar(*db_, "SELECT COUNT(*) AS n FROM test_runs WHERE worker = ?", {w}), 0) << w << " ran no job";
}

// Threads of one process, each with its own pool, claiming concurrently: no job claimed twice.
TEST_P(Jobs, ConcurrentClaimsNeverOverlap) {
  JobQueue queue(*db_);
  for (int i = 0; i < 120; ++i) queue.enqueue("probe");
  std::vector<std::unique_ptr<store::Database>> pools;
  for (int k = 0; k < 4; ++k) pools.push_back(open());
  std::vector<std::vector<int64_t>> claimed(4);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      JobQueue q(*pools[size_t(k)]);
      for (;;) {
        auto jobs = q.claim("t" + std::to_string(k), {"probe"}, 3);
        if (jobs.empty()) break;
        for (const auto& j : jobs) claimed[size_t(k)].push_back(j.id);
      }
    });
  for (auto& t : threads) t.join();
  std::set<int64_t> all;
  size_t total = 0;
  for (const auto& c : claimed) {
    total += c.size();
    all.insert(c.begin(), c.end());
  }
  EXPECT_EQ(total, 120u);
  EXPECT_EQ(all.size(), 120u) << "a job was claimed by two workers";
  EXPECT_EQ(queue.depth()["running"], 120);
}

// (2a) A job claimed with a lease and never completed is taken back when the lease expires.
TEST_P(Jobs, ExpiredLeaseIsRequeuedAndCompleted) {
  int64_t t = 1'900'000'000;
  QueueOptions qo;
  qo.lease_seconds = 60;
  qo.clock = [&t] { return t; };
  JobQueue queue(*db_, qo);
  int64_t id = *queue.enqueue("probe");
  auto claimed = queue.claim("dead-worker", {"probe"}, 10);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(job(id).status, "running");
  EXPECT_EQ(job(id).locked_by, "dead-worker");
  EXPECT_EQ(job(id).locked_until, clock::format_utc(t + 60));

  int runs = 0;
  JobHandlers handlers;
  handlers.add("probe", [&](JobContext&) { ++runs; });
  WorkerOptions o;
  o.id = "rescuer";
  o.heartbeat = false;
  Worker w(queue, handlers, o);
  t += 30;
  EXPECT_EQ(w.run_once(), 0) << "the lease still holds";
  EXPECT_EQ(job(id).status, "running");
  t += 31;
  EXPECT_EQ(w.run_once(), 1);
  EXPECT_EQ(runs, 1);
  Job j = job(id);
  EXPECT_EQ(j.status, "done");
  EXPECT_EQ(j.attempts, 1) << "the lost attempt counts";
  EXPECT_NE(j.last_error.find("lease expired"), std::string::npos) << j.last_error;
  // The dead worker, back from the grave, can no longer complete or fail the job.
  EXPECT_FALSE(queue.complete(claimed[0], "dead-worker"));
  EXPECT_FALSE(queue.fail(claimed[0], "dead-worker", "late").has_value());
  EXPECT_EQ(job(id).status, "done");
}

// (2b) A `kill -9`ed worker process: its job is retried by another worker after the lease.
TEST_P(Jobs, KilledWorkerProcessJobIsRetriedAfterLease) {
  QueueOptions qo;
  qo.lease_seconds = 2;
  int64_t id = *JobQueue(*db_, qo).enqueue("slow");
  db_.reset();  // no thread of the parent's database at fork() (see above)
  int started[2];
  ASSERT_EQ(pipe(started), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    try {
      auto db = open();
      JobQueue q(*db, qo);
      JobHandlers handlers;
      handlers.add("slow", [&](JobContext& ctx) {
        record_run(ctx.db, ctx.job.id, "victim");
        if (write(started[1], "s", 1) != 1) _exit(4);
        std::this_thread::sleep_for(std::chrono::hours(1));  // killed meanwhile
      });
      WorkerOptions o;
      o.id = "victim";
      Worker w(q, handlers, o);  // heartbeat on: the lease lives as long as the process
      w.run_once();
    } catch (...) {
    }
    _exit(5);
  }
  db_ = open();
  JobQueue queue(*db_, qo);
  ASSERT_TRUE(wait_readable(started[0], 30000)) << "the worker process never started the job";
  // Alive, it keeps its lease beyond the first lease period (heartbeat).
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  queue.requeue_expired();
  EXPECT_EQ(job(id).status, "running");
  EXPECT_EQ(job(id).locked_by, "victim");
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  close(started[0]);
  close(started[1]);

  JobHandlers handlers;
  handlers.add("slow", [&](JobContext& ctx) { record_run(ctx.db, ctx.job.id, "rescuer"); });
  WorkerOptions o;
  o.id = "rescuer";
  Worker w(queue, handlers, o);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (job(id).status != "done" && std::chrono::steady_clock::now() < deadline) {
    w.run_once();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Job j = job(id);
  EXPECT_EQ(j.status, "done");
  EXPECT_EQ(j.attempts, 1);
  EXPECT_NE(j.last_error.find("victim"), std::string::npos) << j.last_error;
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM test_runs WHERE worker = 'victim'"), 1);
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM test_runs WHERE worker = 'rescuer'"), 1);
}

// (3) A failing job is retried with exponential back-off, then parked as dead with its error.
TEST_P(Jobs, FailingJobBacksOffThenIsParkedAsDead) {
  int64_t t = 1'900'000'000;
  QueueOptions qo;
  qo.backoff_base_seconds = 10;
  qo.clock = [&t] { return t; };
  JobQueue queue(*db_, qo);
  EnqueueOptions eo;
  eo.max_attempts = 4;
  int64_t id = *queue.enqueue("flaky", {{"to", "x@example.org"}}, eo);
  int calls = 0;
  JobHandlers handlers;
  handlers.add("flaky", [&](JobContext& ctx) {
    EXPECT_EQ(ctx.job.payload["to"], "x@example.org");
    throw std::runtime_error("mail server down #" + std::to_string(++calls));
  });
  WorkerOptions o;
  o.id = "w";
  o.heartbeat = false;
  Worker w(queue, handlers, o);

  int64_t last_delay = 0;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    ASSERT_EQ(w.run_once(), 1) << "attempt " << attempt;
    Job j = job(id);
    EXPECT_EQ(j.status, "queued");
    EXPECT_EQ(j.attempts, attempt);
    EXPECT_EQ(j.last_error, "mail server down #" + std::to_string(attempt));
    int64_t delay = 10 << (attempt - 1);  // 10, 20, 40
    EXPECT_EQ(j.run_at, clock::format_utc(t + delay)) << "attempt " << attempt;
    EXPECT_GT(delay, last_delay);
    last_delay = delay;
    EXPECT_EQ(w.run_once(), 0) << "not due before its back-off";
    t += delay - 1;
    EXPECT_EQ(w.run_once(), 0) << "not due before its back-off";
    t += 1;
  }
  ASSERT_EQ(w.run_once(), 1);
  Job j = job(id);
  EXPECT_EQ(j.status, "dead");
  EXPECT_EQ(j.attempts, 4);
  EXPECT_EQ(j.last_error, "mail server down #4");
  EXPECT_EQ(j.finished_at, clock::format_utc(t));
  t += 100000;
  EXPECT_EQ(w.run_once(), 0) << "a dead job is not run again";
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(queue.depth()["dead"], 1);

  // The operator's retry: queued now, attempts reset, runs again.
  Job again = queue.retry(id);
  EXPECT_EQ(again.status, "queued");
  EXPECT_EQ(again.attempts, 0);
  EXPECT_EQ(w.run_once(), 1);
  EXPECT_EQ(calls, 5);
  EXPECT_THROW(queue.retry(999999), Problem);
}

TEST_P(Jobs, PermanentErrorFailsAtOnceAndBackoffIsCapped) {
  JobQueue queue(*db_);
  int64_t id = *queue.enqueue("bad");
  JobHandlers handlers;
  handlers.add("bad", [](JobContext&) { throw PermanentJobError("payload has no recipient"); });
  WorkerOptions o;
  o.heartbeat = false;
  Worker w(queue, handlers, o);
  EXPECT_EQ(w.run_once(), 1);
  EXPECT_EQ(job(id).status, "failed");
  EXPECT_EQ(job(id).last_error, "payload has no recipient");
  EXPECT_EQ(queue.backoff_seconds(0), 30);
  EXPECT_EQ(queue.backoff_seconds(3), 240);
  EXPECT_EQ(queue.backoff_seconds(40), 3600);
  // A kind no worker handles stays queued (a newer server's job waits for a newer worker).
  int64_t other = *queue.enqueue("from_the_future");
  EXPECT_EQ(w.run_once(), 0);
  EXPECT_EQ(job(other).status, "queued");
}

TEST_P(Jobs, UniqueKeyAndSchedulerEnqueueOncePerPeriod) {
  int64_t t = 1'900'000'040;  // 20 s into the minute that starts at 1'900'000'020
  QueueOptions qo;
  qo.clock = [&t] { return t; };
  JobQueue queue(*db_, qo);
  EnqueueOptions eo;
  eo.unique_key = "send:42";
  EXPECT_TRUE(queue.enqueue("send", {}, eo));
  EXPECT_FALSE(queue.enqueue("send", {}, eo)) << "same key: not scheduled twice";
  // Two servers' schedulers, each with its own pool.
  auto other_db = open();
  JobQueue other(*other_db, qo);
  Scheduler s1(queue, {{"task_reminders", 60, json::object()}}), s2(other, {{"task_reminders", 60, json::object()}});
  EXPECT_EQ(s1.tick() + s2.tick(), 1);
  EXPECT_EQ(s1.tick() + s2.tick(), 0);
  t += 30;  // same minute
  EXPECT_EQ(s1.tick() + s2.tick(), 0);
  t += 15;  // next minute
  EXPECT_EQ(s2.tick() + s1.tick(), 1);
  auto jobs = queue.list("queued", 10);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].unique_key, "task_reminders@" + clock::format_utc(1'900'000'080));
  EXPECT_EQ(jobs[0].run_at, clock::format_utc(1'900'000'080));
  EXPECT_EQ(jobs[1].unique_key, "task_reminders@" + clock::format_utc(1'900'000'020));
}

// (4) Task reminders: one notification per due task, even when the job runs twice or on two
// workers at once; a task moved to a new due date is reminded again.
TEST_P(Jobs, TaskRemindersNotifyOncePerDueTask) {
  int64_t u1 = add_user("rappel1@example.org"), u2 = add_user("rappel2@example.org");
  RecordService records(*db_);
  const Entity& tasks = entity("tasks");
  int64_t now = clock::now_unix();
  auto task = [&](const std::string& title, int64_t due_offset, int64_t assignee, const std::string& status = "open") {
    json in = {{"title", title}, {"due_at", clock::format_utc(now + due_offset)}, {"status", status}};
    if (assignee) in["assignee_id"] = assignee;
    return records.create(system_actor(), tasks, in)["id"].get<int64_t>();
  };
  int64_t soon = task("Rappeler Mme Lefèvre", 30 * 60, u1);
  int64_t overdue = task("Envoyer le devis", -2 * 3600, u2);
  task("Plus tard", 3 * 86400, u1);                // not due yet
  task("Déjà fait", 10 * 60, u1, "done");          // done
  task("Sans responsable", 10 * 60, 0);            // nobody to remind
  task("Très ancien", -30 * 86400, u1);            // overdue beyond the look-back
  // Many due tasks so that concurrent workers overlap on the same batches.
  std::set<int64_t> due = {soon, overdue};
  for (int i = 0; i < 150; ++i) due.insert(task("Relance " + std::to_string(i), -i * 60, i % 2 ? u1 : u2));

  // Two servers schedule the job for this minute: one job.
  auto db2 = open();
  JobQueue q1(*db_), q2(*db2);
  Scheduler s1(q1, builtin_periodic_jobs()), s2(q2, builtin_periodic_jobs());
  s1.tick();
  s2.tick();
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'task_reminders'"), 1);

  // Two workers (own pools) run the handler at the same time, twice each.
  JobHandlers handlers;
  add_builtin_handlers(handlers);
  std::atomic<int> ran{0};
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<store::Database>> pools;
  for (int k = 0; k < 2; ++k) pools.push_back(open());
  for (int k = 0; k < 2; ++k)
    threads.emplace_back([&, k] {
      JobQueue q(*pools[size_t(k)]);
      for (int round = 0; round < 2; ++round) {
        Job fake;  // the handler as a worker calls it, without claiming
        fake.id = 0;
        fake.kind = "task_reminders";
        fake.payload = json::object();
        JobContext ctx{fake, *pools[size_t(k)], q, [] { return true; }};
        (*handlers.find("task_reminders"))(ctx);
        ++ran;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ran, 4);
  // And the scheduled job itself, through a worker.
  WorkerOptions o;
  o.heartbeat = false;
  Worker w(q1, handlers, o);
  int ran_by_worker = 0;
  while (w.run_once() > 0) ++ran_by_worker;
  // The scheduled kinds once each: task_reminders, purge_jobs, database_statistics,
  // analytics.tiers, email_poll and the sales module's follow-ups, scoring, forecast snapshot and
  // daily summaries, the service desk's SLA watch and queue dispatch; from 7:00 (company time) the summaries' check queues one job per
  // salesperson, which depends on the hour the test runs at.
  const int64_t per_user = scalar(*db_, "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'sales_digest_user'");
  EXPECT_EQ(ran_by_worker, 11 + per_user);
  EXPECT_EQ(q1.depth()["done"], 11 + per_user);
  for (const char* kind : {"task_reminders", "purge_jobs", "database_statistics", "analytics.tiers", "email_poll",
                           "sales_followups", "sales_train_scoring", "sales_forecast_snapshot", "sales_daily_digest",
                           "service_sla_watch", "service_queue_dispatch"})
    EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM jobs WHERE kind = ?", {kind}), 1) << kind;

  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM notifications"), int64_t(due.size()));
  EXPECT_EQ(scalar(*db_,
                   "SELECT COUNT(*) AS n FROM (SELECT related_id FROM notifications GROUP BY related_id HAVING COUNT(*) > 1) d"),
            0)
      << "a task was reminded twice";
  for (int64_t id : due)
    EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM notifications WHERE related_entity = 'tasks' AND related_id = ?", {id}), 1)
        << "task " << id;
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM notifications WHERE related_id = ? AND user_id = ?", {soon, u1}), 1);

  // The assignee sees it through the service (API), marks it read.
  Actor a1;
  a1.user_id = u1;
  a1.role = "sales";
  NotificationService service(*db_);
  auto page = service.list(a1, true, 500, "");
  int64_t mine = scalar(*db_, "SELECT COUNT(*) AS n FROM notifications WHERE user_id = ?", {u1});
  EXPECT_EQ(int64_t(page.data.size()), mine);
  EXPECT_EQ(page.unread, mine);
  json n = page.data.front();
  service.mark_read(a1, n["id"].get<int64_t>());
  EXPECT_EQ(service.list(a1, true, 500, "").unread, mine - 1);
  Actor a2 = a1;
  a2.user_id = u2;
  EXPECT_THROW(service.mark_read(a2, n["id"].get<int64_t>()), Problem) << "not u2's notification";
  auto first = service.list(a1, false, 10, "");
  ASSERT_FALSE(first.next_cursor.empty());
  auto second = service.list(a1, false, 10, first.next_cursor);
  EXPECT_LT(second.data.front()["id"].get<int64_t>(), first.data.back()["id"].get<int64_t>());

  // Moved to a new due date: reminded again, once.
  records.update(system_actor(), tasks, soon, {{"due_at", clock::format_utc(now + 45 * 60)}}, std::nullopt);
  EXPECT_EQ(TaskReminders(*db_).remind_due_tasks(clock::now_unix(), ReminderOptions{}), 1);
  EXPECT_EQ(TaskReminders(*db_).remind_due_tasks(clock::now_unix(), ReminderOptions{}), 0);
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM notifications WHERE related_id = ?", {soon}), 2);
}

// An all-day follow-up (a due day without a time) is reminded when its day starts in the
// company's time zone (Europe/Paris by default), as due today, not an hour before its last second.
TEST_P(Jobs, AnAllDayTaskIsRemindedWhenItsLocalDayStarts) {
  int64_t u1 = add_user("journee@example.org");
  RecordService records(*db_);
  json t = records.create(system_actor(), entity("tasks"),
                          {{"title", "Relancer le devis"}, {"due_at", "2026-03-29"}, {"assignee_id", u1}});
  EXPECT_EQ(t["due_date"], "2026-03-29") << t.dump();
  EXPECT_EQ(t["due_at"], "2026-03-29T21:59:59Z") << t.dump();
  TaskReminders r(*db_);
  EXPECT_EQ(r.remind_due_tasks(*clock::parse_utc("2026-03-28T22:59:00Z")), 0);  // 23:59 CET on the 28th
  EXPECT_EQ(r.remind_due_tasks(*clock::parse_utc("2026-03-28T23:00:30Z")), 1);  // just after local midnight
  EXPECT_EQ(scalar(*db_, "SELECT COUNT(*) AS n FROM notifications WHERE related_id = ? AND title LIKE 'Relance du jour :%'",
                   {t["id"]}),
            1);
  EXPECT_EQ(r.remind_due_tasks(*clock::parse_utc("2026-03-29T21:00:00Z")), 0);  // once per due date
}
