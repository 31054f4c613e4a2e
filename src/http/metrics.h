// Metrics in the Prometheus text format (GET /metrics, docs/operations.md): requests per method,
// route pattern and status, a latency histogram per method and route, the database pool, the
// job queue by status, resident memory and uptime.
//
// Thread-safe without locks on the request path: the routes are defined once before serving,
// and each request adds to atomic counters of its route (statuses take slots of a small fixed
// table per route, claimed by compare-and-swap).
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/database.h"

namespace gz::http {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static constexpr size_t kBucketCount = sizeof(kBuckets) / sizeof(kBuckets[0]);
  static constexpr size_t kStatusSlots = 24;

  Metrics();
  // The routes, as (method, path pattern), indexed as observe() will name them. Call once,
  // before the first request.
  void define_routes(const std::vector<std::pair<std::string, std::string>>& routes);
  // One request answered by route `index` (unknown indexes are ignored).
  void observe(size_t index, int status, double seconds);

  // The whole exposition. db (optional) adds the pool and the job queue gauges.
  std::string render(store::Database* db) const;

  // True when a request from remote_addr may read /metrics without a token: it comes from this
  // machine and not through a proxy (no X-Forwarded-For, X-Real-IP or Forwarded header).
  static bool trusted_local(const std::string& remote_addr, bool proxied);

  // The transport's gauges and counters (server.cpp), rendered with the rest.
  std::atomic<int64_t> open_connections = 0;
  std::atomic<int64_t> event_streams = 0;
  std::atomic<uint64_t> refused_connections = 0;  // over the per-client or global cap
  std::atomic<uint64_t> timed_out_connections = 0;  // closed by a header, body or idle deadline
  std::atomic<uint64_t> oversized_requests = 0;  // answered 413 or 431

 private:
  struct RouteStats {
    std::string method, path;
    std::atomic<int> status[kStatusSlots] = {};  // 0 = free slot
    std::atomic<uint64_t> count[kStatusSlots] = {};
    std::atomic<uint64_t> other = 0;  // statuses beyond the slots (not expected)
    std::atomic<uint64_t> bucket[kBucketCount + 1] = {};  // last: +Inf
    std::atomic<uint64_t> sum_ns = 0;
  };
  std::vector<std::unique_ptr<RouteStats>> routes_;
  std::chrono::steady_clock::time_point start_;
  int64_t start_unix_;
};

}  // namespace gz::http
