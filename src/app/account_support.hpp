#pragma once

// Private to app: what app/accounts.cpp (users, passwords) and app/sessions.cpp (sign-in,
// sessions, tokens, audit log) share.

#include <string>

#include "core/error.hpp"
#include "core/json_codec.hpp"
#include "core/roles.hpp"
#include "store/store.hpp"

namespace halsonav::account_support {

RoleSet RoleSetOf(const UserRecord& user);
// {"id", "name", "email", "roles", "actor_id", "disabled", "must_change_password", "version",
// "created_at", "updated_at"}
Json UserJson(const UserRecord& user);
// A signed-in user's caller; one whose password must be changed has no roles until it is.
Caller CallerOf(const UserRecord& user, const std::string& address);
Result<UserRecord> LoadUser(Transaction& tx, Id id);
// One line of the audit log, by `caller`, at `at`.
Result<void> Audit(Transaction& tx, const std::string& at, std::string event, const Caller& caller,
                   std::string subject, Json details = Json::object());

}  // namespace halsonav::account_support
