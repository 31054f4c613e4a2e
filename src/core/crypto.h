// Encoding and secrets on top of libsodium: base64url, random tokens, hashes of tokens, and
// Argon2id password hashes. Thread-safe once init() has run (it is idempotent).
#pragma once
#include <optional>
#include <string>

namespace gz::crypto {

void init();
std::string base64url_encode(const std::string& bytes);
std::optional<std::string> base64url_decode(const std::string& text);
std::string random_token(size_t bytes = 32);  // hex
std::string sha256_hex(const std::string& data);
std::string hash_password(const std::string& password);  // Argon2id, self-describing string
bool verify_password(const std::string& hash, const std::string& password);

// Secrets kept in the database but readable only with a key kept out of it (a mailbox's
// password): XSalsa20-Poly1305 (crypto_secretbox) with a random nonce, as base64url text.
// The key is secret_key_bytes() random bytes (new_secret_key()).
size_t secret_key_bytes();
std::string new_secret_key();
std::string seal(const std::string& key, const std::string& plaintext);
// nullopt when the text was not sealed with this key (another key, or altered).
std::optional<std::string> unseal(const std::string& key, const std::string& sealed);
// A keyed hash (HMAC-SHA-256, hex) for tokens the server checks without storing them.
std::string hmac_hex(const std::string& key, const std::string& data);
// Compares two secrets in a time that does not depend on where they differ.
bool equal_constant_time(const std::string& a, const std::string& b);

}  // namespace gz::crypto
