// The demo company: a realistic French SME's customer file (accented names, +33 numbers,
// SIRET-checked companies, households, two years of orders, interactions and follow-ups),
// generated at any size, deterministically from a seed. Used by `make run` on a new database,
// by `gazelle demo`, and by the benchmarks at a million contacts.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "store/database.h"

namespace gz::domain {

struct DemoOptions {
  int64_t accounts = 300;
  int64_t contacts = 600;
  int64_t households = 150;
  int64_t interactions = 3000;
  int64_t orders = 2000;         // each order has 1–4 lines
  int64_t tasks = 400;
  int64_t cases = 120;           // service desk cases over the last two months (docs/service.md)
  uint64_t seed = 42;
  // K > 0 (default 3): a customer-value history like real customers': every buyer orders once
  // when acquired, then repeat orders go to the buyer at rank about n·u^(1+K) (a few heavy buyers,
  // many light ones), dated within that buyer's active life (an exponential lifetime at a rate
  // that differs between buyers, one departure a year on average; inactive customers stopped
  // over a year ago), so that lifetime-value models fit
  // plausible parameters (docs/demo.md). 0: orders spread evenly over the buyers and the two
  // years — everyone buys at the same rate and nobody leaves, which no purchase model can fit.
  double order_skew = 3;
};

struct DemoLogin {
  std::string email;
  std::string password;
};

// progress(done, total, stage) is called now and then when not null.
using DemoProgress = std::function<void(int64_t done, int64_t total, const std::string& stage)>;

// Creates the demo users (admin, managers, sales, service) if absent and adds the records.
// Returns the demo admin's login.
DemoLogin generate_demo(store::Database& db, const DemoOptions& options, const DemoProgress& progress);

}  // namespace gz::domain
