#include "server/guarded_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace halsonav::http {
namespace {

using Clock = std::chrono::steady_clock;

// Set on the accepting thread while it hands over a connection the queue has no room for.
thread_local bool t_reject = false;
// Set by a handler: close the connection after this response, reading and discarding up to
// t_discard bytes of the body first.
thread_local bool t_close = false;
thread_local std::size_t t_discard = 0;

class DeadlineStream;
thread_local DeadlineStream* t_stream = nullptr;

// Milliseconds from now until `deadline`, at least 0.
int MillisecondsUntil(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<long long>(0, left));
}

// The address of one end of a socket as text ("127.0.0.1", "::1") and its port.
void SocketAddress(int sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  const int result = peer ? getpeername(sock, reinterpret_cast<sockaddr*>(&address), &length)
                          : getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length);
  if (result != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    port = ntohs(v6->sin6_port);
  }
  ip = text;
}

bool WaitFor(int sock, short events, int milliseconds) {
  pollfd entry{sock, events, 0};
  return poll(&entry, 1, milliseconds) > 0 && (entry.revents & (events | POLLHUP | POLLERR)) != 0;
}

// Answered; reads and throws away up to `bytes` of what the client still sends, for 5 s at most.
void Discard(int sock, std::size_t bytes) {
  ::shutdown(sock, SHUT_WR);
  std::array<char, 65536> sink{};
  const auto until = Clock::now() + std::chrono::seconds(5);
  while (bytes > 0 && WaitFor(sock, POLLIN, MillisecondsUntil(until))) {
    const auto got = recv(sock, sink.data(), std::min(sink.size(), bytes), 0);
    if (got <= 0) break;
    bytes -= static_cast<std::size_t>(got);
  }
}

}  // namespace

struct GuardedServer::State {
  explicit State(const ConnectionLimits& limits_in) : limits(limits_in) {}
  ConnectionLimits limits;
  std::atomic<std::size_t> waiting{0};  // connections accepted, not yet given a worker

  // Connections refused for want of room: answered 503 by one thread of their own.
  std::mutex reject_mutex;
  std::condition_variable reject_ready;
  std::deque<int> rejected;
  bool stopping = false;
  std::thread rejecter;

  void Reject(int sock);
  void RejectLoop();
};

namespace {

// A socket stream whose reads end at the request's deadline. httplib reads the request line a
// byte at a time, so reads are buffered.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(int sock, const GuardedServer::State& state, int read_timeout_ms,
                 int write_timeout_ms)
      : sock_(sock),
        state_(state),
        read_timeout_ms_(read_timeout_ms),
        write_timeout_ms_(write_timeout_ms) {}

  // A new request begins: its headers and body must arrive within the limit.
  void StartRequest() {
    started_ = Clock::now();
    deadline_ = started_ + std::chrono::seconds(state_.limits.request_seconds);
    headers_read_ = false;
    header_bytes_ = 0;
  }
  // The body has request_seconds from here, and a second more for each min_body_rate bytes
  // that have arrived (bytes already buffered count as the body's).
  void HeadersRead() {
    headers_read_ = true;
    body_started_ = Clock::now();
    body_bytes_ = size_ - offset_;
  }
  bool Buffered() const { return offset_ < size_; }

  bool is_readable() const override { return Buffered() || WaitReadable(); }
  bool is_writable() const override { return WaitFor(sock_, POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, std::size_t size) override {
    if (!Buffered()) {
      if (!WaitReadable()) return -1;
      const auto got = recv(sock_, buffer_.data(), buffer_.size(), 0);
      if (got <= 0) return got;
      // httplib gathers a line without a bound: a request line or header without end must not
      // grow without one.
      if (!headers_read_ && (header_bytes_ += static_cast<std::size_t>(got)) >
                                state_.limits.max_header_bytes + buffer_.size()) {
        return -1;
      }
      if (headers_read_) body_bytes_ += static_cast<std::size_t>(got);
      offset_ = 0;
      size_ = static_cast<std::size_t>(got);
    }
    const auto count = std::min(size, size_ - offset_);
    std::copy_n(buffer_.data() + offset_, count, ptr);
    offset_ += count;
    return static_cast<ssize_t>(count);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (!is_writable()) return -1;
    return send(sock_, ptr, size, MSG_NOSIGNAL);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    SocketAddress(sock_, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    SocketAddress(sock_, false, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  // Waits for data in slices, so that the deadline, and the shorter one for headers while
  // connections wait for a worker, are seen while a client trickles.
  bool WaitReadable() const {
    const auto idle_until = Clock::now() + std::chrono::milliseconds(read_timeout_ms_);
    while (true) {
      auto until = std::min(Deadline(), idle_until);
      if (!headers_read_ && state_.waiting.load() > 0) {
        until =
            std::min(until, started_ + std::chrono::milliseconds(state_.limits.pressed_header_ms));
      }
      const int left = MillisecondsUntil(until);
      if (left == 0) return false;
      if (WaitFor(sock_, POLLIN, std::min(left, 100))) return true;
    }
  }

  Clock::time_point Deadline() const {
    if (!headers_read_) return deadline_;
    const auto earned = state_.limits.min_body_rate == 0
                            ? std::chrono::seconds(0)
                            : std::chrono::seconds(body_bytes_ / state_.limits.min_body_rate);
    return body_started_ + std::chrono::seconds(state_.limits.request_seconds) + earned;
  }

  int sock_;
  const GuardedServer::State& state_;
  int read_timeout_ms_;
  int write_timeout_ms_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point deadline_ = Clock::now();
  bool headers_read_ = false;
  std::size_t header_bytes_ = 0;
  Clock::time_point body_started_ = Clock::now();
  std::size_t body_bytes_ = 0;
  std::array<char, 4096> buffer_{};
  std::size_t offset_ = 0;
  std::size_t size_ = 0;
};

// httplib's ThreadPool with a bound on the connections waiting for a worker. A connection that
// finds the queue full is handed back to process_and_close_socket on the accepting thread,
// marked as rejected.
class BoundedPool final : public httplib::TaskQueue {
 public:
  BoundedPool(std::size_t threads, std::shared_ptr<GuardedServer::State> state)
      : state_(std::move(state)) {
    for (std::size_t index = 0; index < threads; ++index) workers_.emplace_back([this] { Work(); });
  }

  void enqueue(std::function<void()> fn) override {
    {
      std::unique_lock lock(mutex_);
      if (jobs_.size() < state_->limits.queue_limit) {
        jobs_.push_back(std::move(fn));
        state_->waiting.store(jobs_.size());
        ready_.notify_one();
        return;
      }
    }
    t_reject = true;
    fn();
    t_reject = false;
  }

  void shutdown() override {
    {
      std::unique_lock lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (stopping_ && jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
        state_->waiting.store(jobs_.size());
      }
      job();
    }
  }

  std::shared_ptr<GuardedServer::State> state_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
};

}  // namespace

void GuardedServer::State::Reject(int sock) {
  {
    std::unique_lock lock(reject_mutex);
    // Past this many, the server is flooded: close without a word rather than queue more.
    if (rejected.size() < 256) {
      rejected.push_back(sock);
      reject_ready.notify_one();
      return;
    }
  }
  close(sock);
}

// Answers 503 and closes; reads what the client sent meanwhile (briefly), so that closing with
// unread data does not reset the connection before the client has read the answer.
void GuardedServer::State::RejectLoop() {
  const Error error{ErrorCode::kUnavailable,
                    "the server is busy: every worker is serving and the queue is full; try again",
                    {{"retry_after", limits.retry_after_seconds}}};
  const auto body = ErrorBody(error).dump();
  const auto answer = fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: "
      "{}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{}",
      limits.retry_after_seconds, body.size(), body);
  while (true) {
    int sock = -1;
    {
      std::unique_lock lock(reject_mutex);
      reject_ready.wait(lock, [this] { return stopping || !rejected.empty(); });
      if (stopping && rejected.empty()) return;
      sock = rejected.front();
      rejected.pop_front();
    }
    WaitFor(sock, POLLIN, 100);  // the request, usually already there
    std::array<char, 4096> drain{};
    while (recv(sock, drain.data(), drain.size(), MSG_DONTWAIT) > 0) {
    }
    send(sock, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(sock, SHUT_WR);
    const auto until = Clock::now() + std::chrono::milliseconds(200);
    while (WaitFor(sock, POLLIN, MillisecondsUntil(until)) &&
           recv(sock, drain.data(), drain.size(), MSG_DONTWAIT) > 0) {
    }
    close(sock);
  }
}

GuardedServer::GuardedServer(ConnectionLimits limits)
    : limits_(limits), state_(std::make_shared<State>(limits)) {
  state_->rejecter = std::thread([state = state_] { state->RejectLoop(); });
  new_task_queue = [this] { return new BoundedPool(limits_.threads, state_); };
}

GuardedServer::~GuardedServer() {
  {
    std::unique_lock lock(state_->reject_mutex);
    state_->stopping = true;
  }
  state_->reject_ready.notify_all();
  state_->rejecter.join();
}

void GuardedServer::HeadersRead() {
  if (t_stream != nullptr) t_stream->HeadersRead();
}

void GuardedServer::CloseAfterResponse(const httplib::Request& req, std::size_t discard_bytes) {
  t_close = true;
  t_discard = discard_bytes;
  // httplib writes "Connection: close" when the request asked for it; the request is httplib's
  // own non-const object, the handler only sees it as const.
  auto& request = const_cast<httplib::Request&>(req);
  request.headers.erase("Connection");
  request.set_header("Connection", "close");
}

// httplib's own loop over a connection's requests (keep-alive), with the deadline stream.
bool GuardedServer::process_and_close_socket(socket_t sock) {
  if (t_reject) {
    state_->Reject(sock);
    return false;
  }
  const auto to_ms = [](time_t sec, time_t usec) {
    return static_cast<int>(sec * 1000 + usec / 1000);
  };
  DeadlineStream stream(sock, *state_, to_ms(read_timeout_sec_, read_timeout_usec_),
                        to_ms(write_timeout_sec_, write_timeout_usec_));
  t_stream = &stream;
  bool ret = false;
  for (auto count = keep_alive_max_count_; count > 0 && svr_sock_ != INVALID_SOCKET; --count) {
    if (!stream.Buffered() &&
        !WaitFor(sock, POLLIN, static_cast<int>(keep_alive_timeout_sec_ * 1000))) {
      break;
    }
    stream.StartRequest();
    t_close = false;
    t_discard = 0;
    bool connection_closed = false;
    // While other connections wait for a worker, this one is closed after its answer
    // (Connection: close), so that connections that never go idle (a proxy's kept-alive pool)
    // cannot hold every worker for as long as their load lasts.
    const bool others_waiting = state_->waiting.load() > 0;
    ret = process_request(stream, count == 1 || others_waiting, connection_closed, nullptr);
    if (!ret || connection_closed || t_close) break;
  }
  if (t_close && t_discard > 0) Discard(sock, t_discard);
  t_stream = nullptr;
  ::shutdown(sock, SHUT_RDWR);
  close(sock);
  return ret;
}

}  // namespace halsonav::http
