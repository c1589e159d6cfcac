// HAR 1.2 (what browser devtools and mitmproxy export): recording exchanges with secrets
// redacted, and reading archives from this tool, browsers or mitmproxy.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/result.hpp"
#include "certharness/http/http_message.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {

struct har_entry {
  std::chrono::system_clock::time_point started;
  double time_ms = 0;
  // request
  std::string method;
  std::string url;  // absolute
  header_list request_headers;
  std::optional<std::string> request_body;  // postData.text (decoded if base64)
  std::string request_mime_type;
  // response; status 0 when there was none (a transport error, see `error`)
  int status = 0;
  std::string status_text;
  header_list response_headers;
  std::string response_body;  // content.text, base64-decoded when content.encoding says so
  // False when the archive had no content.text: browsers leave it out for some responses, and
  // an unrecorded body is not an empty one.
  bool response_body_recorded = true;
  std::string response_mime_type;
  std::string error;  // "_error" in the response object (as Chrome writes it): transport error

  friend bool operator==(const har_entry&, const har_entry&) = default;
};

// Header names whose values are redacted, case-insensitively: OpenAI-Organization,
// OpenAI-Project, any name containing "auth", "token", "secret", "password", "passwd" or
// "cookie" (Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Auth-Token), and any
// with a word ending in "key" (Api-Key, X-Api-Key, X-Goog-Apikey; not Keep-Alive).
bool is_secret_header(std::string_view name);
// JSON member (and query parameter) names whose values are redacted: lowercased and without
// '-' and '_', the name ends with "key", "token", "secret", "password", "passwd",
// "passphrase", "auth", "authorization", "credential" or "credentials" (api_key, apiKey,
// access_token, client_secret, private_key). "certificate", "content", "id", "name",
// "certificate_ids", "token_type" and "key_id" are not secret.
bool is_secret_field(std::string_view name);

// A copy with, as "[REDACTED]":
// - secret headers' values;
// - secret members' values (whatever their type) at any depth of bodies that are JSON; such
//   a body is re-serialised compactly (numbers by their text), any other body is kept as is;
// - the URL's userinfo and its secret query parameters' values;
// - last, every spelling (secret_redaction.hpp) of each non-empty string in `secrets` (e.g. the
//   admin key) in every field, and in the decoded strings of JSON bodies and the decoded URL
//   path and query (where an escape would hide it). The URL is re-encoded only when something
//   was replaced.
// Per entry, so a recorder can redact and write each exchange as it happens.
har_entry redacted(const har_entry& entry, const std::vector<std::string>& secrets);

// The whole archive as HAR 1.2 JSON (creator certharness), one entry per line. Entries are
// written as given: redact first. `started` is written in UTC with milliseconds, or micro- or
// nanoseconds when it has them (lossless); bodies that are not UTF-8 as base64
// (content.encoding, and postData.encoding as HAR 1.3 proposes); other strings that are not
// UTF-8 get U+FFFD, and a negative or non-finite time is written as 0. Cookies stay in the headers
// (cookies arrays are empty); `error` is the response's "_error", as Chrome writes it.
std::string render_har(const std::vector<har_entry>& entries);

// render_har in parts, for an archive written as its exchanges happen: the header, then each
// entry with its index (counting from 0), then the footer. Together they are render_har's bytes.
std::string render_har_header();
std::string render_har_entry(const har_entry& entry, std::size_t index);
std::string render_har_footer();

// What an archive may be (replay's --max-bytes and --max-depth defaults): 256 MiB holds a long
// crawl's recording. HAR itself is 6 levels deep; the rest is room for producers' extra fields
// (Chrome's "_initiator" stacks nest a few dozen levels). Bodies inside are decoded separately.
inline constexpr decode_limits k_har_archive_limits{std::size_t{256} << 20, 64};

// Reads a HAR 1.2 archive (any producer) from one decoding of the bytes: tolerates a BOM,
// repeated keys (the last wins, as in JSON.parse), missing optional fields, base64 bodies,
// extra and "_" fields. Requires log.entries and each entry's request.method and request.url.
// Error: one line (not a HAR archive: ..., entry N: ..., N counting from 0).
result<std::vector<har_entry>> read_har(std::string_view bytes,
                                        const decode_limits& limits = k_har_archive_limits);

}  // namespace certharness
