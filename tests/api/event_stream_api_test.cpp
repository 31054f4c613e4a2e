// GET /api/v1/notifications/stream: server-sent events of the user's notifications, and open
// streams that hold no thread (the service desk's screen pop keeps one per agent).
#include <thread>

#include "core/clock.h"
#include "raw_http.h"
#include "store/database.h"
#include "store/notification_store.h"

namespace gzt {
namespace {

class EventStreamApi : public ApiTest {
 protected:
  Server& server() { return *server_ptr(); }
  const json& user(const char* key) { return server().users()[key]; }
  std::string stream_request(const std::string& token, int interval) {
    return "GET /api/v1/notifications/stream?interval=" + std::to_string(interval) +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n";
  }
  // Written straight into the database, as the task reminder job of a worker process would.
  void notify(int64_t user_id, const std::string& title) {
    auto db = gz::store::Database::open(server().db_location());
    gz::store::with_transaction(*db, true, [&](gz::store::Connection& c) {
      gz::store::NotificationStore::insert(c, user_id, "task_due", title, "Due soon", "tasks", 1, gz::clock::now_utc());
    });
  }
};

TEST_F(EventStreamApi, StreamSendsTheCountAndNewNotifications) {
  RawConn c(server().port());
  ASSERT_TRUE(c.ok());
  c.send_all(stream_request(user("sales_a")["token"], 1));
  ASSERT_TRUE(c.wait_for("event: notifications", 5.0)) << c.in();
  EXPECT_EQ(c.status(), 200) << c.in();
  EXPECT_NE(c.in().find("Content-Type: text/event-stream"), std::string::npos) << c.in();
  EXPECT_NE(c.in().find("\"unread\":0"), std::string::npos) << c.in();

  size_t seen = c.in().size();
  notify(user("sales_a")["id"].get<int64_t>(), "Call Mrs Martin back");
  notify(user("sales_b")["id"].get<int64_t>(), "Not for sales A");
  ASSERT_TRUE(c.wait_for("Call Mrs Martin back", 5.0, seen)) << c.in().substr(seen);
  std::string event = c.in().substr(seen);
  EXPECT_NE(event.find("\"unread\":1"), std::string::npos) << event;
  EXPECT_NE(event.find("\"new\":[{"), std::string::npos) << event;
  EXPECT_EQ(event.find("Not for sales A"), std::string::npos) << event;

  // Marked read through the API: the count goes back to 0 on the stream.
  Response list = server().request("GET", "/api/v1/notifications", Auth::token(user("sales_a")["token"]));
  ASSERT_EQ(list.status, 200) << list.dump();
  ASSERT_EQ(list.j["data"].size(), 1u);
  seen = c.in().size();
  Response read = server().request("POST", "/api/v1/notifications/" + list.j["data"][0]["id"].dump() + "/read",
                                   Auth::token(user("sales_a")["token"]));
  EXPECT_EQ(read.status, 204);
  EXPECT_TRUE(c.wait_for("\"unread\":0", 5.0, seen)) << c.in().substr(seen);
}

TEST_F(EventStreamApi, StreamNeedsCredentialsAndAValidInterval) {
  Response none = server().request("GET", "/api/v1/notifications/stream");
  EXPECT_EQ(none.status, 401);
  Response bad = server().request("GET", "/api/v1/notifications/stream?interval=0", Auth::token(user("sales_a")["token"]));
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.names_field("interval")) << bad.dump();
}

// 300 open streams: no thread more in the server, /healthz still answers at once, and the
// streams are gone from the gauge once their clients leave.
TEST_F(EventStreamApi, ThreeHundredStreamsHoldNoThread) {
  double threads_before = metric_value(server(), "process_threads");
  ASSERT_GT(threads_before, 0);
  std::vector<std::unique_ptr<RawConn>> streams;
  std::string token = user("service")["token"];
  for (int i = 0; i < 300; ++i) {
    // 30 per address: under the per-client cap of 32.
    streams.push_back(std::make_unique<RawConn>(server().port(), "127.0.3." + std::to_string(i / 30 + 1)));
    ASSERT_TRUE(streams.back()->ok()) << "stream " << i;
    streams.back()->send_all(stream_request(token, 5));
  }
  int opened = 0;
  for (auto& s : streams) opened += s->wait_for("event: notifications", 10.0) ? 1 : 0;
  EXPECT_EQ(opened, 300);
  EXPECT_GE(metric_value(server(), "gazelle_http_event_streams"), 300);
  double threads_open = metric_value(server(), "process_threads");
  EXPECT_LE(threads_open, threads_before + 1) << "threads went from " << threads_before << " to " << threads_open;

  auto t = std::chrono::steady_clock::now();
  Response health = server().request("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count(), 1.0);

  for (auto& s : streams) s->close();
  double left = 300;
  for (int i = 0; i < 50 && left > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    left = metric_value(server(), "gazelle_http_event_streams");
  }
  EXPECT_EQ(left, 0);
}

}  // namespace
}  // namespace gzt
