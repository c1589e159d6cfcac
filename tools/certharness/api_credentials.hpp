// The admin key and organization id, from the environment only (never argv), and checked before
// any request: a value an HTTP header cannot carry is refused naming its variable, never showing
// its value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "certharness/findings/result.hpp"

namespace certharness::cli {

struct api_credentials {
  std::string admin_key;                    // OPENAI_ADMIN_KEY
  std::optional<std::string> organization;  // OPENAI_ORG_ID, when set and not empty

  // Everything to redact from output.
  std::vector<std::string> secrets() const;
};

// Both variables, or one line saying which is missing or unusable. A control character (a CR or
// LF left by `$(cat keyfile)` or a Windows editor) or a byte beyond ASCII would break or split the
// header the value goes in, and every request would fail as if the API were broken.
result<api_credentials> credentials_from_environment();

// Whatever of the two variables is set, for commands that send nothing but must still keep the
// values out of their output (replay of a recording that may hold them).
std::vector<std::string> secrets_from_environment();

}  // namespace certharness::cli
