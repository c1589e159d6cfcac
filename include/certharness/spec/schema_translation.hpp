// The family's component schemas, as the official document writes them (OpenAPI 3.1, JSON
// Schema 2020-12), translated into the draft-07 files valijson runs (schemas/*.json are this
// translation's output over the excerpt; `certharness spec-schemas` writes them).
//
// What the translation keeps of 2020-12's meaning:
// - type (a name or an array of names), enum, const, required, properties, items (one schema),
//   anyOf, minItems/maxItems, minLength/maxLength, minProperties/maxProperties, minimum/maximum,
//   exclusiveMinimum/exclusiveMaximum (numbers in both drafts), multipleOf: copied, same meaning.
//   "integer" stays: the registry decides integer-ness from a number's text, as 2020-12 does.
// - "$ref": "#/components/schemas/X" -> "X.json", the sibling file the registry resolves.
//   Beside "$ref", 2020-12 applies the siblings too while draft-07 ignores them: annotations
//   (description, title, default, deprecated, readOnly, writeOnly, ...) may stand there, an
//   assertion beside "$ref" is an error (the registry does not model allOf, which would be its
//   translation).
// - description, title, default: kept (annotations in both drafts). The root's "title" is the
//   component's name.
// - format (an annotation in 2020-12; "unixtime" is checked by our own rules), example,
//   examples, deprecated, readOnly, writeOnly, $comment, externalDocs, xml, discriminator and
//   every x-* extension (x-oaiMeta, x-stainless-const, ...): dropped.
// Any other keyword is an error naming its JSON Pointer in the document, never dropped: the
// applicators the registry does not model (allOf, oneOf, not, if/then/else,
// additionalProperties, patternProperties, ...), keywords unsafe on hostile input (pattern:
// std::regex recursion; uniqueItems: quadratic), and whatever is unknown (e.g. OpenAPI 3.0's
// "nullable").
#pragma once

#include <string>
#include <vector>

#include "certharness/findings/result.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/spec/openapi_document.hpp"

namespace certharness {

struct translated_schema {
  std::string name;     // "Certificate": the file is NAME.json, other schemas "$ref" it so
  std::string pointer;  // "/components/schemas/Certificate", where it is in the document
  std::string text;     // draft-07 JSON, 2-space indented, members in the document's order,
                        // ending in a newline
};

// One component schema, `pointer` naming it in `root` (as reached_schema does).
result<translated_schema, spec_error> translate_schema(const json_value& root, std::string name,
                                                       std::string pointer);

// Every component schema the family reaches (cut_family), translated; sorted by name.
result<std::vector<translated_schema>, spec_error> translate_family_schemas(const json_value& root);

// translate_family_schemas(), compiled into a registry.
result<schema_registry, spec_error> translate_registry(const json_value& root);

}  // namespace certharness
