// What the fake API stores: certificates and their (created_at, id) order, the PEMs seeding
// shares, seeded names, and the rate limiter's token bucket. Internal to the fake API.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/fake_api/x509_certificate.hpp"

namespace certharness::fake_api_internal {

inline constexpr std::int64_t k_epoch =
    1'735'689'600;  // 2025-01-01T00:00:00Z, the first created_at
inline constexpr std::int64_t k_day = 86'400;

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

bool before(const list_position& a, const list_position& b);
list_position position_of(const stored_certificate& c);
bool created_before(const stored_certificate& a, const stored_certificate& b);

struct pem_profile {
  certificate_validity validity;
  std::shared_ptr<const std::string> pem;
};

// A fresh PEM whose validity is read back from it, so details agree with it by construction.
// Throws std::runtime_error when OpenSSL cannot make or read it.
pem_profile make_profile(std::size_t index);

// A seeded certificate's name (unicode, quotes, control characters), or none.
std::optional<std::string> seeded_name(std::size_t index, std::uint64_t draw);

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

}  // namespace certharness::fake_api_internal
