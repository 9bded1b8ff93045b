#include "server/request_guard.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "app/passwords.hpp"
#include "core/text.hpp"

namespace halsonav::http {
namespace {

bool IsUnsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// The value of one cookie in the Cookie header(s); "" when absent.
std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const auto count = req.get_header_value_count("Cookie");
  for (std::size_t i = 0; i < count; ++i) {
    const std::string value = req.get_header_value("Cookie", i);
    std::string_view header = value;
    while (!header.empty()) {
      const auto end = header.find(';');
      auto item = header.substr(0, end);
      header.remove_prefix(end == std::string_view::npos ? header.size() : end + 1);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      const auto equals = item.find('=');
      if (equals != std::string_view::npos && item.substr(0, equals) == name) {
        return std::string(item.substr(equals + 1));
      }
    }
  }
  return "";
}

// "scheme://host[:port]" of a URL, lower-cased; "" when it is not one.
std::string OriginOf(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  const auto host_end = url.find('/', scheme_end + 3);
  return LowerCase(url.substr(0, host_end));
}

std::string HostOf(std::string_view origin) {
  const auto scheme_end = origin.find("://");
  return scheme_end == std::string_view::npos ? std::string(origin)
                                              : std::string(origin.substr(scheme_end + 3));
}

bool HostAllowed(const GuardConfig& config, const std::string& host) {
  const auto lower = LowerCase(host);
  return std::find(config.hosts.begin(), config.hosts.end(), lower) != config.hosts.end();
}

tl::unexpected<Error> Refuse(std::string message, std::string reason) {
  return Fail(ErrorCode::kForbidden, std::move(message), {{"reason", std::move(reason)}});
}

// A foreign Origin or a cross-site fetch may not change anything.
Result<void> CheckOrigin(const GuardConfig& config, const httplib::Request& req) {
  if (req.get_header_value("Sec-Fetch-Site") == "cross-site") {
    return Refuse("a request from another site may not change anything here", "cross_site");
  }
  if (!req.has_header("Origin")) return {};
  const auto origin = req.get_header_value("Origin");
  const auto own = OriginOf(origin);
  const bool same = (!config.origin.empty() && own == config.origin) ||
                    (!own.empty() && HostAllowed(config, HostOf(own)) &&
                     LowerCase(HostOf(own)) == LowerCase(req.get_header_value("Host")));
  if (!same) {
    return Refuse(fmt::format("requests from {} may not change anything here", origin),
                  "foreign_origin");
  }
  return {};
}

// A visitor who is not signed in: refused outright when public reading is off, except for
// asking who they are, signing in and out, and the API's contract. Changes are refused later, by
// app, with the operation's own message.
Result<RequestIdentity> Visitor(const GuardConfig& config, const httplib::Request& req,
                                RequestIdentity identity) {
  if (config.public_read || IsUnsafe(req.method) || req.path == "/api/v1/session" ||
      req.path == "/api/v1/openapi.json") {
    return identity;
  }
  return Fail(ErrorCode::kUnauthenticated,
              "this server answers only signed-in users: POST /api/v1/session, or send a "
              "personal API token as Authorization: Bearer");
}

}  // namespace

std::string ClientAddress(const GuardConfig& config, const httplib::Request& req) {
  const auto trusted = [&](const std::string& address) {
    return std::find(config.trusted_proxies.begin(), config.trusted_proxies.end(), address) !=
           config.trusted_proxies.end();
  };
  if (!trusted(req.remote_addr)) return req.remote_addr;
  // Every X-Forwarded-For line, in order, as one comma-separated list.
  std::vector<std::string> hops;
  const auto lines = req.get_header_value_count("X-Forwarded-For");
  for (std::size_t line = 0; line < lines; ++line) {
    const std::string value = req.get_header_value("X-Forwarded-For", line);
    std::size_t start = 0;
    while (start <= value.size()) {
      const auto comma = value.find(',', start);
      const auto end = comma == std::string::npos ? value.size() : comma;
      hops.push_back(
          std::string(TrimWhitespace(std::string_view(value).substr(start, end - start))));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (trusted(*hop)) continue;
    return IsIpAddress(*hop) ? *hop : req.remote_addr;
  }
  return req.remote_addr;
}

GuardConfig MakeGuardConfig(const std::string& host, int port, const std::string& public_url) {
  GuardConfig config;
  const auto add = [&](const std::string& name) {
    config.hosts.push_back(LowerCase(fmt::format("{}:{}", name, port)));
    if (port == 80 || port == 443) config.hosts.push_back(LowerCase(name));
  };
  add(host.find(':') != std::string::npos ? "[" + host + "]" : host);
  if (host == "127.0.0.1" || host == "::1" || host == "localhost" || host == "0.0.0.0") {
    add("127.0.0.1");
    add("localhost");
    add("[::1]");
  }
  if (!public_url.empty()) {
    config.origin = OriginOf(public_url);
    config.hosts.push_back(LowerCase(HostOf(config.origin)));
    config.secure_cookie = config.origin.starts_with("https://");
  }
  return config;
}

Result<RequestIdentity> Identify(App& app, const GuardConfig& config, const httplib::Request& req) {
  const auto host = req.get_header_value("Host");
  if (!HostAllowed(config, host)) {
    return Fail(ErrorCode::kBadRequest,
                fmt::format("Host \"{}\" is not served here; start the server with --public-url "
                            "for the name it is reached by",
                            host),
                {{"host", host}});
  }
  RequestIdentity identity;
  const std::string address = ClientAddress(config, req);
  identity.caller = Caller::Anonymous(address);
  const bool unsafe = IsUnsafe(req.method);
  if (unsafe) {
    if (auto ok = CheckOrigin(config, req); !ok) return tl::unexpected(ok.error());
  }
  const auto authorization = req.get_header_value("Authorization");
  if (!authorization.empty()) {
    if (!authorization.starts_with("Bearer ")) {
      return Fail(ErrorCode::kUnauthenticated,
                  "Authorization must be \"Bearer\" with a personal API token");
    }
    auto caller = app.ResolveToken(authorization.substr(7), address);
    if (!caller) return tl::unexpected(caller.error());
    if (!*caller) {
      return Fail(ErrorCode::kUnauthenticated, "the API token is unknown, revoked or expired");
    }
    identity.caller = std::move(**caller);
    return identity;  // a token is not sent by browsers on their own: no CSRF check
  }
  const auto secret = CookieValue(req, kSessionCookie);
  if (secret.empty()) return Visitor(config, req, std::move(identity));
  auto session = app.ResolveSession(secret, address);
  if (!session) return tl::unexpected(session.error());
  if (!*session) return Visitor(config, req, std::move(identity));  // ended: a visitor again
  if (unsafe && !(req.method == "POST" && req.path == "/api/v1/session")) {
    const auto sent = req.get_header_value("X-CSRF-Token");
    if (sent.empty() || !secrets::SameSecret(sent, (*session)->csrf_token)) {
      return Refuse(
          "X-CSRF-Token must carry the token of GET /api/v1/session for a change made "
          "with the session cookie",
          "csrf");
    }
  }
  identity.caller = std::move((*session)->caller);
  identity.session_secret = secret;
  identity.csrf_token = std::move((*session)->csrf_token);
  return identity;
}

void SetSecurityHeaders(const GuardConfig& config, httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                 "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  if (config.secure_cookie) {
    res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
}

std::string SessionCookie(const GuardConfig& config, const std::string& secret) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax{}{}", kSessionCookie, secret,
                     config.secure_cookie ? "; Secure" : "", secret.empty() ? "; Max-Age=0" : "");
}

}  // namespace halsonav::http
