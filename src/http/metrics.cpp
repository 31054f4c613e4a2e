#include "http/metrics.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "http/api.h"
#include "store/job_store.h"

namespace gz::http {

namespace {

std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string num(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%.9g", v);
  return s;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += " ";
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += " ";
  out += type;
  out += "\n";
}

int64_t thread_count() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "Threads:") {
      int64_t n = 0;
      in >> n;
      return n;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

int64_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  long long size = 0, resident = 0;
  if (!(in >> size >> resident)) return 0;
  return int64_t(resident) * int64_t(sysconf(_SC_PAGESIZE));
}

}  // namespace

Metrics::Metrics()
    : start_(std::chrono::steady_clock::now()),
      start_unix_(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()) {}

void Metrics::define_routes(const std::vector<std::pair<std::string, std::string>>& routes) {
  routes_.clear();
  for (const auto& [method, path] : routes) {
    auto r = std::make_unique<RouteStats>();
    r->method = method;
    r->path = path;
    routes_.push_back(std::move(r));
  }
}

void Metrics::observe(size_t index, int status, double seconds) {
  if (index >= routes_.size()) return;
  if (status <= 0) status = 200;  // httplib fills in 200 after the handler when none was set
  RouteStats& r = *routes_[index];
  bool counted = false;
  for (size_t i = 0; i < kStatusSlots && !counted; ++i) {
    int s = r.status[i].load(std::memory_order_acquire);
    if (s == 0) {
      int expected = 0;
      if (r.status[i].compare_exchange_strong(expected, status, std::memory_order_acq_rel)) s = status;
      else s = expected;  // another thread took the slot meanwhile
    }
    if (s == status) {
      r.count[i].fetch_add(1, std::memory_order_relaxed);
      counted = true;
    }
  }
  if (!counted) r.other.fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBucketCount && seconds > kBuckets[b]) ++b;
  r.bucket[b].fetch_add(1, std::memory_order_relaxed);
  r.sum_ns.fetch_add(uint64_t(seconds * 1e9), std::memory_order_relaxed);
}

bool Metrics::trusted_local(const std::string& remote_addr, bool proxied) {
  return !proxied && is_loopback(remote_addr);
}

std::string Metrics::render(store::Database* db) const {
  std::string out;
  out.reserve(16384);

  header(out, "http_requests_total", "counter", "HTTP requests answered by the API, by method, route pattern and status.");
  for (const auto& r : routes_) {
    std::string labels = "method=\"" + label(r->method) + "\",route=\"" + label(r->path) + "\"";
    for (size_t i = 0; i < kStatusSlots; ++i) {
      int s = r->status[i].load(std::memory_order_acquire);
      if (s == 0) break;
      out += "http_requests_total{" + labels + ",status=\"" + std::to_string(s) + "\"} " +
             std::to_string(r->count[i].load(std::memory_order_relaxed)) + "\n";
    }
    if (uint64_t other = r->other.load(std::memory_order_relaxed))
      out += "http_requests_total{" + labels + ",status=\"other\"} " + std::to_string(other) + "\n";
  }

  header(out, "http_request_duration_seconds", "histogram",
         "Time from routing to the response, by method and route pattern (routes with requests only).");
  for (const auto& r : routes_) {
    uint64_t total = 0;
    uint64_t counts[kBucketCount + 1];
    for (size_t b = 0; b <= kBucketCount; ++b) total += counts[b] = r->bucket[b].load(std::memory_order_relaxed);
    if (total == 0) continue;
    std::string labels = "method=\"" + label(r->method) + "\",route=\"" + label(r->path) + "\"";
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBucketCount; ++b) {
      cumulative += counts[b];
      out += "http_request_duration_seconds_bucket{" + labels + ",le=\"" + (b < kBucketCount ? num(kBuckets[b]) : "+Inf") +
             "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "http_request_duration_seconds_sum{" + labels + "} " + num(double(r->sum_ns.load(std::memory_order_relaxed)) / 1e9) + "\n";
    out += "http_request_duration_seconds_count{" + labels + "} " + std::to_string(cumulative) + "\n";
  }

  if (db) {
    auto pool = db->pool_stats();
    header(out, "gazelle_db_pool_connections", "gauge", "Database connections of this process: idle in the pool, or in use.");
    out += "gazelle_db_pool_connections{state=\"idle\"} " + std::to_string(pool.idle) + "\n";
    out += "gazelle_db_pool_connections{state=\"in_use\"} " + std::to_string(pool.in_use) + "\n";
    try {
      auto depth = store::with_transaction(*db, false, [](store::Connection& c) { return store::JobStore::depth(c); });
      header(out, "gazelle_jobs", "gauge", "Background jobs by status (the whole queue, all servers).");
      for (const auto& [status, n] : depth) out += "gazelle_jobs{status=\"" + label(status) + "\"} " + std::to_string(n) + "\n";
    } catch (const std::exception&) {
      // No job table (older schema): no gauge rather than a failed scrape.
    }
  }

  header(out, "gazelle_http_connections", "gauge", "Open HTTP connections (event streams included).");
  out += "gazelle_http_connections " + std::to_string(open_connections.load()) + "\n";
  header(out, "gazelle_http_event_streams", "gauge", "Open server-sent event streams.");
  out += "gazelle_http_event_streams " + std::to_string(event_streams.load()) + "\n";
  header(out, "gazelle_http_refused_connections_total", "counter",
         "Connections refused at once because their address or the server had too many open.");
  out += "gazelle_http_refused_connections_total " + std::to_string(refused_connections.load()) + "\n";
  header(out, "gazelle_http_timed_out_connections_total", "counter",
         "Connections closed by the header, body or keep-alive deadline.");
  out += "gazelle_http_timed_out_connections_total " + std::to_string(timed_out_connections.load()) + "\n";
  header(out, "gazelle_http_oversized_requests_total", "counter", "Requests refused with 413 or 431 (body or headers too large).");
  out += "gazelle_http_oversized_requests_total " + std::to_string(oversized_requests.load()) + "\n";
  header(out, "process_threads", "gauge", "Threads of the process.");
  out += "process_threads " + std::to_string(thread_count()) + "\n";
  header(out, "process_resident_memory_bytes", "gauge", "Resident memory of the process, in bytes.");
  out += "process_resident_memory_bytes " + std::to_string(resident_bytes()) + "\n";
  header(out, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.");
  out += "process_start_time_seconds " + std::to_string(start_unix_) + "\n";
  header(out, "gazelle_uptime_seconds", "gauge", "Seconds since the process started.");
  out += "gazelle_uptime_seconds " +
         num(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count()) + "\n";
  return out;
}

}  // namespace gz::http
