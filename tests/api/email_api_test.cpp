// The e-mail module (docs/email.md) through its API, on SQLite and on PostgreSQL: messages
// handed over by a mail server land once on the timeline of every contact they name, visible to
// whoever may see one of them; replies are threaded; unknown senders wait in the inbox and become
// contacts; a delivery report marks the address; HTML is sanitised and served under a strict CSP;
// marketing needs consent and carries an unsubscribe link that records the refusal. The last test
// runs the whole path against real Postfix and Dovecot (scripts/mail-servers.sh, started by
// scripts/run-tests.sh).
#include <chrono>
#include <cstdlib>
#include <thread>

#include "api_fixture.h"
#include "modules/email/imap_client.h"
#include "modules/email/smtp_client.h"
#include "modules/sales/daily_digest.h"
#include "domain/jobs.h"
#include "store/database.h"

using namespace gzt;

namespace {

std::string message(const std::string& from, const std::string& to, const std::string& subject, const std::string& id,
                    const std::string& extra_headers = "", const std::string& body = "Bonjour,\r\nUn message.\r\n") {
  return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
         ">\r\nDate: Thu, 03 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n" + extra_headers +
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body;
}


}  // namespace

class EmailApi : public ApiTest {
 protected:
  Response inbound(const std::string& raw, const std::string& query = "") {
    return srv().request("POST", "/api/v1/email/inbound" + query, as("admin"), raw, {{"Content-Type", "message/rfc822"}});
  }
  json interactions_of(int64_t contact_id, const std::string& who = "admin") {
    Response r = get("/api/v1/contacts/" + std::to_string(contact_id) + "/360", as(who));
    EXPECT_EQ(r.status, 200) << r.dump();
    return r.j.value("interactions", json::array());
  }
  static bool has_interaction(const json& list, const json& id) {
    for (const auto& i : list)
      if (i["id"] == id) return true;
    return false;
  }
  json mailbox(const std::string& address, const json& extra = json::object()) {
    json body = {{"name", "Contact " + address}, {"address", address}, {"smtp_url", "smtp://127.0.0.1:9"}};
    body.update(extra);
    return create("mailboxes", body);
  }
};

TEST_F(EmailApi, AMessageLandsOnceOnTheTimelineOfEveryContactItNames) {
  const std::string a = unique("anne") + "@client-un.fr", b = unique("bruno") + "@client-deux.fr";
  json anne = create("contacts?allow_duplicate=true", {{"first_name", "Anne"}, {"last_name", "Martin"}, {"emails", {a}},
                                                        {"owner_id", uid("sales_a")}});
  json bruno = create("contacts?allow_duplicate=true", {{"first_name", "Bruno"}, {"last_name", "Petit"},
                                                         {"emails", {"autre@ailleurs.fr", b}}, {"owner_id", uid("sales_b")}});
  const std::string id = unique("m") + "@client-un.fr";
  // The address as the sender wrote it, in capitals: addresses match without case.
  Response r = inbound(message("Anne Martin <" + a + ">", "ventes@notre-societe.fr", "Demande de devis", id,
                               "Cc: " + std::string(b.begin(), b.end()) + "\r\n"));
  ASSERT_EQ(r.status, 201) << r.dump();
  EXPECT_EQ(r.j["outcome"], "timeline");
  const json interaction = r.j["interaction_id"];
  ASSERT_TRUE(interaction.is_number_integer());
  // Handed over twice (two mailboxes, a retry): one interaction.
  Response again = inbound(message("Anne Martin <" + a + ">", "ventes@notre-societe.fr", "Demande de devis", id));
  EXPECT_EQ(again.status, 200) << again.dump();
  EXPECT_EQ(again.j["outcome"], "duplicate");
  EXPECT_EQ(again.j["email_id"], r.j["email_id"]);

  EXPECT_TRUE(has_interaction(interactions_of(anne["id"].get<int64_t>()), interaction));
  EXPECT_TRUE(has_interaction(interactions_of(bruno["id"].get<int64_t>()), interaction));
  // Each owner sees it through their own contact; the interaction is the e-mail's.
  EXPECT_EQ(get("/api/v1/interactions/" + std::to_string(interaction.get<int64_t>()), as("sales_a")).status, 200);
  EXPECT_EQ(get("/api/v1/interactions/" + std::to_string(interaction.get<int64_t>()), as("sales_b")).status, 200);
  Response mail = get("/api/v1/interactions/" + std::to_string(interaction.get<int64_t>()) + "/email", as("sales_b"));
  ASSERT_EQ(mail.status, 200) << mail.dump();
  EXPECT_EQ(mail.j["subject"], "Demande de devis");
  EXPECT_EQ(mail.j["direction"], "inbound");
  EXPECT_EQ(mail.j["from"]["address"], a);
  EXPECT_EQ(mail.j["contacts"].size(), 2u) << mail.dump();
  EXPECT_NE(mail.j["text"].get<std::string>().find("Un message."), std::string::npos);
}

TEST_F(EmailApi, AMessageOfContactsOneMayNotSeeStaysHidden) {
  const std::string a = unique("cachee") + "@client.fr";
  create("contacts?allow_duplicate=true", {{"last_name", "Cachée"}, {"emails", {a}}, {"owner_id", uid("sales_b")}});
  Response r = inbound(message(a, "ventes@notre-societe.fr", "Confidentiel", unique("h") + "@client.fr"));
  ASSERT_EQ(r.status, 201) << r.dump();
  const std::string iid = std::to_string(r.j["interaction_id"].get<int64_t>());
  EXPECT_EQ(get("/api/v1/interactions/" + iid, as("sales_a")).status, 404);
  EXPECT_EQ(get("/api/v1/interactions/" + iid + "/email", as("sales_a")).status, 404);
  EXPECT_EQ(get("/api/v1/emails/" + std::to_string(r.j["email_id"].get<int64_t>()), as("sales_a")).status, 404);
  EXPECT_EQ(get("/api/v1/emails/" + std::to_string(r.j["email_id"].get<int64_t>()) + "/thread", as("sales_a")).status, 404);
}

TEST_F(EmailApi, RepliesAreThreadedByInReplyToAndReferences) {
  const std::string a = unique("fil") + "@client.fr";
  create("contacts?allow_duplicate=true", {{"last_name", "Fil"}, {"emails", {a}}});
  const std::string first = unique("premier") + "@notre-societe.fr";
  Response m1 = inbound(message("ventes@notre-societe.fr", a, "Votre devis", first));
  ASSERT_EQ(m1.status, 201) << m1.dump();
  Response m2 = inbound(message(a, "ventes@notre-societe.fr", "Re: Votre devis", unique("reponse") + "@client.fr",
                                "In-Reply-To: <" + first + ">\r\nReferences: <" + first + ">\r\n"));
  ASSERT_EQ(m2.status, 201) << m2.dump();
  Response thread = get("/api/v1/emails/" + std::to_string(m2.j["email_id"].get<int64_t>()) + "/thread", as("admin"));
  ASSERT_EQ(thread.status, 200) << thread.dump();
  ASSERT_EQ(thread.j["data"].size(), 2u) << thread.dump();
  EXPECT_EQ(thread.j["data"][0]["subject"], "Votre devis");
  EXPECT_EQ(thread.j["data"][1]["subject"], "Re: Votre devis");
  EXPECT_EQ(thread.j["data"][0]["thread_id"], thread.j["data"][1]["thread_id"]);
}

TEST_F(EmailApi, AnUnknownSenderWaitsInTheInboxAndBecomesAProspectInOneClick) {
  const std::string a = unique("inconnu") + "@nouveau-client.fr";
  Response r = inbound(message("Claire Nouvelle <" + a + ">", "contact@notre-societe.fr", "Vos tarifs ?", unique("i") + "@x.fr"));
  ASSERT_EQ(r.status, 201) << r.dump();
  EXPECT_EQ(r.j["outcome"], "inbox");
  auto in_inbox = [&](const std::string& who) {
    Response inbox = get("/api/v1/email/inbox", as(who));
    EXPECT_EQ(inbox.status, 200) << inbox.dump();
    for (const auto& m : inbox.j["data"])
      if (m["id"] == r.j["email_id"]) return true;
    return false;
  };
  EXPECT_TRUE(in_inbox("sales_a"));
  Response made = post("/api/v1/email/inbox/" + std::to_string(r.j["email_id"].get<int64_t>()) + "/contact", as("sales_a"),
                       {{"first_name", "Claire"}, {"last_name", "Nouvelle"}, {"lifecycle_stage", "prospect"}});
  ASSERT_EQ(made.status, 201) << made.dump();
  EXPECT_EQ(made.j["contact"]["emails"], json::array({a}));
  EXPECT_EQ(made.j["contact"]["owner_id"], uid("sales_a"));
  EXPECT_TRUE(made.j["email"]["interaction_id"].is_number_integer()) << made.dump();
  EXPECT_FALSE(in_inbox("sales_a"));
  EXPECT_TRUE(has_interaction(interactions_of(made.j["contact"]["id"].get<int64_t>(), "sales_a"), made.j["email"]["interaction_id"]));
  // The next message of that sender goes straight to the timeline.
  Response next = inbound(message(a, "contact@notre-societe.fr", "Merci", unique("j") + "@x.fr"));
  EXPECT_EQ(next.j["outcome"], "timeline") << next.dump();
}

TEST_F(EmailApi, AnExistingContactGetsTheWaitingMessageAndTheSendersAddress) {
  json c = create("contacts?allow_duplicate=true", {{"last_name", "Deuxième-Adresse"}, {"emails", {unique("pro") + "@societe.fr"}}});
  const std::string personal = unique("perso") + "@gmail-test.fr";
  Response r = inbound(message(personal, "contact@notre-societe.fr", "Depuis mon adresse perso", unique("k") + "@x.fr"));
  ASSERT_EQ(r.j["outcome"], "inbox") << r.dump();
  Response linked = post("/api/v1/email/inbox/" + std::to_string(r.j["email_id"].get<int64_t>()) + "/link", as("admin"),
                         {{"contact_id", c["id"]}});
  ASSERT_EQ(linked.status, 200) << linked.dump();
  json after = get("/api/v1/contacts/" + std::to_string(c["id"].get<int64_t>()), as("admin")).j;
  EXPECT_EQ(after["emails"].size(), 2u) << after.dump();
  EXPECT_EQ(after["emails"][1], personal);
  Response twice = post("/api/v1/email/inbox/" + std::to_string(r.j["email_id"].get<int64_t>()) + "/link", as("admin"),
                        {{"contact_id", c["id"]}});
  EXPECT_EQ(twice.status, 409) << twice.dump();
}

TEST_F(EmailApi, ADeliveryReportMarksTheAddressAndSendingToItIsRefused) {
  const std::string bad = unique("parti") + "@client.fr";
  json c = create("contacts?allow_duplicate=true", {{"last_name", "Partie"}, {"emails", {bad}}});
  const std::string dsn =
      "From: MAILER-DAEMON@mail.notre-societe.fr\r\nTo: ventes@notre-societe.fr\r\nSubject: Undelivered Mail Returned to "
      "Sender\r\nMessage-ID: <" + unique("dsn") + "@mail.notre-societe.fr>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
      "I'm sorry to have to inform you that your message could not be delivered.\r\n--B\r\n"
      "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.notre-societe.fr\r\n\r\n"
      "Final-Recipient: rfc822; " + bad + "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
      "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
      "Message-ID: <original@notre-societe.fr>\r\nSubject: Bonjour\r\n--B--\r\n";
  Response r = inbound(dsn);
  ASSERT_EQ(r.status, 201) << r.dump();
  EXPECT_EQ(r.j["outcome"], "delivery_report");
  Response st = get("/api/v1/email/addresses/" + enc(bad), as("sales_a"));
  ASSERT_EQ(st.status, 200) << st.dump();
  EXPECT_EQ(st.j["status"], "bounced");
  EXPECT_NE(st.j["reason"].get<std::string>().find("5.1.1"), std::string::npos);
  json box = mailbox(unique("envoi") + "@notre-societe.fr");
  Response send = post("/api/v1/emails", as("admin"), {{"mailbox_id", box["id"]}, {"to", bad}, {"subject", "Relance"}, {"body", "Bonjour"}});
  EXPECT_EQ(send.status, 422) << send.dump();
  EXPECT_TRUE(send.names_field("to")) << send.dump();
  EXPECT_NE(send.body.find(bad), std::string::npos) << send.dump();
  // Another address of the same contact is not affected: per address, not per contact.
  EXPECT_EQ(get("/api/v1/email/addresses/" + enc("autre-" + bad), as("admin")).j["status"], "ok");
  // The purge page reads it: the contact whose main address bounced is a candidate.
  Response purge = get("/api/v1/purge/candidates?entity=contacts&reason=bounced&limit=1000", as("admin"));
  ASSERT_EQ(purge.status, 200) << purge.dump();
  bool listed = false;
  for (const auto& r : purge.j["data"]) listed = listed || r["id"] == c["id"];
  EXPECT_TRUE(listed) << purge.dump().substr(0, 2000);
}

TEST_F(EmailApi, HtmlIsSanitisedAndServedUnderAStrictPolicy) {
  const std::string a = unique("html") + "@client.fr";
  create("contacts?allow_duplicate=true", {{"last_name", "Html"}, {"emails", {a}}});
  const std::string raw =
      "From: " + a + "\r\nTo: ventes@notre-societe.fr\r\nSubject: Newsletter\r\nMessage-ID: <" + unique("html") +
      "@client.fr>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"A\"\r\n\r\n--A\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour texte\r\n--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      "<p onclick=\"alert(1)\">Bonjour <b>HTML</b></p><script>alert('x')</script><a href=\"javascript:alert(2)\">lien</a>"
      "<img src=\"https://suivi.example/pixel.gif\" width=1 height=1>\r\n--A--\r\n";
  Response r = inbound(raw);
  ASSERT_EQ(r.status, 201) << r.dump();
  const std::string id = std::to_string(r.j["email_id"].get<int64_t>());
  json m = get("/api/v1/emails/" + id, as("admin")).j;
  EXPECT_TRUE(m["has_html"].get<bool>());
  EXPECT_EQ(m["remote_images_blocked"], 1);
  Response html = get("/api/v1/emails/" + id + "/html", as("admin"));
  ASSERT_EQ(html.status, 200) << html.dump();
  EXPECT_NE(html.body.find("<b>HTML</b>"), std::string::npos) << html.body;
  for (const char* bad : {"<script", "javascript:", "onclick", "suivi.example"}) EXPECT_EQ(html.body.find(bad), std::string::npos) << bad;
  EXPECT_NE(html.header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(html.header("X-Content-Type-Options"), "nosniff");
}

TEST_F(EmailApi, MarketingNeedsConsentAndItsUnsubscribeLinkRecordsTheRefusal) {
  const std::string yes = unique("accord") + "@client.fr", no = unique("sans-accord") + "@client.fr";
  json c = create("contacts?allow_duplicate=true",
                  {{"last_name", "Accord"}, {"emails", {yes}}, {"consent", {{"email", {{"status", "granted"}, {"origin", "web form"}}}}}});
  create("contacts?allow_duplicate=true", {{"last_name", "SansAccord"}, {"emails", {no}}});
  json box = mailbox(unique("news") + "@notre-societe.fr");
  Response refused = post("/api/v1/emails", as("admin"),
                          {{"mailbox_id", box["id"]}, {"to", no}, {"subject", "Nos offres"}, {"body", "Promo"}, {"marketing", true}});
  EXPECT_EQ(refused.status, 422) << refused.dump();
  EXPECT_NE(refused.body.find(no), std::string::npos) << refused.dump();
  Response sent = post("/api/v1/emails", as("admin"),
                       {{"mailbox_id", box["id"]}, {"to", yes}, {"subject", "Nos offres"}, {"body", "Promo"}, {"marketing", true}});
  ASSERT_EQ(sent.status, 202) << sent.dump();
  ASSERT_TRUE(sent.j["unsubscribe_url"].is_string()) << sent.dump();
  const std::string url = sent.j["unsubscribe_url"];
  const std::string path = url.substr(url.find("/unsubscribe/"));
  // A GET (a mail scanner following the link) changes nothing; the POST (RFC 8058 one-click) does.
  Response page = srv().request("GET", path);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Confirmer la désinscription"), std::string::npos);
  EXPECT_EQ(get("/api/v1/contacts/" + std::to_string(c["id"].get<int64_t>()), as("admin")).j["consent"]["email"]["status"], "granted");
  Response one_click = srv().request("POST", path, {}, std::string("List-Unsubscribe=One-Click"),
                                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(one_click.status, 200) << one_click.dump();
  json consent = get("/api/v1/contacts/" + std::to_string(c["id"].get<int64_t>()), as("admin")).j["consent"]["email"];
  EXPECT_EQ(consent["status"], "denied") << consent.dump();
  EXPECT_EQ(consent["origin"], "unsubscribe link");
  EXPECT_TRUE(consent["date"].is_string());
  Response after = post("/api/v1/emails", as("admin"),
                        {{"mailbox_id", box["id"]}, {"to", yes}, {"subject", "Nos offres"}, {"body", "Promo"}, {"marketing", true}});
  EXPECT_EQ(after.status, 422) << after.dump();
  // A forged token is refused.
  EXPECT_EQ(srv().request("POST", "/unsubscribe/" + path.substr(13, 8) + ".0000").status, 404);
}

TEST_F(EmailApi, TheMailboxPasswordIsNeverShownAndHeaderInjectionIsRefused) {
  json box = mailbox(unique("secret") + "@notre-societe.fr", {{"password", "mot-de-passe-très-secret"}});
  EXPECT_EQ(box["has_password"], true) << box.dump();
  EXPECT_EQ(box.dump().find("très-secret"), std::string::npos);
  Response read = get("/api/v1/mailboxes/" + std::to_string(box["id"].get<int64_t>()), as("admin"));
  EXPECT_EQ(read.body.find("très-secret"), std::string::npos);
  const std::string a = unique("inj") + "@client.fr";
  create("contacts?allow_duplicate=true", {{"last_name", "Injection"}, {"emails", {a}}});
  Response inj = post("/api/v1/emails", as("admin"),
                      {{"mailbox_id", box["id"]}, {"to", a}, {"subject", "Bonjour\r\nBcc: victime@ailleurs.fr"}, {"body", "x"}});
  EXPECT_EQ(inj.status, 422) << inj.dump();
  EXPECT_TRUE(inj.names_field("subject")) << inj.dump();
  Response bad_url = post("/api/v1/mailboxes", as("admin"), {{"name", "Mauvaise"}, {"address", unique("m") + "@x.fr"}, {"imap_url", "http://x"}});
  EXPECT_EQ(bad_url.status, 422) << bad_url.dump();
  EXPECT_TRUE(bad_url.names_field("imap_url"));
  // A salesperson cannot send from another user's personal mailbox.
  json personal = mailbox(unique("perso") + "@notre-societe.fr", {{"kind", "personal"}, {"user_id", uid("sales_b")}});
  EXPECT_EQ(post("/api/v1/emails", as("sales_a"), {{"mailbox_id", personal["id"]}, {"to", a}, {"subject", "x"}, {"body", "x"}}).status, 403);
}

TEST_F(EmailApi, TemplatesFillTheirMergeFields) {
  json c = create("contacts?allow_duplicate=true", {{"first_name", "Émilie"}, {"last_name", "Fusion"}, {"emails", {unique("f") + "@x.fr"}}});
  json t = create("email_templates", {{"name", "Relance devis"}, {"subject", "Votre devis, {{contact.first_name}}"},
                                      {"body", "Bonjour {{contact.first_name}} {{contact.last_name}},\n{{inconnu.champ}}\n{{signature}}"}});
  json box = mailbox(unique("sig") + "@notre-societe.fr", {{"signature", "Marie, Service commercial"}});
  Response r = post("/api/v1/email-templates/" + std::to_string(t["id"].get<int64_t>()) + "/render", as("admin"),
                    {{"contact_id", c["id"]}, {"mailbox_id", box["id"]}});
  ASSERT_EQ(r.status, 200) << r.dump();
  EXPECT_EQ(r.j["subject"], "Votre devis, Émilie");
  EXPECT_EQ(r.j["body"], "Bonjour Émilie Fusion,\n{{inconnu.champ}}\nMarie, Service commercial");
}

// The whole path against real servers: Gazelle sends through Postfix (submission, SASL), the
// message reaches the customer's Dovecot mailbox, the customer replies, Gazelle reads the reply
// over IMAP and threads it on the contact's timeline.
TEST_F(EmailApi, SendsThroughPostfixAndThreadsTheReplyReadOverImap) {
  const char* imap_url = std::getenv("GAZELLE_TEST_MAIL_IMAP");
  const char* submission = std::getenv("GAZELLE_TEST_MAIL_SUBMISSION");
  if (!imap_url || !submission) {
    if (std::getenv("CI")) FAIL() << "GAZELLE_TEST_MAIL_IMAP is not set: run through scripts/run-tests.sh";
    GTEST_SKIP() << "no test mail servers (run through scripts/run-tests.sh)";
  }
  const std::string password = std::getenv("GAZELLE_TEST_MAIL_PASSWORD") ? std::getenv("GAZELLE_TEST_MAIL_PASSWORD") : "secret";
  // One mailbox per backend run: each fixture server reads sales@ from where the other stopped.
  const std::string customer = "customer@example.test";
  json c = create("contacts?allow_duplicate=true", {{"first_name", "Client"}, {"last_name", "Réel"}, {"emails", {customer}}});
  json existing = get("/api/v1/mailboxes?limit=100", as("admin")).j;
  json box;
  for (const auto& m : existing["data"])
    if (m["address"] == "sales@example.test") box = m;
  if (box.is_null())
    box = mailbox("sales@example.test", {{"imap_url", imap_url}, {"smtp_url", submission}, {"username", "sales@example.test"},
                                          {"password", password}, {"verify_tls", false}, {"sent_folder", "Sent"}});
  const std::string subject = "Devis " + unique("reel");
  Response sent = post("/api/v1/emails", as("admin"),
                       {{"mailbox_id", box["id"]}, {"to", "Client Réel <" + customer + ">"}, {"subject", subject},
                        {"body", "Bonjour,\nveuillez trouver notre devis.\n"}, {"contact_id", c["id"]},
                        {"attachments", {{{"filename", "devis-été.pdf"}, {"content_type", "application/pdf"},
                                          {"content_base64", "JVBERi0xLjQK"}}}}});
  ASSERT_EQ(sent.status, 202) << sent.dump();
  const std::string email_id = std::to_string(sent.j["id"].get<int64_t>());
  // The send job runs in the server.
  json status;
  for (int i = 0; i < 100; ++i) {
    status = get("/api/v1/emails/" + email_id, as("admin")).j;
    if (status["status"] != "queued") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(status["status"], "sent") << status.dump();

  // In the customer's mailbox, as Dovecot holds it.
  namespace mail = gz::modules::email;
  mail::ImapClient customer_box({imap_url, customer, password, false});
  std::string received;
  for (int i = 0; i < 100 && received.empty(); ++i) {
    for (uint64_t uid : customer_box.uids_from("INBOX", 1)) {
      std::string raw = customer_box.fetch("INBOX", uid);
      if (raw.find(status["message_id"].get<std::string>()) != std::string::npos) received = raw;
    }
    if (received.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_FALSE(received.empty()) << "the message did not reach customer@example.test";
  EXPECT_NE(received.find("devis"), std::string::npos);
  // The copy in sales's Sent folder.
  mail::ImapClient sales_box({imap_url, "sales@example.test", password, false});
  bool in_sent = false;
  for (uint64_t uid : sales_box.uids_from("Sent", 1)) in_sent = in_sent || sales_box.fetch("Sent", uid).find(status["message_id"].get<std::string>()) != std::string::npos;
  EXPECT_TRUE(in_sent);

  // The customer replies from their own mail program.
  const std::string reply_id = unique("reponse") + "@example.test";
  const std::string reply = "From: Client Reel <" + customer + ">\r\nTo: sales@example.test\r\nSubject: Re: " + subject +
                            "\r\nMessage-ID: <" + reply_id + ">\r\nIn-Reply-To: <" + status["message_id"].get<std::string>() +
                            ">\r\nReferences: <" + status["message_id"].get<std::string>() +
                            ">\r\nDate: Thu, 03 Dec 2026 11:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                            "charset=utf-8\r\n\r\nMerci, c'est d'accord.\r\n";
  mail::smtp_send({submission, customer, password, false}, {customer, {"sales@example.test"}}, reply);
  // Gazelle reads the mailbox (the job the schedule would start every minute).
  json thread;
  for (int i = 0; i < 60; ++i) {
    Response sync = post("/api/v1/mailboxes/" + std::to_string(box["id"].get<int64_t>()) + "/sync", as("admin"), json::object());
    EXPECT_EQ(sync.status, 202) << sync.dump();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    thread = get("/api/v1/emails/" + email_id + "/thread", as("admin")).j;
    if (thread["data"].size() >= 2) break;
  }
  ASSERT_GE(thread["data"].size(), 2u) << thread.dump();
  json last;
  for (const auto& m : thread["data"])
    if (m["direction"] == "inbound") last = m;
  EXPECT_EQ(last["subject"], "Re: " + subject);
  EXPECT_EQ(last["direction"], "inbound");
  EXPECT_TRUE(has_interaction(interactions_of(c["id"].get<int64_t>()), last["interaction_id"])) << last.dump();
  json after = get("/api/v1/mailboxes/" + std::to_string(box["id"].get<int64_t>()), as("admin")).j;
  EXPECT_GE(after["messages_imported"].get<int64_t>(), 1) << after.dump();

  // A message to an address that does not exist: Postfix's delivery report comes back to the
  // mailbox, is read over IMAP, and marks that address (and only it) as bounced.
  const std::string gone = unique("absent") + "@example.test";
  Response lost = post("/api/v1/emails", as("admin"), {{"mailbox_id", box["id"]}, {"to", gone}, {"subject", "Bonjour"}, {"body", "Test"}});
  ASSERT_EQ(lost.status, 202) << lost.dump();
  json marked;
  for (int i = 0; i < 60; ++i) {
    post("/api/v1/mailboxes/" + std::to_string(box["id"].get<int64_t>()) + "/sync", as("admin"), json::object());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    marked = get("/api/v1/email/addresses/" + enc(gone), as("admin")).j;
    if (marked["status"] == "bounced") break;
  }
  EXPECT_EQ(marked["status"], "bounced") << marked.dump();
  EXPECT_EQ(get("/api/v1/emails/" + std::to_string(lost.j["id"].get<int64_t>()), as("admin")).j["status"], "bounced");
  EXPECT_EQ(get("/api/v1/email/addresses/" + enc(customer), as("admin")).j["status"], "ok");
}

TEST_F(EmailApi, AQuoteGoesByEmailWithItsPdfAndBecomesSent) {
  const std::string a = unique("devis") + "@client.fr";
  json contact = create("contacts", {{"first_name", "Luc"}, {"last_name", unique("Devis")}, {"emails", {a}}}, "sales_a");
  json q = create("quotes", {{"title", "Vitrine"}, {"contact_id", contact["id"]},
                             {"lines", {{{"description", "Vitrine réfrigérée"}, {"quantity", 1}, {"unit_price_cents", 250000}}}}},
                  "sales_a");
  json box = mailbox(unique("commercial") + "@notre-societe.fr");
  Response sent = post("/api/v1/quotes/" + std::to_string(q["id"].get<int64_t>()) + "/send", as("sales_a"), {{"mailbox_id", box["id"]}});
  ASSERT_EQ(sent.status, 202) << sent.dump();
  EXPECT_EQ(sent.j["to"][0]["address"], a);
  EXPECT_EQ(sent.j["subject"], "Devis " + q["number"].get<std::string>() + " — Vitrine");
  EXPECT_NE(sent.j["text"].get<std::string>().find("Bonjour Luc"), std::string::npos) << sent.dump();
  ASSERT_EQ(sent.j["attachments"].size(), 1u) << sent.dump();
  EXPECT_EQ(sent.j["attachments"][0]["filename"], "Devis " + q["number"].get<std::string>() + ".pdf");
  EXPECT_EQ(sent.j["attachments"][0]["content_type"], "application/pdf");
  Response pdf = get(sent.j["attachments"][0]["url"].get<std::string>(), as("sales_a"));
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.header("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(get("/api/v1/quotes/" + std::to_string(q["id"].get<int64_t>()), as("sales_a")).j["status"], "sent");
  EXPECT_TRUE(has_interaction(interactions_of(contact["id"].get<int64_t>(), "sales_a"), sent.j["interaction_id"]));
}

TEST_F(EmailApi, AWebFormWithDoubleOptInGrantsConsentOnlyOnceConfirmed) {
  json box = mailbox(unique("auto") + "@notre-societe.fr", {{"sends_notifications", true}});
  json form = create("lead_forms", {{"name", "Lettre d'information"}, {"assignee_id", uid("sales_a")}, {"double_optin", true}}, "manager_a");
  const std::string email = unique("visiteur") + "@exemple.fr";
  Response r = post("/api/v1/public/forms/" + form["form_key"].get<std::string>(), Auth::none(),
                    {{"first_name", "Vera"}, {"last_name", "Visiteuse"}, {"email", email}, {"consent", "on"}});
  ASSERT_EQ(r.status, 200) << r.dump();
  json c = get("/api/v1/contacts?q=" + enc(email), as("admin")).j["data"][0];
  EXPECT_FALSE(c["consent"].is_object() && c["consent"].contains("email")) << c.dump();
  // The confirmation e-mail, on the visitor's timeline, holds the link.
  std::string text;
  for (const auto& i : interactions_of(c["id"].get<int64_t>()))
    if (i["channel"] == "email") text = get("/api/v1/interactions/" + i["id"].dump() + "/email", as("admin")).j.value("text", "");
  const auto at = text.find("/confirm/");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string path = text.substr(at, text.find_first_of(" \n", at) - at);
  EXPECT_EQ(srv().request("GET", path).status, 200);
  EXPECT_EQ(srv().request("POST", path).status, 200);
  json consent = get("/api/v1/contacts/" + c["id"].dump(), as("admin")).j["consent"]["email"];
  EXPECT_EQ(consent["status"], "granted") << consent.dump();
  EXPECT_EQ(consent["origin"], "double opt-in");
  EXPECT_EQ(srv().request("POST", "/confirm/" + path.substr(9, 6) + ".abc").status, 404);
  // Leave no mailbox sending automatic messages behind for the other tests.
  patch("/api/v1/mailboxes/" + box["id"].dump(), as("admin"), {{"sends_notifications", false}});
}

TEST_F(EmailApi, EachSalespersonGetsADailySummaryByEmail) {
  json c = create("contacts", {{"first_name", "Paul"}, {"last_name", unique("Resume")}}, "sales_a");
  create("tasks", {{"title", "Rappeler Paul pour le résumé"}, {"contact_id", c["id"]}, {"assignee_id", uid("sales_a")},
                   {"due_date", "2020-01-02"}},
         "sales_a");
  auto db = gz::store::Database::open(srv().db_location());
  auto text = gz::store::with_transaction(*db, false, [&](gz::store::Connection& conn) {
    return gz::modules::sales::digest_for(conn, uid("sales_a"), "2026-11-30");
  });
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->subject, "Votre journée du 30/11/2026");
  EXPECT_NE(text->body.find("Rappeler Paul pour le résumé (en retard, prévue le 02/01/2020)"), std::string::npos) << text->body;
  json box = mailbox(unique("resume") + "@notre-societe.fr", {{"sends_notifications", true}});
  gz::domain::JobQueue queue(*db);
  EXPECT_TRUE(gz::modules::sales::send_daily_digest(*db, queue, uid("sales_a"), "2026-11-30"));
  auto sent = gz::store::with_transaction(*db, false, [&](gz::store::Connection& conn) {
    // A day that is not today: the server's own hourly job sends today's summaries through this
    // mailbox meanwhile.
    return conn.query("SELECT to_json, subject FROM email_messages WHERE mailbox_id = ? AND subject = ?",
                      {box["id"], "Votre journée du 30/11/2026"});
  });
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0]["to_json"].get<std::string>().find(user("sales_a")["email"].get<std::string>()), std::string::npos);
  patch("/api/v1/mailboxes/" + box["id"].dump(), as("admin"), {{"sends_notifications", false}});
}

TEST_F(EmailApi, MergingContactsKeepsTheirEmailsAndUndoGivesThemBack) {
  const std::string a = unique("double-a") + "@client.fr", b = unique("double-b") + "@client.fr", o = unique("autre") + "@client.fr";
  json keep = create("contacts?allow_duplicate=true", {{"first_name", "Marc"}, {"last_name", "Double"}, {"emails", {a}}});
  json gone = create("contacts?allow_duplicate=true", {{"first_name", "Marc"}, {"last_name", "Double"}, {"emails", {b}}});
  json other = create("contacts?allow_duplicate=true", {{"first_name", "Olga"}, {"last_name", "Autre"}, {"emails", {o}}});
  // Olga writes to us with Marc's second address in copy: Olga is the interaction's contact,
  // Marc (the one to be absorbed) a linked one.
  Response r = inbound(message(o, "ventes@notre-societe.fr", "Copie à Marc", unique("cc") + "@client.fr", "Cc: " + b + "\r\n"));
  ASSERT_EQ(r.status, 201) << r.dump();
  const json iid = r.j["interaction_id"];
  Response merged = post("/api/v1/contacts/merge", as("admin"), {{"survivor_id", keep["id"]}, {"absorbed_ids", {gone["id"]}}});
  ASSERT_EQ(merged.status, 201) << merged.dump();
  EXPECT_TRUE(has_interaction(interactions_of(keep["id"].get<int64_t>()), iid));
  EXPECT_TRUE(has_interaction(interactions_of(other["id"].get<int64_t>()), iid));
  Response undone = post("/api/v1/merges/" + merged.j["merge_id"].dump() + "/undo", as("admin"), json::object());
  ASSERT_EQ(undone.status, 200) << undone.dump();
  EXPECT_FALSE(has_interaction(interactions_of(keep["id"].get<int64_t>()), iid));
  EXPECT_TRUE(has_interaction(interactions_of(gone["id"].get<int64_t>()), iid));
}
