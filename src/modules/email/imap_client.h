// An IMAP client for reading a mailbox: its folders, a folder's status (UIDVALIDITY, UIDNEXT,
// HIGHESTMODSEQ when the server has CONDSTORE), the UIDs from a given one, a message's raw bytes
// (left unread: BODY.PEEK[]), and APPEND for the copy of a sent message.
//
// libcurl opens the connection and logs in (TLS, STARTTLS when offered, SASL), then the client
// speaks IMAP itself over that connection (curl_easy_send/recv): libcurl's own IMAP commands
// would fetch with BODY[] (marking the message read) and cannot read literals in the answers of
// other commands. One connection is kept for the client's lifetime, logged in once; when the
// server has closed an idle one, the next call reconnects. Not thread-safe: one client per thread.
//
// Folder names are UTF-8 ("Éléments envoyés"); they travel in IMAP's modified UTF-7 and as quoted
// strings, so spaces and quotes are fine; a name with a line break is refused (MailError).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/email/mail_transport.h"

namespace gz::modules::email {

struct FolderStatus {
  uint64_t uidvalidity = 0;
  uint64_t uidnext = 0;
  uint64_t messages = 0;
  std::optional<uint64_t> highestmodseq;  // absent when the server has no CONDSTORE
};

class ImapClient {
 public:
  explicit ImapClient(MailServer server);  // connects on the first call
  ~ImapClient();
  ImapClient(const ImapClient&) = delete;
  ImapClient& operator=(const ImapClient&) = delete;

  // The folders' names (LIST "" "*"), without those that cannot hold messages (\Noselect).
  std::vector<std::string> folders();
  // STATUS (UIDVALIDITY UIDNEXT MESSAGES [HIGHESTMODSEQ]).
  FolderStatus status(std::string_view folder);
  // The UIDs >= first_uid, ascending (UID SEARCH UID first:*, without the last message that
  // "first:*" names when first_uid is past the highest UID).
  std::vector<uint64_t> uids_from(std::string_view folder, uint64_t first_uid);
  // The raw RFC 5322 message, left unread (BODY.PEEK[]); a permanent MailError when there is no
  // message with that UID.
  std::string fetch(std::string_view folder, uint64_t uid);
  // Adds a message to a folder (the copy of a sent message), read or not; bare LF line ends are
  // sent as CRLF.
  void append(std::string_view folder, std::string_view raw, bool seen = true);
  // CREATE; nothing when the folder exists already.
  void create_folder(std::string_view folder);

  // Drops the connection (the next call opens a new one).
  void disconnect();

 private:
  struct Connection;
  struct Response;
  Response run(const std::string& command, std::string_view folder_for_errors = {},
               const std::string* literal = nullptr, const std::string* select = nullptr);
  Response run_once(const std::string& command, const std::string* literal);
  [[noreturn]] void fail_on(const Response& r, const std::string& command, std::string_view folder);
  void connect();

  MailServer server_;
  std::unique_ptr<Connection> conn_;
};

// Folder names between UTF-8 and IMAP's modified UTF-7 (RFC 3501 §5.1.3): "Envoyés" <->
// "Envoy&AOk-s". decode_mutf7 leaves a malformed name as it is.
std::string encode_mutf7(std::string_view utf8);
std::string decode_mutf7(std::string_view mutf7);

}  // namespace gz::modules::email
