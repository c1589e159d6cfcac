#include "certharness/spec/spec_lint.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "certharness/http/url.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/json/text_escaping.hpp"
#include "certharness/json/trailing_commas.hpp"
#include "certharness/spec/contract.hpp"
#include "certharness/spec/openapi_document.hpp"

namespace certharness {
namespace {

constexpr std::string_view k_examples = "examples";
constexpr std::string_view k_consistency = "consistency";
constexpr std::string_view k_schema_prefix = "/components/schemas/";
constexpr std::string_view k_schema = "schema";  // vocabulary: not a check id
constexpr std::array<std::string_view, 8> k_methods = {"get",     "put",  "post",  "delete",
                                                       "options", "head", "patch", "trace"};
// A quoted name from the document (an operationId, a parameter name) is cut here in messages.
constexpr std::size_t k_max_quoted = 120;

bool is_method(std::string_view key) {
  for (std::string_view m : k_methods) {
    if (key == m) return true;
  }
  return false;
}

// "listOrganizationCertificates", or "get /organization/certificates" (the method as the
// document spells it) without an operationId.
std::string operation_label(const json_value& operation, std::string_view method,
                            std::string_view path_template) {
  std::optional<json_value> id = operation.find("operationId");
  if (id.has_value() && id->is_string() && !id->as_string().empty()) {
    return excerpt(id->as_string(), k_max_quoted);
  }
  return std::string(method) + " " + excerpt(path_template, k_max_quoted);
}

// "application/json", with or without parameters ("application/json; charset=utf-8").
bool is_json_media_type(std::string_view type) {
  constexpr std::string_view json = "application/json";
  if (!type.starts_with(json)) return false;
  const std::string_view rest = type.substr(json.size());
  return rest.empty() || rest.front() == ';' || rest.front() == ' ';
}

// The component a schema names: {"$ref": "#/components/schemas/Name"} -> "Name".
std::optional<std::string> component_name(const std::optional<json_value>& schema) {
  if (!schema || !schema->is_object()) return std::nullopt;
  std::optional<json_value> ref = schema->find("$ref");
  if (!ref || !ref->is_string() || !ref->as_string().starts_with('#')) return std::nullopt;
  const std::optional<std::string> pointer = percent_decode(ref->as_string().substr(1));
  if (!pointer || !pointer->starts_with(k_schema_prefix)) return std::nullopt;
  const std::string_view token = std::string_view(*pointer).substr(k_schema_prefix.size());
  if (token.empty() || token.find('/') != std::string_view::npos) return std::nullopt;
  std::string name;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      name.push_back(token[i + 1] == '0' ? '~' : '/');
      ++i;
    } else {
      name.push_back(token[i]);
    }
  }
  return name;
}

// A member that is a "$ref" is followed (once, locally) wherever the lint reads a part.
std::optional<json_value> followed(const json_value& root, const std::optional<json_value>& node) {
  if (!node || !node->is_object()) return node;
  std::optional<json_value> ref = node->find("$ref");
  if (!ref || !ref->is_string()) return node;
  return resolve_local_ref(root, ref->as_string());
}

// --- trailing commas ------------------------------------------------------------------------

std::string where(const text_position& p) {
  return "line " + std::to_string(p.line) + ", column " + std::to_string(p.column);
}

// "the trailing comma at line 14, column 6", "the trailing commas at line 25, column 6 and
// line 26, column 4" (the first few, then how many more).
std::string commas_dropped(const std::vector<text_position>& dropped) {
  constexpr std::size_t k_listed = 5;
  std::string out = dropped.size() == 1 ? "the trailing comma at " : "the trailing commas at ";
  for (std::size_t i = 0; i < dropped.size() && i < k_listed; ++i) {
    if (i > 0) out += i + 1 == dropped.size() ? " and " : ", ";
    out += where(dropped[i]);
  }
  if (dropped.size() > k_listed) {
    out += " and " + std::to_string(dropped.size() - k_listed) + " more";
  }
  return out;
}

// --- the walk -------------------------------------------------------------------------------

// What a node of the document is, as the family's structure reaches it: this decides which of
// its members are walked and which are examples.
enum class node_kind {
  path_item,
  operation,
  parameter,
  parameter_list,
  request_body,
  response,
  response_map,
  header,
  header_map,
  media_type,
  content_map,
  example_object,
  example_map,
  schema,
  schema_map,
  schema_list,
};

// The kind of member `key` of a node of kind `parent` (nullopt: not walked). Members of maps and
// lists take their element's kind.
std::optional<node_kind> member_kind(node_kind parent, std::string_view key) {
  switch (parent) {
    case node_kind::path_item:
      if (key == "parameters") return node_kind::parameter_list;
      if (is_method(key)) return node_kind::operation;
      return std::nullopt;
    case node_kind::operation:
      if (key == "parameters") return node_kind::parameter_list;
      if (key == "requestBody") return node_kind::request_body;
      if (key == "responses") return node_kind::response_map;
      return std::nullopt;
    case node_kind::parameter:
    case node_kind::header:
      if (key == k_schema) return node_kind::schema;
      if (key == "content") return node_kind::content_map;
      if (key == "examples") return node_kind::example_map;
      return std::nullopt;
    case node_kind::request_body:
      if (key == "content") return node_kind::content_map;
      return std::nullopt;
    case node_kind::response:
      if (key == "content") return node_kind::content_map;
      if (key == "headers") return node_kind::header_map;
      return std::nullopt;
    case node_kind::media_type:
      if (key == k_schema) return node_kind::schema;
      if (key == "examples") return node_kind::example_map;
      return std::nullopt;
    case node_kind::schema:
      // Keywords whose value is a schema, a list of schemas or a map of them (2020-12 and
      // draft-07); "example", "examples", "default", "const", "enum" hold values, not schemas.
      if (key == "items" || key == "additionalItems" || key == "additionalProperties" ||
          key == "not" || key == "if" || key == "then" || key == "else" || key == "contains" ||
          key == "propertyNames" || key == "unevaluatedItems" || key == "unevaluatedProperties" ||
          key == "contentSchema") {
        return node_kind::schema;  // an array under "items" is read as a list (see child_kind)
      }
      if (key == "allOf" || key == "anyOf" || key == "oneOf" || key == "prefixItems") {
        return node_kind::schema_list;
      }
      if (key == "properties" || key == "patternProperties" || key == "$defs" ||
          key == "definitions" || key == "dependentSchemas") {
        return node_kind::schema_map;
      }
      return std::nullopt;
    case node_kind::parameter_list:
      return node_kind::parameter;
    case node_kind::response_map:
      return node_kind::response;
    case node_kind::header_map:
      return node_kind::header;
    case node_kind::content_map:
      return node_kind::media_type;
    case node_kind::example_map:
      return node_kind::example_object;
    case node_kind::schema_map:
    case node_kind::schema_list:
      return node_kind::schema;
    case node_kind::example_object:
      return std::nullopt;
  }
  return std::nullopt;
}

bool is_list(node_kind k) { return k == node_kind::parameter_list || k == node_kind::schema_list; }

// Maps are keyed by names (a property may be called "$ref"), not by keywords.
bool is_map(node_kind k) {
  return k == node_kind::response_map || k == node_kind::header_map ||
         k == node_kind::content_map || k == node_kind::example_map || k == node_kind::schema_map;
}

// What an example is judged against: a component schema, or why none.
struct example_target {
  std::string name;     // the component; empty when there is none
  std::string why_not;  // when name is empty
};

class linter {
 public:
  linter(const json_value& root, const schema_registry& schemas, spec_lint_report& out)
      : root_(root), schemas_(schemas), out_(out) {
    target_of({});  // k_inline
  }

  void run() {
    std::optional<json_value> paths = root_.find("paths");
    if (paths.has_value() && paths->is_object()) {
      for (const json_value& item : *paths) {
        if (!is_family_path(item.key()) || !item.is_object()) continue;
        pointer_ = "/paths";
        append_pointer_token(pointer_, item.key());
        const std::size_t subject = subject_of(std::string(excerpt(item.key(), k_max_quoted)));
        check_path_parameters(item, subject);
        walk(item, node_kind::path_item, subject, {});
      }
    }
    // Components reached through "$ref", each walked once, as what referred to them.
    while (!queue_.empty()) {
      pending next = std::move(queue_.front());
      queue_.pop_front();
      pointer_ = std::move(next.pointer);
      walk(*next.node, next.kind, next.subject, std::move(next.target));
    }
    for (const auto& [check, count] : left_out_) {
      for (const check_id c : checks::all) {
        if (c == check) out_.findings.push_back({left_out_group_[check], "", left_out(c, count)});
      }
    }
  }

 private:
  static constexpr std::size_t k_inline = 0;  // targets_[0]: judged by no component

  struct frame {
    std::optional<json_value> node;
    node_kind kind;
    std::size_t parent_length;  // pointer_'s length without this node's token
    std::size_t subject;        // index into subjects_
    std::size_t target;         // index into targets_: what this node's examples are judged by
    json_value::iterator next;  // the next member to look at
    json_value::iterator end;
  };

  struct pending {
    std::string pointer;
    std::optional<json_value> node;
    node_kind kind;
    std::size_t subject;
    example_target target;
  };

  std::size_t subject_of(std::string label) {
    subjects_.push_back(std::move(label));
    return subjects_.size() - 1;
  }

  std::size_t target_of(example_target target) {
    targets_.push_back(std::move(target));
    return targets_.size() - 1;
  }

  void add(std::size_t subject, std::string_view group, finding f) {
    std::size_t& kept = kept_[f.check];
    if (kept >= k_max_findings_per_check) {
      ++left_out_[f.check];
      left_out_group_.emplace(f.check, std::string(group));
      return;
    }
    ++kept;
    out_.findings.push_back({std::string(group), subjects_[subject], std::move(f)});
  }

  void tally(std::string_view group, check_id check, bool passed) {
    record(out_.groups[std::string(group)], check, passed);
  }

  // --- consistency ---

  // {param} of the template against the in: path parameters declared for each operation.
  void check_path_parameters(const json_value& item, std::size_t path_subject) {
    const std::string item_pointer = pointer_;
    const std::string_view path_template = item.key();
    std::set<std::string, std::less<>> in_template;
    bool malformed = false;
    for (std::size_t i = 0; i < path_template.size(); ++i) {
      if (path_template[i] == '}') malformed = true;
      if (path_template[i] != '{') continue;
      const std::size_t close = path_template.find('}', i + 1);
      const std::size_t open = path_template.find('{', i + 1);
      if (close == std::string_view::npos || open < close || close == i + 1) {
        malformed = true;
        break;
      }
      in_template.emplace(path_template.substr(i + 1, close - i - 1));
      i = close;
    }
    if (malformed) {
      add(path_subject, k_consistency,
          finding{checks::spec_path_parameter, item_pointer, "",
                  "the path template " + excerpt(path_template, k_max_quoted) +
                      " is malformed: every '{' must close with '}' around a name"});
      tally(k_consistency, checks::spec_path_parameter, false);
      return;
    }

    // Path-level parameters, reported once for the path.
    std::set<std::string, std::less<>> path_level;
    if (const std::optional<json_value> parameters = item.find("parameters")) {
      tally(k_consistency, checks::spec_path_parameter,
            declared_parameters(parameters, item_pointer + "/parameters", in_template,
                                path_template, path_subject, path_level));
    }

    for (const json_value& member : item) {
      if (!is_method(member.key()) || !member.is_object()) continue;
      std::string op_pointer = item_pointer;
      append_pointer_token(op_pointer, member.key());
      const std::size_t subject = subject_of(operation_label(member, member.key(), path_template));
      operation_subjects_.emplace(member.id(), subject);
      out_.operations.push_back(subjects_[subject]);
      std::set<std::string, std::less<>> declared = path_level;
      bool ok = declared_parameters(member.find("parameters"), op_pointer + "/parameters",
                                    in_template, path_template, subject, declared);
      for (const std::string& name : in_template) {
        if (declared.contains(name)) continue;
        ok = false;
        add(subject, k_consistency,
            finding{checks::spec_path_parameter, op_pointer, "",
                    subjects_[subject] + ": the path template " +
                        excerpt(path_template, k_max_quoted) + " has {" + name +
                        "}, but no in: path parameter of the operation or its path declares it"});
      }
      tally(k_consistency, checks::spec_path_parameter, ok);
    }
  }

  // Adds the names of the in: path parameters of `list` to `declared`; reports each that is not
  // in the template or not required. False when it reported one.
  bool declared_parameters(const std::optional<json_value>& list, const std::string& list_pointer,
                           const std::set<std::string, std::less<>>& in_template,
                           std::string_view path_template, std::size_t subject,
                           std::set<std::string, std::less<>>& declared) {
    if (!list || !list->is_array()) return true;
    bool ok = true;
    for (auto it = list->begin(); it != list->end(); ++it) {
      const std::size_t i = it.index();
      std::optional<json_value> parameter = followed(root_, *it);
      if (!parameter || !parameter->is_object()) continue;  // the $ref check says so
      std::optional<json_value> in = parameter->find("in");
      std::optional<json_value> name = parameter->find("name");
      if (!in || !in->is_string() || in->as_string() != "path") continue;
      if (!name || !name->is_string()) continue;
      std::string pointer = list_pointer;
      append_pointer_index(pointer, i);
      const std::string quoted = excerpt(name->as_string(), k_max_quoted);
      declared.emplace(name->as_string());
      if (!in_template.contains(name->as_string())) {
        ok = false;
        add(subject, k_consistency,
            finding{checks::spec_path_parameter, pointer, "",
                    subjects_[subject] + ": path parameter \"" + quoted +
                        "\" is not in the path template " + excerpt(path_template, k_max_quoted)});
      }
      std::optional<json_value> required = parameter->find("required");
      if (!required || !required->as_bool()) {
        ok = false;
        add(subject, k_consistency,
            finding{checks::spec_path_parameter, pointer, "",
                    subjects_[subject] + ": path parameter \"" + quoted +
                        "\" is not \"required\": true, as every path parameter must be"});
      }
    }
    return ok;
  }

  // The schema of the first 2xx response's application/json content, followed through "$ref"s.
  // nothing when there is none.
  std::optional<json_value> success_schema(const json_value& operation) const {
    std::optional<json_value> responses = operation.find("responses");
    if (!responses || !responses->is_object()) return std::nullopt;
    // "200" first, then the other 2xx codes and "2XX" in document order.
    std::vector<json_value> candidates;
    for (const json_value& r : *responses) {
      const std::string_view code = r.key();
      const bool success =
          code.size() == 3 && code[0] == '2' &&
          ((code[1] >= '0' && code[1] <= '9' && code[2] >= '0' && code[2] <= '9') ||
           code.substr(1) == "XX" || code.substr(1) == "xx");
      if (success) candidates.push_back(r);
    }
    const auto ok = std::find_if(candidates.begin(), candidates.end(),
                                 [](const json_value& r) { return r.key() == "200"; });
    if (ok != candidates.end()) std::rotate(candidates.begin(), ok, ok + 1);
    for (const json_value& r : candidates) {
      std::optional<json_value> response = followed(root_, r);
      if (!response || !response->is_object()) continue;
      std::optional<json_value> content = response->find("content");
      if (!content || !content->is_object()) continue;
      for (const json_value& media : *content) {
        if (!is_json_media_type(media.key()) || !media.is_object()) continue;
        std::optional<json_value> schema = media.find(k_schema);
        if (!schema) continue;
        return schema;
      }
    }
    return std::nullopt;
  }

  // The request body's application/json schema, followed through "$ref".
  std::optional<json_value> request_schema(const json_value& operation) const {
    std::optional<json_value> body = followed(root_, operation.find("requestBody"));
    if (!body || !body->is_object()) return std::nullopt;
    std::optional<json_value> content = body->find("content");
    if (!content || !content->is_object()) return std::nullopt;
    for (const json_value& media : *content) {
      if (is_json_media_type(media.key()) && media.is_object()) return media.find(k_schema);
    }
    return std::nullopt;
  }

  // `missing` says why there is no schema; `what` names the schema that is not a component.
  static example_target target_for(const std::optional<json_value>& schema,
                                   std::string_view missing, std::string_view what) {
    if (!schema) return {"", std::string(missing)};
    std::optional<std::string> name = component_name(schema);
    if (!name) {
      return {"", std::string(what) + " is inline, not a component (\"$ref\": \"#" +
                      std::string(k_schema_prefix) + "...\")"};
    }
    return {std::move(*name), ""};
  }

  // What the examples of a node are judged against: a parameter's, header's or media type's
  // own schema; what a schema's examples are judged against comes from how it was reached
  // (a component by name, or inline).
  static example_target own_target(node_kind kind, const json_value& node) {
    switch (kind) {
      case node_kind::parameter:
      case node_kind::header:
        return target_for(node.find(k_schema), "it has no schema", "its schema");
      case node_kind::media_type:
        return target_for(node.find(k_schema), "its media type has no schema",
                          "its media type's schema");
      default:
        return {};
    }
  }

  // --- examples ---

  // An example written as JSON text: decoded strictly, and when it is not JSON but becomes JSON
  // without its trailing commas, judged as so recovered.
  void example_text(std::size_t subject, const std::string& label, const std::string& pointer,
                    std::string_view text, const example_target& target) {
    ++out_.examples;
    decode_result decoded = decode_json(text);
    bool syntax = false;
    for (finding& f : decoded.problems) {
      syntax = syntax || f.check == checks::json_syntax;
      f.pointer = pointer + f.pointer;
      f.message = label + (decoded.document ? ": " : " is not JSON: ") + f.message;
      // The position is in the example's text, not the document's: the message says so, as the
      // text report shows the pointer.
      if (f.position) f.message += " (" + where(*f.position) + " of the example's text)";
      add(subject, k_examples, std::move(f));
    }
    tally(k_examples, checks::json_syntax, !syntax);
    if (decoded.ok()) {
      add_all(subject, judge(label, pointer, decoded.document->root(), target, false).found);
      return;
    }
    if (!syntax) return;
    const std::optional<trailing_commas_dropped> recovered = without_trailing_commas(text);
    if (!recovered) return;
    decode_result again = decode_json(recovered->text);
    if (!again.ok()) return;
    judgement judged = judge(label, pointer, again.document->root(), target, true);
    add(subject, k_examples,
        finding{checks::spec_example_recovered, pointer, "",
                label + " is valid JSON once " + commas_dropped(recovered->dropped) +
                    (recovered->dropped.size() == 1 ? " is" : " are") + " dropped; so recovered, " +
                    judged.verdict,
                recovered->dropped.front()});
    tally(k_examples, checks::spec_example_recovered, false);
    for (finding& f : again.problems) {  // warnings only: it is ok()
      f.pointer = pointer + f.pointer;
      f.message = label + " (recovered): " + f.message;
      f.position.reset();  // a position in the recovered text is in no text a reader has
      add(subject, k_examples, std::move(f));
    }
    add_all(subject, std::move(judged.found));
  }

  // An example that is a JSON value of the document itself.
  void example_value(std::size_t subject, const std::string& label, const std::string& pointer,
                     const json_value& value, const example_target& target) {
    ++out_.examples;
    add_all(subject, judge(label, pointer, value, target, false).found);
  }

  void add_all(std::size_t subject, findings found) {
    for (finding& f : found) add(subject, k_examples, std::move(f));
  }

  // What judging an example found (not added yet), and one phrase saying what came of it.
  struct judgement {
    findings found;
    std::string verdict;  // "it is valid as X", "it has 2 findings as X ...", "it is not judged"
  };

  judgement judge(const std::string& label, const std::string& pointer, const json_value& value,
                  const example_target& target, bool recovered) {
    judgement out;
    std::string why_not = target.why_not;
    if (!target.name.empty() && !schemas_.contains(target.name)) {
      why_not = "the contract has no schema named \"" + excerpt(target.name, k_max_quoted) + "\"";
    }
    if (!why_not.empty()) {
      out.found.emplace_back(checks::spec_example_unjudged, pointer, "",
                             label + " is not judged: " + why_not);
      out.verdict = "it is not judged: " + why_not;
      tally(k_examples, checks::spec_example_unjudged, false);
      return out;
    }
    ++out_.judged;
    const std::string name = excerpt(target.name, k_max_quoted);
    const std::string prefix = label + (recovered ? " (recovered)" : "") + ", as " + name + ": ";
    bool schema_ok = true, declared = true;
    out.found = schemas_.validate(value, target.name);
    for (finding& f : out.found) {
      if (f.check == checks::schema) schema_ok = false;
      if (f.check == checks::schema_unknown_property) declared = false;
      f.pointer = pointer + f.pointer;
      f.message = prefix + f.message;
    }
    tally(k_examples, checks::schema, schema_ok);
    tally(k_examples, checks::schema_unknown_property, declared);
    out.verdict = out.found.empty() ? "it is valid as " + name
                                    : "it has " + counted(out.found.size(), "finding") + " as " +
                                          name + ", marked (recovered)";
    return out;
  }

  // x-oaiMeta.examples of an operation: {request, response} or a list of them. A response is
  // JSON text (or a JSON value); a request is code in some language ("curl": ...), of which only
  // text that starts like a JSON body ('{' or '[') is taken.
  void operation_examples(const json_value& operation, std::size_t subject) {
    std::optional<json_value> meta = operation.find("x-oaiMeta");
    if (!meta || !meta->is_object()) return;
    std::optional<json_value> examples = meta->find("examples");
    if (!examples) return;
    const std::string base = pointer_ + "/x-oaiMeta/examples";
    std::optional<json_value> success = success_schema(operation);
    const example_target response_target =
        target_for(success, "the operation has no 2xx application/json schema",
                   "the operation's success schema");
    const example_target request_target =
        target_for(request_schema(operation), "the operation has no application/json request body",
                   "the operation's request body schema");
    const auto one = [&](const json_value& entry, const std::string& at, const std::string& nth) {
      if (!entry.is_object()) return;
      if (const std::optional<json_value> response = entry.find("response")) {
        const std::string label = "the response example" + nth + " of " + subjects_[subject];
        if (response->is_string()) {
          example_text(subject, label, at + "/response", response->as_string(), response_target);
        } else {
          example_value(subject, label, at + "/response", *response, response_target);
        }
      }
      std::optional<json_value> request = entry.find("request");
      if (!request) return;
      const auto body = [&](const json_value& text, const std::string& text_pointer,
                            std::string_view language) {
        if (!text.is_string()) return;
        const std::string_view s = text.as_string();
        const std::size_t first = s.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos || (s[first] != '{' && s[first] != '[')) return;
        const std::string label = "the request example" + nth +
                                  (language.empty() ? "" : " (" + excerpt(language, 40) + ")") +
                                  " of " + subjects_[subject];
        example_text(subject, label, text_pointer, s, request_target);
      };
      if (request->is_object()) {
        for (const json_value& language : *request) {
          std::string p = at + "/request";
          append_pointer_token(p, language.key());
          body(language, p, language.key());
        }
      } else {
        body(*request, at + "/request", "");
      }
    };
    if (examples->is_array()) {
      for (auto it = examples->begin(); it != examples->end(); ++it) {
        const std::size_t i = it.index();
        std::string at = base;
        append_pointer_index(at, i);
        one(*it, at, " " + std::to_string(i + 1));
      }
    } else {
      one(*examples, base, "");
    }
  }

  // What a node of `kind` carries as examples, and the checks made where it stands.
  void enter(const frame& f) {
    const json_value node = *f.node;
    const std::string& subject_label = subjects_[f.subject];
    if (!is_map(f.kind) && !is_list(f.kind)) {
      if (const std::optional<json_value> ref = node.find("$ref")) check_ref(*ref, f);
    }
    switch (f.kind) {
      case node_kind::operation: {
        const bool has_success = success_schema(node).has_value();
        if (!has_success) {
          add(f.subject, k_consistency,
              finding{checks::spec_no_success_schema,
                      node.find("responses").has_value() ? pointer_ + "/responses" : pointer_, "",
                      subject_label +
                          " has no 2xx response with an application/json schema: its success "
                          "body cannot be judged"});
        }
        tally(k_consistency, checks::spec_no_success_schema, has_success);
        operation_examples(node, f.subject);
        break;
      }
      case node_kind::parameter:
      case node_kind::header:
      case node_kind::media_type: {
        if (const std::optional<json_value> example = node.find("example")) {
          const std::string_view what = f.kind == node_kind::media_type  ? "a media type"
                                        : f.kind == node_kind::parameter ? "a parameter"
                                                                         : "a header";
          example_value(f.subject,
                        "the example of " + std::string(what) + " in " + subjects_[f.subject],
                        pointer_ + "/example", *example, targets_[f.target]);
        }
        break;
      }
      case node_kind::example_object: {
        const example_target& target = targets_[f.target];
        const std::string label =
            "the example" + (node.key().empty() ? "" : " \"" + excerpt(node.key(), 40) + "\"") +
            " in " + subjects_[f.subject];
        if (const std::optional<json_value> value = node.find("value")) {
          example_value(f.subject, label, pointer_ + "/value", *value, target);
        } else if (node.find("externalValue").has_value()) {
          ++out_.examples;
          add(f.subject, k_examples,
              finding{checks::spec_example_unjudged, pointer_ + "/externalValue", "",
                      label + " is not judged: an externalValue is not fetched"});
          tally(k_examples, checks::spec_example_unjudged, false);
        }
        break;
      }
      case node_kind::schema:
        schema_examples(f);
        break;
      default:
        break;
    }
  }

  // "example", "examples" (a list, 2020-12) and x-oaiMeta.example (JSON text) of a schema:
  // judged by name when the schema is a component, reported unjudged otherwise.
  void schema_examples(const frame& f) {
    const json_value node = *f.node;
    const example_target& target = targets_[f.target];
    const example_target inline_target{"", "its schema is inline, not a component"};
    const bool is_inline = target.name.empty() && target.why_not.empty();
    const example_target& use = is_inline ? inline_target : target;
    // A component's own examples are "of" it; a property's are "in" it, at their pointer.
    const std::string label =
        (is_inline ? "an example in " : "the example of ") + subjects_[f.subject];
    if (const std::optional<json_value> example = node.find("example")) {
      example_value(f.subject, label, pointer_ + "/example", *example, use);
    }
    if (const std::optional<json_value> examples = node.find("examples");
        examples && examples->is_array()) {
      for (auto it = examples->begin(); it != examples->end(); ++it) {
        std::string p = pointer_ + "/examples";
        append_pointer_index(p, it.index());
        example_value(f.subject, label, p, *it, use);
      }
    }
    std::optional<json_value> meta = node.find("x-oaiMeta");
    if (!meta || !meta->is_object()) return;
    std::optional<json_value> example = meta->find("example");
    if (!example) return;
    const std::string p = pointer_ + "/x-oaiMeta/example";
    const std::string meta_label =
        (is_inline ? "an x-oaiMeta example in " : "the x-oaiMeta example of ") +
        subjects_[f.subject];
    if (example->is_string()) {
      example_text(f.subject, meta_label, p, example->as_string(), use);
    } else {
      example_value(f.subject, meta_label, p, *example, use);
    }
  }

  // A "$ref": local and there, then its target is walked (once) as what referred to it.
  void check_ref(const json_value& ref, const frame& f) {
    const std::string at = pointer_ + "/$ref";
    const auto report = [&](std::string why) {
      add(f.subject, k_consistency, finding{checks::spec_unresolved_ref, at, "", std::move(why)});
      tally(k_consistency, checks::spec_unresolved_ref, false);
    };
    if (!ref.is_string()) {
      report("\"$ref\" is not a string");
      return;
    }
    const std::string quoted = excerpt(ref.as_string(), k_max_quoted);
    if (!ref.as_string().starts_with('#')) {
      report("\"$ref\": \"" + quoted +
             "\" is external: not followed (the family is read from this document alone)");
      return;
    }
    std::optional<json_value> target = resolve_local_ref(root_, ref.as_string());
    std::optional<std::string> pointer = percent_decode(ref.as_string().substr(1));
    if (!target || !pointer) {
      report("\"$ref\": \"" + quoted + "\" points at nothing in the document");
      return;
    }
    tally(k_consistency, checks::spec_unresolved_ref, true);
    if (!target->is_object() || walked_.contains(target->id()) ||
        !queued_.insert(target->id()).second)
      return;
    // A component is its own subject: what it says holds for every operation using it.
    // ("#" is the whole document: its pointer is "", which has no '/' to drop.)
    const std::string label =
        pointer->empty() ? "#" : excerpt(std::string_view(*pointer).substr(1), k_max_quoted);
    example_target judged_by = targets_[f.target];
    if (f.kind == node_kind::schema) {
      const std::optional<std::string> name = component_name(f.node);
      judged_by = name ? example_target{*name, ""} : example_target{};
    }
    queue_.push_back(
        {std::move(*pointer), target, f.kind, subject_of(label), std::move(judged_by)});
  }

  // Iterative depth-first walk from `start` (pointer_ is its pointer): no recursion over the
  // document, every container node at most once. `target` is what a schema's examples are
  // judged against when `start` is a schema reached through "$ref".
  void walk(const json_value& start, node_kind kind, std::size_t subject, example_target target) {
    if (!start.is_object() || !walked_.insert(start.id()).second) return;
    if (kind != node_kind::schema && kind != node_kind::example_object) {
      target = own_target(kind, start);
    }
    std::vector<frame> stack;
    stack.push_back({start, kind, pointer_.size(), subject, target_of(std::move(target)),
                     start.begin(), start.end()});
    enter(stack.back());
    while (!stack.empty()) {
      frame& top = stack.back();
      const json_value node = *top.node;
      bool descended = false;
      while (top.next != top.end) {
        const std::size_t i = top.next.index();
        const json_value child = *top.next++;
        std::optional<node_kind> child_kind;
        if (is_list(top.kind)) {
          child_kind = member_kind(top.kind, "");
        } else if (node.is_object()) {
          child_kind = member_kind(top.kind, child.key());
        }
        if (!child_kind) continue;
        // "items": [..] (draft-07's tuple form) is a list of schemas.
        if (*child_kind == node_kind::schema && child.is_array()) {
          child_kind = node_kind::schema_list;
        }
        const bool container = is_list(*child_kind) ? child.is_array() : child.is_object();
        if (!container || !walked_.insert(child.id()).second) continue;
        std::size_t child_subject = top.subject;
        std::size_t child_target = top.target;
        const std::size_t parent_length = pointer_.size();
        if (node.is_array()) {
          append_pointer_index(pointer_, i);
        } else {
          append_pointer_token(pointer_, child.key());
        }
        if (*child_kind == node_kind::operation) {
          const auto known = operation_subjects_.find(child.id());
          child_subject = known != operation_subjects_.end()
                              ? known->second
                              : subject_of(operation_label(child, child.key(), pointer_));
        }
        if (*child_kind == node_kind::schema) {
          child_target = k_inline;  // a schema inside another part is inline
        } else if (*child_kind != node_kind::example_object && !is_map(*child_kind) &&
                   !is_list(*child_kind)) {
          child_target = target_of(own_target(*child_kind, child));
        }
        stack.push_back({child, *child_kind, parent_length, child_subject, child_target,
                         child.begin(), child.end()});
        enter(stack.back());
        descended = true;
        break;
      }
      if (descended) continue;
      pointer_.resize(stack.back().parent_length);
      stack.pop_back();
    }
  }

  const json_value root_;  // a handle: the caller's may be a temporary
  const schema_registry& schemas_;
  spec_lint_report& out_;
  std::string pointer_;  // of the node being looked at
  // Deques: a reference to an element stays valid while check_ref adds more (a vector's would
  // dangle after it grows; fuzz_spec_lint found that).
  std::deque<std::string> subjects_;    // labels findings are attributed to
  std::deque<example_target> targets_;  // what examples under a frame are judged against
  std::unordered_set<std::uint64_t> walked_, queued_;  // json_value::id()
  std::map<std::uint64_t, std::size_t> operation_subjects_;
  std::deque<pending> queue_;
  std::map<std::string, std::size_t, std::less<>> kept_, left_out_;
  std::map<std::string, std::string, std::less<>> left_out_group_;
};

}  // namespace

spec_lint_report lint_spec(const json_value& root, const schema_registry& schemas) {
  spec_lint_report report;
  linter(root, schemas, report).run();
  return report;
}

spec_lint_report lint_spec(const contract& c) {
  return lint_spec(c.document().root(), c.schemas());
}

}  // namespace certharness
