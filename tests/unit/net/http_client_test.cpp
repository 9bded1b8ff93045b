// The HTTP client against a cpp-httplib server on a loopback port: retries of 429 (after
// Retry-After) and 5xx (with back-off), the bound on them, HTML and other non-JSON answers, the
// call-rate limit. Waits are recorded instead of slept, so the test takes no time.

#include "net/http_client.hpp"

#include <httplib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace halsonav::net {
namespace {

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }

  HttpClient Client(int retries = 3) {
    HttpOptions options;
    options.retries = retries;
    options.read_timeout_s = 5;
    options.sleep = [this](std::chrono::duration<double> wait) { waits_.push_back(wait.count()); };
    return HttpClient(options);
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::vector<double> waits_;
};

TEST(SplitHttpUrl, OriginAndTarget) {
  auto split = SplitHttpUrl("https://api.kolada.se/v3/kpi/N00945?per_page=5000");
  ASSERT_TRUE(split);
  EXPECT_EQ(split->origin, "https://api.kolada.se");
  EXPECT_EQ(split->target, "/v3/kpi/N00945?per_page=5000");
  split = SplitHttpUrl("http://127.0.0.1:8080");
  ASSERT_TRUE(split);
  EXPECT_EQ(split->origin, "http://127.0.0.1:8080");
  EXPECT_EQ(split->target, "/");
  split = SplitHttpUrl("http://h?x=1");
  ASSERT_TRUE(split);
  EXPECT_EQ(split->target, "/?x=1");
  EXPECT_FALSE(SplitHttpUrl("ftp://h/x"));
  EXPECT_FALSE(SplitHttpUrl("http://"));
  EXPECT_FALSE(SplitHttpUrl("api.kolada.se/v3"));
}

TEST_F(HttpClientTest, TooManyRequestsWaitsAsAskedThenSucceeds) {
  std::atomic<int> calls = 0;
  server_.Get("/data", [&](const httplib::Request&, httplib::Response& res) {
    if (++calls <= 2) {
      res.status = 429;
      res.set_header("Retry-After", "7");
      return;
    }
    res.set_content(R"({"values": []})", "application/json");
  });
  auto client = Client();
  auto body = client.GetJson(Url("/data"));
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, R"({"values": []})");
  EXPECT_EQ(waits_, (std::vector<double>{7, 7}));
  EXPECT_EQ(client.Requests(), 3U);
}

TEST_F(HttpClientTest, ServerErrorsBackOffAndGiveUpNamingTheUrl) {
  server_.Get("/broken", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content("down", "text/plain");
  });
  auto client = Client(3);
  auto body = client.GetJson(Url("/broken"));
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kUpstream);
  EXPECT_EQ(
      body.error().message,
      "GET " + Url("/broken") + ": answered 503 Service Unavailable 4 times in a row; giving up");
  EXPECT_EQ(waits_, (std::vector<double>{1, 2, 4}));
  EXPECT_EQ(body.error().details["status"], 503);
}

TEST_F(HttpClientTest, AWaitLongerThanAllowedFailsAtOnce) {
  server_.Get("/later", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "3600");
  });
  auto client = Client();
  auto body = client.GetJson(Url("/later"));
  ASSERT_FALSE(body);
  EXPECT_NE(body.error().message.find("asks to wait 3600 s"), std::string::npos);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(HttpClientTest, HtmlAndMissingPagesAreRefused) {
  server_.Get("/html", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html><head><title>Underhåll</title></head></html>", "text/html");
  });
  server_.Post("/query", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.body, "application/json");
  });
  auto client = Client();
  auto html = client.GetJson(Url("/html"));
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().message,
            "GET " + Url("/html") + ": answered text/html instead of JSON: \"Underhåll\"");
  auto missing = client.GetJson(Url("/nothing"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("answered 404 Not Found"), std::string::npos);
  auto posted = client.PostJson(Url("/query"), R"({"query": []})");
  ASSERT_TRUE(posted);
  EXPECT_EQ(*posted, R"({"query": []})");
  EXPECT_TRUE(waits_.empty());  // neither is retried
}

TEST_F(HttpClientTest, TheCallRateIsKept) {
  server_.Get("/ok", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  });
  auto client = Client();
  client.SetRateLimit(2, 10);
  for (int idx = 0; idx < 3; ++idx) ASSERT_TRUE(client.GetJson(Url("/ok")));
  // The third call waits for the first to leave the 10 s window.
  ASSERT_EQ(waits_.size(), 1U);
  EXPECT_GT(waits_[0], 9.5);
  EXPECT_LT(waits_[0], 10.2);
}

TEST(HttpClient, NoServiceIsSaidPlainly) {
  HttpClient client;
  auto body = client.GetJson("http://127.0.0.1:9/v3/kpi/N00945");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().message,
            "GET http://127.0.0.1:9/v3/kpi/N00945: could not connect (is the address right, and "
            "the service up?)");
}

}  // namespace
}  // namespace halsonav::net
