// The public data sets some tests check published results on (docs/testing.md, "Public data
// sets"): every such test finds them through one setting, the environment variable
// GAZELLE_DATA_DIR (default: ../shared/data from the repository root; a relative value is taken
// from the repository root too), and skips itself when its file is absent, naming the folder and
// the data set. The skip message starts with kMissingDataMarker, which scripts/run-tests.sh
// counts in its summary.
//
//   TEST(ClvModels, X) { GAZELLE_NEED_DATA("CDNOW", "cdnow/CDNOW_sample.txt"); … data_file("cdnow/…") … }
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "build_paths.h"

namespace gzdata {

inline constexpr const char* kMissingDataMarker = "[missing data set]";

// The folder of the data sets, as an absolute, normalised path.
inline std::string data_dir() {
  namespace fs = std::filesystem;
  const char* env = std::getenv("GAZELLE_DATA_DIR");
  fs::path root = GAZELLE_SOURCE_DIR;
  fs::path dir = env && *env ? fs::path(env) : fs::path("../shared/data");
  if (dir.is_relative()) dir = root / dir;
  return dir.lexically_normal().string();
}

// A file of a data set, e.g. data_file("cdnow/CDNOW_sample.txt").
inline std::string data_file(const std::string& relative) {
  return (std::filesystem::path(data_dir()) / relative).string();
}

inline bool has_data(const std::string& relative) { return std::filesystem::exists(data_file(relative)); }

// "[missing data set] CDNOW: cdnow/CDNOW_sample.txt is not in /x/shared/data (GAZELLE_DATA_DIR; …)"
inline std::string missing_message(const std::string& name, const std::string& relative) {
  return std::string(kMissingDataMarker) + " " + name + ": " + relative + " is not in " + data_dir() +
         " (set GAZELLE_DATA_DIR to the folder of the public data sets; docs/testing.md)";
}

}  // namespace gzdata

// Skips the running test (from its body or its fixture's SetUp) unless the data set's file exists.
#define GAZELLE_NEED_DATA(name, relative)                                                  \
  do {                                                                                     \
    if (!gzdata::has_data(relative)) GTEST_SKIP() << gzdata::missing_message(name, relative); \
  } while (0)
