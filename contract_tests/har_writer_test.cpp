// HAR 1.2 writing (har_writer.cpp): round trips and every field HAR 1.2 requires.
#include "certharness/har/har.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "certharness/http/url.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/version.hpp"

#include "har_samples.hpp"

namespace certharness {
namespace {

using namespace std::string_literals;
namespace fs = std::filesystem;
using namespace test_support;

// ---- round trip and the rendered document ----

TEST(har_round_trip, reads_back_every_field) {
  const std::vector<har_entry> entries = sample_entries();
  const std::vector<har_entry> back = read_ok(render_har(entries));
  ASSERT_EQ(back.size(), entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(back[i], entries[i]) << "entry " << i;
}

// A live recording's start time has the clock's precision; writing only milliseconds would make
// the archive read back as other exchanges than were recorded.
TEST(har_round_trip, keeps_sub_millisecond_start_times) {
  using namespace std::chrono_literals;
  std::vector<har_entry> entries = sample_entries();
  entries[0].started = at(2024, 5, 1, 10, 0, 0, 123ms) + 456us;
  entries[1].started = at(2024, 5, 1, 10, 0, 0, 0ms) + 1ns;
  const std::string har = render_har(entries);
  EXPECT_NE(har.find("\"2024-05-01T10:00:00.123456Z\""), std::string::npos) << har;
  EXPECT_NE(har.find("\"2024-05-01T10:00:00.000000001Z\""), std::string::npos) << har;
  EXPECT_EQ(read_ok(har), entries);
}

TEST(har_round_trip, of_no_entries) { EXPECT_TRUE(read_ok(render_har({})).empty()); }

// A member that must be there with this type; records a failure (and gives a null) otherwise.
json_value required(const json_value& object, std::string_view key, json_type type) {
  static const json_value missing = json_document().root();
  std::optional<json_value> m = object.find(key);
  const bool ok = m.has_value() && m->type() == type;
  EXPECT_TRUE(ok) << "missing or not a " << to_string(type) << ": " << key;
  return ok ? *m : missing;
}

void expect_name_value_pairs(const json_value& array) {
  for (const json_value& pair : array) {
    required(pair, "name", json_type::string);
    required(pair, "value", json_type::string);
  }
}

TEST(render_har, is_strict_json_with_every_required_har_1_2_field) {
  const std::string har = render_har(sample_entries());
  const decode_result decoded = decode_json(har);
  ASSERT_TRUE(decoded.ok()) << har;  // strict: no duplicate keys, valid UTF-8, no warnings
  EXPECT_TRUE(decoded.problems.empty());

  const json_value log = required(decoded.document->root(), "log", json_type::object);
  EXPECT_EQ(required(log, "version", json_type::string).as_string(), "1.2");
  const json_value creator = required(log, "creator", json_type::object);
  EXPECT_EQ(required(creator, "name", json_type::string).as_string(), "certharness");
  // The project's version (PROJECT_VERSION), as `certharness --version` prints it.
  EXPECT_EQ(required(creator, "version", json_type::string).as_string(), k_version);
  required(log, "pages", json_type::array);
  const json_value entries = required(log, "entries", json_type::array);
  ASSERT_EQ(entries.size(), sample_entries().size());

  const std::regex iso_8601_ms_utc(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  for (const json_value& entry : entries) {
    const std::string started(required(entry, "startedDateTime", json_type::string).as_string());
    EXPECT_TRUE(std::regex_match(started, iso_8601_ms_utc)) << started;
    const double time = required(entry, "time", json_type::number).as_double();

    const json_value request = required(entry, "request", json_type::object);
    for (const char* key : {"method", "url", "httpVersion"}) {
      required(request, key, json_type::string);
    }
    required(request, "cookies", json_type::array);
    expect_name_value_pairs(required(request, "headers", json_type::array));
    expect_name_value_pairs(required(request, "queryString", json_type::array));
    EXPECT_EQ(required(request, "headersSize", json_type::number).as_int64(), -1);
    required(request, "bodySize", json_type::number);
    if (const std::optional<json_value> post = request.find("postData")) {
      // HAR 1.2 requires the mime type; text only when a body was recorded.
      required(*post, "mimeType", json_type::string);
      if (required(request, "bodySize", json_type::number).as_int64() > 0) {
        required(*post, "text", json_type::string);
      }
    }

    const json_value response = required(entry, "response", json_type::object);
    required(response, "status", json_type::number);
    required(response, "statusText", json_type::string);
    required(response, "httpVersion", json_type::string);
    required(response, "cookies", json_type::array);
    expect_name_value_pairs(required(response, "headers", json_type::array));
    const json_value content = required(response, "content", json_type::object);
    required(content, "size", json_type::number);
    required(content, "mimeType", json_type::string);
    required(response, "redirectURL", json_type::string);
    EXPECT_EQ(required(response, "headersSize", json_type::number).as_int64(), -1);
    required(response, "bodySize", json_type::number);

    required(entry, "cache", json_type::object);
    const json_value timings = required(entry, "timings", json_type::object);
    double sum = 0;  // time is the sum of the timings that are not -1
    for (const char* key : {"send", "wait", "receive"}) {
      const double t = required(timings, key, json_type::number).as_double();
      EXPECT_GE(t, 0) << key;
      sum += t;
    }
    for (const char* key : {"blocked", "dns", "connect", "ssl"}) {
      EXPECT_EQ(required(timings, key, json_type::number).as_double(), -1) << key;
    }
    EXPECT_EQ(sum, time);
  }

  // The details a viewer shows: decoded query, base64 marking, redirect, transport error.
  const json_value query = *entries[0].find("request")->find("queryString");
  ASSERT_EQ(query.size(), 3u);
  EXPECT_EQ(query[1].find("name")->as_string(), "include[]");
  EXPECT_EQ(query[2].find("value")->as_string(), "cert_a b");
  const json_value upload = entries[1];
  EXPECT_EQ(upload.find("request")->find("postData")->find("encoding")->as_string(), "base64");
  EXPECT_EQ(upload.find("response")->find("redirectURL")->as_string(), "/v1/elsewhere");
  EXPECT_EQ(upload.find("response")->find("content")->find("encoding"), std::nullopt);
  EXPECT_EQ(entries[2].find("request")->find("bodySize")->as_int64(), 0);
  EXPECT_EQ(entries[0].find("request")->find("postData"), std::nullopt);
  const json_value failed = *entries[3].find("response");
  EXPECT_EQ(failed.find("status")->as_int64(), 0);
  EXPECT_EQ(failed.find("_error")->as_string(), "Could not connect to server: connection refused");
  EXPECT_EQ(entries[0].find("response")->find("_error"), std::nullopt);
  EXPECT_EQ(entries[4].find("response")->find("content")->find("text"), std::nullopt);
}

TEST(render_har, keeps_bytes_that_are_not_utf8_out_of_its_strings) {
  har_entry e;
  e.method = "GET";
  e.url = "https://h/p?q=%FF%FE";  // decodes to bytes that are not UTF-8
  e.request_headers = {{"X-Raw", "caf\xe9"}};
  e.status = 200;
  e.status_text = "\xc0\xaf";  // overlong '/'
  const std::string har = render_har({e});
  EXPECT_TRUE(decode_json(har).ok()) << har;
  const std::vector<har_entry> back = read_ok(har);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].request_headers[0].second, "caf\uFFFD");
  EXPECT_EQ(back[0].status_text, "\uFFFD\uFFFD");
}

}  // namespace
}  // namespace certharness
