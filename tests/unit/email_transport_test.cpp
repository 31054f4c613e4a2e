// The e-mail module's IMAP and SMTP clients against real servers: the throw-away Dovecot and
// Postfix of scripts/mail-servers.sh, which scripts/run-tests.sh starts and names in the
// GAZELLE_TEST_MAIL_* variables. Without them the tests skip themselves (fail under CI). The
// messages are plain RFC 5322 text written here; each carries a Message-ID of its own, so that
// the tests also pass against servers that earlier runs have filled.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include <curl/curl.h>

#include "modules/email/imap_client.h"
#include "modules/email/smtp_client.h"

using namespace gz::modules::email;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// A token for Message-IDs and subjects that no other run uses.
std::string unique_token() {
  static std::mt19937_64 rng(std::random_device{}() ^ uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()));
  static int n = 0;
  return std::to_string(rng() % 1000000000000ull) + "-" + std::to_string(++n);
}

std::string message(const std::string& from, const std::string& to, const std::string& subject,
                    const std::string& message_id, const std::string& body = "Bonjour,\r\n\r\nUn essai.\r\n") {
  return "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\nMessage-ID: <" + message_id +
         ">\r\nDate: Thu, 03 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body;
}

// A loopback port nothing listens on.
int closed_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

}  // namespace

class EmailTransport : public ::testing::Test {
 protected:
  void SetUp() override {
    imap_ = env("GAZELLE_TEST_MAIL_IMAP");
    if (imap_.empty()) {
      if (!env("CI").empty()) FAIL() << "GAZELLE_TEST_MAIL_IMAP is not set: under CI the mail servers must run (scripts/run-tests.sh starts them)";
      GTEST_SKIP() << "no mail servers: run the tests through scripts/run-tests.sh (it starts a throw-away Dovecot and Postfix, scripts/mail-servers.sh)";
    }
    imaps_ = env("GAZELLE_TEST_MAIL_IMAPS");
    smtp_ = env("GAZELLE_TEST_MAIL_SMTP");
    submission_ = env("GAZELLE_TEST_MAIL_SUBMISSION");
    password_ = env("GAZELLE_TEST_MAIL_PASSWORD");
    domain_ = env("GAZELLE_TEST_MAIL_DOMAIN");
    if (domain_.empty()) domain_ = "example.test";
    // The e-mail module registers these in its Module::messages_fr; registered here too, so that
    // the test does not depend on the module list.
    gz::add_french_messages(transport_messages_fr());
  }

  std::string address(const std::string& user) const { return user + "@" + domain_; }
  MailServer imap(const std::string& user) const { return {imap_, address(user), password_, false}; }
  MailServer submission(const std::string& user) const { return {submission_, address(user), password_, false}; }
  MailServer smtp() const { return {smtp_, "", "", false}; }

  // The UIDs from `from` on, once there are some (polled for up to `seconds`).
  static std::vector<uint64_t> wait_for_uids(ImapClient& client, const std::string& folder, uint64_t from,
                                             int seconds = 20) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
      auto uids = client.uids_from(folder, from);
      if (!uids.empty() || std::chrono::steady_clock::now() > deadline) return uids;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // The first message from UID `from` on whose text contains all of `needles` (polled).
  static std::optional<std::string> wait_for_message(ImapClient& client, const std::string& folder, uint64_t from,
                                                     const std::vector<std::string>& needles, int seconds = 20) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
      for (uint64_t uid : client.uids_from(folder, from)) {
        std::string raw = client.fetch(folder, uid);
        bool all = std::all_of(needles.begin(), needles.end(),
                               [&](const std::string& n) { return raw.find(n) != std::string::npos; });
        if (all) return raw;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }

  std::string imap_, imaps_, smtp_, submission_, password_, domain_;
};

TEST_F(EmailTransport, SubmissionWithLoginReachesTheRecipientsInbox) {
  ImapClient customer(imap("customer"));
  FolderStatus before = customer.status("INBOX");
  std::string id = "submission." + unique_token() + "@" + domain_;
  std::string subject = "Devis n\xc2\xb0 " + unique_token();  // 8-bit header: "Devis n° …"
  std::string raw = message(address("sales"), address("customer"), subject, id);
  smtp_send(submission("sales"), {address("sales"), {address("customer")}}, raw);

  auto got = wait_for_message(customer, "INBOX", before.uidnext, {"Message-ID: <" + id + ">"});
  ASSERT_TRUE(got) << "the message did not arrive in customer's INBOX within 20 s";
  EXPECT_NE(got->find("Subject: " + subject + "\r\n"), std::string::npos);
  // Dovecot puts its trace headers (Return-Path, Delivered-To, Received) before the message,
  // which otherwise arrives byte for byte.
  EXPECT_GE(got->size(), raw.size());
  EXPECT_EQ(got->substr(got->size() - raw.size()), raw);
  EXPECT_NE(got->find("Return-Path: <" + address("sales") + ">"), std::string::npos);
}

TEST_F(EmailTransport, StatusAndNewUids) {
  ImapClient support(imap("support"));
  FolderStatus st = support.status("INBOX");
  EXPECT_GT(st.uidvalidity, 0u);
  EXPECT_GT(st.uidnext, 0u);
  EXPECT_TRUE(st.highestmodseq.has_value()) << "Dovecot has CONDSTORE";
  // "uidnext:*" names the last message when there is one: it is not returned.
  EXPECT_TRUE(support.uids_from("INBOX", st.uidnext).empty());

  // Over the plain SMTP port (the domain's MX: no login), to support.
  std::string id = "status." + unique_token() + "@" + domain_;
  smtp_send(smtp(), {address("other"), {address("support")}},
            message(address("other"), address("support"), "Status", id));
  auto uids = wait_for_uids(support, "INBOX", st.uidnext);
  ASSERT_FALSE(uids.empty()) << "no new message in support's INBOX within 20 s";
  EXPECT_GE(uids.front(), st.uidnext);
  FolderStatus after = support.status("INBOX");
  EXPECT_EQ(after.uidvalidity, st.uidvalidity);
  EXPECT_GT(after.uidnext, st.uidnext);
  EXPECT_GE(after.messages, st.messages + 1);
  EXPECT_GT(after.highestmodseq.value_or(0), st.highestmodseq.value_or(0));
  EXPECT_NE(support.fetch("INBOX", uids.front()).find(id), std::string::npos);
  // A UID past the last one: nothing.
  EXPECT_TRUE(support.uids_from("INBOX", after.uidnext + 100).empty());
  // A UID that is not there: a permanent error naming the folder.
  try {
    support.fetch("INBOX", after.uidnext + 100);
    FAIL() << "no error for a missing message";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent);
    EXPECT_NE(e.message().french().find("INBOX"), std::string::npos) << e.message().french();
  }
}

TEST_F(EmailTransport, FetchLeavesTheMessageUnread) {
  ImapClient customer(imap("customer"));
  FolderStatus before = customer.status("INBOX");
  std::string id = "unread." + unique_token() + "@" + domain_;
  smtp_send(smtp(), {address("other"), {address("customer")}},
            message(address("other"), address("customer"), "Unread", id));
  ASSERT_TRUE(wait_for_message(customer, "INBOX", before.uidnext, {id}));
  uint64_t uid = customer.uids_from("INBOX", before.uidnext).back();
  customer.fetch("INBOX", uid);
  // Asked apart (libcurl's own IMAP, a session of its own): the message is still unseen.
  std::string found;
  CURL* curl = curl_easy_init();
  std::string url = imap_ + "/INBOX";
  std::string user = address("customer");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, user.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, password_.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "UID SEARCH UNSEEN");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* p, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(p, size * n);
    return size * n;
  });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &found);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  ASSERT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
  std::istringstream words(found);  // "* SEARCH 3 5 9"
  std::vector<std::string> unseen{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
  EXPECT_NE(std::find(unseen.begin(), unseen.end(), std::to_string(uid)), unseen.end()) << found;
}

TEST_F(EmailTransport, AppendToSentAndReadItBack) {
  ImapClient sales(imap("sales"));
  auto names = sales.folders();
  EXPECT_NE(std::find(names.begin(), names.end(), "INBOX"), names.end());
  if (std::find(names.begin(), names.end(), "Sent") == names.end()) sales.create_folder("Sent");
  sales.create_folder("Sent");  // exists already: nothing
  names = sales.folders();
  EXPECT_NE(std::find(names.begin(), names.end(), "Sent"), names.end());

  FolderStatus before = sales.status("Sent");
  std::string id = "sent." + unique_token() + "@" + domain_;
  // Bare LF line ends: stored with CRLF.
  std::string raw = "From: <" + address("sales") + ">\nTo: <" + address("customer") + ">\nSubject: Copie\nMessage-ID: <" +
                    id + ">\n\nLa copie envoy\xc3\xa9" "e.\n";
  sales.append("Sent", raw);
  auto uids = sales.uids_from("Sent", before.uidnext);
  ASSERT_EQ(uids.size(), 1u);
  std::string crlf;
  for (char c : raw) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(sales.fetch("Sent", uids[0]), crlf);
  FolderStatus after = sales.status("Sent");
  EXPECT_EQ(after.uidnext, uids[0] + 1);
}

TEST_F(EmailTransport, FolderNamesWithAccentsSpacesAndQuotes) {
  ImapClient sales(imap("sales"));
  std::string name = "\xc3\x89l\xc3\xa9ments \"envoy\xc3\xa9s\" " + unique_token();  // Éléments "envoyés" …
  sales.create_folder(name);
  auto names = sales.folders();
  EXPECT_NE(std::find(names.begin(), names.end(), name), names.end());
  sales.append(name, "Subject: x\r\n\r\ny\r\n", false);
  auto uids = sales.uids_from(name, 1);
  ASSERT_EQ(uids.size(), 1u);
  EXPECT_EQ(sales.fetch(name, uids[0]), "Subject: x\r\n\r\ny\r\n");
  EXPECT_EQ(sales.status(name).messages, 1u);
  // A line break would end the command: refused before anything is sent.
  try {
    sales.create_folder("a\r\nLOGOUT");
    FAIL() << "no error for a folder name with a line break";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent);
  }
  // A folder that does not exist: a permanent error naming it.
  try {
    sales.status("No such folder " + unique_token());
    FAIL() << "no error for a missing folder";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent);
    EXPECT_NE(e.message().french().find("No such folder"), std::string::npos) << e.message().french();
  }
}

TEST_F(EmailTransport, ImapsWithTheSelfSignedCertificate) {
  if (imaps_.empty()) GTEST_SKIP() << "GAZELLE_TEST_MAIL_IMAPS is not set";
  ImapClient tls({imaps_, address("other"), password_, false});
  auto names = tls.folders();
  EXPECT_NE(std::find(names.begin(), names.end(), "INBOX"), names.end());
  // Verifying the certificate (self-signed): refused, for good.
  ImapClient verifying({imaps_, address("other"), password_, true});
  try {
    verifying.folders();
    FAIL() << "a self-signed certificate was accepted";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent) << e.what();
  }
  // STARTTLS on the plain port, required.
  MailServer starttls = imap("other");
  starttls.require_tls = true;
  EXPECT_NO_THROW(ImapClient(starttls).status("INBOX"));
}

TEST_F(EmailTransport, AConnectionTheServerClosedIsOpenedAgain) {
  // The throw-away Dovecot's configuration (scripts/mail-servers.sh): doveadm can kick a user.
  std::string conf = env("GAZELLE_TEST_MAIL_DOVECOT_CONF");
  if (conf.empty()) GTEST_SKIP() << "GAZELLE_TEST_MAIL_DOVECOT_CONF is not set";
  ImapClient other(imap("other"));
  FolderStatus st = other.status("INBOX");
  other.uids_from("INBOX", 1);  // INBOX selected
  // Dovecot says BYE and closes the connection, as after a long idle time.
  std::string kick = "doveadm -c '" + conf + "' kick " + address("other") + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(kick.c_str()), 0) << kick;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // The next calls reconnect (and select INBOX again).
  EXPECT_EQ(other.uids_from("INBOX", st.uidnext).size(), 0u);
  EXPECT_EQ(other.status("INBOX").uidvalidity, st.uidvalidity);
  ASSERT_EQ(std::system(kick.c_str()), 0) << kick;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  other.append("INBOX", "Subject: again\r\n\r\nx\r\n");
  EXPECT_EQ(other.uids_from("INBOX", st.uidnext).size(), 1u);
}

TEST_F(EmailTransport, AWrongPasswordIsPermanentAndSaidInFrench) {
  MailServer wrong = imap("sales");
  wrong.password = "not the password";
  std::string server = imap_.substr(imap_.find("://") + 3);  // 127.0.0.1:port
  try {
    ImapClient(wrong).folders();
    FAIL() << "a wrong password was accepted";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent);
    EXPECT_EQ(e.message().french(),
              "Le serveur IMAP " + server + " a refus\xc3\xa9 l'identifiant ou le mot de passe");
    EXPECT_EQ(std::string(e.what()), "The IMAP server " + server + " refused the username or password");
  }
  MailServer wrong_smtp = submission("sales");
  wrong_smtp.password = "not the password";
  try {
    smtp_send(wrong_smtp, {address("sales"), {address("customer")}}, message(address("sales"), address("customer"), "x", "x@y"));
    FAIL() << "a wrong password was accepted";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent);
    EXPECT_NE(e.message().french().find("Le serveur SMTP " + submission_.substr(submission_.find("://") + 3)),
              std::string::npos)
        << e.message().french();
  }
}

TEST_F(EmailTransport, AClosedPortIsTemporary) {
  std::string url = "imap://127.0.0.1:" + std::to_string(closed_port());
  try {
    ImapClient({url, address("sales"), password_, false}).folders();
    FAIL() << "no error for a closed port";
  } catch (const MailError& e) {
    EXPECT_FALSE(e.permanent);
    EXPECT_NE(e.message().french().find("injoignable"), std::string::npos) << e.message().french();
  }
  try {
    smtp_send({"smtp://127.0.0.1:" + std::to_string(closed_port()), "", "", false},
              {address("sales"), {address("customer")}}, "Subject: x\r\n\r\ny\r\n");
    FAIL() << "no error for a closed port";
  } catch (const MailError& e) {
    EXPECT_FALSE(e.permanent);
    EXPECT_EQ(e.code, 0);
  }
}

TEST_F(EmailTransport, AnUnknownRecipientBouncesToTheSender) {
  ImapClient sales(imap("sales"));
  FolderStatus before = sales.status("INBOX");
  std::string id = "bounce." + unique_token() + "@" + domain_;
  // The domain's server accepts the message (recipients are checked at delivery), then Dovecot
  // refuses nobody@ (550 user unknown) and Postfix returns a delivery status notification.
  smtp_send(smtp(), {address("sales"), {address("nobody")}},
            message(address("sales"), address("nobody"), "Pour personne", id));
  auto dsn = wait_for_message(sales, "INBOX", before.uidnext, {"report-type=delivery-status", id});
  ASSERT_TRUE(dsn) << "no bounce in sales's INBOX within 20 s";
  EXPECT_NE(dsn->find("Final-Recipient: rfc822; " + address("nobody")), std::string::npos) << *dsn;
  EXPECT_NE(dsn->find("Status: 5.1.1"), std::string::npos) << *dsn;
}

TEST_F(EmailTransport, RelayingIsRefused) {
  std::string raw = message(address("sales"), "outside@elsewhere.invalid", "Relay", unique_token() + "@" + domain_);
  for (const MailServer& server : {submission("sales"), smtp()}) {
    try {
      smtp_send(server, {address("sales"), {"outside@elsewhere.invalid"}}, raw);
      FAIL() << "relayed through " << server.url;
    } catch (const MailError& e) {
      EXPECT_TRUE(e.permanent) << e.what();
      EXPECT_GE(e.code, 500) << e.what();
      EXPECT_NE(e.message().french().find("a refus\xc3\xa9 un destinataire"), std::string::npos) << e.message().french();
    }
  }
}

// Without servers.

TEST(EmailTransportNames, ModifiedUtf7) {
  EXPECT_EQ(encode_mutf7("INBOX"), "INBOX");
  EXPECT_EQ(encode_mutf7("Envoy\xc3\xa9s"), "Envoy&AOk-s");
  EXPECT_EQ(encode_mutf7("A&B"), "A&-B");
  EXPECT_EQ(encode_mutf7("\xe5\x8f\xb0\xe5\x8c\x97"), "&U,BTFw-");  // RFC 3501's example
  for (std::string s : {"\xc3\x89l\xc3\xa9ments \"envoy\xc3\xa9s\"", "A&B", "\xf0\x9f\x93\xa7 courrier", "~peter/mail"})
    EXPECT_EQ(decode_mutf7(encode_mutf7(s)), s);
  EXPECT_EQ(decode_mutf7("&-broken"), "&broken");
  EXPECT_EQ(decode_mutf7("bad&AOk"), "bad&AOk");
}

TEST(EmailTransportNames, AddressesThatAreNotMailServers) {
  for (const char* url : {"http://127.0.0.1:80", "not a url", "smtp://127.0.0.1:25"}) {
    try {
      ImapClient client({url, "", "", true});
      FAIL() << url << " accepted";
    } catch (const MailError& e) {
      EXPECT_TRUE(e.permanent);
    }
  }
  try {
    smtp_send({"imap://127.0.0.1:143", "", "", true}, {"a@b.test", {"c@d.test"}}, "x");
    FAIL() << "an IMAP URL accepted for SMTP";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent);
  }
  try {
    smtp_send({"smtp://127.0.0.1:25", "", "", true}, {"a@b.test", {"c@d.test>\r\nRCPT TO:<x@y.test"}}, "x");
    FAIL() << "an address with a line break accepted";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent);
  }
}
