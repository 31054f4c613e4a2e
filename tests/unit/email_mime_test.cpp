// The e-mail module's MIME layer (modules/email/mime_message.h) on real messages with known
// answers: encoded headers, charsets, multipart structures, attachments, replies, auto-replies,
// delivery reports, hostile input, and writing a message that reads back the same.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/problem.h"
#include "core/utf8.h"
#include "modules/email/mime_message.h"

using namespace gz;
using namespace gz::modules::email;

namespace {

// The module registers these with its messages_fr; here, the tests do.
const bool kFrench = (add_french_messages(mime_messages_fr()), true);

std::string crlf(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "\r\n";
    else out += c;
  }
  return out;
}

// Every string of the result is valid UTF-8.
void expect_valid_utf8(const ParsedMessage& m) {
  auto check = [](const std::string& s, const char* what) { EXPECT_TRUE(utf8::valid(s)) << what << ": " << s; };
  check(m.message_id, "message_id");
  check(m.in_reply_to, "in_reply_to");
  for (const auto& r : m.references) check(r, "references");
  check(m.subject, "subject");
  for (const auto* list : {&m.to, &m.cc, &m.reply_to})
    for (const auto& a : *list) check(a.name, "name"), check(a.address, "address");
  check(m.from.name, "from.name");
  check(m.from.address, "from.address");
  check(m.text, "text");
  check(m.html, "html");
  for (const auto& a : m.attachments) check(a.filename, "filename"), check(a.content_type, "type"), check(a.content_id, "cid");
  for (const auto& f : m.failures) check(f.recipient, "recipient"), check(f.status, "status"), check(f.diagnostic, "diag");
  check(m.original_message_id, "original_message_id");
}

const char* kEncodedWords = R"(From: =?ISO-8859-1?Q?Fran=E7ois_P=E9rez?= <francois.perez@example.fr>
To: =?UTF-8?B?QW5uZSBCw6lyYXVk?= <anne@example.fr>, "Dupont, Jean" <jean.dupont@example.com>
Cc: compta@example.fr
Subject: =?UTF-8?B?RGV2aXMgc2lnbsOpIOKAkyDDqXTDqSAyMDI2?=
Date: Tue, 3 Mar 2026 10:15:00 +0100
Message-ID: <20260303101500.ABC123@mail.example.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour,
voici le devis sign=C3=A9.
)";

const char* kLatinSubject = R"(From: anne@example.fr
To: bob@example.com
Subject: =?ISO-8859-1?Q?R=E9union_pr=E9vue_=E0_9h?= et =?iso-8859-1?q?caf=E9?=
Message-ID: <q1@example.fr>
Content-Type: text/plain; charset=us-ascii

Hello.
)";

const char* kAlternative = R"(From: Anne <anne@example.fr>
To: bob@example.com
Subject: Alternative
Message-ID: <alt@example.fr>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Le texte brut, =C3=A9t=C3=A9.
--b1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>Le <b>HTML</b>, =C3=A9t=C3=A9.</p>
--b1--
)";

const char* kRelated = R"(From: Anne <anne@example.fr>
To: bob@example.com
Subject: Logo
Message-ID: <rel@example.fr>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="r1"; type="text/html"

--r1
Content-Type: text/html; charset=utf-8

<p>Voici le logo&nbsp;: <img src="cid:logo@example.fr"> et un <a href="https://example.fr/">lien</a>.</p>
--r1
Content-Type: image/png
Content-Transfer-Encoding: base64
Content-ID: <logo@example.fr>
Content-Disposition: inline

iVBORw0KGgoAAAANSUhEUg==
--r1--
)";

const char* kRfc2231 = R"(From: Anne <anne@example.fr>
To: bob@example.com
Subject: Devis
Message-ID: <att@example.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m1"

--m1
Content-Type: text/plain; charset=utf-8

Ci-joint le devis.
--m1
Content-Type: application/pdf; name*=UTF-8''devis-%C3%A9t%C3%A9.pdf
Content-Disposition: attachment; filename*=UTF-8''devis-%C3%A9t%C3%A9.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--m1
Content-Type: text/csv
Content-Disposition: attachment; filename*=iso-8859-1'fr'r%E9sum%E9.csv

a;b
--m1--
)";

const char* kReply = R"(From: bob@example.com
To: anne@example.fr
Subject: Re: Devis
Message-ID: <reply-2@example.com>
In-Reply-To: <att@example.fr>
References: <first@example.fr>
 <second@example.com> <att@example.fr>
Content-Type: text/plain

Merci.
)";

const char* kAutoReply = R"(From: Claire <claire@example.fr>
To: anne@example.fr
Subject: =?UTF-8?Q?R=C3=A9ponse_automatique=C2=A0:_absente?=
Message-ID: <auto@example.fr>
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=utf-8

Je suis absente jusqu'au 10 mars.
)";

// As Postfix writes a bounce (bounce(8)).
const char* kPostfixBounce = R"(Return-Path: <>
Received: by mail.example.fr (Postfix) id 4F1C0123; Tue,  3 Mar 2026 10:20:01 +0100 (CET)
Date: Tue,  3 Mar 2026 10:20:01 +0100 (CET)
From: MAILER-DAEMON@mail.example.fr (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: anne@example.fr
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4F1C0123.1772529601/mail.example.fr"
Content-Transfer-Encoding: 8bit
Message-Id: <20260303092001.4F1C0123@mail.example.fr>

This is a MIME-encapsulated message.

--4F1C0123.1772529601/mail.example.fr
Content-Description: Notification
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

This is the mail system at host mail.example.fr.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<nobody@example.test>: host mx.example.test[192.0.2.25] said: 550 5.1.1
    <nobody@example.test>: Recipient address rejected: User unknown (in reply
    to RCPT TO command)

--4F1C0123.1772529601/mail.example.fr
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.fr
X-Postfix-Queue-ID: 4F1C0123
X-Postfix-Sender: rfc822; anne@example.fr
Arrival-Date: Tue,  3 Mar 2026 10:20:00 +0100 (CET)

Final-Recipient: rfc822; nobody@example.test
Original-Recipient: rfc822;nobody@example.test
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.test
Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.test>: Recipient address
    rejected: User unknown

--4F1C0123.1772529601/mail.example.fr
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

Received: by mail.example.fr (Postfix, from userid 1000) id 3A2B0456; Tue,  3 Mar 2026 10:20:00 +0100 (CET)
From: Anne <anne@example.fr>
To: nobody@example.test
Subject: Votre devis
Message-Id: <devis-42@gazelle.example.fr>
Date: Tue,  3 Mar 2026 10:20:00 +0100 (CET)

--4F1C0123.1772529601/mail.example.fr--
)";

const char* kDelayed = R"(From: MAILER-DAEMON@mail.example.fr (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: anne@example.fr
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="D1"
Message-Id: <delay-1@mail.example.fr>

--D1
Content-Type: text/plain

This is the mail system at host mail.example.fr. Your message is delayed.

--D1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.fr

Final-Recipient: rfc822; slow@example.test
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.test[192.0.2.7]:25: Connection
    timed out

--D1
Content-Type: message/rfc822

From: Anne <anne@example.fr>
To: slow@example.test
Subject: Relance
Message-ID: <relance-7@gazelle.example.fr>

Bonjour.

--D1--
)";

ParsedMessage parse(std::string_view raw) { return parse_message(crlf(raw)); }

}  // namespace

TEST(EmailMime, EncodedWordSubjectsAndAddresses) {
  ParsedMessage m = parse(kEncodedWords);
  expect_valid_utf8(m);
  EXPECT_EQ(m.subject, "Devis sign\u00e9 \u2013 \u00e9t\u00e9 2026");
  EXPECT_EQ(m.from.name, "Fran\u00e7ois P\u00e9rez");
  EXPECT_EQ(m.from.address, "francois.perez@example.fr");
  ASSERT_EQ(m.to.size(), 2u);
  EXPECT_EQ(m.to[0].name, "Anne B\u00e9raud");
  EXPECT_EQ(m.to[0].address, "anne@example.fr");
  EXPECT_EQ(m.to[1].name, "Dupont, Jean");
  ASSERT_EQ(m.cc.size(), 1u);
  EXPECT_EQ(m.cc[0].address, "compta@example.fr");
  EXPECT_EQ(m.message_id, "20260303101500.ABC123@mail.example.fr");
  ASSERT_TRUE(m.sent_at);
  EXPECT_EQ(*m.sent_at, 1772529300);  // 2026-03-03T09:15:00Z
  EXPECT_EQ(m.kind, MessageKind::Ordinary);
  EXPECT_EQ(m.text.find("Bonjour,"), 0u);

  ParsedMessage q = parse(kLatinSubject);
  EXPECT_EQ(q.subject, "R\u00e9union pr\u00e9vue \u00e0 9h et caf\u00e9");
}

TEST(EmailMime, WindowsBodyDeclaredLatin1) {
  std::string raw = crlf(
      "From: a@example.fr\nTo: b@example.fr\nSubject: Tarif\nContent-Type: text/plain; charset=iso-8859-1\n"
      "Content-Transfer-Encoding: 8bit\n\n");
  raw += "Co\xfbt : 12 \x80 \x96 l'\x9cuvre \x93" "compl\xe8te\x94\r\n";
  ParsedMessage m = parse_message(raw);
  expect_valid_utf8(m);
  EXPECT_EQ(m.text, "Co\u00fbt : 12 \u20ac \u2013 l'\u0153uvre \u201ccompl\u00e8te\u201d\n");
}

TEST(EmailMime, WrongDeclaredCharsetStillGivesUtf8) {
  // Declared UTF-8, written in Latin-1.
  std::string raw = crlf("From: a@example.fr\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n");
  raw += "Caf\xe9 cr\xe8me\r\n";
  ParsedMessage m = parse_message(raw);
  expect_valid_utf8(m);
  EXPECT_EQ(m.text, "Caf\u00e9 cr\u00e8me\n");
  // An unknown charset: valid UTF-8 bytes kept, others read as Windows-1252.
  std::string unknown = crlf("From: a@example.fr\nSubject: x\nContent-Type: text/plain; charset=x-klingon\n\n");
  ParsedMessage u = parse_message(unknown + "\xc3\xa9t\xc3\xa9\r\n");
  EXPECT_EQ(u.text, "\u00e9t\u00e9\n");
  ParsedMessage v = parse_message(unknown + "\xe9t\xe9\xff\r\n");
  expect_valid_utf8(v);
  EXPECT_EQ(v.text, "\u00e9t\u00e9\u00ff\n");
  // A known charset the bytes are invalid in (a cut Shift_JIS sequence, invalid UTF-16).
  for (const char* cs : {"shift_jis", "utf-16", "iso-2022-jp", "\"koi8-r\"", "utf-7"}) {
    std::string raw2 = crlf("From: a@example.fr\nSubject: =?" + std::string(cs) + "?B?/w==?=\nContent-Type: text/plain; charset=" + cs + "\n\n");
    ParsedMessage w = parse_message(raw2 + "\x82\xa0\x82\x1b$B\xff\xfe\x81\r\n");
    expect_valid_utf8(w);
  }
  // A real Shift_JIS body converts.
  ParsedMessage j = parse_message(crlf("From: a@example.fr\nContent-Type: text/plain; charset=shift_jis\n\n") + "\x82\xa0");
  EXPECT_EQ(j.text, "\u3042");
  // An 8-bit header without encoded words, in Latin-1.
  ParsedMessage h = parse_message(crlf("From: =?x?q?z?= Ren\xe9 <rene@example.fr>\nSubject: d\xe9j\xe0 vu\n\nx"));
  expect_valid_utf8(h);
  EXPECT_EQ(h.subject, "d\u00e9j\u00e0 vu");
}

TEST(EmailMime, AlternativeGivesTextAndHtml) {
  ParsedMessage m = parse(kAlternative);
  expect_valid_utf8(m);
  EXPECT_EQ(m.text, "Le texte brut, \u00e9t\u00e9.");
  EXPECT_EQ(m.html, "<p>Le <b>HTML</b>, \u00e9t\u00e9.</p>");
  EXPECT_TRUE(m.attachments.empty());
}

TEST(EmailMime, RelatedInlineImageAndTextFromHtml) {
  ParsedMessage m = parse(kRelated);
  expect_valid_utf8(m);
  EXPECT_NE(m.html.find("cid:logo@example.fr"), std::string::npos);
  // No text/plain: the text is the HTML's rendering.
  EXPECT_EQ(m.text, "Voici le logo : et un lien (https://example.fr/).");
  ASSERT_EQ(m.attachments.size(), 1u);
  const MailAttachment& a = m.attachments[0];
  EXPECT_EQ(a.content_type, "image/png");
  EXPECT_EQ(a.content_id, "logo@example.fr");
  EXPECT_TRUE(a.is_inline);
  EXPECT_FALSE(a.truncated);
  EXPECT_EQ(a.data, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
}

TEST(EmailMime, Rfc2231FrenchFileNames) {
  ParsedMessage m = parse(kRfc2231);
  expect_valid_utf8(m);
  EXPECT_EQ(m.text, "Ci-joint le devis.");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].filename, "devis-\u00e9t\u00e9.pdf");
  EXPECT_EQ(m.attachments[0].content_type, "application/pdf");
  EXPECT_FALSE(m.attachments[0].is_inline);
  EXPECT_EQ(m.attachments[0].data, "%PDF-1.4\n");
  EXPECT_EQ(m.attachments[1].filename, "r\u00e9sum\u00e9.csv");
  EXPECT_EQ(m.attachments[1].data, "a;b");
}

TEST(EmailMime, ReplyHeaders) {
  ParsedMessage m = parse(kReply);
  EXPECT_EQ(m.message_id, "reply-2@example.com");
  EXPECT_EQ(m.in_reply_to, "att@example.fr");
  EXPECT_EQ(m.references, (std::vector<std::string>{"first@example.fr", "second@example.com", "att@example.fr"}));
  EXPECT_FALSE(m.sent_at);
}

TEST(EmailMime, AutoReplies) {
  ParsedMessage m = parse(kAutoReply);
  EXPECT_EQ(m.kind, MessageKind::AutoReply);
  EXPECT_EQ(m.subject, "R\u00e9ponse automatique\u00a0: absente");
  auto kind = [](const std::string& headers) {
    return parse_message(crlf("From: a@example.fr\nSubject: Absence du bureau\n" + headers + "\nx")).kind;
  };
  EXPECT_EQ(kind("Auto-Submitted: no\n"), MessageKind::Ordinary);
  EXPECT_EQ(kind("Auto-Submitted: auto-generated\n"), MessageKind::AutoReply);
  EXPECT_EQ(kind("X-Autoreply: yes\n"), MessageKind::AutoReply);
  EXPECT_EQ(kind("X-Autorespond: Out of office\n"), MessageKind::AutoReply);
  EXPECT_EQ(kind("Precedence: auto_reply\n"), MessageKind::AutoReply);
  EXPECT_EQ(kind("Precedence: bulk\n"), MessageKind::AutoReply);  // with an out-of-office subject
  EXPECT_EQ(parse_message(crlf("From: a@example.fr\nSubject: Newsletter\nPrecedence: bulk\n"
                               "List-Unsubscribe: <mailto:u@example.fr>\n\nx")).kind,
            MessageKind::Ordinary);
  EXPECT_TRUE(parse_message(crlf("From: a@example.fr\nList-Unsubscribe: <mailto:u@example.fr>\n\nx")).list_unsubscribe_present);
  EXPECT_EQ(kind(""), MessageKind::Ordinary);
}

TEST(EmailMime, PostfixBounceIsADeliveryReport) {
  ParsedMessage m = parse(kPostfixBounce);
  expect_valid_utf8(m);
  EXPECT_EQ(m.kind, MessageKind::DeliveryReport);
  ASSERT_EQ(m.failures.size(), 1u);
  EXPECT_EQ(m.failures[0].recipient, "nobody@example.test");
  EXPECT_EQ(m.failures[0].status, "5.1.1");
  EXPECT_TRUE(m.failures[0].permanent);
  EXPECT_EQ(m.failures[0].diagnostic,
            "smtp; 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown");
  EXPECT_EQ(m.original_message_id, "devis-42@gazelle.example.fr");
  EXPECT_EQ(m.message_id, "20260303092001.4F1C0123@mail.example.fr");
  EXPECT_NE(m.text.find("could not\nbe delivered"), std::string::npos);
  EXPECT_EQ(m.from.address, "MAILER-DAEMON@mail.example.fr");
}

TEST(EmailMime, DelayIsNotPermanent) {
  ParsedMessage m = parse(kDelayed);
  EXPECT_EQ(m.kind, MessageKind::DeliveryReport);
  ASSERT_EQ(m.failures.size(), 1u);
  EXPECT_EQ(m.failures[0].recipient, "slow@example.test");
  EXPECT_EQ(m.failures[0].status, "4.4.1");
  EXPECT_FALSE(m.failures[0].permanent);
  // The returned message: its id, and the message itself as one attachment.
  EXPECT_EQ(m.original_message_id, "relance-7@gazelle.example.fr");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].content_type, "message/rfc822");
  EXPECT_EQ(m.attachments[0].filename, "Relance.eml");
  EXPECT_NE(m.attachments[0].data.find("Bonjour."), std::string::npos);
}

TEST(EmailMime, DeepNestingIsLimitedNotFatal) {
  // message/rfc822 100 levels deep: one attachment, the rest inside it.
  std::string raw;
  for (int i = 0; i < 100; ++i)
    raw += "From: level" + std::to_string(i) + "@example.fr\r\nSubject: level " + std::to_string(i) +
           "\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n";
  raw += "From: last@example.fr\r\nSubject: last\r\nContent-Type: text/plain\r\n\r\nthe bottom\r\n";
  ParsedMessage m = parse_message(raw);
  EXPECT_EQ(m.subject, "level 0");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].content_type, "message/rfc822");
  EXPECT_NE(m.attachments[0].data.find("the bottom"), std::string::npos);

  // multipart 100 levels deep: what lies below max_depth is skipped.
  std::string mp = "From: a@example.fr\r\nSubject: deep\r\nMIME-Version: 1.0\r\n";
  for (int i = 0; i < 100; ++i)
    mp += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\r\n\r\n--b" + std::to_string(i) + "\r\n";
  mp += "Content-Type: text/plain\r\n\r\nthe bottom\r\n";
  for (int i = 99; i >= 0; --i) mp += "--b" + std::to_string(i) + "--\r\n";
  ParsedMessage d = parse_message(mp);
  EXPECT_EQ(d.subject, "deep");
  EXPECT_EQ(d.text, "");
  ParsedMessage shallow = parse_message(mp, MimeLimits{200, 500, 1000});
  EXPECT_EQ(shallow.text.find("the bottom"), 0u);
}

TEST(EmailMime, PartAndSizeLimits) {
  std::string raw = "From: a@example.fr\r\nSubject: many\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n";
  for (int i = 0; i < 50; ++i)
    raw += "--x\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=f" +
           std::to_string(i) + ".bin\r\n\r\n" + std::string(100, char('a' + i % 26)) + "\r\n";
  raw += "--x--\r\n";
  ParsedMessage all = parse_message(raw);
  EXPECT_EQ(all.attachments.size(), 50u);
  ParsedMessage few = parse_message(raw, MimeLimits{20, 10, 50u << 20});
  EXPECT_EQ(few.attachments.size(), 9u);  // the multipart counts as one part
  ParsedMessage small = parse_message(raw, MimeLimits{20, 500, 50});
  ASSERT_EQ(small.attachments.size(), 50u);
  EXPECT_TRUE(small.attachments[0].truncated);
  EXPECT_TRUE(small.attachments[0].data.empty());
  EXPECT_EQ(small.attachments[0].filename, "f0.bin");
}

TEST(EmailMime, GarbageAndEmptyInput) {
  std::mt19937 rng(42);
  std::string garbage(3u << 20, '\0');
  for (auto& c : garbage) c = char(rng());
  try {
    ParsedMessage m = parse_message(garbage);
    expect_valid_utf8(m);
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::BadRequest);
  }
  EXPECT_THROW(parse_message(""), Problem);
  EXPECT_THROW(parse_message("\r\n\r\n"), Problem);
  try {
    parse_message("");
  } catch (const Problem& p) {
    EXPECT_EQ(p.kind(), ProblemKind::BadRequest);
    EXPECT_EQ(p.detail("fr"), "Le message ne peut pas \u00eatre lu comme un e-mail (MIME)");
  }
  // Headers only, a body only, a truncated multipart: read as far as they go.
  EXPECT_EQ(parse_message("Subject: only headers").subject, "only headers");
  ParsedMessage cut = parse_message(crlf("Subject: cut\nContent-Type: multipart/mixed; boundary=z\n\n--z\nContent-Type: text/plain\n\nhalf"));
  EXPECT_EQ(cut.subject, "cut");
  EXPECT_EQ(cut.text.find("half"), 0u);
}

TEST(EmailMime, WriteThenReadGivesTheSameMessage) {
  OutgoingMessage out;
  out.from = {"Anne B\u00e9raud", "anne@gazelle.example.fr"};
  out.to = {{"Fran\u00e7ois P\u00e9rez", "francois@example.com"}, {"", "compta@example.fr"}};
  out.cc = {{"Dupont, Jean", "jean@example.fr"}};
  out.bcc = {{"", "archive@gazelle.example.fr"}};
  out.reply_to = MailAddress{"Service client", "support@gazelle.example.fr"};
  out.subject = "Votre devis n\u00b0 42 \u2013 \u00e9t\u00e9 2026 \u2014 un objet assez long pour \u00eatre pli\u00e9 sur plusieurs lignes";
  out.text = "Bonjour,\n\nVoici le devis d'\u00e9t\u00e9.\n.\nFrom the start\n";
  out.html = "<p>Bonjour,</p><p>Voici le devis d'\u00e9t\u00e9.</p><img src=\"cid:logo@gazelle\">";
  out.in_reply_to = "att@example.fr";
  out.references = {"first@example.fr", "att@example.fr"};
  out.date = 1772529300;
  out.extra_headers = {{"List-Unsubscribe", "<https://gazelle.example.fr/u/abc>"},
                       {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  std::string pdf("%PDF-1.4\n\0\xff\xfe binary", 20);
  out.attachments = {{"devis-\u00e9t\u00e9.pdf", "application/pdf", "", false, pdf},
                     {"logo.png", "image/png", "logo@gazelle", true, std::string("\x89PNG\r\n\x1a\n", 8)}};
  std::string raw = write_message(out);
  EXPECT_EQ(out.message_id.size(), std::string("@gazelle.example.fr").size() + 26);
  EXPECT_NE(out.message_id.find("@gazelle.example.fr"), std::string::npos);
  // CRLF line ends only; ASCII headers; no Bcc.
  for (size_t i = 0; i < raw.size(); ++i)
    if (raw[i] == '\n') {
      ASSERT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at " << i;
    }
  std::string headers = raw.substr(0, raw.find("\r\n\r\n"));
  for (unsigned char c : headers) EXPECT_LT(c, 128);
  EXPECT_EQ(headers.find("archive@"), std::string::npos);
  EXPECT_EQ(headers.find("Bcc"), std::string::npos);

  ParsedMessage m = parse_message(raw);
  expect_valid_utf8(m);
  EXPECT_EQ(m.subject, out.subject);
  EXPECT_EQ(m.from.name, "Anne B\u00e9raud");
  EXPECT_EQ(m.from.address, "anne@gazelle.example.fr");
  ASSERT_EQ(m.to.size(), 2u);
  EXPECT_EQ(m.to[0].name, "Fran\u00e7ois P\u00e9rez");
  EXPECT_EQ(m.to[0].address, "francois@example.com");
  EXPECT_EQ(m.to[1].address, "compta@example.fr");
  ASSERT_EQ(m.cc.size(), 1u);
  EXPECT_EQ(m.cc[0].name, "Dupont, Jean");
  ASSERT_EQ(m.reply_to.size(), 1u);
  EXPECT_EQ(m.reply_to[0].address, "support@gazelle.example.fr");
  EXPECT_EQ(m.message_id, out.message_id);
  EXPECT_EQ(m.in_reply_to, "att@example.fr");
  EXPECT_EQ(m.references, out.references);
  EXPECT_EQ(m.sent_at, std::optional<int64_t>(1772529300));
  EXPECT_EQ(m.text, "Bonjour,\n\nVoici le devis d'\u00e9t\u00e9.\n.\nFrom the start\n");
  EXPECT_EQ(m.html, out.html);
  EXPECT_TRUE(m.list_unsubscribe_present);
  ASSERT_EQ(m.attachments.size(), 2u);
  const MailAttachment* file = nullptr;
  const MailAttachment* logo = nullptr;
  for (const auto& a : m.attachments) (a.content_id.empty() ? file : logo) = &a;
  ASSERT_TRUE(file && logo);
  EXPECT_EQ(file->filename, "devis-\u00e9t\u00e9.pdf");
  EXPECT_EQ(file->content_type, "application/pdf");
  EXPECT_EQ(file->data, pdf);
  EXPECT_EQ(logo->content_id, "logo@gazelle");
  EXPECT_TRUE(logo->is_inline);
  EXPECT_EQ(logo->data, std::string("\x89PNG\r\n\x1a\n", 8));

  // Text only: one text/plain part; a given message id is kept.
  OutgoingMessage plain;
  plain.from = {"", "anne@example.fr"};
  plain.to = {{"", "bob@example.com"}};
  plain.subject = "Simple";
  plain.text = "Juste du texte.";
  plain.message_id = "<given@example.fr>";
  std::string raw2 = write_message(plain);
  EXPECT_EQ(plain.message_id, "given@example.fr");
  EXPECT_NE(raw2.find("Content-Type: text/plain"), std::string::npos);
  EXPECT_EQ(raw2.find("multipart"), std::string::npos);
  ParsedMessage p = parse_message(raw2);
  EXPECT_EQ(p.text, "Juste du texte.\n");
  EXPECT_EQ(p.message_id, "given@example.fr");

  // HTML only: the text part is its rendering.
  OutgoingMessage html_only = plain;
  html_only.text.clear();
  html_only.html = "<p>Bonjour <b>Anne</b></p>";
  ParsedMessage h = parse_message(write_message(html_only));
  EXPECT_EQ(h.text, "Bonjour Anne");
  EXPECT_EQ(h.html, "<p>Bonjour <b>Anne</b></p>");
}

TEST(EmailMime, HeaderInjectionIsRefusedNamingTheField) {
  auto field_of = [](OutgoingMessage m) -> std::string {
    try {
      write_message(m);
    } catch (const Problem& p) {
      EXPECT_EQ(p.kind(), ProblemKind::Unprocessable);
      return p.fields().empty() ? "?" : p.fields()[0].field;
    }
    return "";
  };
  OutgoingMessage ok;
  ok.from = {"Anne", "anne@example.fr"};
  ok.to = {{"Bob", "bob@example.com"}};
  ok.subject = "Bonjour";
  ok.text = "x";
  EXPECT_EQ(field_of(ok), "");
  auto with = [&](auto change) {
    OutgoingMessage m = ok;
    change(m);
    return field_of(m);
  };
  EXPECT_EQ(with([](auto& m) { m.subject = "Hello\r\nBcc: victim@example.com"; }), "subject");
  EXPECT_EQ(with([](auto& m) { m.subject = "Hello\nX: y"; }), "subject");
  EXPECT_EQ(with([](auto& m) { m.subject = std::string("Hello\0X", 7); }), "subject");
  EXPECT_EQ(with([](auto& m) { m.to[0].name = "Bob\r\nBcc: victim@example.com"; }), "to");
  EXPECT_EQ(with([](auto& m) { m.to[0].address = "bob@example.com\r\nBcc: victim@example.com"; }), "to");
  EXPECT_EQ(with([](auto& m) { m.to[0].address = "bob@example.com, victim@example.com"; }), "to");
  EXPECT_EQ(with([](auto& m) { m.to[0].address = "not an address"; }), "to");
  EXPECT_EQ(with([](auto& m) { m.cc = {{"", "a@b\rc.fr"}}; }), "cc");
  EXPECT_EQ(with([](auto& m) { m.bcc = {{"", "<x@example.fr>"}}; }), "bcc");
  EXPECT_EQ(with([](auto& m) { m.from.name = "Anne\nReply-To: evil@example.com"; }), "from");
  EXPECT_EQ(with([](auto& m) { m.reply_to = MailAddress{"", "evil@example.com\n"}; }), "reply_to");
  EXPECT_EQ(with([](auto& m) { m.extra_headers = {{"X-Tag", "a\r\nBcc: victim@example.com"}}; }), "headers");
  EXPECT_EQ(with([](auto& m) { m.extra_headers = {{"X-Tag\r\nBcc", "a"}}; }), "headers");
  EXPECT_EQ(with([](auto& m) { m.extra_headers = {{"Bcc", "victim@example.com"}}; }), "headers");
  EXPECT_EQ(with([](auto& m) { m.in_reply_to = "a@b>\r\nBcc: victim@example.com"; }), "headers");
  EXPECT_EQ(with([](auto& m) { m.to.clear(); }), "to");
  try {
    OutgoingMessage m = ok;
    m.subject = "a\nb";
    write_message(m);
  } catch (const Problem& p) {
    EXPECT_NE(p.detail("fr").find("Objet"), std::string::npos) << p.detail("fr");
  }
}

TEST(EmailMime, AddressListsAsUsersTypeThem) {
  auto list = parse_address_list("Anne B\u00e9raud <anne@example.fr>, bob@example.com; \"Dupont, Jean\" <jean@example.fr>,, ");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].name, "Anne B\u00e9raud");
  EXPECT_EQ(list[0].address, "anne@example.fr");
  EXPECT_EQ(list[1].name, "");
  EXPECT_EQ(list[1].address, "bob@example.com");
  EXPECT_EQ(list[2].name, "Dupont, Jean");
  EXPECT_EQ(list[2].address, "jean@example.fr");
  EXPECT_TRUE(parse_address_list("").empty());
  auto group = parse_address_list("\u00c9quipe: a@example.fr, b@example.fr;");
  EXPECT_EQ(group.size(), 2u);
}

TEST(EmailMime, NewMessageIdsAreRandom) {
  std::string a = new_message_id("example.fr"), b = new_message_id("example.fr");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.substr(a.find('@')), "@example.fr");
  EXPECT_EQ(a.find('@'), 26u);
  EXPECT_EQ(new_message_id("ex\r\nample.fr>").substr(26), "@example.fr");
}
