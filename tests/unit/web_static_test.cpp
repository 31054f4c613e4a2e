// The static file route's path resolution: every encoding of an escape from the web root is
// refused (issue: `//etc/passwd` once served any file of the machine, the database included).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/web_static.h"

namespace fs = std::filesystem;
using gz::http::resolve_static_file;

namespace {

class WebStaticTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gazelle-web-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = (base_ / "dist").string();
    fs::create_directories(base_ / "dist" / "assets");
    write(base_ / "dist" / "index.html", "<html>");
    write(base_ / "dist" / "assets" / "app-1234.js", "js");
    write(base_ / "dist" / "é.txt", "accent");
    write(base_ / "dist" / ".env", "SECRET");
    write(base_ / "secret.db", "database");  // beside the root, as data/ is beside web/dist
    fs::create_symlink(base_ / "secret.db", base_ / "dist" / "link.db");
    fs::create_directory_symlink(base_, base_ / "dist" / "up");
    root_ = fs::canonical(root_).string();
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  bool serves(std::string_view raw) { return resolve_static_file(root_, raw).has_value(); }

  fs::path base_;
  std::string root_;
};

TEST_F(WebStaticTest, ServesFilesOfTheRoot) {
  auto f = resolve_static_file(root_, "/assets/app-1234.js");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->filename(), "app-1234.js");
  EXPECT_TRUE(serves("/index.html"));
  EXPECT_TRUE(serves("/%C3%A9.txt"));  // a UTF-8 name, percent-encoded
  EXPECT_TRUE(serves("/\xC3\xA9.txt"));
  EXPECT_TRUE(serves("/assets/%61pp-1234.js"));  // an escape of an ordinary letter is fine
}

TEST_F(WebStaticTest, RefusesAbsoluteAndRepeatedSlashes) {
  const std::string db = (base_ / "secret.db").string();
  for (std::string p : std::vector<std::string>{"//etc/passwd", "///etc/passwd", "/" + db, "//proc/self/environ", "/assets//app-1234.js",
                        "/assets/", "/", ""})
    EXPECT_FALSE(serves(p)) << p;
}

TEST_F(WebStaticTest, RefusesEncodedSeparatorsAndDots) {
  for (const char* p : {"/%2Fetc/passwd", "/%2fetc%2fpasswd", "/..%2Fsecret.db", "/%2E%2E/secret.db", "/%2e%2e/secret.db",
                        "/../secret.db", "/assets/../../secret.db", "/./index.html", "/assets/./app-1234.js",
                        "/%5C..%5Csecret.db", "/..\\secret.db", "/assets\\..\\..\\secret.db", "/%5Cetc%5Cpasswd"})
    EXPECT_FALSE(serves(p)) << p;
}

TEST_F(WebStaticTest, RefusesDoubleEncodingOverlongUtf8AndNul) {
  for (std::string p : std::vector<std::string>{std::string("/%252e%252e/secret.db"), std::string("/%252Fetc%252Fpasswd"),
                        std::string("/%C0%AE%C0%AE/secret.db"), std::string("/%C0%AF"), std::string("/%E0%80%AE"),
                        std::string("/\xC0\xAE\xC0\xAE/secret.db"), std::string("/%ED%A0%80"), std::string("/index.html%00"),
                        std::string("/index.html%00.js"), std::string("/index.html\0", 12), std::string("/%0aindex.html"),
                        std::string("/%"), std::string("/%2"), std::string("/%zz"), std::string("/index.html%")})
    EXPECT_FALSE(serves(p)) << p;
}

TEST_F(WebStaticTest, RefusesSymlinksLeavingTheRootAndDotFiles) {
  EXPECT_FALSE(serves("/link.db"));
  EXPECT_FALSE(serves("/up/secret.db"));
  EXPECT_FALSE(serves("/.env"));
  EXPECT_FALSE(serves("/assets"));  // a directory
  EXPECT_FALSE(serves("/missing.js"));
}

}  // namespace
