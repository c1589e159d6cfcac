// `certharness serve`: the fake certificates API (fake_api) on HTTP/1.1. The bytes are moved
// here (sockets, one thread per connection, deadlines, shutdown); what they mean is decided by
// http_server_framing (strict request heads) and fake_api (the API).
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "certharness/fake_api/fake_api.hpp"
#include "certharness/http/http_message.hpp"
#include "certharness/http/http_server_framing.hpp"
#include "certharness/http/url.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/json/json_writer.hpp"
#include "commands.hpp"
#include "option_checks.hpp"

namespace certharness::cli {
namespace {

struct serve_args {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string base_path = "/v1";
  std::size_t seed_certs = 0;
  std::uint64_t seed = 1;
  std::vector<std::string> faults;
  std::string rate_limit;
  bool list_faults = false;
  bool quiet = false;
};

constexpr std::size_t k_max_request_body = std::size_t{1} << 20;

std::string error_body(std::string_view message, std::string_view type) {
  std::string body;
  json_writer(body)
      .begin_object()
      .key("error")
      .begin_object()
      .key("message")
      .string(message)
      .key("type")
      .string(type)
      .key("param")
      .null()
      .key("code")
      .null()
      .end_object()
      .end_object();
  return body;
}

// "10/s", "10" or "2.5/s": requests per second.
std::optional<double> parse_rate(std::string text) {
  if (text.size() > 2 && text.compare(text.size() - 2, 2, "/s") == 0) text.resize(text.size() - 2);
  try {
    std::size_t used = 0;
    const double rate = std::stod(text, &used);
    if (used == text.size() && rate > 0 && std::isfinite(rate)) return rate;  // "inf" too
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// Set by SIGINT/SIGTERM. Every wait in this file is sliced so it is seen within k_slice:
// shutdown waits out neither a `slow` fault's delay nor a slow client.
std::atomic<bool> g_stopping{false};

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto k_slice = 100ms;
// A client holds its connection thread at most this long per wait: for the first byte of the
// next request on a kept-alive connection, for a whole request (head and body, from the moment
// the server starts waiting for it), and for a whole response to be taken.
constexpr auto k_idle_timeout = 5s;
constexpr auto k_request_timeout = 10s;
constexpr auto k_write_timeout = 10s;
constexpr auto k_linger = 1s;  // reading what a refused client still sends, so it sees our answer
// One thread per connection, up to this many at once; more wait in the listen queue. Parallel
// test suites with connection pools and a few slow clients fit many times over.
constexpr std::size_t k_max_connections = 256;
constexpr int k_listen_backlog = 1024;  // the kernel caps it at net.core.somaxconn
constexpr int k_max_requests_per_connection = 10'000;

void interruptible_sleep(std::chrono::milliseconds delay) {
  const auto until = clock_type::now() + delay;
  while (!g_stopping.load() && clock_type::now() < until) std::this_thread::sleep_for(20ms);
}

class request_log {
 public:
  explicit request_log(bool quiet) : quiet_(quiet) {}
  void line(std::string_view method, std::string_view path, int status, clock_type::duration took) {
    if (quiet_) return;
    const double ms = std::chrono::duration<double, std::milli>(took).count();
    std::lock_guard lock(mutex_);
    std::fprintf(stderr, "%.*s %.*s %d %.1f ms\n", static_cast<int>(method.size()), method.data(),
                 static_cast<int>(path.size()), path.data(), status, ms);
  }

 private:
  bool quiet_;
  std::mutex mutex_;
};

http_response error_response(int status, std::string_view message, std::string_view type) {
  http_response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = error_body(message, type);
  return r;
}

// ---- Sockets: waits sliced by k_slice, bounded by a deadline, ended by g_stopping.

enum class io { ready, timeout, closed, stopping };

io wait_for(int fd, short events, clock_type::time_point deadline) {
  for (;;) {
    if (g_stopping.load()) return io::stopping;
    const auto left = deadline - clock_type::now();
    if (left <= clock_type::duration::zero()) return io::timeout;
    const auto slice = std::min<clock_type::duration>(left, k_slice);
    pollfd p{fd, events, 0};
    const int rc =
        poll(&p, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count()));
    if (rc > 0) return io::ready;  // readable, writable, or hung up: recv/send will tell
    if (rc < 0 && errno != EINTR) return io::closed;
  }
}

io read_some(int fd, std::string& into, clock_type::time_point deadline) {
  const io w = wait_for(fd, POLLIN, deadline);
  if (w != io::ready) return w;
  char chunk[16 * 1024];
  const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
  if (n > 0) {
    into.append(chunk, static_cast<std::size_t>(n));
    return io::ready;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return io::ready;
  return io::closed;
}

bool write_all(int fd, std::string_view data, clock_type::time_point deadline) {
  while (!data.empty()) {
    if (wait_for(fd, POLLOUT, deadline) != io::ready) return false;
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      return false;
    }
  }
  return true;
}

// Half-closes, then reads (and drops) what the client still sends for a moment: closing with
// unread bytes would reset the connection and could destroy our answer before it is read.
void linger_and_close(int fd) {
  shutdown(fd, SHUT_WR);
  const auto deadline = clock_type::now() + k_linger;
  std::string sink;
  while (read_some(fd, sink, deadline) == io::ready) sink.clear();
  close(fd);
}

// ---- One connection: requests in, answers out, until either side ends it.

using request_handler = std::function<http_response(const request_head&, std::string body)>;

class connection {
 public:
  connection(int fd, const request_handler& handle, request_log& log)
      : fd_(fd), handle_(handle), log_(log) {}

  void run() {
    for (int served = 0; served < k_max_requests_per_connection; ++served) {
      if (!serve_one(served == 0)) break;
    }
    linger_and_close(fd_);
  }

 private:
  // Answers one request; false when the connection is to end.
  bool serve_one(bool first) {
    const auto waiting_since = clock_type::now();
    // The first request has k_request_timeout from accept; a kept-alive connection has
    // k_idle_timeout to start the next one, then k_request_timeout to finish it.
    auto deadline = waiting_since + (first ? k_request_timeout : k_idle_timeout);
    bool started = first;
    std::optional<std::size_t> head_end;
    while (!(head_end = find_request_head_end(buffer_))) {
      if (buffer_.size() > k_max_request_head) return refuse(431, "request head too large", "-");
      const io r = read_some(fd_, buffer_, deadline);
      if (r == io::timeout && !buffer_.empty()) return refuse(408, "request head too slow", "-");
      if (r != io::ready) return false;
      if (!started && !buffer_.empty()) {
        started = true;
        deadline = clock_type::now() + k_request_timeout;
      }
    }
    if (*head_end > k_max_request_head) return refuse(431, "request head too large", "-");
    const auto started_at = clock_type::now();
    auto parsed =
        parse_request_head(std::string_view(buffer_).substr(0, *head_end), k_max_request_body);
    if (!parsed) return refuse(parsed.error().status, parsed.error().message, "-");
    request_head head = *std::move(parsed);
    buffer_.erase(0, *head_end);

    if (head.expect_continue && head.framing != body_framing::none &&
        !write_all(fd_, "HTTP/1.1 100 Continue\r\n\r\n", clock_type::now() + k_write_timeout)) {
      return false;
    }
    std::string body;
    if (head.framing == body_framing::content_length) {
      while (buffer_.size() < head.content_length) {
        const io r = read_some(fd_, buffer_, deadline);
        if (r == io::timeout) return refuse(408, "request body too slow", head.method);
        if (r != io::ready) return false;
      }
      body = buffer_.substr(0, head.content_length);
      buffer_.erase(0, head.content_length);
    } else if (head.framing == body_framing::chunked) {
      for (;;) {
        chunked_body c = decode_chunked_body(buffer_, k_max_request_body);
        if (c.status == chunked_body::state::complete) {
          body = std::move(c.body);
          buffer_.erase(0, c.consumed);
          break;
        }
        if (c.status == chunked_body::state::invalid) return refuse(400, c.message, head.method);
        // The framing around k_max_request_body bytes of data is bounded too.
        if (c.status == chunked_body::state::too_large ||
            buffer_.size() > 2 * k_max_request_body + k_max_request_head) {
          return refuse(413, too_large_message(), head.method);
        }
        const io r = read_some(fd_, buffer_, deadline);
        if (r == io::timeout) return refuse(408, "request body too slow", head.method);
        if (r != io::ready) return false;
      }
    }

    http_response r = handle_(head, std::move(body));
    if (r.delay.count() > 0) interruptible_sleep(r.delay);
    const bool ok = send_response(r, head.method == "HEAD", head.keep_alive);
    log_.line(head.method, raw_path_of(head.target), r.status, clock_type::now() - started_at);
    return ok && head.keep_alive && r.fault == transport_fault::none && !g_stopping.load();
  }

  static std::string too_large_message() {
    return "request body larger than " + std::to_string(k_max_request_body) + " bytes";
  }

  // Answers a request the server will not read on; the connection then ends.
  bool refuse(int status, const std::string& message, std::string_view method) {
    const http_response r = error_response(status, status == 413 ? too_large_message() : message,
                                           "invalid_request_error");
    send_response(r, false, false);
    log_.line(method, "-", status, {});
    return false;
  }

  bool send_response(const http_response& r, bool head_only, bool keep_alive) {
    // truncate-body promises more bytes than it sends, then ends the connection.
    const bool truncate = r.fault == transport_fault::truncate_body;
    std::string wire = write_response_head(r.status, r.headers, r.body.size() + (truncate ? 64 : 0),
                                           keep_alive && !truncate);
    if (!head_only) wire += r.body;
    return write_all(fd_, wire, clock_type::now() + k_write_timeout);
  }

  int fd_;
  const request_handler& handle_;
  request_log& log_;
  std::string buffer_;  // bytes read past the request being served (pipelining)
};

// Counts live connection threads so the accept loop can cap them and shutdown can wait for them.
class connection_count {
 public:
  bool wait_below(std::size_t cap) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, k_slice, [&] { return live_ < cap; });
  }
  void add() {
    std::lock_guard lock(mutex_);
    ++live_;
  }
  void remove() {
    std::lock_guard lock(mutex_);
    --live_;
    changed_.notify_all();
  }
  void wait_for_none() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return live_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t live_ = 0;
};

// A listening socket on host:port (port 0: any free one); -1 when none could be made.
int listen_on(const std::string& host, int port, int& bound_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, k_listen_backlog) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return -1;
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  bound_port = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                                : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  return fd;
}

// Accepts until g_stopping, one thread per connection; returns once every connection ended.
void accept_loop(int listener, const request_handler& handle, request_log& log) {
  connection_count live;
  while (!g_stopping.load()) {
    if (!live.wait_below(k_max_connections)) continue;
    if (wait_for(listener, POLLIN, clock_type::now() + k_slice) != io::ready) continue;
    const int fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(k_slice);
      continue;
    }
    const int yes = 1;
    // Without it every response after a connection's first waits ~40 ms (Nagle + delayed ACK).
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    live.add();
    try {
      std::thread([fd, &handle, &log, &live] {
        try {
          connection(fd, handle, log).run();
        } catch (...) {  // out of memory, say: this connection ends, the server goes on
          close(fd);
        }
        live.remove();
      }).detach();
    } catch (const std::system_error&) {  // no thread to be had: this client is turned away
      close(fd);
      live.remove();
    }
  }
  close(listener);
  live.wait_for_none();
}

// Takes SIGINT and SIGTERM for the whole process (every thread inherits the mask set here, so
// only this one sees them) from construction on, seeding included.
class signal_watch {
 public:
  signal_watch() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    waiter_ = std::thread([this] {
      const timespec slice{0, 100'000'000};
      while (!done_.load()) {
        if (sigtimedwait(&signals_, nullptr, &slice) > 0) g_stopping = true;
      }
    });
  }
  ~signal_watch() {
    done_ = true;
    waiter_.join();
  }
  signal_watch(const signal_watch&) = delete;
  signal_watch& operator=(const signal_watch&) = delete;

 private:
  sigset_t signals_;
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

int run_serve(const serve_args& args) {
  if (args.list_faults) {
    for (const fault_info& f : fault_catalogue()) {
      std::printf("%-26.*s %.*s\n", static_cast<int>(f.name.size()), f.name.data(),
                  static_cast<int>(f.description.size()), f.description.data());
    }
    return 0;
  }
  fake_api_options options;
  options.seed_certs = args.seed_certs;
  options.seed = args.seed;
  for (const std::string& name : args.faults) {
    const std::optional<fake_fault> f = parse_fault(name);
    if (!f) {
      std::cerr << "certharness serve: unknown fault \"" << name
                << "\" (certharness serve --list-faults lists them)\n";
      return 2;
    }
    options.faults.insert(*f);
  }
  if (!args.rate_limit.empty()) {
    options.rate_limit_per_second = parse_rate(args.rate_limit);
    if (!options.rate_limit_per_second) {
      std::cerr << "certharness serve: --rate-limit wants requests per second, e.g. 10/s\n";
      return 2;
    }
  }
  std::string base = args.base_path;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!base.empty() && base.front() != '/') {
    std::cerr << "certharness serve: --base-path must start with '/'\n";
    return 2;
  }

  ::signal(SIGPIPE, SIG_IGN);
  const signal_watch signals;  // before seeding, which can take a while
  options.stop_seeding = [] { return g_stopping.load(); };
  fake_api api(options);
  if (g_stopping.load()) return 0;  // stopped while seeding
  request_log log(args.quiet);

  const request_handler handle = [&](const request_head& head, std::string body) {
    std::optional<request_target> target = parse_request_target(head.target);
    if (!target) return error_response(400, "malformed request target", "invalid_request_error");
    const std::string_view raw_path = target->raw_path;
    if (raw_path != base && raw_path.rfind(base + "/", 0) != 0) {
      return error_response(404,
                            "no route for " + target->path + " (the API lives under " + base + ")",
                            "invalid_request_error");
    }
    http_request request;
    // HEAD is GET without the body (RFC 9110 section 9.3.2); send_response drops the body.
    request.method = head.method == "HEAD" ? "GET" : head.method;
    // As sent: the fake splits it at '/' before decoding, so "cert%2Fx" stays one id.
    request.path = std::string(raw_path.substr(base.size()));
    request.query = std::move(target->query);
    request.headers = head.headers;
    request.body = std::move(body);
    try {
      return api.handle(request);
    } catch (const std::exception&) {
      return error_response(500, "internal error", "server_error");
    }
  };

  int port = 0;
  const int listener = listen_on(args.host, args.port, port);
  if (listener < 0) {
    std::cerr << "certharness serve: cannot listen on " << args.host << ":" << args.port << "\n";
    return 2;
  }
  const result<std::string> url = http_url(args.host, port, base);
  if (!url) {
    std::cerr << "certharness serve: cannot write the URL of " << args.host << ":" << port << ": "
              << url.error() << "\n";
    return 2;
  }
  std::printf("%s\n", url->c_str());
  std::fflush(stdout);
  accept_loop(listener, handle, log);
  return 0;
}

}  // namespace

command_runner add_serve_command(CLI::App& app) {
  auto args = std::make_shared<serve_args>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Run a stateful fake of the certificates API, with optional fault injection");
  cmd->add_option("--host", args->host, "Address to bind (loopback by default)")
      ->capture_default_str();
  cmd->add_option("--port", args->port, "Port; 0 takes a free one")
      ->check(whole_number(0, 65535))
      ->capture_default_str();
  cmd->add_option("--base-path", args->base_path, "Path prefix of the API")->capture_default_str();
  cmd->add_option("--seed-certs", args->seed_certs, "Certificates to preload (no 50 cap)")
      ->check(whole_number<std::size_t>(0, 1'000'000))
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed: ids, names and times are reproducible")
      ->check(whole_number<std::uint64_t>(0, UINT64_MAX))
      ->capture_default_str();
  cmd->add_option("--fault", args->faults, "Break one rule (repeatable; see --list-faults)");
  cmd->add_option("--rate-limit", args->rate_limit, "Requests per second, e.g. 10/s (429 past it)");
  cmd->add_flag("--list-faults", args->list_faults, "List the faults and exit");
  cmd->add_flag("--quiet", args->quiet, "No request log on stderr");
  return [args] { return run_serve(*args); };
}

}  // namespace certharness::cli
