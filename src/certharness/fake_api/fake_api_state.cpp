#include "fake_api_state.hpp"

#include <stdexcept>
#include <tuple>
#include <variant>

namespace certharness::fake_api_internal {

bool before(const list_position& a, const list_position& b) {
  return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
}

list_position position_of(const stored_certificate& c) { return {c.created_at, c.id}; }

bool created_before(const stored_certificate& a, const stored_certificate& b) {
  return before(position_of(a), position_of(b));
}

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

}  // namespace certharness::fake_api_internal
