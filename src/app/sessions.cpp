// Signing in, sessions, personal API tokens and the audit log (issue 15; docs/SECURITY.md).
// Sessions and sign-in failures live in the database, so that any server process answers for
// any session.

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
using account_support::CallerOf;
using account_support::LoadUser;
using account_support::RoleSetOf;
using account_support::UserJson;

constexpr std::int64_t kIdleSeconds = 30 * 60;           // a session ends after 30 idle minutes
constexpr std::int64_t kAbsoluteSeconds = 12 * 60 * 60;  // and 12 hours after sign-in
constexpr std::int64_t kTouchSeconds = 60;         // last use is written at most once a minute
constexpr std::int64_t kUserFailuresFree = 5;      // per user name and address
constexpr std::int64_t kAddressFailuresFree = 20;  // per address, whatever the name
constexpr std::int64_t kMaxDelaySeconds = 15 * 60;
constexpr std::string_view kTokenPrefix = "hn_";

Json TokenJson(const ApiTokenRecord& token) {
  const auto optional = [](const std::string& text) {
    return text.empty() ? Json(nullptr) : Json(text);
  };
  return Json{{"id", token.id},
              {"name", token.name},
              {"prefix", token.prefix},
              {"created_at", token.created_at},
              {"expires_at", optional(token.expires_at)},
              {"last_used_at", optional(token.last_used_at)},
              {"revoked", token.revoked}};
}

// A growing delay: none for the first `free` failures, then 2, 4, 8 … seconds, at most 15 min.
std::int64_t DelayAfter(std::int64_t failures, std::int64_t free) {
  if (failures < free) return 0;
  const auto steps = std::min<std::int64_t>(failures - free + 1, 20);
  return std::min<std::int64_t>(std::int64_t{1} << steps, kMaxDelaySeconds);
}

tl::unexpected<Error> WrongCredentials() {
  return Fail(ErrorCode::kUnauthenticated, "wrong user name or password");
}

std::string UserKey(const std::string& login, const std::string& address) {
  return fmt::format("user:{}|{}", LowerCase(login), address);
}

std::string AddressKey(const std::string& address) { return "address:" + address; }

// Seconds still to wait before another attempt for `key` (0: none).
Result<std::int64_t> Wait(Transaction& tx, const std::string& key, std::int64_t free,
                          const std::string& now) {
  auto failures = tx.FindSignInFailures(key);
  if (!failures) return tl::unexpected(failures.error());
  const auto delay = DelayAfter(failures->count, free);
  if (delay == 0) return 0;
  const auto since = secrets::SecondsBetween(failures->last_at, now).value_or(delay);
  return std::max<std::int64_t>(0, delay - since);
}

Json SessionJson(const UserRecord& user, const Json& actor, const SessionRecord& session) {
  return Json{
      {"signed_in", true},
      {"user", UserJson(user)},
      {"actor", actor},
      {"roles", CallerOf(user, session.address).roles.Names()},
      {"csrf_token", session.csrf_token},
      {"created_at", session.created_at},
      {"expires_at", secrets::ShiftUtc(session.created_at, kAbsoluteSeconds).value_or("")},
      {"idle_expires_at", secrets::ShiftUtc(session.last_seen_at, kIdleSeconds).value_or("")},
      {"must_change_password", user.must_change_password}};
}

Json ActorJson(Transaction& tx, Id actor_id) {
  if (actor_id == 0) return nullptr;
  auto actor = tx.Get<Actor>(actor_id);
  if (!actor) return Json{{"id", actor_id}, {"name", nullptr}};
  return Json{{"id", actor_id}, {"name", actor->name}};
}

Result<void> RecordFailure(Transaction& tx, const std::string& login, const std::string& address,
                           const std::string& now) {
  if (auto ok = tx.RecordSignInFailure(UserKey(login, address), now); !ok) return ok;
  if (auto ok = tx.RecordSignInFailure(AddressKey(address), now); !ok) return ok;
  Caller unknown = Caller::Anonymous(address);
  unknown.user = "";
  return Audit(tx, now, "sign_in_failed", unknown, login);
}

// The user a sign-in names (nullopt when none), unless failures from this address hold it back.
Result<std::optional<UserRecord>> ThrottledLookup(Store& store, const std::string& login,
                                                  const std::string& address,
                                                  const std::string& now) {
  auto tx = store.BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto by_user = Wait(**tx, UserKey(login, address), kUserFailuresFree, now);
  if (!by_user) return tl::unexpected(by_user.error());
  auto by_address = Wait(**tx, AddressKey(address), kAddressFailuresFree, now);
  if (!by_address) return tl::unexpected(by_address.error());
  if (const auto wait = std::max(*by_user, *by_address); wait > 0) {
    return Fail(ErrorCode::kTooManyRequests,
                fmt::format("too many failed sign-ins: try again in {} s", wait),
                {{"retry_after", wait}});
  }
  return (*tx)->FindUserByLogin(login);
}

// After the right password: a rehash when the limits changed, the failures forgotten, expired
// sessions removed, and a new session with a new id and CSRF token.
Result<App::SessionGrant> OpenSession(Transaction& t, UserRecord& user, const std::string& login,
                                      const std::string& password, const std::string& address,
                                      const std::string& now) {
  if (secrets::NeedsRehash(user.password_hash)) {
    if (auto hash = secrets::HashPassword(password)) {
      user.password_hash = std::move(*hash);
      user.updated_at = now;
      if (auto ok = t.Update(user); !ok) return tl::unexpected(ok.error());
      user.version += 1;
    }
  }
  for (const auto& key : {UserKey(login, address), AddressKey(address)}) {
    if (auto ok = t.ClearSignInFailures(key); !ok) return tl::unexpected(ok.error());
  }
  const auto created_before = secrets::ShiftUtc(now, -kAbsoluteSeconds).value_or(now);
  const auto seen_before = secrets::ShiftUtc(now, -kIdleSeconds).value_or(now);
  if (auto ok = t.DeleteExpiredSessions(created_before, seen_before); !ok) {
    return tl::unexpected(ok.error());
  }
  App::SessionGrant grant;
  grant.secret = secrets::RandomToken(32);
  SessionRecord session{
      secrets::Sha256Hex(grant.secret), user.id, secrets::RandomToken(32), now, now, address};
  if (auto ok = t.Insert(session); !ok) return tl::unexpected(ok.error());
  if (auto ok = Audit(t, now, "sign_in", CallerOf(user, address), user.name); !ok) {
    return tl::unexpected(ok.error());
  }
  grant.session = SessionJson(user, ActorJson(t, user.actor_id), session);
  return grant;
}

}  // namespace

Result<App::SessionGrant> App::SignIn(const Json& body, const std::string& address) {
  std::string login;
  std::string password;
  json_read::ObjectReader reader(body, DecodeMode::kCreate, "");
  reader.Required("user", login).Required("password", password);
  if (auto ok = reader.Finish(); !ok) return tl::unexpected(ok.error());
  const auto now = now_();
  auto user = ThrottledLookup(*store_, login, address, now);
  if (!user) return tl::unexpected(user.error());
  // The same work whether the user exists or not: a hash is always verified.
  const bool match = secrets::VerifyPassword(*user ? (*user)->password_hash : "", password);
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  if (!match || !*user || (*user)->disabled) {
    // The delay runs from when the attempt failed, after its hash: a slow attempt (a loaded
    // server, a long password) does not use up the wait before the next.
    if (auto ok = RecordFailure(t, login, address, now_()); !ok) return tl::unexpected(ok.error());
    if (auto ok = t.Commit(); !ok) return tl::unexpected(ok.error());
    return WrongCredentials();
  }
  auto grant = OpenSession(t, **user, login, password, address, now);
  if (!grant) return tl::unexpected(grant.error());
  if (auto ok = t.Commit(); !ok) return tl::unexpected(ok.error());
  return grant;
}

Result<std::optional<App::SessionView>> App::ResolveSession(const std::string& secret,
                                                            const std::string& address,
                                                            bool describe) {
  if (secret.empty() || secret.size() > 128) return std::nullopt;
  const auto id_hash = secrets::Sha256Hex(secret);
  const auto now = now_();
  std::optional<SessionView> view;
  bool touch = false;
  {
    auto tx = store_->BeginRead();
    if (!tx) return tl::unexpected(tx.error());
    auto session = (*tx)->FindSession(id_hash);
    if (!session) return tl::unexpected(session.error());
    if (!*session) return std::nullopt;
    const auto age =
        secrets::SecondsBetween((*session)->created_at, now).value_or(kAbsoluteSeconds);
    const auto idle = secrets::SecondsBetween((*session)->last_seen_at, now).value_or(kIdleSeconds);
    if (age >= kAbsoluteSeconds || idle >= kIdleSeconds) return std::nullopt;
    auto user = (*tx)->FindUser((*session)->user_id);
    if (!user) return tl::unexpected(user.error());
    if (!*user || (*user)->disabled) return std::nullopt;
    touch = idle >= kTouchSeconds;
    if (touch) (*session)->last_seen_at = now;
    view = SessionView{CallerOf(**user, address), (*session)->csrf_token, Json(nullptr)};
    if (describe) {
      view->session = SessionJson(**user, ActorJson(**tx, (*user)->actor_id), **session);
    }
  }
  if (touch) {
    auto tx = store_->BeginWrite();
    if (!tx) return tl::unexpected(tx.error());
    if (auto ok = (*tx)->TouchSession(id_hash, now); !ok) return tl::unexpected(ok.error());
    if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  }
  return view;
}

Result<void> App::SignOut(const std::string& secret, const Caller& caller) {
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = (*tx)->DeleteSession(secrets::Sha256Hex(secret)); !ok) return ok;
  if (auto ok = Audit(**tx, now_(), "sign_out", caller, caller.user); !ok) return ok;
  return (*tx)->Commit();
}

Result<std::optional<Caller>> App::ResolveToken(const std::string& token,
                                                const std::string& address) {
  if (!token.starts_with(kTokenPrefix) || token.size() > 128) return std::nullopt;
  const auto hash = secrets::Sha256Hex(token);
  const auto now = now_();
  std::optional<Caller> caller;
  std::optional<ApiTokenRecord> used;
  {
    auto tx = store_->BeginRead();
    if (!tx) return tl::unexpected(tx.error());
    auto found = (*tx)->FindApiToken(hash);
    if (!found) return tl::unexpected(found.error());
    if (!*found || (*found)->revoked) return std::nullopt;
    if (!(*found)->expires_at.empty() && (*found)->expires_at <= now) return std::nullopt;
    auto user = (*tx)->FindUser((*found)->user_id);
    if (!user) return tl::unexpected(user.error());
    if (!*user || (*user)->disabled) return std::nullopt;
    caller = CallerOf(**user, address);
    const auto since = secrets::SecondsBetween((*found)->last_used_at, now);
    if (!since || *since >= kTouchSeconds) used = **found;
  }
  if (used) {
    // The last use, and a line in the audit log, at most once a minute per token.
    auto tx = store_->BeginWrite();
    if (!tx) return tl::unexpected(tx.error());
    used->last_used_at = now;
    if (auto ok = (*tx)->Update(*used); !ok) return tl::unexpected(ok.error());
    if (auto ok = Audit(**tx, now, "token_used", *caller, used->name, {{"token_id", used->id}});
        !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
  }
  return caller;
}

Result<Json> App::CreateToken(const Json& body, const Caller& caller) {
  if (auto ok = access::RequireSignedIn(caller, "create API tokens"); !ok) {
    return tl::unexpected(ok.error());
  }
  std::string name;
  std::int64_t days = 365;
  std::optional<std::string> user_name;
  json_read::ObjectReader reader(body, DecodeMode::kCreate, "");
  reader.Required("name", name).Optional("expires_in_days", days).Optional("user", user_name);
  if (auto ok = reader.Finish(); !ok) return tl::unexpected(ok.error());
  if (name.empty() || name.size() > 100) {
    return Fail(ErrorCode::kInvalidValue, "/name must be 1–100 characters", {{"field", "/name"}});
  }
  if (days < 1 || days > 3650) {
    return Fail(ErrorCode::kInvalidValue, "/expires_in_days must be between 1 and 3650",
                {{"field", "/expires_in_days"}});
  }
  if (user_name && !caller.is_operator) {
    return Fail(ErrorCode::kForbidden,
                "/user: only the operator creates tokens for another user; yours act as you",
                {{"field", "/user"}});
  }
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  Id user_id = caller.user_id;
  if (user_name) {
    auto found = t.FindUserByLogin(*user_name);
    if (!found) return tl::unexpected(found.error());
    if (!*found) {
      return Fail(ErrorCode::kNotFound, fmt::format("no user \"{}\"", *user_name),
                  {{"entity", "user"}, {"name", *user_name}});
    }
    user_id = (*found)->id;
  }
  if (user_id == 0) {
    return Fail(ErrorCode::kMissingField, "/user is required: the user the token acts as",
                {{"field", "/user"}});
  }
  const auto now = now_();
  const std::string secret = std::string(kTokenPrefix) + secrets::RandomToken(32);
  ApiTokenRecord token{0,
                       user_id,
                       name,
                       secrets::Sha256Hex(secret),
                       secret.substr(0, 10),
                       now,
                       secrets::ShiftUtc(now, days * 86400).value_or(""),
                       "",
                       false};
  auto id = t.Insert(token);
  if (!id) return tl::unexpected(id.error());
  token.id = *id;
  if (auto ok = Audit(t, now, "token_created", caller, name,
                      {{"token_id", token.id}, {"user_id", user_id}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = t.Commit(); !ok) return tl::unexpected(ok.error());
  Json out = TokenJson(token);
  out["token"] = secret;
  return out;
}

Result<Json> App::ListTokens(const std::string& user, const Caller& caller) {
  if (auto ok = access::RequireSignedIn(caller, "list API tokens"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  Id user_id = caller.user_id;
  if (!user.empty()) {
    if (!caller.Has(Role::kAdmin)) {
      return Fail(ErrorCode::kForbidden, "only admins list another user's tokens");
    }
    auto found = (*tx)->FindUserByLogin(user);
    if (!found) return tl::unexpected(found.error());
    if (!*found) {
      return Fail(ErrorCode::kNotFound, fmt::format("no user \"{}\"", user),
                  {{"entity", "user"}, {"name", user}});
    }
    user_id = (*found)->id;
  }
  auto tokens = (*tx)->ApiTokens(user_id);
  if (!tokens) return tl::unexpected(tokens.error());
  Json items = Json::array();
  for (const auto& token : *tokens) items.push_back(TokenJson(token));
  const auto total = static_cast<std::int64_t>(items.size());
  return Json{{"items", std::move(items)}, {"total", total}};
}

Result<Json> App::RevokeToken(Id id, const Caller& caller) {
  if (auto ok = access::RequireSignedIn(caller, "revoke API tokens"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto tx = store_->BeginWrite();
  if (!tx) return tl::unexpected(tx.error());
  Transaction& t = **tx;
  auto token = t.FindApiToken(id);
  if (!token) return tl::unexpected(token.error());
  if (!*token || ((*token)->user_id != caller.user_id && !caller.Has(Role::kAdmin))) {
    return Fail(ErrorCode::kNotFound, fmt::format("no token {} of yours", id),
                {{"entity", "token"}, {"id", id}});
  }
  if (!(*token)->revoked) {
    (*token)->revoked = true;
    if (auto ok = t.Update(**token); !ok) return tl::unexpected(ok.error());
    if (auto ok = Audit(t, now_(), "token_revoked", caller, (*token)->name, {{"token_id", id}});
        !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = t.Commit(); !ok) return tl::unexpected(ok.error());
  }
  return TokenJson(**token);
}

Result<Json> App::AuditLog(const std::string& event, const PageRequest& page,
                           const Caller& caller) {
  if (auto ok = access::RequireRole(caller, {Role::kAdmin}, "read the audit log"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto tx = store_->BeginRead();
  if (!tx) return tl::unexpected(tx.error());
  auto records = (*tx)->Audit(event, page);
  if (!records) return tl::unexpected(records.error());
  Json items = Json::array();
  for (const auto& record : records->items) {
    items.push_back(Json{{"id", record.id},
                         {"at", record.at},
                         {"event", record.event},
                         {"user", record.user},
                         {"subject", record.subject},
                         {"address", record.address},
                         {"details", Json::parse(record.details, nullptr, false)}});
  }
  return Json{{"items", std::move(items)},
              {"total", records->total},
              {"limit", page.limit},
              {"offset", page.offset}};
}

}  // namespace halsonav
