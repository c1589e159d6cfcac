#include "certharness/spec/schema_translation.hpp"

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/http/url.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/json/json_writer.hpp"
#include "certharness/spec/embedded_excerpt.hpp"
#include "certharness/spec/family_cut.hpp"

namespace certharness {
namespace {

constexpr std::string_view draft_07 = "http://json-schema.org/draft-07/schema#";
constexpr std::string_view dialect_2020_12 = "https://json-schema.org/draft/2020-12/schema";
constexpr std::string_view components_schemas = "/components/schemas/";
// Schemas nested deeper than this are refused: the translation recurses, and no real schema
// comes near it (the family's deepest is 4), and the files stay within the decoder's depth.
constexpr std::size_t max_nesting = 100;

enum class rule {
  schema,        // one schema: translated
  schema_map,    // an object of schemas ("properties")
  schema_array,  // a non-empty array of schemas ("anyOf")
  type,          // a type name or an array of them
  strings,       // an array of strings ("required")
  data,          // any JSON value, copied ("enum", "const", "default")
  count,         // a non-negative integer
  number,        // any number, copied by its text
  text,          // a string annotation, kept
  ref,           // "#/components/schemas/X" -> "X.json"
  annotation,    // dropped: no meaning for validation
  unmodelled,    // refused: the registry does not model it
  unsafe,        // refused: valijson's way of checking it is not safe on hostile input
};

struct keyword_rule {
  std::string_view keyword;
  rule what;
};

constexpr keyword_rule rules[] = {
    {"type", rule::type},
    {"enum", rule::data},
    {"const", rule::data},
    {"required", rule::strings},
    {"properties", rule::schema_map},
    {"items", rule::schema},
    {"anyOf", rule::schema_array},
    {"minItems", rule::count},
    {"maxItems", rule::count},
    {"minLength", rule::count},
    {"maxLength", rule::count},
    {"minProperties", rule::count},
    {"maxProperties", rule::count},
    {"minimum", rule::number},
    {"maximum", rule::number},
    {"exclusiveMinimum", rule::number},
    {"exclusiveMaximum", rule::number},
    {"multipleOf", rule::number},
    {"description", rule::text},
    {"title", rule::text},
    {"default", rule::data},
    {"$ref", rule::ref},
    {"format", rule::annotation},
    {"example", rule::annotation},
    {"examples", rule::annotation},
    {"deprecated", rule::annotation},
    {"readOnly", rule::annotation},
    {"writeOnly", rule::annotation},
    {"$comment", rule::annotation},
    {"contentMediaType", rule::annotation},
    {"contentEncoding", rule::annotation},
    {"externalDocs", rule::annotation},
    {"xml", rule::annotation},
    {"discriminator", rule::annotation},
    {"allOf", rule::unmodelled},
    {"oneOf", rule::unmodelled},
    {"not", rule::unmodelled},
    {"if", rule::unmodelled},
    {"then", rule::unmodelled},
    {"else", rule::unmodelled},
    {"additionalProperties", rule::unmodelled},
    {"patternProperties", rule::unmodelled},
    {"propertyNames", rule::unmodelled},
    {"unevaluatedProperties", rule::unmodelled},
    {"unevaluatedItems", rule::unmodelled},
    {"prefixItems", rule::unmodelled},
    {"contains", rule::unmodelled},
    {"minContains", rule::unmodelled},
    {"maxContains", rule::unmodelled},
    {"dependentRequired", rule::unmodelled},
    {"dependentSchemas", rule::unmodelled},
    {"$defs", rule::unmodelled},
    {"$id", rule::unmodelled},
    {"$anchor", rule::unmodelled},
    {"$dynamicRef", rule::unmodelled},
    {"$dynamicAnchor", rule::unmodelled},
    {"pattern", rule::unsafe},
    {"uniqueItems", rule::unsafe},
};

std::optional<rule> rule_for(std::string_view keyword) {
  if (keyword.starts_with("x-")) return rule::annotation;
  for (const keyword_rule& r : rules) {
    if (r.keyword == keyword) return r.what;
  }
  return std::nullopt;
}

bool is_type_name(std::string_view n) {
  return n == "null" || n == "boolean" || n == "object" || n == "array" || n == "number" ||
         n == "string" || n == "integer";
}

// OpenAPI 3.1: component keys match ^[a-zA-Z0-9.\-_]+$. The name becomes a file name (NAME.json)
// and a "$ref" target, so "." and ".." are refused too.
bool is_component_name(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// The component a "$ref" names: "#/components/schemas/X" (percent-encoding as in a URI
// fragment, RFC 6901 escapes), or nullopt for any other reference.
std::optional<std::string> component_of(std::string_view ref) {
  if (!ref.starts_with('#')) return std::nullopt;
  std::optional<std::string> pointer = percent_decode(ref.substr(1));
  if (!pointer || !pointer->starts_with(components_schemas)) return std::nullopt;
  std::string name = pointer->substr(components_schemas.size());
  // Only the token's own escapes may remain; a '/' means a place inside a component.
  if (name.find('/') != std::string::npos || name.find('~') != std::string::npos) {
    return std::nullopt;
  }
  return name;
}

class translator {
 public:
  explicit translator(const json_value& root) : root_(root) {}

  std::optional<spec_error> component(const json_value& schema, std::string_view name,
                                      std::string pointer, std::string& out) {
    pointer_ = std::move(pointer);
    json_writer w(out, 2);
    if (!schema.is_object()) return error("a component schema must be an object");
    w.begin_object().key("$schema").string(draft_07).key("title").string(name);
    if (auto problem = members(schema, w, 0, /*at_root=*/true)) return problem;
    w.end_object();
    out.push_back('\n');
    return std::nullopt;
  }

 private:
  spec_error error(std::string message) const {
    return spec_error{pointer_, std::move(message), std::nullopt};
  }

  // Appends `token` to the pointer for the duration of `f`.
  template <class F>
  std::optional<spec_error> below(std::string_view token, F&& f) {
    const std::size_t size = pointer_.size();
    append_pointer_token(pointer_, token);
    std::optional<spec_error> problem = f();
    if (!problem) pointer_.resize(size);
    return problem;
  }
  template <class F>
  std::optional<spec_error> below(std::size_t index, F&& f) {
    const std::size_t size = pointer_.size();
    append_pointer_index(pointer_, index);
    std::optional<spec_error> problem = f();
    if (!problem) pointer_.resize(size);
    return problem;
  }

  std::optional<spec_error> schema(const json_value& s, json_writer& w, std::size_t depth) {
    if (!s.is_object()) return error("a schema must be an object here");
    if (depth > max_nesting) {
      return error("schemas nest deeper than " + std::to_string(max_nesting) + " levels");
    }
    w.begin_object();
    if (auto problem = members(s, w, depth, false)) return problem;
    w.end_object();
    return std::nullopt;
  }

  std::optional<spec_error> members(const json_value& s, json_writer& w, std::size_t depth,
                                    bool at_root) {
    const bool has_ref = s.find("$ref").has_value();
    for (const json_value& member : s) {
      if (auto problem =
              below(member.key(), [&] { return keyword(member, w, depth, at_root, has_ref); })) {
        return problem;
      }
    }
    return std::nullopt;
  }

  std::optional<spec_error> keyword(const json_value& value, json_writer& w, std::size_t depth,
                                    bool at_root, bool beside_ref) {
    const std::string_view name = value.key();
    if (name == "$schema") {
      if (value.is_string() && value.as_string() == dialect_2020_12) return std::nullopt;
      return error("only the OpenAPI 3.1 dialect (JSON Schema 2020-12) is translated");
    }
    const std::optional<rule> what = rule_for(name);
    if (!what) return error("unknown keyword: the translation does not know what it means");
    const bool annotation = *what == rule::annotation || *what == rule::text || name == "default";
    if (beside_ref && !annotation && *what != rule::ref) {
      return error(
          "an assertion beside \"$ref\" (2020-12 applies both, draft-07 only the \"$ref\") is "
          "not translated");
    }
    switch (*what) {
      case rule::annotation:
        return std::nullopt;
      case rule::unmodelled:
        return error("not translated: the schema registry does not model it");
      case rule::unsafe:
        return error("not translated: valijson's check of it is not safe on hostile input");
      case rule::text:
        if (!value.is_string()) return error("must be a string");
        if (at_root && name == "title") return std::nullopt;  // the title is the name
        w.key(name).string(value.as_string());
        return std::nullopt;
      case rule::data:
        if (name == "enum" && !value.is_array()) return error("must be an array");
        w.key(name).value(value);
        return std::nullopt;
      case rule::number:
        if (!value.is_number()) return error("must be a number");
        w.key(name).value(value);
        return std::nullopt;
      case rule::count:
        if (!value.is_number() || !value.is_integer() || !value.fits_int64() ||
            value.as_int64() < 0) {
          return error("must be a non-negative integer");
        }
        w.key(name).value(value);
        return std::nullopt;
      case rule::strings:
        if (!value.is_array()) return error("must be an array of strings");
        for (const json_value& s : value) {
          if (!s.is_string()) return error("must be an array of strings");
        }
        w.key(name).value(value);
        return std::nullopt;
      case rule::type:
        return type(value, w);
      case rule::ref:
        return ref(value, w);
      case rule::schema:
        if (value.is_array()) {
          return error("an array of schemas is draft-07's tuple form (2020-12: prefixItems)");
        }
        w.key(name);
        return schema(value, w, depth + 1);
      case rule::schema_map:
        if (!value.is_object()) return error("must be an object of schemas");
        w.key(name).begin_object();
        for (const json_value& property : value) {
          w.key(property.key());
          if (auto problem =
                  below(property.key(), [&] { return schema(property, w, depth + 1); })) {
            return problem;
          }
        }
        w.end_object();
        return std::nullopt;
      case rule::schema_array: {
        if (!value.is_array() || value.size() == 0) {
          return error("must be a non-empty array of schemas");
        }
        w.key(name).begin_array();
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (auto problem = below(i, [&] { return schema(value[i], w, depth + 1); })) {
            return problem;
          }
        }
        w.end_array();
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  std::optional<spec_error> type(const json_value& value, json_writer& w) {
    if (value.is_string()) {
      if (!is_type_name(value.as_string())) return error("unknown type name");
    } else if (value.is_array() && value.size() > 0) {
      for (const json_value& t : value) {
        if (!t.is_string() || !is_type_name(t.as_string())) return error("unknown type name");
      }
    } else {
      return error("must be a type name or a non-empty array of them");
    }
    w.key("type").value(value);
    return std::nullopt;
  }

  std::optional<spec_error> ref(const json_value& value, json_writer& w) {
    if (!value.is_string()) return error("must be a string");
    const std::optional<std::string> target = component_of(value.as_string());
    std::string quoted;
    append_json_string(quoted, value.as_string());
    if (!target || !is_component_name(*target)) {
      return error(quoted +
                   " is not translated: only a whole component schema "
                   "(\"#/components/schemas/NAME\") can be referenced");
    }
    if (!resolve_local_ref(root_, value.as_string())) {
      return error(quoted + " resolves to nothing in this document");
    }
    w.key("$ref").string(*target + ".json");
    return std::nullopt;
  }

  const json_value root_;  // a handle: the caller's may be a temporary
  std::string pointer_;
};

}  // namespace

result<translated_schema, spec_error> translate_schema(const json_value& root, std::string name,
                                                       std::string pointer) {
  std::optional<json_value> schema = resolve_pointer(root, pointer);
  if (!schema) return failure(spec_error{pointer, "no schema here", std::nullopt});
  if (!is_component_name(name)) {
    return failure(spec_error{pointer,
                              "a component's name is letters, digits, '.', '-' and '_' "
                              "(OpenAPI 3.1), not starting with '.'",
                              std::nullopt});
  }
  std::string text;
  if (auto problem = translator(root).component(*schema, name, pointer, text)) {
    return failure(std::move(*problem));
  }
  return translated_schema{std::move(name), std::move(pointer), std::move(text)};
}

result<std::vector<translated_schema>, spec_error> translate_family_schemas(
    const json_value& root) {
  auto cut = cut_family(root);
  if (!cut) return failure(std::move(cut).error());
  std::vector<translated_schema> out;
  out.reserve(cut->schemas.size());
  for (reached_schema& reached : cut->schemas) {
    auto translated = translate_schema(root, std::move(reached.name), std::move(reached.pointer));
    if (!translated) return failure(std::move(translated).error());
    out.push_back(std::move(*translated));
  }
  return out;
}

result<schema_registry, spec_error> translate_registry(const json_value& root) {
  auto translated = translate_family_schemas(root);
  if (!translated) return failure(std::move(translated).error());
  std::vector<schema_source> sources;
  sources.reserve(translated->size());
  for (translated_schema& t : *translated) {
    sources.push_back(schema_source{std::move(t.name), std::move(t.text)});
  }
  auto registry = schema_registry::from_sources(std::move(sources));
  if (!registry) {
    return failure(spec_error{"/components/schemas",
                              "the translated schemas do not compile: " + registry.error(),
                              std::nullopt});
  }
  return std::move(*registry);
}

// The registry's built-in contract is defined here, above the schema concern: it is the
// translation of the official excerpt compiled in (embedded_excerpt.hpp), as --spec documents
// are translated.
const schema_registry& schema_registry::builtin() {
  static const schema_registry registry = [] {
    auto document = parse_openapi(embedded_openapi_excerpt(), "built-in");
    if (!document) throw std::logic_error(document.error().describe("built-in excerpt"));
    auto translated = translate_registry(document->root());
    if (!translated) throw std::logic_error(translated.error().describe("built-in excerpt"));
    return std::move(*translated);
  }();
  return registry;
}

}  // namespace certharness
