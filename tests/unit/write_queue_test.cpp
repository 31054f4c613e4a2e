// store::WriteQueue: writers get the lock in the order they asked for it, the holder may take it
// again, and it still excludes. And SQLite's WAL checkpoints, made by a thread of the database
// rather than by the commit that fills the WAL: every write is kept and the WAL stays bounded.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/write_queue.h"

using gz::store::WriteQueue;

namespace {

// Waits until `n` threads are queued behind the holder.
void wait_for_queue(WriteQueue& q, size_t n) {
  for (int i = 0; i < 5000 && q.waiting() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(q.waiting(), n);
}

}  // namespace

TEST(WriteQueue, HandsTheLockToWritersInTheOrderTheyAsked) {
  WriteQueue q;
  q.lock();
  std::vector<int> order;
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&, i] {
      std::unique_lock lock(q);
      order.push_back(i);  // guarded by q
    });
    wait_for_queue(q, size_t(i) + 1);  // writer i queued before writer i + 1 starts
  }
  q.unlock();
  for (auto& t : writers) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(WriteQueue, AReleasingWriterQueuesBehindTheOnesWaiting) {
  WriteQueue q;
  std::vector<int> order;
  q.lock();
  std::thread waiting([&] {
    std::unique_lock lock(q);
    order.push_back(1);
  });
  wait_for_queue(q, 1);
  q.unlock();
  q.lock();  // a mutex would often let this thread back in first
  order.push_back(2);
  q.unlock();
  waiting.join();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(WriteQueue, TheHolderMayTakeItAgain) {
  WriteQueue q;
  q.lock();
  {
    std::unique_lock inner(q);  // would deadlock if not re-entrant
  }
  std::atomic<bool> entered{false};
  std::thread other([&] {
    std::unique_lock lock(q);
    entered = true;
  });
  wait_for_queue(q, 1);
  EXPECT_FALSE(entered);  // the outer hold still excludes after the inner release
  q.unlock();
  other.join();
  EXPECT_TRUE(entered);
}

TEST(WriteQueue, ExcludesUnderContention) {
  WriteQueue q;
  int inside = 0, most = 0;
  long total = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        std::unique_lock lock(q);
        most = std::max(most, ++inside);
        ++total;
        --inside;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(most, 1);
  EXPECT_EQ(total, 8 * 2000);
  EXPECT_EQ(q.waiting(), 0u);
}

TEST(SqliteCheckpoints, FourWritersKeepEveryRowAndTheWalBounded) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gazelle-wal-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "wal.db").string();
  {
    auto db = gz::store::Database::open(path);
    gz::store::with_transaction(*db, true, [](gz::store::Connection& c) {
      c.execute_script("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    });
    // About 8,000 commits of a page or two each: several times the 1,000 pages at which the
    // checkpointer is asked, while the other writers go on.
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t)
      writers.emplace_back([&db, t] {
        for (int i = 0; i < 2000; ++i)
          gz::store::with_transaction(*db, true, [&](gz::store::Connection& c) {
            c.execute("INSERT INTO notes (body) VALUES (?)", {std::string(1500, char('a' + t))});
          });
      });
    for (auto& w : writers) w.join();
    const auto rows = gz::store::with_transaction(*db, false, [](gz::store::Connection& c) {
      return c.query_one("SELECT COUNT(*) AS n FROM notes")["n"].get<int64_t>();
    });
    EXPECT_EQ(rows, 8000);
    // Without checkpoints the WAL holds every commit (8,000 × ~2 pages × 4 KB: 64 MB measured).
    // How far it grows while the thread's passive pass runs depends on the machine's load (its
    // fsyncs): 3–5 MB on a quiet machine; the bound leaves room for a loaded CI.
    EXPECT_LT(fs::file_size(path + "-wal"), uintmax_t(40) << 20);
  }
  auto reopened = gz::store::Database::open(path);  // the checkpointer stopped with the database
  EXPECT_EQ(gz::store::with_transaction(*reopened, false, [](gz::store::Connection& c) {
              return c.query_one("SELECT COUNT(*) AS n FROM notes")["n"].get<int64_t>();
            }),
            8000);
  reopened.reset();
  fs::remove_all(dir);
}

