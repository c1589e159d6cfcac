// fuzz_decode: strict decoding plus the typed decode of every model.
//
// Mutator: structure-aware JSON (json_mutator.hpp).
//
// Oracle (round trip): no crash, UB or leak on any bytes; for every schema a document decodes
// to, encode(x) is strict-valid JSON, decodes again, and encodes to the same bytes
// (decode(encode(x)) == x, since encode is injective on the model).
// Oracle (DOM round trip): for every input that decodes, decode(json_text(decode(x))) is
// decode(x): same types, strings, keys, number text, member order and duplicates.
// Oracle (differential over limits): decoding again under tighter limits (max_bytes or
// max_depth, chosen from the size) either refuses with json.limits or gives the same verdict.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/json/json_writer.hpp"
#include "certharness/schema/models.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "fuzz_support.hpp"
#include "json_mutator.hpp"

CERTHARNESS_FUZZ_JSON_MUTATOR()

namespace {

// "<schema>: <what>", both sides.
[[noreturn]] void fail(std::string_view schema, std::string_view what, const std::string& a,
                       const std::string& b) {
  constexpr certharness::fuzz::failure failure{"fuzz_decode", "first", "second"};
  failure(std::string(schema) + ": " + std::string(what), a, b);
}

// The verdict of a decode: document or not, and every problem's check, pointer and message.
std::string verdict(const certharness::decode_result& r) {
  std::string out = r.document ? "document" : "no document";
  for (const certharness::finding& f : r.problems) {
    out += "; " + f.check + " at '" + f.pointer + "': " + f.message;
  }
  return out;
}

// Structural equality, iteratively (documents are as deep as the limits allow).
bool same(const certharness::json_value& a, const certharness::json_value& b) {
  std::vector<std::pair<certharness::json_value, certharness::json_value>> todo{{a, b}};
  while (!todo.empty()) {
    const auto [x, y] = todo.back();
    todo.pop_back();
    if (x.type() != y.type() || x.key() != y.key() || x.as_string() != y.as_string() ||
        x.as_bool() != y.as_bool() || x.size() != y.size()) {
      return false;
    }
    for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) todo.emplace_back(*i, *j);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  certharness::decode_limits limits;
  limits.max_bytes = 1 << 20;
  const certharness::decode_result r =
      certharness::decode_json({reinterpret_cast<const char*>(data), size}, limits);
  certharness::decode_limits tight = limits;
  if (size & 1)
    tight.max_bytes = size / 2;
  else
    tight.max_depth = 1 + (size >> 1) % 8;
  const certharness::decode_result t =
      certharness::decode_json({reinterpret_cast<const char*>(data), size}, tight);
  bool limited = false;
  for (const certharness::finding& f : t.problems)
    limited = limited || f.check == certharness::checks::json_limits;
  if (t.document ? verdict(t) != verdict(r) : r.document && !limited) {
    fail("limits", "tighter limits changed the verdict without json.limits", verdict(r),
         verdict(t));
  }
  if (!r.document) return 0;
  const std::string written = certharness::json_text(r.document->root());
  const certharness::decode_result back = certharness::decode_json(written, limits);
  if (!back.document || !same(r.document->root(), back.document->root())) {
    fail("dom", "decode(json_text(decode(x))) differs from decode(x)", written,
         back.document ? certharness::json_text(back.document->root()) : verdict(back));
  }
  for (const std::string& schema : certharness::schema_registry::builtin().names()) {
    const std::optional<std::string> encoded =
        certharness::models::reencode(schema, r.document->root());
    if (!encoded) continue;
    const certharness::decode_result again = certharness::decode_json(*encoded, limits);
    if (!again.ok()) fail(schema, "encode output is not strict JSON", *encoded, "");
    const std::optional<std::string> twice =
        certharness::models::reencode(schema, again.document->root());
    if (!twice) fail(schema, "encode output does not decode", *encoded, "");
    if (*twice != *encoded) fail(schema, "round trip changed the value", *encoded, *twice);
  }
  return 0;
}
