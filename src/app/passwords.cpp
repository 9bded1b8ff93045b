#include "app/passwords.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <unordered_set>

#include <fmt/format.h>

#include "app/embedded_data.hpp"
#include "core/text.hpp"

namespace halsonav::secrets {
namespace {

constexpr auto kOpsLimit = crypto_pwhash_OPSLIMIT_MODERATE;
constexpr auto kMemLimit = crypto_pwhash_MEMLIMIT_MODERATE;
constexpr int kConcurrentHashes = 2;

void InitSodium() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
}

// Admits at most kConcurrentHashes hash computations at a time.
class HashSlots {
 public:
  void Acquire() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return in_use_ < kConcurrentHashes; });
    ++in_use_;
  }
  void Release() {
    {
      std::lock_guard lock(mutex_);
      --in_use_;
    }
    freed_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  int in_use_ = 0;
};

HashSlots& Slots() {
  static HashSlots slots;
  return slots;
}

struct SlotLease {
  SlotLease() { Slots().Acquire(); }
  ~SlotLease() { Slots().Release(); }
  SlotLease(const SlotLease&) = delete;
  SlotLease& operator=(const SlotLease&) = delete;
};

const std::unordered_set<std::string>& CommonPasswords() {
  static const auto* const kSet = [] {
    auto* set = new std::unordered_set<std::string>();
    std::string_view text = halsonav::CommonPasswords().text;
    while (!text.empty()) {
      const auto end = text.find('\n');
      auto line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line.starts_with("#!comment:")) continue;
      set->insert(LowerCase(line));
    }
    return set;
  }();
  return *kSet;
}

// Code points in valid UTF-8; nullopt for bytes that are not UTF-8.
std::optional<std::size_t> CodePoints(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::size_t length = byte < 0x80         ? 1
                               : (byte >> 5) == 6  ? 2
                               : (byte >> 4) == 14 ? 3
                               : (byte >> 3) == 30 ? 4
                                                   : 0;
    if (length == 0 || i + length > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) return std::nullopt;
    }
    i += length;
  }
  return count;
}

tl::unexpected<Error> Refuse(std::string_view field, std::string message) {
  return Fail(ErrorCode::kInvalidValue, std::move(message), {{"field", std::string(field)}});
}

std::optional<std::time_t> ParseUtc(std::string_view utc) {
  std::tm tm{};
  int year = 0;
  if (utc.size() != 20 || utc[4] != '-' || utc[7] != '-' || utc[10] != 'T' || utc[13] != ':' ||
      utc[16] != ':' || utc[19] != 'Z') {
    return std::nullopt;
  }
  const std::string text(utc);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon -= 1;
  return timegm(&tm);
}

}  // namespace

Result<void> CheckNewPassword(std::string_view password, std::string_view name,
                              std::string_view email, std::string_view field) {
  if (password.size() > kMaxPasswordBytes) {
    return Refuse(field, fmt::format("the password is longer than {} bytes", kMaxPasswordBytes));
  }
  const auto length = CodePoints(password);
  if (!length) return Refuse(field, "the password is not UTF-8 text");
  if (*length < kMinPasswordLength) {
    return Refuse(field, fmt::format("the password must have at least {} characters; it has {}",
                                     kMinPasswordLength, *length));
  }
  const auto lower = LowerCase(password);
  if (CommonPasswords().contains(lower)) {
    return Refuse(field, "the password is one of the most common passwords; choose another");
  }
  if (lower == LowerCase(name) || lower == LowerCase(email)) {
    return Refuse(field, "the password must not be the user's name or e-mail address");
  }
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  InitSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  SlotLease lease;
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit) != 0) {
    return Fail(ErrorCode::kInternal, "the password could not be hashed (out of memory)");
  }
  return std::string(out.data());
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  InitSodium();
  // A hash of a random password made once, for the time an unknown user's check must take.
  static const std::string kDummy = HashPassword(RandomToken(16)).value_or("");
  const std::string& against = hash.empty() ? kDummy : hash;
  SlotLease lease;
  const bool match =
      crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
  return match && !hash.empty();
}

bool NeedsRehash(const std::string& hash) {
  InitSodium();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != 0;
}

std::string RandomToken(std::size_t bytes) {
  InitSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_ENCODED_LEN(bytes, variant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), variant);
  text.resize(std::strlen(text.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return text;
}

std::string GeneratePassword() {
  InitSodium();
  static constexpr std::string_view kAlphabet =
      "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 20; ++i) {
    password += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return password;
}

std::string Sha256Hex(std::string_view text) {
  InitSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()),
                     text.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

bool SameSecret(std::string_view a, std::string_view b) {
  InitSodium();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> ShiftUtc(std::string_view utc, std::int64_t seconds) {
  const auto time = ParseUtc(utc);
  if (!time) return std::nullopt;
  const std::time_t shifted = *time + static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&shifted, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::optional<std::int64_t> SecondsBetween(std::string_view from, std::string_view to) {
  const auto a = ParseUtc(from);
  const auto b = ParseUtc(to);
  if (!a || !b) return std::nullopt;
  return static_cast<std::int64_t>(*b - *a);
}

}  // namespace halsonav::secrets
