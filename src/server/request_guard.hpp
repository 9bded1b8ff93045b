#pragma once

// Private to the server: who a request acts as, and the checks every request passes before a
// route sees it (issue 15; docs/SECURITY.md):
//   - the caller, from the session cookie or a personal API token (Authorization: Bearer);
//     an anonymous visitor otherwise;
//   - the Host allow-list (--public-url's host and the listen address), against DNS rebinding;
//   - unsafe methods: a foreign Origin or Sec-Fetch-Site: cross-site is refused, and one that
//     rides on the session cookie must carry the session's CSRF token in X-CSRF-Token;
//   - with public reading off, a visitor who is not signed in reads nothing but who they are
//     (GET /session) and the API's contract;
//   - the security headers of every answer.

#include <string>
#include <vector>

#include <httplib.h>

#include "app/app.hpp"

namespace halsonav::http {

inline constexpr std::string_view kSessionCookie = "halsonav_session";

struct GuardConfig {
  std::vector<std::string> hosts;  // allowed Host values ("127.0.0.1:8080", "halsonav.example")
  std::string origin;              // the public origin ("https://halsonav.example"), may be empty
  bool secure_cookie = false;      // the public URL is https
  bool public_read = true;         // false: visitors who are not signed in read nothing either
  // Addresses of reverse proxies whose X-Forwarded-For is believed (docs/SECURITY.md).
  std::vector<std::string> trusted_proxies;
};

// The allowed Host values for a server listening on `host`:`port` with `public_url`.
GuardConfig MakeGuardConfig(const std::string& host, int port, const std::string& public_url);

struct RequestIdentity {
  Caller caller;
  std::string session_secret;  // the cookie's value when it names a live session
  std::string csrf_token;      // that session's
};

// The client's address: the connection's peer, or, when that is a trusted proxy, the right-most
// address in X-Forwarded-For that is not itself a trusted proxy (an address the client wrote
// further left is not believed). A malformed entry is not believed either: the peer's address.
std::string ClientAddress(const GuardConfig& config, const httplib::Request& req);

// The caller of a request, or the error to answer with (an unknown bearer token, a refused
// origin, a missing CSRF token, a Host not served here, a database failure).
Result<RequestIdentity> Identify(App& app, const GuardConfig& config, const httplib::Request& req);

// Content-Security-Policy, nosniff, frame-ancestors, Referrer-Policy, and HSTS when the public
// URL is https.
void SetSecurityHeaders(const GuardConfig& config, httplib::Response& res);

// The Set-Cookie value that stores `secret` (empty: one that clears the cookie).
std::string SessionCookie(const GuardConfig& config, const std::string& secret);

}  // namespace halsonav::http
