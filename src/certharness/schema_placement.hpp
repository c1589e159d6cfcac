// Which schema a document claims to be, from its own content.
#pragma once

#include <optional>
#include <string>

#include "certharness/json_document.hpp"

namespace certharness {

struct placement {
  std::string schema;  // a schema_registry name
  std::string reason;  // what in the document decided it, e.g. `"object": "certificate"`
};

// Places by the `object` field, a list's items' `object`, an `error` member, or an
// unmistakable request body (`certificate_ids`, `certificate`). Returns nullopt rather than
// guess: ModifyCertificateRequest, mixed lists and unknown object types need --schema.
std::optional<placement> place_schema(const json_value& root);

}  // namespace certharness
