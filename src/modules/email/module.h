// E-mail (issue 17, docs/email.md): mailboxes read over IMAP and written to over SMTP, every
// message on the timeline of the contacts whose addresses it carries, threads, templates with
// merge fields, bounces marking addresses, unsubscribe links recording refused consent, and an
// inbox for messages from unknown senders. MIME is read and written by GMime (mime_message), HTML
// is sanitised through libxml2's parser (html_sanitize), IMAP and SMTP go through libcurl
// (imap_client, smtp_client).
#pragma once
#include "kernel/module.h"

namespace gz::modules::email {
const kernel::Module& module();
}
