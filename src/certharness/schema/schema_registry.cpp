#include "certharness/schema/schema_registry.hpp"

// valijson's RapidJSON adapter has to come before any RapidJSON header.
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "certharness/json/json_pointer.hpp"
#include "certharness/json/rapidjson_guard.hpp"
#include "certharness/schema/valijson_adapter.hpp"

namespace certharness {
namespace {

// Schemas get a RapidJSON value type of their own, so that the two valijson workarounds below
// apply to this file only: a document type whose build stack is the UBSan-clean one from
// rapidjson_guard.hpp, and a find() without valijson's null-pointer arithmetic.
struct schema_allocator : rapidjson::CrtAllocator {};
using schema_value = rapidjson::GenericValue<rapidjson::UTF8<>, schema_allocator>;
using schema_document =
    rapidjson::GenericDocument<rapidjson::UTF8<>, schema_allocator, reader_stack_allocator>;
using schema_adapter = valijson::adapters::GenericRapidJsonAdapter<schema_value>;

}  // namespace
}  // namespace certharness

namespace valijson::adapters {

template <>
struct AdapterTraits<certharness::schema_adapter> {
  using DocumentType = certharness::schema_document;
  static std::string adapterName() { return "certharness::schema_adapter"; }
};

// valijson's generic version probes `MemberBegin() + 1` on an empty RapidJSON object, whose
// member pointer is null: UBSan reports that on every call.
template <>
GenericRapidJsonObject<certharness::schema_value>::iterator
GenericRapidJsonObject<certharness::schema_value>::find(const std::string& property) const {
  for (auto it = m_value.MemberBegin(); it != m_value.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == property) return it;
  }
  return m_value.MemberEnd();
}

}  // namespace valijson::adapters

namespace certharness {
namespace {

constexpr std::uint8_t type_bit(json_type t) { return std::uint8_t(1u << unsigned(t)); }

// What validate() needs of one schema object beyond valijson's compiled form: the declared
// properties for the unknown-property walk, and the facts its messages quote.
struct schema_node {
  std::uint8_t types = 0;      // type_bit() of each type named by "type"; 0 without "type"
  bool integers_only = false;  // "integer" named and "number" not
  std::string type_text;       // the named types, e.g. "string or null"
  std::string enum_text;       // e.g. "\"list\", \"page\""
  std::vector<std::pair<std::string, const schema_node*>> properties;
  const schema_node* items = nullptr;
  std::vector<const schema_node*> any_of;
  std::uint64_t min_items = 0;
  std::uint64_t max_items = std::numeric_limits<std::uint64_t>::max();

  bool admits_type(const json_value& v) const {
    if (types == 0) return true;
    if (!(types & type_bit(v.type()))) return false;
    return !(integers_only && v.is_number() && !v.is_integer());
  }

  const schema_node* property(std::string_view key) const {
    for (const auto& [name, schema] : properties) {
      if (name == key) return schema;
    }
    return nullptr;
  }
};

// Why a source does not compile; thrown while compiling, and returned by from_sources() as its
// error.
struct compile_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(std::string_view schema, const std::string& what) {
  throw compile_error("schema " + std::string(schema) + ": " + what);
}

std::size_t index_of(const std::vector<std::string>& sorted, std::string_view name) {
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), name);
  return it != sorted.end() && *it == name ? std::size_t(it - sorted.begin()) : sorted.size();
}

// Cross-file references name a sibling file: "Foo.json" is the schema "Foo".
std::size_t ref_target(const std::vector<std::string>& names, std::string_view ref) {
  constexpr std::string_view suffix = ".json";
  if (!ref.ends_with(suffix)) return names.size();
  return index_of(names, ref.substr(0, ref.size() - suffix.size()));
}

// Replays a decoded value as SAX events into a RapidJSON document.
bool replay(const json_value& v, schema_document& out) {
  switch (v.type()) {
    case json_type::null_value:
      return out.Null();
    case json_type::boolean:
      return out.Bool(v.as_bool());
    case json_type::number:
      return v.fits_int64() ? out.Int64(v.as_int64()) : out.Double(v.as_double());
    case json_type::string:
      return out.String(v.as_string().data(), rapidjson::SizeType(v.as_string().size()), true);
    case json_type::array:
      out.StartArray();
      for (const json_value& element : v) replay(element, out);
      return out.EndArray(rapidjson::SizeType(v.size()));
    case json_type::object:
      out.StartObject();
      for (const json_value& member : v) {
        out.Key(member.key().data(), rapidjson::SizeType(member.key().size()), true);
        replay(member, out);
      }
      return out.EndObject(rapidjson::SizeType(v.size()));
  }
  return false;
}

// The schema as the RapidJSON document valijson's adapter reads. It is decoded by our own
// strict decoder (a duplicate key in a schema is a build bug too) and replayed, which keeps
// RapidJSON's reader out of this file: with valijson's RAPIDJSON_ASSERT here and RapidJSON's
// in json_document.cpp, the reader's shared inline functions would differ (an ODR violation).
std::unique_ptr<schema_document> parse_schema(const schema_source& source) {
  const decode_result decoded = decode_json(source.text);
  if (!decoded.ok()) {
    const finding& f = *std::find_if(decoded.problems.begin(), decoded.problems.end(),
                                     [](const finding& p) { return p.level == severity::error; });
    fail(source.name, f.check + " at '" + f.pointer + "': " + f.message);
  }
  auto document = std::make_unique<schema_document>();
  auto generate = [&](schema_document& handler) {
    return replay(decoded.document->root(), handler);
  };
  document->Populate(generate);
  return document;
}

std::string_view as_view(const schema_value& v) { return {v.GetString(), v.GetStringLength()}; }

// Builds schema_nodes from parsed schemas. Keywords that change which schema applies to which
// value are refused rather than ignored, so the unknown-property walk can never silently
// disagree with valijson; annotations and value-only keywords are left to valijson.
class node_builder {
 public:
  node_builder(std::deque<schema_node>& nodes, const std::vector<std::string>& names,
               const std::vector<schema_node*>& roots)
      : nodes_(nodes), names_(names), roots_(roots) {}

  void fill_root(schema_node& root, const schema_value& schema, std::string_view file) {
    file_ = file;
    fill(root, schema);
  }

 private:
  static constexpr std::string_view unmodelled[] = {
      // applicators
      "$ref", "allOf", "oneOf", "not", "if", "then", "else",
      // rules for object members and array items
      "additionalProperties", "patternProperties", "dependencies", "propertyNames",
      "additionalItems", "contains"};

  void fill(schema_node& node, const schema_value& schema) {
    if (!schema.IsObject()) fail(file_, "a schema must be an object");
    for (auto m = schema.MemberBegin(); m != schema.MemberEnd(); ++m) {
      const std::string_view keyword = as_view(m->name);
      const schema_value& value = m->value;
      if (keyword == "type") {
        read_type(node, value);
      } else if (keyword == "enum") {
        read_enum(node, value);
      } else if (keyword == "properties") {
        if (!value.IsObject()) fail(file_, "\"properties\" must be an object");
        for (auto p = value.MemberBegin(); p != value.MemberEnd(); ++p) {
          node.properties.emplace_back(std::string(as_view(p->name)), build(p->value));
        }
      } else if (keyword == "items") {
        if (!value.IsObject()) fail(file_, "only a single schema is modelled for \"items\"");
        node.items = build(value);
      } else if (keyword == "anyOf") {
        if (!value.IsArray() || value.Empty()) fail(file_, "\"anyOf\" must be a non-empty array");
        for (auto b = value.Begin(); b != value.End(); ++b) node.any_of.push_back(build(*b));
      } else if (keyword == "minItems" || keyword == "maxItems") {
        if (!value.IsUint64()) fail(file_, std::string(keyword) + " must be a whole number");
        (keyword == "minItems" ? node.min_items : node.max_items) = value.GetUint64();
      } else if (std::find(std::begin(unmodelled), std::end(unmodelled), keyword) !=
                 std::end(unmodelled)) {
        fail(file_, "keyword \"" + std::string(keyword) + "\" is not modelled by the registry");
      }
    }
  }

  // A {"$ref": ...} stands for the root it names (draft-07 ignores its siblings).
  const schema_node* build(const schema_value& schema) {
    if (schema.IsObject()) {
      const auto ref = schema.FindMember("$ref");
      if (ref != schema.MemberEnd()) {
        const std::string_view target = ref->value.IsString() ? as_view(ref->value) : "";
        const std::size_t i = ref_target(names_, target);
        if (i == names_.size()) {
          fail(file_, "$ref \"" + std::string(target) + "\" names no schema of the registry");
        }
        return roots_[i];
      }
    }
    schema_node& node = nodes_.emplace_back();
    fill(node, schema);
    return &node;
  }

  void read_type(schema_node& node, const schema_value& type) {
    static constexpr std::pair<std::string_view, json_type> known[] = {
        {"null", json_type::null_value}, {"boolean", json_type::boolean},
        {"object", json_type::object},   {"array", json_type::array},
        {"number", json_type::number},   {"string", json_type::string},
        {"integer", json_type::number}};
    bool integer = false, number = false;
    auto add = [&](const schema_value& name) {
      const std::string_view n = name.IsString() ? as_view(name) : "";
      const auto it = std::find_if(std::begin(known), std::end(known),
                                   [&](const auto& k) { return k.first == n; });
      if (it == std::end(known)) fail(file_, "unknown type \"" + std::string(n) + "\"");
      node.types |= type_bit(it->second);
      integer |= n == "integer";
      number |= n == "number";
      if (!node.type_text.empty()) node.type_text += " or ";
      node.type_text += n;
    };
    if (type.IsArray()) {
      for (auto t = type.Begin(); t != type.End(); ++t) add(*t);
    } else {
      add(type);
    }
    node.integers_only = integer && !number;
  }

  void read_enum(schema_node& node, const schema_value& values) {
    if (!values.IsArray()) fail(file_, "\"enum\" must be an array");
    for (auto v = values.Begin(); v != values.End(); ++v) {
      if (!v->IsString()) fail(file_, "only string enums are modelled");
      if (!node.enum_text.empty()) node.enum_text += ", ";
      append_json_string(node.enum_text, as_view(*v));
    }
  }

  std::deque<schema_node>& nodes_;
  const std::vector<std::string>& names_;
  const std::vector<schema_node*>& roots_;
  std::string_view file_;
};

// ---- valijson errors to findings ----

enum class error_kind : std::uint8_t {
  wrapper,          // only says that something below failed, which is reported itself
  branches_failed,  // preceded by every branch's errors: noise once this is reported
  type,
  required,
  enum_value,
  min_items,
  max_items,
  other,  // worded by valijson
};

struct description_rule {
  std::string_view prefix;
  std::string_view keyword;
  error_kind kind;
};

// Every description valijson 1.0's ValidationVisitor emits, by prefix. Where one prefix starts
// another, the longer comes first.
constexpr description_rule description_rules[] = {
    {"Value type not permitted by 'type' constraint.", "type", error_kind::type},
    {"Missing required property '", "required", error_kind::required},
    {"Failed to match against any enum values.", "enum", error_kind::enum_value},
    {"Failed to validate against any schemas allowed by anyOf constraint.", "anyOf",
     error_kind::branches_failed},
    {"Failed to validate against any child schemas allowed by oneOf constraint.", "oneOf",
     error_kind::branches_failed},
    {"Failed to validate against exactly one child schema.", "oneOf", error_kind::other},
    {"Array should contain no fewer than ", "minItems", error_kind::min_items},
    {"Array should contain no more than ", "maxItems", error_kind::max_items},
    {"String should be no fewer than ", "minLength", error_kind::other},
    {"String should be no more than ", "maxLength", error_kind::other},
    {"Object should have no fewer than ", "minProperties", error_kind::other},
    {"Object should have no more than ", "maxProperties", error_kind::other},
    {"Expected number greater than or equal to ", "minimum", error_kind::other},
    {"Expected number greater than ", "exclusiveMinimum", error_kind::other},
    {"Expected number less than or equal to ", "maximum", error_kind::other},
    {"Expected number less than ", "exclusiveMaximum", error_kind::other},
    {"Value should be a multiple of ", "multipleOf", error_kind::other},
    {"Value could not be converted ", "multipleOf", error_kind::other},
    {"Failed to match regex specified by 'pattern' constraint.", "pattern", error_kind::other},
    {"String should be a valid ", "format", error_kind::other},
    {"Failed to match expected value set by 'const' constraint.", "const", error_kind::other},
    {"Failed to any values against subschema in 'contains' constraint.", "contains",
     error_kind::other},
    {"Target should not validate against schema specified in 'not' constraint.", "not",
     error_kind::other},
    {"Object contains a property that could not be validated using 'properties' or "
     "'additionalProperties' constraints: '",
     "additionalProperties", error_kind::other},
    {"Array contains more items than allowed by items constraint.", "additionalItems",
     error_kind::other},
    {"Cannot validate item #", "additionalItems", error_kind::other},
    {"Elements at indexes #", "uniqueItems", error_kind::other},
    {"Missing dependency '", "dependencies", error_kind::other},
    {"Failed to validate against child schema #", "", error_kind::wrapper},
    {"Failed to validate against schema associated with property name '", "", error_kind::wrapper},
    {"Failed to validate against schema associated with pattern '", "", error_kind::wrapper},
    {"Failed to validate against additional properties schema", "", error_kind::wrapper},
    {"Failed to validate item #", "", error_kind::wrapper},
    {"Failed to validate against a conditional schema set by if-then-else constraints.", "",
     error_kind::wrapper},
    {"Failed to validate against dependent schema.", "", error_kind::wrapper},
};

// Only a custom valijson constraint could emit anything else; it keeps valijson's wording and
// an empty keyword.
constexpr description_rule unmapped_rule{"", "", error_kind::other};

const description_rule& rule_for(std::string_view description) {
  for (const description_rule& r : description_rules) {
    if (description.starts_with(r.prefix)) return r;
  }
  return unmapped_rule;
}

using context_path = std::vector<std::string>;

// valijson contexts are paths of "[token]" steps: is `inner` at or below `outer`?
bool at_or_below(const context_path& inner, const context_path& outer) {
  return inner.size() >= outer.size() && std::equal(outer.begin(), outer.end(), inner.begin());
}

struct location {
  std::optional<json_value> value;
  const schema_node* schema;       // nullptr once the path leaves what schema_node models
  std::string pointer;             // RFC 6901
  std::vector<std::size_t> order;  // child indices from the root: sorts in document order
};

// Walks our DOM along a valijson context (["<root>", "[data]", "[0]", ...]). valijson writes a
// key and an index alike, so the node decides: at an object the token is a key, at an array an
// index.
location locate(const json_value& root, const schema_node* schema, const context_path& context) {
  location at{root, schema, {}, {}};
  at.order.reserve(context.size());
  for (std::size_t i = 1; i < context.size(); ++i) {  // [0] is "<root>"
    std::string_view token = context[i];
    // Keys may contain ']' themselves: strip the outer pair only.
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    const json_value node = *at.value;
    if (node.is_object()) {
      auto member = node.begin();  // the first with this key, as find() does
      while (member != node.end() && member->key() != token) ++member;
      if (member == node.end()) break;
      append_pointer_token(at.pointer, token);
      at.order.push_back(member.index());
      at.schema = at.schema ? at.schema->property(token) : nullptr;
      at.value = *member;
    } else if (node.is_array()) {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc{} || end != token.data() + token.size() || index >= node.size()) break;
      append_pointer_index(at.pointer, index);
      at.order.push_back(index);
      at.schema = at.schema ? at.schema->items : nullptr;
      at.value = node[index];  // O(index), once per step of a reported context
    } else {
      break;
    }
  }
  return at;
}

// A string as a JSON literal, cut (on a UTF-8 boundary) when long.
std::string quoted(std::string_view s) {
  constexpr std::size_t limit = 64;
  std::string out;
  if (s.size() <= limit) {
    append_json_string(out, s);
    return out;
  }
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  append_json_string(out, s.substr(0, cut));
  out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

std::string describe(const json_value& v) {
  switch (v.type()) {
    case json_type::null_value:
      return "null";
    case json_type::boolean:
      return v.as_bool() ? "boolean true" : "boolean false";
    case json_type::number: {
      constexpr std::size_t limit = 40;
      const std::string_view text = v.number_text();
      if (text.size() <= limit) return "number " + std::string(text);
      return "number " + std::string(text.substr(0, limit)) + "... (" +
             std::to_string(text.size()) + " characters)";
    }
    case json_type::string:
      return "string " + quoted(v.as_string());
    case json_type::array:
      return "array";
    case json_type::object:
      return "object";
  }
  return "value";
}

std::string count_of_items(std::uint64_t n) {
  return std::to_string(n) + (n == 1 ? " item" : " items");
}

// The types an anyOf allows, e.g. "string or null"; empty if a branch names no type.
std::string any_of_types(const schema_node& schema) {
  std::string text;
  for (const schema_node* branch : schema.any_of) {
    if (branch->type_text.empty()) return {};
    if (!text.empty()) text += " or ";
    text += branch->type_text;
  }
  return text;
}

std::string message_for(const description_rule& rule, const std::string& description,
                        const location& at) {
  const schema_node* s = at.schema;
  const json_value v = *at.value;
  switch (rule.kind) {
    case error_kind::type:
      if (s && !s->type_text.empty()) return "expected " + s->type_text + ", got " + describe(v);
      break;
    case error_kind::branches_failed:
      if (s) {
        const std::string allowed = any_of_types(*s);
        if (!allowed.empty()) return "expected " + allowed + ", got " + describe(v);
      }
      break;
    case error_kind::enum_value:
      if (s && !s->enum_text.empty()) {
        return "value " + (v.is_string() ? quoted(v.as_string()) : describe(v)) +
               " is not one of " + s->enum_text;
      }
      break;
    case error_kind::required: {
      // "Missing required property 'NAME'."
      const std::string_view name =
          std::string_view(description)
              .substr(rule.prefix.size(), description.size() - rule.prefix.size() - 2);
      return "missing required property " + quoted(name);
    }
    case error_kind::min_items:
      if (s && v.is_array()) {
        return "expected at least " + count_of_items(s->min_items) + ", got " +
               std::to_string(v.size());
      }
      break;
    case error_kind::max_items:
      if (s && v.is_array()) {
        return "expected at most " + count_of_items(s->max_items) + ", got " +
               std::to_string(v.size());
      }
      break;
    case error_kind::wrapper:
    case error_kind::other:
      break;
  }
  return description;
}

findings violations(const valijson::ValidationResults& results, const json_value& root,
                    const schema_node* schema) {
  struct reported {
    const valijson::ValidationResults::Error* error;
    const description_rule* rule;
    bool kept;
  };
  std::vector<reported> errors;
  errors.reserve(results.numErrors());
  for (const valijson::ValidationResults::Error& e : results) {
    const description_rule& rule = rule_for(e.description);
    errors.push_back({&e, &rule, rule.kind != error_kind::wrapper});
  }

  // A failed anyOf/oneOf comes right after its branches' errors, all at or below its own
  // context. Only a second schema for the same value (allOf, patternProperties) could put
  // other errors right there, and node_builder refuses those.
  for (std::size_t k = 0; k < errors.size(); ++k) {
    if (errors[k].rule->kind != error_kind::branches_failed) continue;
    for (std::size_t j = k;
         j-- > 0 && at_or_below(errors[j].error->context, errors[k].error->context);) {
      errors[j].kept = false;
    }
  }
  // A value of the wrong type misses a string enum too: the type finding says it all.
  for (reported& e : errors) {
    if (!e.kept || e.rule->kind != error_kind::enum_value) continue;
    e.kept = std::none_of(errors.begin(), errors.end(), [&](const reported& other) {
      return other.kept && other.rule->kind == error_kind::type &&
             other.error->context == e.error->context;
    });
  }

  std::vector<std::pair<std::vector<std::size_t>, finding>> located;
  located.reserve(errors.size());
  for (const reported& e : errors) {
    if (!e.kept) continue;
    location at = locate(root, schema, e.error->context);
    std::string message = message_for(*e.rule, e.error->description, at);
    located.emplace_back(std::move(at.order),
                         finding{checks::schema, std::move(at.pointer),
                                 std::string(e.rule->keyword), std::move(message), std::nullopt});
  }
  std::stable_sort(located.begin(), located.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  findings out;
  out.reserve(located.size());
  for (auto& [order, f] : located) out.push_back(std::move(f));
  return out;
}

// ---- unknown properties ----

// The schema that applies to `value`, through anyOf branches by type; nullptr if none does
// (a violation valijson reports).
const schema_node* applicable(const schema_node* schema, const json_value& value) {
  while (!schema->any_of.empty()) {
    const auto branch = std::find_if(schema->any_of.begin(), schema->any_of.end(),
                                     [&](const schema_node* b) { return b->admits_type(value); });
    if (branch == schema->any_of.end()) return nullptr;
    schema = *branch;
  }
  return schema->admits_type(value) ? schema : nullptr;
}

// One step down from the root: `child` inside `container`.
struct step {
  bool in_object;
  json_value child;
  std::size_t index;  // in the container
};

std::string pointer_of(const std::vector<step>& path) {
  std::string pointer;
  for (const step& s : path) {
    if (s.in_object) {
      append_pointer_token(pointer, s.child.key());
    } else {
      append_pointer_index(pointer, s.index);
    }
  }
  return pointer;
}

// The path down to `target`, a node inside `at`; false if it is not there.
bool path_to(const json_value& at, const json_value& target, std::vector<step>& path) {
  if (at == target) return true;
  if (!at.is_array() && !at.is_object()) return false;
  for (auto child = at.begin(); child != at.end(); ++child) {
    path.push_back({at.is_object(), *child, child.index()});
    if (path_to(*child, target, path)) return true;
    path.pop_back();
  }
  return false;
}

// The path is kept as nodes and spelled as a pointer only for a note that is listed: most walks
// emit none. `noted` counts them all, listed or not.
void note_unknown_properties(const json_value& value, const schema_node* schema,
                             std::vector<step>& path, std::size_t& noted, findings& out) {
  schema = applicable(schema, value);
  if (!schema) return;
  if (value.is_object() && !schema->properties.empty()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const json_value member = *it;
      path.push_back({true, member, it.index()});
      if (const schema_node* declared = schema->property(member.key())) {
        note_unknown_properties(member, declared, path, noted, out);
      } else if (++noted <= k_max_findings_per_check) {
        out.push_back(finding{checks::schema_unknown_property, pointer_of(path),
                              "additionalProperties",
                              "property " + quoted(member.key()) +
                                  " is not in the spec (allowed: additional properties are "
                                  "permitted)",
                              std::nullopt});
      }
      path.pop_back();
    }
  } else if (value.is_array() && schema->items) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const json_value element = *it;
      path.push_back({false, element, it.index()});
      note_unknown_properties(element, schema->items, path, noted, out);
      path.pop_back();
    }
  }
}

}  // namespace

struct schema_registry::impl {
  std::vector<std::string> names;                          // sorted
  std::vector<std::unique_ptr<valijson::Schema>> schemas;  // by index in names
  std::vector<const schema_node*> roots;                   // by index in names
  std::deque<schema_node> nodes;                           // owns every schema_node
};

namespace {

std::unique_ptr<schema_registry::impl> compile(std::vector<schema_source> sources) {
  auto registry = std::make_unique<schema_registry::impl>();
  std::sort(sources.begin(), sources.end(),
            [](const schema_source& a, const schema_source& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < sources.size(); ++i) {
    if (sources[i].name == sources[i - 1].name) fail(sources[i].name, "given twice");
  }

  std::vector<std::unique_ptr<schema_document>> documents;
  documents.reserve(sources.size());
  registry->names.reserve(sources.size());
  for (const schema_source& source : sources) {
    registry->names.emplace_back(source.name);
    documents.push_back(parse_schema(source));
  }

  // Every root exists before any is filled, so a $ref can point at any of them.
  std::vector<schema_node*> roots;
  roots.reserve(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) roots.push_back(&registry->nodes.emplace_back());
  node_builder builder(registry->nodes, registry->names, roots);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    builder.fill_root(*roots[i], *documents[i], registry->names[i]);
  }
  registry->roots.assign(roots.begin(), roots.end());

  // valijson resolves a cross-file $ref through the fetch callback, with the URI as written
  // (there is no base URI): "Foo.json". The documents outlive the parser, so nothing is freed.
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  const auto fetch = [&](const std::string& uri) -> const schema_document* {
    const std::size_t i = ref_target(registry->names, uri);
    return i < documents.size() ? documents[i].get() : nullptr;
  };
  const auto keep = [](const schema_document*) {};
  registry->schemas.reserve(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    auto schema = std::make_unique<valijson::Schema>();
    try {
      parser.populateSchema(schema_adapter(*documents[i]), *schema, fetch, keep);
    } catch (const std::exception& e) {
      fail(registry->names[i], std::string("valijson: ") + e.what());
    }
    registry->schemas.push_back(std::move(schema));
  }
  return registry;
}

// valijson explains a violation with one Error (a context path and a description) per failing
// value: for a page of half a million bad items, hundreds of megabytes. So an invalid document
// is explained over a window of each array's first items, which bounds that memory; the
// validity itself was decided by a full pass. Well above any minItems/maxItems in schemas/,
// and one more item is shown so that a maxItems up to this count still fails in the window.
constexpr std::size_t k_explained_items = 1000;

findings explain(const valijson::Schema& compiled, const json_value& root,
                 const schema_node* schema) {
  array_window window{k_explained_items + 1, std::nullopt, false};
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  findings out;
  if (!validator.validate(compiled, json_value_adapter(root, &window), &results)) {
    out = violations(results, root, schema);
  }
  if (out.empty()) {  // the violation lies only beyond the window (e.g. a late duplicate)
    std::vector<step> path;
    if (window.first_cut && !window.cut_several) path_to(root, *window.first_cut, path);
    out.push_back(finding{checks::schema, pointer_of(path), "",
                          "the document breaks its schema beyond the first " +
                              std::to_string(k_explained_items) + " items of " +
                              (path.empty() ? "an array" : "this array") +
                              " (only those are explained)",
                          std::nullopt});
  } else if (out.size() > k_max_findings_per_check) {
    // Beyond a cut array the count is of the window's violations only.
    const std::size_t more = out.size() - k_max_findings_per_check;
    out.resize(k_max_findings_per_check);
    out.push_back(left_out(checks::schema, more, window.first_cut.has_value()));
  }
  return out;
}

}  // namespace

result<schema_registry> schema_registry::from_sources(std::vector<schema_source> sources) {
  try {
    return schema_registry(compile(std::move(sources)));
  } catch (const compile_error& e) {
    return failure(std::string(e.what()));
  }
}

schema_registry::schema_registry(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
schema_registry::~schema_registry() = default;
schema_registry::schema_registry(schema_registry&&) noexcept = default;
schema_registry& schema_registry::operator=(schema_registry&&) noexcept = default;

const std::vector<std::string>& schema_registry::names() const noexcept { return impl_->names; }

bool schema_registry::contains(std::string_view name) const noexcept {
  return index_of(impl_->names, name) != impl_->names.size();
}

std::string_view to_string(validation_engine e) noexcept {
  return e == validation_engine::valijson ? "valijson" : "compiled";
}

findings schema_registry::validate(const json_value& root, std::string_view name,
                                   validation_engine engine) const {
  (void)engine;  // the verdict program is being added (issue 12); valijson decides meanwhile
  const std::size_t index = index_of(impl_->names, name);
  if (index == impl_->names.size()) {
    throw std::invalid_argument("no schema named \"" + std::string(name) + "\"");
  }
  const schema_node* schema = impl_->roots[index];

  // Safe from many threads at once: everything valijson mutates lives in this call. The
  // Validator owns the regex cache that 'pattern' fills in, the visitors and their context
  // vectors are locals, and ValidationResults collects the errors. What is shared is only
  // read: Subschema::apply() and every constraint's applyTo*() are const, enum values are
  // FrozenValues compared through freshly made const adapters, valijson's statics are const
  // tables and never-written singletons, and schema_nodes are immutable once built.
  findings out;
  {
    // Without a results object valijson stops at the first error and keeps nothing per value.
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    if (!validator.validate(*impl_->schemas[index], json_value_adapter(root), nullptr)) {
      out = explain(*impl_->schemas[index], root, schema);
    }
  }
  std::vector<step> path;
  std::size_t noted = 0;
  note_unknown_properties(root, schema, path, noted, out);
  if (noted > k_max_findings_per_check) {
    out.push_back(left_out(checks::schema_unknown_property, noted - k_max_findings_per_check));
  }
  return out;
}

bool schema_registry::is_valid(const json_value& root, std::string_view name,
                               validation_engine engine) const {
  const std::size_t index = index_of(impl_->names, name);
  if (index == impl_->names.size()) {
    throw std::invalid_argument("no schema named \"" + std::string(name) + "\"");
  }
  (void)engine;  // the verdict program is being added (issue 12); valijson decides meanwhile
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  return validator.validate(*impl_->schemas[index], json_value_adapter(root), nullptr);
}

// ---- declared property patterns (reads the node tree only) ----

namespace {

constexpr std::size_t k_max_declared_depth = 32;
constexpr std::size_t k_max_declared_patterns = 10'000;
// Nodes entered: anyOf branches that $ref the same roots at every level would otherwise be
// walked 2^depth times for the same patterns.
constexpr std::size_t k_max_declared_visits = 100'000;

// Depth-first over the node tree under `prefix`: a property's pattern before those below it.
// `on_way_` holds the nodes being walked (the cycle guard), `listed_` the patterns so far.
class declared_walk {
 public:
  std::vector<std::string> patterns;

  void walk(const schema_node* node, const std::string& prefix, std::size_t depth) {
    if (depth > k_max_declared_depth || patterns.size() >= k_max_declared_patterns ||
        ++visits_ > k_max_declared_visits) {
      return;
    }
    if (std::find(on_way_.begin(), on_way_.end(), node) != on_way_.end()) return;
    on_way_.push_back(node);
    for (const auto& [name, child] : node->properties) {
      if (patterns.size() >= k_max_declared_patterns) break;
      std::string pattern = prefix;
      append_pointer_token(pattern, name);
      if (listed_.insert(pattern).second) patterns.push_back(pattern);
      walk(child, pattern, depth + 1);
    }
    if (node->items) walk(node->items, prefix + "/*", depth + 1);
    for (const schema_node* branch : node->any_of) walk(branch, prefix, depth + 1);
    on_way_.pop_back();
  }

 private:
  std::vector<const schema_node*> on_way_;
  std::unordered_set<std::string> listed_;
  std::size_t visits_ = 0;
};

}  // namespace

std::vector<std::string> schema_registry::declared_patterns(std::string_view name) const {
  const std::size_t index = index_of(impl_->names, name);
  if (index == impl_->names.size()) {
    throw std::invalid_argument("no schema named \"" + std::string(name) + "\"");
  }
  declared_walk walk;
  walk.walk(impl_->roots[index], "", 0);
  return std::move(walk.patterns);
}

}  // namespace certharness
