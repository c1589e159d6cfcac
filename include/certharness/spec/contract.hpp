// The contract a run holds the API to: the operation table and the schemas, and the document they
// were read from. builtin() is the official excerpt compiled in (schemas/reference/); load() reads
// `--spec PATH` (the official openapi.yaml or openapi.json, whole or cut to the family) at run
// time. Everything that judges, drives or routes takes a contract, never a global.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "certharness/findings/result.hpp"
#include "certharness/schema/operation_table.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/spec/openapi_document.hpp"

namespace certharness {

// contract::source() of the built-in contract, as reports name it.
inline constexpr std::string_view k_builtin_contract_source = "built-in";

class contract {
 public:
  // Built once, on first use; thread-safe. Throws std::logic_error only for a defect of the build
  // (the embedded excerpt does not translate), which contract_test rules out.
  static const contract& builtin();

  // load_openapi_file() then from_document().
  static result<contract, spec_error> load(const std::string& path, const spec_limits& limits = {});
  // Cuts the family out of `document`, translates its schemas and reads its operation table.
  static result<contract, spec_error> from_document(openapi_document document);
  // A contract of parts already built, as they are (tests build tables the documents do not
  // have; a part may alias a static with a no-op deleter). Each must be non-null.
  static contract from_parts(std::shared_ptr<const operation_table> operations,
                             std::shared_ptr<const schema_registry> schemas,
                             std::shared_ptr<const openapi_document> document) {
    return contract(std::move(operations), std::move(schemas), std::move(document));
  }

  const operation_table& operations() const noexcept { return *operations_; }
  const schema_registry& schemas() const noexcept { return *schemas_; }
  const openapi_document& document() const noexcept { return *document_; }
  // Where it came from, for reports: the path given to --spec, or "built-in".
  const std::string& source() const noexcept { return document_->source; }

 private:
  contract(std::shared_ptr<const operation_table> operations,
           std::shared_ptr<const schema_registry> schemas,
           std::shared_ptr<const openapi_document> document);

  std::shared_ptr<const operation_table> operations_;
  std::shared_ptr<const schema_registry> schemas_;
  std::shared_ptr<const openapi_document> document_;
};

}  // namespace certharness
