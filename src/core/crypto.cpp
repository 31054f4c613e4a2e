#include "core/crypto.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace gz::crypto {

void init() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string base64url_encode(const std::string& bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::vector<char> out(sodium_base64_encoded_len(bytes.size(), variant));
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    variant);
  return std::string(out.data());
}

std::optional<std::string> base64url_decode(const std::string& text) {
  std::vector<unsigned char> out(text.size() + 4);
  size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  return std::string(reinterpret_cast<char*>(out.data()), len);
}

static std::string to_hex(const unsigned char* p, size_t n) {
  std::vector<char> out(n * 2 + 1);
  sodium_bin2hex(out.data(), out.size(), p, n);
  return std::string(out.data());
}

std::string random_token(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), bytes);
  return to_hex(buf.data(), bytes);
}

std::string sha256_hex(const std::string& data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(h, sizeof h);
}

std::string hash_password(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

size_t secret_key_bytes() { return crypto_secretbox_KEYBYTES; }

std::string new_secret_key() {
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

std::string seal(const std::string& key, const std::string& plaintext) {
  if (key.size() != crypto_secretbox_KEYBYTES) throw std::invalid_argument("seal: bad key size");
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, reinterpret_cast<const unsigned char*>(key.data()));
  return base64url_encode(out);
}

std::optional<std::string> unseal(const std::string& key, const std::string& sealed) {
  if (key.size() != crypto_secretbox_KEYBYTES) return std::nullopt;
  auto bytes = base64url_decode(sealed);
  if (!bytes || bytes->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  const auto* nonce = reinterpret_cast<const unsigned char*>(bytes->data());
  std::string out(bytes->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), nonce + crypto_secretbox_NONCEBYTES,
                                 bytes->size() - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(key.data())) != 0)
    return std::nullopt;
  return out;
}

std::string hmac_hex(const std::string& key, const std::string& data) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return to_hex(mac, sizeof mac);
}

bool equal_constant_time(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gz::crypto
