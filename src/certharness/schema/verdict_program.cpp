#include "certharness/schema/verdict_program.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <string_view>
#include <utility>

namespace certharness {
namespace {

constexpr std::uint8_t type_bit(json_type t) { return std::uint8_t(1u << unsigned(t)); }

// Declared properties beyond this are not tracked for duplicates and "required" (the root falls
// back to valijson); 4 words of bits on the stack per object.
constexpr std::size_t k_max_tracked_properties = 256;
constexpr std::size_t k_mask_words = k_max_tracked_properties / 64;
// Up to this many properties a linear scan by length and prefix beats hashing the key.
constexpr std::size_t k_max_scanned_properties = 8;

// Keywords valijson 1.0's draft-07 parser applies that the program does not implement: a schema
// using one is compiled for the notes only and its verdict falls back to valijson. ("id"
// changes how valijson resolves "$ref"; "then"/"else"/"additionalItems" are listed though
// valijson applies them only beside "if"/an array "items": falling back is always safe.)
constexpr std::string_view k_unimplemented[] = {"allOf",
                                                "oneOf",
                                                "not",
                                                "if",
                                                "then",
                                                "else",
                                                "contains",
                                                "dependencies",
                                                "format",
                                                "maximum",
                                                "exclusiveMaximum",
                                                "minimum",
                                                "exclusiveMinimum",
                                                "maxLength",
                                                "minLength",
                                                "maxProperties",
                                                "minProperties",
                                                "multipleOf",
                                                "divisibleBy",
                                                "pattern",
                                                "patternProperties",
                                                "additionalProperties",
                                                "propertyNames",
                                                "uniqueItems",
                                                "additionalItems",
                                                "id",
                                                "$id",
                                                "$ref"};

std::uint64_t prefix_of(std::string_view s) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, s.data(), std::min<std::size_t>(s.size(), sizeof word));
  return word;
}

std::uint64_t hash_of(std::string_view s) noexcept {  // FNV-1a
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

}  // namespace

class program_compiler {
 public:
  program_compiler(verdict_program& p, const std::vector<std::string>& names)
      : p_(p), names_(names), refs_(names.size()) {}

  void compile_root(std::size_t root, const json_value& schema) {
    root_ = root;
    fill(std::uint32_t(root), schema);
  }

  // A root is compiled when no root it reaches (itself included) uses an unimplemented keyword.
  void settle_roots() {
    for (std::size_t r = 0; r < names_.size(); ++r) {
      std::vector<bool> seen(names_.size());
      std::vector<std::size_t> todo{r};
      seen[r] = true;
      while (!todo.empty() && p_.roots_[r].compiled) {
        const std::size_t at = todo.back();
        todo.pop_back();
        if (!own_reason_[at].empty()) {
          p_.roots_[r].compiled = false;
          p_.roots_[r].reason = own_reason_[at];
        }
        for (const std::size_t next : refs_[at]) {
          if (!seen[next]) {
            seen[next] = true;
            todo.push_back(next);
          }
        }
      }
    }
  }

  // An anyOf chain (node -> branch -> branch ...) that comes back to a node never steps into the
  // document: walking it would not end. Depth-first over the anyOf edges only.
  std::string any_of_cycle() const {
    enum : std::uint8_t { unvisited, on_path, done };
    std::vector<std::uint8_t> state(p_.nodes_.size(), unvisited);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // node, next branch
    for (std::uint32_t start = 0; start < p_.nodes_.size(); ++start) {
      if (state[start] != unvisited) continue;
      stack.push_back({start, 0});
      state[start] = on_path;
      while (!stack.empty()) {
        auto& [at, next] = stack.back();
        const verdict_program::instruction* any_of = any_of_of(at);
        if (!any_of || next == any_of->count) {
          state[at] = done;
          stack.pop_back();
          continue;
        }
        const std::uint32_t branch = p_.branches_[any_of->first + next++];
        if (state[branch] == on_path) return names_[owner_[branch]];
        if (state[branch] == unvisited) {
          state[branch] = on_path;
          stack.push_back({branch, 0});
        }
      }
    }
    return {};
  }

  std::vector<std::string> own_reason_;

 private:
  const verdict_program::instruction* any_of_of(std::uint32_t n) const {
    const verdict_program::node& node = p_.nodes_[n];
    for (std::uint32_t i = node.first; i < node.first + node.count; ++i) {
      if (p_.code_[i].code == verdict_program::op::any_of) return &p_.code_[i];
    }
    return nullptr;
  }

  void unimplemented(std::string_view what) {
    std::string& reason = own_reason_[root_];
    if (reason.empty()) reason = std::string(what) + " in " + names_[root_];
  }

  // A {"$ref": ...} stands for the root it names (draft-07 ignores its siblings); node_builder
  // has checked that it names one.
  std::uint32_t build(const json_value& schema) {
    if (schema.is_object()) {
      auto ref = schema.find("$ref");
      if (ref) {
        const std::string_view target = ref->is_string() ? ref->as_string() : std::string_view{};
        constexpr std::string_view suffix = ".json";
        const std::string_view name =
            target.ends_with(suffix) ? target.substr(0, target.size() - suffix.size()) : target;
        const auto it = std::lower_bound(names_.begin(), names_.end(), name);
        if (it != names_.end() && *it == name && target.ends_with(suffix)) {
          const std::size_t i = std::size_t(it - names_.begin());
          refs_[root_].push_back(i);
          return std::uint32_t(i);
        }
        unimplemented("an unresolved \"$ref\"");
        return empty_node();
      }
    }
    const std::uint32_t id = empty_node();
    fill(id, schema);
    return id;
  }

  std::uint32_t empty_node() {
    p_.nodes_.emplace_back();
    owner_.push_back(std::uint32_t(root_));
    return std::uint32_t(p_.nodes_.size() - 1);
  }

  std::uint32_t add_string(std::string_view s) {
    p_.strings_.emplace_back(s);
    return std::uint32_t(p_.strings_.size() - 1);
  }

  void fill(std::uint32_t id, const json_value& schema) {
    if (!schema.is_object()) {
      unimplemented("a schema that is not an object");
      return;
    }
    std::vector<verdict_program::instruction> code;
    std::vector<std::pair<std::string_view, std::uint32_t>> properties;
    bool has_properties = false;
    std::vector<std::string_view> required;
    std::uint8_t types = 0;
    bool integers_only = false, has_any_of = false;
    using op = verdict_program::op;

    for (const json_value& member : schema) {
      const std::string_view keyword = member.key();
      if (keyword == "type") {
        bool integer = false, number = false, known = true;
        auto add = [&](const json_value& t) {
          static constexpr std::pair<std::string_view, json_type> names[] = {
              {"null", json_type::null_value}, {"boolean", json_type::boolean},
              {"object", json_type::object},   {"array", json_type::array},
              {"number", json_type::number},   {"string", json_type::string},
              {"integer", json_type::number}};
          const std::string_view n = t.is_string() ? t.as_string() : std::string_view{};
          const auto it = std::find_if(std::begin(names), std::end(names),
                                       [&](const auto& k) { return k.first == n; });
          if (!t.is_string() || it == std::end(names)) {
            known = false;
            return;
          }
          types |= type_bit(it->second);
          integer |= n == "integer";
          number |= n == "number";
        };
        if (member.is_array()) {
          for (const json_value& t : member) add(t);
        } else {
          add(member);
        }
        if (!known) unimplemented("a \"type\" other than the seven names");
        integers_only = integer && !number;
        verdict_program::instruction i{op::type};
        i.types = types;
        i.flag = integers_only;
        code.push_back(i);
      } else if (keyword == "enum") {
        bool strings = member.is_array();
        for (const json_value& v : member) strings = strings && v.is_string();
        if (!strings) {
          unimplemented("an \"enum\" of values other than strings");
          continue;
        }
        verdict_program::instruction i{op::enum_strings};
        i.first = std::uint32_t(p_.strings_.size());
        for (const json_value& v : member) add_string(v.as_string());
        i.count = std::uint32_t(member.size());
        code.push_back(i);
      } else if (keyword == "const") {
        if (member.is_string()) {
          verdict_program::instruction i{op::const_string};
          i.first = add_string(member.as_string());
          code.push_back(i);
        } else if (member.is_bool()) {
          verdict_program::instruction i{op::const_bool};
          i.flag = member.as_bool();
          code.push_back(i);
        } else if (member.is_null()) {
          code.push_back({op::const_null});
        } else {
          unimplemented("a \"const\" that is a number, array or object");
        }
      } else if (keyword == "required") {
        // valijson looks names up as C strings: one with a NUL byte is left to it.
        bool plain = member.is_array();
        for (const json_value& v : member)
          plain = plain && v.is_string() && !has_nul(v.as_string());
        if (!plain) {
          unimplemented("a \"required\" that is not a list of plain names");
          continue;
        }
        for (const json_value& v : member) required.push_back(v.as_string());
      } else if (keyword == "properties") {
        if (!member.is_object()) {
          unimplemented("\"properties\" that is not an object");
          continue;
        }
        has_properties = true;
        for (const json_value& p : member) {
          if (has_nul(p.key())) unimplemented("a property name with a NUL byte");
          properties.emplace_back(p.key(), build(p));
        }
      } else if (keyword == "items") {
        if (!member.is_object()) {
          unimplemented("\"items\" that is not a single schema");
          continue;
        }
        verdict_program::instruction i{op::items};
        i.first = build(member);
        code.push_back(i);
      } else if (keyword == "anyOf") {
        if (!member.is_array() || member.size() == 0) {
          unimplemented("an \"anyOf\" that is not a list of schemas");
          continue;
        }
        std::vector<std::uint32_t> branches;
        for (const json_value& b : member) branches.push_back(build(b));
        verdict_program::instruction i{op::any_of};
        i.first = std::uint32_t(p_.branches_.size());
        i.count = std::uint32_t(branches.size());
        p_.branches_.insert(p_.branches_.end(), branches.begin(), branches.end());
        code.push_back(i);
        has_any_of = true;
      } else if (keyword == "minItems" || keyword == "maxItems") {
        if (!member.is_number() || !member.is_integer() || !member.fits_int64() ||
            member.as_int64() < 0) {
          unimplemented("a \"" + std::string(keyword) + "\" that is not a whole number");
          continue;
        }
        verdict_program::instruction i{keyword == "minItems" ? op::min_items : op::max_items};
        i.number = std::uint64_t(member.as_int64());
        code.push_back(i);
      } else if (std::find(std::begin(k_unimplemented), std::end(k_unimplemented), keyword) !=
                 std::end(k_unimplemented)) {
        unimplemented("keyword \"" + std::string(keyword) + "\"");
      }
      // Anything else is an annotation valijson ignores too.
    }

    // "required" names that are declared properties are checked from the bits the properties
    // walk sets; the others by looking them up.
    std::vector<std::string_view> looked_up;
    std::vector<std::uint64_t> mask(k_mask_words, 0);
    bool tracked = properties.size() <= k_max_tracked_properties;
    if (!tracked) unimplemented("more than 256 properties in one schema");
    for (const std::string_view name : required) {
      const auto it = std::find_if(properties.begin(), properties.end(),
                                   [&](const auto& p) { return p.first == name; });
      if (tracked && it != properties.end()) {
        const std::size_t bit = std::size_t(it - properties.begin());
        mask[bit / 64] |= std::uint64_t{1} << (bit % 64);
      } else {
        looked_up.push_back(name);
      }
    }
    if (!looked_up.empty()) {
      verdict_program::instruction i{op::required};
      i.first = std::uint32_t(p_.strings_.size());
      for (const std::string_view name : looked_up) add_string(name);
      i.count = std::uint32_t(looked_up.size());
      code.push_back(i);
    }
    if (has_properties && !properties.empty())
      code.push_back(properties_instruction(properties, mask));

    // Cheap checks first; the walks into children last, anyOf at the very end.
    std::stable_sort(code.begin(), code.end(), [](const auto& a, const auto& b) {
      auto rank = [](op o) { return o == op::any_of ? 2 : o == op::properties || o == op::items; };
      return rank(a.code) < rank(b.code);
    });
    verdict_program::node& n = p_.nodes_[id];
    n.first = std::uint32_t(p_.code_.size());
    n.count = std::uint32_t(code.size());
    n.types = types;
    n.integers_only = integers_only;
    n.has_any_of = has_any_of;
    p_.code_.insert(p_.code_.end(), code.begin(), code.end());
  }

  verdict_program::instruction properties_instruction(
      const std::vector<std::pair<std::string_view, std::uint32_t>>& properties,
      const std::vector<std::uint64_t>& mask) {
    verdict_program::instruction i{verdict_program::op::properties};
    i.first = std::uint32_t(p_.entries_.size());
    i.count = std::uint32_t(properties.size());
    for (const auto& [name, node] : properties) {
      p_.entries_.push_back({prefix_of(name), std::uint32_t(name.size()), add_string(name), node});
    }
    if (properties.size() > k_max_scanned_properties) {
      std::size_t size = 16;
      while (size < 2 * properties.size()) size *= 2;
      i.number = p_.table_.size();
      i.table_mask = std::uint32_t(size - 1);
      p_.table_.resize(p_.table_.size() + size, 0);
      for (std::uint32_t e = 0; e < properties.size(); ++e) {
        std::size_t slot = hash_of(properties[e].first) & (size - 1);
        while (p_.table_[i.number + slot] != 0) slot = (slot + 1) & (size - 1);
        p_.table_[i.number + slot] = e + 1;
      }
    }
    if (std::any_of(mask.begin(), mask.end(), [](std::uint64_t w) { return w != 0; })) {
      i.required = std::uint32_t(p_.masks_.size() / k_mask_words + 1);
      p_.masks_.insert(p_.masks_.end(), mask.begin(), mask.end());
    }
    return i;
  }

  verdict_program& p_;
  const std::vector<std::string>& names_;
  std::vector<std::vector<std::size_t>> refs_;  // roots each root's tree names by "$ref"
  std::size_t root_ = 0;
  std::vector<std::uint32_t> owner_;  // the root whose file each node comes from

 public:
  void prepare() {
    own_reason_.assign(names_.size(), {});
    for (std::uint32_t r = 0; r < names_.size(); ++r) owner_.push_back(r);
  }
};

result<verdict_program> verdict_program::compile(const std::vector<std::string>& names,
                                                 const std::vector<json_document>& documents) {
  verdict_program p;
  p.nodes_.resize(names.size());  // every root exists before any is filled: "$ref" cycles
  p.roots_.resize(names.size());
  program_compiler compiler(p, names);
  compiler.prepare();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const json_value& root = documents[i].root();
    compiler.compile_root(i, root);
  }
  const std::string cycle = compiler.any_of_cycle();
  if (!cycle.empty()) {
    return failure("schema " + cycle + ": an \"anyOf\" reaches itself through \"$ref\"");
  }
  compiler.settle_roots();
  return p;
}

// ---- the walk ----

class program_runner {
 public:
  program_runner(const verdict_program& p, unknown_property_sink* sink) : p_(p), sink_(sink) {}

  // `verdict`: the caller needs this value's validity; `notes`: unknown properties below it
  // are to be reported (the caller's schema applies to it). Returns the validity when
  // `verdict`; once a violation is found only notes are still looked for.
  bool exec(std::uint32_t id, const json_value& v, const walk_step* at, bool verdict,
            bool notes) const {
    const verdict_program::node& n = p_.nodes_[id];
    // The unknown-property walk uses a schema's own properties/items only when it has no
    // anyOf and admits the value's type (anyOf passes the walk on to a branch).
    const bool own_notes = notes && !n.has_any_of && admits(n, v);
    bool ok = true;
    for (std::uint32_t k = n.first; k < n.first + n.count; ++k) {
      if (!verdict && !notes) break;
      const verdict_program::instruction& i = p_.code_[k];
      if (!step(i, v, at, verdict, own_notes, notes)) {
        ok = false;
        verdict = false;
      }
    }
    return ok;
  }

 private:
  using op = verdict_program::op;

  static bool admits(const verdict_program::node& n, const json_value& v) {
    if (n.types == 0) return true;
    if (!(n.types & type_bit(v.type()))) return false;
    return !(n.integers_only && v.is_number() && !v.is_integer());
  }

  bool step(const verdict_program::instruction& i, const json_value& v, const walk_step* at,
            bool verdict, bool own_notes, bool notes) const {
    switch (i.code) {
      case op::type:
        if (!verdict) return true;
        if (!(i.types & type_bit(v.type()))) return false;
        // "integer" named and "number" not: a number must be an integer (by its text).
        return !(i.flag && v.is_number() && !v.is_integer());
      case op::enum_strings: {
        if (!verdict) return true;
        if (!v.is_string()) return false;
        const std::string_view s = v.as_string();
        for (std::uint32_t k = i.first; k < i.first + i.count; ++k) {
          if (p_.strings_[k] == s) return true;
        }
        return false;
      }
      case op::const_string:
        return !verdict || (v.is_string() && v.as_string() == p_.strings_[i.first]);
      case op::const_bool:
        return !verdict || (v.is_bool() && v.as_bool() == i.flag);
      case op::const_null:
        return !verdict || v.is_null();
      case op::required:
        if (!verdict || !v.is_object()) return true;
        for (std::uint32_t k = i.first; k < i.first + i.count; ++k) {
          if (!v.find(p_.strings_[k])) return false;
        }
        return true;
      case op::min_items:
        return !verdict || !v.is_array() || v.size() >= i.number;
      case op::max_items:
        return !verdict || !v.is_array() || v.size() <= i.number;
      case op::properties:
        return properties(i, v, at, verdict, own_notes);
      case op::items: {
        if (!v.is_array() || (!verdict && !own_notes)) return true;
        bool ok = true;
        std::size_t index = 0;
        for (const json_value& element : v) {
          const walk_step here{at, {}, index++, false};
          if (!exec(i.first, element, &here, verdict, own_notes)) {
            ok = false;
            verdict = false;
            if (!own_notes) return false;
          }
        }
        return ok;
      }
      case op::any_of:
        return any_of(i, v, at, verdict, notes);
    }
    return true;
  }

  // The declared entry named `key`, or -1.
  std::int64_t lookup(const verdict_program::instruction& i, std::string_view key) const {
    const std::uint64_t prefix = prefix_of(key);
    auto matches = [&](const verdict_program::entry& e) {
      return e.length == key.size() && e.prefix == prefix &&
             (key.size() <= 8 ||
              std::memcmp(p_.strings_[e.name].data() + 8, key.data() + 8, key.size() - 8) == 0);
    };
    if (i.table_mask == 0) {
      for (std::uint32_t e = 0; e < i.count; ++e) {
        if (matches(p_.entries_[i.first + e])) return e;
      }
      return -1;
    }
    for (std::size_t slot = hash_of(key) & i.table_mask;; slot = (slot + 1) & i.table_mask) {
      const std::uint32_t e = p_.table_[i.number + slot];
      if (e == 0) return -1;
      if (matches(p_.entries_[i.first + e - 1])) return e - 1;
    }
  }

  // valijson validates, for each declared property, the first member with its name: a later
  // duplicate is walked for notes only. Unknown members are noted when the schema applies.
  bool properties(const verdict_program::instruction& i, const json_value& v, const walk_step* at,
                  bool verdict, bool own_notes) const {
    if (!v.is_object() || (!verdict && !own_notes)) return true;
    const bool tracked = i.count <= k_max_tracked_properties;
    std::uint64_t seen[k_mask_words] = {};
    bool ok = true;
    for (const json_value& member : v) {
      const std::string_view key = member.key();
      const walk_step here{at, key, 0, true};
      const std::int64_t e = lookup(i, key);
      if (e < 0) {
        if (own_notes) sink_->unknown_property(here);
        continue;
      }
      bool first = true;
      if (tracked) {
        std::uint64_t& word = seen[std::size_t(e) / 64];
        const std::uint64_t bit = std::uint64_t{1} << (std::size_t(e) % 64);
        first = !(word & bit);
        word |= bit;
      }
      const bool child_verdict = verdict && first;
      if (!child_verdict && !own_notes) continue;
      if (!exec(p_.entries_[i.first + std::size_t(e)].node, member, &here, child_verdict,
                own_notes) &&
          child_verdict) {
        ok = false;
        verdict = false;
        if (!own_notes) return false;
      }
    }
    if (verdict && i.required != 0) {
      const std::uint64_t* mask = &p_.masks_[(i.required - 1) * k_mask_words];
      for (std::size_t w = 0; w < k_mask_words; ++w) {
        if ((seen[w] & mask[w]) != mask[w]) return false;
      }
    }
    return ok;
  }

  // Notes follow the first branch that admits the value's type (nowhere if none does); the
  // verdict is any branch's.
  bool any_of(const verdict_program::instruction& i, const json_value& v, const walk_step* at,
              bool verdict, bool notes) const {
    std::uint32_t chosen = i.count;
    if (notes) {
      for (std::uint32_t b = 0; b < i.count; ++b) {
        if (admits(p_.nodes_[p_.branches_[i.first + b]], v)) {
          chosen = b;
          break;
        }
      }
    }
    if (chosen < i.count && exec(p_.branches_[i.first + chosen], v, at, verdict, true)) {
      return true;
    }
    if (!verdict) return true;
    for (std::uint32_t b = 0; b < i.count; ++b) {
      if (b != chosen && exec(p_.branches_[i.first + b], v, at, true, false)) return true;
    }
    return false;
  }

  const verdict_program& p_;
  unknown_property_sink* sink_;
};

bool verdict_program::run(std::size_t root, const json_value& value,
                          unknown_property_sink* notes) const {
  return program_runner(*this, notes)
      .exec(std::uint32_t(root), value, nullptr, true, notes != nullptr);
}

}  // namespace certharness
