// The queue of a database's writers: a lock taken in the order asked for, re-entrant on one
// thread (a write transaction may call code that opens one again).
//
// Why not a mutex: SQLite has one writer at a time, so every write waits for the ones before it.
// A mutex lets a thread that just released it take it again ahead of those already sleeping on
// it, and wakes them in no order: with 16 connections writing, some requests waited several
// rounds (p99 three times the mean). Here the lock is handed to the longest waiter at release,
// and a newcomer queues behind everyone, so a write waits for at most the writes queued before it.
//
// Meets BasicLockable: std::unique_lock<WriteQueue> holds it for a scope.
#pragma once
#include <deque>
#include <mutex>
#include <semaphore>
#include <thread>

namespace gz::store {

class WriteQueue {
 public:
  void lock() {
    std::unique_lock guard(mu_);
    const auto me = std::this_thread::get_id();
    if (owner_ == me) {  // re-entered by the holder
      ++depth_;
      return;
    }
    if (owner_ == std::thread::id() && waiting_.empty()) {
      owner_ = me;
      depth_ = 1;
      return;
    }
    Waiter w{me};
    waiting_.push_back(&w);
    guard.unlock();
    w.handed.acquire();  // unlock() made this thread the owner before releasing it
  }

  void unlock() {
    std::lock_guard guard(mu_);
    if (--depth_ > 0) return;
    if (waiting_.empty()) {
      owner_ = std::thread::id();
      return;
    }
    Waiter* next = waiting_.front();
    waiting_.pop_front();
    owner_ = next->thread;
    depth_ = 1;
    next->handed.release();
  }

  // Writers waiting for the lock now (not counting its holder).
  size_t waiting() {
    std::lock_guard guard(mu_);
    return waiting_.size();
  }

 private:
  struct Waiter {
    std::thread::id thread;
    std::binary_semaphore handed{0};
  };
  std::mutex mu_;  // guards the fields below; held only for a few instructions
  std::thread::id owner_;
  int depth_ = 0;
  std::deque<Waiter*> waiting_;  // oldest first; each lives on its waiting thread's stack
};

}  // namespace gz::store
