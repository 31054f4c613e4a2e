// Polling a mailbox over IMAP: the messages whose UID is above the last one stored, oldest
// first, each stored with the mailbox's new position in one transaction — a restart resumes after
// the last message stored and never fetches one twice. A new UIDVALIDITY (the folder was
// recreated) starts again from the first UID; the Message-ID keeps what was stored once. With
// CONDSTORE, an unchanged HIGHESTMODSEQ and UIDNEXT mean nothing to fetch.
#include <filesystem>
#include <fstream>
#include <mutex>

#include <sys/stat.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/message.h"
#include "core/problem.h"
#include "modules/email/email_service.h"
#include "modules/email/email_store.h"
#include "modules/email/imap_client.h"

namespace gz::modules::email {

using store::Connection;

namespace {

std::string key_at(const std::string& dialect, const std::string& sqlite_file) {
  static std::mutex mutex;
  static std::map<std::string, std::string> keys;
  std::string path;
  if (const char* env = std::getenv("GAZELLE_SECRET_KEY_FILE"); env && *env) path = env;
  else if (dialect == "sqlite" && !sqlite_file.empty()) {
    std::error_code ec;
    auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(sqlite_file, ec), ec);
    path = (ec ? sqlite_file : absolute.string()) + ".secret-key";
  }
  else path = std::string(std::getenv("HOME") ? std::getenv("HOME") : ".") + "/.config/gazelle/secret.key";
  std::lock_guard lock(mutex);
  if (auto it = keys.find(path); it != keys.end()) return it->second;
  crypto::init();
  std::string key;
  {
    std::ifstream in(path, std::ios::binary);
    if (in) key.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (key.empty()) {
    key = crypto::new_secret_key();
    std::error_code ec;
    if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) std::filesystem::create_directories(parent, ec);
    const mode_t old = ::umask(077);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(key.data(), std::streamsize(key.size()));
    out.close();
    ::umask(old);
    if (!out) throw std::runtime_error("cannot write the server key " + path);
  }
  if (key.size() != crypto::secret_key_bytes()) throw std::runtime_error("the server key " + path + " is not a key of ours");
  keys[path] = key;
  return key;
}

}  // namespace

std::string server_key(const store::Database& db) {
  return key_at(db.dialect().name(), db.dialect().name() == "sqlite" ? db.location() : "");
}

std::string server_key_for(Connection& c) {
  std::string file;
  if (c.dialect().name() == "sqlite")
    for (const auto& r : c.query("PRAGMA database_list"))
      if (r.value("name", "") == "main" && r["file"].is_string()) file = r["file"].get<std::string>();
  return key_at(c.dialect().name(), file);
}

std::vector<int64_t> EmailService::mailboxes_to_poll() {
  return store::with_transaction(db_, false, [](Connection& c) { return EmailStore::mailboxes_to_poll(c); });
}

// The mailbox's IMAP or SMTP server with its password unsealed.
MailServer mailbox_server(store::Database& db, Connection& c, const json& mailbox, const char* url_column) {
  MailServer s;
  s.url = mailbox.value(url_column, json()).is_string() ? mailbox[url_column].get<std::string>() : "";
  s.username = mailbox.value("username", json()).is_string() ? mailbox["username"].get<std::string>()
                                                              : mailbox["address"].get<std::string>();
  if (auto sealed = EmailStore::sealed_password(c, mailbox["id"].get<int64_t>()))
    s.password = crypto::unseal(server_key(db), *sealed).value_or("");
  s.verify_tls = mailbox.value("verify_tls", 1) != 0;
  return s;
}

int64_t EmailService::sync_mailbox(int64_t mailbox_id, int64_t max_messages, const std::function<void(const json&)>& progress) {
  auto [mailbox, position, server] = store::with_transaction(db_, false, [&](Connection& c) {
    auto m = EmailStore::mailbox(c, mailbox_id);
    if (!m) throw std::runtime_error("mailbox " + std::to_string(mailbox_id) + " is gone");
    return std::tuple{*m, EmailStore::sync_position(c, mailbox_id), mailbox_server(db_, c, *m, "imap_url")};
  });
  const std::string folder = mailbox.value("folder", json("INBOX")).is_string() ? mailbox["folder"].get<std::string>() : "INBOX";
  int64_t remaining = 0;
  try {
    ImapClient imap(server);
    FolderStatus status = imap.status(folder);
    int64_t last_uid = 0;
    if (position && (*position)["uidvalidity"].get<int64_t>() == int64_t(status.uidvalidity) &&
        (*position)["folder"].get<std::string>() == folder)
      last_uid = (*position)["last_uid"].get<int64_t>();
    const bool unchanged = position && last_uid > 0 && status.highestmodseq && (*position)["highestmodseq"].is_number_integer() &&
                           (*position)["highestmodseq"].get<int64_t>() == int64_t(*status.highestmodseq) &&
                           int64_t(status.uidnext) == last_uid + 1;
    std::vector<uint64_t> uids;
    if (!unchanged) uids = imap.uids_from(folder, uint64_t(last_uid) + 1);
    const int64_t total = int64_t(status.messages);
    int64_t done = 0;
    store::with_transaction(db_, true, [&](Connection& c) {
      if (!position || last_uid == 0)
        EmailStore::set_sync_position(c, mailbox_id, folder, int64_t(status.uidvalidity), 0, std::nullopt);
      EmailStore::set_sync_state(c, mailbox_id, uids.empty() ? "up_to_date" : "importing", total, 0, "", clock::now_utc());
      return 0;
    });
    for (uint64_t uid : uids) {
      if (done == max_messages) break;
      std::string raw = imap.fetch(folder, uid);
      ParsedMessage parsed;
      bool readable = true;
      try {
        parsed = parse_message(raw);
      } catch (const Problem&) {
        readable = false;  // skipped, the position moves on: one unreadable message must not stop the mailbox
      }
      const bool last = done + 1 == int64_t(uids.size()) || done + 1 == max_messages;
      store::with_transaction(db_, true, [&](Connection& c) {
        int64_t imported = 0;
        if (readable) imported = ingest_in(c, raw, parsed, IngestSource{mailbox_id}).created ? 1 : 0;
        EmailStore::set_sync_position(c, mailbox_id, folder, int64_t(status.uidvalidity), int64_t(uid),
                                      last && status.highestmodseq ? std::optional<int64_t>(int64_t(*status.highestmodseq))
                                                                   : std::nullopt);
        EmailStore::set_sync_state(c, mailbox_id, last && done + 1 == int64_t(uids.size()) ? "up_to_date" : "importing",
                                   std::nullopt, imported, "", clock::now_utc());
        return 0;
      });
      ++done;
      if (progress) progress({{"done", done}, {"total", int64_t(uids.size())}});
    }
    remaining = int64_t(uids.size()) - done;
  } catch (const MailError& e) {
    const std::string error = e.message().french();
    store::with_transaction(db_, true, [&](Connection& c) {
      EmailStore::set_sync_state(c, mailbox_id, "error", std::nullopt, 0, error, clock::now_utc());
      return 0;
    });
    throw;
  }
  return remaining;
}

}  // namespace gz::modules::email
