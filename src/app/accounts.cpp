// Accounts: users, sign-in and sessions, personal API tokens, the audit log (issue 15;
// docs/SECURITY.md). Secrets and their rules are in app/passwords.hpp, who may do what in
// app/access.hpp.

#include <fmt/format.h>

#include "app/access.hpp"
#include "app/account_support.hpp"
#include "app/app.hpp"
#include "app/passwords.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

using account_support::Audit;
using account_support::LoadUser;
using account_support::RoleSetOf;
using account_support::UserJson;

Result<void> CheckEmail(const std::string& email) {
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 ||
      email.find('.', at) == std::string::npos ||
      email.find_first_of(" \t\r\n") != std::string::npos) {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("/email: \"{}\" is not an e-mail address", email),
                {{"field", "/email"}});
  }
  return {};
}

Result<void> CheckName(const std::string& name) {
  if (name.empty() || name.size() > 100 || std::any_of(name.begin(), name.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      })) {
    return Fail(ErrorCode::kInvalidValue,
                "/name must be 1–100 characters without control characters", {{"field", "/name"}});
  }
  return {};
}

Result<RoleSet> ReadRoles(const std::vector<std::string>& names) {
  RoleSet roles;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto role = ParseRole(names[i]);
    if (!role) {
      return Fail(ErrorCode::kInvalidValue,
                  fmt::format("/roles/{}: \"{}\" is not one of: admin, coordinator, editor, "
                              "analyst, reader",
                              i, names[i]),
                  {{"field", fmt::format("/roles/{}", i)},
                   {"allowed", {"admin", "coordinator", "editor", "analyst", "reader"}}});
    }
    roles.Add(*role);
  }
  return roles;
}

// Coordinators and editors act for an organisation: it must exist and be live.
Result<void> CheckActor(Transaction& tx, const RoleSet& roles, Id actor_id) {
  if (actor_id == 0) {
    if (roles.Has(Role::kCoordinator) || roles.Has(Role::kEditor)) {
      return Fail(ErrorCode::kMissingField,
                  "/actor_id is required for a coordinator or an editor: the organisation "
                  "whose frameworks or measures they change",
                  {{"field", "/actor_id"}});
    }
    return {};
  }
  auto actor = tx.Get<Actor>(actor_id);
  if (!actor || actor->meta.deleted) {
    return Fail(ErrorCode::kReferenceNotFound, fmt::format("/actor_id: no actor {}", actor_id),
                {{"field", "/actor_id"}, {"id", actor_id}});
  }
  return {};
}

Result<void> CheckUnique(Transaction& tx, const UserRecord& user) {
  for (const auto& [field, value] :
       {std::pair{"/name", user.name}, std::pair{"/email", user.email}}) {
    auto found = tx.FindUserByLogin(value);
    if (!found) return tl::unexpected(found.error());
    if (*found && (*found)->id != user.id) {
      return Fail(ErrorCode::kDuplicate,
                  fmt::format("{}: \"{}\" is taken by user {}", field, value, (*found)->name),
                  {{"field", field}, {"value", value}, {"existing_id", (*found)->id}});
    }
  }
  return {};
}

}  // namespace

namespace account_support {

RoleSet RoleSetOf(const UserRecord& user) { return ParseRoles(user.roles).value_or(RoleSet{}); }

Json UserJson(const UserRecord& user) {
  return Json{{"id", user.id},
              {"name", user.name},
              {"email", user.email},
              {"roles", RoleSetOf(user).Names()},
              {"actor_id", user.actor_id == 0 ? Json(nullptr) : Json(user.actor_id)},
              {"disabled", user.disabled},
              {"must_change_password", user.must_change_password},
              {"version", user.version},
              {"created_at", user.created_at},
              {"updated_at", user.updated_at}};
}

Caller CallerOf(const UserRecord& user, const std::string& address) {
  Caller caller;
  caller.user = user.name;
  caller.user_id = user.id;
  caller.actor_id = user.actor_id;
  // Until the password an admin reset is changed, the session may do nothing else.
  if (!user.must_change_password) caller.roles = RoleSetOf(user);
  caller.address = address;
  return caller;
}

Result<UserRecord> LoadUser(Transaction& tx, Id id) {
  auto user = tx.FindUser(id);
  if (!user) return tl::unexpected(user.error());
  if (!*user) {
    return Fail(ErrorCode::kNotFound, fmt::format("no user {}", id),
                {{"entity", "user"}, {"id", id}});
  }
  return **user;
}

Result<void> Audit(Transaction& tx, const std::string& at, std::string event, const Caller& caller,
                   std::string subject, Json details) {
  auto id = tx.Insert(AuditRecord{0, at, std::move(event), caller.user, std::move(subject),
                                  caller.address, details.dump()});
  if (!id) return tl::unexpected(id.error());
  return {};
}

}  // namespace account_support

Result<Json> App::AddUser(const Json& body, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAdmin}, "add users"); !ok) {
    return tl::unexpected(ok.error());
  }
  UserRecord user;
  std::vector<std::string> role_names;
  std::optional<Id> actor_id;
  std::optional<std::string> password;
  json_read::ObjectReader reader(body, DecodeMode::kCreate, "");
  reader.Required("name", user.name).Required("email", user.email).Required("roles", role_names);
  reader.Optional("actor_id", actor_id).Optional("password", password);
  if (auto ok = reader.Finish(); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckName(user.name); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckEmail(user.email); !ok) return tl::unexpected(ok.error());
  auto roles = ReadRoles(role_names);
  if (!roles) return tl::unexpected(roles.error());
  const bool generated = !password;
  if (generated) password = secrets::GeneratePassword();
  if (auto ok = secrets::CheckNewPassword(*password, user.name, user.email, "/password"); !ok) {
    return tl::unexpected(ok.error());
  }
  user.roles = roles->Text();
  user.actor_id = actor_id.value_or(0);
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  if (auto ok = CheckActor(t, *roles, user.actor_id); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckUnique(t, user); !ok) return tl::unexpected(ok.error());
  auto hash = secrets::HashPassword(*password);
  if (!hash) return tl::unexpected(hash.error());
  user.password_hash = std::move(*hash);
  user.created_at = user.updated_at = now_();
  auto id = t.Insert(user);
  if (!id) return tl::unexpected(id.error());
  user.id = *id;
  if (auto ok = Audit(t, user.created_at, "user_added", caller, user.name,
                      {{"roles", roles->Names()}, {"actor_id", user.actor_id}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = t.Commit(); !ok) return tl::unexpected(ok.error());
  Json out = UserJson(user);
  if (generated) out["password"] = *password;
  return out;
}

Result<Json> App::ListUsers(const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAdmin}, "list users"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto users = (*tx)->Users();
  if (!users) return tl::unexpected(users.error());
  Json items = Json::array();
  for (const auto& user : *users) items.push_back(UserJson(user));
  const auto total = static_cast<std::int64_t>(items.size());
  return Json{{"items", std::move(items)}, {"total", total}};
}

Result<Json> App::UpdateUser(Id id, const Json& body, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAdmin}, "change users"); !ok) {
    return tl::unexpected(ok.error());
  }
  std::int64_t version = 0;
  std::optional<std::string> email;
  std::optional<std::vector<std::string>> role_names;
  std::optional<std::optional<Id>> actor_id;
  std::optional<bool> disabled;
  json_read::ObjectReader reader(body, DecodeMode::kCreate, "");
  reader.Required("version", version).Optional("email", email).Optional("roles", role_names);
  reader.Optional("actor_id", actor_id).Optional("disabled", disabled);
  reader.Ignored({"id", "name", "must_change_password", "created_at", "updated_at"});
  if (auto ok = reader.Finish(); !ok) return tl::unexpected(ok.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  auto user = LoadUser(t, id);
  if (!user) return tl::unexpected(user.error());
  if (version != user->version) {
    return Fail(ErrorCode::kVersionConflict,
                fmt::format("the user has changed since version {}: it is now at version {}",
                            version, user->version),
                {{"expected", version}, {"actual", user->version}, {"current", UserJson(*user)}});
  }
  const UserRecord before = *user;
  if (email) {
    if (auto ok = CheckEmail(*email); !ok) return tl::unexpected(ok.error());
    user->email = *email;
  }
  if (role_names) {
    auto roles = ReadRoles(*role_names);
    if (!roles) return tl::unexpected(roles.error());
    user->roles = roles->Text();
  }
  if (actor_id) user->actor_id = actor_id->value_or(0);
  if (disabled) user->disabled = *disabled;
  if (auto ok = CheckActor(t, RoleSetOf(*user), user->actor_id); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = CheckUnique(t, *user); !ok) return tl::unexpected(ok.error());
  if (user->id == caller.user_id && user->disabled) {
    return Fail(ErrorCode::kRuleViolation, "you cannot disable your own account",
                {{"field", "/disabled"}, {"rule", "not_self"}});
  }
  user->updated_at = now_();
  if (auto ok = t.Update(*user); !ok) return tl::unexpected(ok.error());
  user->version += 1;
  if (user->disabled) {
    if (auto ok = t.DeleteSessions(user->id); !ok) return tl::unexpected(ok.error());
  }
  Json changes = Json::object();
  if (before.roles != user->roles) changes["roles"] = {{"from", before.roles}, {"to", user->roles}};
  if (before.actor_id != user->actor_id) {
    changes["actor_id"] = {{"from", before.actor_id}, {"to", user->actor_id}};
  }
  if (before.disabled != user->disabled) changes["disabled"] = user->disabled;
  if (before.email != user->email) changes["email"] = {{"from", before.email}, {"to", user->email}};
  const char* event = changes.contains("roles") ? "roles_changed"
                      : changes.contains("disabled")
                          ? (user->disabled ? "user_disabled" : "user_enabled")
                          : "user_changed";
  if (auto ok = Audit(t, user->updated_at, event, caller, user->name, changes); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = t.Commit(); !ok) return tl::unexpected(ok.error());
  return UserJson(*user);
}

Result<Json> App::ResetPassword(Id id, const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAdmin}, "reset passwords"); !ok) {
    return tl::unexpected(ok.error());
  }
  const auto password = secrets::GeneratePassword();
  auto hash = secrets::HashPassword(password);
  if (!hash) return tl::unexpected(hash.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  auto user = LoadUser(t, id);
  if (!user) return tl::unexpected(user.error());
  user->password_hash = std::move(*hash);
  user->must_change_password = true;
  user->updated_at = now_();
  if (auto ok = t.Update(*user); !ok) return tl::unexpected(ok.error());
  user->version += 1;
  auto ended = t.DeleteSessions(user->id);
  if (!ended) return tl::unexpected(ended.error());
  if (auto ok = Audit(t, user->updated_at, "password_reset", caller, user->name,
                      {{"sessions_ended", *ended}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = t.Commit(); !ok) return tl::unexpected(ok.error());
  Json out = UserJson(*user);
  out["password"] = password;
  return out;
}

Result<Json> App::ChangeOwnPassword(const Json& body, const Caller& caller,
                                    const std::string& keep_session) {
  if (caller.user_id == 0) {
    if (auto ok = access::RequireSignedIn(caller, "change your password"); !ok) {
      return tl::unexpected(ok.error());
    }
    return Fail(ErrorCode::kForbidden,
                "the operator has no password; use `halsonav user reset-password` for a user");
  }
  std::string current;
  std::string fresh;
  json_read::ObjectReader reader(body, DecodeMode::kCreate, "");
  reader.Required("current_password", current).Required("new_password", fresh);
  if (auto ok = reader.Finish(); !ok) return tl::unexpected(ok.error());
  UserRecord user;
  {
    auto tx = store_->BeginRead();
    if (!tx) return tl::unexpected(tx.error());
    auto found = LoadUser(**tx, caller.user_id);
    if (!found) return tl::unexpected(found.error());
    user = std::move(*found);
  }
  if (!secrets::VerifyPassword(user.password_hash, current)) {
    return Fail(ErrorCode::kInvalidValue, "/current_password is not your current password",
                {{"field", "/current_password"}});
  }
  if (auto ok = secrets::CheckNewPassword(fresh, user.name, user.email, "/new_password"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (fresh == current) {
    return Fail(ErrorCode::kInvalidValue, "/new_password must differ from the current one",
                {{"field", "/new_password"}});
  }
  auto hash = secrets::HashPassword(fresh);
  if (!hash) return tl::unexpected(hash.error());
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  auto latest = LoadUser(t, caller.user_id);
  if (!latest) return tl::unexpected(latest.error());
  latest->password_hash = std::move(*hash);
  latest->must_change_password = false;
  latest->updated_at = now_();
  if (auto ok = t.Update(*latest); !ok) return tl::unexpected(ok.error());
  latest->version += 1;
  // Every other session of the user ends: keep the current one by re-inserting it.
  std::optional<SessionRecord> kept;
  if (!keep_session.empty()) {
    auto found = t.FindSession(secrets::Sha256Hex(keep_session));
    if (!found) return tl::unexpected(found.error());
    kept = *found;
  }
  if (auto ok = t.DeleteSessions(latest->id); !ok) return tl::unexpected(ok.error());
  if (kept && kept->user_id == latest->id) {
    if (auto ok = t.Insert(*kept); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = Audit(t, latest->updated_at, "password_changed", caller, latest->name); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = t.Commit(); !ok) return tl::unexpected(ok.error());
  return UserJson(*latest);
}

Result<Json> App::AddDemoUsers(const Caller& caller) {
  if (auto ok = access::RequireOperator(caller, "add the demo users"); !ok) {
    return tl::unexpected(ok.error());
  }
  struct DemoUser {
    const char* name;
    const char* role;
    const char* actor;  // exact name in the demo plans; nullptr: none
    const char* description;
  };
  static constexpr DemoUser kUsers[] = {
      {"admin", "admin", nullptr, "admin"},
      {"samordnare.norrbotten", "coordinator", "Region Norrbotten",
       "coordinator, Region Norrbotten"},
      {"redaktor.kommunerna", "editor", "Kommunerna i Norrbotten",
       "editor, Kommunerna i Norrbotten"},
  };
  Json out = Json::array();
  for (const auto& demo : kUsers) {
    Json body{{"name", demo.name},
              {"email", fmt::format("{}@halsonav.example", demo.name)},
              {"roles", {demo.role}}};
    if (demo.actor != nullptr) {
      auto actors = ListActors(ActorFilter{std::nullopt, demo.actor, false}, PageRequest{10, 0});
      if (!actors) return tl::unexpected(actors.error());
      for (const auto& actor : actors->at("items")) {
        if (actor.at("name") == demo.actor) body["actor_id"] = actor.at("id");
      }
      if (!body.contains("actor_id")) {
        return Fail(
            ErrorCode::kReferenceNotFound,
            fmt::format("the demo actor \"{}\" is missing: load the demo plans first", demo.actor));
      }
    }
    auto user = AddUser(body, caller);
    if (!user) return tl::unexpected(user.error());
    out.push_back(Json{{"name", demo.name},
                       {"description", demo.description},
                       {"password", user->at("password")}});
  }
  return out;
}

}  // namespace halsonav
