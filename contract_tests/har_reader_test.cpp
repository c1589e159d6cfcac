// HAR 1.2 reading (har_reader.cpp): what browsers and mitmproxy export, and hostile bytes.
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

// ---- reading other producers' archives ----

// What Chrome DevTools exports ("Save all as HAR with content"), trimmed: pages, HTTP/2
// pseudo-headers, cookies, full timings, "_"-fields, base64 content, a failed request whose
// content has no text, no postData on GETs, and comments.
constexpr std::string_view k_chrome_har = R"har({
  "log": {
    "version": "1.2",
    "creator": {"name": "WebInspector", "version": "537.36"},
    "pages": [
      {"startedDateTime": "2024-05-01T10:00:00.000Z", "id": "page_1",
       "title": "https://platform.openai.com/settings/organization/certificates",
       "pageTimings": {"onContentLoad": 512.3, "onLoad": 901.7}}
    ],
    "entries": [
      {
        "_initiator": {"type": "script", "stack": {"callFrames": [{"functionName": "list",
          "scriptId": "12", "url": "https://platform.openai.com/app.js", "lineNumber": 1,
          "columnNumber": 2}], "parent": {"description": "Promise.then", "callFrames": []}}},
        "_priority": "High",
        "_resourceType": "fetch",
        "cache": {},
        "connection": "443",
        "pageref": "page_1",
        "request": {
          "method": "GET",
          "url": "https://api.openai.com/v1/organization/certificates?limit=2&order=desc",
          "httpVersion": "http/2.0",
          "headers": [
            {"name": ":authority", "value": "api.openai.com"},
            {"name": ":method", "value": "GET"},
            {"name": ":path", "value": "/v1/organization/certificates?limit=2&order=desc"},
            {"name": "accept", "value": "application/json"},
            {"name": "accept", "value": "text/plain", "comment": "sent twice"},
            {"name": "cookie", "value": "__cf_bm=abc"}
          ],
          "queryString": [{"name": "limit", "value": "2"}, {"name": "order", "value": "desc"}],
          "cookies": [{"name": "__cf_bm", "value": "abc", "path": "/",
                       "domain": ".api.openai.com", "expires": "2024-05-01T10:30:00.000Z",
                       "httpOnly": true, "secure": true, "sameSite": "None"}],
          "headersSize": -1,
          "bodySize": 0
        },
        "response": {
          "status": 200,
          "statusText": "",
          "httpVersion": "http/2.0",
          "headers": [
            {"name": "content-type", "value": "application/json"},
            {"name": "set-cookie", "value": "__cf_bm=xyz; path=/"}
          ],
          "cookies": [{"name": "__cf_bm", "value": "xyz", "path": "/"}],
          "content": {"size": 78, "mimeType": "application/json", "compression": 0,
                      "text": "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}"},
          "redirectURL": "",
          "headersSize": -1,
          "bodySize": -1,
          "_transferSize": 512,
          "_error": null
        },
        "serverIPAddress": "104.18.7.192",
        "startedDateTime": "2024-05-01T10:00:00.123Z",
        "time": 87.456,
        "timings": {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1, "send": 0.1,
                    "wait": 85, "receive": 1.156, "_blocked_queueing": 0.8},
        "comment": "the first page"
      },
      {
        "cache": {},
        "request": {
          "method": "POST",
          "url": "https://api.openai.com/v1/organization/certificates",
          "httpVersion": "http/2.0",
          "headers": [{"name": "content-type", "value": "application/json"}],
          "queryString": [],
          "cookies": [],
          "headersSize": -1,
          "bodySize": 46,
          "postData": {"mimeType": "application/json",
                       "text": "{\"name\":\"My cert\",\"content\":\"-----BEGIN...\"}"}
        },
        "response": {
          "status": 200, "statusText": "", "httpVersion": "http/2.0", "headers": [],
          "cookies": [],
          "content": {"size": 73, "mimeType": "application/json", "encoding": "base64",
                      "text": "eyJvYmplY3QiOiJjZXJ0aWZpY2F0ZSIsImlkIjoiY2VydF9hYmMiLCJuYW1lIjoiTXkgY2VydCIsImFjdGl2ZSI6ZmFsc2V9"},
          "redirectURL": "", "headersSize": -1, "bodySize": -1
        },
        "startedDateTime": "2024-05-01T10:00:01.000Z",
        "time": 120,
        "timings": {"send": 1, "wait": 118, "receive": 1}
      },
      {
        "request": {"method": "GET", "url": "https://platform.openai.com/logo.png",
                    "httpVersion": "http/2.0", "headers": [], "queryString": [], "cookies": [],
                    "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "", "httpVersion": "http/2.0",
                     "headers": [{"name": "content-type", "value": "image/png"}], "cookies": [],
                     "content": {"size": 16, "mimeType": "image/png", "encoding": "base64",
                                 "text": "iVBORw0KGgoAAAANSUhEUg=="},
                     "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 0, "wait": 3, "receive": 1},
        "startedDateTime": "2024-05-01T10:00:02.500Z", "time": 4
      },
      {
        "request": {"method": "GET", "url": "https://api.openai.com/v1/organization/certificates",
                    "httpVersion": "", "headers": [], "queryString": [], "cookies": [],
                    "headersSize": -1, "bodySize": 0},
        "response": {"status": 0, "statusText": "", "httpVersion": "", "headers": [],
                     "cookies": [], "content": {"size": 0, "mimeType": "x-unknown"},
                     "redirectURL": "", "headersSize": -1, "bodySize": -1, "_transferSize": 0,
                     "_error": "net::ERR_CONNECTION_REFUSED"},
        "cache": {}, "timings": {"blocked": -1, "dns": -1, "ssl": -1, "connect": -1,
                                 "send": 0, "wait": 0, "receive": 0},
        "startedDateTime": "2024-05-01T10:00:03.000Z", "time": 0
      }
    ]
  }
})har";

TEST(read_har, reads_what_chrome_exports) {
  using namespace std::chrono_literals;
  const std::vector<har_entry> entries = read_ok(k_chrome_har);
  ASSERT_EQ(entries.size(), 4u);

  const har_entry& list = entries[0];
  EXPECT_EQ(list.started, at(2024, 5, 1, 10, 0, 0, 123ms));
  EXPECT_EQ(list.time_ms, 87.456);
  EXPECT_EQ(list.method, "GET");
  EXPECT_EQ(list.url, "https://api.openai.com/v1/organization/certificates?limit=2&order=desc");
  ASSERT_EQ(list.request_headers.size(), 6u);  // pseudo-headers and repeats kept, in order
  EXPECT_EQ(list.request_headers[0],
            (std::pair<std::string, std::string>{":authority", "api.openai.com"}));
  EXPECT_EQ(list.request_headers[4].second, "text/plain");
  EXPECT_FALSE(list.request_body.has_value());
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(list.response_body,
            R"({"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false})");
  EXPECT_TRUE(list.response_body_recorded);
  EXPECT_EQ(list.response_mime_type, "application/json");
  EXPECT_EQ(list.error, "");  // "_error": null

  const har_entry& upload = entries[1];
  EXPECT_EQ(upload.request_body, R"({"name":"My cert","content":"-----BEGIN..."})");
  EXPECT_EQ(upload.request_mime_type, "application/json");
  EXPECT_EQ(upload.response_body,
            R"({"object":"certificate","id":"cert_abc","name":"My cert","active":false})");

  EXPECT_EQ(entries[2].response_body, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s);

  const har_entry& failed = entries[3];
  EXPECT_EQ(failed.status, 0);
  EXPECT_EQ(failed.error, "net::ERR_CONNECTION_REFUSED");
  EXPECT_FALSE(failed.response_body_recorded);
  EXPECT_EQ(failed.response_body, "");
}

// What mitmproxy's savehar writes: microsecond times with a numeric offset, postData with
// params, header lists as sent, base64 for binary content.
constexpr std::string_view k_mitmproxy_har = R"har({"log": {"version": "1.2",
  "creator": {"name": "mitmproxy", "version": "10.3.0", "comment": ""}, "pages": [],
  "entries": [
  {"startedDateTime": "2024-05-01T10:00:00.123456+00:00", "time": 15.2,
   "request": {"method": "POST",
     "url": "https://api.openai.com/v1/organization/certificates/activate",
     "httpVersion": "HTTP/1.1", "cookies": [],
     "headers": [{"name": "Host", "value": "api.openai.com"},
                 {"name": "Content-Type", "value": "application/json"},
                 {"name": "Content-Length", "value": "30"}],
     "queryString": [], "headersSize": 250, "bodySize": 30,
     "postData": {"mimeType": "application/json", "text": "{\"certificate_ids\":[\"cert_1\"]}",
                  "params": []}},
   "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
     "headers": [{"name": "Content-Type", "value": "application/json"}],
     "content": {"size": 17, "compression": 0, "mimeType": "application/json",
                 "text": "{\"object\":\"list\"}"},
     "redirectURL": "", "headersSize": 100, "bodySize": 17},
   "cache": {}, "timings": {"connect": -1, "ssl": -1, "send": 1.0, "receive": 2.0, "wait": 12.2},
   "serverIPAddress": "104.18.6.192"},
  {"startedDateTime": "2024-05-01T12:00:00.5+02:00", "time": 3,
   "request": {"method": "GET", "url": "https://api.openai.com/v1/blob", "httpVersion": "HTTP/2.0",
     "cookies": [], "headers": [], "queryString": [], "headersSize": 40, "bodySize": 0},
   "response": {"status": 200, "statusText": "", "httpVersion": "HTTP/2.0", "cookies": [],
     "headers": [{"name": "content-encoding", "value": "gzip"}],
     "content": {"size": 6, "compression": 0, "mimeType": "application/octet-stream",
                 "text": "H4sIAP/+", "encoding": "base64"},
     "redirectURL": "", "headersSize": 30, "bodySize": 6},
   "cache": {}, "timings": {"connect": -1, "ssl": -1, "send": 0, "receive": 1, "wait": 2}}
]}})har";

TEST(read_har, reads_what_mitmproxy_exports) {
  using namespace std::chrono_literals;
  const std::vector<har_entry> entries = read_ok(k_mitmproxy_har);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].started, at(2024, 5, 1, 10, 0, 0, 123456us));
  EXPECT_EQ(entries[0].request_body, R"({"certificate_ids":["cert_1"]})");
  EXPECT_EQ(entries[0].request_headers.size(), 3u);
  EXPECT_EQ(entries[0].status_text, "OK");
  EXPECT_EQ(entries[0].response_body, R"({"object":"list"})");
  EXPECT_EQ(entries[1].started, at(2024, 5, 1, 10, 0, 0, 500ms));  // +02:00
  EXPECT_EQ(entries[1].response_body, "\x1f\x8b\x08\x00\xff\xfe"s);
}

// Found in review of fuzz_har's round-trip oracle: the year bound was checked before the
// offset (or a leap second) moved the time across it, so a time was read that, written back in
// UTC, could not be read again.
TEST(read_har, start_times_at_the_year_bounds_read_back_as_read) {
  for (const char* started :
       {"1700-01-01T00:00:00+00:01", "2200-12-31T23:59:60Z", "2200-12-31T23:00:00-01:00",
        "1700-01-01T00:00:00Z", "2200-12-31T23:59:59.999999999Z"}) {
    const std::vector<har_entry> once =
        read_ok(std::string(R"({"log":{"entries":[{"startedDateTime":")") + started +
                R"(","request":{"method":"GET","url":"u"}}]}})");
    EXPECT_EQ(read_ok(render_har(once)), once) << started;
  }
}

TEST(read_har, tolerates_what_the_spec_and_producers_allow) {
  // A byte order mark, repeated keys (the last wins, as in JSON.parse), no optional fields,
  // malformed header items, a status that is not a number, an unparsable date.
  const std::vector<har_entry> entries = read_ok(
      "\xEF\xBB\xBF"
      R"({"log":{"entries":[{"request":{"method":"GET","url":"u"}}],)"
      R"("entries":[{"request":{"method":"PUT","url":"v","headers":[1,{"value":"x"},)"
      R"({"name":"A"},{"name":"B","value":"b"}],"postData":{"mimeType":"text/plain"}},)"
      R"("response":{"status":"200","content":{"text":"t"}},"startedDateTime":"yesterday"}]}})");
  ASSERT_EQ(entries.size(), 1u);
  const har_entry& e = entries[0];
  EXPECT_EQ(e.method, "PUT");
  EXPECT_EQ(e.request_headers, (header_list{{"A", ""}, {"B", "b"}}));
  EXPECT_FALSE(e.request_body.has_value());  // postData without text
  EXPECT_EQ(e.request_mime_type, "text/plain");
  EXPECT_EQ(e.status, 0);
  EXPECT_EQ(e.response_body, "t");
  EXPECT_EQ(e.started, std::chrono::system_clock::time_point{});
}

struct hostile_case {
  const char* name;
  std::string bytes;
  const char* error;  // a part of the expected message
};

void PrintTo(const hostile_case& c, std::ostream* os) { *os << c.name; }

std::string entry_with(std::string_view request, std::string_view response = "{}") {
  return R"({"log":{"entries":[{"request":{"method":"GET","url":"https://h/"}},{"request":)" +
         std::string(request) + R"(,"response":)" + std::string(response) + "}]}}";
}

class read_har_refuses : public ::testing::TestWithParam<hostile_case> {};

TEST_P(read_har_refuses, with_a_one_line_error) {
  const auto result = read_har(GetParam().bytes);
  ASSERT_FALSE(result.has_value());
  const std::string& error = result.error();
  EXPECT_NE(error.find(GetParam().error), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

const std::string k_ok_request = R"({"method":"GET","url":"https://h/"})";

INSTANTIATE_TEST_SUITE_P(
    hostile, read_har_refuses,
    ::testing::Values(
        hostile_case{"empty", "", "not a HAR archive"},
        hostile_case{"not_json", "GET / HTTP/1.1", "not a HAR archive"},
        hostile_case{"truncated", R"({"log":{"entries":[)", "not a HAR archive"},
        hostile_case{"nul_then_junk", "{\"log\":{\"entries\":[]}}\0junk"s, "not a HAR archive"},
        hostile_case{"invalid_utf8", "{\"log\":{\"entries\":[],\"c\":\"\xff\"}}", "not a HAR"},
        hostile_case{"lone_surrogate", R"({"log":{"entries":[],"c":"\udc00"}})", "not a HAR"},
        hostile_case{"array_root", "[]", "no log.entries array"},
        hostile_case{"no_log", "{}", "no log.entries array"},
        hostile_case{"log_not_object", R"({"log":[]})", "no log.entries array"},
        hostile_case{"entries_not_array", R"({"log":{"entries":{}}})", "no log.entries array"},
        hostile_case{"entry_not_object", R"({"log":{"entries":[1]}})", "entry 0: not an object"},
        hostile_case{"entry_without_request", R"({"log":{"entries":[{}]}})",
                     "entry 0: no request object"},
        hostile_case{"method_missing", entry_with(R"({"url":"https://h/"})"),
                     "entry 1: request.method is not a string"},
        hostile_case{"url_not_string", entry_with(R"({"method":"GET","url":5})"),
                     "entry 1: request.url is not a string"},
        hostile_case{"bad_base64",
                     entry_with(k_ok_request, R"({"content":{"text":"@@@@","encoding":"base64"}})"),
                     "entry 1: response.content.text is not valid base64"},
        hostile_case{"base64_without_padding",
                     entry_with(k_ok_request, R"({"content":{"text":"QQ","encoding":"base64"}})"),
                     "not valid base64"},
        hostile_case{
            "base64_padding_inside",
            entry_with(k_ok_request, R"({"content":{"text":"QQ==QQ==","encoding":"base64"}})"),
            "not valid base64"},
        hostile_case{
            "bad_base64_post_data",
            entry_with(
                R"({"method":"POST","url":"u","postData":{"text":"a=b","encoding":"base64"}})"),
            "entry 1: request.postData.text is not valid base64"},
        hostile_case{"unknown_encoding",
                     entry_with(k_ok_request, R"({"content":{"text":"x","encoding":"gzip"}})"),
                     "response.content.encoding \"gzip\" is not supported"},
        hostile_case{"deeply_nested_junk", std::string(100'000, '[') + std::string(100'000, ']'),
                     "not a HAR archive"},
        hostile_case{"deep_junk_in_an_extra_field",
                     R"({"log":{"_junk":)" + std::string(1'000, '[') + std::string(1'000, ']') +
                         R"(,"entries":[]}})",
                     "nesting deeper than the limit"}));

// Whatever the bytes, read_har answers with entries or a reason (fuzz_har pushes further; this
// is the floor, run in every build), and what it answers is sound:
// - every proper prefix of a real archive is refused, with a message;
// - a mutated archive is refused with a message, or read as entries that the recorder can write
//   back: read(render(x)) reads, and is a fixed point (read(render(x1)) == x1).
TEST(read_har, refuses_truncations_and_round_trips_whatever_it_reads) {
  const std::string original(k_chrome_har);
  ASSERT_TRUE(original.ends_with('}'));
  read_ok(original);
  for (std::size_t n = 0; n < original.size(); ++n) {
    auto result = read_har(original.substr(0, n));
    ASSERT_FALSE(result.has_value()) << "a prefix of " << n << " bytes was read";
    EXPECT_FALSE(result.error().empty()) << n;
  }
  const std::string alphabet = "\"{}[],:0a\\=\xff\0"s;
  std::mt19937 rng(4);
  const std::string rendered = render_har(sample_entries());
  std::size_t read = 0, refused = 0;
  for (const std::string& seed : {original, rendered}) {
    for (int round = 0; round < 3'000; ++round) {
      std::string bytes = seed;
      for (int k = 0; k < 4; ++k) {
        bytes[rng() % bytes.size()] = alphabet[rng() % alphabet.size()];
      }
      auto result = read_har(bytes);
      if (!result.has_value()) {
        EXPECT_FALSE(result.error().empty()) << bytes;
        ++refused;
        continue;
      }
      ++read;
      const std::vector<har_entry>& x = *result;
      auto again = read_har(render_har(x));
      ASSERT_TRUE(again.has_value())
          << "the recorder's output of a read archive is refused: " << again.error()
          << "\ninput: " << bytes;
      const std::vector<har_entry>& x1 = *again;
      EXPECT_EQ(read_ok(render_har(x1)), x1) << "input: " << bytes;
    }
  }
  // Both outcomes happen, so neither half of the oracle is vacuous.
  EXPECT_GT(read, 100u);
  EXPECT_GT(refused, 100u);
}

}  // namespace
}  // namespace certharness
