#pragma once

// The HTTP face of Hälsonav: JSON under /api/v1, /healthz, and the OpenAPI document. It sees
// only the App facade. Every error answers with the body {"error": {"code", "message",
// "details"}}; an unexpected exception answers 500 with an id that is also logged.

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "app/app.hpp"

namespace halsonav {

struct ServerConfig {
  std::string host = "127.0.0.1";         // address to listen on
  int port = 8080;                        // 0: any free port (tests)
  int threads = 48;                       // worker threads: one per open connection
  std::size_t max_body_bytes = 64 << 20;  // larger request bodies get 413 (statistics files)
  int keep_alive_seconds = 2;             // idle keep-alive connections are closed after this
  int request_seconds = 30;  // a request's headers must arrive within this, and its body within
                             // this plus a second per 16 KiB received (slowloris)
  std::string web_root;      // the built web application (web/dist); empty: only the API
  // The URL people reach the server by ("https://halsonav.region.se"), when it is not the listen
  // address (behind a proxy): its host is allowed in Host, its origin in Origin, and https makes
  // the session cookie Secure and adds HSTS (docs/SECURITY.md).
  std::string public_url;
  // False: visitors who are not signed in read nothing (GET answers 401) but GET /session and the
  // OpenAPI document.
  bool public_read = true;
  int max_fetches = 2;  // fetch jobs running at once (POST /fetches beyond it: 503 unavailable)
  // Reverse proxies (their addresses as the connection shows them) whose X-Forwarded-For names the
  // client: sign-in throttling and the audit log then see the client, not the proxy.
  std::vector<std::string> trusted_proxies;
};

class HttpServer {
 public:
  HttpServer(App& app, ServerConfig config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the socket; returns the port (the chosen one when config.port is 0).
  Result<int> Bind();
  // Serves until Stop(); blocks.
  void Run();
  // Thread-safe; makes Run() return.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3.1 document (src/server/openapi.json), embedded at build time.
const std::string& OpenApiDocument();

}  // namespace halsonav
