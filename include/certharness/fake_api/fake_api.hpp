// A stateful, in-memory fake of the whole certificates API, faithful to the official document,
// that can be told to break exactly one rule (a fault) so each crawler check can be proven to
// fire. Pure logic: requests in, responses out; `certharness serve` puts it on HTTP.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/http/http_message.hpp"

namespace certharness {

enum class fake_fault {
  first_id_mismatch,       // list: first_id is not the first item's id
  last_id_mismatch,        // list: last_id is not the last item's id
  empty_ids_not_null,      // list: empty page with string first_id/last_id
  over_limit,              // list: one item more than limit
  wrong_order,             // list: items not sorted by created_at for the order
  duplicate_across_pages,  // list: a page repeats the previous page's last item
  cursor_loop,             // list: has_more stays true and the cursor never advances
  has_more_lies,           // list: has_more true on the last page
  asc_desc_inconsistent,   // list: asc walks miss an item desc walks have
  bad_content_type,        // every response: Content-Type text/html
  trailing_comma_json,     // every JSON body: a trailing comma
  truncated_body,          // every response: Content-Length larger than the body sent
  missing_required,        // listed items lack "active"
  wrong_type,              // "name" is a number
  validity_inverted,       // valid_at after expires_at
  get_wrong_object,        // GET by id answers object "organization.certificate"
  get_mismatch,            // GET by id disagrees with the list (name)
  error_shape,             // 404 body is not an ErrorResponse
  accepts_invalid_limit,   // limit outside 1..100 answered 200
  upload_activates,        // upload leaves the certificate active
  details_mismatch,        // valid_at/expires_at not the PEM's notBefore/notAfter
  content_mismatch,        // include=content returns other PEM text
  delete_keeps,            // a deleted certificate is still retrievable
  too_many_requests_without_retry_after,  // 429 without Retry-After ("429-without-retry-after")
  slow,                                   // every response delayed past a typical timeout
  strict_deleted_cursor,  // list: after naming a deleted certificate is a 400 (no position kept)
};

struct fault_info {
  fake_fault fault;
  std::string_view name;         // as on the command line, e.g. "first-id-mismatch"
  std::string_view description;  // one line for --list-faults
};

const std::vector<fault_info>& fault_catalogue();
std::optional<fake_fault> parse_fault(std::string_view name);

struct fake_api_options {
  std::size_t seed_certs = 0;  // preloaded certificates, not counted by the 50-upload cap
  std::uint64_t seed = 1;      // RNG seed: ids, names, timestamps are reproducible
  std::set<fake_fault> faults;
  std::optional<double> rate_limit_per_second;   // token bucket; 429 with Retry-After when empty
  std::chrono::milliseconds slow_delay{15'000};  // the `slow` fault's delay
  // How many of the last deleted certificates keep their position (created_at, id) for cursors
  // that name them (older ones are forgotten first): a walk racing a deleter needs only the last
  // few, and at ~150 bytes each (id, created_at, map node) this bounds the memory to ~1.5 MB
  // however many are deleted.
  std::size_t deleted_cursor_memory = 10'000;
  // The rate limiter's clock; empty means std::chrono::steady_clock (tests pass their own).
  std::function<std::chrono::steady_clock::time_point()> clock;
  // Asked now and then while seeding; true ends seeding early (serve wires it to SIGINT and
  // SIGTERM). certificate_count() then says how many were made.
  std::function<bool()> stop_seeding;
};

// Thread-safe: the server calls handle() from its worker threads.
class fake_api {
 public:
  // Throws std::invalid_argument for a rate limit that is not a positive number, and
  // std::runtime_error if OpenSSL cannot make the seeded certificates.
  explicit fake_api(fake_api_options options);
  ~fake_api();
  fake_api(const fake_api&) = delete;
  fake_api& operator=(const fake_api&) = delete;

  // `request.path` is below the base path (e.g. "/organization/certificates") and still
  // percent-encoded: it is split at '/' before each segment is decoded, so an id may hold an
  // encoded '/'. Query values are already decoded. Every answer is JSON with an ErrorResponse body
  // for 4xx/5xx (unless a fault says otherwise).
  http_response handle(const http_request& request);

  std::size_t certificate_count() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace certharness
