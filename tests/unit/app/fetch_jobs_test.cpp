// Fetch jobs' rules (app/fetch_job_rules.hpp) and the jobs themselves on a database file: a job
// whose process has gone is reported failed and ended at start-up, the limit of jobs at once,
// cancelling, the list newest first, and a job ended as interrupted when its app closes. The jobs
// here fetch from a loopback socket that accepts connections and never answers.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "app/app.hpp"
#include "app/fetch_job_rules.hpp"
#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"
#include "test_store.hpp"

namespace halsonav {
namespace {

constexpr const char* kNow = "2026-11-23T12:00:00Z";

FetchJobRecord Job(std::string state, std::string owner, std::string heartbeat_at) {
  FetchJobRecord job;
  job.source = "kolada";
  job.parameters = R"({"source": "kolada", "kpis": ["N00945"]})";
  job.state = std::move(state);
  job.progress = R"({"stage": "fetch"})";
  job.created_by = "analytiker";
  job.created_at = "2026-11-23T11:00:00Z";
  job.updated_at = heartbeat_at;
  job.owner = std::move(owner);
  job.heartbeat_at = std::move(heartbeat_at);
  return job;
}

TEST(FetchJobRules, UtcSeconds) {
  EXPECT_EQ(UtcSeconds("1970-01-01T00:01:00Z"), 60);
  EXPECT_EQ(*UtcSeconds("2026-11-23T12:00:00Z") - *UtcSeconds("2026-11-23T11:59:00Z"), 60);
  EXPECT_FALSE(UtcSeconds(""));
  EXPECT_FALSE(UtcSeconds("2026-11-23 12:00:00Z"));
  EXPECT_FALSE(UtcSeconds("2026-11-23T12:00:0xZ"));
}

TEST(FetchJobRules, WhenAJobHasLostItsProcess) {
  struct Case {
    const char* name;
    const char* state;
    const char* owner;
    const char* heartbeat_at;
    bool owner_alive;
    const char* reason;  // "" = still running
  };
  const Case cases[] = {
      {"fresh heartbeat", "running", "elsewhere:7:ab", "2026-11-23T11:59:30Z", true, ""},
      {"exactly at the limit", "running", "elsewhere:7:ab", "2026-11-23T11:59:00Z", true, ""},
      {"silent past the limit", "running", "elsewhere:7:ab", "2026-11-23T11:58:59Z", true,
       "heartbeat_stale"},
      {"queued and silent", "queued", "elsewhere:7:ab", "2026-11-23T11:00:00Z", true,
       "heartbeat_stale"},
      {"importing: silence allowed", "importing", "elsewhere:7:ab", "2026-11-23T11:40:00Z", true,
       ""},
      {"importing for too long", "importing", "elsewhere:7:ab", "2026-11-23T11:29:59Z", true,
       "heartbeat_stale"},
      {"this host, process gone", "running", "here:4242:ab", "2026-11-23T11:59:59Z", false,
       "process_gone"},
      {"this host, process alive", "running", "here:4242:ab", "2026-11-23T11:59:59Z", true, ""},
      {"another host: its PID says nothing", "running", "elsewhere:4242:ab", "2026-11-23T11:59:59Z",
       false, ""},
      {"ended jobs are never lost", "done", "here:4242:ab", "2020-01-01T00:00:00Z", false, ""},
      {"no readable heartbeat", "running", "elsewhere:7:ab", "", true, ""},
  };
  const FetchJobOptions options;  // 60 s, 1800 s while importing
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto job = Job(c.state, c.owner, c.heartbeat_at);
    std::int64_t asked = 0;
    const auto lost = LostFetchJob(job, kNow, options, "here", [&](std::int64_t pid) {
      asked = pid;
      return c.owner_alive;
    });
    if (std::string(c.reason).empty()) {
      EXPECT_FALSE(lost) << lost->message;
      continue;
    }
    ASSERT_TRUE(lost);
    EXPECT_EQ(lost->code, ErrorCode::kInterrupted);
    EXPECT_EQ(lost->details["reason"], c.reason);
    EXPECT_NE(lost->message.find("the server stopped while fetching"), std::string::npos);
    if (std::string(c.reason) == "process_gone") {
      EXPECT_EQ(asked, 4242);
    }
  }
}

// A loopback socket that accepts connections (the kernel's backlog) and never answers.
class SilentService {
 public:
  SilentService() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || listen(fd_, 16) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentService() { close(fd_); }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class FetchJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("halsonav-fetch-jobs-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    app_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }

  // The same database each time, as another process would open it: a file, or a PostgreSQL
  // database made for the test.
  std::unique_ptr<Store> OpenStore(bool create) {
    if (testing::TestBackend() == "postgresql") {
      if (uri_.empty()) uri_ = testing::NewPostgresDatabase();
      auto store = OpenPostgresStore({uri_, create, true, 8, 30000});
      EXPECT_TRUE(store) << store.error().message;
      return std::move(*store);
    }
    auto store = OpenSqliteStore({path_.string(), create, true, 8, 30000});
    EXPECT_TRUE(store) << store.error().message;
    return std::move(*store);
  }
  void OpenApp(std::unique_ptr<Store> store) {
    app_ = std::make_unique<App>(std::move(store), [] { return std::string(kNow); });
  }
  Id Insert(Store& store, const FetchJobRecord& job) {
    auto tx = store.BeginWrite();
    EXPECT_TRUE(tx);
    auto id = (*tx)->Insert(job);
    EXPECT_TRUE(id);
    EXPECT_TRUE((*tx)->Commit());
    return *id;
  }
  Json KoladaBody(const SilentService& service) const {
    return {{"source", "kolada"},        {"kpis", {"N00945"}}, {"municipalities", {"2480"}},
            {"base_url", service.Url()}, {"timeout_s", 2},     {"retries", 0}};
  }
  // The job once it has ended (at most 30 s).
  Json WaitForEnd(Id id) {
    for (int round = 0; round < 300; ++round) {
      auto job = app_->GetFetch(id);
      EXPECT_TRUE(job);
      if (!job) return {};
      if (!IsUnfinishedFetchState((*job)["state"].get<std::string>())) return *job;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << id << " did not end";
    return {};
  }

  std::filesystem::path path_;
  std::string uri_;  // PostgreSQL
  std::unique_ptr<App> app_;
  Caller caller_ = Caller::Operator("analytiker");
};

TEST_F(FetchJobsTest, AJobWhoseProcessHasGoneIsFailedAndEndedAtStartUp) {
  auto store = OpenStore(true);
  const Id stale = Insert(*store, Job("running", "elsewhere:7:ab", "2026-11-23T11:50:00Z"));
  // A PID above the kernel's largest (2^22) exists on no host.
  const Id gone =
      Insert(*store, Job("importing", ThisHost() + ":99999999:ab", "2026-11-23T11:59:59Z"));
  const Id alive = Insert(*store, Job("running", "elsewhere:7:ab", "2026-11-23T11:59:50Z"));
  OpenApp(std::move(store));

  auto job = app_->GetFetch(stale);
  ASSERT_TRUE(job);
  EXPECT_EQ((*job)["state"], "failed");
  EXPECT_EQ((*job)["error"]["code"], "interrupted");
  EXPECT_EQ((*job)["error"]["details"]["reason"], "heartbeat_stale");
  job = app_->GetFetch(gone);
  ASSERT_TRUE(job);
  EXPECT_EQ((*job)["error"]["details"]["reason"], "process_gone");
  job = app_->GetFetch(alive);
  ASSERT_TRUE(job);
  EXPECT_EQ((*job)["state"], "running");

  auto list = app_->ListFetches(PageRequest{10, 0});
  ASSERT_TRUE(list);
  EXPECT_EQ((*list)["total"], 3);
  EXPECT_EQ((*list)["items"][0]["id"], alive);  // newest first
  EXPECT_EQ((*list)["items"][2]["state"], "failed");

  // Start-up writes the end of the two lost jobs, once.
  auto ended = app_->RecoverFetchJobs();
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  ended = app_->RecoverFetchJobs();
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 0);
  app_.reset();
  auto reopened = OpenStore(false);
  auto tx = reopened->BeginRead();
  ASSERT_TRUE(tx);
  auto row = (*tx)->FindFetchJob(stale);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->state, "failed");
  EXPECT_NE((*row)->result.find("\"interrupted\""), std::string::npos);
  row = (*tx)->FindFetchJob(alive);
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->state, "running");
}

TEST_F(FetchJobsTest, LimitCancelAndTheEndWhenTheAppCloses) {
  const SilentService service;
  OpenApp(OpenStore(true));
  FetchJobOptions options;
  options.max_running = 2;
  options.heartbeat_every_s = 0.2;
  app_->SetFetchJobOptions(options);

  auto first = app_->StartFetch(KoladaBody(service), caller_);
  auto second = app_->StartFetch(KoladaBody(service), caller_);
  ASSERT_TRUE(first && second);
  EXPECT_EQ((*first)["cancel_requested"], false);
  auto third = app_->StartFetch(KoladaBody(service), caller_);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(third.error().details["limit"], 2);
  EXPECT_EQ(third.error().details["running"], 2);
  EXPECT_EQ(HttpStatus(third.error().code), 503);

  const Id first_id = (*first)["id"];
  const Id second_id = (*second)["id"];
  auto refused = app_->CancelFetch(first_id, Caller::Anonymous());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  auto cancelled = app_->CancelFetch(first_id, caller_);
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ((*cancelled)["cancel_requested"], true);
  auto unknown = app_->CancelFetch(999, caller_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

  // The service never answers: the second job fails by its time-out, naming the URL; the first
  // ends cancelled. Neither stored anything.
  const auto first_end = WaitForEnd(first_id);
  EXPECT_EQ(first_end["state"], "cancelled") << first_end.dump();
  EXPECT_EQ(first_end["cancel_requested"], true);
  EXPECT_FALSE(first_end.contains("error"));
  const auto second_end = WaitForEnd(second_id);
  EXPECT_EQ(second_end["state"], "failed") << second_end.dump();
  EXPECT_EQ(second_end["error"]["code"], "upstream");
  auto again = app_->CancelFetch(second_id, caller_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kRuleViolation);
  EXPECT_EQ(again.error().details["state"], "failed");

  // Room again; this one is running when the app closes, and ends interrupted.
  auto last = app_->StartFetch(KoladaBody(service), caller_);
  ASSERT_TRUE(last) << last.error().message;
  const Id last_id = (*last)["id"];
  app_.reset();
  OpenApp(OpenStore(false));
  auto job = app_->GetFetch(last_id);
  ASSERT_TRUE(job);
  EXPECT_EQ((*job)["state"], "failed");
  EXPECT_EQ((*job)["error"]["code"], "interrupted");
  EXPECT_EQ((*job)["error"]["details"]["reason"], "server_stopped");
}

}  // namespace
}  // namespace halsonav
