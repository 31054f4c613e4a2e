#include "modules/email/imap_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/utf8.h"
#include "modules/email/mail_transport_curl.h"

namespace gz::modules::email {

using detail::Endpoint;

namespace {

constexpr const char* kImap = "IMAP";
constexpr int kIdleSeconds = 60;          // no byte from the server for this long: timeout
constexpr int kCommandSeconds = 300;      // one command, its literal and its answer, at most
constexpr long kConnectAndLoginSeconds = 60;

// The connection was lost (or never answered) while a command ran; `answered`: the server had
// started answering that command (so it may have done it), other than by a BYE.
struct Lost {
  MailError error;
  bool answered;
};

// --- Modified UTF-7 ----------------------------------------------------------------------------

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

using gz::utf8::append_utf8;
using gz::utf8::next_code_point;

}  // namespace

std::string encode_mutf7(std::string_view utf8) {
  std::string out;
  std::vector<unsigned char> run;  // UTF-16BE bytes of the pending non-ASCII run
  auto flush = [&] {
    if (run.empty()) return;
    out += '&';
    uint32_t bits = 0;
    int nbits = 0;
    for (unsigned char b : run) {
      bits = (bits << 8) | b;
      nbits += 8;
      while (nbits >= 6) {
        out += kB64[(bits >> (nbits - 6)) & 0x3F];
        nbits -= 6;
      }
    }
    if (nbits > 0) out += kB64[(bits << (6 - nbits)) & 0x3F];
    out += '-';
    run.clear();
  };
  for (size_t i = 0; i < utf8.size();) {
    uint32_t cp = next_code_point(utf8, i);
    if (cp >= 0x20 && cp <= 0x7E) {
      flush();
      out += char(cp);
      if (cp == '&') out += '-';
      continue;
    }
    auto unit = [&](uint32_t u) {
      run.push_back(static_cast<unsigned char>(u >> 8));
      run.push_back(static_cast<unsigned char>(u & 0xFF));
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  flush();
  return out;
}

std::string decode_mutf7(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t end = s.find('-', i + 1);
    if (end == std::string_view::npos) return std::string(s);
    if (end == i + 1) {
      out += '&';
      i = end;
      continue;
    }
    std::vector<unsigned char> bytes;
    uint32_t bits = 0;
    int nbits = 0;
    for (size_t k = i + 1; k < end; ++k) {
      const char* p = std::strchr(kB64, s[k]);
      if (!p || !*p) return std::string(s);
      bits = (bits << 6) | uint32_t(p - kB64);
      nbits += 6;
      if (nbits >= 8) {
        bytes.push_back(static_cast<unsigned char>((bits >> (nbits - 8)) & 0xFF));
        nbits -= 8;
      }
    }
    if (bytes.size() % 2) return std::string(s);
    for (size_t k = 0; k < bytes.size(); k += 2) {
      uint32_t u = (uint32_t(bytes[k]) << 8) | bytes[k + 1];
      if (u >= 0xD800 && u < 0xDC00 && k + 3 < bytes.size()) {
        uint32_t low = (uint32_t(bytes[k + 2]) << 8) | bytes[k + 3];
        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
        k += 2;
      }
      append_utf8(out, u);
    }
    i = end;
  }
  return out;
}

// --- The connection ------------------------------------------------------------------------------

struct ImapClient::Connection {
  CURL* curl = nullptr;
  curl_socket_t sock = CURL_SOCKET_BAD;
  Endpoint endpoint;
  std::string in;        // bytes received and not yet read
  unsigned tag = 0;
  std::string selected;  // the folder selected (EXAMINE), modified UTF-7; "" for none
  bool condstore = false;
  bool broken = false;  // lost or timed out: closed without a LOGOUT
  char errbuf[CURL_ERROR_SIZE] = {};

  ~Connection() {
    if (!curl) return;
    // libcurl sends LOGOUT and waits for its answer: not on a connection that failed, where
    // the wait could last until the server timeout.
    if (broken && sock != CURL_SOCKET_BAD) ::shutdown(sock, SHUT_RDWR);
    detail::NoSigpipe no_sigpipe;
    curl_easy_cleanup(curl);
  }
};

struct ImapClient::Response {
  struct Untagged {
    std::string line;                   // without CRLF; a literal shows as {N} where it was
    std::vector<std::string> literals;  // in order
  };
  std::vector<Untagged> untagged;
  std::string status;  // OK, NO, BAD
  std::string text;    // what follows the status, response code included: "[TRYCREATE] No such…"
};

namespace {

using Clock = std::chrono::steady_clock;

MailError unreadable(const Endpoint& e, std::string what) {
  return MailError(tr("The IMAP server {server} sent a response that cannot be read ({what})",
                      {{"server", e.display}, {"what", what}}),
                   true);
}

MailError lost(const Endpoint& e, const std::string& detail) {
  return MailError(tr("The connection to the {protocol} server {server} was lost: {detail}",
                      {{"protocol", kImap}, {"server", e.display}, {"detail", detail}}),
                   false);
}

MailError timed_out(const Endpoint& e) {
  return MailError(tr("The {protocol} server {server} did not answer in time",
                      {{"protocol", kImap}, {"server", e.display}}),
                   false);
}

// Blocks until the socket is ready (POLLIN, POLLOUT) or the idle time or the deadline is over.
bool wait_socket(curl_socket_t sock, short events, Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  int ms = int(std::min<long long>(std::max<long long>(left, 0), kIdleSeconds * 1000LL));
  pollfd p{sock, events, 0};
  int r;
  do r = ::poll(&p, 1, ms);
  while (r < 0 && errno == EINTR);
  return r > 0;
}

// A quoted string for a folder name (modified UTF-7 inside).
std::string quoted_folder(std::string_view folder) {
  if (folder.empty() || folder.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
    throw MailError(tr("The folder name '{folder}' is not valid (empty, or with a line break)",
                       {{"folder", std::string(folder)}}),
                    true);
  std::string out = "\"";
  for (char c : encode_mutf7(folder)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Reads the items of an untagged line: atoms, quoted strings, literals ({N}), parenthesised lists
// (returned whole, as written).
struct Cursor {
  std::string_view s;
  const std::vector<std::string>& literals;
  size_t i = 0;
  size_t next_literal = 0;

  void spaces() {
    while (i < s.size() && s[i] == ' ') ++i;
  }
  bool done() const { return i >= s.size(); }
  // An atom, a quoted string (unescaped), a literal's bytes, or a parenthesised list; nullopt at
  // the end or for NIL.
  std::optional<std::string> item() {
    spaces();
    if (done()) return std::nullopt;
    if (s[i] == '"') {
      std::string out;
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        out += s[i];
      }
      ++i;
      return out;
    }
    if (s[i] == '{') {
      size_t close = s.find('}', i);
      i = close == std::string_view::npos ? s.size() : close + 1;
      if (next_literal < literals.size()) return literals[next_literal++];
      return std::string();
    }
    if (s[i] == '(') {
      int depth = 0;
      size_t start = i;
      for (; i < s.size(); ++i) {
        if (s[i] == '(') ++depth;
        if (s[i] == ')' && --depth == 0) {
          ++i;
          break;
        }
      }
      return std::string(s.substr(start, i - start));
    }
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '(' && s[i] != ')') ++i;
    std::string atom(s.substr(start, i - start));
    if (atom == "NIL") return std::nullopt;
    return atom;
  }
};

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[i])) != std::toupper(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

// The verb of a command, for messages: "UID FETCH 12 BODY.PEEK[]" -> "UID FETCH".
std::string verb(const std::string& command) {
  size_t end = command.find(' ');
  if (command.rfind("UID ", 0) == 0) end = command.find(' ', 4);
  return command.substr(0, end);
}

}  // namespace

ImapClient::ImapClient(MailServer server) : server_(std::move(server)) {
  detail::parse_endpoint(server_.url, {"imap", "imaps"}, kImap);  // a bad URL fails here
}

ImapClient::~ImapClient() = default;

void ImapClient::disconnect() { conn_.reset(); }

void ImapClient::connect() {
  if (conn_) return;
  auto c = std::make_unique<Connection>();
  c->endpoint = detail::parse_endpoint(server_.url, {"imap", "imaps"}, kImap);
  c->curl = curl_easy_init();
  if (!c->curl) throw std::bad_alloc();
  detail::set_common_options(c->curl, server_, c->endpoint, kConnectAndLoginSeconds, c->errbuf);
  // Connect, STARTTLS, log in, and stop there: the client speaks over the connection.
  curl_easy_setopt(c->curl, CURLOPT_CONNECT_ONLY, 1L);
  CURLcode rc;
  {
    detail::NoSigpipe no_sigpipe;
    rc = curl_easy_perform(c->curl);
  }
  if (rc != CURLE_OK) detail::throw_curl_error(rc, c->endpoint, kImap, c->errbuf);
  if (curl_easy_getinfo(c->curl, CURLINFO_ACTIVESOCKET, &c->sock) != CURLE_OK || c->sock == CURL_SOCKET_BAD)
    throw lost(c->endpoint, "no socket");
  conn_ = std::move(c);
  try {
    Response caps = run_once("CAPABILITY", nullptr);
    for (const auto& u : caps.untagged)
      if (starts_with_ci(u.line, "* CAPABILITY ") && upper(u.line + " ").find(" CONDSTORE ") != std::string::npos)
        conn_->condstore = true;
  } catch (Lost& l) {
    conn_->broken = true;
    disconnect();
    throw l.error;
  }
}

// Sends a command (and its literal, after the server's go-ahead) and reads its whole answer.
// Throws Lost when the connection fails; a NO or BAD answer is returned, not thrown.
ImapClient::Response ImapClient::run_once(const std::string& command, const std::string* literal) {
  Connection& c = *conn_;
  const Endpoint& e = c.endpoint;
  auto deadline = Clock::now() + std::chrono::seconds(kCommandSeconds);
  bool answered = false;

  auto send_all = [&](std::string_view data) {
    while (!data.empty()) {
      size_t n = 0;
      CURLcode rc;
      {
        detail::NoSigpipe no_sigpipe;
        rc = curl_easy_send(c.curl, data.data(), data.size(), &n);
      }
      if (rc == CURLE_AGAIN) {
        if (!wait_socket(c.sock, POLLOUT, deadline)) throw Lost{timed_out(e), answered};
        continue;
      }
      if (rc != CURLE_OK) throw Lost{lost(e, curl_easy_strerror(rc)), answered};
      data.remove_prefix(n);
    }
  };
  auto fill = [&] {
    char buf[16384];
    for (;;) {
      size_t n = 0;
      CURLcode rc = curl_easy_recv(c.curl, buf, sizeof buf, &n);
      if (rc == CURLE_AGAIN) {
        if (!wait_socket(c.sock, POLLIN, deadline)) throw Lost{timed_out(e), answered};
        continue;
      }
      if (rc != CURLE_OK) throw Lost{lost(e, curl_easy_strerror(rc)), answered};
      if (n == 0) throw Lost{lost(e, "closed by the server"), answered};
      c.in.append(buf, n);
      return;
    }
  };
  auto read_line = [&] {
    size_t pos = 0;
    for (;;) {
      size_t eol = c.in.find("\r\n", pos);
      if (eol != std::string::npos) {
        std::string line = c.in.substr(0, eol);
        c.in.erase(0, eol + 2);
        return line;
      }
      pos = c.in.empty() ? 0 : c.in.size() - 1;
      fill();
    }
  };
  // An untagged or tagged line with its literals: "* 3 FETCH (UID 9 BODY[] {120}" + 120 bytes + ")".
  auto read_response_line = [&](Response::Untagged& out) {
    out.line = read_line();
    for (;;) {
      const std::string& l = out.line;
      if (l.empty() || l.back() != '}') return;
      size_t open = l.rfind('{');
      if (open == std::string::npos) return;
      auto size = number(std::string_view(l).substr(open + 1, l.size() - open - 2));
      if (!size) return;
      if (*size > (1ull << 31)) throw Lost{unreadable(e, "literal of " + std::to_string(*size) + " bytes"), answered};
      while (c.in.size() < *size) fill();
      out.literals.push_back(c.in.substr(0, *size));
      c.in.erase(0, *size);
      out.line += read_line();
    }
  };

  std::string tag = "G" + std::to_string(++c.tag);
  Response r;
  auto read_until = [&](bool stop_at_continuation) {
    for (;;) {
      Response::Untagged u;
      read_response_line(u);
      // A BYE (idle too long, server stopping, administrator's kick) comes before the command
      // was done, often before it was even read: the connection is gone, the command not done.
      if (starts_with_ci(u.line, "* BYE")) throw Lost{lost(e, u.line.substr(2)), false};
      answered = true;
      if (u.line.rfind("* ", 0) == 0) {
        r.untagged.push_back(std::move(u));
      } else if (u.line.rfind("+", 0) == 0) {
        if (stop_at_continuation) return false;
      } else if (u.line.rfind(tag + " ", 0) == 0) {
        std::string rest = u.line.substr(tag.size() + 1);
        size_t sp = rest.find(' ');
        r.status = upper(rest.substr(0, sp));
        r.text = sp == std::string::npos ? "" : rest.substr(sp + 1);
        return true;
      }
      // Anything else (another tag's line) is not ours: skipped.
    }
  };

  if (literal) {
    send_all(tag + " " + command + " {" + std::to_string(literal->size()) + "}\r\n");
    if (read_until(true)) return r;  // refused before the literal (NO [TRYCREATE]…)
    send_all(*literal);
    send_all("\r\n");
  } else {
    send_all(tag + " " + command + "\r\n");
  }
  read_until(false);
  return r;
}

// Runs a command on a connection, opening it when needed, with `select` (a quoted folder name)
// examined first unless it is already; a connection the server has closed meanwhile (idle) is
// reopened and the command sent again, unless the server had started answering it. A NO or BAD
// answer throws a MailError naming the command (and the folder).
ImapClient::Response ImapClient::run(const std::string& command, std::string_view folder,
                                     const std::string* literal, const std::string* select) {
  auto attempt = [&]() -> Response {
    connect();
    if (select && conn_->selected != *select) {
      conn_->selected.clear();
      Response r = run_once("EXAMINE " + *select, nullptr);
      if (r.status != "OK") fail_on(r, "EXAMINE", folder);
      conn_->selected = *select;
    }
    return run_once(command, literal);
  };
  bool reused = conn_ != nullptr;
  Response r;
  try {
    r = attempt();
  } catch (Lost& l) {
    if (conn_) conn_->broken = true;
    disconnect();
    if (!reused || l.answered) throw l.error;
    try {
      r = attempt();
    } catch (Lost& again) {
      if (conn_) conn_->broken = true;
      disconnect();
      throw again.error;
    }
  }
  if (r.status != "OK") fail_on(r, verb(command), folder);
  return r;
}

void ImapClient::fail_on(const Response& r, const std::string& command,
                          std::string_view folder) {
  // [UNAVAILABLE], [INUSE], [SERVERBUG], [LIMIT]: the server may do it later.
  std::string code = upper(r.text.substr(0, r.text.find(']') + 1));
  bool temporary = code == "[UNAVAILABLE]" || code == "[INUSE]" || code == "[SERVERBUG]" || code == "[LIMIT]";
  std::string server = conn_ ? conn_->endpoint.display : server_.url;
  if (folder.empty())
    throw MailError(tr("The IMAP server {server} refused {command}: {reply}",
                       {{"server", server}, {"command", command}, {"reply", r.text}}),
                    !temporary);
  throw MailError(tr("The IMAP server {server} refused {command} on the folder '{folder}': {reply}",
                     {{"server", server}, {"command", command}, {"folder", folder}, {"reply", r.text}}),
                  !temporary);
}

std::vector<std::string> ImapClient::folders() {
  Response r = run("LIST \"\" \"*\"");
  std::vector<std::string> out;
  for (const auto& u : r.untagged) {
    if (!starts_with_ci(u.line, "* LIST ")) continue;
    Cursor cur{std::string_view(u.line).substr(7), u.literals};
    std::string flags = upper(cur.item().value_or(""));
    if (flags.find("\\NOSELECT") != std::string::npos || flags.find("\\NONEXISTENT") != std::string::npos) continue;
    cur.item();  // the hierarchy delimiter
    auto name = cur.item();
    if (name) out.push_back(decode_mutf7(*name));
  }
  return out;
}

FolderStatus ImapClient::status(std::string_view folder) {
  std::string q = quoted_folder(folder);
  connect();  // to know whether the server has CONDSTORE
  std::string items = conn_->condstore ? "(UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ)" : "(UIDVALIDITY UIDNEXT MESSAGES)";
  Response r = run("STATUS " + q + " " + items, folder);
  FolderStatus s;
  bool seen = false;
  for (const auto& u : r.untagged) {
    if (!starts_with_ci(u.line, "* STATUS ")) continue;
    size_t open = u.line.rfind('(');
    size_t close = u.line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    Cursor cur{std::string_view(u.line).substr(open + 1, close - open - 1), u.literals};
    for (;;) {
      auto key = cur.item();
      auto value = cur.item();
      if (!key || !value) break;
      auto v = number(*value);
      if (!v) continue;
      std::string k = upper(*key);
      if (k == "UIDVALIDITY") s.uidvalidity = *v;
      else if (k == "UIDNEXT") s.uidnext = *v;
      else if (k == "MESSAGES") s.messages = *v;
      else if (k == "HIGHESTMODSEQ") s.highestmodseq = *v;
    }
    seen = true;
  }
  if (!seen) throw unreadable(conn_->endpoint, "STATUS without its figures");
  return s;
}

std::vector<uint64_t> ImapClient::uids_from(std::string_view folder, uint64_t first_uid) {
  first_uid = std::max<uint64_t>(first_uid, 1);
  std::string q = quoted_folder(folder);
  Response r = run("UID SEARCH UID " + std::to_string(first_uid) + ":*", folder, nullptr, &q);
  std::vector<uint64_t> out;
  for (const auto& u : r.untagged) {
    if (!starts_with_ci(u.line, "* SEARCH")) continue;
    Cursor cur{std::string_view(u.line).substr(8), u.literals};
    while (auto item = cur.item())
      if (auto v = number(*item); v && *v >= first_uid) out.push_back(*v);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string ImapClient::fetch(std::string_view folder, uint64_t uid) {
  std::string q = quoted_folder(folder);
  Response r = run("UID FETCH " + std::to_string(uid) + " BODY.PEEK[]", folder, nullptr, &q);
  for (const auto& u : r.untagged) {
    // "* 3 FETCH (UID 9 BODY[] {120}…)"; unsolicited FETCH answers (flag changes) carry no body.
    if (u.line.find(" FETCH ") == std::string::npos || upper(u.line).find("BODY[]") == std::string::npos) continue;
    std::string up = upper(u.line);
    size_t at = up.find("UID ");
    if (at != std::string::npos) {
      size_t end = up.find_first_of(" )", at + 4);
      if (number(std::string_view(up).substr(at + 4, end - at - 4)) != uid) continue;
    }
    if (!u.literals.empty()) return u.literals.back();
    // A small body may come as a quoted string.
    size_t body = up.find("BODY[] ");
    if (body != std::string::npos) {
      Cursor cur{std::string_view(u.line).substr(body + 7), u.literals};
      if (auto text = cur.item()) return *text;
    }
  }
  throw MailError(tr("The message {uid} is not in the folder '{folder}' of the IMAP server {server}",
                     {{"uid", std::to_string(uid)}, {"folder", folder}, {"server", conn_->endpoint.display}}),
                  true);
}

void ImapClient::append(std::string_view folder, std::string_view raw, bool seen) {
  std::string q = quoted_folder(folder);
  std::string message = detail::crlf_lines(raw);
  std::string command = "APPEND " + q + (seen ? " (\\Seen)" : " ()");
  try {
    run(command, folder, &message);
  } catch (const MailError& e) {
    // The folder does not exist yet ([TRYCREATE]): create it, and append again.
    if (!e.permanent || std::string(e.what()).find("[TRYCREATE]") == std::string::npos) throw;
    create_folder(folder);
    run(command, folder, &message);
  }
}

void ImapClient::create_folder(std::string_view folder) {
  std::string q = quoted_folder(folder);
  try {
    run("CREATE " + q, folder);
  } catch (const MailError& e) {
    if (std::string(e.what()).find("[ALREADYEXISTS]") != std::string::npos) return;
    // A server without the ALREADYEXISTS code: the folder exists when LIST shows it.
    auto names = folders();
    if (std::find(names.begin(), names.end(), std::string(folder)) != names.end()) return;
    throw;
  }
}

}  // namespace gz::modules::email
