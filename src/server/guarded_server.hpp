#pragma once

// httplib's server with the limits a server on a shared network needs (issue 15, item 8):
// - a bounded work queue: when every worker is busy and `queue_limit` connections already wait,
//   a new connection is answered 503 `unavailable` with Retry-After (by a separate thread, so
//   the accepting thread never waits) and closed;
// - a time limit for a whole request's headers and body (`request_seconds`, and for a body
//   another second per `min_body_rate` bytes received, so that a large upload on a slow link
//   goes through while a trickle does not hold a worker), not only between
//   two reads as httplib's read timeout, so a client sending a byte every few seconds
//   (slowloris) cannot hold a worker; while connections wait for a worker, a request whose
//   headers are not complete after `pressed_header_ms` is cut, so slow clients cannot starve
//   fast ones;
// - a way for a handler to close the connection after its answer (a body refused half-read
//   must not be parsed as the next request).
// Thread safety: the hooks are called on the worker serving the connection.

#include <chrono>
#include <cstddef>
#include <memory>

#include <httplib.h>

namespace halsonav::http {

struct ConnectionLimits {
  std::size_t threads = 48;                 // workers: one per open connection
  std::size_t queue_limit = 96;             // connections waiting for a worker before 503
  int request_seconds = 30;                 // headers of one request, in all; and its body ...
  std::size_t min_body_rate = 16 << 10;     // ... plus a second for each 16 KiB of it received
  int pressed_header_ms = 1000;             // headers, while connections wait for a worker
  int retry_after_seconds = 1;              // Retry-After of the 503
  std::size_t max_header_bytes = 64 << 10;  // request line and headers, in all
};

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);
  ~GuardedServer() override;

  // Called by the pre-routing handler: the headers are read, the body (if any) comes next.
  static void HeadersRead();
  // Closes the connection after the current response (and says so in its headers). With
  // `discard_bytes`, the client's body (declared, not yet read) is first read and thrown away up
  // to that many bytes, for a few seconds at most, so that a client that sends its whole body
  // before reading the answer (most do) sees the answer rather than a reset connection.
  // The counters and threads the connections share (guarded_server.cpp).
  struct State;

  static void CloseAfterResponse(const httplib::Request& req, std::size_t discard_bytes = 0);

 private:
  bool process_and_close_socket(socket_t sock) override;

  ConnectionLimits limits_;
  std::shared_ptr<State> state_;
};

}  // namespace halsonav::http
