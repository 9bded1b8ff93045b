#pragma once

// Secrets of accounts (issue 15; docs/SECURITY.md): argon2id password hashes (libsodium's
// crypto_pwhash_str at its moderate limits), the password rules, random session ids and tokens,
// and their SHA-256 for storage. Every function is thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace halsonav::secrets {

inline constexpr std::size_t kMinPasswordLength = 12;   // characters (code points)
inline constexpr std::size_t kMaxPasswordBytes = 1024;  // longer gains nothing, costs hashing

// kInvalidValue naming `field` when the password is too short, too long, not UTF-8, one of the
// common passwords shipped with the product (data/security), or the user's own name or e-mail.
Result<void> CheckNewPassword(std::string_view password, std::string_view name,
                              std::string_view email, std::string_view field);

// An argon2id hash string. At most two hashes are computed at once in a process (each takes
// 256 MiB), so a burst of sign-ins queues instead of exhausting memory.
Result<std::string> HashPassword(std::string_view password);
// True when `password` matches `hash`. With an empty hash it still spends a hash's time, so an
// unknown user name costs what a wrong password costs.
bool VerifyPassword(const std::string& hash, std::string_view password);
// True when the hash was made with other limits than the current ones.
bool NeedsRehash(const std::string& hash);

// `bytes` random bytes as unpadded base64url text (43 characters for 32 bytes).
std::string RandomToken(std::size_t bytes = 32);
// A password of 20 characters from letters and digits that are not confused when read aloud.
std::string GeneratePassword();
// The SHA-256 of `text` as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view text);
// Constant-time comparison of two strings.
bool SameSecret(std::string_view a, std::string_view b);

// "YYYY-MM-DDTHH:MM:SSZ" moved by `seconds`; nullopt for text that is not such a time.
std::optional<std::string> ShiftUtc(std::string_view utc, std::int64_t seconds);
// Seconds from `from` to `to` (both UTC texts as above); nullopt when either is not one.
std::optional<std::int64_t> SecondsBetween(std::string_view from, std::string_view to);

}  // namespace halsonav::secrets
