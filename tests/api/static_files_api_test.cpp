// The static file route never serves a file outside the web root, however the path is spelled,
// directly or through the nginx set-up of docs/operations.md; and reading at it leaves the
// database's locks alone (once, `//path/to/gazelle.db` served the database and closing that
// descriptor dropped SQLite's POSIX locks: acknowledged writes were then lost).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "api_fixture.h"
#include "build_paths.h"

namespace gzt {
namespace {

struct RawReply {
  int status = 0;
  std::string body;
};

// Sends the request line as given (no client-side normalisation of the path) and reads the reply.
RawReply raw_get(int port, const std::string& target) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  RawReply out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return out;
  }
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  (void)!write(fd, req.data(), req.size());
  std::string reply;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) reply.append(buf, size_t(n));
  close(fd);
  if (reply.rfind("HTTP/1.", 0) == 0 && reply.size() > 12) out.status = std::atoi(reply.c_str() + 9);
  auto pos = reply.find("\r\n\r\n");
  if (pos != std::string::npos) out.body = reply.substr(pos + 4);
  return out;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// Every spelling of a way out of the web root that the issue lists, aimed at files that exist.
std::vector<std::string> attack_paths(const std::string& db) {
  std::vector<std::string> enc_db;
  std::string e;
  for (char c : db) e += c == '/' ? std::string("%2F") : std::string(1, c);
  std::vector<std::string> paths = {
      "//etc/passwd", "///etc/passwd", "/%2Fetc/passwd", "/%2fetc%2fpasswd", "//proc/self/environ",
      "/%2Fproc%2Fself%2Fenviron", "/" + db, "//" + db.substr(1), "/" + e, "/%252Fetc%252Fpasswd",
      "/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/../../../../../../etc/passwd",
      "/assets/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/%252e%252e/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
      "/%C0%AE%C0%AE/%C0%AE%C0%AE/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd", "/%C0%AF%C0%AFetc%C0%AFpasswd",
      "/..%5C..%5C..%5C..%5C..%5C..%5Cetc%5Cpasswd", "/..\\..\\..\\..\\..\\..\\etc\\passwd",
      "/index.html%00/../../../../../../etc/passwd", "/%00//etc/passwd", "/.//etc/passwd", "/./../../../../etc/passwd",
      "/assets/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "//etc/passwd?x=1", "/%2F%2Fetc%2Fpasswd"};
  return paths;
}

// What a leak would look like: the passwd file, the environment, the SQLite header.
bool leaks(const RawReply& r) {
  return r.status == 200 && (r.body.find("root:") != std::string::npos || r.body.find("SQLite format 3") != std::string::npos ||
                             r.body.find("PATH=") != std::string::npos);
}

class StaticFilesApi : public ApiTest {};

TEST_F(StaticFilesApi, NoPathOutsideTheWebRootIsServed) {
  std::string db = on_postgresql() ? std::string(GAZELLE_SOURCE_DIR) + "/CMakeLists.txt" : fs::absolute(srv().db_location()).string();
  for (const auto& p : attack_paths(db)) {
    RawReply r = raw_get(srv().port(), p);
    EXPECT_FALSE(leaks(r)) << p << " answered " << r.status;
    EXPECT_TRUE(r.status == 404 || r.status == 400 || (r.status == 200 && r.body.find("<!doctype html>") == 0))
        << p << " answered " << r.status << ": " << r.body.substr(0, 200);
  }
  // The source tree's own files are outside the root too.
  RawReply r = raw_get(srv().port(), std::string("/") + GAZELLE_SOURCE_DIR + "/CMakeLists.txt");
  EXPECT_EQ(r.body.find("cmake_minimum_required"), std::string::npos);
  // The app itself is still served: its page and its routes.
  EXPECT_EQ(raw_get(srv().port(), "/").status, 200);
  EXPECT_EQ(raw_get(srv().port(), "/contacts/42").status, 200);
  EXPECT_EQ(raw_get(srv().port(), "/missing.js").status, 404);
}

TEST_F(StaticFilesApi, WritesAcknowledgedAfterProbingTheDatabaseFileAreKept) {
  if (on_postgresql()) GTEST_SKIP() << "the lock hazard is SQLite's";
  std::string db = fs::absolute(srv().db_location()).string();
  std::string tag = unique("lock");
  for (int i = 0; i < 30; ++i) {
    // Probe the file between writes, as the reproduction did.
    raw_get(srv().port(), "/" + db);
    raw_get(srv().port(), "//" + db.substr(1));
    create("contacts", {{"first_name", "Zoé"}, {"last_name", tag}});
  }
  EXPECT_EQ(count("contacts", "admin", "q=" + tag), 30);
}

// The documented nginx set-up (docs/operations.md, the `location /` block as written there) in
// front of the server passes nothing through that the server would serve.
TEST_F(StaticFilesApi, DocumentedNginxSetUpPassesNoWayOut) {
  if (access("/usr/sbin/nginx", X_OK) != 0) GTEST_SKIP() << "nginx is not installed (scripts/install-deps.sh installs it)";
  std::ifstream doc(std::string(GAZELLE_SOURCE_DIR) + "/docs/operations.md");
  std::stringstream ss;
  ss << doc.rdbuf();
  std::string text = ss.str();
  auto start = text.find("    location / {");
  ASSERT_NE(start, std::string::npos) << "docs/operations.md has no `location / {` block";
  auto end = text.find("\n    }", start);
  std::string location = text.substr(start, end + 6 - start);
  auto mstart = text.find("    location = /metrics");
  std::string metrics = mstart == std::string::npos ? "" : text.substr(mstart, text.find('\n', mstart) - mstart);

  char tmpl[] = "/tmp/gazelle-nginx-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  fs::path dir = tmpl;
  int port = free_port();
  {
    std::ofstream conf(dir / "nginx.conf");
    conf << "daemon off;\nmaster_process off;\nerror_log " << (dir / "error.log").string() << ";\npid "
         << (dir / "nginx.pid").string() << ";\nevents {}\nhttp {\n  access_log off;\n"
         << "  client_body_temp_path " << (dir / "body").string() << ";\n  proxy_temp_path " << (dir / "proxy").string()
         << ";\n  fastcgi_temp_path " << (dir / "fcgi").string() << ";\n  uwsgi_temp_path " << (dir / "uwsgi").string()
         << ";\n  scgi_temp_path " << (dir / "scgi").string() << ";\n"
         << "  upstream gazelle { server 127.0.0.1:" << srv().port() << "; keepalive 4; }\n"
         << "  server {\n    listen 127.0.0.1:" << port << ";\n    client_max_body_size 16m;\n"
         << metrics << "\n" << location << "\n  }\n}\n";
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execl("/usr/sbin/nginx", "nginx", "-p", dir.c_str(), "-c", (dir / "nginx.conf").c_str(), (char*)nullptr);
    _exit(127);
  }
  int up = 0;
  for (int i = 0; i < 200 && up != 200; ++i) {
    up = raw_get(port, "/healthz").status;
    if (up != 200) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_EQ(up, 200) << "nginx did not start: " << read_file(dir / "error.log");
  std::string db = on_postgresql() ? "/etc/hostname" : fs::absolute(srv().db_location()).string();
  for (const auto& p : attack_paths(db)) {
    RawReply r = raw_get(port, p);
    EXPECT_FALSE(leaks(r)) << "through nginx: " << p << " answered " << r.status;
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gzt
