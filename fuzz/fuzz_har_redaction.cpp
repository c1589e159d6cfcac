// fuzz_har_redaction: redacted() on whatever read_har makes of arbitrary bytes.
// Mutator: structure-aware JSON (json_mutator.hpp).
//
// Oracle: the admin key never survives redaction. For x = read(bytes), r = render(redacted(x,
// {key})) and y = read(r): the key's bytes occur nowhere in r, in any string of y, in y's
// percent-decoded URLs, or in any key or string of y's bodies decoded as JSON; every secret
// header (is_secret_header) of y has the value "[REDACTED]". Any survivor aborts naming where.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "certharness/har/har.hpp"
#include "certharness/json/json_document.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

namespace {

using namespace certharness;
constexpr std::string_view k_key = "sk-admin-fuzz-Secret0";  // also in fuzz/har.dict

constexpr fuzz::failure fail{"fuzz_har_redaction", "text"};

void check(const std::string& where, std::string_view s) {
  if (s.find(k_key) != std::string_view::npos) fail("the key survives in " + where, s);
}

std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void check_body(const std::string& where, const std::string& body) {
  check(where, body);
  if (const decode_result r = decode_json(body); r.document)
    fuzz::for_each_string(r.document->root(),
                          [&](std::string_view s) { check(where + " (as JSON)", s); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto x = read_har(fuzz::as_text(data, size));
  if (!x.has_value()) return 0;
  std::vector<har_entry> clean;
  for (const har_entry& e : *x) clean.push_back(redacted(e, {std::string(k_key)}));
  const std::string rendered = render_har(clean);
  check("the rendered archive", rendered);
  const auto y = read_har(rendered);
  if (!y.has_value()) fail("the archive does not read back", rendered);
  for (const har_entry& e : *y) {
    for (const std::string* s :
         {&e.method, &e.url, &e.request_mime_type, &e.status_text, &e.response_mime_type, &e.error})
      check("a field", *s);
    check("the decoded URL", percent_decoded(e.url));
    for (const header_list* headers : {&e.request_headers, &e.response_headers}) {
      for (const auto& [name, value] : *headers) {
        check("a header", name + ": " + value);
        if (is_secret_header(name) && value != "[REDACTED]")
          fail("the key survives in secret header " + name, value);
      }
    }
    if (e.request_body) check_body("the request body", *e.request_body);
    check_body("the response body", e.response_body);
  }
  return 0;
}
