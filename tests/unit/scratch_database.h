// A database of its own for a test run on either backend: a file in a fresh temporary directory
// ("sqlite"), or a new database on the server GAZELLE_TEST_PG_URL names ("postgresql"), removed
// or dropped when the test ends. Shared by the tests parameterised by backend (jobs, job progress).
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "store/database.h"

namespace gzt {

// "postgresql://u@h:p/postgres?x" -> "postgresql://u@h:p/<db>?x"
inline std::string with_database(const std::string& url, const std::string& db) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t q = url.find('?', start);
  size_t slash = url.find('/', start);
  size_t end = slash != std::string::npos && (q == std::string::npos || slash < q) ? slash : (q == std::string::npos ? url.size() : q);
  return url.substr(0, end) + "/" + db + (q == std::string::npos ? "" : url.substr(q));
}

class ScratchDatabase {
 public:
  // prefix names the database or directory (e.g. "jobs"). available() is false when PostgreSQL
  // is asked for and GAZELLE_TEST_PG_URL is not set (the caller skips the test).
  ScratchDatabase(const std::string& backend, const std::string& prefix) {
    if (backend == "postgresql") {
      const char* url = std::getenv("GAZELLE_TEST_PG_URL");
      if (!url || !*url) return;
      std::random_device rd;
      pg_name_ = "gz_" + prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(rd() % 1000000);
      admin_ = gz::store::Database::open(url);
      admin_->acquire()->execute_script("CREATE DATABASE " + pg_name_);
      location_ = with_database(url, pg_name_);
    } else {
      std::string tmpl = "/tmp/gazelle-" + prefix + "-XXXXXX";
      if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary directory");
      dir_ = tmpl;
      location_ = (dir_ / "gazelle.db").string();
    }
  }
  ~ScratchDatabase() {
    if (admin_) {
      try {
        admin_->acquire()->execute_script("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cannot drop " << pg_name_ << ": " << e.what();
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  bool available() const { return !location_.empty(); }
  // A path or a postgresql:// URL, for store::Database::open.
  const std::string& location() const { return location_; }

 private:
  std::string location_, pg_name_;
  std::filesystem::path dir_;
  std::unique_ptr<gz::store::Database> admin_;
};

}  // namespace gzt
