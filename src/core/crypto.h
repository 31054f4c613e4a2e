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

}  // namespace gz::crypto
