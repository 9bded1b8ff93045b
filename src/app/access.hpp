#pragma once

// Who may change what (issue 15; docs/SECURITY.md, "Roles"). Every use case of `app` that writes
// asks here first, so the server, the command line and any future entry point share the rules:
//   admin        everything (the operator, who holds the database file, too);
//   coordinator  frameworks their organisation owns, and their nodes, measures and adoptions;
//                new actors (a plan names its partners); its organisation's record and units;
//   editor       measures their organisation is responsible for or leads (changes, not new ones
//                or deletions), and its organisation's own record and units;
//   analyst      statistics: imports, fetches, indicators, area groups, outlines;
//   reader       nothing to change.
// A caller who is not signed in gets kUnauthenticated; one outside the rule gets kForbidden,
// whose details say which roles and which organisation the change needs.

#include <initializer_list>
#include <string_view>

#include "core/domain.hpp"
#include "core/error.hpp"
#include "core/json_codec.hpp"
#include "core/roles.hpp"

namespace halsonav {
class Transaction;
}

namespace halsonav::access {

enum class Action { kCreate, kUpdate, kDelete, kRestore };

// Signed in and holding one of `roles` (admins and the operator hold all); `what` completes
// "… may <what>" in the message ("import statistics").
Result<void> RequireRole(const Caller& caller, std::initializer_list<Role> roles,
                         std::string_view what);
Result<void> RequireSignedIn(const Caller& caller, std::string_view what);
// Only the operator: the product's own loads (national content, demo).
Result<void> RequireOperator(const Caller& caller, std::string_view what);

// May the caller do `action` to the entity (its state before the change, or the new one)?
Result<void> MayWrite(Transaction& tx, const Caller& caller, const Actor& actor, Action action);
Result<void> MayWrite(Transaction& tx, const Caller& caller, const Unit& unit, Action action);
Result<void> MayWrite(Transaction& tx, const Caller& caller, const Framework& framework,
                      Action action);
Result<void> MayWrite(Transaction& tx, const Caller& caller, const Node& node, Action action);
Result<void> MayWrite(Transaction& tx, const Caller& caller, const Measure& measure, Action action);
Result<void> MayWrite(Transaction& tx, const Caller& caller, const Adoption& adoption,
                      Action action);

// A coordinator of the framework's owner (or an admin): plan and measure imports into it.
Result<void> MayCoordinate(Transaction& tx, const Caller& caller, Id framework_id,
                           std::string_view what);

}  // namespace halsonav::access
