#include "certharness/spec/spec_diff.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "certharness/findings/check_catalogue.hpp"
#include "certharness/findings/check_tally.hpp"
#include "certharness/http/url.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/json/json_writer.hpp"

namespace certharness {
namespace {

enum class direction { request, response };

// A schema as a document spells it: the node (nothing: none, anything goes) and where it is.
struct place {
  std::optional<json_value> node;
  std::string pointer;
};

struct property {
  std::string name;
  place where;
};

// What a schema means once $ref, allOf and a nullable anyOf are followed: the facts compared.
struct shape {
  std::string pointer;          // the outermost place: where the value's schema is spelled
  bool typed = false;           // types and nullable are known (type, enum or const)
  std::set<std::string> types;  // JSON Schema type names, "null" aside
  bool nullable = true;         // null allowed (anything is when !typed)
  std::optional<std::set<std::string>> enum_values;  // canonical JSON text, null aside
  std::map<std::string, std::string> bounds;         // keyword -> canonical value
  std::string format;
  std::optional<std::string> default_value;
  std::vector<property> properties;
  std::string object_pointer;  // the schema that lists properties/required: where a field goes
  std::set<std::string> required;
  std::optional<place> items;
  std::optional<place> additional;  // the schema of properties not listed
  bool additional_forbidden = false;
  std::vector<place> alternatives;  // anyOf/oneOf with two or more branches other than null
};

constexpr std::array<std::string_view, 8> k_methods = {"get",     "put",  "post",  "delete",
                                                       "options", "head", "patch", "trace"};
constexpr std::array<std::string_view, 6> k_lower_bounds = {
    "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "uniqueItems"};
constexpr std::array<std::string_view, 5> k_upper_bounds = {
    "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"};
constexpr std::array<std::string_view, 2> k_other_bounds = {"multipleOf", "pattern"};
constexpr std::size_t k_max_ref_hops = 32;      // a $ref to a $ref to ...
constexpr std::size_t k_max_nesting = 64;       // $ref/allOf/anyOf inside one schema
constexpr std::size_t k_max_field_depth = 100;  // fields inside fields

// Numbers by value (1 and 1.0 are one value in 2020-12), everything else by its JSON text.
std::string canonical(const json_value& v) {
  if (!v.is_number()) return json_text(v);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v.as_double());
  return buf;
}


// Where a local "$ref" points, as a JSON Pointer ("" when it is not a local one).
std::string ref_pointer(std::string_view ref) {
  if (!ref.starts_with('#')) return {};
  return percent_decode(ref.substr(1)).value_or("");
}

// An object with "$ref" followed (at most k_max_ref_hops), with the pointer of where it ends.
place dereferenced(const json_value& root, place p) {
  for (std::size_t hop = 0; hop < k_max_ref_hops && p.node && p.node->is_object(); ++hop) {
    std::optional<json_value> ref = p.node->find("$ref");
    if (!ref || !ref->is_string()) return p;
    std::optional<json_value> target = resolve_local_ref(root, ref->as_string());
    if (!target) return p;
    p = place{target, ref_pointer(ref->as_string())};
  }
  return p;
}

bool covered(const std::set<std::string>& types, const std::string& t) {
  return types.contains(t) || (t == "integer" && types.contains("number"));
}

std::string joined(const std::set<std::string>& values, std::string_view separator) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : std::string(separator)) + v;
  return out;
}

std::string values_text(const std::set<std::string>& values) {
  return (values.size() == 1 ? "value " : "values ") + joined(values, ", ");
}

std::string type_text(const shape& s) {
  if (!s.typed) return "any type";
  std::string out = joined(s.types, " or ");
  if (s.nullable) out += out.empty() ? "null" : " or null";
  return out.empty() ? "no value" : out;
}

std::string types_only(const shape& s) {
  if (!s.typed) return "any type";
  return s.types.empty() ? "null only" : joined(s.types, " or ");
}

void merge(shape& a, const shape& b) {
  if (b.typed) {
    if (!a.typed) {
      a.typed = true;
      a.types = b.types;
      a.nullable = b.nullable;
    } else {
      std::set<std::string> both;
      for (const std::string& t : a.types)
        if (covered(b.types, t)) both.insert(t);
      for (const std::string& t : b.types)
        if (covered(a.types, t)) both.insert(t);
      a.types = std::move(both);
      a.nullable = a.nullable && b.nullable;
    }
  }
  if (b.enum_values) {
    if (!a.enum_values) {
      a.enum_values = b.enum_values;
    } else {
      std::set<std::string> both;
      for (const std::string& v : *a.enum_values)
        if (b.enum_values->contains(v)) both.insert(v);
      a.enum_values = std::move(both);
    }
  }
  for (const auto& [keyword, value] : b.bounds) a.bounds.emplace(keyword, value);
  if (a.format.empty()) a.format = b.format;
  if (!a.default_value) a.default_value = b.default_value;
  if (a.object_pointer.empty()) a.object_pointer = b.object_pointer;
  for (const property& p : b.properties) {
    const bool known = std::any_of(a.properties.begin(), a.properties.end(),
                                   [&](const property& q) { return q.name == p.name; });
    if (!known) a.properties.push_back(p);
  }
  a.required.insert(b.required.begin(), b.required.end());
  if (!a.items) a.items = b.items;
  if (!a.additional) a.additional = b.additional;
  a.additional_forbidden = a.additional_forbidden || b.additional_forbidden;
  if (a.alternatives.empty()) a.alternatives = b.alternatives;
}

// The keywords of one schema object itself ($ref, allOf, anyOf, oneOf aside).
shape own_keywords(const json_value& n, const std::string& pointer) {
  shape s;
  s.pointer = pointer;
  if (const std::optional<json_value> type = n.find("type")) {
    s.typed = true;
    s.nullable = false;
    const auto add = [&](const json_value& t) {
      if (!t.is_string()) return;
      if (t.as_string() == "null") {
        s.nullable = true;
      } else {
        s.types.emplace(t.as_string());
      }
    };
    if (type->is_array()) {
      for (const json_value& t : *type) add(t);
    } else {
      add(*type);
    }
  }
  std::optional<json_value> values = n.find("enum");
  std::optional<json_value> constant = n.find("const");
  if ((values && values->is_array()) || constant) {
    std::set<std::string> set, derived;
    bool has_null = false;
    const auto add = [&](const json_value& v) {
      if (v.is_null()) {
        has_null = true;
        return;
      }
      set.insert(canonical(v));
      derived.emplace(v.is_number() ? (v.is_integer() ? "integer" : "number")
                                    : std::string(to_string(v.type())));
    };
    if (values && values->is_array()) {
      for (const json_value& v : *values) add(v);
    } else {
      add(*constant);
    }
    s.enum_values = std::move(set);
    if (s.typed) {
      s.nullable = s.nullable && has_null;
    } else {
      s.typed = true;
      s.types = std::move(derived);
      s.nullable = has_null;
    }
  }
  for (std::string_view k : k_lower_bounds)
    if (const std::optional<json_value> v = n.find(k)) s.bounds.emplace(k, canonical(*v));
  for (std::string_view k : k_upper_bounds)
    if (const std::optional<json_value> v = n.find(k)) s.bounds.emplace(k, canonical(*v));
  for (std::string_view k : k_other_bounds)
    if (const std::optional<json_value> v = n.find(k)) s.bounds.emplace(k, canonical(*v));
  if (const std::optional<json_value> f = n.find("format"); f && f->is_string())
    s.format = f->as_string();
  if (const std::optional<json_value> d = n.find("default")) s.default_value = canonical(*d);
  if (const std::optional<json_value> props = n.find("properties"); props && props->is_object()) {
    const std::string base = child_pointer(pointer, "properties");
    for (const json_value& p : *props) {
      const std::string name(p.key());
      const bool known = std::any_of(s.properties.begin(), s.properties.end(),
                                     [&](const property& q) { return q.name == name; });
      if (!known) s.properties.push_back({name, place{p, child_pointer(base, name)}});
    }
  }
  if (!s.properties.empty() || n.find("required")) s.object_pointer = pointer;
  if (const std::optional<json_value> req = n.find("required"); req && req->is_array()) {
    for (const json_value& r : *req)
      if (r.is_string()) s.required.emplace(r.as_string());
  }
  if (const std::optional<json_value> items = n.find("items");
      items && (items->is_object() || items->is_bool()))
    s.items = place{items, child_pointer(pointer, "items")};
  if (const std::optional<json_value> extra = n.find("additionalProperties")) {
    if (extra->is_bool() && !extra->as_bool()) s.additional_forbidden = true;
    if (extra->is_object())
      s.additional = place{extra, child_pointer(pointer, "additionalProperties")};
  }
  return s;
}

bool null_only(const shape& s) { return s.typed && s.types.empty() && s.nullable; }
bool may_be(const shape& s, std::string_view type) {
  return !s.typed || s.types.contains(std::string(type));
}
bool has_object_keywords(const shape& s) {
  return !s.properties.empty() || !s.required.empty() || s.additional || s.additional_forbidden;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "/a/{x}/b" -> "/a/{}/b", and the names in order.
std::pair<std::string, std::vector<std::string>> template_shape(std::string_view path) {
  std::string key;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::size_t close = path[i] == '{' ? path.find('}', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      key.push_back(path[i]);
      continue;
    }
    names.emplace_back(path.substr(i + 1, close - i - 1));
    key += "{}";
    i = close;
  }
  return {key, names};
}

// A path parameter the template names but the operation does not declare: a required string.
json_value implicit_string_schema() {
  static const json_document schema = std::move(*decode_json(R"({"type":"string"})").document);
  return schema.root();
}

struct operation {
  std::string label;     // "GET /organization/certificates"
  std::string key;       // "get /organization/certificates/{}"
  std::string path;      // the template
  std::string path_key;  // the template with names dropped
  std::string pointer;   // of the operation object
  std::string item_pointer;
  std::optional<json_value> item;
  std::optional<json_value> op;
};

std::vector<operation> family_operations(const json_value& root) {
  std::vector<operation> out;
  std::optional<json_value> paths = root.find("paths");
  if (!paths || !paths->is_object()) return out;
  for (const json_value& entry : *paths) {
    if (!is_family_path(entry.key())) continue;
    const place item = dereferenced(root, {entry, child_pointer("/paths", entry.key())});
    if (!item.node->is_object()) continue;
    const std::string path_key = template_shape(entry.key()).first;
    for (std::string_view method : k_methods) {
      std::optional<json_value> op = item.node->find(method);
      if (!op || !op->is_object()) continue;
      out.push_back({upper(method) + " " + std::string(entry.key()),
                     std::string(method) + " " + path_key, std::string(entry.key()), path_key,
                     child_pointer(item.pointer, method), item.pointer, item.node, op});
    }
  }
  return out;
}

struct parameter {
  std::string name, in;
  bool required = false;
  place schema;
  std::string pointer;
};

// The member "schema" of a parameter, header or media type object. Reached by the JSON Pointer
// "/schema": its bare name is also a check id, which only the catalogue spells (vocabulary_test).
std::optional<place> schema_member(const json_value& owner, const std::string& pointer) {
  std::optional<json_value> schema =
      owner.is_object() ? resolve_pointer(owner, "/schema") : std::nullopt;
  if (!schema) return std::nullopt;
  return place{schema, pointer + "/schema"};
}

// The JSON media type of a "content" object: application/json, else the first "...json", else
// the first; its schema (no node when it has none) or nullopt when there is no content.
std::optional<place> media_schema(const std::optional<json_value>& content,
                                  const std::string& pointer) {
  if (!content || !content->is_object() || content->size() == 0) return std::nullopt;
  std::optional<json_value> chosen = content->find("application/json");
  for (const json_value& m : *content)
    if (!chosen && m.key().find("json") != std::string_view::npos) chosen = m;
  if (!chosen) chosen = *content->begin();
  const std::string media = child_pointer(child_pointer(pointer, "content"), chosen->key());
  return schema_member(*chosen, media).value_or(place{std::nullopt, media});
}

request_record operation_subject(const operation& op) {
  request_record r;
  r.request = op.label;
  return r;
}

class differ {
 public:
  differ(const json_value& old_root, const json_value& new_root, std::size_t max_steps)
      : old_root_(old_root), new_root_(new_root), max_steps_(max_steps) {}

  bool exhausted() const { return exhausted_; }

  run_report run() {
    report_.command = "spec-diff";
    report_.subjects_are_operations = true;
    const std::vector<operation> olds = family_operations(old_root_);
    const std::vector<operation> news = family_operations(new_root_);
    std::vector<bool> matched(olds.size(), false);
    for (const operation& n : news) {
      report_.requests.push_back(operation_subject(n));
      op_ = n.label;
      seen_.clear();
      std::size_t i = 0;
      while (i < olds.size() && (matched[i] || olds[i].key != n.key)) ++i;
      if (i == olds.size()) {
        group_ = "operation";
        add(checks::diff_operation_added, n.pointer, enclosing(old_root_, olds, n),
            "a new operation");
        continue;
      }
      matched[i] = true;
      compare_operation(olds[i], n);
    }
    for (std::size_t i = 0; i < olds.size(); ++i) {
      if (matched[i]) continue;
      report_.requests.push_back(operation_subject(olds[i]));
      op_ = olds[i].label;
      group_ = "operation";
      add(checks::diff_operation_removed, enclosing(new_root_, news, olds[i]), olds[i].pointer,
          "the operation is gone");
    }
    for (const auto& [id, count] : over_cap_) {
      report_.findings.push_back({"spec-diff", "", left_out(count.first, count.second)});
    }
    return std::move(report_);
  }

 private:
  // The other document's path item with the same template (names aside), else its "/paths",
  // else its root.
  static std::string enclosing(const json_value& other_root, const std::vector<operation>& others,
                               const operation& o) {
    for (const operation& x : others)
      if (x.path_key == o.path_key) return x.item_pointer;
    return other_root.find("paths") ? "/paths" : "";
  }

  bool step() {
    if (steps_ >= max_steps_) {
      exhausted_ = true;
      return false;
    }
    ++steps_;
    return true;
  }

  void add(check_id check, std::string pointer, std::string other, std::string message) {
    const std::string id(check.id());
    if (per_check_[id]++ >= k_max_findings_per_check) {
      ++over_cap_.try_emplace(id, check, 0).first->second.second;
      return;
    }
    finding f{check, std::move(pointer), "", std::move(message)};
    f.other_pointer = std::move(other);
    report_.findings.push_back(run_finding{group_, op_, std::move(f)});
    record(report_.groups[group_], check, false);
  }

  static check_id pick(direction d, check_id request, check_id response) {
    return d == direction::request ? request : response;
  }

  // --- schemas ----------------------------------------------------------------------------

  shape normalized(const json_value& root, const place& p) {
    shape s;
    s.pointer = p.pointer;
    std::vector<json_value> stack;
    absorb(root, p, s, stack);
    return s;
  }

  void absorb(const json_value& root, const place& p, shape& into, std::vector<json_value>& stack) {
    if (!p.node || !step() || stack.size() > k_max_nesting) return;
    const json_value n = *p.node;
    if (n.is_bool()) {
      if (!n.as_bool()) {
        shape nothing;
        nothing.typed = true;
        nothing.nullable = false;
        merge(into, nothing);
      }
      return;
    }
    if (!n.is_object() || std::find(stack.begin(), stack.end(), n) != stack.end()) return;
    stack.push_back(n);
    merge(into, own_keywords(n, p.pointer));
    if (const std::optional<json_value> ref = n.find("$ref"); ref && ref->is_string()) {
      if (const std::optional<json_value> target = resolve_local_ref(root, ref->as_string())) {
        absorb(root, {target, ref_pointer(ref->as_string())}, into, stack);
      }
    }
    if (const std::optional<json_value> all = n.find("allOf"); all && all->is_array()) {
      for (auto it = all->begin(); it != all->end(); ++it) {
        absorb(root, {*it, child_pointer(child_pointer(p.pointer, "allOf"), it.index())}, into,
               stack);
      }
    }
    for (std::string_view keyword : {"anyOf", "oneOf"}) {
      std::optional<json_value> branches = n.find(keyword);
      if (!branches || !branches->is_array()) continue;
      bool with_null = false;
      std::vector<place> others;
      std::vector<shape> other_shapes;
      for (auto it = branches->begin(); it != branches->end(); ++it) {
        const place b{*it, child_pointer(child_pointer(p.pointer, keyword), it.index())};
        shape s;
        s.pointer = p.pointer;
        absorb(root, b, s, stack);
        if (null_only(s)) {
          with_null = true;
        } else {
          others.push_back(b);
          other_shapes.push_back(std::move(s));
        }
      }
      shape alt;
      alt.pointer = p.pointer;
      if (others.size() == 1) {
        alt = std::move(other_shapes.front());
        if (with_null && alt.typed) alt.nullable = true;
      } else if (others.empty()) {
        if (with_null) {
          alt.typed = true;
          alt.nullable = true;
        }
      } else {
        alt.typed = std::all_of(other_shapes.begin(), other_shapes.end(),
                                [](const shape& s) { return s.typed; });
        alt.nullable = with_null || std::any_of(other_shapes.begin(), other_shapes.end(),
                                                [](const shape& s) { return s.nullable; });
        for (const shape& s : other_shapes) alt.types.insert(s.types.begin(), s.types.end());
        if (!alt.typed) alt.types.clear();
        alt.alternatives = std::move(others);
      }
      merge(into, alt);
    }
    stack.pop_back();
  }

  void compare(const place& o, const place& n, direction d, const std::string& field) {
    if (!step() || depth_ >= k_max_field_depth) return;
    if (o.node && n.node && !seen_.emplace(seen_key(*o.node), seen_key(*n.node), d).second) return;
    ++depth_;
    const shape os = normalized(old_root_, o);
    const shape ns = normalized(new_root_, n);
    const std::string name = field.empty() ? "the body" : field;
    compare_types(os, ns, d, name);
    compare_enum(os, ns, d, name);
    compare_bounds(os, ns, d, name);
    if (os.format != ns.format) {
      add(checks::diff_format, ns.pointer, os.pointer,
          name + ": format " + (os.format.empty() ? "(none)" : os.format) + " -> " +
              (ns.format.empty() ? "(none)" : ns.format));
    }
    if (d == direction::request && os.default_value != ns.default_value) {
      add(checks::diff_request_default, ns.pointer, os.pointer,
          name + ": default " + os.default_value.value_or("(none)") + " -> " +
              ns.default_value.value_or("(none)"));
    }
    if (may_be(os, "object") && may_be(ns, "object") &&
        (has_object_keywords(os) || has_object_keywords(ns))) {
      compare_properties(os, ns, d, field);
    }
    if (may_be(os, "array") && may_be(ns, "array") && (os.items || ns.items)) {
      compare(os.items.value_or(place{std::nullopt, os.pointer}),
              ns.items.value_or(place{std::nullopt, ns.pointer}), d, field + "/*");
    }
    compare_alternatives(os, ns, d, field, name);
    --depth_;
  }

  void compare_types(const shape& os, const shape& ns, direction d, const std::string& name) {
    if (!os.typed && !ns.typed) return;
    bool gained = !ns.typed, lost = !os.typed;
    if (os.typed && ns.typed) {
      for (const std::string& t : ns.types) gained = gained || !covered(os.types, t);
      for (const std::string& t : os.types) lost = lost || !covered(ns.types, t);
    }
    if (gained || lost) {
      const std::string message = name + ": type " + types_only(os) + " -> " + types_only(ns);
      if (d == direction::response) {
        add(gained ? checks::diff_response_type : checks::diff_response_narrowed, ns.pointer,
            os.pointer, message);
      } else {
        add(lost ? checks::diff_request_narrowed : checks::diff_request_widened, ns.pointer,
            os.pointer, message);
      }
    }
    if (!os.typed || !ns.typed || os.nullable == ns.nullable) return;
    const std::string facts = " (was " + type_text(os) + "; now " + type_text(ns) + ")";
    if (ns.nullable) {
      add(pick(d, checks::diff_request_widened, checks::diff_response_nullable), ns.pointer,
          os.pointer, name + ": may now be null" + facts);
    } else {
      add(pick(d, checks::diff_request_narrowed, checks::diff_response_not_nullable), ns.pointer,
          os.pointer, name + ": may no longer be null" + facts);
    }
  }

  void compare_enum(const shape& os, const shape& ns, direction d, const std::string& name) {
    if (!os.enum_values && !ns.enum_values) return;
    if (os.enum_values && ns.enum_values) {
      std::set<std::string> added, removed;
      for (const std::string& v : *ns.enum_values)
        if (!os.enum_values->contains(v)) added.insert(v);
      for (const std::string& v : *os.enum_values)
        if (!ns.enum_values->contains(v)) removed.insert(v);
      const std::string facts =
          " (was " + joined(*os.enum_values, ", ") + "; now " + joined(*ns.enum_values, ", ") + ")";
      if (!added.empty()) {
        add(pick(d, checks::diff_request_widened, checks::diff_response_enum_added), ns.pointer,
            os.pointer, name + ": enum " + values_text(added) + " added" + facts);
      }
      if (!removed.empty()) {
        add(pick(d, checks::diff_request_narrowed, checks::diff_response_enum_removed), ns.pointer,
            os.pointer, name + ": enum " + values_text(removed) + " removed" + facts);
      }
    } else if (ns.enum_values) {
      add(pick(d, checks::diff_request_narrowed, checks::diff_response_narrowed), ns.pointer,
          os.pointer, name + ": now one of " + joined(*ns.enum_values, ", "));
    } else {
      add(pick(d, checks::diff_request_widened, checks::diff_response_enum_added), ns.pointer,
          os.pointer, name + ": no longer one of " + joined(*os.enum_values, ", "));
    }
  }

  void compare_bounds(const shape& os, const shape& ns, direction d, const std::string& name) {
    std::set<std::string> keywords;
    for (const auto& [k, v] : os.bounds) keywords.insert(k);
    for (const auto& [k, v] : ns.bounds) keywords.insert(k);
    for (const std::string& k : keywords) {
      const auto o = os.bounds.find(k);
      const auto n = ns.bounds.find(k);
      const bool in_o = o != os.bounds.end(), in_n = n != ns.bounds.end();
      if (in_o && in_n && o->second == n->second) continue;
      bool narrower = false, wider = false;
      const bool lower =
          std::find(k_lower_bounds.begin(), k_lower_bounds.end(), k) != k_lower_bounds.end();
      const bool upper =
          std::find(k_upper_bounds.begin(), k_upper_bounds.end(), k) != k_upper_bounds.end();
      if (!in_o) {
        narrower = true;
      } else if (!in_n) {
        wider = true;
      } else if (k == "uniqueItems") {
        narrower = n->second == "true";
        wider = !narrower;
      } else if (lower || upper) {
        const double a = std::strtod(o->second.c_str(), nullptr);
        const double b = std::strtod(n->second.c_str(), nullptr);
        narrower = lower ? b > a : b < a;
        wider = !narrower;
      } else {
        narrower = wider = true;  // another pattern or multipleOf: some values in, some out
      }
      const std::string message = name + ": " + k + " " + (in_o ? o->second : "(none)") + " -> " +
                                  (in_n ? n->second : "(none)");
      if (d == direction::request) {
        add(narrower ? checks::diff_request_narrowed : checks::diff_request_widened, ns.pointer,
            os.pointer, message);
      } else {
        add(wider ? checks::diff_response_widened : checks::diff_response_narrowed, ns.pointer,
            os.pointer, message);
      }
    }
  }

  static const property* find_property(const shape& s, const std::string& name) {
    for (const property& p : s.properties)
      if (p.name == name) return &p;
    return nullptr;
  }

  void compare_properties(const shape& os, const shape& ns, direction d, const std::string& field) {
    std::vector<std::string> names;
    std::set<std::string> listed;
    const auto list = [&](const std::string& name) {
      if (listed.insert(name).second) names.push_back(name);
    };
    for (const property& p : ns.properties) list(p.name);
    for (const std::string& r : ns.required) list(r);
    for (const property& p : os.properties) list(p.name);
    for (const std::string& r : os.required) list(r);
    const bool request = d == direction::request;
    const std::string o_object = os.object_pointer.empty() ? os.pointer : os.object_pointer;
    const std::string n_object = ns.object_pointer.empty() ? ns.pointer : ns.object_pointer;
    for (const std::string& name : names) {
      const property* op = find_property(os, name);
      const property* np = find_property(ns, name);
      const bool req_o = os.required.contains(name), req_n = ns.required.contains(name);
      const bool in_o = op || req_o, in_n = np || req_n;
      const place o = op ? op->where : place{std::nullopt, o_object};
      const place n = np ? np->where : place{std::nullopt, n_object};
      const std::string sub = field + "/" + name;
      if (in_o && in_n) {
        if (req_o && !req_n) {
          add(pick(d, checks::diff_request_field_optional, checks::diff_response_field_optional),
              n.pointer, o.pointer, sub + ": no longer required");
        } else if (!req_o && req_n) {
          add(pick(d, checks::diff_request_field_required, checks::diff_response_field_required),
              n.pointer, o.pointer, sub + ": now required");
        }
        compare(o, n, d, sub);
      } else if (in_n) {
        const std::string what = sub + ": new " + (req_n ? "required" : "optional") + " field (" +
                                 type_text(normalized(new_root_, n)) + ")";
        add(request
                ? (req_n ? checks::diff_request_field_required : checks::diff_request_field_added)
                : checks::diff_response_field_added,
            n.pointer, o_object, what);
      } else {
        add(pick(d, checks::diff_request_field_removed, checks::diff_response_field_removed),
            n_object, o.pointer,
            sub + ": removed (was " + std::string(req_o ? "required" : "optional") + ", " +
                type_text(normalized(old_root_, o)) + ")");
      }
    }
    if (os.additional_forbidden != ns.additional_forbidden) {
      const std::string what = (field.empty() ? "the body" : field) +
                               (ns.additional_forbidden ? ": other properties now refused"
                                                        : ": other properties now allowed");
      const bool narrower = ns.additional_forbidden;
      add(request ? (narrower ? checks::diff_request_narrowed : checks::diff_request_widened)
                  : (narrower ? checks::diff_response_narrowed : checks::diff_response_widened),
          ns.pointer, os.pointer, what);
    }
    if (os.additional && ns.additional) compare(*os.additional, *ns.additional, d, field + "/*");
  }

  void compare_alternatives(const shape& os, const shape& ns, direction d, const std::string& field,
                            const std::string& name) {
    const std::size_t a = os.alternatives.size(), b = ns.alternatives.size();
    // With one side single, or the type set changed, compare_types has said what changed.
    if (a < 2 || b < 2 || type_text(os) != type_text(ns)) return;
    if (a == b) {
      for (std::size_t i = 0; i < a; ++i) compare(os.alternatives[i], ns.alternatives[i], d, field);
      return;
    }
    const std::string message =
        name + ": " + std::to_string(a) + " alternatives -> " + std::to_string(b);
    if (d == direction::request) {
      add(b < a ? checks::diff_request_narrowed : checks::diff_request_widened, ns.pointer,
          os.pointer, message);
    } else {
      add(b > a ? checks::diff_response_type : checks::diff_response_narrowed, ns.pointer,
          os.pointer, message);
    }
  }

  // --- operations -------------------------------------------------------------------------

  static std::vector<parameter> declared_parameters(const json_value& root, const operation& op) {
    std::vector<parameter> out;
    const auto read = [&](const std::optional<json_value>& list, const std::string& pointer) {
      if (!list || !list->is_array()) return;
      for (auto it = list->begin(); it != list->end(); ++it) {
        const place p = dereferenced(root, {*it, child_pointer(pointer, it.index())});
        if (!p.node->is_object()) continue;
        std::optional<json_value> name = p.node->find("name");
        std::optional<json_value> in = p.node->find("in");
        if (!name || !name->is_string() || !in || !in->is_string()) continue;
        parameter param;
        param.name = name->as_string();
        param.in = in->as_string();
        std::optional<json_value> required = p.node->find("required");
        param.required = param.in == "path" || (required && required->as_bool());
        param.pointer = p.pointer;
        if (const std::optional<place> schema = schema_member(*p.node, p.pointer)) {
          param.schema = *schema;
        } else {
          param.schema = media_schema(p.node, p.pointer).value_or(place{std::nullopt, p.pointer});
        }
        // The operation's own declaration wins over the path item's.
        const auto same = std::find_if(out.begin(), out.end(), [&](const parameter& q) {
          return q.name == param.name && q.in == param.in;
        });
        if (same != out.end()) {
          *same = std::move(param);
        } else {
          out.push_back(std::move(param));
        }
      }
    };
    read(op.item->find("parameters"), child_pointer(op.item_pointer, "parameters"));
    read(op.op->find("parameters"), child_pointer(op.pointer, "parameters"));
    return out;
  }

  // Path parameters by position in the template (declared by name, else in order, else the
  // implicit string), and the rest.
  static std::pair<std::vector<parameter>, std::vector<parameter>> parameters(
      const json_value& root, const operation& op) {
    std::vector<parameter> declared = declared_parameters(root, op);
    const std::vector<std::string> names = template_shape(op.path).second;
    std::vector<std::optional<parameter>> positions(names.size());
    std::vector<parameter> rest, unplaced;
    for (parameter& p : declared) {
      if (p.in != "path") {
        rest.push_back(std::move(p));
        continue;
      }
      const auto at = std::find(names.begin(), names.end(), p.name);
      const auto slot = positions.begin() + (at - names.begin());
      if (at != names.end() && !*slot) {
        *slot = std::move(p);
      } else {
        unplaced.push_back(std::move(p));
      }
    }
    std::size_t next = 0;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (positions[i]) continue;
      if (next < unplaced.size()) {
        positions[i] = std::move(unplaced[next++]);
      } else {
        positions[i] = parameter{names[i], "path", true,
                                 place{implicit_string_schema(), op.pointer}, op.pointer};
      }
    }
    for (; next < unplaced.size(); ++next) rest.push_back(std::move(unplaced[next]));
    std::vector<parameter> path;
    for (std::optional<parameter>& p : positions) path.push_back(std::move(*p));
    return {std::move(path), std::move(rest)};
  }

  void compare_operation(const operation& o, const operation& n) {
    group_ = "parameters";
    auto [o_path, o_rest] = parameters(old_root_, o);
    auto [n_path, n_rest] = parameters(new_root_, n);
    for (std::size_t i = 0; i < o_path.size() && i < n_path.size(); ++i) {
      if (o_path[i].name != n_path[i].name) {
        add(checks::diff_path_parameter_renamed, n_path[i].pointer, o_path[i].pointer,
            "path parameter " + o_path[i].name + " -> " + n_path[i].name);
      }
      compare(o_path[i].schema, n_path[i].schema, direction::request,
              "path parameter " + n_path[i].name);
    }
    for (const parameter& np : n_rest) {
      const auto op = std::find_if(o_rest.begin(), o_rest.end(), [&](const parameter& q) {
        return q.name == np.name && q.in == np.in;
      });
      const std::string name = np.in + " parameter " + np.name;
      if (op == o_rest.end()) {
        add(np.required ? checks::diff_parameter_required : checks::diff_parameter_added,
            np.pointer, o.pointer,
            name + ": new " + (np.required ? "required" : "optional") + " parameter");
        continue;
      }
      if (np.required != op->required) {
        add(np.required ? checks::diff_parameter_required : checks::diff_parameter_optional,
            np.pointer, op->pointer, name + (np.required ? ": now required" : ": now optional"));
      }
      compare(op->schema, np.schema, direction::request, name);
    }
    for (const parameter& op : o_rest) {
      const bool kept = std::any_of(n_rest.begin(), n_rest.end(), [&](const parameter& q) {
        return q.name == op.name && q.in == op.in;
      });
      if (!kept) {
        add(checks::diff_parameter_removed, n.pointer, op.pointer,
            op.in + " parameter " + op.name + ": no longer declared");
      }
    }
    compare_request_body(o, n);
    compare_responses(o, n);
  }

  struct body {
    bool present = false;
    bool required = false;
    std::string pointer;  // of the requestBody or the response
    std::optional<place> schema;
  };

  static body request_body(const json_value& root, const operation& op) {
    body b;
    b.pointer = op.pointer;
    std::optional<json_value> rb = op.op->find("requestBody");
    if (!rb) return b;
    const place p = dereferenced(root, {rb, child_pointer(op.pointer, "requestBody")});
    if (!p.node->is_object()) return b;
    b.pointer = p.pointer;
    std::optional<json_value> required = p.node->find("required");
    b.required = required && required->as_bool();
    b.schema = media_schema(p.node->find("content"), p.pointer);
    b.present = b.schema.has_value();
    return b;
  }

  void compare_request_body(const operation& o, const operation& n) {
    group_ = "request body";
    const body ob = request_body(old_root_, o), nb = request_body(new_root_, n);
    if (!ob.present && !nb.present) return;
    if (!ob.present) {
      add(nb.required ? checks::diff_request_field_required : checks::diff_request_field_added,
          nb.pointer, ob.pointer,
          std::string("a new ") + (nb.required ? "required" : "optional") + " request body");
      return;
    }
    if (!nb.present) {
      add(checks::diff_request_field_removed, nb.pointer, ob.pointer, "the request body is gone");
      return;
    }
    if (ob.required != nb.required) {
      add(nb.required ? checks::diff_request_field_required : checks::diff_request_field_optional,
          nb.pointer, ob.pointer,
          nb.required ? "the request body is now required" : "the request body is now optional");
    }
    compare(*ob.schema, *nb.schema, direction::request, "");
  }

  struct response {
    std::string status;   // upper case: "200", "4XX", "DEFAULT"
    std::string pointer;  // in the operation
    place resolved;       // the response object, after $ref
    std::string ref;      // the $ref it was reached by, if any
  };

  static std::vector<response> responses(const json_value& root, const operation& op) {
    std::vector<response> out;
    std::optional<json_value> rs = op.op->find("responses");
    if (!rs || !rs->is_object()) return out;
    for (const json_value& r : *rs) {
      response x{
          upper(r.key()), child_pointer(child_pointer(op.pointer, "responses"), r.key()),
          dereferenced(root, {r, child_pointer(child_pointer(op.pointer, "responses"), r.key())}),
          ""};
      if (const std::optional<json_value> ref = r.is_object() ? r.find("$ref") : std::nullopt;
          ref && ref->is_string()) {
        x.ref = ref->as_string();
      }
      const bool known = std::any_of(out.begin(), out.end(),
                                     [&](const response& y) { return y.status == x.status; });
      if (!known && x.resolved.node->is_object()) out.push_back(std::move(x));
    }
    return out;
  }

  struct header {
    std::string name, key;  // as spelled; lower case
    bool required = false;
    place schema;
    std::string pointer;
  };

  static std::vector<header> headers(const json_value& root, const place& r) {
    std::vector<header> out;
    std::optional<json_value> hs = r.node->find("headers");
    if (!hs || !hs->is_object()) return out;
    for (const json_value& h : *hs) {
      const place p =
          dereferenced(root, {h, child_pointer(child_pointer(r.pointer, "headers"), h.key())});
      if (!p.node->is_object()) continue;
      header x;
      x.name = h.key();
      x.key = lower(h.key());
      std::optional<json_value> required = p.node->find("required");
      x.required = required && required->as_bool();
      x.pointer = p.pointer;
      if (const std::optional<place> schema = schema_member(*p.node, p.pointer)) {
        x.schema = *schema;
      } else {
        x.schema = media_schema(p.node->find("content"), p.pointer)
                       .value_or(place{std::nullopt, p.pointer});
      }
      const bool known =
          std::any_of(out.begin(), out.end(), [&](const header& y) { return y.key == x.key; });
      if (!known) out.push_back(std::move(x));
    }
    return out;
  }

  void compare_responses(const operation& o, const operation& n) {
    const std::vector<response> ors = responses(old_root_, o), nrs = responses(new_root_, n);
    for (const response& nr : nrs) {
      group_ = "response " + nr.status;
      const auto orr = std::find_if(ors.begin(), ors.end(),
                                    [&](const response& x) { return x.status == nr.status; });
      if (orr == ors.end()) {
        add(checks::diff_status_added, nr.pointer, child_pointer(o.pointer, "responses"),
            added_response(nr));
        continue;
      }
      compare_response(*orr, nr);
    }
    for (const response& orr : ors) {
      const bool kept = std::any_of(nrs.begin(), nrs.end(),
                                    [&](const response& x) { return x.status == orr.status; });
      if (kept) continue;
      group_ = "response " + orr.status;
      add(checks::diff_status_removed, child_pointer(n.pointer, "responses"), orr.pointer,
          "status " + orr.status + " is no longer documented");
    }
  }

  std::string added_response(const response& r) {
    std::string out = "status " + r.status + " added";
    if (!r.ref.empty()) out += " (" + r.ref + ")";
    std::string names;
    for (const header& h : headers(new_root_, r.resolved))
      names += (names.empty() ? "" : ", ") + h.name;
    if (!names.empty()) out += ", with header " + names;
    if (media_schema(r.resolved.node->find("content"), r.resolved.pointer)) {
      out += names.empty() ? ", with a body" : " and a body";
    }
    return out;
  }

  void compare_response(const response& o, const response& n) {
    const std::vector<header> ohs = headers(old_root_, o.resolved);
    const std::vector<header> nhs = headers(new_root_, n.resolved);
    for (const header& nh : nhs) {
      const auto oh =
          std::find_if(ohs.begin(), ohs.end(), [&](const header& x) { return x.key == nh.key; });
      const std::string name = "header " + nh.name;
      if (oh == ohs.end()) {
        add(checks::diff_response_header_added, nh.pointer, o.resolved.pointer,
            name + ": new " + (nh.required ? "required" : "optional") + " header");
        continue;
      }
      if (oh->required && !nh.required) {
        add(checks::diff_response_field_optional, nh.pointer, oh->pointer,
            name + ": no longer required");
      } else if (!oh->required && nh.required) {
        add(checks::diff_response_field_required, nh.pointer, oh->pointer, name + ": now required");
      }
      compare(oh->schema, nh.schema, direction::response, name);
    }
    for (const header& oh : ohs) {
      const bool kept =
          std::any_of(nhs.begin(), nhs.end(), [&](const header& x) { return x.key == oh.key; });
      if (!kept) {
        add(checks::diff_response_header_removed, n.resolved.pointer, oh.pointer,
            "header " + oh.name + ": gone");
      }
    }
    const std::optional<place> ob =
        media_schema(o.resolved.node->find("content"), o.resolved.pointer);
    const std::optional<place> nb =
        media_schema(n.resolved.node->find("content"), n.resolved.pointer);
    if (ob && nb) {
      compare(*ob, *nb, direction::response, "");
    } else if (nb) {
      add(checks::diff_response_field_added, nb->pointer, o.resolved.pointer,
          "a body where there was none");
    } else if (ob) {
      add(checks::diff_response_field_removed, n.resolved.pointer, ob->pointer, "the body is gone");
    }
  }

  const json_value old_root_;  // a handle: the caller's may be a temporary
  const json_value new_root_;  // a handle: the caller's may be a temporary
  const std::size_t max_steps_;
  std::size_t steps_ = 0;
  bool exhausted_ = false;
  std::size_t depth_ = 0;
  run_report report_;
  std::string op_, group_;
  // Pairs of schemas compared in this operation: each once, and $ref cycles end.
  // A schema by its id() in its document (old, new, or the implicit string schema's).
  using schema_key = std::pair<bool, std::uint64_t>;
  static schema_key seen_key(const json_value& v) {
    return {v == implicit_string_schema(), v.id()};
  }
  std::set<std::tuple<schema_key, schema_key, direction>> seen_;
  std::map<std::string, std::size_t> per_check_;
  std::map<std::string, std::pair<check_id, std::size_t>> over_cap_;
};

}  // namespace

result<run_report, spec_error> diff_openapi(const openapi_document& old_document,
                                            const openapi_document& new_document,
                                            const spec_diff_limits& limits) {
  differ d(old_document.root(), new_document.root(), limits.max_steps);
  run_report report = d.run();
  if (d.exhausted()) {
    return failure(spec_error{"",
                              "the documents are too complex to compare within " +
                                  std::to_string(limits.max_steps) +
                                  " schema steps ($ref reached along too many paths)",
                              std::nullopt});
  }
  return report;
}

}  // namespace certharness
