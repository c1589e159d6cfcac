// Internal: the compiled verdict program of a schema_registry. The registry's draft-07 schemas are
// compiled once into a small program of specialised instructions (a type set, a string enum, a
// const, a required set, known property names, items, anyOf, min/maxItems; "$ref" resolved to
// the schema it names, cycles allowed) that decides validity over our DOM exactly as valijson
// does (strong types, "integer" by json_value::is_integer) and reports the properties a schema
// does not declare on the same walk. A valid document without unknown properties costs no heap
// allocation: the path to the value being walked is a chain of walk_steps on the C++ stack.
//
// A schema using a keyword valijson applies and the program does not implement (minimum,
// maxLength, format, ...) is compiled for the notes only: compiled(root) is false and its
// verdict must come from valijson.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/findings/result.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {

// One step down from the document root, kept on the stack of the walk: a member of an object
// (its key) or an element of an array (its index). `parent` is null for a child of the root.
struct walk_step {
  const walk_step* parent;
  std::string_view key;
  std::size_t index;
  bool in_object;
};

// Receives each property a schema does not declare, in document order. Called during the walk;
// `at` (and its parents) live only for the call.
class unknown_property_sink {
 public:
  virtual void unknown_property(const walk_step& at) = 0;

 protected:
  ~unknown_property_sink() = default;
};

class verdict_program {
 public:
  verdict_program() = default;

  // `documents[i]` is the decoded schema `names[i]` (names sorted; "Foo.json" refers to "Foo").
  // The sources are those the registry compiled with valijson (node_builder has accepted
  // them). Fails only when an anyOf reaches itself through "$ref" without a step into the
  // document (valijson and the unknown-property walk would recurse without end).
  static result<verdict_program> compile(const std::vector<std::string>& names,
                                         const std::vector<json_document>& documents);

  // Whether the verdict of schema `root` is the program's (false: a keyword the program does
  // not implement is reachable from it; fallback_reason says which).
  bool compiled(std::size_t root) const noexcept { return roots_[root].compiled; }
  const std::string& fallback_reason(std::size_t root) const noexcept {
    return roots_[root].reason;
  }

  // Walks `value` under schema `root`: true when valid (meaningful when compiled(root)).
  // With `notes`, every property the schema does not declare is reported to it, along the
  // schema that applies to each value by type (the first anyOf branch admitting its type),
  // valid or not; the walk then covers the whole document. Without, it stops at the first
  // violation.
  bool run(std::size_t root, const json_value& value, unknown_property_sink* notes) const;

  enum class op : std::uint8_t {
    type,
    enum_strings,
    const_string,
    const_bool,
    const_null,
    required,
    min_items,
    max_items,
    properties,
    items,
    any_of,
  };

  // One check of one schema node; what `first`/`count`/`number` mean depends on `code`.
  struct instruction {
    op code;
    std::uint8_t types = 0;        // type: the allowed json_type bits
    bool flag = false;             // type: integers only; const_bool: the value
    std::uint32_t first = 0;       // into strings_, entries_, branches_, or a node (items)
    std::uint32_t count = 0;       // strings, entries or branches
    std::uint64_t number = 0;      // min/max items; properties: the hash table's offset
    std::uint32_t table_mask = 0;  // properties: hash table size - 1, 0 when scanned linearly
    std::uint32_t required = 0;    // properties: index of its required mask in masks_
  };

  // A schema object: its run of instructions, and the types it names (what the unknown-property
  // walk uses to choose among anyOf branches).
  struct node {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    std::uint8_t types = 0;  // 0: no "type"
    bool integers_only = false;
    bool has_any_of = false;
  };

  // A declared property: matched by length and first eight bytes, then the rest.
  struct entry {
    std::uint64_t prefix;
    std::uint32_t length;
    std::uint32_t name;  // into strings_
    std::uint32_t node;
  };

  struct root_info {
    bool compiled = true;
    std::string reason;  // e.g. "keyword \"minimum\" in Foo" when not compiled
  };

 private:
  friend class program_compiler;
  friend class program_runner;

  std::vector<node> nodes_;  // the first names.size() are the roots
  std::vector<instruction> code_;
  std::vector<std::string> strings_;
  std::vector<entry> entries_;
  std::vector<std::uint32_t> table_;     // entry index + 1 per slot, 0 empty
  std::vector<std::uint32_t> branches_;  // anyOf branch node ids
  std::vector<std::uint64_t> masks_;     // required bits over entries, 4 words per mask
  std::vector<root_info> roots_;
};

}  // namespace certharness
