#include "certharness/schema/operation_table.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "certharness/http/http_message.hpp"
#include "certharness/http/url.hpp"

namespace certharness {
namespace {

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::string_view parameter_name(std::string_view segment) {
  return segment.substr(1, segment.size() - 2);
}

std::string_view value_of(const path_parameters& parameters, std::string_view name) {
  for (const auto& [key, value] : parameters) {
    if (key == name) return value;
  }
  return {};
}

// The operations certharness drives, by method and template shape (see template_shape).
struct known_operation {
  certificate_operation kind;
  std::string_view method;
  std::string_view shape;
};
constexpr known_operation k_known[] = {
    {certificate_operation::list_certificates, "GET", "/organization/certificates"},
    {certificate_operation::upload_certificate, "POST", "/organization/certificates"},
    {certificate_operation::get_certificate, "GET", "/organization/certificates/{}"},
    {certificate_operation::modify_certificate, "POST", "/organization/certificates/{}"},
    {certificate_operation::delete_certificate, "DELETE", "/organization/certificates/{}"},
    {certificate_operation::activate_certificates, "POST", "/organization/certificates/activate"},
    {certificate_operation::deactivate_certificates, "POST",
     "/organization/certificates/deactivate"},
    {certificate_operation::list_project_certificates, "GET",
     "/organization/projects/{}/certificates"},
    {certificate_operation::activate_project_certificates, "POST",
     "/organization/projects/{}/certificates/activate"},
    {certificate_operation::deactivate_project_certificates, "POST",
     "/organization/projects/{}/certificates/deactivate"},
};
constexpr std::string_view k_project_prefix = "/organization/projects/{}/";

}  // namespace

const operation_parameter* operation::parameter(std::string_view name) const {
  for (const operation_parameter& p : parameters) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const operation_response* operation::response(int status) const {
  for (const operation_response& r : responses) {
    if (r.status == status) return &r;
  }
  return nullptr;
}

std::string_view operation::success_schema() const {
  for (const operation_response& r : responses) {
    if (r.status >= 200 && r.status < 300) return r.schema;
  }
  return {};
}

const operation* path_match::with_method(std::string_view method) const {
  for (const operation* op : operations) {
    if (op->method == method) return op;
  }
  return nullptr;
}

std::string path_match::allowed_methods() const {
  std::string out;
  for (const operation* op : operations) out += (out.empty() ? "" : ", ") + op->method;
  return out;
}

std::string_view path_match::parameter(std::string_view name) const {
  return value_of(parameters, name);
}

std::string_view operation_match::parameter(std::string_view name) const {
  return value_of(parameters, name);
}

result<std::vector<std::string>> template_segments(std::string_view path) {
  if (path.empty() || path.front() != '/') return failure("the path does not start with '/'");
  std::vector<std::string> segments;
  for (std::string_view rest = path.substr(1);;) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty()) return failure("the path has an empty segment");
    const bool well_formed =
        is_parameter(segment)
            ? parameter_name(segment).find_first_of("{}") == std::string_view::npos
            : segment.find_first_of("{}%") == std::string_view::npos;
    if (!well_formed) {
      return failure("the segment \"" + std::string(segment) + "\" is neither literal nor {name}");
    }
    segments.emplace_back(segment);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return segments;
}

std::string template_shape(std::span<const std::string> segments) {
  std::string shape;
  for (const std::string& segment : segments)
    shape += '/' + (is_parameter(segment) ? "{}" : segment);
  return shape;
}

std::optional<certificate_operation> certificate_operation_of(std::string_view method,
                                                              std::string_view path) {
  const auto segments = template_segments(path);
  if (!segments) return std::nullopt;
  const std::string shape = template_shape(*segments);
  for (const known_operation& known : k_known) {
    if (known.method == method && known.shape == shape) return known.kind;
  }
  return std::nullopt;
}

operation_scope scope_of(std::string_view path) {
  const auto segments = template_segments(path);
  return segments && template_shape(*segments).starts_with(k_project_prefix)
             ? operation_scope::project
             : operation_scope::organization;
}

operation_table::operation_table(std::vector<operation> operations)
    : operations_(std::move(operations)) {
  std::set<std::pair<std::string_view, std::string>> seen;  // method, shape
  for (const operation& op : operations_) {
    const auto refuse = [&](const std::string& why) {
      throw std::invalid_argument("operation " + op.id + " (" + op.method + " " + op.path +
                                  "): " + why);
    };
    auto segments = template_segments(op.path);
    if (!segments) refuse(segments.error());
    // The first parameter of each name (what parameter(name) finds), in a set: rows from a
    // hostile document stay n log n.
    std::set<std::string_view> names, path_names;
    for (const operation_parameter& p : op.parameters) {
      if (names.insert(p.name).second && p.in == parameter_location::path)
        path_names.insert(p.name);
    }
    for (const std::string& segment : *segments) {
      if (is_parameter(segment) && !path_names.contains(parameter_name(segment))) {
        refuse("{" + std::string(parameter_name(segment)) + "} is not a path parameter");
      }
    }
    if (!seen.emplace(op.method, template_shape(*segments)).second) {
      refuse("a second operation with the same method and path");
    }
    max_segments_ = std::max(max_segments_, segments->size());
    templates_.push_back(std::move(*segments));
  }
}

const operation* operation_table::find(certificate_operation kind) const noexcept {
  for (const operation& op : operations_) {
    if (op.kind == kind) return &op;
  }
  return nullptr;
}

const operation& operation_table::at(certificate_operation kind) const {
  const operation* op = find(kind);
  if (!op) throw std::out_of_range("the operation table has no row of this kind");
  return *op;
}

std::optional<path_match> operation_table::match_path(std::span<const std::string> segments) const {
  // The matching template with a literal at the first position where matching ones differ.
  const std::vector<std::string>* best = nullptr;
  const auto more_concrete = [](const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (is_parameter(a[k]) != is_parameter(b[k])) return !is_parameter(a[k]);
    }
    return false;
  };
  for (const std::vector<std::string>& t : templates_) {
    if (t.size() != segments.size()) continue;
    bool fits = true;
    for (std::size_t k = 0; k < t.size() && fits; ++k) {
      fits = is_parameter(t[k]) ? !segments[k].empty() : segments[k] == t[k];
    }
    if (fits && (!best || more_concrete(t, *best))) best = &t;
  }
  if (!best) return std::nullopt;
  path_match out;
  for (std::size_t k = 0; k < best->size(); ++k) {
    if (is_parameter((*best)[k])) {
      out.parameters.emplace_back(std::string(parameter_name((*best)[k])), segments[k]);
    }
  }
  for (std::size_t i = 0; i < operations_.size(); ++i) {
    if (templates_[i] == *best) out.operations.push_back(&operations_[i]);
  }
  return out;
}

std::optional<path_match> operation_table::match_path(std::string_view raw_path) const {
  if (static_cast<std::size_t>(std::count(raw_path.begin(), raw_path.end(), '/')) > max_segments_) {
    return std::nullopt;
  }
  const std::optional<std::vector<std::string>> segments = path_segments(raw_path);
  if (!segments) return std::nullopt;
  return match_path(std::span<const std::string>(*segments));
}

std::optional<operation_match> operation_table::match_suffix(
    std::string_view method, std::span<const std::string> segments) const {
  for (std::size_t n = std::min(max_segments_, segments.size()); n > 0; --n) {
    std::optional<path_match> path = match_path(segments.subspan(segments.size() - n));
    if (!path) continue;
    if (const operation* op = path->with_method(method)) {
      return operation_match{op, std::move(path->parameters)};
    }
  }
  return std::nullopt;
}

std::string operation_table::build_path(const operation& op, const path_parameters& parameters) {
  std::string out;
  for (std::string_view rest = op.path; !rest.empty();) {
    rest.remove_prefix(1);  // the '/'
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    out += '/';
    if (!is_parameter(segment)) {
      out += segment;
      continue;
    }
    const auto given = std::find_if(parameters.begin(), parameters.end(), [&](const auto& p) {
      return p.first == parameter_name(segment);
    });
    if (given == parameters.end()) {
      throw std::invalid_argument("no value for {" + std::string(parameter_name(segment)) +
                                  "} of " + op.path);
    }
    out += percent_encode(given->second);
  }
  return out;
}

std::string operation_table::build_target(const operation& op, const path_parameters& parameters,
                                          const query_parameters& query) {
  std::string target = build_path(op, parameters);
  for (const auto& [name, value] : query) append_query(target, name, value);
  return target;
}

std::string operation_table::path(certificate_operation kind,
                                  const path_parameters& parameters) const {
  return build_path(at(kind), parameters);
}

std::string operation_table::target(certificate_operation kind, const path_parameters& parameters,
                                    const query_parameters& query) const {
  return build_target(at(kind), parameters, query);
}

std::string operation_table::success_schema(certificate_operation kind) const {
  return std::string(at(kind).success_schema());
}

}  // namespace certharness
