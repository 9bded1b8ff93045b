#include "net/http_client.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <thread>

#include <fmt/format.h>

namespace halsonav::net {
namespace {

constexpr std::size_t kSnippet = 160;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The first printable characters of a body, on one line, for a message; an HTML page's <title>
// when it has one.
std::string Snippet(std::string_view body) {
  const auto lower = Lower(body.substr(0, 4096));
  if (const auto open = lower.find("<title>"); open != std::string::npos) {
    const auto close = lower.find("</title>", open);
    if (close != std::string::npos) {
      return fmt::format("\"{}\"", body.substr(open + 7, std::min(close - open - 7, kSnippet)));
    }
  }
  std::string out;
  for (const char c : body.substr(0, kSnippet)) out += (c == '\n' || c == '\r') ? ' ' : c;
  return fmt::format("\"{}{}\"", out, body.size() > kSnippet ? "…" : "");
}

// What went wrong on the line, in words.
std::string Describe(httplib::Error error, const HttpOptions& options) {
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect (is the address right, and the service up?)";
    case httplib::Error::ConnectionTimeout:
      return fmt::format("no connection within {} s", options.connect_timeout_s);
    case httplib::Error::Read:
      return fmt::format(
          "the answer stopped: nothing arrived for {} s, or the connection closed before the "
          "whole body came",
          options.read_timeout_s);
    case httplib::Error::Write:
      return "the connection closed while the request was sent";
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLServerVerification:
    case httplib::Error::SSLLoadingCerts:
      return fmt::format("the secure connection failed ({})", httplib::to_string(error));
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    default:
      break;
  }
  return fmt::format("the request failed ({})", httplib::to_string(error));
}

bool LooksLikeJson(const httplib::Response& response) {
  const auto type = Lower(response.get_header_value("Content-Type"));
  if (type.find("json") != std::string::npos) return true;
  if (!type.empty() && type.find("text/plain") == std::string::npos) return false;
  for (const char c : response.body) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) continue;
    return c == '{' || c == '[';
  }
  return false;
}

// Retry-After in seconds (the HTTP-date form is not used by the services: -1).
double RetryAfter(const httplib::Response& response) {
  const auto value = response.get_header_value("Retry-After");
  if (value.empty()) return -1;
  char* end = nullptr;
  const double seconds = std::strtod(value.c_str(), &end);
  if (end == value.c_str() || *end != '\0' || !std::isfinite(seconds) || seconds < 0) return -1;
  return seconds;
}

std::string_view Reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      break;
  }
  return "";
}

}  // namespace

Result<SplitUrl> SplitHttpUrl(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto scheme = scheme_end == std::string_view::npos ? "" : Lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return Fail(ErrorCode::kInvalidValue,
                fmt::format("\"{}\" is not an http:// or https:// address", url));
  }
  const auto host_begin = scheme_end + 3;
  const auto path_begin = url.find_first_of("/?", host_begin);
  const auto origin = url.substr(0, path_begin);
  if (origin.size() <= host_begin) {
    return Fail(ErrorCode::kInvalidValue, fmt::format("\"{}\" names no host", url));
  }
  std::string target =
      path_begin == std::string_view::npos ? "/" : std::string(url.substr(path_begin));
  if (target.front() == '?') target = fmt::format("/{}", target);
  return SplitUrl{std::string(origin), std::move(target)};
}

// One client (and so one kept-alive connection) per origin.
struct HttpClient::Connections {
  std::map<std::string, std::unique_ptr<httplib::Client>> by_origin;
};

HttpClient::HttpClient(HttpOptions options)
    : options_(std::move(options)), connections_(std::make_unique<Connections>()) {}

HttpClient::~HttpClient() = default;

void HttpClient::SetRateLimit(int calls, double window_s) {
  max_calls_ = calls;
  window_s_ = window_s;
}

void HttpClient::Sleep(double seconds) {
  if (seconds <= 0) return;
  const std::chrono::duration<double> wait(seconds);
  if (options_.sleep) {
    options_.sleep(wait);
  } else {
    std::this_thread::sleep_for(wait);
  }
}

void HttpClient::KeepToRateLimit() {
  if (max_calls_ <= 0 || window_s_ <= 0) return;
  const std::chrono::duration<double> window(window_s_);
  auto now = std::chrono::steady_clock::now();
  while (!calls_.empty() && now - calls_.front() >= window) calls_.pop_front();
  if (static_cast<int>(calls_.size()) >= max_calls_) {
    // A little more than the window, so that the server's own clock agrees.
    const std::chrono::duration<double> wait = calls_.front() + window - now;
    Sleep(wait.count() + 0.05);
    now = std::chrono::steady_clock::now();
    calls_.pop_front();
  }
  calls_.push_back(now);
}

Result<std::string> HttpClient::GetJson(const std::string& url) { return Send(url, nullptr); }

Result<std::string> HttpClient::PostJson(const std::string& url, const std::string& body) {
  return Send(url, &body);
}

Result<std::string> HttpClient::Send(const std::string& url, const std::string* body) {
  auto split = SplitHttpUrl(url);
  if (!split) return tl::unexpected(split.error());
  auto& client = connections_->by_origin[split->origin];
  if (!client) {
    client = std::make_unique<httplib::Client>(split->origin);
    const auto seconds = [](double value) {
      return std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::duration<double>(value));
    };
    client->set_connection_timeout(seconds(options_.connect_timeout_s));
    client->set_read_timeout(seconds(options_.read_timeout_s));
    client->set_write_timeout(seconds(options_.read_timeout_s));
    client->set_follow_location(true);
    // The callers build their URLs already encoded (PxWeb v2's "valueCodes%5BKon%5D=1%2B2").
    client->set_url_encode(false);
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    client->set_default_headers({{"User-Agent", options_.user_agent},
                                 {"Accept", "application/json, application/json-stat+json"}});
  }
  const auto fail = [&](const std::string& what, int status = 0) {
    return Fail(ErrorCode::kUpstream,
                fmt::format("{} {}: {}", body == nullptr ? "GET" : "POST", url, what),
                {{"url", url}, {"status", status}});
  };
  double backoff = options_.first_backoff_s;
  for (int attempt = 0;; ++attempt) {
    KeepToRateLimit();
    ++requests_;
    auto result = body == nullptr ? client->Get(split->target)
                                  : client->Post(split->target, *body, "application/json");
    const bool last = attempt >= options_.retries;
    if (!result) {
      // A time-out or a closed line: tried once more (a busy service drops lines too), not
      // `retries` times, so that a stalled service ends after two read time-outs.
      client->stop();
      if (last || attempt >= 1 || result.error() == httplib::Error::Connection) {
        return fail(Describe(result.error(), options_));
      }
      Sleep(std::min(backoff, options_.max_wait_s));
      backoff *= 2;
      continue;
    }
    const auto& response = *result;
    bytes_ += response.body.size();
    const int status = response.status;
    if (status == 429 || status >= 500) {
      const double asked = status == 429 ? RetryAfter(response) : -1;
      if (asked > options_.max_wait_s) {
        return fail(fmt::format("answered {} and asks to wait {} s (more than the {} s this "
                                "fetch waits): try again later",
                                status, asked, options_.max_wait_s),
                    status);
      }
      if (last) {
        return fail(fmt::format("answered {} {} {} times in a row; giving up", status,
                                Reason(status), attempt + 1),
                    status);
      }
      Sleep(asked >= 0 ? asked : std::min(backoff, options_.max_wait_s));
      backoff *= 2;
      continue;
    }
    if (status != 200) {
      return fail(fmt::format("answered {} {}: {}", status, Reason(status), Snippet(response.body)),
                  status);
    }
    if (!LooksLikeJson(response)) {
      const auto type = response.get_header_value("Content-Type");
      return fail(fmt::format("answered {} instead of JSON: {}", type.empty() ? "text" : type,
                              Snippet(response.body)),
                  status);
    }
    return std::move(result->body);
  }
}

}  // namespace halsonav::net
