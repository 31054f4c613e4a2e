// The e-mail module's HTML layer (libxml2's HTML parser, the tree walked against allow-lists; no
// regular expressions): a received message's HTML made safe to show inside the CRM, and a plain
// text rendering of HTML. libxml2's headers stay in html_sanitize.cpp.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gz::modules::email {

struct SanitizedHtml {
  std::string html;                // a fragment (the body's content), UTF-8, escaped
  int remote_images_blocked = 0;   // http(s) images removed (tracking pixels)
};

// Keeps the allowed elements and attributes only: scripts, styles, frames, objects, forms, SVG,
// MathML, meta/link/base go with their content; unknown elements are unwrapped (their text kept).
// Links: http, https and mailto only, with rel="noopener noreferrer nofollow" target="_blank".
// Images: cid: only, rewritten through inline_image_url (nullopt drops the image); remote images
// are removed and counted. No on*, style, class or id attribute.
SanitizedHtml sanitize_html(std::string_view html,
                            const std::function<std::optional<std::string>(std::string_view content_id)>& inline_image_url);

// Readable plain text: block elements as line breaks, links as "text (url)", entities decoded.
std::string html_to_text(std::string_view html);

}  // namespace gz::modules::email
