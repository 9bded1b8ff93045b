#include "app/access.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/store.hpp"

namespace halsonav::access {
namespace {

std::string_view ActionVerb(Action action) {
  switch (action) {
    case Action::kCreate:
      return "create";
    case Action::kUpdate:
      return "change";
    case Action::kDelete:
      return "delete";
    case Action::kRestore:
      return "restore";
  }
  return "change";
}

Json RoleNames(std::initializer_list<Role> roles) {
  Json names = Json::array({"admin"});
  for (const auto role : roles) {
    if (role != Role::kAdmin) names.push_back(RoleName(role));
  }
  return names;
}

tl::unexpected<Error> Forbidden(const Caller& caller, std::string message,
                                std::initializer_list<Role> roles, Json scope = nullptr) {
  Json details{{"required_roles", RoleNames(roles)}, {"roles", caller.roles.Names()}};
  if (!scope.is_null()) details["scope"] = std::move(scope);
  return Fail(ErrorCode::kForbidden, std::move(message), std::move(details));
}

// The caller acts for `actor_id` with one of `roles`.
bool ActsFor(const Caller& caller, Id actor_id, std::initializer_list<Role> roles) {
  if (caller.actor_id == 0 || caller.actor_id != actor_id) return false;
  for (const auto role : roles) {
    if (caller.roles.Has(role)) return true;
  }
  return false;
}

// The owner of a framework (0 when it has none or does not exist: then only admins reach it).
Id OwnerOf(Transaction& tx, Id framework_id) {
  auto framework = tx.Get<Framework>(framework_id);
  if (!framework) return 0;
  return framework->owner_actor_id.value_or(0);
}

Id FrameworkOfNode(Transaction& tx, Id node_id) {
  auto node = tx.Get<Node>(node_id);
  return node ? node->framework_id : 0;
}

Result<void> CoordinatorOf(Transaction& tx, const Caller& caller, Id framework_id,
                           std::string message) {
  const Id owner = OwnerOf(tx, framework_id);
  if (owner != 0 && ActsFor(caller, owner, {Role::kCoordinator})) return {};
  return Forbidden(
      caller, std::move(message), {Role::kCoordinator},
      {{"framework_id", framework_id},
       {"owner_actor_id", owner == 0 ? Json(nullptr) : Json(owner)},
       {"your_actor_id", caller.actor_id == 0 ? Json(nullptr) : Json(caller.actor_id)}});
}

// The signed-in check every write starts with; true when the caller may do anything.
Result<bool> Unlimited(const Caller& caller, std::string_view what) {
  if (auto ok = RequireSignedIn(caller, what); !ok) return tl::unexpected(ok.error());
  return caller.is_operator || caller.roles.Has(Role::kAdmin);
}

bool LeadsOrAnswers(const Measure& measure, Id actor_id) {
  for (const auto& responsible : measure.responsible) {
    if (responsible.actor_id == actor_id) return true;
  }
  for (const auto& partner : measure.partners) {
    if (partner.role == PartRole::kLead && partner.actor_id == actor_id) return true;
  }
  return measure.responsible.empty() && measure.inherited_responsible &&
         measure.inherited_responsible->actor_id == actor_id;
}

}  // namespace

Result<void> RequireSignedIn(const Caller& caller, std::string_view what) {
  if (caller.SignedIn()) return {};
  return Fail(ErrorCode::kUnauthenticated,
              fmt::format("sign in to {}: POST /api/v1/session, or send a personal API token as "
                          "Authorization: Bearer",
                          what));
}

Result<void> RequireRole(const Caller& caller, std::initializer_list<Role> roles,
                         std::string_view what) {
  if (auto ok = RequireSignedIn(caller, what); !ok) return ok;
  for (const auto role : roles) {
    if (caller.Has(role)) return {};
  }
  std::vector<std::string> names;
  for (const auto& name : RoleNames(roles)) names.push_back(name.get<std::string>());
  return Forbidden(caller, fmt::format("only {} may {}", fmt::join(names, " or "), what), roles);
}

Result<void> RequireOperator(const Caller& caller, std::string_view what) {
  if (caller.is_operator) return {};
  if (auto ok = RequireSignedIn(caller, what); !ok) return ok;
  return Forbidden(caller, fmt::format("only the operator (the command line) may {}", what), {});
}

Result<void> MayWrite(Transaction& tx, const Caller& caller, const Actor& actor, Action action) {
  (void)tx;
  auto unlimited = Unlimited(caller, "change organisations");
  if (!unlimited) return tl::unexpected(unlimited.error());
  if (*unlimited) return {};
  if (action == Action::kCreate) {
    return RequireRole(caller, {Role::kCoordinator}, "register new organisations");
  }
  if (action == Action::kUpdate &&
      ActsFor(caller, actor.meta.id, {Role::kEditor, Role::kCoordinator})) {
    return {};
  }
  if (action != Action::kUpdate) {
    return Forbidden(caller, fmt::format("only admins may {} organisations", ActionVerb(action)),
                     {});
  }
  return Forbidden(caller,
                   fmt::format("you may change only your own organisation's record, not actor {}",
                               actor.meta.id),
                   {Role::kEditor, Role::kCoordinator},
                   {{"actor_id", actor.meta.id}, {"your_actor_id", caller.actor_id}});
}

Result<void> MayWrite(Transaction& tx, const Caller& caller, const Unit& unit, Action action) {
  (void)tx;
  auto unlimited = Unlimited(caller, "change units");
  if (!unlimited) return tl::unexpected(unlimited.error());
  if (*unlimited || ActsFor(caller, unit.actor_id, {Role::kEditor, Role::kCoordinator})) return {};
  return Forbidden(caller,
                   fmt::format("you may {} only units of your own organisation; this unit "
                               "belongs to actor {}",
                               ActionVerb(action), unit.actor_id),
                   {Role::kEditor, Role::kCoordinator},
                   {{"actor_id", unit.actor_id}, {"your_actor_id", caller.actor_id}});
}

Result<void> MayWrite(Transaction& tx, const Caller& caller, const Framework& framework,
                      Action action) {
  (void)tx;
  auto unlimited = Unlimited(caller, "change frameworks");
  if (!unlimited) return tl::unexpected(unlimited.error());
  const Id owner = framework.owner_actor_id.value_or(0);
  if (*unlimited || (owner != 0 && ActsFor(caller, owner, {Role::kCoordinator}))) return {};
  return Forbidden(caller,
                   fmt::format("you may {} only frameworks your organisation owns, as its "
                               "coordinator",
                               ActionVerb(action)),
                   {Role::kCoordinator},
                   {{"owner_actor_id", owner == 0 ? Json(nullptr) : Json(owner)},
                    {"your_actor_id", caller.actor_id}});
}

Result<void> MayWrite(Transaction& tx, const Caller& caller, const Node& node, Action action) {
  auto unlimited = Unlimited(caller, "change a framework's nodes");
  if (!unlimited) return tl::unexpected(unlimited.error());
  if (*unlimited) return {};
  return CoordinatorOf(tx, caller, node.framework_id,
                       fmt::format("you may {} nodes only in frameworks your organisation owns, "
                                   "as its coordinator",
                                   ActionVerb(action)));
}

Result<void> MayWrite(Transaction& tx, const Caller& caller, const Measure& measure,
                      Action action) {
  auto unlimited = Unlimited(caller, "change measures");
  if (!unlimited) return tl::unexpected(unlimited.error());
  if (*unlimited) return {};
  const Id framework_id = FrameworkOfNode(tx, measure.node_id);
  if (ActsFor(caller, OwnerOf(tx, framework_id), {Role::kCoordinator})) return {};
  if (action == Action::kUpdate && caller.roles.Has(Role::kEditor) && caller.actor_id != 0 &&
      LeadsOrAnswers(measure, caller.actor_id)) {
    return {};
  }
  return Forbidden(
      caller,
      action == Action::kUpdate
          ? "you may change only measures your organisation is responsible for or leads (as "
            "editor), or measures of frameworks your organisation owns (as coordinator)"
          : fmt::format("you may {} measures only in frameworks your organisation owns, as its "
                        "coordinator",
                        ActionVerb(action)),
      {Role::kEditor, Role::kCoordinator},
      {{"measure_id", measure.meta.id == 0 ? Json(nullptr) : Json(measure.meta.id)},
       {"framework_id", framework_id},
       {"your_actor_id", caller.actor_id}});
}

Result<void> MayWrite(Transaction& tx, const Caller& caller, const Adoption& adoption,
                      Action action) {
  auto unlimited = Unlimited(caller, "change adoptions");
  if (!unlimited) return tl::unexpected(unlimited.error());
  if (*unlimited) return {};
  return CoordinatorOf(tx, caller, adoption.framework_id,
                       fmt::format("you may {} adoptions only of frameworks your organisation "
                                   "owns, as its coordinator",
                                   ActionVerb(action)));
}

Audience ReadAudience(const Caller& caller) {
  return caller.SignedIn() ? Audience::kSignedIn : Audience::kPublic;
}

bool Readable(const Framework& framework, Audience audience) {
  return audience == Audience::kSignedIn || framework.status != FrameworkStatus::kDraft;
}

Result<Framework> ReadableFramework(Transaction& tx, const Caller& caller, Id framework_id) {
  auto framework = tx.Get<Framework>(framework_id);
  if (!framework) return tl::unexpected(framework.error());
  if (!Readable(*framework, ReadAudience(caller))) {
    return tl::unexpected(EntityNotFound(EntityKind::kFramework, framework_id));
  }
  return framework;
}

namespace {

// An object of a framework: readable with its framework, else "no such <kind>".
Result<void> InFramework(Transaction& tx, const Caller& caller, Id framework_id, EntityKind kind,
                         Id id) {
  if (ReadAudience(caller) == Audience::kSignedIn) return {};
  auto framework = tx.Get<Framework>(framework_id);
  if (!framework) return tl::unexpected(framework.error());
  if (Readable(*framework, Audience::kPublic)) return {};
  return tl::unexpected(EntityNotFound(kind, id));
}

}  // namespace

Result<void> MayRead(Transaction& /*tx*/, const Caller& /*caller*/, const Actor& /*actor*/) {
  return {};
}

Result<void> MayRead(Transaction& /*tx*/, const Caller& /*caller*/, const Unit& /*unit*/) {
  return {};
}

Result<void> MayRead(Transaction& /*tx*/, const Caller& caller, const Framework& framework) {
  if (Readable(framework, ReadAudience(caller))) return {};
  return tl::unexpected(EntityNotFound(EntityKind::kFramework, framework.meta.id));
}

Result<void> MayRead(Transaction& tx, const Caller& caller, const Node& node) {
  return InFramework(tx, caller, node.framework_id, EntityKind::kNode, node.meta.id);
}

Result<void> MayRead(Transaction& tx, const Caller& caller, const Measure& measure) {
  return InFramework(tx, caller, measure.framework_id, EntityKind::kMeasure, measure.meta.id);
}

Result<void> MayRead(Transaction& tx, const Caller& caller, const Adoption& adoption) {
  return InFramework(tx, caller, adoption.framework_id, EntityKind::kAdoption, adoption.meta.id);
}

Result<void> MayCoordinate(Transaction& tx, const Caller& caller, Id framework_id,
                           std::string_view what) {
  auto unlimited = Unlimited(caller, what);
  if (!unlimited) return tl::unexpected(unlimited.error());
  if (*unlimited) return {};
  return CoordinatorOf(tx, caller, framework_id,
                       fmt::format("only a coordinator of the framework's owner may {}", what));
}

}  // namespace halsonav::access
