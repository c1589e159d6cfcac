// The fake certificates API: routing, auth, rate limit, the in-memory family, and the faults.
//
// Decisions where the official document is silent (each visible on the wire):
// - Order of checks: rate limit (429), route (404), method (405 with Allow), auth (401), then
//   the operation. A path with an empty segment (trailing slash, "//") is not a route: 404.
// - /organization/certificates/activate and /deactivate are their own paths (OpenAPI matches
//   concrete paths before templated ones), so GET on them is 405, not a lookup of id "activate".
// - Paths are split at '/' before their segments are percent-decoded: "cert%2Fx" is one id.
// - Lists are sorted by (created_at, id) ascending; desc is exactly the reverse. A page after a
//   cursor holds the items after the cursor's position (created_at, id) in the page's order.
//   The cursor may name a certificate deleted since it was listed (a client paginating while
//   another deletes): the fake remembers the positions of the last deleted_cursor_memory
//   (10,000) deleted certificates. Any other `after` (never seen, or deleted longer ago) is a 400
//   with param "after"; so is a deleted cursor under the strict-deleted-cursor fault. limit/after/
//   order given twice is a 400 for that param. Unknown query parameters are ignored.
// - Bodies must be strict JSON objects (duplicate keys refused); the request's Content-Type is
//   not checked. An unknown id is checked before the body or query: 404 wins over 400.
// - The 50-certificate cap counts uploaded certificates that are not deleted; seeded ones do not
//   count, so a server seeded with any number still takes 50 uploads. A bad body is reported
//   before the cap.
// - Activation toggles answer one item per requested id, in request order (repeats kept); one
//   unknown id is a 404 (param "certificate_ids") and nothing changes.
// - created_at comes from a simulated clock: seeded certificates start at 2025-01-01T00:00:00Z,
//   and the clock then advances one second per successful write.
#include "certharness/fake_api/fake_api.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <span>
#include <stdexcept>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <variant>

#include "certharness/json/json_document.hpp"
#include "certharness/http/url.hpp"
#include "certharness/io/ascii_text.hpp"
#include "certharness/schema/models.hpp"
#include "certharness/fake_api/x509_certificate.hpp"
#include "certharness/json/utf8.hpp"

namespace certharness {
namespace {

constexpr std::int64_t k_epoch = 1'735'689'600;  // 2025-01-01T00:00:00Z, the first created_at
constexpr std::int64_t k_day = 86'400;
constexpr std::size_t k_certificate_cap = 50;  // "Organizations can upload up to 50 certificates."
constexpr std::int64_t k_default_limit = 20;
constexpr std::int64_t k_min_limit = 1;
constexpr std::int64_t k_max_limit = 100;
constexpr std::size_t k_max_toggle_ids = 10;
// Seeding signs this many PEMs and shares them: one signature per certificate would make
// seeding 1000 certificates slow, and the PEMs' keys do not matter to any check.
constexpr std::size_t k_validity_profiles = 8;
constexpr std::size_t k_seed_stop_period = 1024;  // seeding asks stop_seeding this often
constexpr std::uint64_t k_fault_429_period = 5;  // 429-without-retry-after: every 5th request
constexpr std::string_view k_made_up_id = "cert_000000000000000000000000";

const std::vector<fault_info> k_catalogue = {
    {fake_fault::first_id_mismatch, "first-id-mismatch",
     "list: first_id names the page's second item (a made-up id on one-item pages)"},
    {fake_fault::last_id_mismatch, "last-id-mismatch",
     "list: last_id names the page's second-to-last item (a made-up id on one-item pages)"},
    {fake_fault::empty_ids_not_null, "empty-ids-not-null",
     "list: an empty page has first_id and last_id \"\" instead of null"},
    {fake_fault::over_limit, "over-limit",
     "list: pages hold limit + 1 items when there are enough"},
    {fake_fault::wrong_order, "wrong-order",
     "list: two inner items of a page with different created_at are swapped"},
    {fake_fault::duplicate_across_pages, "duplicate-across-pages",
     "list: a page after a cursor starts with the cursor's item again (limit >= 2)"},
    {fake_fault::cursor_loop, "cursor-loop",
     "list: after is ignored and has_more is always true (the same page forever)"},
    {fake_fault::has_more_lies, "has-more-lies",
     "list: has_more is true on the last non-empty page"},
    {fake_fault::asc_desc_inconsistent, "asc-desc-inconsistent",
     "list: order=asc never shows the certificate with the smallest id"},
    {fake_fault::bad_content_type, "bad-content-type", "every response: Content-Type text/html"},
    {fake_fault::trailing_comma_json, "trailing-comma-json",
     "every body: a comma before the final '}'"},
    {fake_fault::truncated_body, "truncated-body",
     "every response: Content-Length promises more bytes than are sent"},
    {fake_fault::missing_required, "missing-required", "list: items lack the required \"active\""},
    {fake_fault::wrong_type, "wrong-type", "every certificate's \"name\" is the number 42"},
    {fake_fault::validity_inverted, "validity-inverted",
     "every certificate: valid_at and expires_at swapped"},
    {fake_fault::get_wrong_object, "get-wrong-object",
     "GET by id answers object \"organization.certificate\""},
    {fake_fault::get_mismatch, "get-mismatch",
     "GET by id answers a name with \" (stale)\" appended, unlike the list"},
    {fake_fault::error_shape, "error-shape", "404 bodies are {\"detail\":\"Not found\"}"},
    {fake_fault::accepts_invalid_limit, "accepts-invalid-limit",
     "list: an integer limit outside 1..100 is clamped and answered 200"},
    {fake_fault::upload_activates, "upload-activates",
     "upload activates the certificate for the organization"},
    {fake_fault::details_mismatch, "details-mismatch",
     "every certificate: valid_at and expires_at one day later than the PEM says"},
    {fake_fault::content_mismatch, "content-mismatch",
     "include=content answers the PEM of another certificate"},
    {fake_fault::delete_keeps, "delete-keeps",
     "a deleted certificate is still answered by GET by id"},
    {fake_fault::too_many_requests_without_retry_after, "429-without-retry-after",
     "every 5th request, and any rate-limited one, is a 429 without Retry-After"},
    {fake_fault::slow, "slow", "every response is delayed by the slow delay (15 s by default)"},
    {fake_fault::strict_deleted_cursor, "strict-deleted-cursor",
     "list: an after naming a deleted certificate is a 400, not the page after its position"},
};

// ---- Errors.

struct api_error {
  int status = 400;
  std::string message;
  std::optional<std::string> param;
  std::optional<std::string> code;
  std::string type = "invalid_request_error";
};

template <typename T>
using result = std::variant<T, api_error>;

// Request text echoed in an error message. Paths and ids arrive percent-decoded, so they can
// hold any byte: the echo is made valid UTF-8 (the body must stay JSON), without control
// characters (it also ends up in logs), and short.
std::string echo(std::string_view text) {
  constexpr std::size_t max_bytes = 64;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (out.size() >= max_bytes) return out + "...";
    const std::size_t n = utf8_sequence_length(text, i);
    const auto c = static_cast<unsigned char>(text[i]);
    if (n == 0 || c < 0x20 || c == 0x7F) {
      out.push_back('?');
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

api_error not_found(std::string_view id, std::string param) {
  return {404, "No certificate found with id '" + echo(id) + "'.", std::move(param), std::nullopt};
}

api_error missing(std::string param) {
  return {400, "Missing required parameter: '" + param + "'.", param, "missing_required_parameter"};
}

api_error invalid_type(std::string param, std::string_view expected, const json_value& got) {
  std::string message = "Invalid type for '" + param + "': expected " + std::string(expected) +
                        ", but got " + std::string(to_string(got.type())) + " instead.";
  return {400, std::move(message), std::move(param), "invalid_type"};
}

// ---- Request parsing.

enum class credentials { present, missing, malformed };

// RFC 6750: "Bearer" (any case), one or more spaces, a non-empty token. The fake knows no keys,
// so any well-formed token is accepted; the token itself is never looked at again.
credentials bearer_credentials(const header_list& headers) {
  const std::optional<std::string_view> header = find_header(headers, "Authorization");
  const std::string_view value = header ? trim_blanks(*header) : std::string_view{};
  if (value.empty()) return credentials::missing;
  constexpr std::string_view scheme = "Bearer";
  if (value.size() <= scheme.size() || !ascii_iequals(value.substr(0, scheme.size()), scheme) ||
      value[scheme.size()] != ' ') {
    return credentials::malformed;
  }
  const std::string_view token = trim_blanks(value.substr(scheme.size()));
  const bool clean = !token.empty() && std::none_of(token.begin(), token.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F;
  });
  return clean ? credentials::present : credentials::malformed;
}

using query_list = std::vector<std::pair<std::string, std::string>>;

// A query parameter that may be given once: a repeat is ambiguous, so it is refused.
result<std::optional<std::string_view>> single_value(const query_list& query,
                                                     std::string_view name) {
  std::optional<std::string_view> value;
  for (const auto& [key, v] : query) {
    if (key != name) continue;
    if (value) {
      return api_error{400, "Invalid '" + std::string(name) + "': given more than once.",
                       std::string(name), "invalid_value"};
    }
    value = v;
  }
  return value;
}

result<std::int64_t> parse_limit(std::string_view text, bool clamp) {
  std::int64_t limit = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, limit);
  if (text.empty() || ec == std::errc::invalid_argument || stop != end) {
    return api_error{400, "Invalid 'limit': expected an integer, but got '" + echo(text) + "'.",
                     "limit", "invalid_type"};
  }
  if (ec == std::errc::result_out_of_range) {
    limit = text.front() == '-' ? std::numeric_limits<std::int64_t>::min()
                                : std::numeric_limits<std::int64_t>::max();
  }
  if (clamp) return std::clamp(limit, k_min_limit, k_max_limit);
  if (limit < k_min_limit) {
    return api_error{400, "Invalid 'limit': integer below minimum value. Expected a value >= 1.",
                     "limit", "integer_below_min_value"};
  }
  if (limit > k_max_limit) {
    return api_error{400, "Invalid 'limit': integer above maximum value. Expected a value <= 100.",
                     "limit", "integer_above_max_value"};
  }
  return limit;
}

struct page_query {
  std::int64_t limit = k_default_limit;
  bool ascending = false;
  std::optional<std::string_view> after;
};

result<page_query> parse_page_query(const query_list& query, bool clamp_limit) {
  page_query q;
  auto limit = single_value(query, "limit");
  if (auto* e = std::get_if<api_error>(&limit)) return std::move(*e);
  if (const auto& text = std::get<0>(limit)) {
    auto parsed = parse_limit(*text, clamp_limit);
    if (auto* e = std::get_if<api_error>(&parsed)) return std::move(*e);
    q.limit = std::get<std::int64_t>(parsed);
  }
  auto order = single_value(query, "order");
  if (auto* e = std::get_if<api_error>(&order)) return std::move(*e);
  if (const auto& text = std::get<0>(order)) {
    if (*text != "asc" && *text != "desc") {
      return api_error{400,
                       "Invalid value for 'order': '" + echo(*text) +
                           "'. Supported values are: 'asc' and 'desc'.",
                       "order", "invalid_value"};
    }
    q.ascending = *text == "asc";
  }
  auto after = single_value(query, "after");
  if (auto* e = std::get_if<api_error>(&after)) return std::move(*e);
  q.after = std::get<0>(after);
  return q;
}

// The body as a JSON object (strictly decoded), or the 400 to answer.
result<json_document> json_object_body(std::string_view body) {
  decode_result decoded = decode_json(body);
  if (!decoded.ok()) {
    return api_error{400,
                     "We could not parse the JSON body of your request. The API expects a JSON "
                     "object.",
                     std::nullopt, std::nullopt};
  }
  if (!decoded.document->root().is_object()) {
    return api_error{400, "The request body must be a JSON object.", std::nullopt, std::nullopt};
  }
  return std::move(*decoded.document);
}

// ToggleCertificatesRequest: certificate_ids, 1..10 strings.
result<std::vector<std::string_view>> certificate_ids(const json_value& body) {
  const std::string param = "certificate_ids";
  const json_value* ids = body.find(param);
  if (ids == nullptr) return missing(param);
  if (!ids->is_array()) return invalid_type(param, "an array of strings", *ids);
  if (ids->size() == 0 || ids->size() > k_max_toggle_ids) {
    return api_error{
        400,
        "Invalid '" + param + "': expected 1 to 10 ids, got " + std::to_string(ids->size()) + ".",
        param, ids->size() == 0 ? "empty_array" : "array_above_max_length"};
  }
  std::vector<std::string_view> out;
  for (const json_value& id : *ids) {
    if (!id.is_string()) return invalid_type(param, "an array of strings", id);
    out.push_back(id.as_string());
  }
  return out;
}

// ---- Routing.

enum class resource { certificates, certificate, activate, deactivate };

struct target {
  resource what = resource::certificates;
  std::optional<std::string> project;  // project routes only
  std::string certificate_id;          // resource::certificate only
};

// `path` is as sent: it is split at its '/' before each segment is decoded, so an id or a
// project id may hold an encoded '/' ("cert%2Fx" is the one id "cert/x").
std::optional<target> resolve(std::string_view path) {
  constexpr std::ptrdiff_t max_segments = 5;  // organization/projects/P/certificates/activate
  if (std::count(path.begin(), path.end(), '/') > max_segments) return std::nullopt;
  std::optional<std::vector<std::string>> segments = path_segments(path);
  if (!segments) return std::nullopt;
  for (const std::string& segment : *segments) {
    if (segment.empty()) return std::nullopt;
  }
  std::span<const std::string> s(*segments);
  if (s.size() < 2 || s[0] != "organization") return std::nullopt;
  target t;
  s = s.subspan(1);
  if (s[0] == "projects") {
    if (s.size() < 3) return std::nullopt;
    t.project = s[1];
    s = s.subspan(2);
  }
  if (s[0] != "certificates" || s.size() > 2) return std::nullopt;
  if (s.size() == 1) return t;
  if (s[1] == "activate" || s[1] == "deactivate") {
    t.what = s[1] == "activate" ? resource::activate : resource::deactivate;
    return t;
  }
  if (t.project) return std::nullopt;  // certificates are read and changed at the organization
  t.what = resource::certificate;
  t.certificate_id = s[1];
  return t;
}

std::string_view allowed_methods(const target& t) {
  switch (t.what) {
    case resource::certificates:
      return t.project ? "GET" : "GET, POST";
    case resource::certificate:
      return "GET, POST, DELETE";
    case resource::activate:
    case resource::deactivate:
      break;
  }
  return "POST";
}

bool allows(std::string_view allowed, std::string_view method) {
  for (std::string_view rest = allowed; !rest.empty();) {
    const std::size_t comma = rest.find(", ");
    if (rest.substr(0, comma) == method) return true;
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 2);
  }
  return false;
}

// ---- Body rewriting for the faults that break a member's presence or type.

// Replaces the value of every member `key` (or removes the member, when `value` is nullopt) in
// compact JSON written by models::encode. Member names cannot be confused with string
// contents: inside an encoded string every '"' is escaped, so '"key":' right after '{' or ','
// only occurs at a member. Values are strings or literals here, never containers.
void rewrite_member(std::string& json, std::string_view key,
                    std::optional<std::string_view> value) {
  const std::string pattern = "\"" + std::string(key) + "\":";
  for (std::size_t at = json.find(pattern); at != std::string::npos; at = json.find(pattern, at)) {
    if (at == 0 || (json[at - 1] != ',' && json[at - 1] != '{')) {
      at += pattern.size();
      continue;
    }
    std::size_t end = at + pattern.size();
    if (end < json.size() && json[end] == '"') {
      for (++end; end < json.size() && json[end] != '"'; ++end) {
        if (json[end] == '\\') ++end;
      }
      ++end;
    } else {
      end = json.find_first_of(",}]", end);
    }
    end = std::min(end, json.size());
    if (value) {
      json.replace(at + pattern.size(), end - at - pattern.size(), *value);
      at += pattern.size() + value->size();
    } else if (json[at - 1] == ',') {
      json.erase(at - 1, end - at + 1);
      --at;
    } else {
      json.erase(at, end - at + (end < json.size() && json[end] == ',' ? 1 : 0));
    }
  }
}

// ---- State.

struct stored_certificate {
  std::string id;
  std::optional<std::string> name;
  std::int64_t created_at = 0;
  certificate_validity validity;
  std::shared_ptr<const std::string> pem;  // seeded certificates share a handful of PEMs
  bool active = false;                     // at the organization
  bool uploaded = false;                   // counts against the cap (seeded ones do not)
};

// Where a cursor stands in the (created_at, id) order; certificates need not exist for it.
struct list_position {
  std::int64_t created_at = 0;
  std::string_view id;
};

bool before(const list_position& a, const list_position& b) {
  return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
}

list_position position_of(const stored_certificate& c) { return {c.created_at, c.id}; }

bool created_before(const stored_certificate& a, const stored_certificate& b) {
  return before(position_of(a), position_of(b));
}

struct pem_profile {
  certificate_validity validity;
  std::shared_ptr<const std::string> pem;
};

// A fresh PEM whose validity is read back from it, so details agree with it by construction.
pem_profile make_profile(std::size_t index) {
  self_signed_request request;
  request.common_name = "certharness seed " + std::to_string(index);
  const auto k = static_cast<std::int64_t>(index);
  request.not_before = k_epoch - 30 * (k + 1) * k_day;
  request.not_after = request.not_before + (90 + 120 * k) * k_day;
  request.serial = index + 1;
  auto pem = std::make_shared<const std::string>(make_self_signed_certificate(request));
  auto read = read_pem_certificate(*pem);
  if (!read) throw std::runtime_error("cannot read a generated certificate back: " + read.error());
  return {*read, std::move(pem)};
}

std::optional<std::string> seeded_name(std::size_t index, std::uint64_t draw) {
  // Unicode, quotes, backslashes and control characters, so encoders are exercised.
  static constexpr std::string_view stems[] = {
      "Production mTLS", "staging-edge",  "Zertifikat für Köln",           "証明書",
      "🔐 gateway",       "partner \"B\"", "C:\\certs\\tab\there\nnewline",
  };
  const std::size_t pick = draw % (std::size(stems) + 1);
  if (pick == std::size(stems)) return std::nullopt;  // name is required but nullable
  return std::string(stems[pick]) + " #" + std::to_string(index + 1);
}

class token_bucket {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  token_bucket(double rate, time_point now)
      : rate_(rate), burst_(std::max(1.0, rate)), tokens_(burst_), last_(now) {}

  // Takes a token; when there is none, the whole seconds until there will be one (>= 1).
  std::optional<std::int64_t> take(time_point now) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    if (elapsed > 0) {
      tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
      last_ = now;
    }
    if (tokens_ >= 1) {
      tokens_ -= 1;
      return std::nullopt;
    }
    const double wait = std::ceil((1 - tokens_) / rate_);
    return static_cast<std::int64_t>(std::clamp(wait, 1.0, 1e9));  // 1e9: no overflow
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  time_point last_;
};

// Object names of the two scopes activation lives in.
struct scope_objects {
  std::string_view item, activation, deactivation;
};
constexpr scope_objects k_organization_objects{"organization.certificate",
                                               "organization.certificate.activation",
                                               "organization.certificate.deactivation"};
constexpr scope_objects k_project_objects{"organization.project.certificate",
                                          "organization.project.certificate.activation",
                                          "organization.project.certificate.deactivation"};

const scope_objects& objects_of(const target& t) {
  return t.project ? k_project_objects : k_organization_objects;
}

}  // namespace

const std::vector<fault_info>& fault_catalogue() { return k_catalogue; }

std::optional<fake_fault> parse_fault(std::string_view name) {
  for (const fault_info& f : k_catalogue) {
    if (f.name == name) return f.fault;
  }
  return std::nullopt;
}

struct fake_api::impl {
  explicit impl(fake_api_options o) : options(std::move(o)), rng(options.seed) {
    if (!options.clock) options.clock = [] { return std::chrono::steady_clock::now(); };
    if (options.rate_limit_per_second) {
      const double rate = *options.rate_limit_per_second;
      if (!std::isfinite(rate) || rate <= 0) {
        throw std::invalid_argument("rate limit must be a positive number of requests per second");
      }
      bucket.emplace(rate, options.clock());
    }
    if (has(fake_fault::content_mismatch)) decoy = make_profile(k_validity_profiles).pem;
    seed(options.seed_certs);
  }

  fake_api_options options;
  std::mt19937_64 rng;
  std::mutex mutex;
  std::vector<stored_certificate> certificates;  // sorted by created_before
  // Project id -> ids active in that project. The organization's state is in the certificate.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> project_active;
  std::vector<stored_certificate> deleted;  // kept only under delete-keeps
  // Positions (id -> created_at) of the last options.deleted_cursor_memory deleted certificates,
  // for cursors that name them; and the same entries oldest first, so the oldest goes first.
  using position_map = std::map<std::string, std::int64_t, std::less<>>;
  position_map deleted_positions;
  std::deque<position_map::iterator> deleted_order;
  std::size_t uploaded = 0;  // uploaded certificates not deleted: what the cap counts
  std::unordered_set<std::string> issued_ids;  // new_id's uniqueness test: constant time
  std::shared_ptr<const std::string> decoy;  // content-mismatch's other PEM
  std::optional<token_bucket> bucket;
  std::uint64_t requests = 0;
  std::int64_t now = k_epoch;  // simulated clock of created_at

  bool has(fake_fault f) const { return options.faults.contains(f); }

  void seed(std::size_t count) {
    std::vector<std::optional<pem_profile>> profiles(k_validity_profiles);
    // No reserve(count): an interrupted seeding of a huge count holds only what it made.
    std::int64_t created_at = k_epoch;
    for (std::size_t i = 0; i < count; ++i) {
      if (i % k_seed_stop_period == 0 && options.stop_seeding && options.stop_seeding()) break;
      // About one in four shares its predecessor's second: ties for the tie-break to order.
      if (i > 0 && rng() % 4 != 0) created_at += 1 + static_cast<std::int64_t>(rng() % 3600);
      const std::size_t p = rng() % k_validity_profiles;
      if (!profiles[p]) profiles[p] = make_profile(p);
      const pem_profile& profile = *profiles[p];
      stored_certificate c;
      c.name = seeded_name(i, rng());
      c.id = new_id();
      c.created_at = created_at;
      c.validity = profile.validity;
      c.pem = profile.pem;
      certificates.push_back(std::move(c));
    }
    std::sort(certificates.begin(), certificates.end(), created_before);
    now = certificates.empty() ? k_epoch : created_at + 1;
  }

  std::string new_id() {
    for (;;) {
      std::string id = "cert_";
      std::uint64_t bits = rng();
      for (int i = 0; i < 24; ++i) {
        if (i == 16) bits = rng();
        id.push_back(hex_digit(static_cast<unsigned>(bits & 15)));
        bits >>= 4;
      }
      // Every id ever issued, deleted ones included, is never issued again.
      if (issued_ids.insert(id).second) return id;
    }
  }

  static std::vector<stored_certificate>::iterator find(std::vector<stored_certificate>& in,
                                                        std::string_view id) {
    return std::find_if(in.begin(), in.end(), [&](const auto& c) { return c.id == id; });
  }

  stored_certificate* lookup(std::string_view id) {
    const auto it = find(certificates, id);
    return it == certificates.end() ? nullptr : &*it;
  }

  bool active_in(const stored_certificate& c, const target& t) const {
    if (!t.project) return c.active;
    const auto p = project_active.find(*t.project);
    return p != project_active.end() && p->second.contains(c.id);
  }

  void set_active(stored_certificate& c, const target& t, bool on) {
    if (!t.project) {
      c.active = on;
    } else if (on) {
      project_active[std::string(*t.project)].insert(c.id);
    } else if (const auto p = project_active.find(*t.project); p != project_active.end()) {
      p->second.erase(c.id);
      if (p->second.empty()) project_active.erase(p);  // any project id is accepted: stay small
    }
  }

  bool active_anywhere(const stored_certificate& c) const {
    return c.active || std::any_of(project_active.begin(), project_active.end(),
                                   [&](const auto& p) { return p.second.contains(c.id); });
  }

  // ---- Presentation (where the faults about values live).

  certificate_validity shown_validity(const stored_certificate& c) const {
    certificate_validity v = c.validity;
    if (has(fake_fault::details_mismatch)) {
      v.not_before += k_day;
      v.not_after += k_day;
    }
    if (has(fake_fault::validity_inverted)) std::swap(v.not_before, v.not_after);
    return v;
  }

  models::certificate certificate_view(const stored_certificate& c, bool with_content) const {
    models::certificate out;
    out.object = "certificate";
    out.id = c.id;
    out.name = c.name;
    out.created_at = c.created_at;
    const certificate_validity v = shown_validity(c);
    out.certificate_details.valid_at = v.not_before;
    out.certificate_details.expires_at = v.not_after;
    if (with_content) out.certificate_details.content = *(decoy ? decoy : c.pem);
    return out;
  }

  models::scoped_certificate scoped_view(const stored_certificate& c, const target& t) const {
    models::scoped_certificate out;
    out.object = objects_of(t).item;
    out.id = c.id;
    out.name = c.name;
    out.created_at = c.created_at;
    const certificate_validity v = shown_validity(c);
    out.valid_at = v.not_before;
    out.expires_at = v.not_after;
    out.active = active_in(c, t);
    return out;
  }

  http_response ok(std::string body) const {
    if (has(fake_fault::wrong_type)) rewrite_member(body, "name", "42");
    http_response r;
    r.body = std::move(body);
    return r;
  }

  http_response reply(const api_error& e) const {
    http_response r;
    r.status = e.status;
    if (e.status == 404 && has(fake_fault::error_shape)) {
      r.body = R"({"detail":"Not found"})";
    } else {
      r.body = models::encode(models::error_response{{e.type, e.message, e.param, e.code}});
    }
    return r;
  }

  // Transport-level faults, applied to every response.
  void finish(http_response& r) const {
    r.headers.insert(r.headers.begin(),
                     {"Content-Type", has(fake_fault::bad_content_type) ? "text/html; charset=utf-8"
                                                                        : "application/json"});
    if (has(fake_fault::trailing_comma_json) && !r.body.empty() && r.body.back() == '}') {
      r.body.insert(r.body.size() - 1, ",");
    }
    if (has(fake_fault::truncated_body)) r.fault = transport_fault::truncate_body;
    if (has(fake_fault::slow)) r.delay = options.slow_delay;
  }

  // ---- The request pipeline.

  std::optional<http_response> throttle() {
    ++requests;
    const bool no_retry_after = has(fake_fault::too_many_requests_without_retry_after);
    std::optional<std::int64_t> wait;
    if (no_retry_after && requests % k_fault_429_period == 0) {
      wait = 1;
    } else if (bucket) {
      wait = bucket->take(options.clock());
    }
    if (!wait) return std::nullopt;
    http_response r = reply(api_error{429, "Rate limit reached for requests. Try again later.",
                                      std::nullopt, "rate_limit_exceeded", "requests"});
    if (!no_retry_after) r.headers.emplace_back("Retry-After", std::to_string(*wait));
    return r;
  }

  using handler = http_response (impl::*)(const http_request&, const target&);

  static handler pick(const target& t, std::string_view method) {
    if (!allows(allowed_methods(t), method)) return nullptr;
    switch (t.what) {
      case resource::certificates:
        return method == "GET" ? &impl::list : &impl::upload;
      case resource::certificate:
        return method == "GET" ? &impl::retrieve : method == "POST" ? &impl::modify : &impl::remove;
      case resource::activate:
      case resource::deactivate:
        break;
    }
    return &impl::toggle;
  }

  http_response dispatch(const http_request& r) {
    if (auto limited = throttle()) return std::move(*limited);
    const std::optional<target> t = resolve(r.path);
    if (!t) {
      return reply(api_error{404, "Invalid URL (" + echo(r.method) + " " + echo(r.path) + ").",
                             std::nullopt, std::nullopt});
    }
    const handler h = pick(*t, r.method);
    if (h == nullptr) {
      const std::string_view allowed = allowed_methods(*t);
      http_response response = reply(api_error{
          405,
          "Method " + echo(r.method) + " is not allowed here; use " + std::string(allowed) + ".",
          std::nullopt, std::nullopt});
      response.headers.emplace_back("Allow", std::string(allowed));
      return response;
    }
    switch (bearer_credentials(r.headers)) {
      case credentials::missing:
        return reply(api_error{401,
                               "You didn't provide an API key. You need to provide your API key "
                               "in an Authorization header using Bearer auth (i.e. "
                               "Authorization: Bearer YOUR_KEY).",
                               std::nullopt, std::nullopt});
      case credentials::malformed:
        return reply(api_error{401,
                               "Incorrect API key provided. The Authorization header must be "
                               "'Bearer ' followed by the key.",
                               std::nullopt, "invalid_api_key"});
      case credentials::present:
        break;
    }
    return (this->*h)(r, *t);
  }

  // ---- Operations.

  // The certificates a list walks, in its order. Under asc-desc-inconsistent, asc leaves out
  // the certificate with the smallest id: deterministic, and the same one on every page.
  std::vector<const stored_certificate*> ordered(bool ascending) const {
    std::vector<const stored_certificate*> view;
    view.reserve(certificates.size());
    for (const stored_certificate& c : certificates) view.push_back(&c);
    if (ascending && has(fake_fault::asc_desc_inconsistent) && !view.empty()) {
      view.erase(std::min_element(view.begin(), view.end(),
                                  [](const auto* a, const auto* b) { return a->id < b->id; }));
    }
    if (!ascending) std::reverse(view.begin(), view.end());
    return view;
  }

  // Where `after` stands: a live certificate's position, or a deleted one's while remembered
  // (unless strict-deleted-cursor); nullopt for an id with no known position.
  std::optional<list_position> cursor_position(std::string_view after) const {
    const auto live = std::find_if(certificates.begin(), certificates.end(),
                                   [&](const auto& c) { return c.id == after; });
    if (live != certificates.end()) return position_of(*live);
    if (has(fake_fault::strict_deleted_cursor)) return std::nullopt;
    const auto gone = deleted_positions.find(after);
    if (gone == deleted_positions.end()) return std::nullopt;
    return list_position{gone->second, gone->first};
  }

  void remember_deleted(const stored_certificate& c) {
    if (options.deleted_cursor_memory == 0) return;
    if (deleted_positions.size() >= options.deleted_cursor_memory) {
      deleted_positions.erase(deleted_order.front());
      deleted_order.pop_front();
    }
    const auto [at, fresh] = deleted_positions.insert_or_assign(c.id, c.created_at);
    if (fresh) deleted_order.push_back(at);
  }

  http_response list(const http_request& r, const target& t) {
    auto parsed = parse_page_query(r.query, has(fake_fault::accepts_invalid_limit));
    if (const auto* e = std::get_if<api_error>(&parsed)) return reply(*e);
    const page_query& q = std::get<page_query>(parsed);
    const std::vector<const stored_certificate*> view = ordered(q.ascending);

    std::size_t start = 0;
    if (q.after && !has(fake_fault::cursor_loop)) {
      const std::optional<list_position> cursor = cursor_position(*q.after);
      if (!cursor) {
        return reply(api_error{
            400, "Invalid 'after': no certificate with id '" + echo(*q.after) + "' in this list.",
            "after", "invalid_value"});
      }
      // The first item past the cursor in this page's order; the view is sorted in that order.
      const auto past = std::partition_point(view.begin(), view.end(), [&](const auto* c) {
        const list_position p = position_of(*c);
        return q.ascending ? !before(*cursor, p) : !before(p, *cursor);  // not past the cursor
      });
      start = static_cast<std::size_t>(past - view.begin());
      // With limit 1 a repeated item would leave no room to advance: that is cursor-loop.
      if (has(fake_fault::duplicate_across_pages) && q.limit >= 2 && start > 0 &&
          view[start - 1]->id == *q.after) {
        --start;
      }
    }
    const auto size = static_cast<std::size_t>(q.limit) + (has(fake_fault::over_limit) ? 1 : 0);
    const std::size_t end = std::min(view.size(), start + size);

    models::certificate_list page;
    page.object = "list";
    for (std::size_t i = start; i < end; ++i) page.data.push_back(scoped_view(*view[i], t));
    page.has_more = end < view.size() || has(fake_fault::cursor_loop) ||
                    (has(fake_fault::has_more_lies) && !page.data.empty());
    if (has(fake_fault::wrong_order)) swap_inner_pair(page.data);
    set_page_ids(page);
    std::string body = models::encode(page);
    if (has(fake_fault::missing_required)) rewrite_member(body, "active", std::nullopt);
    return ok(std::move(body));
  }

  // wrong-order: swaps two adjacent inner items (first and last stay, so the ids and the cursor
  // stay right) whose created_at differ (a swapped tie would still be sorted by created_at).
  static void swap_inner_pair(std::vector<models::scoped_certificate>& data) {
    for (std::size_t i = 1; i + 2 < data.size(); ++i) {
      if (data[i].created_at != data[i + 1].created_at) {
        std::swap(data[i], data[i + 1]);
        return;
      }
    }
  }

  void set_page_ids(models::certificate_list& page) const {
    if (page.data.empty()) {
      if (has(fake_fault::empty_ids_not_null)) page.first_id = page.last_id = "";
      return;
    }
    const std::size_t n = page.data.size();
    const auto other = [&](std::size_t i) {
      return n >= 2 ? page.data[i].id : std::string(k_made_up_id);
    };
    page.first_id = has(fake_fault::first_id_mismatch) ? other(1) : page.data.front().id;
    page.last_id = has(fake_fault::last_id_mismatch) ? other(n - 2) : page.data.back().id;
  }

  http_response upload(const http_request& r, const target&) {
    auto body = json_object_body(r.body);
    if (const auto* e = std::get_if<api_error>(&body)) return reply(*e);
    const json_value& root = std::get<json_document>(body).root();
    const json_value* pem = root.find("certificate");
    if (pem == nullptr) return reply(missing("certificate"));
    if (!pem->is_string()) return reply(invalid_type("certificate", "a string", *pem));
    const json_value* name = root.find("name");
    if (name != nullptr && !name->is_string()) {
      return reply(invalid_type("name", "a string", *name));
    }
    auto validity = read_pem_certificate(pem->as_string());
    if (!validity) {
      return reply(api_error{400, "Invalid 'certificate': " + validity.error() + ".", "certificate",
                             "invalid_value"});
    }
    if (uploaded >= k_certificate_cap) {
      return reply(api_error{400,
                             "Organizations can upload up to 50 certificates; delete one first.",
                             std::nullopt, std::nullopt});
    }
    stored_certificate c;
    c.id = new_id();
    if (name != nullptr) c.name = std::string(name->as_string());
    c.created_at = now++;
    c.validity = *validity;
    c.pem = std::make_shared<const std::string>(pem->as_string());
    c.active = has(fake_fault::upload_activates);
    c.uploaded = true;
    ++uploaded;
    http_response response = ok(models::encode(certificate_view(c, false)));
    certificates.insert(
        std::upper_bound(certificates.begin(), certificates.end(), c, created_before),
        std::move(c));
    return response;
  }

  http_response retrieve(const http_request& r, const target& t) {
    const stored_certificate* c = lookup(t.certificate_id);
    if (c == nullptr && has(fake_fault::delete_keeps)) {
      const auto ghost = find(deleted, t.certificate_id);
      if (ghost != deleted.end()) c = &*ghost;
    }
    if (c == nullptr) return reply(not_found(t.certificate_id, "certificate_id"));
    bool with_content = false;
    for (const auto& [key, value] : r.query) {
      if (key != "include" && key != "include[]") continue;
      if (value != "content") {
        return reply(api_error{
            400,
            "Invalid value for 'include': '" + echo(value) + "'. Supported values are: 'content'.",
            "include", "invalid_value"});
      }
      with_content = true;
    }
    models::certificate out = certificate_view(*c, with_content);
    if (has(fake_fault::get_wrong_object)) out.object = k_organization_objects.item;
    if (has(fake_fault::get_mismatch)) out.name = out.name.value_or("") + " (stale)";
    return ok(models::encode(out));
  }

  http_response modify(const http_request& r, const target& t) {
    stored_certificate* c = lookup(t.certificate_id);
    if (c == nullptr) return reply(not_found(t.certificate_id, "certificate_id"));
    auto body = json_object_body(r.body);
    if (const auto* e = std::get_if<api_error>(&body)) return reply(*e);
    // Only the name can be modified; other members are ignored, as the spec allows them.
    if (const json_value* name = std::get<json_document>(body).root().find("name")) {
      if (!name->is_string()) return reply(invalid_type("name", "a string", *name));
      c->name = std::string(name->as_string());
    }
    ++now;
    return ok(models::encode(certificate_view(*c, false)));
  }

  http_response remove(const http_request&, const target& t) {
    const auto it = find(certificates, t.certificate_id);
    if (it == certificates.end()) return reply(not_found(t.certificate_id, "certificate_id"));
    if (active_anywhere(*it)) {
      return reply(api_error{400,
                             "Certificate '" + it->id +
                                 "' must be inactive for the organization and all projects "
                                 "before it can be deleted.",
                             "certificate_id", std::nullopt});
    }
    models::delete_certificate_response out{"certificate.deleted", it->id};
    if (it->uploaded) --uploaded;
    remember_deleted(*it);
    if (has(fake_fault::delete_keeps)) deleted.push_back(std::move(*it));
    certificates.erase(it);
    ++now;
    return ok(models::encode(out));
  }

  http_response toggle(const http_request& r, const target& t) {
    auto body = json_object_body(r.body);
    if (const auto* e = std::get_if<api_error>(&body)) return reply(*e);
    auto ids = certificate_ids(std::get<json_document>(body).root());
    if (const auto* e = std::get_if<api_error>(&ids)) return reply(*e);
    // Atomic: every id is found before anything changes.
    std::vector<stored_certificate*> found;
    for (std::string_view id : std::get<std::vector<std::string_view>>(ids)) {
      stored_certificate* c = lookup(id);
      if (c == nullptr) return reply(not_found(id, "certificate_ids"));
      found.push_back(c);
    }
    const bool on = t.what == resource::activate;
    models::certificate_toggle_response out;
    out.object = on ? objects_of(t).activation : objects_of(t).deactivation;
    for (stored_certificate* c : found) set_active(*c, t, on);
    for (const stored_certificate* c : found) out.data.push_back(scoped_view(*c, t));
    ++now;
    return ok(models::encode(out));
  }
};

fake_api::fake_api(fake_api_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

fake_api::~fake_api() = default;

http_response fake_api::handle(const http_request& request) {
  const std::lock_guard lock(impl_->mutex);
  http_response response = impl_->dispatch(request);
  impl_->finish(response);
  return response;
}

std::size_t fake_api::certificate_count() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->certificates.size();
}

}  // namespace certharness
