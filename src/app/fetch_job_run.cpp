// Running a fetch job (App::StartFetch) on its worker thread: the state and progress recorded in
// the database as it goes, a heartbeat beside it (fetch_job_rules.hpp), cancelling, and the end
// of jobs whose process has gone.

#include <chrono>
#include <condition_variable>

#include <fmt/format.h>

#include "app/app.hpp"
#include "app/fetch.hpp"
#include "app/fetch_job_rules.hpp"
#include "store/store.hpp"

namespace halsonav {
namespace {

// Progress is written at most this often while downloading (each write is a transaction).
constexpr auto kProgressEvery = std::chrono::milliseconds(500);

// Calls `beat` every `every` until destroyed, on a thread of its own.
class Heartbeat {
 public:
  Heartbeat(double every_s, std::function<void()> beat)
      : thread_([this, every = std::chrono::duration<double>(every_s), beat = std::move(beat)] {
          std::unique_lock lock(mutex_);
          while (!wake_.wait_for(lock, every, [this] { return ended_; })) {
            lock.unlock();
            beat();
            lock.lock();
          }
        }) {}
  ~Heartbeat() {
    {
      const std::lock_guard lock(mutex_);
      ended_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool ended_ = false;
  std::thread thread_;  // last: it starts once the members above exist
};

}  // namespace

void App::RunFetchJob(Id id, const Json& parameters, const Caller& caller,
                      const std::shared_ptr<LiveFetch>& live) {
  FetchJobRecord job;
  job.id = id;
  // Tells readers of this process at once, and writes the job's row (with its heartbeat); a
  // failed write is not the fetch's failure (the next one may pass).
  auto record = [&](std::string state, Json progress, std::string result = {}) {
    {
      const std::lock_guard lock(live->mutex);
      live->state = state;
      live->progress = progress;
    }
    job.state = std::move(state);
    job.progress = progress.dump();
    job.result = std::move(result);
    job.updated_at = now_();
    job.heartbeat_at = job.updated_at;
    auto tx = store_->BeginWrite();
    if (!tx) return;
    if ((*tx)->Update(job)) (void)(*tx)->Commit();
  };
  record("running", {{"stage", "fetch"}, {"done", 0}, {"total", 0}});
  bool importing = false;
  {
    // While importing, the import's transaction holds the database: the heartbeat only reads
    // (a cancel from another process) and readers allow for the silence (stale_importing_s).
    Heartbeat heartbeat(fetch_job_options_.heartbeat_every_s, [&] {
      bool wanted = false;
      bool in_import = false;
      {
        const std::lock_guard lock(live->mutex);
        in_import = live->state == "importing";
      }
      if (in_import) {
        auto tx = store_->BeginRead();
        if (!tx) return;
        auto found = (*tx)->FindFetchJob(id);
        wanted = found && *found && (*found)->cancel_requested;
      } else {
        auto tx = store_->BeginWrite();
        if (!tx) return;
        auto asked = (*tx)->FetchJobHeartbeat(id, now_());
        if (!asked || !(*tx)->Commit()) return;
        wanted = *asked;
      }
      if (wanted) live->cancel = true;
    });
    auto last_write = std::chrono::steady_clock::now();
    const FetchProgress progress = [&](std::string_view stage, std::uint64_t done,
                                       std::uint64_t total) {
      if (stage == "import") {
        if (!importing) {
          // Written once, before the import's transaction begins: a write inside it would wait.
          record("importing", {{"stage", "import"}, {"done", done}, {"total", total}});
          importing = true;
        } else {
          const std::lock_guard lock(live->mutex);
          live->progress = {{"stage", "import"}, {"done", done}, {"total", total}};
        }
        return;
      }
      const auto now = std::chrono::steady_clock::now();
      if (now - last_write < kProgressEvery && done < total) {
        const std::lock_guard lock(live->mutex);
        live->progress = {{"stage", "fetch"}, {"done", done}, {"total", total}};
        return;
      }
      last_write = now;
      record("running", {{"stage", "fetch"}, {"done", done}, {"total", total}});
    };
    const FetchCancelled cancelled = [&live] { return live->cancel.load(); };
    Result<Json> report = Fail(ErrorCode::kInternal, "no fetch ran");
    try {
      if (parameters.at("source") == "kolada") {
        auto options = KoladaFetchOptionsOf(parameters);
        options->progress = progress;
        options->cancelled = cancelled;
        report = FetchKolada(*this, *options, caller);
      } else {
        auto options = PxWebFetchOptionsOf(parameters);
        options->progress = progress;
        options->cancelled = cancelled;
        report = FetchPxWeb(*this, *options, caller);
      }
    } catch (const std::exception& error) {
      // The edge of a worker thread: an unexpected failure ends the job, never the server.
      report = Fail(ErrorCode::kInternal,
                    fmt::format("the fetch failed unexpectedly: {}", error.what()));
    }
    job.cancel_requested = live->cancel;
    const Json end{{"stage", importing ? "import" : "fetch"}};
    bool stopping = false;
    {
      const std::lock_guard lock(fetch_threads_mutex_);
      stopping = stopping_;
    }
    if (report) {
      record("done", end, report->dump());
    } else if (stopping) {
      record("failed", end,
             ErrorBody(Error{ErrorCode::kInterrupted,
                             "the server stopped while fetching; nothing was stored, start the "
                             "fetch again",
                             {{"reason", "server_stopped"}}})["error"]
                 .dump());
    } else if (job.cancel_requested) {
      // Whatever stopped it after the cancel (the cancel itself, or a request under way that
      // failed meanwhile), the user asked for the end: nothing is stored either way.
      record("cancelled", end);
    } else {
      record("failed", end, ErrorBody(report.error())["error"].dump());
    }
  }
  const std::lock_guard lock(fetch_threads_mutex_);
  live_fetches_.erase(id);
}

void App::JoinFetchJobs() {
  std::vector<FetchThread> threads;
  {
    const std::lock_guard lock(fetch_threads_mutex_);
    stopping_ = true;
    for (auto& [id, live] : live_fetches_) live->cancel = true;
    threads.swap(fetch_threads_);
  }
  for (auto& running : threads) running.thread.join();
}

Result<int> App::RecoverFetchJobs() {
  std::vector<FetchJobRecord> unfinished;
  {
    auto tx = store_->BeginRead();
    if (!tx) return tl::unexpected(tx.error());
    auto jobs = (*tx)->ListFetchJobs(PageRequest{1000000, 0}, true);
    if (!jobs) return tl::unexpected(jobs.error());
    unfinished = std::move(jobs->items);
  }
  int ended = 0;
  for (auto& job : unfinished) {
    const auto view = FetchJobView(job, true);
    if (view.at("state") != "failed") continue;
    job.state = "failed";
    job.result = view.at("error").dump();
    job.updated_at = now_();
    auto tx = store_->BeginWrite();
    if (!tx) return tl::unexpected(tx.error());
    if (auto ok = (*tx)->Update(job); !ok) return tl::unexpected(ok.error());
    if (auto ok = (*tx)->Commit(); !ok) return tl::unexpected(ok.error());
    ++ended;
  }
  return ended;
}

}  // namespace halsonav
