#include "api_credentials.hpp"

#include <algorithm>
#include <cstdlib>

namespace certharness::cli {
namespace {

constexpr const char* k_key_variable = "OPENAI_ADMIN_KEY";
constexpr const char* k_org_variable = "OPENAI_ORG_ID";

std::optional<std::string> variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// Printable ASCII only: what an HTTP header value can carry unchanged.
bool header_safe(const std::string& value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

std::string unusable(const char* name) {
  return std::string(name) +
         " holds a control character (a CR or LF?) or a non-ASCII byte, which an HTTP header "
         "cannot carry; its value is not shown";
}

}  // namespace

std::vector<std::string> api_credentials::secrets() const {
  std::vector<std::string> out{admin_key};
  if (organization) out.push_back(*organization);
  return out;
}

result<api_credentials> credentials_from_environment() {
  api_credentials out;
  std::optional<std::string> key = variable(k_key_variable);
  if (!key)
    return failure(std::string("set ") + k_key_variable + " (the key is read from there only)");
  if (!header_safe(*key)) return failure(unusable(k_key_variable));
  out.admin_key = std::move(*key);
  out.organization = variable(k_org_variable);
  if (out.organization && !header_safe(*out.organization)) return failure(unusable(k_org_variable));
  return out;
}

std::vector<std::string> secrets_from_environment() {
  std::vector<std::string> out;
  for (const char* name : {k_key_variable, k_org_variable}) {
    if (std::optional<std::string> value = variable(name)) out.push_back(std::move(*value));
  }
  return out;
}

}  // namespace certharness::cli
