#include "certharness/spec/contract.hpp"

#include <stdexcept>
#include <utility>

#include "certharness/spec/embedded_excerpt.hpp"
#include "certharness/spec/operation_reader.hpp"
#include "certharness/spec/schema_translation.hpp"

namespace certharness {

contract::contract(std::shared_ptr<const operation_table> operations,
                   std::shared_ptr<const schema_registry> schemas,
                   std::shared_ptr<const openapi_document> document)
    : operations_(std::move(operations)),
      schemas_(std::move(schemas)),
      document_(std::move(document)) {}

// The built-in contract is the excerpt compiled in, translated and read as a --spec document is.
// Its table and registry are the process-wide statics operation_table::builtin() and
// schema_registry::builtin() (which translate that same excerpt), so it is translated once.
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

result<contract, spec_error> contract::from_document(openapi_document document) {
  const json_value root = document.root();
  auto schemas = translate_registry(root);
  if (!schemas) return failure(std::move(schemas).error());
  auto operations = read_operation_table(root);
  if (!operations) return failure(std::move(operations).error());
  // Every schema a row names must be one the registry has: the translation takes what the
  // family's operations reach, so a miss is a defect of the reader or the cut, said as such.
  for (const operation& op : operations->operations()) {
    auto missing = [&](const std::string& name) {
      return !name.empty() && !schemas->contains(name);
    };
    std::string absent;
    if (op.request_schema && missing(*op.request_schema)) absent = *op.request_schema;
    for (const operation_response& r : op.responses) {
      if (missing(r.schema)) absent = r.schema;
    }
    if (!absent.empty()) {
      return failure(spec_error{
          op.pointer, "names the schema \"" + absent + "\", which the translation did not produce",
          std::nullopt});
    }
  }
  return contract(std::make_shared<const operation_table>(std::move(*operations)),
                  std::make_shared<const schema_registry>(std::move(*schemas)),
                  std::make_shared<const openapi_document>(std::move(document)));
}

}  // namespace certharness
