#include "app/passwords.hpp"

#include <gtest/gtest.h>

namespace halsonav::secrets {
namespace {

void ExpectRefused(std::string_view password, std::string_view why) {
  auto ok = CheckNewPassword(password, "anna", "anna@region.example", "/password");
  ASSERT_FALSE(ok) << password;
  EXPECT_EQ(ok.error().code, ErrorCode::kInvalidValue);
  EXPECT_EQ(ok.error().details["field"], "/password");
  EXPECT_NE(ok.error().message.find(why), std::string::npos) << ok.error().message;
}

TEST(Passwords, TheRules) {
  EXPECT_TRUE(CheckNewPassword("korrekt häst batteri", "anna", "anna@region.example", "/p"));
  ExpectRefused("kort-lösen", "at least 12 characters; it has 10");
  // Characters, not bytes: twelve Swedish letters are twelve.
  EXPECT_TRUE(CheckNewPassword("åäöåäöåäöåxy", "anna", "anna@region.example", "/p"));
  ExpectRefused("winniethepooh", "most common");                 // in Openwall's list as it is
  ExpectRefused("WinnieThePooh", "most common");                 // whatever the case
  ExpectRefused("Password2024!", "with digits or signs added");  // "password" + decoration
  ExpectRefused("123456789012", "run");
  ExpectRefused("987654321098", "run");
  ExpectRefused("aaaaaaaaaaaaaaa", "run");
  ExpectRefused("abcdefghijklm", "run");
  ExpectRefused("anna@region.example", "name or e-mail");
  ExpectRefused(std::string("bad utf-8 \xff\xfe here"), "not UTF-8");
  ExpectRefused(std::string(kMaxPasswordBytes + 1, 'x'), "longer than");
}

TEST(Passwords, HashAndVerify) {
  auto hash = HashPassword("korrekt häst batteri");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "korrekt häst batteri"));
  EXPECT_FALSE(VerifyPassword(*hash, "korrekt häst batteri!"));
  EXPECT_FALSE(VerifyPassword("", "anything"));  // an unknown user: never a match
  EXPECT_FALSE(NeedsRehash(*hash));
  // Two hashes of one password differ (a random salt each).
  EXPECT_NE(*hash, *HashPassword("korrekt häst batteri"));
}

TEST(Passwords, TokensAndDigests) {
  const auto token = RandomToken(32);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_NE(token, RandomToken(32));
  const auto generated = GeneratePassword();
  EXPECT_EQ(generated.size(), 20u);
  EXPECT_TRUE(CheckNewPassword(generated, "anna", "anna@region.example", "/p"));
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(SameSecret("abc", "abc"));
  EXPECT_FALSE(SameSecret("abc", "abd"));
  EXPECT_FALSE(SameSecret("abc", "abcd"));
}

TEST(Passwords, UtcArithmetic) {
  EXPECT_EQ(ShiftUtc("2026-12-31T23:30:00Z", 30 * 60), "2027-01-01T00:00:00Z");
  EXPECT_EQ(ShiftUtc("2026-03-01T00:00:00Z", -1), "2026-02-28T23:59:59Z");
  EXPECT_EQ(SecondsBetween("2026-12-07T12:00:00Z", "2026-12-08T00:00:00Z"), 12 * 3600);
  EXPECT_FALSE(ShiftUtc("2026-12-07 12:00:00", 1));
  EXPECT_FALSE(SecondsBetween("", "2026-12-07T12:00:00Z"));
}

}  // namespace
}  // namespace halsonav::secrets
