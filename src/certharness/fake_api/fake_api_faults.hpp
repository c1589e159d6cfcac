// The faults' own machinery that is not a decision of one operation: the body rewriting for
// the faults that break a member's presence or type. The catalogue is fake_api.hpp's
// fault_catalogue(). Internal to the fake API.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certharness::fake_api_internal {

// Replaces the value of every member `key` (or removes the member, when `value` is nullopt) in
// compact JSON written by models::encode.
void rewrite_member(std::string& json, std::string_view key, std::optional<std::string_view> value);

}  // namespace certharness::fake_api_internal
