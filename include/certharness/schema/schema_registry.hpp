// Compiled schemas of the certificates family, and validation of a decoded document.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/finding.hpp"
#include "certharness/findings/result.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {

// One draft-07 schema as the translation writes it (schemas/*.json are such texts).
struct schema_source {
  std::string name;  // "Certificate"; another schema refers to it as "Certificate.json"
  std::string text;  // JSON
};

// Who decides whether a document is valid. `compiled` (the default): the registry's verdict
// program, compiled once from the same schemas, allocation-free on a valid document; valijson
// runs only to explain a document the program finds invalid. `valijson`: valijson decides for
// every document (`--engine valijson`). Findings are the same either way.
enum class validation_engine : std::uint8_t { compiled, valijson };

std::string_view to_string(validation_engine e) noexcept;

class schema_registry {
 public:
  // The translation of the official excerpt compiled into the library (the same text as
  // schemas/*.json). Defined by the spec concern (spec/schema_translation.cpp), which translates.
  // Built once, on first use; safe to use from several threads at once. Throws
  // std::logic_error if the excerpt does not translate or compile: a defect of the build, never
  // of any input (schema_translation_test and schema_registry_test rule it out).
  static const schema_registry& builtin();

  // Compiles `sources` with valijson (draft-07), cross-file "$ref"s ("Foo.json") resolved by
  // name, and into the verdict program. A source that is not JSON, names a schema that is not
  // there, uses a keyword that would make the unknown-property walk disagree with valijson
  // (node_builder), has an anyOf that reaches itself through "$ref" (no walk of it would end),
  // or that valijson refuses, is an error naming it: sources may come from a --spec document.
  static result<schema_registry> from_sources(std::vector<schema_source> sources);

  ~schema_registry();
  schema_registry(schema_registry&&) noexcept;
  schema_registry& operator=(schema_registry&&) noexcept;

  // Sorted component names, e.g. "Certificate", "ListCertificatesResponse".
  const std::vector<std::string>& names() const noexcept;
  bool contains(std::string_view name) const noexcept;

  // Every violation as {check "schema", error, pointer, keyword, message}, then one
  // {check "schema.unknown_property", note} per property the schema does not declare.
  // Integer semantics are JSON Schema 2020-12's (see json_value::is_integer).
  // Throws std::invalid_argument when !contains(name); whatever the document, nothing else
  // but std::bad_alloc escapes.
  findings validate(const json_value& root, std::string_view name,
                    validation_engine engine = validation_engine::compiled) const;

  // The verdict alone, as `engine` decides it (no findings, no explanation): what the
  // differential fuzz target and the engine agreement test compare. Throws
  // std::invalid_argument when !contains(name).
  bool is_valid(const json_value& root, std::string_view name, validation_engine engine) const;

  // The property patterns schema `name` declares, as JSON Pointers with every array item
  // folded to "*": "/data", "/data/*/id", "/data/*/certificate_details/content". In the
  // schema's order, each once: anyOf branches are merged, a $ref is followed to its root (a
  // root already on the way down is not entered again), at most 32 properties deep and
  // 10,000 patterns (bounds for a schema translated from a hostile document). Array items
  // themselves are not patterns: a field is an object member. Throws std::invalid_argument
  // when !contains(name).
  std::vector<std::string> declared_patterns(std::string_view name) const;

  struct impl;

 private:
  explicit schema_registry(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace certharness
