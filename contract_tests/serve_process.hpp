// `certharness serve` as a child process for end-to-end tests: started on port 0, its base URL
// read from the first line of its stdout, stopped with a signal.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace certharness::test_support {

class serve_process {
 public:
  // Waits for the base URL unless `wait_for_url` is false (e.g. to signal serve while seeding).
  explicit serve_process(const std::vector<std::string>& extra_args, bool wait_for_url = true) {
    std::vector<std::string> args{CERTHARNESS_CLI, "serve", "--port", "0", "--quiet"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc != 0) {
      close(out[0]);
      throw std::runtime_error("cannot start " + args[0]);
    }
    stdout_fd_ = out[0];
    if (!wait_for_url) return;
    base_url_ = read_line(std::chrono::seconds(60));  // seeding many certificates takes a moment
    if (base_url_.rfind("http://127.0.0.1:", 0) != 0) {
      stop(SIGKILL);
      throw std::runtime_error("serve printed \"" + base_url_ + "\" instead of its base URL");
    }
  }
  serve_process(const serve_process&) = delete;
  serve_process& operator=(const serve_process&) = delete;
  ~serve_process() {
    if (pid_ > 0) stop(SIGKILL);
    if (stdout_fd_ >= 0) close(stdout_fd_);
  }

  const std::string& base_url() const { return base_url_; }
  pid_t pid() const { return pid_; }

  // Sends `sig` and waits at most `watchdog`; returns the exit code (128 + signal when killed by
  // one), or -1 when serve was still running at the watchdog and had to be killed.
  int stop_within(int sig, std::chrono::milliseconds watchdog) {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, sig);
    const auto deadline = std::chrono::steady_clock::now() + watchdog;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        stop(SIGKILL);
        return exit_code_ = -1;
      }
      poll(nullptr, 0, 20);
    }
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

  // The next line serve prints, waiting at most `timeout` ("" if none).
  std::string next_line(std::chrono::milliseconds timeout) { return read_line(timeout); }

  // Sends `sig` and waits; returns the exit code (or 128 + signal when killed by one).
  int stop(int sig = SIGTERM) {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char c;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = read(stdout_fd_, &c, 1);
      if (n <= 0 || c == '\n') break;
      line.push_back(c);
    }
    return line;
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int exit_code_ = -1;
  std::string base_url_;
};

}  // namespace certharness::test_support
