// A suite whose `gazelle serve` reads its clock from a file the test writes
// (GAZELLE_TEST_CLOCK_FILE, core/clock.h): at("2026-03-29T06:00:00Z") moves the server's "now".
#pragma once
#include <cstdio>
#include <fstream>

#include "api_fixture.h"

namespace gzt {

// A suite whose server reads its clock from a file the test writes.
class ClockedApiTest : public ApiTest {
 protected:
  static std::string& clock_path() {
    static std::string p;
    return p;
  }
  static void SetUpTestSuite() {
    clock_path() = (fs::temp_directory_path() / ("gazelle-clock-" + std::to_string(getpid()))).string();
    { std::ofstream(clock_path(), std::ios::trunc); }  // empty: the real clock
    setenv("GAZELLE_TEST_CLOCK_FILE", clock_path().c_str(), 1);
    ApiTest::SetUpTestSuite();
    unsetenv("GAZELLE_TEST_CLOCK_FILE");  // the next suites' servers keep the real clock
  }
  static void TearDownTestSuite() {
    ApiTest::TearDownTestSuite();
    std::error_code ec;
    fs::remove(clock_path(), ec);
  }
  // The server's "now" from here on (written whole, then renamed: never read half-written).
  static void at(const std::string& iso) {
    std::string tmp = clock_path() + ".tmp";
    { std::ofstream(tmp, std::ios::trunc) << iso << "\n"; }
    fs::rename(tmp, clock_path());
  }
};

}  // namespace gzt
