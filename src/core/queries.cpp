#include "core/queries.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace halsonav {
namespace {

constexpr std::array<std::pair<EntityKind, std::string_view>, 6> kEntityNames = {{
    {EntityKind::kActor, "actor"},
    {EntityKind::kUnit, "unit"},
    {EntityKind::kFramework, "framework"},
    {EntityKind::kNode, "node"},
    {EntityKind::kMeasure, "measure"},
    {EntityKind::kAdoption, "adoption"},
}};

}  // namespace

std::string_view EntityName(EntityKind kind) {
  for (const auto& [candidate, name] : kEntityNames) {
    if (candidate == kind) return name;
  }
  return {};
}

std::optional<EntityKind> ParseEntityName(std::string_view name) {
  for (const auto& [kind, candidate] : kEntityNames) {
    if (candidate == name) return kind;
  }
  return std::nullopt;
}

Error EntityNotFound(EntityKind kind, Id id) {
  return Error{ErrorCode::kNotFound,
               fmt::format("there is no {} with id {}", EntityName(kind), id),
               {{"entity", EntityName(kind)}, {"id", id}}};
}

}  // namespace halsonav
