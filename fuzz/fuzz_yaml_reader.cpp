// fuzz_yaml_reader: YAML text to JSON text (spec/yaml_reader.hpp), as `--spec FILE.yaml` reads it.
//
// Oracle: no crash, hang, UB or leak on any bytes (anchors and aliases included); an accepted
// input gives JSON text within the byte limit that the strict decoder accepts (duplicate keys
// aside: they are the decoder's to report; so are its own json.limits, such as its cap on numbers
// beyond double range, which hold for a document whatever its format), and since JSON is YAML
// 1.2 flow style, that JSON text read as YAML again gives the same JSON text.
// Refusals are fine; an error without a message is not.
#include <cstddef>
#include <cstdint>
#include <string>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/spec/yaml_reader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using certharness::checks;
  constexpr certharness::fuzz::failure fail{"fuzz_yaml_reader", "json", "again"};
  certharness::spec_limits limits;
  limits.max_bytes = std::size_t{1} << 18;  // aliases may expand up to here
  limits.max_depth = 64;
  const auto json = certharness::yaml_to_json(certharness::fuzz::as_text(data, size), limits);
  if (!json) {
    fail.unless(!json.error().message.empty(), "an error without a message");
    return 0;
  }
  if (json->size() > limits.max_bytes) fail("JSON over the byte limit", *json);
  const certharness::decode_result decoded =
      certharness::decode_json(*json, {limits.max_bytes, limits.max_depth});
  bool limited = false;
  for (const certharness::finding& f : decoded.problems) {
    limited = limited || f.check == checks::json_limits;
    if (f.level == certharness::severity::error && f.check != checks::json_duplicate_key &&
        f.check != checks::json_limits) {
      fail("the JSON text does not decode strictly: " + f.message, *json);
    }
  }
  if (!decoded.document && !limited) fail("the JSON text does not decode", *json);
  const auto again = certharness::yaml_to_json(*json, limits);
  if (!again) fail("the JSON text read as YAML is refused: " + again.error().describe(""), *json);
  if (*again != *json) fail("the JSON text read as YAML differs", *json, *again);
  return 0;
}
