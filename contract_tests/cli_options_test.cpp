// Every numeric option of every command, and --engine: a negative, huge, NaN, unknown or
// otherwise out-of-range value is refused with exit 2 and a message naming the option, before
// anything runs; the bounds themselves are accepted.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "certharness/version.hpp"
#include "cli_process.hpp"

namespace certharness {
namespace {

namespace fs = std::filesystem;

// `command` runs with `option value` inserted after it. Each command line ends in a way that
// exits at once once parsing passes: crawl without a key, serve listing its faults, replay of a
// missing file, validate of an empty stdin. `timeout` bounds the run should a value slip through.
struct option_case {
  const char* command;
  const char* rest;
  const char* option;
  const char* value;
};

constexpr const char* k_crawl = "crawl";
constexpr const char* k_crawl_rest = "--base-url http://127.0.0.1:9/v1";
constexpr const char* k_serve_rest = "--list-faults";
constexpr const char* k_replay_rest = "no-such-file.har";
constexpr const char* k_validate_rest = "-";

const option_case k_refused[] = {
    {k_crawl, k_crawl_rest, "--timeout", "1e16"},
    {k_crawl, k_crawl_rest, "--timeout", "1e300"},
    {k_crawl, k_crawl_rest, "--timeout", "nan"},
    {k_crawl, k_crawl_rest, "--timeout", "inf"},
    {k_crawl, k_crawl_rest, "--timeout", "-1"},
    {k_crawl, k_crawl_rest, "--timeout", "0"},
    {k_crawl, k_crawl_rest, "--timeout", "0.0001"},
    {k_crawl, k_crawl_rest, "--timeout", "86401"},
    {k_crawl, k_crawl_rest, "--max-pages", "-1"},
    {k_crawl, k_crawl_rest, "--max-pages", "0"},
    {k_crawl, k_crawl_rest, "--max-pages", "nan"},
    {k_crawl, k_crawl_rest, "--max-pages", "99999999999999999999"},
    {k_crawl, k_crawl_rest, "--max-pages", "1000001"},
    {k_crawl, k_crawl_rest, "--retries", "-1"},
    {k_crawl, k_crawl_rest, "--retries", "nan"},
    {k_crawl, k_crawl_rest, "--retries", "11"},
    {k_crawl, k_crawl_rest, "--backoff-ms", "-1"},
    {k_crawl, k_crawl_rest, "--backoff-ms", "nan"},
    {k_crawl, k_crawl_rest, "--backoff-ms", "60001"},
    {k_crawl, k_crawl_rest, "--limits", "-1"},
    {k_crawl, k_crawl_rest, "--limits", "nan"},
    {k_crawl, k_crawl_rest, "--limits", "7,99999999999999999999"},
    {k_crawl, k_crawl_rest, "--limits", "0"},
    {k_crawl, k_crawl_rest, "--limits", "7,101"},
    {k_crawl, k_crawl_rest, "--limits", "0x10"},
    {k_crawl, k_crawl_rest, "--limits", ""},
    {k_crawl, k_crawl_rest, "--limits", ","},
    {k_crawl, k_crawl_rest, "--orders", "sideways"},
    {k_crawl, k_crawl_rest, "--orders", "desc,up"},
    {k_crawl, k_crawl_rest, "--orders", ""},
    {k_crawl, k_crawl_rest, "--orders", ","},
    {"replay", k_replay_rest, "--max-pages", "-1"},
    {"replay", k_replay_rest, "--max-pages", "nan"},
    {"replay", k_replay_rest, "--max-pages", "99999999999999999999"},
    {"replay", k_replay_rest, "--max-bytes", "-5"},
    {"replay", k_replay_rest, "--max-bytes", "2GB"},
    {"replay", k_replay_rest, "--max-depth", "0"},
    {"serve", k_serve_rest, "--seed-certs", "-1"},
    {"serve", k_serve_rest, "--seed-certs", "nan"},
    {"serve", k_serve_rest, "--seed-certs", "99999999999999999999"},
    {"serve", k_serve_rest, "--seed-certs", "1000001"},
    {"serve", k_serve_rest, "--seed", "-1"},
    {"serve", k_serve_rest, "--seed", "nan"},
    {"serve", k_serve_rest, "--seed", "18446744073709551616"},
    {"serve", k_serve_rest, "--port", "-1"},
    {"serve", k_serve_rest, "--port", "nan"},
    {"serve", k_serve_rest, "--port", "65536"},
    {"serve", "--port 0", "--rate-limit", "inf"},
    {"serve", "--port 0", "--rate-limit", "nan/s"},
    {"serve", "--port 0", "--rate-limit", "-1"},
    {"validate", k_validate_rest, "--max-bytes", "-5"},
    {"validate", k_validate_rest, "--max-bytes", "-5KB"},
    {"validate", k_validate_rest, "--max-bytes", "nan"},
    {"validate", k_validate_rest, "--max-bytes", "0"},
    {"validate", k_validate_rest, "--max-bytes", "2GB"},
    {"validate", k_validate_rest, "--max-bytes", "99999999999999999999"},
    {"validate", k_validate_rest, "--max-depth", "-1"},
    {"validate", k_validate_rest, "--max-depth", "nan"},
    {"validate", k_validate_rest, "--max-depth", "99999999999999999999"},
    {"validate", k_validate_rest, "--jobs", "-1"},
    {"validate", k_validate_rest, "--jobs", "nan"},
    {"validate", k_validate_rest, "--jobs", "4294967296"},
    {"validate", k_validate_rest, "--jobs", "1025"},
    {"validate", k_validate_rest, "--engine", "bogus"},
    {"validate", k_validate_rest, "--engine", ""},
    {k_crawl, k_crawl_rest, "--engine", "bogus"},
    {"replay", k_replay_rest, "--engine", "Valijson"},
};

// The bounds and ordinary spellings: parsing passes, whatever the run then says.
const option_case k_accepted[] = {
    {k_crawl, k_crawl_rest, "--timeout", "0.001"},
    {k_crawl, k_crawl_rest, "--timeout", "86400"},
    {k_crawl, k_crawl_rest, "--timeout", "1e1"},
    {k_crawl, k_crawl_rest, "--max-pages", "1000000"},
    {k_crawl, k_crawl_rest, "--retries", "0"},
    {k_crawl, k_crawl_rest, "--backoff-ms", "60000"},
    {k_crawl, k_crawl_rest, "--limits", "1,100"},
    {k_crawl, k_crawl_rest, "--limits", "010,,7,"},
    {k_crawl, k_crawl_rest, "--orders", "asc"},
    {k_crawl, k_crawl_rest, "--orders", "desc,asc,desc"},
    {"replay", k_replay_rest, "--max-pages", "1"},
    {"replay", k_replay_rest, "--max-bytes", "1GB"},
    {"serve", k_serve_rest, "--seed-certs", "1000000"},
    {"serve", k_serve_rest, "--seed", "18446744073709551615"},
    {"serve", k_serve_rest, "--port", "65535"},
    {"validate", k_validate_rest, "--max-bytes", "1GB"},
    {"validate", k_validate_rest, "--max-bytes", "1"},
    {"validate", k_validate_rest, "--max-depth", "010"},
    {"validate", k_validate_rest, "--jobs", "0"},
    {"validate", k_validate_rest, "--jobs", "1024"},
    {"validate", k_validate_rest, "--engine", "valijson"},
    {"validate", k_validate_rest, "--engine", "compiled"},
    {k_crawl, k_crawl_rest, "--engine", "valijson"},
    {"replay", k_replay_rest, "--engine", "valijson"},
};

class cli_options : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_support::fresh_test_dir("certharness_cli_options"); }
  void TearDown() override { fs::remove_all(dir_); }

  test_support::cli_result run(const option_case& c) {
    return test_support::run_cli(
        dir_, "timeout 20 env -u OPENAI_ADMIN_KEY",
        std::string(c.command) + " " + c.option + " '" + c.value + "' " + c.rest);
  }

  fs::path dir_;
};

std::string describe(const option_case& c) {
  return std::string(c.command) + " " + c.option + " " + c.value;
}

TEST_F(cli_options, out_of_range_values_exit_2_naming_the_option) {
  for (const option_case& c : k_refused) {
    const test_support::cli_result r = run(c);
    EXPECT_EQ(r.exit_code, 2) << describe(c) << ": " << r.err;
    EXPECT_NE(r.err.find(c.option), std::string::npos)
        << describe(c) << ": the message does not name " << c.option << ": " << r.err;
    EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << describe(c) << ": " << r.err;
    EXPECT_EQ(r.out, "") << describe(c);
  }
}

TEST_F(cli_options, values_in_range_pass_parsing) {
  for (const option_case& c : k_accepted) {
    const test_support::cli_result r = run(c);
    EXPECT_EQ(r.err.find(c.option), std::string::npos) << describe(c) << ": refused: " << r.err;
    EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << describe(c) << ": " << r.err;
    EXPECT_NE(r.exit_code, 124) << describe(c) << ": did not exit";
  }
}

// The version comes from project(certharness VERSION ...), as the HAR creator's does.
TEST_F(cli_options, version_is_the_project_version) {
  const test_support::cli_result r = test_support::run_cli(dir_, "", "--version");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "certharness " + std::string(k_version) + "\n");
}

}  // namespace
}  // namespace certharness
