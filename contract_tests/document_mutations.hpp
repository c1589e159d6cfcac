// Systematic mutations of a JSON document, for the tests that hold two judges to the same
// verdicts (agreement_test: typed decoder vs valijson; engine_agreement_test: verdict program vs
// valijson): every value replaced by values of every JSON type and integer edge, every member
// dropped, every member repeated with another value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "certharness/json/json_document.hpp"
#include "certharness/json/json_writer.hpp"
#include "corpus_files.hpp"

namespace certharness::test_support {

// What a value is replaced by: "" drops the member; "+value" keeps it and repeats its key with
// that value (both layers judge the first member of a duplicate key).
inline constexpr const char* k_mutation_replacements[] = {
    "",  // drop the member
    "null", "true", "0", "-1", "1.0", "1e3", "1.5", "-0", "9007199254740993", "9223372036854775807",
    "9223372036854775808", "18446744073709551616", "1e400", "1e-400", "\"\"", "\"cert_x\"",
    "\"list\"", "\"organization.certificate\"", "[]", "[1]", "[\"a\"]", "{}", R"({"valid_at":1})",
    // duplicate keys: both layers judge the first member only
    "+null", "+1.5", "+\"x\"", "+7", "+[]"};

struct document_mutation {
  std::size_t node = 0;          // pre-order number of the value mutated (0 is the root)
  std::string_view replacement;  // one of k_mutation_replacements
  std::string text;              // the mutated document

  // "node 7 replaced by 1e400", "member 3 dropped", "member 5 repeated with null".
  std::string describe() const {
    const std::string n = std::to_string(node);
    if (replacement.empty()) return "member " + n + " dropped";
    if (replacement.starts_with('+')) {
      return "member " + n + " repeated with " + std::string(replacement.substr(1));
    }
    return "node " + n + " replaced by " + std::string(replacement);
  }
};

inline std::size_t count_nodes(const json_value& v) {
  std::size_t n = 1;
  if (v.is_array() || v.is_object()) {
    for (const json_value& c : v) n += count_nodes(c);
  }
  return n;
}

// Serialises `v`, replacing the node with pre-order number `target` by `replacement`,
// dropping it when `replacement` is empty, or, for "+value", keeping it and repeating its key
// with that value (object members only for the last two).
inline void write_mutated(const json_value& v, std::size_t& counter, std::size_t target,
                          std::string_view replacement, json_writer& w) {
  const std::size_t me = counter++;
  if (me == target) {
    w.raw(replacement);
    return;
  }
  if (!v.is_array() && !v.is_object()) {
    w.value(v);
    return;
  }
  const bool object = v.is_object();
  if (object) {
    w.begin_object();
  } else {
    w.begin_array();
  }
  for (const json_value& child : v) {
    if (object && counter == target && replacement.empty()) {
      counter += count_nodes(child);  // dropped, numbering kept
      continue;
    }
    if (object) w.key(child.key());
    const bool duplicate = object && counter == target && replacement.starts_with('+');
    write_mutated(child, counter, duplicate ? SIZE_MAX : target, replacement, w);
    if (duplicate) w.key(child.key()).raw(replacement.substr(1));  // same key, another value
  }
  if (object) {
    w.end_object();
  } else {
    w.end_array();
  }
}

// Calls visit(const document_mutation&) for every node of `root` and every replacement (the
// root is never dropped), in that order, until visit returns false. A mutation is written
// whether or not it is still JSON (dropping an array element is not one: the caller decodes
// and skips what does not).
template <typename F>
void for_each_mutation(const json_value& root, F&& visit) {
  const std::size_t nodes = count_nodes(root);
  for (std::size_t target = 0; target < nodes; ++target) {
    for (const char* replacement : k_mutation_replacements) {
      if (target == 0 && !*replacement) continue;
      document_mutation m{target, replacement, {}};
      std::size_t counter = 0;
      json_writer w(m.text);
      write_mutated(root, counter, target, replacement, w);
      if (!visit(static_cast<const document_mutation&>(m))) return;
    }
  }
}

// Every mutation of every valid labelled corpus document that still decodes, checked with
// `disagreement(schema, root)`: a non-empty answer is a test failure naming the file, the
// mutation and the mutated text, and ends that file's mutations (and, with `stop_at_first`,
// the run). Returns how many mutations were checked.
template <typename F>
std::size_t check_corpus_mutations(F&& disagreement, bool stop_at_first) {
  std::size_t checked = 0;
  for (const corpus_file& f : corpus_files()) {
    if (!f.expect_valid) continue;
    const decode_result base = decode_json(read_file(f.path));
    if (!base.document) {
      ADD_FAILURE() << f.relative << ": labelled valid but does not decode";
      continue;
    }
    bool agreed = true;
    for_each_mutation(base.document->root(), [&](const document_mutation& m) {
      const decode_result r = decode_json(m.text);
      if (!r.document) return true;  // dropping an array element is not a mutation we make
      ++checked;
      const std::string d = disagreement(f.schema, r.document->root());
      if (d.empty()) return true;
      ADD_FAILURE() << f.relative << ", " << m.describe() << ", mutated to\n  " << m.text << "\n"
                    << d;
      return agreed = false;
    });
    if (!agreed && stop_at_first) break;
  }
  return checked;
}

}  // namespace certharness::test_support
