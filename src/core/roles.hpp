#pragma once

// The roles of a user (issue 15; docs/SECURITY.md) and who a request acts as. Pure types: the
// rules that use them live in app/access.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.hpp"

namespace halsonav {

enum class Role : std::uint8_t {
  kAdmin = 1,        // users, roles, settings (the disclosure rule), everything
  kCoordinator = 2,  // the frameworks their organisation owns and everything in them
  kEditor = 4,       // measures their organisation answers for or leads; its own record, units
  kAnalyst = 8,      // statistics: imports, fetches, indicators, areas, area groups, outlines
  kReader = 16,      // reads everything a signed-in person may read
};

inline constexpr Role kAllRoles[] = {Role::kAdmin, Role::kCoordinator, Role::kEditor,
                                     Role::kAnalyst, Role::kReader};

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

class RoleSet {
 public:
  RoleSet() = default;
  RoleSet(std::initializer_list<Role> roles) {
    for (const auto role : roles) Add(role);
  }
  void Add(Role role) { bits_ |= static_cast<std::uint8_t>(role); }
  bool Has(Role role) const { return (bits_ & static_cast<std::uint8_t>(role)) != 0; }
  bool Empty() const { return bits_ == 0; }
  bool operator==(const RoleSet&) const = default;
  std::vector<std::string> Names() const;  // in kAllRoles order
  std::string Text() const;                // "admin,analyst" (what the store keeps)

 private:
  std::uint8_t bits_ = 0;
};

// Reads "editor,analyst" (commas, spaces allowed). nullopt names the first unknown role in
// `unknown`; an empty list is an empty set.
std::optional<RoleSet> ParseRoles(std::string_view text, std::string* unknown = nullptr);

// Who a call acts as. Three kinds: the operator (the command line and the product's own loads,
// which hold the database file itself: every power, recorded under their name), a signed-in user
// (roles and organisation from the account), and an anonymous visitor (no roles).
struct Caller {
  std::string user = "anonymous";  // the name the history and the audit log record
  Id user_id = 0;                  // the account; 0 for the operator and anonymous
  Id actor_id = 0;                 // the organisation the user acts for; 0: none
  RoleSet roles;
  bool is_operator = false;
  std::string address;  // the client's address; "cli" for the operator

  static Caller Operator(std::string name) {
    Caller caller;
    caller.user = std::move(name);
    caller.is_operator = true;
    caller.address = "cli";
    return caller;
  }
  static Caller Anonymous(std::string address = {}) {
    Caller caller;
    caller.address = std::move(address);
    return caller;
  }
  bool SignedIn() const { return is_operator || user_id != 0; }
  // The operator and admins have every role.
  bool Has(Role role) const { return is_operator || roles.Has(Role::kAdmin) || roles.Has(role); }
};

}  // namespace halsonav
