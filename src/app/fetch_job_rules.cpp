// The rules of fetch jobs' liveness (fetch_job_rules.hpp).

#include "app/fetch_job_rules.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <ctime>
#include <random>

#include <fmt/format.h>
#include <unistd.h>

namespace halsonav {

std::string ThisHost() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

std::string NewFetchOwner() {
  std::random_device random;
  return fmt::format("{}:{}:{:08x}", ThisHost(), static_cast<std::int64_t>(getpid()), random());
}

bool ProcessExists(std::int64_t pid) {
  if (pid <= 0) return false;
  // EPERM: it exists, owned by another user.
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool IsUnfinishedFetchState(std::string_view state) {
  return state == "queued" || state == "running" || state == "importing";
}

std::optional<std::int64_t> UtcSeconds(std::string_view text) {
  std::tm parts{};
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  const auto number = [&](std::size_t at, std::size_t length, int& out) {
    const auto* first = text.data() + at;
    const auto [end, error] = std::from_chars(first, first + length, out);
    return error == std::errc() && end == first + length;
  };
  if (!number(0, 4, parts.tm_year) || !number(5, 2, parts.tm_mon) || !number(8, 2, parts.tm_mday) ||
      !number(11, 2, parts.tm_hour) || !number(14, 2, parts.tm_min) ||
      !number(17, 2, parts.tm_sec)) {
    return std::nullopt;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&parts));
}

namespace {

// The PID of an owner "HOST:PID:NONCE" on `host`; nullopt for another host's or a malformed one.
std::optional<std::int64_t> LocalPid(std::string_view owner, std::string_view host) {
  const auto last = owner.rfind(':');
  if (last == std::string_view::npos) return std::nullopt;
  const auto middle = owner.rfind(':', last == 0 ? 0 : last - 1);
  if (middle == std::string_view::npos || owner.substr(0, middle) != host) return std::nullopt;
  std::int64_t pid = 0;
  const auto digits = owner.substr(middle + 1, last - middle - 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return pid;
}

}  // namespace

std::optional<Error> LostFetchJob(const FetchJobRecord& job, std::string_view now,
                                  const FetchJobOptions& options, std::string_view host,
                                  const std::function<bool(std::int64_t)>& process_exists) {
  if (!IsUnfinishedFetchState(job.state)) return std::nullopt;
  const Json details{{"owner", job.owner}, {"heartbeat_at", job.heartbeat_at}};
  const auto lost = [&](std::string_view reason, std::string message) {
    Error error{ErrorCode::kInterrupted, std::move(message), details};
    error.details["reason"] = reason;
    return error;
  };
  if (const auto pid = LocalPid(job.owner, host); pid && !process_exists(*pid)) {
    return lost("process_gone",
                fmt::format("the server stopped while fetching: its process ({}) has ended; "
                            "nothing was stored, start the fetch again",
                            job.owner));
  }
  const auto beat = UtcSeconds(job.heartbeat_at);
  const auto at = UtcSeconds(now);
  if (!beat || !at) return std::nullopt;
  const double limit = job.state == "importing" ? options.stale_importing_s : options.stale_after_s;
  if (static_cast<double>(*at - *beat) <= limit) return std::nullopt;
  return lost("heartbeat_stale",
              fmt::format("the server stopped while fetching: no sign of life since {} (more than "
                          "{} s); nothing was stored, start the fetch again",
                          job.heartbeat_at, limit));
}

}  // namespace halsonav
