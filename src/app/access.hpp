#pragma once

// Who may change and read what (issue 15; docs/SECURITY.md, "Roles" and "Reading"). Every use case
// of `app` that writes asks here first, so the server, the command line and any future entry point
// share the rules:
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
#include "core/queries.hpp"
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

// ---- Reading (docs/SECURITY.md, "Reading") ----
// Signed-in users of any role and the operator read everything, drafts included (kSignedIn); a
// visitor who is not signed in reads what is public (kPublic): every framework but one in status
// draft (adopted and archived ones are public documents), and the nodes, measures, adoptions,
// content and history of those. Actors, units, classifications and statistics (after disclosure
// control) are public.
Audience ReadAudience(const Caller& caller);
bool Readable(const Framework& framework, Audience audience);

// May the caller read the entity? An entity the caller may not read answers kNotFound, as an id
// that does not exist does (core/queries.hpp EntityNotFound), so that a visitor cannot tell a
// draft from nothing.
Result<void> MayRead(Transaction& tx, const Caller& caller, const Actor& actor);
Result<void> MayRead(Transaction& tx, const Caller& caller, const Unit& unit);
Result<void> MayRead(Transaction& tx, const Caller& caller, const Framework& framework);
Result<void> MayRead(Transaction& tx, const Caller& caller, const Node& node);
Result<void> MayRead(Transaction& tx, const Caller& caller, const Measure& measure);
Result<void> MayRead(Transaction& tx, const Caller& caller, const Adoption& adoption);
// The framework of `framework_id`, loaded, when the caller may read it (kNotFound otherwise).
Result<Framework> ReadableFramework(Transaction& tx, const Caller& caller, Id framework_id);

// A coordinator of the framework's owner (or an admin): plan and measure imports into it.
Result<void> MayCoordinate(Transaction& tx, const Caller& caller, Id framework_id,
                           std::string_view what);

}  // namespace halsonav::access
