#include "domain/jobs.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ostream>

#include "core/clock.h"
#include "core/problem.h"
#include "domain/auth.h"
#include "kernel/module.h"
#include "store/statistics.h"
#include "store/user_store.h"

namespace gz::domain {

// ---- JobQueue ----

JobQueue::JobQueue(store::Database& db, QueueOptions options) : db_(db), o_(std::move(options)) {}

int64_t JobQueue::now() const { return o_.clock ? o_.clock() : clock::now_unix(); }

std::optional<int64_t> JobQueue::enqueue(const std::string& kind, const json& payload, const EnqueueOptions& o) {
  if (kind.empty()) throw Problem(ProblemKind::Unprocessable, "a job needs a kind", {{"kind", "is required"}});
  int64_t t = now();
  int64_t max_attempts = o.max_attempts > 0 ? o.max_attempts : o_.max_attempts;
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::JobStore::enqueue(c, kind, payload, clock::format_utc(o.run_at.value_or(t)), max_attempts, o.unique_key,
                                    clock::format_utc(t), o.active_key, o.created_by);
  });
}

std::vector<Job> JobQueue::claim(const std::string& worker, const std::vector<std::string>& kinds, int64_t n) {
  int64_t t = now();
  std::string now_text = clock::format_utc(t);
  // Look before taking the write lock: an idle queue costs one read per poll.
  bool due = store::with_transaction(db_, false, [&](store::Connection& c) {
    return store::JobStore::has_due(c, kinds, now_text);
  });
  if (!due) return {};
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::JobStore::claim(c, worker, kinds, n, now_text, clock::format_utc(t + o_.lease_seconds));
  });
}

bool JobQueue::complete(const Job& job, const std::string& worker, const json& result) {
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::JobStore::complete(c, job.id, worker, clock::format_utc(now()), result);
  });
}

bool JobQueue::set_progress(const Job& job, const std::string& worker, const json& progress) {
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::JobStore::set_progress(c, job.id, worker, progress, clock::format_utc(now()));
  });
}

std::optional<Job> JobQueue::find_active(const std::string& active_key) {
  return store::with_transaction(db_, false, [&](store::Connection& c) { return store::JobStore::find_active(c, active_key); });
}

int64_t JobQueue::backoff_seconds(int64_t attempts_before) const {
  int64_t delay = o_.backoff_base_seconds;
  for (int64_t i = 0; i < attempts_before && delay < o_.backoff_max_seconds; ++i) delay *= 2;
  return std::min(delay, o_.backoff_max_seconds);
}

std::optional<std::string> JobQueue::fail(const Job& job, const std::string& worker, const std::string& error,
                                          bool permanent) {
  int64_t t = now();
  std::string message = error.size() > 2000 ? error.substr(0, 2000) + "…" : error;
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::JobStore::fail(c, job.id, worker, message, clock::format_utc(t + backoff_seconds(job.attempts)),
                                 permanent, clock::format_utc(t));
  });
}

bool JobQueue::extend_lease(const Job& job, const std::string& worker) {
  int64_t t = now();
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::JobStore::extend_lease(c, job.id, worker, clock::format_utc(t + o_.lease_seconds), clock::format_utc(t));
  });
}

int64_t JobQueue::requeue_expired() {
  std::string now_text = clock::format_utc(now());
  bool any = store::with_transaction(db_, false, [&](store::Connection& c) {
    return store::JobStore::has_expired_lease(c, now_text);
  });
  if (!any) return 0;
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::JobStore::requeue_expired(c, now_text);
  });
}

std::map<std::string, int64_t> JobQueue::depth() {
  return store::with_transaction(db_, false, [](store::Connection& c) { return store::JobStore::depth(c); });
}

std::vector<Job> JobQueue::list(const std::string& status, int64_t limit, int64_t before_id) {
  if (!status.empty() && std::find(store::kJobStatuses.begin(), store::kJobStatuses.end(), status) == store::kJobStatuses.end())
    throw Problem(ProblemKind::BadRequest, "status must be one of queued, running, done, failed, dead",
                  {{"status", "unknown status"}});
  return store::with_transaction(db_, false, [&](store::Connection& c) {
    return store::JobStore::list(c, status, limit, before_id);
  });
}

std::optional<Job> JobQueue::find(int64_t id) {
  return store::with_transaction(db_, false, [&](store::Connection& c) { return store::JobStore::find(c, id); });
}

Job JobQueue::retry(int64_t id) {
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    if (!store::JobStore::retry(c, id, clock::format_utc(now()))) {
      auto job = store::JobStore::find(c, id);
      if (!job) throw Problem(ProblemKind::NotFound, tr("job {id} does not exist", {{"id", std::to_string(id)}}));
      if (!job->active_key.empty() && (job->status == "failed" || job->status == "dead"))
        if (auto other = store::JobStore::find_active(c, job->active_key))
          throw job_conflict(*other, tr("job {id} ({kind}) is {status} for the same purpose; retry once it has finished",
                                        {{"id", std::to_string(other->id)}, {"kind", other->kind}, {"status", other->status}}));
      throw Problem(ProblemKind::Conflict, tr("job {id} is {status}; only failed, dead or queued jobs can be retried",
                                              {{"id", std::to_string(id)}, {"status", job->status}}));
    }
    return *store::JobStore::find(c, id);
  });
}

int64_t JobQueue::purge_done(int64_t older_than_seconds) {
  return store::with_transaction(db_, true, [&](store::Connection& c) {
    return store::JobStore::purge_done(c, clock::format_utc(now() - older_than_seconds));
  });
}

// ---- Scheduler ----

int Scheduler::tick() {
  int created = 0;
  int64_t t = queue_.now();
  std::lock_guard lock(mu_);
  for (const auto& p : jobs_) {
    int64_t period = std::max<int64_t>(p.period_seconds, 1);
    int64_t start = t - t % period;
    auto it = scheduled_.find(p.kind);
    if (it != scheduled_.end() && it->second == start) continue;
    EnqueueOptions o;
    o.run_at = start;
    o.max_attempts = 1;  // the next period's run is the retry
    o.unique_key = p.kind + "@" + clock::format_utc(start);
    if (queue_.enqueue(p.kind, p.payload, o)) ++created;
    scheduled_[p.kind] = start;
  }
  return created;
}

std::string job_url(int64_t job_id) { return "/api/v1/jobs/" + std::to_string(job_id); }

Problem job_conflict(const Job& job, Message detail, const std::string& type_uri) {
  Problem p(ProblemKind::Conflict, detail);
  if (!type_uri.empty()) p.with_type(type_uri, "Conflict");
  return p.with("job_id", job.id).with("job_status", job.status).with("job_url", job_url(job.id));
}

Actor actor_of_user(store::Database& db, int64_t user_id) {
  if (user_id <= 0) return system_actor();
  auto row = store::with_transaction(db, false, [&](store::Connection& c) { return store::UserStore::active_user(c, user_id); });
  if (!row) throw PermanentJobError("user " + std::to_string(user_id) + " who queued the job is no longer active");
  return actor_from_row(*row);
}

// ---- Worker ----

std::string worker_id(int n) {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(n);
}

Worker::Worker(JobQueue& queue, const JobHandlers& handlers, WorkerOptions options, Scheduler* scheduler)
    : queue_(queue), handlers_(handlers), o_(std::move(options)), scheduler_(scheduler), kinds_(handlers.kinds()) {
  if (o_.id.empty()) o_.id = worker_id(0);
  if (o_.batch < 1) o_.batch = 1;
}

Worker::~Worker() { stop(); }

int Worker::run_once() {
  if (scheduler_) scheduler_->tick();
  queue_.requeue_expired();
  if (kinds_.empty()) return 0;
  auto jobs = queue_.claim(o_.id, kinds_, o_.batch);
  for (const auto& job : jobs) run_job(job);
  return int(jobs.size());
}

void Worker::run_job(const Job& job) {
  // Heartbeat: while the handler runs, extend the lease every third of it, so that only a job
  // whose worker is gone is taken back.
  std::mutex hb_mu;
  std::condition_variable hb_cv;
  bool finished = false;
  std::thread heartbeat;
  if (o_.heartbeat) {
    heartbeat = std::thread([&] {
      auto every = std::chrono::milliseconds(std::max<int64_t>(queue_.options().lease_seconds * 1000 / 3, 100));
      std::unique_lock lock(hb_mu);
      while (!hb_cv.wait_for(lock, every, [&] { return finished; })) {
        lock.unlock();
        try {
          queue_.extend_lease(job, o_.id);
        } catch (const std::exception& e) {
          if (o_.log) *o_.log << "worker " << o_.id << ": cannot extend the lease of job " << job.id << ": " << e.what() << std::endl;
        }
        lock.lock();
      }
    });
  }
  std::string error;
  bool failed = false, permanent = false;
  json result;
  try {
    const JobHandler* h = handlers_.find(job.kind);
    if (!h) throw PermanentJobError("no handler for job kind '" + job.kind + "'");
    JobContext ctx{job, queue_.database(), queue_, [this, &job] { return queue_.extend_lease(job, o_.id); },
                   [this, &job](const json& p) {
                     // Progress is for people watching: a failed write must not fail the job.
                     try {
                       queue_.set_progress(job, o_.id, p);
                     } catch (const std::exception& e) {
                       if (o_.log) *o_.log << "worker " << o_.id << ": cannot store the progress of job " << job.id << ": " << e.what() << std::endl;
                     }
                   }};
    (*h)(ctx);
    result = std::move(ctx.result);
  } catch (const PermanentJobError& e) {
    failed = permanent = true;
    error = e.what();
  } catch (const std::exception& e) {
    failed = true;
    error = e.what();
  } catch (...) {
    failed = true;
    error = "unknown exception";
  }
  if (heartbeat.joinable()) {
    {
      std::lock_guard lock(hb_mu);
      finished = true;
    }
    hb_cv.notify_all();
    heartbeat.join();
  }
  if (!failed) {
    if (queue_.complete(job, o_.id, result)) ++done_;
    else if (o_.log)
      *o_.log << "worker " << o_.id << ": job " << job.id << " (" << job.kind
              << ") finished after its lease was taken back; its result stands but it may run again" << std::endl;
    return;
  }
  ++failed_;
  auto status = queue_.fail(job, o_.id, error, permanent);
  if (o_.log)
    *o_.log << "worker " << o_.id << ": job " << job.id << " (" << job.kind << ") attempt " << job.attempts + 1
            << " failed: " << error << " -> " << status.value_or("lease lost") << std::endl;
}

void Worker::loop() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    int ran = 0;
    try {
      ran = run_once();
    } catch (const std::exception& e) {
      if (o_.log) *o_.log << "worker " << o_.id << ": " << e.what() << std::endl;
    }
    if (ran == 0) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(o_.poll_interval_ms), [this] { return stopping_; });
    }
  }
}

void Worker::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { loop(); });
}

void Worker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// ---- Built-in jobs ----

void add_builtin_handlers(JobHandlers& handlers) {
  handlers.add("purge_jobs", [](JobContext& ctx) {
    int64_t days = ctx.job.payload.value("older_than_days", int64_t(7));
    ctx.queue.purge_done(days * 86400);
  });
  // The planner's statistics (store/statistics.h), refreshed every hour.
  handlers.add("database_statistics", [](JobContext& ctx) { ctx.result = store::refresh_statistics(ctx.db); });
  for (const kernel::Module* m : kernel::modules())
    if (m->jobs) m->jobs(handlers);
}

std::vector<PeriodicJob> builtin_periodic_jobs() {
  std::vector<PeriodicJob> out{{"purge_jobs", 86400, json{{"older_than_days", 7}}},
                               {"database_statistics", 3600, json::object()}};
  for (const kernel::Module* m : kernel::modules())
    for (const kernel::Schedule& s : m->schedules) out.push_back({s.kind, s.period_seconds, s.payload});
  return out;
}

// ---- WorkerPool ----

WorkerPool::WorkerPool(store::Database& db, WorkerPoolOptions o)
    : queue_(db, o.queue), scheduler_(queue_, builtin_periodic_jobs()) {
  add_builtin_handlers(handlers_);
  if (o.more_handlers) o.more_handlers(handlers_);
  for (int i = 1; i <= o.workers; ++i) {
    WorkerOptions w;
    w.id = worker_id(i);
    w.poll_interval_ms = o.poll_interval_ms;
    w.log = o.log;
    workers_.push_back(std::make_unique<Worker>(queue_, handlers_, w, &scheduler_));
  }
  for (auto& w : workers_) w->start();
}

void WorkerPool::stop() {
  for (auto& w : workers_) w->stop();
}

std::vector<std::string> WorkerPool::ids() const {
  std::vector<std::string> out;
  for (const auto& w : workers_) out.push_back(w->id());
  return out;
}

}  // namespace gz::domain
