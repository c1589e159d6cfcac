#include "certharness/spec/operation_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "certharness/http/url.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/json/text_escaping.hpp"
#include "certharness/spec/embedded_excerpt.hpp"

namespace certharness {
namespace {

// OpenAPI's "schema" member of parameters and media types (the check of the same name is another
// word).
constexpr std::string_view k_schema = "schema";  // vocabulary: not a check id

// A "$ref" chain longer than this is a cycle or an attack; the official document has chains of 1.
constexpr std::size_t k_max_ref_hops = 64;

spec_error error_at(std::string pointer, std::string message) {
  return spec_error{std::move(pointer), std::move(message), std::nullopt};
}

std::string quoted(std::string_view untrusted) {
  return "\"" + printable(excerpt(untrusted, 80)) + "\"";
}


// resolve_local_ref() with an index of "#/components/<section>/<name>": json_value::find is a
// linear scan, so a hostile document with n parameters each a "$ref" to one of n components cost
// n^2 (40,000 took minutes); through the index it is linear. Other references (deeper ones, or
// into paths) are resolved as resolve_local_ref() does.
class ref_resolver {
 public:
  explicit ref_resolver(const json_value& root) : root_(root) {
    std::optional<json_value> components = root.find("components");
    if (!components || !components->is_object()) return;
    for (const json_value& section : *components) {
      if (!section.is_object()) continue;
      for (const json_value& entry : section) {
        std::string pointer = "/components";
        append_pointer_token(pointer, section.key());
        append_pointer_token(pointer, entry.key());
        index_.emplace(std::move(pointer), entry);  // the first of duplicates, as find() does
      }
    }
  }

  std::optional<json_value> resolve(std::string_view ref) const {
    if (ref.starts_with('#')) {
      if (const std::optional<std::string> pointer = percent_decode(ref.substr(1))) {
        if (const auto hit = index_.find(*pointer); hit != index_.end()) return hit->second;
      }
    }
    return resolve_local_ref(root_, ref);
  }

 private:
  const json_value root_;  // a handle: the caller's may be a temporary
  std::unordered_map<std::string, json_value> index_;
};

// A node of the document and its JSON Pointer.
struct located {
  std::optional<json_value> value;
  std::string pointer;
};

// `node` and the nodes its "$ref"s lead to, in order (the last has no "$ref"). Schemas of 3.1
// may put keywords beside "$ref": a keyword is looked up along the whole chain.
using ref_chain = std::vector<located>;

result<ref_chain, spec_error> follow_refs(const ref_resolver& refs, const json_value& node,
                                          std::string pointer) {
  ref_chain chain{{node, std::move(pointer)}};
  for (;;) {
    const located& at = chain.back();
    std::optional<json_value> ref = at.value->is_object() ? at.value->find("$ref") : std::nullopt;
    if (!ref) return chain;
    const std::string ref_pointer = child_pointer(at.pointer, "$ref");
    if (!ref->is_string()) return failure(error_at(ref_pointer, "\"$ref\" is not a string"));
    if (chain.size() > k_max_ref_hops) {
      return failure(error_at(ref_pointer, "more than " + std::to_string(k_max_ref_hops) +
                                               " \"$ref\"s in a row: a cycle"));
    }
    std::optional<json_value> target = refs.resolve(ref->as_string());
    if (!target) {
      return failure(error_at(ref_pointer, "the $ref " + quoted(ref->as_string()) +
                                               " does not resolve (only local \"#/...\" "
                                               "references are read)"));
    }
    // It resolved, so its fragment decodes: that is where the target is.
    chain.push_back({target, percent_decode(ref->as_string().substr(1)).value_or("")});
  }
}

// The first node along the chain with `key`.
std::optional<json_value> keyword(const ref_chain& chain, std::string_view key) {
  for (const located& at : chain) {
    if (!at.value->is_object()) continue;
    if (const std::optional<json_value> v = at.value->find(key)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> scalar_text(const json_value& v) {
  switch (v.type()) {
    case json_type::string:
      return std::string(v.as_string());
    case json_type::number:
      return std::string(v.number_text());
    case json_type::boolean:
      return v.as_bool() ? "true" : "false";
    default:
      return std::nullopt;
  }
}

// The schema's "type", a "type" array read without "null": "" when none or several.
std::string_view type_of(const ref_chain& schema) {
  std::optional<json_value> type = keyword(schema, "type");
  if (!type) return {};
  if (type->is_string()) return type->as_string();
  std::string_view only;
  if (!type->is_array()) return {};
  for (const json_value& t : *type) {
    if (!t.is_string() || t.as_string() == "null") continue;
    if (!only.empty()) return {};
    only = t.as_string();
  }
  return only;
}

std::optional<std::int64_t> integral(const std::optional<json_value>& v) {
  if (!v || !v->is_number() || !v->is_integer() || !v->fits_int64()) return std::nullopt;
  return v->as_int64();
}

// ---- Bounds in prose

struct prose_token {
  std::string word;  // lower case; empty for a number
  std::optional<std::int64_t> number;
  bool overflow = false;  // a number that does not fit 64 bits
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

std::vector<prose_token> prose_tokens(std::string_view text) {
  std::vector<prose_token> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const bool sign = c == '-' && i + 1 < text.size() && is_digit(text[i + 1]) &&
                      (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])));
    if (is_letter(c)) {
      prose_token t;
      for (; i < text.size() && is_letter(text[i]); ++i) {
        t.word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
      }
      out.push_back(std::move(t));
    } else if (is_digit(c) || sign) {
      std::string digits = sign ? "-" : "";
      i += sign ? 1 : 0;
      for (;;) {
        for (; i < text.size() && is_digit(text[i]); ++i) digits += text[i];
        // "10,000": a comma followed by exactly three digits groups; "100, and" does not.
        const bool group = i + 3 < text.size() && text[i] == ',' && is_digit(text[i + 1]) &&
                           is_digit(text[i + 2]) && is_digit(text[i + 3]) &&
                           (i + 4 == text.size() || !is_digit(text[i + 4]));
        if (!group) break;
        ++i;
      }
      prose_token t;
      std::int64_t value = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec == std::errc{} && end == digits.data() + digits.size()) {
        t.number = value;
      } else {
        t.overflow = true;
      }
      out.push_back(std::move(t));
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace

prose_bounds bounds_from_prose(std::string_view description) {
  const std::vector<prose_token> tokens = prose_tokens(description);
  std::optional<std::int64_t> minimum, maximum;
  bool contradicted = false;
  const auto set = [&](std::optional<std::int64_t>& bound, const prose_token& t) {
    if (t.overflow || !t.number) {
      contradicted = true;
    } else if (bound && *bound != *t.number) {
      contradicted = true;
    } else {
      bound = t.number;
    }
  };
  const auto is_number = [](const prose_token& t) { return t.word.empty(); };
  const auto words = [&](std::size_t at, std::initializer_list<std::string_view> expected) {
    if (at + expected.size() > tokens.size()) return false;
    std::size_t k = at;
    for (std::string_view w : expected) {
      if (w == "#" ? !is_number(tokens[k]) : tokens[k].word != w) return false;
      ++k;
    }
    return true;
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (words(i, {"between", "#", "and", "#"}) || words(i, {"from", "#", "to", "#"})) {
      set(minimum, tokens[i + 1]);
      set(maximum, tokens[i + 3]);
    } else if (words(i, {"at", "least", "#"}) || words(i, {"no", "less", "than", "#"}) ||
               words(i, {"minimum", "of", "#"})) {
      set(minimum, tokens[i + (tokens[i].word == "no" ? 3 : 2)]);
    } else if (words(i, {"at", "most", "#"}) || words(i, {"no", "more", "than", "#"}) ||
               words(i, {"maximum", "of", "#"})) {
      set(maximum, tokens[i + (tokens[i].word == "no" ? 3 : 2)]);
    }
  }
  if (contradicted || (minimum && maximum && *minimum > *maximum)) return {};
  return {minimum, maximum};
}

namespace {

// ---- Parameters

struct read_parameter {
  operation_parameter parameter;
  std::string pointer;  // where it is declared (after "$ref"s)
};

result<read_parameter, spec_error> parameter_of(const ref_resolver& refs, const json_value& node,
                                                std::string pointer) {
  auto chain = follow_refs(refs, node, std::move(pointer));
  if (!chain) return failure(std::move(chain).error());
  const located& at = chain->back();
  if (!at.value->is_object()) return failure(error_at(at.pointer, "a parameter is not an object"));
  read_parameter out;
  out.pointer = at.pointer;
  operation_parameter& p = out.parameter;
  std::optional<json_value> name = at.value->find("name");
  if (!name || !name->is_string()) {
    return failure(error_at(at.pointer, "a parameter without a \"name\" string"));
  }
  p.name = std::string(name->as_string());
  std::optional<json_value> in = at.value->find("in");
  if (!in || !in->is_string()) {
    return failure(
        error_at(at.pointer, "the parameter " + quoted(p.name) + " has no \"in\" string"));
  }
  constexpr std::array<std::pair<std::string_view, parameter_location>, 4> locations = {{
      {"path", parameter_location::path},
      {"query", parameter_location::query},
      {"header", parameter_location::header},
      {"cookie", parameter_location::cookie},
  }};
  const auto location = std::find_if(locations.begin(), locations.end(),
                                     [&](const auto& l) { return l.first == in->as_string(); });
  if (location == locations.end()) {
    return failure(error_at(child_pointer(at.pointer, "in"), "\"in\": " + quoted(in->as_string()) +
                                                         " is not path, query, header or cookie"));
  }
  p.in = location->second;
  if (const std::optional<json_value> required = at.value->find("required"))
    p.required = required->as_bool();

  p.type = parameter_type::other;
  std::optional<json_value> schema_node = at.value->find(k_schema);
  if (!schema_node) return out;
  auto schema = follow_refs(refs, *schema_node, child_pointer(at.pointer, k_schema));
  if (!schema) return failure(std::move(schema).error());
  const std::string_view type = type_of(*schema);
  ref_chain enum_owner = *schema;
  if (type == "string") {
    p.type = parameter_type::string;
  } else if (type == "integer") {
    p.type = parameter_type::integer;
  } else if (type == "array") {
    p.brackets = p.in == parameter_location::query;
    if (const std::optional<json_value> items = keyword(*schema, "items")) {
      auto item_schema = follow_refs(refs, *items, schema->back().pointer + "/items");
      if (!item_schema) return failure(std::move(item_schema).error());
      if (type_of(*item_schema) == "string") p.type = parameter_type::string_array;
      enum_owner = std::move(*item_schema);
    }
  }
  if (const std::optional<json_value> values = keyword(enum_owner, "enum");
      values && values->is_array()) {
    for (const json_value& v : *values) {
      if (std::optional<std::string> text = scalar_text(v)) p.allowed.push_back(std::move(*text));
    }
  }
  if (const std::optional<json_value> fallback = keyword(*schema, "default"))
    p.default_value = scalar_text(*fallback);
  p.minimum = integral(keyword(*schema, "minimum"));
  p.maximum = integral(keyword(*schema, "maximum"));
  // 2020-12's exclusive bounds are numbers; 3.0's are booleans beside minimum/maximum.
  const auto exclusive = [&](std::string_view key, std::optional<std::int64_t>& bound, int step) {
    std::optional<json_value> v = keyword(*schema, key);
    if (!v) return;
    if (v->is_bool() && v->as_bool() && bound) {
      if (*bound != (step > 0 ? INT64_MAX : INT64_MIN)) *bound += step;
    } else if (const std::optional<std::int64_t> n = integral(v);
               n && *n != (step > 0 ? INT64_MAX : INT64_MIN)) {
      bound = *n + step;
    }
  };
  exclusive("exclusiveMinimum", p.minimum, 1);
  exclusive("exclusiveMaximum", p.maximum, -1);
  if (p.type == parameter_type::integer && !p.minimum && !p.maximum) {
    if (const std::optional<json_value> description = at.value->find("description");
        description && description->is_string()) {
      const prose_bounds prose = bounds_from_prose(description->as_string());
      p.minimum = prose.minimum;
      p.maximum = prose.maximum;
      p.bounds_in_prose_only = prose.minimum || prose.maximum;
    }
  }
  return out;
}

// The parameters of one level ("parameters" of a path item or an operation), checked for
// duplicates (name and in).
result<std::vector<read_parameter>, spec_error> parameters_of(const ref_resolver& refs,
                                                              const std::optional<json_value>& list,
                                                              const std::string& pointer) {
  std::vector<read_parameter> out;
  if (!list) return out;
  if (!list->is_array()) return failure(error_at(pointer, "\"parameters\" is not an array"));
  std::set<std::pair<std::string, parameter_location>> seen;  // a hostile list stays n log n
  for (auto it = list->begin(); it != list->end(); ++it) {
    const std::size_t i = it.index();
    auto p = parameter_of(refs, *it, child_pointer(pointer, i));
    if (!p) return failure(std::move(p).error());
    if (!seen.emplace(p->parameter.name, p->parameter.in).second) {
      return failure(error_at(child_pointer(pointer, i), "a second parameter " + quoted(p->parameter.name) +
                                                     " in the same place"));
    }
    out.push_back(std::move(*p));
  }
  return out;
}

// ---- Bodies

struct body_schema {
  std::string name;                    // "" for an inline schema
  std::optional<json_value> schema;    // the schema node (after "$ref"s): for is_list
  std::string pointer;
};

// The application/json schema of a request body or response object, if it has one.
result<std::optional<body_schema>, spec_error> json_schema_of(const ref_resolver& refs,
                                                              const located& owner) {
  std::optional<json_value> content = owner.value->find("content");
  if (!content || !content->is_object()) return std::optional<body_schema>{};
  std::optional<json_value> media = content->find("application/json");
  if (!media || !media->is_object()) return std::optional<body_schema>{};
  std::optional<json_value> schema = media->find(k_schema);
  body_schema out;
  if (!schema) return std::optional<body_schema>{out};
  auto chain = follow_refs(
      refs, *schema, child_pointer(child_pointer(child_pointer(owner.pointer, "content"), "application/json"), k_schema));
  if (!chain) return failure(std::move(chain).error());
  out.schema = chain->back().value;
  out.pointer = chain->back().pointer;
  // The registry's name: the component a "$ref" names directly.
  constexpr std::string_view components = "/components/schemas/";
  if (chain->size() > 1) {
    const std::string& target = (*chain)[1].pointer;
    if (target.starts_with(components) &&
        target.find('/', components.size()) == std::string::npos) {
      std::string name;
      for (std::size_t i = components.size(); i < target.size(); ++i) {
        if (target[i] == '~' && i + 1 < target.size()) {
          name += target[++i] == '1' ? '/' : '~';
        } else {
          name += target[i];
        }
      }
      out.name = std::move(name);
    }
  }
  return std::optional<body_schema>{std::move(out)};
}

std::optional<int> status_code(std::string_view key) {
  if (key.size() != 3 || !std::all_of(key.begin(), key.end(), is_digit)) return std::nullopt;
  const int status = (key[0] - '0') * 100 + (key[1] - '0') * 10 + (key[2] - '0');
  if (status < 100 || status > 599) return std::nullopt;
  return status;
}

bool is_status_range(std::string_view key) {
  return key.size() == 3 && key[0] >= '1' && key[0] <= '5' && key[1] == 'X' && key[2] == 'X';
}

// The cursor-paginated list shape (see the header): properties "data" and "has_more".
bool is_list_schema(const ref_resolver& refs, const body_schema& body) {
  if (!body.schema) return false;
  auto chain = follow_refs(refs, *body.schema, body.pointer);
  if (!chain) return false;
  std::optional<json_value> properties = keyword(*chain, "properties");
  return properties && properties->is_object() && properties->find("data") &&
         properties->find("has_more");
}

// ---- Operations

constexpr std::array<std::string_view, 8> k_methods = {"get",     "put",  "post",  "delete",
                                                       "options", "head", "patch", "trace"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

struct path_item {
  std::string path;                   // the template
  located item;                       // after "$ref"s
  std::vector<std::string> segments;  // of the template
};

result<operation, spec_error> operation_of(const ref_resolver& refs, const path_item& path,
                                           const std::vector<read_parameter>& shared,
                                           std::string_view method, const json_value& node) {
  operation op;
  op.pointer = child_pointer(path.item.pointer, method);
  if (!node.is_object()) return failure(error_at(op.pointer, "an operation is not an object"));
  op.method = upper(method);
  op.path = path.path;
  op.kind = certificate_operation_of(op.method, op.path);
  op.scope = scope_of(op.path);
  if (const std::optional<json_value> id = node.find("operationId")) {
    if (!id->is_string()) {
      return failure(error_at(child_pointer(op.pointer, "operationId"), "operationId is not a string"));
    }
    op.id = std::string(id->as_string());
  }

  // Parameters: the path item's, an operation's of the same name and in replacing it.
  auto own = parameters_of(refs, node.find("parameters"), child_pointer(op.pointer, "parameters"));
  if (!own) return failure(std::move(own).error());
  std::vector<operation_parameter> merged;
  std::map<std::pair<std::string, parameter_location>, std::size_t> index;  // into merged
  for (const read_parameter& p : shared) {
    index.emplace(std::pair(p.parameter.name, p.parameter.in), merged.size());
    merged.push_back(p.parameter);
  }
  for (read_parameter& p : *own) {
    const auto [at, added] =
        index.emplace(std::pair(p.parameter.name, p.parameter.in), merged.size());
    if (added) {
      merged.push_back(std::move(p.parameter));
    } else {
      merged[at->second] = std::move(p.parameter);
    }
  }
  // Path parameters in the template's order (implied when undeclared), then the others.
  for (const std::string& segment : path.segments) {
    if (segment.size() < 2 || segment.front() != '{') continue;
    std::string name = segment.substr(1, segment.size() - 2);
    if (const auto declared = index.find(std::pair(name, parameter_location::path));
        declared != index.end()) {
      op.parameters.push_back(merged[declared->second]);
      continue;
    }
    operation_parameter implied;
    implied.name = std::move(name);
    implied.in = parameter_location::path;
    implied.required = true;
    implied.implied_by_template = true;
    op.parameters.push_back(std::move(implied));
  }
  for (operation_parameter& p : merged) {
    if (p.in != parameter_location::path) op.parameters.push_back(std::move(p));
  }

  if (const std::optional<json_value> body = node.find("requestBody")) {
    auto chain = follow_refs(refs, *body, child_pointer(op.pointer, "requestBody"));
    if (!chain) return failure(std::move(chain).error());
    if (!chain->back().value->is_object()) {
      return failure(error_at(chain->back().pointer, "a requestBody is not an object"));
    }
    auto schema = json_schema_of(refs, chain->back());
    if (!schema) return failure(std::move(schema).error());
    if (*schema) op.request_schema = (*schema)->name;
  }

  const std::string responses_pointer = child_pointer(op.pointer, "responses");
  std::optional<json_value> responses = node.find("responses");
  if (!responses || !responses->is_object() || responses->size() == 0) {
    return failure(
        error_at(!responses ? op.pointer : responses_pointer, "the operation has no responses"));
  }
  std::optional<body_schema> success;  // of the first 2xx response
  bool success_seen = false;
  for (const json_value& r : *responses) {
    const std::string pointer = child_pointer(responses_pointer, r.key());
    const std::optional<int> status = status_code(r.key());
    if (!status && (r.key() == "default" || is_status_range(r.key()))) continue;
    if (!status) {
      return failure(error_at(pointer, quoted(r.key()) + " is not an HTTP status code"));
    }
    auto chain = follow_refs(refs, r, pointer);
    if (!chain) return failure(std::move(chain).error());
    const located& at = chain->back();
    if (!at.value->is_object()) return failure(error_at(at.pointer, "a response is not an object"));
    operation_response out;
    out.status = *status;
    auto schema = json_schema_of(refs, at);
    if (!schema) return failure(std::move(schema).error());
    if (*schema) out.schema = (*schema)->name;
    if (*status >= 200 && *status < 300 && !success_seen) {
      success_seen = true;
      success = *schema;
    }
    if (const std::optional<json_value> headers = at.value->find("headers");
        headers && headers->is_object()) {
      for (const json_value& h : *headers) {
        auto header = follow_refs(refs, h, child_pointer(child_pointer(at.pointer, "headers"), h.key()));
        if (!header) return failure(std::move(header).error());
        out.headers.emplace_back(h.key());
      }
    }
    op.responses.push_back(std::move(out));
  }

  const operation_parameter* limit = op.parameter("limit");
  const operation_parameter* after = op.parameter("after");
  op.is_list = op.method == "GET" && limit && limit->in == parameter_location::query && after &&
               after->in == parameter_location::query && success && is_list_schema(refs, *success);
  return op;
}

}  // namespace

result<std::vector<operation>, spec_error> read_operations(const json_value& root) {
  std::vector<operation> rows;
  std::optional<json_value> paths = root.find("paths");
  const ref_resolver refs(root);
  if (!paths) return rows;
  if (!paths->is_object()) return failure(error_at("/paths", "\"paths\" is not an object"));
  std::set<std::pair<std::string, std::string>> seen;  // method, template shape
  for (const json_value& entry : *paths) {
    if (!is_family_path(entry.key())) continue;
    path_item path;
    path.path = std::string(entry.key());
    const std::string pointer = child_pointer("/paths", entry.key());
    auto segments = template_segments(path.path);
    if (!segments) {
      return failure(error_at(
          pointer, "the path " + quoted(path.path) + " is not a template: " + segments.error()));
    }
    path.segments = std::move(*segments);
    auto chain = follow_refs(refs, entry, pointer);
    if (!chain) return failure(std::move(chain).error());
    path.item = chain->back();
    if (!path.item.value->is_object()) {
      return failure(error_at(path.item.pointer, "a path item is not an object"));
    }
    auto shared = parameters_of(refs, path.item.value->find("parameters"),
                                child_pointer(path.item.pointer, "parameters"));
    if (!shared) return failure(std::move(shared).error());
    for (const json_value& member : *path.item.value) {
      if (std::find(k_methods.begin(), k_methods.end(), member.key()) == k_methods.end()) continue;
      auto op = operation_of(refs, path, *shared, member.key(), member);
      if (!op) return failure(std::move(op).error());
      if (!seen.emplace(op->method, template_shape(path.segments)).second) {
        return failure(error_at(op->pointer, "a second " + op->method + " on " + quoted(path.path) +
                                                 ": templates equal but for their parameters' "
                                                 "names are one path"));
      }
      rows.push_back(std::move(*op));
    }
  }
  // Known operations in the order of certificate_operation, then the rest as the document has them.
  std::stable_sort(rows.begin(), rows.end(), [](const operation& a, const operation& b) {
    const auto rank = [](const operation& op) {
      return op.kind ? static_cast<int>(*op.kind) : INT_MAX;
    };
    return rank(a) < rank(b);
  });
  return rows;
}

result<operation_table, spec_error> read_operation_table(const json_value& root) {
  auto rows = read_operations(root);
  if (!rows) return failure(std::move(rows).error());
  // read_operations() checks what the constructor refuses; this keeps a throw from escaping
  // should the two ever disagree.
  try {
    return operation_table(std::move(*rows));
  } catch (const std::invalid_argument& e) {
    return failure(error_at("/paths", e.what()));
  }
}

// The built-in table (declared in schema/operation_table.hpp): read from the excerpt compiled in.
const operation_table& operation_table::builtin() {
  static const operation_table table = [] {
    auto document = parse_openapi(embedded_openapi_excerpt(), "built-in");
    if (!document) throw std::logic_error(document.error().describe("built-in excerpt"));
    auto read = read_operation_table(document->root());
    if (!read) throw std::logic_error(read.error().describe("built-in excerpt"));
    return std::move(*read);
  }();
  return table;
}

}  // namespace certharness
