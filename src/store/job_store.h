// SQL of the background job queue (table jobs, migrations/*/002_jobs.sql). See docs/jobs.md.
//
// A job is claimed with a lease: status running, locked_by = the worker's id, locked_until = the
// end of the lease. Every state change of a claimed job is conditional on status = 'running' AND
// locked_by = the worker, so a worker whose lease expired (and whose job was handed to another)
// cannot complete or fail it any more. Times are UTC text "YYYY-MM-DDTHH:MM:SSZ" (core/clock.h).
// Every function runs inside the caller's transaction; claim() and requeue_expired() need a write
// transaction (on SQLite BEGIN IMMEDIATE serialises them; on PostgreSQL SKIP LOCKED lets
// concurrent claimers take different rows).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace gz::store {

struct Job {
  int64_t id = 0;
  std::string kind;
  json payload;  // parsed from the payload column (JSON text)
  std::string status;  // queued, running, done, failed, dead
  std::string run_at;
  int64_t attempts = 0;
  int64_t max_attempts = 0;
  std::string locked_by, locked_until, last_error;  // "" when null
  std::string created_at, updated_at, finished_at;
  std::string unique_key;
  // Migration 009: the user who started it (0: the system), the progress the handler last
  // reported and the result it left (JSON, null when none), the key held while queued or running.
  int64_t created_by = 0;
  json progress, result;
  std::string active_key;

  static Job from_row(const json& row);
  json to_json() const;  // API / CLI form, nulls for empty optional columns
};

extern const std::vector<std::string> kJobStatuses;

struct JobStore {
  // Inserts a queued job. With a unique_key already taken (by a job in any state), or an
  // active_key held by a queued or running job, nothing is inserted and nullopt is returned:
  // scheduling the same thing twice is harmless.
  static std::optional<int64_t> enqueue(Connection& c, const std::string& kind, const json& payload,
                                        const std::string& run_at, int64_t max_attempts,
                                        const std::optional<std::string>& unique_key, const std::string& now,
                                        const std::optional<std::string>& active_key = std::nullopt,
                                        int64_t created_by = 0);
  // The queued or running job holding active_key, if any.
  static std::optional<Job> find_active(Connection& c, const std::string& active_key);
  // Takes up to n queued jobs due at `now` (oldest run_at first) of the given kinds (all kinds when
  // empty) and marks them running for `worker` until `lease_until`.
  static std::vector<Job> claim(Connection& c, const std::string& worker, const std::vector<std::string>& kinds,
                                int64_t n, const std::string& now, const std::string& lease_until);
  // Read-only: is there a job to claim, or a lease to expire? (Avoids a write lock when idle.)
  static bool has_due(Connection& c, const std::vector<std::string>& kinds, const std::string& now);
  static bool has_expired_lease(Connection& c, const std::string& now);

  // done, with the handler's result (null: none). False when the worker no longer holds the job
  // (lease expired and taken over).
  static bool complete(Connection& c, int64_t id, const std::string& worker, const std::string& now,
                       const json& result = json());
  // The progress of a running job (JSON the handler chose). False when the worker lost the job.
  static bool set_progress(Connection& c, int64_t id, const std::string& worker, const json& progress,
                           const std::string& now);
  // One more attempt spent: queued again at retry_at, or dead once attempts reaches max_attempts.
  // permanent: status failed at once (the handler said retrying cannot help).
  // Returns the new status, or nullopt when the worker no longer holds the job.
  static std::optional<std::string> fail(Connection& c, int64_t id, const std::string& worker, const std::string& error,
                                         const std::string& retry_at, bool permanent, const std::string& now);
  // Pushes the lease end of a running job further (heartbeat of a long job).
  static bool extend_lease(Connection& c, int64_t id, const std::string& worker, const std::string& lease_until,
                           const std::string& now);
  // Running jobs whose lease ended before `now` (their worker died): queued again, counting an
  // attempt (dead when it was the last). Returns how many.
  static int64_t requeue_expired(Connection& c, const std::string& now);

  // Jobs per status, every status present (0 when none).
  static std::map<std::string, int64_t> depth(Connection& c);
  // Newest first; status "" = all; before_id 0 = from the newest.
  static std::vector<Job> list(Connection& c, const std::string& status, int64_t limit, int64_t before_id);
  static std::optional<Job> find(Connection& c, int64_t id);
  // A failed, dead or queued job queued again now with its attempts reset. False when the job is
  // running or done (or does not exist), or when another queued or running job holds its active_key.
  static bool retry(Connection& c, int64_t id, const std::string& now);
  // Deletes done jobs finished before `before`. Returns how many.
  static int64_t purge_done(Connection& c, const std::string& before);
};

}  // namespace gz::store
