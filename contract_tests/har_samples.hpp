// Shared by the HAR suites (har_writer_test, har_redaction_test, har_reader_test): sample
// entries, a reader that fails the test on an error, and every string of an entry or document.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/har/har.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {

// Failures show the entry as its HAR.
inline void PrintTo(const har_entry& e, std::ostream* os) { *os << render_har({e}); }

namespace test_support {

inline std::chrono::system_clock::time_point at(int y, unsigned mo, unsigned d, int h, int mi,
                                                int s, std::chrono::nanoseconds fraction) {
  using namespace std::chrono;
  return time_point_cast<system_clock::duration>(sys_days{year{y} / month{mo} / day{d}} + hours{h} +
                                                 minutes{mi} + seconds{s} + fraction);
}

inline std::vector<har_entry> read_ok(std::string_view bytes) {
  auto result = read_har(bytes);
  if (auto* error = (result ? nullptr : &result.error())) {
    ADD_FAILURE() << "read_har: " << *error;
    return {};
  }
  return *std::move(result);
}

// Every key and string of a document, walked without recursion.
inline std::vector<std::string_view> all_strings(const json_value& root) {
  std::vector<std::string_view> out;
  std::vector<json_value> todo{root};
  while (!todo.empty()) {
    const json_value v = todo.back();
    todo.pop_back();
    out.push_back(v.key());
    if (v.is_string()) out.push_back(v.as_string());
    for (const json_value& child : v) todo.push_back(child);
  }
  return out;
}

// Every string field of an entry, headers included.
inline std::vector<std::string_view> all_strings(const har_entry& e) {
  std::vector<std::string_view> out{
      e.method, e.url, e.status_text, e.request_mime_type, e.response_body, e.response_mime_type,
      e.error};
  if (e.request_body) out.push_back(*e.request_body);
  for (const header_list* headers : {&e.request_headers, &e.response_headers}) {
    for (const auto& [name, value] : *headers) {
      out.push_back(name);
      out.push_back(value);
    }
  }
  return out;
}

inline std::vector<har_entry> sample_entries() {
  using namespace std::string_literals;
  using namespace std::chrono_literals;
  har_entry list;
  list.started = at(2024, 5, 1, 10, 0, 0, 123ms);
  list.time_ms = 0.1 + 0.2;  // a double with no short decimal form
  list.method = "GET";
  list.url =
      "https://api.openai.com/v1/organization/certificates?limit=2&include%5B%5D=content"
      "&after=cert_a%20b";
  list.request_headers = {{"Accept", "application/json"}, {"X-Dup", "1"}, {"x-dup", "2"}};
  list.status = 200;
  list.status_text = "OK";
  list.response_headers = {{"Content-Type", "application/json"}};
  list.response_body =
      R"({"object":"list","data":[{"name":"Zertifikat für Straße ✓ 证书 🔐"}],"has_more":false})";
  list.response_mime_type = "application/json";

  har_entry upload;
  upload.started = at(1999, 12, 31, 23, 59, 59, 999ms);
  upload.time_ms = 1234;
  upload.method = "POST";
  upload.url = "http://127.0.0.1:8080/v1/organization/certificates";
  upload.request_body = "\xff\xfe\x00\x01"s;  // not UTF-8: base64 on the way out
  upload.request_mime_type = "application/octet-stream";
  upload.status = 302;
  upload.status_text = "Found";
  upload.response_headers = {{"Location", "/v1/elsewhere"}};
  upload.response_body = "text with a NUL \0 and\ttabs\n"s;
  upload.response_mime_type = "text/plain";

  har_entry empty;
  empty.method = "DELETE";
  empty.url = "https://api.openai.com/v1/organization/certificates/cert_1";
  empty.request_body = "";
  empty.status = 204;

  har_entry failed;
  failed.started = at(2024, 5, 1, 10, 0, 1, 0ms);
  failed.time_ms = 30000;
  failed.method = "GET";
  failed.url = "https://api.openai.com/v1/organization/certificates";
  failed.status = 0;
  failed.error = "Could not connect to server: connection refused";

  har_entry unrecorded = list;
  unrecorded.response_body.clear();
  unrecorded.response_body_recorded = false;

  // A browser's postData with a mime type but no text (found by fuzz_har).
  har_entry typed_without_text = list;
  typed_without_text.method = "POST";
  typed_without_text.request_mime_type = "application/json";
  typed_without_text.request_body.reset();

  std::vector<har_entry> entries{list, upload, empty, failed, unrecorded, typed_without_text};
  // Every base64 padding case: 1, 2, 3 and 4 bytes.
  for (std::string body : {"\x80"s, "\x80\x81"s, "\x80\x81\x82"s, "\xc3\x28\x00\xff"s}) {
    har_entry binary = list;
    binary.response_body = body;
    binary.response_mime_type = "application/octet-stream";
    entries.push_back(binary);
  }
  return entries;
}

}  // namespace test_support
}  // namespace certharness
