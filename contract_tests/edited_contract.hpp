// Contracts for tests: the built-in one with its operation table edited (a row removed, renamed or
// added, a schema name changed), as a document other than today's would give it. The schemas
// are the built-in ones; the document is a minimal OpenAPI object whose source is `source`,
// the name reports quote.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "certharness/spec/contract.hpp"

namespace certharness::test_support {

inline contract edited_contract(const std::function<void(std::vector<operation>&)>& edit,
                                const std::string& source = "edited-openapi.json") {
  std::vector<operation> rows = contract::builtin().operations().operations();
  edit(rows);
  auto document = parse_openapi(R"({"openapi":"3.1.0","paths":{}})", source);
  if (!document) throw std::runtime_error(document.error().describe(source));
  return contract::from_parts(std::make_shared<const operation_table>(std::move(rows)),
                              std::shared_ptr<const schema_registry>(&contract::builtin().schemas(),
                                                                     [](const schema_registry*) {}),
                              std::make_shared<const openapi_document>(std::move(*document)));
}

// Drops the row of `kind`.
inline void without(std::vector<operation>& rows, certificate_operation kind) {
  std::erase_if(rows, [&](const operation& op) { return op.kind == kind; });
}

// The row of `kind`, to edit.
inline operation& row_of(std::vector<operation>& rows, certificate_operation kind) {
  const auto it =
      std::find_if(rows.begin(), rows.end(), [&](const operation& op) { return op.kind == kind; });
  if (it == rows.end()) throw std::logic_error("no such row");
  return *it;
}

}  // namespace certharness::test_support
