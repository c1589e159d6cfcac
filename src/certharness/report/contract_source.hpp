// Which contract a run held the API to, said the same way in every report (internal to the report
// concern): JSON always has it; text only when it is not the built-in one, so that a run without
// --spec prints what it always printed.
#pragma once

#include <string>
#include <string_view>

#include "certharness/json/json_writer.hpp"
#include "certharness/json/text_escaping.hpp"
#include "certharness/spec/contract.hpp"

namespace certharness {

// "contract":{"source":"built-in" or the --spec path}, into the object `w` has open.
inline void write_contract_member(json_writer& w, std::string_view source) {
  w.key("contract").begin_object().key("source").string(source).end_object();
}

// "contract: PATH\n" for a contract read from a document; "" for the built-in one.
inline std::string contract_line(std::string_view source) {
  if (source == k_builtin_contract_source) return {};
  return "contract: " + printable(source) + "\n";
}

}  // namespace certharness
