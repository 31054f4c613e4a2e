// What the public pages share (the web-to-lead form at /forms/{key}, the quote a
// customer accepts at /q/{token}, the unsubscribe page at /unsubscribe/{token}): escaping, unguessable keys, and the page around the content.
#pragma once
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace httplib {
struct Request;
}

namespace gz::http {

// Text made safe inside HTML and its attributes (& < > " ').
std::string html_escape(const std::string& s);

// `bytes` random bytes (libsodium) as hex: a form's public key, a quote link's token.
std::string random_hex(size_t bytes);

// A French HTML page that stands alone (no script): the shared look, `max_width` wide (e.g.
// "32rem"), with the page's own CSS rules after the shared ones.
std::string public_page(const std::string& title, const std::string& body, const std::string& max_width,
                        const std::string& own_css = "");

// The fields a public page's form posts, from JSON or from an HTML form
// (application/x-www-form-urlencoded, html set to true): {name: value}.
nlohmann::json posted_fields(const httplib::Request& req, bool& html);

}  // namespace gz::http
