#pragma once

// The rules by which a fetch job's readers tell a job that is still running from one whose
// process has gone (docs/api.md, "Fetches"). A job is run by one server process, its owner,
// named "HOST:PID:NONCE"; while the job runs, the owner writes the job's heartbeat every few
// seconds. A job the database calls unfinished (queued, running, importing) has in fact stopped
// when its owner is a process of this host that no longer exists, or when its heartbeat is older
// than FetchJobOptions allows (longer while importing: the import's transaction holds the
// database, so no heartbeat can be written meanwhile). Pure functions: no clock, no store.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/app.hpp"
#include "store/store.hpp"

namespace halsonav {

// An owner name for this process: "HOST:PID:NONCE" (the nonce tells two lives of one PID apart).
std::string NewFetchOwner();
// The host name of this machine, as NewFetchOwner writes it.
std::string ThisHost();
// Whether a process of this host with this id exists (kill(pid, 0)).
bool ProcessExists(std::int64_t pid);

// "queued", "running" and "importing".
bool IsUnfinishedFetchState(std::string_view state);

// Seconds since 1970 of a UTC time "YYYY-MM-DDTHH:MM:SSZ"; nullopt when it is not one.
std::optional<std::int64_t> UtcSeconds(std::string_view text);

// Why an unfinished job has stopped (kInterrupted, "the server stopped while fetching", with
// details {"owner", "heartbeat_at", "reason": "process_gone" | "heartbeat_stale"}), or nullopt
// while it may still be running. `now` is UTC as above; `host` is this machine's name and
// `process_exists` tells whether a PID of it lives. A finished job: nullopt.
std::optional<Error> LostFetchJob(const FetchJobRecord& job, std::string_view now,
                                  const FetchJobOptions& options, std::string_view host,
                                  const std::function<bool(std::int64_t)>& process_exists);

// A job this process runs, as its worker last told it: readers of the same process see its
// progress through the import (which the database cannot show until the import commits), and a
// cancel reaches the worker without a write.
struct App::LiveFetch {
  std::atomic<bool> cancel{false};
  std::mutex mutex;  // guards state and progress
  std::string state = "queued";
  Json progress = {{"stage", "fetch"}};
};

}  // namespace halsonav
