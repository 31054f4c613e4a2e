// The duplicate scan as a background job (docs/duplicates.md "Scan in the background"): kind
// "duplicates.scan", payload {entity, threshold_upper?, threshold_lower?}, run as the user who
// asked (jobs.created_by) by DuplicateService::scan, which replaces the entity's review queue.
// While it runs the job's progress is {stage, stage_percent, percent}; when done its result is
// the scan summary that the synchronous API answers. One scan per entity at a time: the job
// holds the active key "duplicates.scan:<entity>" while queued or running.
#pragma once
#include <string>

#include "domain/access.h"
#include "domain/jobs.h"
#include "modules/duplicates/duplicates.h"

namespace gz::matching {

inline constexpr const char* kScanJobKind = "duplicates.scan";

std::string scan_active_key(const std::string& entity);

// The answer of a scan: summary (counts, thresholds, timings, model), entity, scan_id, seconds_total.
nlohmann::json scan_summary_json(const DuplicateService::ScanRun& run, const std::string& entity);

// The job's progress for a stage ("loading", "blocking", "comparing", "weights", "clustering",
// "storing", "done") and the fraction of it done: {stage, stage_percent, percent}, percent
// weighted by the stages' typical share of a scan's time.
nlohmann::json scan_progress_json(const std::string& stage, double fraction);

struct QueuedScan {
  store::Job job;
  bool created = false;  // false: a scan of the entity was already queued or running (this one)
};
// Checks the actor may scan the entity (Forbidden, NotFound) and queues the scan, unless one of
// the entity is queued or running: then that job is returned. Only thresholds the caller set
// (has_upper, has_lower) go into the payload.
QueuedScan queue_scan(store::Database& db, const domain::Actor& actor, const std::string& entity,
                      const ScanOptions& options);

// Registers the "duplicates.scan" handler (gazelle serve and gazelle worker do).
void add_scan_job_handler(domain::JobHandlers& handlers);

}  // namespace gz::matching
