// The one repair certharness makes to text that is not JSON, and only to say so: dropping
// trailing commas (`[1, 2,]`, `{"a": 1,}`), the mistake of the official document's examples.
// spec-lint reports the text as json.syntax and then judges it as so recovered.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/finding.hpp"

namespace certharness {

struct trailing_commas_dropped {
  std::string text;                    // the text without them
  std::vector<text_position> dropped;  // where each was in the original text, in order
};

// The text without the commas that stand right before a ']' or '}' (JSON blanks between) after
// a value. A comma inside a string is never touched, nor one after '[', '{', ':' or another
// comma (a different mistake). Positions count bytes and '\n' as decode_json's do. nullopt when
// there is none. One pass over `text`; the result may still not be JSON.
std::optional<trailing_commas_dropped> without_trailing_commas(std::string_view text);

}  // namespace certharness
