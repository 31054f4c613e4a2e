#include "modules/duplicates/scan_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/problem.h"
#include "domain/auth.h"
#include "domain/field_values.h"
#include "store/user_store.h"

namespace gz::matching {

using json = nlohmann::json;

namespace {

// Share of a scan's time per stage, from the 1,000,000-contact measure of bench/README.md
// (loading 13.5 s, blocking 4.1 s, comparison 45.4 s, EM and clusters 0.5 s) plus the writing of
// the clusters: where each stage starts and ends on the 0–100 bar.
struct Stage {
  const char* name;
  double from, to;
};
constexpr Stage kStages[] = {{"loading", 0, 25},     {"blocking", 25, 32}, {"comparing", 32, 90},
                             {"weights", 90, 92},    {"clustering", 92, 93}, {"storing", 93, 99},
                             {"done", 100, 100}};

double one_decimal(double x) { return std::round(x * 10) / 10; }

}  // namespace

std::string scan_active_key(const std::string& entity) { return std::string(kScanJobKind) + ":" + entity; }

json scan_summary_json(const DuplicateService::ScanRun& run, const std::string& entity) {
  json out = run.result.summary();
  out["entity"] = entity;
  out["scan_id"] = run.scan_id;
  out["seconds_total"] = run.seconds;
  return out;
}

json scan_progress_json(const std::string& stage, double fraction) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  for (const auto& s : kStages)
    if (stage == s.name)
      return {{"stage", stage}, {"stage_percent", one_decimal(100 * fraction)},
              {"percent", one_decimal(s.from + (s.to - s.from) * fraction)}};
  return {{"stage", stage}, {"stage_percent", one_decimal(100 * fraction)}, {"percent", 0.0}};
}

QueuedScan queue_scan(store::Database& db, const domain::Actor& actor, const std::string& entity,
                      const ScanOptions& options) {
  DuplicateService::check_scan_allowed(actor, entity);
  json payload = {{"entity", entity}};
  if (options.has_upper) payload["threshold_upper"] = options.threshold_upper;
  if (options.has_lower) payload["threshold_lower"] = options.threshold_lower;
  domain::JobQueue queue(db);
  domain::EnqueueOptions o;
  o.active_key = scan_active_key(entity);
  o.created_by = actor.user_id;
  o.max_attempts = 2;  // a second try after a crash or a lost worker; a scan error is shown, not retried for long
  // The running scan can end between the insert that found its key taken and the look-up: then
  // the insert is tried again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (auto id = queue.enqueue(kScanJobKind, payload, o)) return {*queue.find(*id), true};
    if (auto active = queue.find_active(*o.active_key)) return {*active, false};
  }
  throw Problem(ProblemKind::Conflict, tr("scans of {entity} keep starting and ending; try again",
                                          {{"entity", domain::entity_label(domain::entity(entity))}}));
}

void add_scan_job_handler(domain::JobHandlers& handlers) {
  handlers.add(kScanJobKind, [](domain::JobContext& ctx) {
    const json& p = ctx.job.payload;
    std::string entity = p.value("entity", json()).is_string() ? p["entity"].get<std::string>() : "";
    domain::Actor actor = domain::actor_of_user(ctx.db, ctx.job.created_by);
    ScanOptions o;
    if (p.contains("threshold_upper") && p["threshold_upper"].is_number()) {
      o.has_upper = true;
      o.threshold_upper = p["threshold_upper"].get<double>();
    }
    if (p.contains("threshold_lower") && p["threshold_lower"].is_number()) {
      o.has_lower = true;
      o.threshold_lower = p["threshold_lower"].get<double>();
    }
    // Each report is a write: at most two a second, and at every change of stage.
    using Clock = std::chrono::steady_clock;
    Clock::time_point last{};
    std::string last_stage;
    o.progress = [&](const std::string& stage, double fraction) {
      auto now = Clock::now();
      if (stage == last_stage && now - last < std::chrono::milliseconds(500)) return;
      last = now;
      last_stage = stage;
      ctx.report(scan_progress_json(stage, fraction));
    };
    auto run = [&] {
      try {
        return DuplicateService(ctx.db).scan(actor, entity, o, true);
      } catch (const Problem& e) {
        // Not allowed (any more), unknown entity…: another attempt would fail the same way.
        if (e.kind() != ProblemKind::Conflict) throw domain::PermanentJobError(e.what());
        throw;
      }
    }();
    ctx.result = scan_summary_json(run, entity);
    ctx.report(scan_progress_json("done", 1));
  });
}

}  // namespace gz::matching
