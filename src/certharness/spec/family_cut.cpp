#include "certharness/spec/family_cut.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "certharness/http/url.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/json/json_writer.hpp"

namespace certharness {

std::string pointer_of_node(const json_value& root, const json_value& node) {
  // Depth-first with the open containers on the heap: the next child and the one last taken.
  struct open_container {
    bool object;
    json_value::iterator next, end, taken;
  };
  std::vector<open_container> open;
  if (root != node && (root.is_object() || root.is_array())) {
    open.push_back({root.is_object(), root.begin(), root.end(), {}});
  }
  while (!open.empty()) {
    open_container& top = open.back();
    if (top.next == top.end) {
      open.pop_back();
      continue;
    }
    top.taken = top.next++;
    const json_value child = *top.taken;
    if (child == node) {
      std::string pointer;
      for (const open_container& c : open) {
        if (c.object) {
          append_pointer_token(pointer, c.taken->key());
        } else {
          append_pointer_index(pointer, c.taken.index());
        }
      }
      return pointer;
    }
    if (child.is_object() || child.is_array()) {
      open.push_back({child.is_object(), child.begin(), child.end(), {}});
    }
  }
  return {};
}

namespace {

// What a node is, which decides where its "$ref"s and sub-objects are.
enum class node_kind {
  path_item,
  operation,
  parameter,
  request_body,
  response,
  header,
  media_type,
  example,
  link,
  schema,
};

constexpr std::string_view methods[] = {"get",     "put",  "post",  "delete",
                                        "options", "head", "patch", "trace"};
// Keywords whose value is a schema, a map of schemas, or an array of schemas (2020-12, and
// draft-07's spellings a document may still carry). Everything else in a schema is data.
constexpr std::string_view schema_valued[] = {"items",
                                              "additionalProperties",
                                              "not",
                                              "if",
                                              "then",
                                              "else",
                                              "contains",
                                              "propertyNames",
                                              "unevaluatedItems",
                                              "unevaluatedProperties",
                                              "additionalItems",
                                              "contentSchema"};
constexpr std::string_view schema_maps[] = {"properties", "patternProperties", "$defs",
                                            "definitions", "dependentSchemas"};
constexpr std::string_view schema_arrays[] = {"allOf", "anyOf", "oneOf", "prefixItems"};

template <std::size_t N>
bool one_of(std::string_view word, const std::string_view (&words)[N]) {
  for (std::string_view w : words) {
    if (w == word) return true;
  }
  return false;
}

// The tokens of an RFC 6901 pointer ("/a/b~1c" -> a, b/c); nullopt when malformed.
std::optional<std::vector<std::string>> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  while (!pointer.empty()) {
    if (pointer.front() != '/') return std::nullopt;
    pointer.remove_prefix(1);
    const std::size_t end = pointer.find('/');
    const std::string_view raw = pointer.substr(0, end);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        token.push_back(raw[i]);
      } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token.push_back(raw[++i] == '0' ? '~' : '/');
      } else {
        return std::nullopt;
      }
    }
    tokens.push_back(std::move(token));
    pointer.remove_prefix(end == std::string_view::npos ? pointer.size() : end);
  }
  return tokens;
}

class family_walk {
 public:
  explicit family_walk(const json_value& root) : root_(root) {}

  result<family_cut, spec_error> run() {
    family_cut cut;
    const std::optional<json_value> paths = root_.find("paths");
    if (paths && paths->is_object()) {
      for (const json_value& item : *paths) {
        if (!is_family_path(item.key())) continue;
        cut.paths.emplace_back(item.key());
        push(item, node_kind::path_item);
      }
    }
    while (!pending_.empty()) {
      const auto [node, kind] = pending_.back();
      pending_.pop_back();
      if (auto problem = visit(node, kind)) return failure(std::move(*problem));
    }
    for (auto& [name, pointer] : reached_) cut.schemas.push_back({name, std::move(pointer)});
    return cut;
  }

 private:
  void push(const json_value& node, node_kind kind) {
    if (seen_.insert(node.id()).second) pending_.emplace_back(node, kind);
  }

  // Every member of an object (a map such as "responses"), or every element of an array.
  void push_each(const std::optional<json_value>& container, node_kind kind) {
    if (!container || !(container->is_object() || container->is_array())) return;
    for (const json_value& child : *container) push(child, kind);
  }

  void push_member(const json_value& object, std::string_view key, node_kind kind) {
    if (const auto member = object.find(key)) push(*member, kind);
  }

  spec_error ref_error(const json_value& ref, std::string why) const {
    std::string message = "\"$ref\" ";
    append_json_string(message, ref.is_string() ? ref.as_string() : json_text(ref));
    return spec_error{pointer_of_node(root_, ref), message + " " + why, std::nullopt};
  }

  // Follows the object's "$ref", if it has one. A target inside a component schema brings the
  // whole component in, since the translation takes components whole.
  std::optional<spec_error> follow(const json_value& object, node_kind kind) {
    const std::optional<json_value> ref = object.find("$ref");
    if (!ref) return std::nullopt;
    if (!ref->is_string()) return ref_error(*ref, "is not a string");
    const std::string_view text = ref->as_string();
    if (!text.starts_with('#')) {
      return ref_error(*ref, "is not a local reference (\"#/...\"): other documents are not read");
    }
    const std::optional<json_value> target = resolve_local_ref(root_, text);
    if (!target) return ref_error(*ref, "resolves to nothing in this document");
    const std::optional<std::string> decoded = percent_decode(text.substr(1));
    const auto tokens = decoded ? pointer_tokens(*decoded) : std::nullopt;
    if (tokens && tokens->size() >= 3 && (*tokens)[0] == "components" &&
        (*tokens)[1] == "schemas") {
      const std::string& name = (*tokens)[2];
      if (!reached_.contains(name)) {
        std::string pointer = "/components/schemas";
        append_pointer_token(pointer, name);
        const std::optional<json_value> component = resolve_pointer(root_, pointer);
        reached_.emplace(name, std::move(pointer));
        if (component) push(*component, node_kind::schema);
      }
    }
    push(*target, kind);
    return std::nullopt;
  }

  std::optional<spec_error> visit(const json_value& node, node_kind kind) {
    if (!node.is_object()) return std::nullopt;  // the lint judges shapes; the cut only walks
    if (auto problem = follow(node, kind)) return problem;
    // A Reference Object stands for its target; in a schema (2020-12) "$ref" is one keyword
    // among others.
    if (kind != node_kind::schema && node.find("$ref")) return std::nullopt;
    switch (kind) {
      case node_kind::path_item:
        push_each(node.find("parameters"), node_kind::parameter);
        for (std::string_view method : methods) push_member(node, method, node_kind::operation);
        break;
      case node_kind::operation:
        push_each(node.find("parameters"), node_kind::parameter);
        push_member(node, "requestBody", node_kind::request_body);
        push_each(node.find("responses"), node_kind::response);
        if (const std::optional<json_value> callbacks = node.find("callbacks");
            callbacks && callbacks->is_object()) {
          for (const json_value& callback : *callbacks) {
            if (callback.is_object() && !callback.find("$ref")) {
              push_each(callback, node_kind::path_item);
            } else {
              push(callback, node_kind::path_item);  // its "$ref" is followed as one
            }
          }
        }
        break;
      case node_kind::parameter:
      case node_kind::header:
        push_member(node, "schema", node_kind::schema);  // vocabulary: not a check id
        push_each(node.find("content"), node_kind::media_type);
        push_each(node.find("examples"), node_kind::example);
        break;
      case node_kind::request_body:
        push_each(node.find("content"), node_kind::media_type);
        break;
      case node_kind::response:
        push_each(node.find("headers"), node_kind::header);
        push_each(node.find("content"), node_kind::media_type);
        push_each(node.find("links"), node_kind::link);
        break;
      case node_kind::media_type:
        push_member(node, "schema", node_kind::schema);  // vocabulary: not a check id
        push_each(node.find("examples"), node_kind::example);
        if (const std::optional<json_value> encoding = node.find("encoding");
            encoding && encoding->is_object()) {
          for (const json_value& e : *encoding) {
            if (e.is_object()) push_each(e.find("headers"), node_kind::header);
          }
        }
        break;
      case node_kind::example:
      case node_kind::link:
        break;  // only their "$ref" is followed: the rest is data
      case node_kind::schema:
        for (const json_value& member : node) {
          const std::string_view keyword = member.key();
          if (one_of(keyword, schema_valued)) {
            if (member.is_array()) {
              push_each(member, node_kind::schema);  // draft-07's array form of "items"
            } else {
              push(member, node_kind::schema);
            }
          } else if (one_of(keyword, schema_maps) || one_of(keyword, schema_arrays)) {
            push_each(member, node_kind::schema);
          }
        }
        break;
    }
    return std::nullopt;
  }

  const json_value root_;  // a handle: the caller's may be a temporary
  std::vector<std::pair<json_value, node_kind>> pending_;
  std::unordered_set<std::uint64_t> seen_;      // json_value::id()
  std::map<std::string, std::string> reached_;  // name -> pointer, sorted by name
};

}  // namespace

result<family_cut, spec_error> cut_family(const json_value& root) {
  return family_walk(root).run();
}

}  // namespace certharness
