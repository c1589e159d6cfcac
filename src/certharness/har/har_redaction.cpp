// Redacting secrets out of HAR entries (har.hpp): headers, URLs, JSON bodies.
#include "certharness/har/har.hpp"
#include "certharness/har/secret_redaction.hpp"
#include "certharness/http/url.hpp"
#include "certharness/io/ascii_text.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/json/json_writer.hpp"

namespace certharness {

namespace {

// Bodies are searched for secret members at any depth real JSON has; deeper ones are left to
// the `secrets` replacement.
constexpr decode_limits k_body_limits{std::size_t{1} << 30, 10'000};

// ---- redaction ----

// The URL with its userinfo removed and, in its decoded path segments and query, secret-looking
// query parameters' values and the known secrets replaced. Decoded, because the HAR's
// queryString is written decoded: a secret behind percent-escapes would otherwise reappear
// there. Segment by segment, so that an id holding an encoded '/' ("a%2Fb") is written back as
// one segment. The URL is re-encoded only when something was replaced.
std::string redact_url(std::string_view url, const secret_redactor& secrets) {
  const url_text_parts parts = split_url_text(url);
  std::string result;
  if (parts.has_authority) {
    result.append(parts.scheme).append("://");
    if (parts.userinfo) result.append(k_redacted).append("@");
    result.append(parts.host_port);
  }
  std::string target(parts.target);
  std::optional<request_target> decoded = parse_url_target(url);
  std::optional<std::vector<std::string>> segments;
  if (decoded) segments = path_segments(decoded->raw_path);
  if (decoded && segments) {
    bool changed = false;
    for (std::string& segment : *segments) changed |= secrets.redact(segment);
    for (auto& [name, value] : decoded->query) {
      changed |= secrets.redact(name);
      if (is_secret_field(name) && value != k_redacted) {
        value = k_redacted;
        changed = true;
      } else {
        changed |= secrets.redact(value);
      }
    }
    if (changed) {
      target.clear();
      // A target that was only a query gets no path ("https://h?q" stays without one).
      if (!parts.target.empty() && parts.target.front() != '?') {
        for (const std::string& segment : *segments) target += "/" + percent_encode(segment);
      }
      if (parts.target.find('?') != std::string_view::npos) target += '?';
      for (std::size_t k = 0; k < decoded->query.size(); ++k) {
        if (k > 0) target += '&';
        target += percent_encode(decoded->query[k].first) + '=' +
                  percent_encode(decoded->query[k].second);
      }
    }
  }
  result += target;
  if (parts.fragment) result.append("#").append(*parts.fragment);
  // Last, for a secret behind escapes where the parts above do not decode (the host, the
  // fragment, a target that is not one).
  secrets.redact(result);
  return result;
}

// Writes a document with secret members' values replaced by "[REDACTED]" and the known
// secrets replaced inside every decoded string and key (where an escape could hide them);
// `changed` says whether anything was.
class redacting_hooks final : public json_write_hooks {
 public:
  explicit redacting_hooks(const secret_redactor& secrets) : secrets_(secrets) {}

  void text(json_writer& w, std::string_view s, bool is_key) override {
    std::string copy(s);
    changed |= secrets_.redact(copy);
    json_write_hooks::text(w, copy, is_key);
  }
  bool replace_value(json_writer& w, const json_value& member) override {
    if (!is_secret_field(member.key())) return false;
    w.string(k_redacted);
    changed = true;
    return true;
  }

  bool changed = false;

 private:
  const secret_redactor& secrets_;
};

// A body that is JSON gets its secret members redacted; it is rewritten (compactly) only when
// something was, so recordings keep the server's bytes otherwise.
void redact_json_body(std::string& body, const secret_redactor& secrets) {
  const decode_result decoded = decode_json(body, k_body_limits);
  if (!decoded.document) return;  // not JSON: only the `secrets` replacement applies
  redacting_hooks hooks(secrets);
  std::string out;
  json_writer(out).value(decoded.document->root(), hooks);
  if (hooks.changed) body = std::move(out);
}
}  // namespace

bool is_secret_header(std::string_view name) {
  const std::string n = ascii_lowercase(name);
  // Not secret-looking, but they tie a recording to an organization.
  if (n == "openai-organization" || n == "openai-project") return true;
  // Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Auth-Token, X-Client-Secret, ...
  for (const std::string_view part : {"auth", "token", "secret", "password", "passwd", "cookie"}) {
    if (n.find(part) != std::string::npos) return true;
  }
  // "key" ending a word: Api-Key, X-Api-Key, X-Goog-Apikey (not "Keep-Alive" or "Keyword").
  for (std::size_t pos = n.find("key"); pos != std::string::npos; pos = n.find("key", pos + 1)) {
    const std::size_t after = pos + 3;
    if (after == n.size() || n[after] == '-' || n[after] == '_') return true;
  }
  return false;
}

bool is_secret_field(std::string_view name) {
  // "api_key", "apiKey" and "API-KEY" alike: lowercase, without '-' and '_'; then the name
  // ends with a secret word ("private_key", "access_token", "client_secret").
  std::string n = ascii_lowercase(name);
  std::erase_if(n, [](char c) { return c == '-' || c == '_'; });
  for (const std::string_view word : {"key", "token", "secret", "password", "passwd", "passphrase",
                                      "auth", "authorization", "credential", "credentials"}) {
    if (n.ends_with(word)) return true;
  }
  return false;
}

har_entry redacted(const har_entry& entry, const std::vector<std::string>& secrets) {
  const secret_redactor list(secrets);
  har_entry out = entry;
  out.url = redact_url(out.url, list);
  for (header_list* headers : {&out.request_headers, &out.response_headers}) {
    for (auto& [name, value] : *headers) {
      if (is_secret_header(name)) value = k_redacted;
    }
  }
  if (out.request_body) redact_json_body(*out.request_body, list);
  redact_json_body(out.response_body, list);
  // Last, the known secrets' values wherever they are (an error message quoting a URL, ...).
  for (std::string* s : {&out.method, &out.url, &out.request_mime_type, &out.status_text,
                         &out.response_body, &out.response_mime_type, &out.error}) {
    list.redact(*s);
  }
  if (out.request_body) list.redact(*out.request_body);
  for (header_list* headers : {&out.request_headers, &out.response_headers}) {
    for (auto& [name, value] : *headers) {
      list.redact(name);
      list.redact(value);
    }
  }
  return out;
}

}  // namespace certharness
