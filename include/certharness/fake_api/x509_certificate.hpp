// X.509 certificates in PEM (OpenSSL): reading validity, and making throwaway ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/findings/result.hpp"

namespace certharness {

struct certificate_validity {
  std::int64_t not_before = 0;  // Unix seconds (certificate_details.valid_at)
  std::int64_t not_after = 0;   // Unix seconds (certificate_details.expires_at)
};

// The first certificate of a PEM text. Error: one line saying what is wrong, e.g.
// "no PEM certificate found", "malformed certificate". Only std::bad_alloc escapes.
result<certificate_validity> read_pem_certificate(std::string_view pem);

struct self_signed_request {
  std::string common_name = "certharness";
  std::int64_t not_before = 0;  // Unix seconds
  std::int64_t not_after = 0;
  std::uint64_t serial = 1;
};

// A fresh self-signed certificate (EC P-256 key, SHA-256), PEM-encoded. The private key is
// discarded: nothing secret is ever written anywhere. Throws std::runtime_error if OpenSSL fails.
std::string make_self_signed_certificate(const self_signed_request& request);

}  // namespace certharness
