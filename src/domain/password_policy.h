// What a password must be: at least 12 characters, and none of the most common passwords (a
// list shipped in password_policy.cpp, compared folded: case and accents do not matter) nor a
// trivial pattern of them (one character repeated, a keyboard row, the e-mail). The same rule
// for creating a user, changing one's password and an admin's reset, from the API or the CLI.
#pragma once
#include <optional>
#include <string>

#include "core/message.h"

namespace gz::domain {

inline constexpr size_t kMinPasswordLength = 12;

// nullopt when acceptable, else why not (English; the web translates by the field's code).
std::optional<Message> password_weakness(const std::string& password, const std::string& email = "");

// The number of entries of the common-password list (tests check it is not empty).
size_t common_password_count();

}  // namespace gz::domain
