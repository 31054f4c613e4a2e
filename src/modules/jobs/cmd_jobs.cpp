// gazelle worker | jobs list | jobs retry — background jobs (docs/jobs.md).
#include <atomic>
#include <chrono>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <thread>

#include "cli/cli.h"
#include "core/problem.h"
#include "domain/jobs.h"
#include "cli/wiring.h"

namespace gz::cli {

namespace {
std::atomic<bool> g_stop_workers{false};
void on_worker_signal(int) { g_stop_workers = true; }

std::string clip(const std::string& s, size_t n) { return s.size() <= n ? s : s.substr(0, n - 1) + "…"; }
}  // namespace

void add_job_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  auto* worker = app.add_subcommand("worker", "Run background job workers without the HTTP server (until Ctrl-C / SIGTERM)");
  add_db_option(worker, ctx);
  static int concurrency = 1;
  static int64_t poll_ms = 1000;
  worker->add_option("--concurrency", concurrency, "Worker threads (each runs one job at a time)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  worker->add_option("--poll-ms", poll_ms, "Milliseconds between polls of an idle worker")
      ->capture_default_str()
      ->check(CLI::Range(10, 600000));
  worker->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::WorkerPoolOptions o;
      o.workers = concurrency;
      o.poll_interval_ms = poll_ms;
      o.log = &std::cerr;
      std::signal(SIGINT, on_worker_signal);
      std::signal(SIGTERM, on_worker_signal);
      domain::WorkerPool pool(*db, o);
      std::cout << "Gazelle worker: " << concurrency << " worker(s) " << pool.ids().front()
                << (concurrency > 1 ? "…" : "") << " on " << db->location() << std::endl;
      while (!g_stop_workers) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      std::cout << "Stopping: waiting for running jobs to finish…" << std::endl;
      pool.stop();
    };
  });

  auto* jobs = app.add_subcommand("jobs", "Inspect and retry background jobs");
  jobs->require_subcommand(1);

  auto* list = jobs->add_subcommand("list", "List jobs, newest first, with the count per status");
  add_db_option(list, ctx);
  static std::string status;
  static int64_t limit = 50;
  list->add_option("--status", status, "Only jobs in this status")
      ->check(CLI::IsMember({"queued", "running", "done", "failed", "dead"}));
  list->add_option("--limit", limit, "At most this many jobs")->capture_default_str()->check(CLI::Range(1, 100000));
  list->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::JobQueue queue(*db);
      auto depth = queue.depth();
      bool first = true;
      for (const auto& [s, n] : depth) {
        std::cout << (first ? "" : "  ") << s << " " << n;
        first = false;
      }
      std::cout << "\n";
      auto rows = queue.list(status, limit);
      if (rows.empty()) return;
      std::cout << std::left << std::setw(8) << "ID" << std::setw(9) << "STATUS" << std::setw(18) << "KIND" << std::setw(9)
                << "TRIES" << std::setw(22) << "RUN AT" << "LAST ERROR / WORKER\n";
      for (const auto& j : rows) {
        std::string note = j.status == "running" ? j.locked_by + " until " + j.locked_until : j.last_error;
        std::cout << std::left << std::setw(8) << j.id << std::setw(9) << j.status << std::setw(18) << clip(j.kind, 17)
                  << std::setw(9) << (std::to_string(j.attempts) + "/" + std::to_string(j.max_attempts)) << std::setw(22)
                  << j.run_at << clip(note, 80) << "\n";
      }
    };
  });

  auto* retry = jobs->add_subcommand("retry", "Queue a failed or dead job again now, with its attempts reset");
  add_db_option(retry, ctx);
  static int64_t job_id = 0;
  retry->add_option("ID", job_id, "Job id (see gazelle jobs list)")->required();
  retry->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      domain::JobQueue queue(*db);
      auto before = queue.find(job_id);
      auto job = queue.retry(job_id);
      std::cout << "Job " << job.id << " (" << job.kind << ") queued again"
                << (before ? " (was " + before->status + ")" : std::string()) << std::endl;
    };
  });
}

}  // namespace gz::cli
