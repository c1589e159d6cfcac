#include "certharness/spec/contract.hpp"

#include <stdexcept>
#include <utility>

#include "certharness/spec/embedded_excerpt.hpp"

namespace certharness {

contract::contract(std::shared_ptr<const operation_table> operations,
                   std::shared_ptr<const schema_registry> schemas,
                   std::shared_ptr<const openapi_document> document)
    : operations_(std::move(operations)),
      schemas_(std::move(schemas)),
      document_(std::move(document)) {}

// SCAFFOLD (session 3, replaced when the translation and the operation reader land): the built-in
// contract is the compiled-in table and schemas; from_document() cannot translate yet.
const contract& contract::builtin() {
  static const contract builtin_contract = [] {
    auto document =
        parse_openapi(embedded_openapi_excerpt(), std::string(k_builtin_contract_source));
    if (!document) throw std::logic_error(document.error().describe("built-in excerpt"));
    return contract(std::shared_ptr<const operation_table>(&operation_table::builtin(),
                                                           [](const operation_table*) {}),
                    std::shared_ptr<const schema_registry>(&schema_registry::builtin(),
                                                           [](const schema_registry*) {}),
                    std::make_shared<const openapi_document>(std::move(*document)));
  }();
  return builtin_contract;
}

result<contract, spec_error> contract::load(const std::string& path, const spec_limits& limits) {
  auto document = load_openapi_file(path, limits);
  if (!document) return failure(std::move(document).error());
  return from_document(std::move(*document));
}

result<contract, spec_error> contract::from_document(openapi_document) {
  return failure(spec_error{"", "translating a document is not implemented yet", std::nullopt});
}

}  // namespace certharness
