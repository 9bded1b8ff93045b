#include "server/account_routes.hpp"

#include <charconv>

#include <fmt/format.h>

#include "server/query_params.hpp"

namespace halsonav::http {
namespace {

Result<Json> JsonBody(const httplib::Request& req) {
  if (auto ok = RequireMediaType(req, "application/json"); !ok) return tl::unexpected(ok.error());
  return ParseJson(req.body);
}

std::optional<Id> IdOf(std::string_view text) {
  Id value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

void Session(App& app, const GuardConfig& config, const httplib::Request& req,
             httplib::Response& res, const RequestIdentity& identity) {
  if (req.method == "POST") {
    auto body = JsonBody(req);
    if (!body) return SendError(res, body.error());
    auto grant = app.SignIn(*body, identity.caller.address);
    if (!grant) {
      if (grant.error().code == ErrorCode::kTooManyRequests) {
        res.set_header("Retry-After",
                       fmt::format("{}", grant.error().details.value("retry_after", 1)));
      }
      return SendError(res, grant.error());
    }
    res.set_header("Set-Cookie", SessionCookie(config, grant->secret));
    res.set_header("Cache-Control", "no-store");
    return SendJson(res, 201, grant->session);
  }
  if (identity.session_secret.empty()) {
    if (req.method == "DELETE") {  // signing out twice changes nothing
      res.set_header("Set-Cookie", SessionCookie(config, ""));
      res.status = 204;
      return;
    }
    // A visitor asking who they are is told, not refused: the web application asks on every load.
    res.set_header("Cache-Control", "no-store");
    return SendJson(res, 200, Json{{"signed_in", false}});
  }
  if (req.method == "DELETE") {
    if (auto ok = app.SignOut(identity.session_secret, identity.caller); !ok) {
      return SendError(res, ok.error());
    }
    res.set_header("Set-Cookie", SessionCookie(config, ""));
    res.status = 204;
    return;
  }
  auto view = app.ResolveSession(identity.session_secret, identity.caller.address, true);
  if (!view) return SendError(res, view.error());
  if (!*view) return SendJson(res, 200, Json{{"signed_in", false}});
  res.set_header("Cache-Control", "no-store");
  SendJson(res, 200, (*view)->session);
}

void Users(App& app, const httplib::Request& req, httplib::Response& res,
           const std::vector<std::string_view>& rest, const Caller& caller,
           const std::function<bool(const Allowed&)>& route) {
  if (rest.size() == 1) {
    if (!route({{"GET", "POST"}})) return;
    if (req.method == "GET") return SendResult(res, app.ListUsers(caller));
    auto body = JsonBody(req);
    if (!body) return SendError(res, body.error());
    auto user = app.AddUser(*body, caller);
    if (user) res.set_header("Location", fmt::format("/api/v1/users/{}", (*user)["id"].get<Id>()));
    res.set_header("Cache-Control", "no-store");
    return SendResult(res, user, 201);
  }
  const auto id = IdOf(rest[1]);
  if (!id || rest.size() > 3) return SendError(res, NotFound(req.path).value());
  if (rest.size() == 3) {
    if (rest[2] != "reset-password") return SendError(res, NotFound(req.path).value());
    if (!route({{"POST"}})) return;
    res.set_header("Cache-Control", "no-store");
    return SendResult(res, app.ResetPassword(*id, caller));
  }
  if (!route({{"PATCH"}})) return;
  auto body = JsonBody(req);
  if (!body) return SendError(res, body.error());
  SendResult(res, app.UpdateUser(*id, *body, caller));
}

void Tokens(App& app, const httplib::Request& req, httplib::Response& res,
            const std::vector<std::string_view>& rest, const Caller& caller,
            const std::function<bool(const Allowed&)>& route) {
  if (rest.size() == 1) {
    if (!route({{"GET", "POST"}})) return;
    if (req.method == "GET") {
      QueryParams params(req.params, {"user"});
      const auto user = params.Text("user").value_or("");
      if (auto ok = params.Finish(); !ok) return SendError(res, ok.error());
      return SendResult(res, app.ListTokens(user, caller));
    }
    auto body = JsonBody(req);
    if (!body) return SendError(res, body.error());
    auto token = app.CreateToken(*body, caller);
    if (token) {
      res.set_header("Location", fmt::format("/api/v1/tokens/{}", (*token)["id"].get<Id>()));
    }
    res.set_header("Cache-Control", "no-store");
    return SendResult(res, token, 201);
  }
  const auto id = IdOf(rest[1]);
  if (!id || rest.size() != 2) return SendError(res, NotFound(req.path).value());
  if (!route({{"DELETE"}})) return;
  SendResult(res, app.RevokeToken(*id, caller));
}

}  // namespace

bool DispatchAccounts(App& app, const GuardConfig& config, const httplib::Request& req,
                      httplib::Response& res, const std::vector<std::string_view>& rest,
                      const RequestIdentity& identity,
                      const std::function<bool(const Allowed&)>& route) {
  const Caller& caller = identity.caller;
  if (rest[0] == "session") {
    if (rest.size() == 1) {
      if (route({{"GET", "POST", "DELETE"}})) Session(app, config, req, res, identity);
      return true;
    }
    if (rest.size() == 2 && rest[1] == "password") {
      if (!route({{"PUT"}})) return true;
      auto body = JsonBody(req);
      if (!body) return SendError(res, body.error()), true;
      SendResult(res, app.ChangeOwnPassword(*body, caller, identity.session_secret));
      return true;
    }
    SendError(res, NotFound(req.path).value());
    return true;
  }
  if (rest[0] == "users") {
    Users(app, req, res, rest, caller, route);
    return true;
  }
  if (rest[0] == "tokens") {
    Tokens(app, req, res, rest, caller, route);
    return true;
  }
  if (rest[0] == "audit" && rest.size() == 1) {
    if (!route({{"GET"}})) return true;
    QueryParams params(req.params, {"event"});
    const auto page = params.Page();
    const auto event = params.Text("event").value_or("");
    if (auto ok = params.Finish(); !ok) return SendError(res, ok.error()), true;
    SendResult(res, app.AuditLog(event, page, caller));
    return true;
  }
  return false;
}

}  // namespace halsonav::http
