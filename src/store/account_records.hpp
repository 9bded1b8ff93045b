#pragma once

// The rows of accounts (issue 15; docs/SECURITY.md): users, server-side sessions, personal API
// tokens, sign-in failures (for throttling) and the audit log. They live in the database so that
// every server process answers every request. Secrets are never stored: a session id and a token
// are kept as their SHA-256 (hex), a password as its argon2id string.

#include <cstdint>
#include <string>

#include "core/domain.hpp"

namespace halsonav {

struct UserRecord {
  Id id = 0;
  std::string name;           // unique, case-insensitive
  std::string email;          // unique, case-insensitive
  std::string password_hash;  // crypto_pwhash_str's argon2id string
  Id actor_id = 0;            // the organisation (actor) the user acts for; 0: none
  std::string roles;          // canonical comma list: "admin,analyst"
  bool disabled = false;
  bool must_change_password = false;  // set by an admin's reset: sign-in asks for a new one
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct SessionRecord {
  std::string id_hash;  // SHA-256 of the cookie's value, hex
  Id user_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::string last_seen_at;
  std::string address;  // the client address at sign-in
};

struct ApiTokenRecord {
  Id id = 0;
  Id user_id = 0;
  std::string name;
  std::string token_hash;  // SHA-256 of the token, hex
  std::string prefix;      // the token's first characters, to recognise it in a list
  std::string created_at;
  std::string expires_at;    // "" = never
  std::string last_used_at;  // "" = never used
  bool revoked = false;
};

// Failed sign-ins of one key ("user:NAME" or "address:IP") since the last success.
struct SignInFailures {
  std::int64_t count = 0;
  std::string last_at;
};

struct AuditRecord {
  Id id = 0;
  std::string at;
  std::string event;    // "sign_in", "sign_in_failed", "sign_out", "roles_changed", …
  std::string user;     // who acted ("" when unknown: a failed sign-in of no account)
  std::string subject;  // whom or what it concerns (a user's name, a setting's key)
  std::string address;  // the client address; "cli" for the command line
  std::string details;  // JSON object
};

}  // namespace halsonav
