// Which schema a document claims to be, from its own content.
#pragma once

#include <optional>
#include <string>

#include "certharness/json/json_document.hpp"
#include "certharness/schema/operation_table.hpp"
#include "certharness/schema/schema_registry.hpp"

namespace certharness {

struct placement {
  std::optional<std::string> schema;  // a schema_registry name, or nullopt: cannot place
  std::string reason;  // what decided it (`"object": "certificate"`), or why nothing could
};

// Places by the `object` field, a list's items' `object`, an `error` member, or an
// unmistakable request body (`certificate_ids`, `certificate`). Never guesses between schemas
// that would judge the document differently: a list mixing organization and project items, an
// unknown object type, or a body without any of those members (ModifyCertificateRequest among
// them) is left unplaced, with the reason. The schemas of lists and request bodies are the ones
// `operations` names; a schema `schemas` does not have (a contract read from an older document)
// leaves the document unplaced too, the reason naming it.
placement place_schema(const json_value& root, const operation_table& operations,
                       const schema_registry& schemas);

}  // namespace certharness
