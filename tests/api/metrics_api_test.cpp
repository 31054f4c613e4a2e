// GET /metrics: Prometheus text format, counted by route pattern; open to loopback requests that
// did not come through a proxy, an admin's token otherwise.
#include <regex>

#include "api_fixture.h"

using namespace gzt;

namespace {

// The value of the sample line `name{labels}` (exact match), or -1 when absent.
double sample(const std::string& body, const std::string& series) {
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return -1;
}

}  // namespace

class MetricsApi : public ApiTest {};

TEST_F(MetricsApi, CountsRequestsByRoutePatternInPrometheusFormat) {
  json c = create("contacts", {{"last_name", unique("Métrique")}});
  std::string path = "/api/v1/contacts/" + std::to_string(c["id"].get<int64_t>());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(get(path, as("admin")).status, 200);
  ASSERT_EQ(get("/api/v1/contacts/999999999", as("admin")).status, 404);

  Response r = get("/metrics", Auth::none());  // from 127.0.0.1, not proxied: no token needed
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.header("Content-Type").rfind("text/plain", 0), 0u) << r.header("Content-Type");
  const std::string& m = r.body;

  const std::string route = "method=\"GET\",route=\"/api/v1/contacts/{id}\"";
  EXPECT_GE(sample(m, "http_requests_total{" + route + ",status=\"200\"}"), 3) << m.substr(0, 3000);
  EXPECT_GE(sample(m, "http_requests_total{" + route + ",status=\"404\"}"), 1);
  EXPECT_GE(sample(m, "http_requests_total{method=\"POST\",route=\"/api/v1/contacts\",status=\"201\"}"), 1);
  EXPECT_EQ(m.find(path + "\""), std::string::npos) << "raw paths are not labels";
  double inf = sample(m, "http_request_duration_seconds_bucket{" + route + ",le=\"+Inf\"}");
  EXPECT_GE(inf, 4);
  EXPECT_EQ(sample(m, "http_request_duration_seconds_count{" + route + "}"), inf);
  EXPECT_GE(sample(m, "http_request_duration_seconds_sum{" + route + "}"), 0);
  EXPECT_LE(sample(m, "http_request_duration_seconds_bucket{" + route + ",le=\"0.001\"}"), inf);
  EXPECT_GE(sample(m, "gazelle_db_pool_connections{state=\"idle\"}"), 0);
  EXPECT_GE(sample(m, "gazelle_db_pool_connections{state=\"in_use\"}"), 0);
  EXPECT_GE(sample(m, "gazelle_jobs{status=\"queued\"}"), 0);
  EXPECT_GE(sample(m, "gazelle_jobs{status=\"dead\"}"), 0);
  EXPECT_GT(sample(m, "process_resident_memory_bytes"), 1e6);
  EXPECT_GE(sample(m, "gazelle_uptime_seconds"), 0);
  EXPECT_GT(sample(m, "process_start_time_seconds"), 1.6e9);

  // Every line is a comment (# HELP / # TYPE) or `name{labels} value`.
  std::regex line_re(R"(^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"\\]*"(,[a-z_]+="[^"\\]*")*\})? [0-9.e+-]+)$)");
  std::istringstream in(m);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_TRUE(std::regex_match(line, line_re)) << "not Prometheus text: " << line;
  }
  EXPECT_GT(lines, 20);
}

TEST_F(MetricsApi, ThroughAProxyNeedsAnAdminToken) {
  httplib::Headers proxied = {{"X-Forwarded-For", "203.0.113.7"}};
  Response anonymous = srv().request("GET", "/metrics", Auth::none(), std::nullopt, proxied);
  EXPECT_EQ(anonymous.status, 401) << anonymous.dump();
  EXPECT_TRUE(anonymous.is_problem());
  Response sales = srv().request("GET", "/metrics", as("sales_a"), std::nullopt, proxied);
  EXPECT_EQ(sales.status, 403) << sales.dump();
  Response admin = srv().request("GET", "/metrics", as("admin"), std::nullopt, proxied);
  EXPECT_EQ(admin.status, 200) << admin.dump();
  EXPECT_NE(admin.body.find("http_requests_total"), std::string::npos);
  Response real_ip = srv().request("GET", "/metrics", Auth::none(), std::nullopt, {{"X-Real-IP", "203.0.113.7"}});
  EXPECT_EQ(real_ip.status, 401);
}
