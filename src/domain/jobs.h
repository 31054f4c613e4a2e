// Background jobs kept in the database (docs/jobs.md): JobQueue (enqueue, claim with a lease,
// complete, fail with exponential back-off, park as dead), Worker (a thread that polls, claims and
// runs the handler registered for each job kind), Scheduler (enqueues periodic jobs once per
// period however many processes run it, through the job's unique key), the kernel's own job
// (purge_jobs) and the modules' job kinds and schedules (kernel/module.h).
//
// Thread-safety: JobQueue and Scheduler are shared by the worker threads of a process; a Worker
// is driven by its own thread (start/stop) or by the caller (run_once).
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/problem.h"
#include "domain/access.h"
#include "store/database.h"
#include "store/job_store.h"

namespace gz::domain {

using json = nlohmann::json;
using store::Job;

// Thrown by a handler when retrying cannot help (bad payload…): the job becomes failed at once.
class PermanentJobError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct QueueOptions {
  int64_t lease_seconds = 300;          // a claimed job is another worker's to take after this
  int64_t backoff_base_seconds = 30;    // retry delay after the n-th failed attempt: base · 2^(n-1)
  int64_t backoff_max_seconds = 3600;
  int64_t max_attempts = 5;             // default for enqueue
  std::function<int64_t()> clock;       // unix seconds; empty = the system clock (tests move time)
};

struct EnqueueOptions {
  std::optional<int64_t> run_at;          // unix seconds; default now
  int64_t max_attempts = 0;               // 0 = QueueOptions::max_attempts
  std::optional<std::string> unique_key;  // a second job with the same key is not created
  // No second job with this key while one is queued or running (e.g. one scan per entity).
  std::optional<std::string> active_key;
  int64_t created_by = 0;  // the user who asked for it (0: the system); may read it (GET /api/v1/jobs/{id})
};

class JobQueue {
 public:
  explicit JobQueue(store::Database& db, QueueOptions options = {});

  // The new job's id, or nullopt when unique_key is already taken.
  std::optional<int64_t> enqueue(const std::string& kind, const json& payload = json::object(),
                                 const EnqueueOptions& o = {});
  std::vector<Job> claim(const std::string& worker, const std::vector<std::string>& kinds, int64_t n);
  // False when the worker lost the job (its lease expired and the job was taken back).
  bool complete(const Job& job, const std::string& worker, const json& result = json());
  // Stores the progress of a running job; false when the worker lost the job.
  bool set_progress(const Job& job, const std::string& worker, const json& progress);
  // The queued or running job holding active_key.
  std::optional<Job> find_active(const std::string& active_key);
  // The job's new status (queued for a retry, dead, failed when permanent), nullopt if lost.
  std::optional<std::string> fail(const Job& job, const std::string& worker, const std::string& error,
                                  bool permanent = false);
  bool extend_lease(const Job& job, const std::string& worker);
  int64_t requeue_expired();
  // Delay before the next try of a job that has failed `attempts_before + 1` times.
  int64_t backoff_seconds(int64_t attempts_before) const;

  std::map<std::string, int64_t> depth();
  std::vector<Job> list(const std::string& status, int64_t limit, int64_t before_id = 0);
  std::optional<Job> find(int64_t id);
  // Operator's retry of a failed or dead job: queued now with its attempts reset. Throws NotFound,
  // or Conflict for a running or done job.
  Job retry(int64_t id);
  int64_t purge_done(int64_t older_than_seconds);

  int64_t now() const;
  const QueueOptions& options() const { return o_; }
  store::Database& database() { return db_; }

 private:
  store::Database& db_;
  QueueOptions o_;
};

struct JobContext {
  const Job& job;
  store::Database& db;
  JobQueue& queue;
  std::function<bool()> extend_lease;  // heartbeat by hand (the worker also extends on its own)
  std::function<void(const json&)> progress = {};  // stores jobs.progress (empty: not stored)
  json result = json();                            // set by the handler: stored as jobs.result when done

  void report(const json& p) const {
    if (progress) progress(p);
  }
};
using JobHandler = std::function<void(JobContext&)>;

class JobHandlers {
 public:
  void add(const std::string& kind, JobHandler h) { handlers_[kind] = std::move(h); }
  const JobHandler* find(const std::string& kind) const {
    auto it = handlers_.find(kind);
    return it == handlers_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> kinds() const {
    std::vector<std::string> out;
    for (const auto& [k, _] : handlers_) out.push_back(k);
    return out;
  }

 private:
  std::map<std::string, JobHandler> handlers_;
};

struct PeriodicJob {
  std::string kind;
  int64_t period_seconds = 60;
  json payload = json::object();
};

class Scheduler {
 public:
  Scheduler(JobQueue& queue, std::vector<PeriodicJob> jobs) : queue_(queue), jobs_(std::move(jobs)) {}
  // Enqueues each periodic job once for the current period (unique key kind:period-start, so
  // several servers schedule it once). Returns how many jobs this call created.
  int tick();

 private:
  JobQueue& queue_;
  std::vector<PeriodicJob> jobs_;
  std::mutex mu_;
  std::map<std::string, int64_t> scheduled_;  // kind -> period start last scheduled by this process
};

struct WorkerOptions {
  std::string id;                  // unique among live workers: worker_id(n) = host:pid:n
  int64_t poll_interval_ms = 1000;
  int64_t batch = 1;               // jobs claimed per poll
  bool heartbeat = true;           // extend the lease every lease/3 while a job runs
  std::ostream* log = nullptr;     // job failures and worker errors; nullptr = silent
};

class Worker {
 public:
  Worker(JobQueue& queue, const JobHandlers& handlers, WorkerOptions options, Scheduler* scheduler = nullptr);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // One poll: schedule periodic jobs, requeue expired leases, claim and run due jobs. Returns the
  // number of jobs run.
  int run_once();
  // Polls on a thread of its own until stop(); stop() lets the running job finish.
  void start();
  void stop();
  const std::string& id() const { return o_.id; }
  int64_t jobs_done() const { return done_; }
  int64_t jobs_failed() const { return failed_; }

 private:
  void run_job(const Job& job);
  void loop();

  JobQueue& queue_;
  const JobHandlers& handlers_;
  WorkerOptions o_;
  Scheduler* scheduler_;
  std::vector<std::string> kinds_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<int64_t> done_{0}, failed_{0};
};

// A 409 naming the job in the way (a scan of the same entity, the holder of an active key…):
// extension members job_id, job_status and job_url (where to follow it: /api/v1/jobs/{id}).
// type_uri "" = about:blank.
Problem job_conflict(const Job& job, Message detail, const std::string& type_uri = "");
std::string job_url(int64_t job_id);

// The user a job runs as: the one who queued it (jobs.created_by), with the role and team they
// have now; the system actor for 0. PermanentJobError when the user is no longer active.
Actor actor_of_user(store::Database& db, int64_t user_id);

// "host:pid:n", unique per live worker thread.
std::string worker_id(int n);

// The jobs every process that runs jobs knows: purge_jobs (done jobs older than a week) and every
// module's job kinds (Module::jobs: task_reminders, analytics.tiers, import_run…); and the
// periodic schedule: purge_jobs daily plus every module's Module::schedules.
void add_builtin_handlers(JobHandlers& handlers);
std::vector<PeriodicJob> builtin_periodic_jobs();

// What `gazelle serve` and `gazelle worker` run: n workers with the built-in handlers and
// schedule, ids host:pid:1…n, started at construction, stopped (running jobs finished) by stop()
// or the destructor.
struct WorkerPoolOptions {
  int workers = 1;
  int64_t poll_interval_ms = 1000;
  std::ostream* log = nullptr;
  QueueOptions queue;
  // Handlers beyond the modules' (tests), added by the caller.
  std::function<void(JobHandlers&)> more_handlers;
};

class WorkerPool {
 public:
  WorkerPool(store::Database& db, WorkerPoolOptions o);
  ~WorkerPool() { stop(); }
  void stop();
  std::vector<std::string> ids() const;
  JobQueue& queue() { return queue_; }

 private:
  JobQueue queue_;
  JobHandlers handlers_;
  Scheduler scheduler_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace gz::domain
