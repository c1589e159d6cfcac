// `certharness serve`: the fake certificates API (fake_api) on HTTP, with cpp-httplib.
#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "certharness/fake_api.hpp"
#include "certharness/http_message.hpp"
#include "certharness/json_document.hpp"
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
  std::string body = "{\"error\":{\"message\":";
  append_json_string(body, message);
  body += ",\"type\":";
  append_json_string(body, type);
  body += ",\"param\":null,\"code\":null}}";
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

// Shutdown must not wait out a `slow` fault's delay.
std::atomic<bool> g_stopping{false};

void interruptible_sleep(std::chrono::milliseconds delay) {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (!g_stopping.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

class request_log {
 public:
  explicit request_log(bool quiet) : quiet_(quiet) {}
  void line(const std::string& method, std::string_view path, int status,
            std::chrono::steady_clock::duration took) {
    if (quiet_) return;
    const double ms = std::chrono::duration<double, std::milli>(took).count();
    std::lock_guard lock(mutex_);
    std::fprintf(stderr, "%s %.*s %d %.1f ms\n", method.c_str(), static_cast<int>(path.size()),
                 path.data(), status, ms);
  }

 private:
  bool quiet_;
  std::mutex mutex_;
};

void answer(const http_response& r, httplib::Response& res) {
  res.status = r.status;
  std::string content_type = "application/json";
  for (const auto& [name, value] : r.headers) {
    if (same_header_name(name, "Content-Type")) {
      content_type = value;
    } else {
      res.set_header(name, value);
    }
  }
  if (r.fault == transport_fault::truncate_body) {
    // Promise more bytes than are sent, then drop the connection.
    auto body = std::make_shared<std::string>(r.body);
    res.set_content_provider(
        body->size() + 64, content_type,
        [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          if (offset == 0) sink.write(body->data(), body->size());
          return false;
        });
    return;
  }
  res.set_content(r.body, content_type);
}

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

  // Signals are taken by one thread with sigwait; every other thread, httplib's included,
  // inherits the mask and never sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  fake_api api(options);
  request_log log(args.quiet);
  httplib::Server server;
  server.set_payload_max_length(k_max_request_body);
  server.set_read_timeout(10, 0);
  server.set_keep_alive_max_count(1000);
  // httplib's stop() waits for idle keep-alive connections to time out: keep that short.
  server.set_keep_alive_timeout(1);
  server.set_tcp_nodelay(true);  // without it every response after a connection's first waits ~40 ms

  const auto handler = [&](const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    const std::string_view raw_path = std::string_view(req.target).substr(0, req.target.find('?'));
    std::optional<request_target> target = parse_request_target(req.target);
    http_response r;
    if (!target) {
      r.status = 400;
      r.body = error_body("malformed request target", "invalid_request_error");
    } else if (raw_path != base && raw_path.rfind(base + "/", 0) != 0) {
      r.status = 404;
      r.body = error_body("no route for " + target->path + " (the API lives under " + base + ")",
                          "invalid_request_error");
    } else {
      http_request request;
      request.method = req.method;
      // As sent: the fake splits it at '/' before decoding, so "cert%2Fx" stays one id.
      request.path = std::string(raw_path.substr(base.size()));
      request.query = std::move(target->query);
      for (const auto& [name, value] : req.headers) {
        // httplib injects the socket addresses as pseudo-headers; they were never sent.
        if (name == "LOCAL_ADDR" || name == "LOCAL_PORT" || name == "REMOTE_ADDR" ||
            name == "REMOTE_PORT") {
          continue;
        }
        request.headers.emplace_back(name, value);
      }
      request.body = req.body;
      r = api.handle(request);
    }
    if (r.delay.count() > 0) interruptible_sleep(r.delay);
    answer(r, res);
    log.line(req.method, raw_path, r.status, std::chrono::steady_clock::now() - started);
  };
  for (auto route : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put,
                     &httplib::Server::Patch, &httplib::Server::Delete, &httplib::Server::Options}) {
    (server.*route)(".*", handler);
  }
  // What httplib answers on its own (malformed requests, oversized bodies, unknown methods)
  // still gets an ErrorResponse body.
  // httplib calls this for every 4xx/5xx, ours included; only what it answered on its own
  // (malformed requests, oversized bodies, unknown methods) still lacks a body and a log line.
  server.set_error_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string message =
        res.status == 413 ? "request body larger than " + std::to_string(k_max_request_body) +
                                " bytes"
        : res.status == 400 ? std::string("malformed HTTP request (method, target or headers)")
                            : "HTTP " + std::to_string(res.status);
    res.set_content(error_body(message, "invalid_request_error"), "application/json");
    log.line(req.method, std::string_view(req.target).substr(0, req.target.find('?')),
             res.status, {});
  });
  server.set_exception_handler(
      [&](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(error_body("internal error", "server_error"), "application/json");
      });

  const int port = args.port == 0 ? server.bind_to_any_port(args.host)
                                   : (server.bind_to_port(args.host, args.port) ? args.port : -1);
  if (port <= 0) {
    std::cerr << "certharness serve: cannot listen on " << args.host << ":" << args.port << "\n";
    return 2;
  }
  const bool ipv6 = args.host.find(':') != std::string::npos;
  std::printf("http://%s%s%s:%d%s\n", ipv6 ? "[" : "", args.host.c_str(), ipv6 ? "]" : "", port,
              base.c_str());
  std::fflush(stdout);

  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    g_stopping = true;
    server.stop();
  });
  const bool listened = server.listen_after_bind();
  if (!g_stopping) pthread_kill(signal_waiter.native_handle(), SIGTERM);  // wake the waiter
  signal_waiter.join();
  return listened || g_stopping ? 0 : 2;
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
