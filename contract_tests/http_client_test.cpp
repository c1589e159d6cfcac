// The libcurl transport against an in-process cpp-httplib server on 127.0.0.1: what is sent
// arrives as sent, any status is a response, and every transport failure is one line of data.
#include "certharness/http/http_client.hpp"
#include "certharness/http/url.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace certharness {
namespace {

using namespace std::chrono_literals;

// Answers "METHOD\n" then one "name: value" line per request header, then the body.
void echo(const httplib::Request& req, httplib::Response& res) {
  std::string text = req.method + "\n";
  for (const auto& [name, value] : req.headers) text += name + ": " + value + "\n";
  res.set_content(text + "\n" + req.body, "text/plain");
}

class test_server {
 public:
  test_server() {
    // Without it, every response after a connection's first waits ~40 ms for a delayed ACK
    // (Nagle: httplib writes headers and body separately).
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(1'000);
    server_.set_keep_alive_timeout(1);
    server_.Get("/echo", echo);
    server_.Post("/echo", echo);
    server_.Put("/echo", echo);
    server_.Delete("/echo", echo);
    server_.Get("/headers", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Mixed-Case-Name", "Value");
      res.set_header("x-multi", "1");
      res.set_header("x-multi", "2");
      res.set_content("{}", "application/json");
    });
    server_.Get("/redirect", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("/echo", 301);
    });
    server_.Get("/bytes/(\\d+)", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::string(std::stoul(req.matches[1]), 'x'), "text/plain");
    });
    // No Content-Length: the size is known only as the bytes arrive.
    server_.Get("/chunked/(\\d+)", [](const httplib::Request& req, httplib::Response& res) {
      const std::size_t size = std::stoul(req.matches[1]);
      res.set_chunked_content_provider("text/plain", [size](std::size_t, httplib::DataSink& sink) {
        const std::string chunk(size, 'x');
        sink.write(chunk.data(), chunk.size());
        sink.done();
        return true;
      });
    });
    server_.Get("/truncated", [](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(100, "text/plain",
                               [](std::size_t, std::size_t, httplib::DataSink& sink) {
                                 sink.write("0123456789", 10);
                                 return false;  // httplib closes the connection
                               });
    });
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock lock(mutex_);
      released_.wait_for(lock, 5s, [this] { return stopping_; });
      res.set_content("late", "text/plain");
    });
    server_.Get("/remote-port", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::to_string(req.remote_port), "text/plain");
    });
    server_.Get("/segment/(.*)", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.matches[1], "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Connections queue in the listen backlog until the accept loop starts: no race.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }

  ~test_server() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    released_.notify_all();
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool stopping_ = false;
};

// A bound loopback TCP socket (port chosen by the kernel), closed on destruction.
class loopback_socket {
 public:
  loopback_socket() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot bind a loopback socket";
    }
    port_ = ntohs(address.sin_port);
  }
  ~loopback_socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  loopback_socket(const loopback_socket&) = delete;
  loopback_socket& operator=(const loopback_socket&) = delete;

  int fd() const { return fd_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_;
  int port_ = 0;
};

// One connection, byte-exact both ways: what the client put on the wire (httplib would
// normalise it), and a canned answer httplib cannot produce (1xx, folded headers).
class raw_peer {
 public:
  explicit raw_peer(std::string answer) {
    ::listen(socket_.fd(), 1);
    thread_ = std::thread([this, answer = std::move(answer)] {
      pollfd waiting{socket_.fd(), POLLIN, 0};
      if (::poll(&waiting, 1, 2'000) != 1) return;
      const int connection = ::accept(socket_.fd(), nullptr, nullptr);
      if (connection < 0) return;
      char buffer[4096];
      while (received_.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        received_.append(buffer, static_cast<std::size_t>(n));
      }
      ::send(connection, answer.data(), answer.size(), MSG_NOSIGNAL);
      ::close(connection);
    });
  }
  ~raw_peer() {
    if (thread_.joinable()) thread_.join();
  }

  std::string url() const { return socket_.url("/raw"); }
  // The request as received; call after the exchange.
  const std::string& received() {
    thread_.join();
    return received_;
  }

 private:
  loopback_socket socket_;
  std::string received_;
  std::thread thread_;
};

// Every exchange in this file is local and fast; a hung one fails within a second.
client_options quick() {
  client_options options;
  options.timeout = 1s;
  options.connect_timeout = 1s;
  return options;
}

client_response must_respond(http_client& client, const client_request& request) {
  result<client_response, transport_error> r = client.send(request);
  if (!r) {
    ADD_FAILURE() << request.method << " " << request.url << ": " << r.error().message;
    return {};
  }
  return *std::move(r);
}

transport_error must_fail(http_client& client, const client_request& request) {
  result<client_response, transport_error> r = client.send(request);
  if (r) {
    ADD_FAILURE() << request.method << " " << request.url << " answered " << r->status;
    return {};
  }
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  return std::move(r).error();
}

client_request get(const std::string& url) {
  client_request request;
  request.url = url;
  return request;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(http_client, get_sends_headers_as_given) {
  test_server server;
  http_client client(quick());
  client_request request = get(server.url("/echo"));
  request.headers = {
      {"Authorization", "Bearer sk-test"}, {"X-Mixed-Case", "Some Value"}, {"X-Empty", ""}};
  const client_response response = must_respond(client, request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.rfind("GET\n", 0), 0u) << response.body;
  EXPECT_TRUE(contains(response.body, "\nAuthorization: Bearer sk-test\n")) << response.body;
  EXPECT_TRUE(contains(response.body, "\nX-Mixed-Case: Some Value\n")) << response.body;
  EXPECT_TRUE(contains(response.body, "\nUser-Agent: certharness\n")) << response.body;
  EXPECT_FALSE(contains(response.body, "Content-Length")) << response.body;
  EXPECT_GT(response.elapsed.count(), 0);
}

TEST(http_client, post_body_round_trips_byte_for_byte) {
  test_server server;
  http_client client(quick());
  client_request request = get(server.url("/echo"));
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}};
  const std::string body = std::string("{\"name\":\"caf\xC3\xA9\"}\0\r\n tail", 23);
  request.body = body;
  const client_response response = must_respond(client, request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.rfind("POST\n", 0), 0u) << response.body;
  EXPECT_TRUE(contains(response.body, "\nContent-Type: application/json\n")) << response.body;
  EXPECT_TRUE(contains(response.body, "\nContent-Length: 23\n")) << response.body;
  EXPECT_FALSE(contains(response.body, "Expect")) << response.body;
  EXPECT_EQ(response.body.substr(response.body.size() - body.size()), body);
}

TEST(http_client, a_body_without_content_type_gets_none) {
  test_server server;
  http_client client(quick());
  client_request request = get(server.url("/echo"));
  request.method = "POST";
  const client_response empty = must_respond(client, request);
  EXPECT_TRUE(contains(empty.body, "\nContent-Length: 0\n")) << empty.body;
  EXPECT_FALSE(contains(empty.body, "Content-Type")) << empty.body;
  request.method = "PUT";
  request.body = "raw";
  const client_response put = must_respond(client, request);
  EXPECT_EQ(put.body.rfind("PUT\n", 0), 0u) << put.body;
  EXPECT_FALSE(contains(put.body, "Content-Type")) << put.body;
  EXPECT_TRUE(put.body.ends_with("\nraw")) << put.body;
}

TEST(http_client, delete_and_head) {
  test_server server;
  http_client client(quick());
  client_request request = get(server.url("/echo"));
  request.method = "DELETE";
  const client_response deleted = must_respond(client, request);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body.rfind("DELETE\n", 0), 0u) << deleted.body;
  request.method = "HEAD";
  const client_response head = must_respond(client, request);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
}

TEST(http_client, request_headers_go_on_the_wire_as_given) {
  raw_peer peer("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
  http_client client(quick());
  client_request request = get(peer.url());
  request.headers = {{"X-Zeta", "1"}, {"x-lower", "two words"}, {"X-Empty", ""}, {"X-Zeta", "3"}};
  EXPECT_EQ(must_respond(client, request).status, 204);
  const std::string& wire = peer.received();
  EXPECT_TRUE(contains(wire, "\r\nX-Zeta: 1\r\nx-lower: two words\r\nX-Empty:\r\nX-Zeta: 3\r\n"))
      << wire;
  EXPECT_FALSE(contains(wire, "Expect")) << wire;
}

TEST(http_client, only_the_final_response_headers_are_kept) {
  raw_peer peer(
      "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
      "HTTP/1.1 200 OK\r\nX-Final: 2\r\nX-Folded: a\r\n  b\r\n"
      "Content-Length: 2\r\nConnection: close\r\n\r\nok");
  http_client client(quick());
  const client_response response = must_respond(client, get(peer.url()));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok");
  EXPECT_EQ(response.headers, (header_list{{"X-Final", "2"},
                                           {"X-Folded", "a b"},
                                           {"Content-Length", "2"},
                                           {"Connection", "close"}}));
}

TEST(http_client, a_malformed_response_is_an_error) {
  raw_peer peer("HTTP/1.1 200 OK\r\nnot a header\r\n\r\n");
  http_client client(quick());
  const transport_error error = must_fail(client, get(peer.url()));
  EXPECT_TRUE(error.message.starts_with("invalid HTTP response (127.0.0.1:")) << error.message;
}

// Regression: libcurl refuses a header line over 100 KB with CURLE_OUT_OF_MEMORY, which
// was thrown as std::bad_alloc and ended the whole run. It is a transport error of the one
// exchange; the client goes on working; a line under the limit is read whole.
TEST(http_client, a_header_line_over_libcurls_limit_is_a_transport_error) {
  const std::string huge(200'000, 'h');
  const struct {
    const char* name;
    std::string answer;
  } refused[] = {
      {"a header line", "HTTP/1.1 200 OK\r\nX-Huge: " + huge +
                            "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"},
      {"the status line", "HTTP/1.1 200 " + huge + "\r\nContent-Length: 2\r\n\r\n{}"},
      {"after a 1xx", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-Huge: " + huge +
                          "\r\nContent-Length: 2\r\n\r\n{}"},
  };
  http_client client(quick());
  for (const auto& c : refused) {
    raw_peer peer(c.answer);
    std::optional<result<client_response, transport_error>> sent;
    try {
      sent.emplace(client.send(get(peer.url())));
    } catch (const std::bad_alloc&) {
      ADD_FAILURE() << c.name << ": std::bad_alloc";
      continue;
    }
    const result<client_response, transport_error>& r = *sent;
    ASSERT_FALSE(r.has_value()) << c.name << ": answered " << r->status;
    const transport_error& e = r.error();
    EXPECT_FALSE(e.no_connection) << c.name;
    EXPECT_TRUE(contains(e.message, "100 KB limit")) << c.name << ": " << e.message;
    EXPECT_TRUE(contains(e.message, "(127.0.0.1:")) << c.name << ": " << e.message;
  }
  const std::string large(90'000, 'l');
  raw_peer peer("HTTP/1.1 200 OK\r\nX-Large: " + large +
                "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  const client_response response = must_respond(client, get(peer.url()));
  EXPECT_EQ(find_header(response.headers, "X-Large"), large);
  EXPECT_EQ(response.body, "{}");
}

TEST(http_client, response_headers_keep_case_order_and_repeats) {
  test_server server;
  http_client client(quick());
  const client_response response = must_respond(client, get(server.url("/headers")));
  std::vector<std::string> multi;
  bool mixed_case_seen = false;
  for (const auto& [name, value] : response.headers) {
    if (name == "x-multi") multi.push_back(value);
    if (name == "X-Mixed-Case-Name") mixed_case_seen = value == "Value";
    EXPECT_FALSE(name.ends_with("\r") || value.ends_with("\r") || value.ends_with("\n")) << name;
  }
  EXPECT_TRUE(mixed_case_seen);
  EXPECT_EQ(multi, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(find_header(response.headers, "content-type"), "application/json");
  EXPECT_EQ(find_header(response.headers, "Content-Length"), "2");
}

TEST(http_client, error_statuses_are_responses) {
  test_server server;
  http_client client(quick());
  const client_response response = must_respond(client, get(server.url("/no/such/path")));
  EXPECT_EQ(response.status, 404);
}

TEST(http_client, redirects_are_returned_not_followed) {
  test_server server;
  http_client client(quick());
  const client_response response = must_respond(client, get(server.url("/redirect")));
  EXPECT_EQ(response.status, 301);
  EXPECT_EQ(find_header(response.headers, "Location"), "/echo");
}

TEST(http_client, bodies_up_to_the_limit_are_read_larger_ones_refused) {
  test_server server;
  client_options options = quick();
  options.max_body_bytes = 100;
  http_client client(options);
  EXPECT_EQ(must_respond(client, get(server.url("/bytes/100"))).body, std::string(100, 'x'));
  EXPECT_EQ(must_respond(client, get(server.url("/chunked/100"))).body, std::string(100, 'x'));
  for (const char* path : {"/bytes/101", "/chunked/101", "/bytes/100000"}) {
    const transport_error error = must_fail(client, get(server.url(path)));
    EXPECT_TRUE(contains(error.message, "response body larger than 100 bytes")) << error.message;
    EXPECT_FALSE(error.timed_out);
  }
  // The connection the refusal abandoned is not reused half-read.
  EXPECT_EQ(must_respond(client, get(server.url("/bytes/3"))).body, "xxx");
}

TEST(http_client, a_slow_server_times_out) {
  test_server server;
  client_options options = quick();
  options.timeout = 200ms;
  http_client client(options);
  const transport_error error = must_fail(client, get(server.url("/slow")));
  EXPECT_TRUE(error.timed_out);
  EXPECT_FALSE(error.no_connection) << "the server was reached";
  EXPECT_TRUE(contains(error.message, "timed out after ")) << error.message;
  EXPECT_TRUE(contains(error.message, "127.0.0.1")) << error.message;
}

TEST(http_client, connection_refused_names_the_host_and_never_the_headers) {
  // A bound socket that never listens: connecting to it is refused, and no one else can take
  // the port while the test runs.
  const loopback_socket closed;
  http_client client(quick());
  client_request request = get(closed.url("/v1/organization/certificates"));
  request.headers = {{"Authorization", "Bearer sk-admin-secret"}};
  const transport_error error = must_fail(client, request);
  const std::string host_port = closed.url("").substr(std::string_view("http://").size());
  EXPECT_EQ(error.message, "connection refused (" + host_port + ")");
  EXPECT_TRUE(error.no_connection);
  EXPECT_FALSE(error.timed_out);
  EXPECT_FALSE(contains(error.message, "sk-admin-secret"));
}

TEST(http_client, a_body_shorter_than_its_content_length_is_an_error) {
  test_server server;
  http_client client(quick());
  const transport_error error = must_fail(client, get(server.url("/truncated")));
  EXPECT_TRUE(contains(error.message, "truncated")) << error.message;
  EXPECT_TRUE(contains(error.message, "127.0.0.1")) << error.message;
  EXPECT_FALSE(error.timed_out);
}

TEST(http_client, keeps_one_connection_alive_across_requests) {
  test_server server;
  http_client client(quick());
  std::set<std::string> client_ports;
  for (int i = 0; i < 100; ++i) {
    const client_response response = must_respond(client, get(server.url("/remote-port")));
    ASSERT_EQ(response.status, 200);
    client_ports.insert(response.body);
  }
  EXPECT_EQ(client_ports.size(), 1u);
}

TEST(http_client, refuses_requests_that_would_smuggle_lines) {
  http_client client(quick());
  client_request request = get("http://127.0.0.1:1/");
  request.headers = {{"X-Id", "a\r\nX-Injected: 1"}};
  EXPECT_TRUE(contains(must_fail(client, request).message, "invalid request header"));
  request.headers = {{"X Id", "a"}};
  EXPECT_TRUE(contains(must_fail(client, request).message, "invalid request header"));
  request.headers = {};
  request.method = "GET /other HTTP/1.1\r\n";
  EXPECT_EQ(must_fail(client, request).message, "invalid request method");
}

TEST(http_client, only_http_and_https) {
  http_client client(quick());
  const transport_error error = must_fail(client, get("file:///etc/passwd"));
  EXPECT_TRUE(contains(error.message, "unsupported URL scheme")) << error.message;
}

TEST(http_client, a_percent_encoded_segment_arrives_as_one_segment) {
  test_server server;
  http_client client(quick());
  const std::string id = "a/b?c#d%e f+\xC3\xA9";
  const client_response response =
      must_respond(client, get(server.url("/segment/" + percent_encode(id))));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, id);
}

}  // namespace
}  // namespace certharness
