#include "core/roles.hpp"

#include <fmt/format.h>

namespace halsonav {
namespace {

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kCoordinator:
      return "coordinator";
    case Role::kEditor:
      return "editor";
    case Role::kAnalyst:
      return "analyst";
    case Role::kReader:
      return "reader";
  }
  return "reader";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::vector<std::string> RoleSet::Names() const {
  std::vector<std::string> names;
  for (const auto role : kAllRoles) {
    if (Has(role)) names.emplace_back(RoleName(role));
  }
  return names;
}

std::string RoleSet::Text() const { return fmt::format("{}", fmt::join(Names(), ",")); }

std::optional<RoleSet> ParseRoles(std::string_view text, std::string* unknown) {
  RoleSet roles;
  while (!text.empty()) {
    const auto comma = text.find(',');
    auto item = TrimSpaces(text.substr(0, comma));
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
    if (item.empty()) continue;
    const auto role = ParseRole(item);
    if (!role) {
      if (unknown != nullptr) *unknown = std::string(item);
      return std::nullopt;
    }
    roles.Add(*role);
  }
  return roles;
}

}  // namespace halsonav
