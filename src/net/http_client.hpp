#pragma once

// A small HTTP client for the statistics services (Kolada, PxWeb): GET and POST of JSON over
// http or https (cpp-httplib, built with OpenSSL in Debian), with time-outs, bounded retries of
// 429 and 5xx answers, a call-rate limit and checks that the answer is whole JSON. Every failure
// is a value (ErrorCode::kUpstream) whose message names the URL and what happened, so that a
// user can tell a stalled connection from a missing page or an HTML error page.
//
// Not thread-safe: one client per fetch.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace halsonav::net {

struct HttpOptions {
  double connect_timeout_s = 10;  // giving up on a connection that is not accepted
  double read_timeout_s = 30;     // giving up on an answer that stops arriving (a stalled server)
  int retries = 4;  // further tries after a 429 or 5xx answer (a dropped line or a time-out: one)
  double first_backoff_s = 1;  // the wait before the first retry; doubled for each next one
  double max_wait_s = 60;      // the longest wait honoured (Retry-After or back-off)
  std::string user_agent = "halsonav";
  // Waits (tests and benchmarks replace it); default: std::this_thread::sleep_for.
  std::function<void(std::chrono::duration<double>)> sleep;
};

// A URL split into what cpp-httplib wants: "http://host:port" and "/path?query".
struct SplitUrl {
  std::string origin;
  std::string target;
};
// kInvalidValue unless the URL is http:// or https:// with a host.
Result<SplitUrl> SplitHttpUrl(std::string_view url);

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // At most `calls` requests in any `window_s` seconds (0: no limit); waits when needed.
  void SetRateLimit(int calls, double window_s);

  // The body of a 200 answer that is JSON (by its Content-Type, or by its first character when
  // the type is missing). kUpstream for: no connection, a time-out, a body cut short, an HTML
  // answer, any other status (after the retries for 429 and 5xx); the message names the URL.
  Result<std::string> GetJson(const std::string& url);
  // The same for a POST of a JSON body.
  Result<std::string> PostJson(const std::string& url, const std::string& body);

  std::uint64_t Requests() const { return requests_; }
  std::uint64_t BytesReceived() const { return bytes_; }

 private:
  Result<std::string> Send(const std::string& url, const std::string* body);
  void KeepToRateLimit();
  void Sleep(double seconds);

  struct Connections;
  HttpOptions options_;
  std::unique_ptr<Connections> connections_;
  int max_calls_ = 0;
  double window_s_ = 0;
  std::deque<std::chrono::steady_clock::time_point> calls_;
  std::uint64_t requests_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace halsonav::net
