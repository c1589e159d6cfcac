// `certharness serve` on the wire, with raw sockets: strict HTTP/1.1 framing (the status RFC
// 9110/9112 name for each malformed head), slow clients that must neither lock others out nor
// delay shutdown, and signals honoured while seeding. Every wait has a watchdog; none of these
// tests measures speed (tools/serve-load-check does).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "serve_process.hpp"

namespace certharness {
namespace {

using namespace std::chrono_literals;
using test_support::serve_process;

class client_socket {
 public:
  explicit client_socket(const std::string& base_url) {
    const std::size_t colon = base_url.rfind(':');
    const int port = std::stoi(base_url.substr(colon + 1));
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  client_socket(const client_socket&) = delete;
  client_socket& operator=(const client_socket&) = delete;
  ~client_socket() { close(fd_); }

  bool connected() const { return connected_; }
  bool send_bytes(const std::string& bytes) {
    return send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  void half_close() { shutdown(fd_, SHUT_WR); }

  // Reads until the server closes or `watchdog` passes; starts with what earlier reads kept.
  std::string read_all(std::chrono::milliseconds watchdog) {
    const auto deadline = std::chrono::steady_clock::now() + watchdog;
    while (std::chrono::steady_clock::now() < deadline && receive_some()) {
    }
    return std::exchange(pending_, {});
  }

  // Reads one response head and its Content-Length body (not for HEAD), or what came before
  // `watchdog`. Bytes past it (a pipelined next response in the same segment) are kept for the
  // next read: returning them here would lose that response.
  std::string read_response(std::chrono::milliseconds watchdog) {
    const auto deadline = std::chrono::steady_clock::now() + watchdog;
    for (;;) {
      const std::size_t end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::size_t cl = pending_.find("Content-Length: ");
        const std::size_t length = cl < end ? std::stoul(pending_.substr(cl + 16)) : 0;
        if (pending_.size() >= end + 4 + length) {
          std::string answer = pending_.substr(0, end + 4 + length);
          pending_.erase(0, end + 4 + length);
          return answer;
        }
      }
      if (std::chrono::steady_clock::now() >= deadline || !receive_some()) {
        return std::exchange(pending_, {});
      }
    }
  }

  // Reads, keeping everything, until `n` status lines have arrived (false at the watchdog or
  // when the server closes first).
  bool await_status_lines(int n, std::chrono::milliseconds watchdog) {
    const auto deadline = std::chrono::steady_clock::now() + watchdog;
    for (;;) {
      int seen = 0;
      for (std::size_t at = 0; (at = pending_.find("HTTP/1.1 ", at)) != std::string::npos; ++at) {
        ++seen;
      }
      if (seen >= n) return true;
      if (std::chrono::steady_clock::now() >= deadline || !receive_some()) return false;
    }
  }

 private:
  // Waits up to 50 ms for bytes and appends them to pending_; false once the server closed.
  bool receive_some() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) return true;
    char buf[4096];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    pending_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;  // received, not yet returned
};

std::string status_line(const std::string& answer) { return answer.substr(0, answer.find('\r')); }

const std::string k_list = "GET /v1/organization/certificates HTTP/1.1\r\nHost: 127.0.0.1\r\n";

TEST(serve_wire, malformed_heads_get_the_status_the_rfcs_name) {
  serve_process server({"--seed-certs", "2"});
  const struct {
    const char* what;
    std::string bytes;
    const char* status;
  } cases[] = {
      {"header line without a colon", k_list + "NoColon\r\n\r\n", "400"},
      {"NUL in a header value", k_list + std::string("X-A: a\0b\r\n\r\n", 12), "400"},
      {"Content-Length: +2", k_list + "Content-Length: +2\r\n\r\nab", "400"},
      {"Content-Length: 2 2", k_list + "Content-Length: 2 2\r\n\r\nab", "400"},
      {"Content-Length: 0x10", k_list + "Content-Length: 0x10\r\n\r\n0123456789abcdef", "400"},
      {"a 64 KB header", k_list + "X-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n", "431"},
      {"an unknown method", "FROB /v1/organization/certificates HTTP/1.1\r\nHost: a\r\n\r\n",
       "501"},
      {"HTTP/9.9", "GET /v1/organization/certificates HTTP/9.9\r\nHost: a\r\n\r\n", "505"},
      {"no Host", "GET /v1/organization/certificates HTTP/1.1\r\n\r\n", "400"},
  };
  for (const auto& c : cases) {
    client_socket client(server.base_url());
    ASSERT_TRUE(client.connected());
    client.send_bytes(c.bytes);
    client.half_close();
    const std::string answer = client.read_all(20s);
    EXPECT_EQ(status_line(answer).substr(0, 12), std::string("HTTP/1.1 ") + c.status)
        << c.what << ": " << status_line(answer);
    EXPECT_NE(answer.find("\"error\""), std::string::npos) << c.what << ": not an ErrorResponse";
  }
  // A known method on a route that does not take it is the API's 405, with Allow.
  client_socket client(server.base_url());
  client.send_bytes("PUT /v1/organization/certificates HTTP/1.1\r\nHost: a\r\n\r\n");
  const std::string answer = client.read_response(20s);
  EXPECT_EQ(status_line(answer), "HTTP/1.1 405 Method Not Allowed");
  EXPECT_NE(answer.find("\r\nAllow: "), std::string::npos) << answer;
  EXPECT_EQ(server.stop(), 0);
}

TEST(serve_wire, an_oversized_body_is_refused_before_it_is_sent) {
  serve_process server({});
  client_socket client(server.base_url());
  ASSERT_TRUE(client.connected());
  // Only the head: the 2 GB never comes. A server that reads (or skips) the body first answers
  // only when its read timeout (10 s) ends the wait; the watchdog is half that.
  client.send_bytes(
      "POST /v1/organization/certificates HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000000\r\n"
      "\r\n");
  const std::string answer = client.read_response(5s);
  EXPECT_EQ(status_line(answer), "HTTP/1.1 413 Content Too Large") << answer;
  EXPECT_EQ(server.stop(), 0);
}

TEST(serve_wire, keep_alive_pipelining_chunked_bodies_and_head) {
  serve_process server({});
  client_socket client(server.base_url());
  ASSERT_TRUE(client.connected());
  // Two requests in one write, the first with a chunked body: both answered, in order.
  client.send_bytes(
      "POST /v1/organization/certificates HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer k\r\n"
      "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" +
      k_list + "Authorization: Bearer k\r\n\r\n");
  // Both answers are in before the first is read, so they share segments and reads: the
  // server answers pipelined requests without waiting for its client, and the reader splits them.
  ASSERT_TRUE(client.await_status_lines(2, 20s)) << "the second pipelined request went unanswered";
  const std::string first = client.read_response(20s);
  EXPECT_EQ(status_line(first), "HTTP/1.1 400 Bad Request") << "the API refuses {}: " << first;
  const std::string second = client.read_response(20s);
  EXPECT_EQ(status_line(second), "HTTP/1.1 200 OK") << second;
  client.send_bytes(
      "HEAD /v1/organization/certificates HTTP/1.1\r\nHost: a\r\n"
      "Authorization: Bearer k\r\nConnection: close\r\n\r\n");
  const std::string head = client.read_all(20s);
  EXPECT_EQ(status_line(head), "HTTP/1.1 200 OK") << head;
  ASSERT_NE(head.find("\r\n\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.substr(head.find("\r\n\r\n") + 4), "") << "HEAD answered with a body";
  EXPECT_EQ(server.stop(), 0);
}

// Clients that open a connection and send part of a head, then nothing.
std::vector<std::unique_ptr<client_socket>> slow_clients(const std::string& base_url, int n) {
  std::vector<std::unique_ptr<client_socket>> slow;
  for (int i = 0; i < n; ++i) {
    slow.push_back(std::make_unique<client_socket>(base_url));
    EXPECT_TRUE(slow.back()->connected());
    slow.back()->send_bytes(k_list);
  }
  return slow;
}

TEST(serve_wire, requests_are_answered_while_sixteen_slow_clients_hold_connections) {
  serve_process server({"--seed-certs", "3"});
  const auto slow = slow_clients(server.base_url(), 16);
  // The watchdog is half the 10 s read timeout a fixed pool of 8 workers would make us wait.
  for (int i = 0; i < 8; ++i) {
    client_socket client(server.base_url());
    ASSERT_TRUE(client.connected());
    client.send_bytes(k_list + "Authorization: Bearer k\r\n\r\n");
    const std::string answer = client.read_response(5s);
    EXPECT_EQ(status_line(answer), "HTTP/1.1 200 OK") << "request " << i;
  }
  EXPECT_EQ(server.stop(), 0);
}

TEST(serve_wire, sigint_stops_serve_whatever_its_clients_do) {
  serve_process server({"--seed-certs", "3"});
  const auto slow = slow_clients(server.base_url(), 16);
  client_socket idle(server.base_url());  // kept alive after one answer, then silent
  idle.send_bytes(k_list + "Authorization: Bearer k\r\n\r\n");
  EXPECT_EQ(status_line(idle.read_response(20s)), "HTTP/1.1 200 OK");
  client_socket sending(server.base_url());  // a body that never ends
  sending.send_bytes(
      "POST /v1/organization/certificates HTTP/1.1\r\nHost: a\r\n"
      "Content-Length: 100000\r\n\r\n{\"name\":");
  // The promise is 2 s (tools/serve-load-check measures it); the watchdog is generous.
  EXPECT_EQ(server.stop_within(SIGINT, 8s), 0) << "-1: still running at the watchdog";
}

// Whether `pid` blocks SIGINT in its main thread (serve does from just before seeding on).
bool blocks_sigint(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("SigBlk:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) & 2) != 0;
  }
  return false;
}

TEST(serve_wire, sigint_while_seeding_stops_serve_before_it_listens) {
  // Far more certificates than can be made before the signal, so it lands while seeding.
  serve_process server({"--seed-certs", "1000000"}, /*wait_for_url=*/false);
  // A signal before serve takes them would kill it by default: wait until it does.
  for (int i = 0; i < 400 && !blocks_sigint(server.pid()); ++i) poll(nullptr, 0, 50);
  ASSERT_TRUE(blocks_sigint(server.pid())) << "serve never blocked SIGINT";
  poll(nullptr, 0, 200);
  EXPECT_EQ(server.stop_within(SIGINT, 8s), 0) << "-1: still seeding at the watchdog";
  EXPECT_EQ(server.next_line(100ms), "") << "serve listened although it was stopped";
}

}  // namespace
}  // namespace certharness
