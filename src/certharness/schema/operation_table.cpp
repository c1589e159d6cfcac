#include "certharness/schema/operation_table.hpp"

#include <algorithm>
#include <stdexcept>

#include "certharness/http/url.hpp"
#include "certharness/http/http_message.hpp"

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

// ---- The contract compiled in: the certificates family of the official OpenAPI document
// (openai/openai-openapi f85dbe2), parameter for parameter.

operation_parameter path_parameter(std::string name) {
  operation_parameter p;
  p.name = std::move(name);
  p.in = parameter_location::path;
  p.required = true;
  return p;
}

// limit, after, order of both lists. limit's 1..100 is in its description only.
std::vector<operation_parameter> page_parameters() {
  operation_parameter limit;
  limit.name = "limit";
  limit.type = parameter_type::integer;
  limit.default_value = "20";
  limit.minimum = 1;
  limit.maximum = 100;
  limit.bounds_in_prose_only = true;
  operation_parameter after;
  after.name = "after";
  operation_parameter order;
  order.name = "order";
  order.default_value = "desc";
  order.allowed = {"asc", "desc"};
  return {limit, after, order};
}

operation_parameter include_parameter() {
  operation_parameter include;
  include.name = "include";
  include.type = parameter_type::string_array;
  include.allowed = {"content"};
  include.brackets = true;
  return include;
}

// Every operation answers its success schema with 200, and 429 TooManyRequests (an
// ErrorResponse with Retry-After).
std::vector<operation_response> answers(std::string success) {
  return {{200, std::move(success), {}}, {429, "ErrorResponse", {"Retry-After"}}};
}

std::vector<operation> builtin_operations() {
  using k = certificate_operation;
  using s = operation_scope;
  const std::string org_list = "/organization/certificates";
  const std::string org_one = "/organization/certificates/{certificate_id}";
  const std::string project_list = "/organization/projects/{project_id}/certificates";
  const operation_parameter id = path_parameter("certificate_id");
  const operation_parameter project = path_parameter("project_id");
  std::vector<operation_parameter> project_page = page_parameters();
  project_page.insert(project_page.begin(), project);
  return {
      {"listOrganizationCertificates", k::list_certificates, "GET", org_list, s::organization, true,
       page_parameters(), std::nullopt, answers("ListCertificatesResponse")},
      {"uploadCertificate",
       k::upload_certificate,
       "POST",
       org_list,
       s::organization,
       false,
       {},
       "UploadCertificateRequest",
       answers("Certificate")},
      {"getCertificate",
       k::get_certificate,
       "GET",
       org_one,
       s::organization,
       false,
       {id, include_parameter()},
       std::nullopt,
       answers("Certificate")},
      {"modifyCertificate",
       k::modify_certificate,
       "POST",
       org_one,
       s::organization,
       false,
       {id},
       "ModifyCertificateRequest",
       answers("Certificate")},
      {"deleteCertificate",
       k::delete_certificate,
       "DELETE",
       org_one,
       s::organization,
       false,
       {id},
       std::nullopt,
       answers("DeleteCertificateResponse")},
      {"activateOrganizationCertificates",
       k::activate_certificates,
       "POST",
       org_list + "/activate",
       s::organization,
       false,
       {},
       "ToggleCertificatesRequest",
       answers("OrganizationCertificateActivationResponse")},
      {"deactivateOrganizationCertificates",
       k::deactivate_certificates,
       "POST",
       org_list + "/deactivate",
       s::organization,
       false,
       {},
       "ToggleCertificatesRequest",
       answers("OrganizationCertificateDeactivationResponse")},
      {"listProjectCertificates", k::list_project_certificates, "GET", project_list, s::project,
       true, project_page, std::nullopt, answers("ListProjectCertificatesResponse")},
      {"activateProjectCertificates",
       k::activate_project_certificates,
       "POST",
       project_list + "/activate",
       s::project,
       false,
       {project},
       "ToggleCertificatesRequest",
       answers("OrganizationProjectCertificateActivationResponse")},
      {"deactivateProjectCertificates",
       k::deactivate_project_certificates,
       "POST",
       project_list + "/deactivate",
       s::project,
       false,
       {project},
       "ToggleCertificatesRequest",
       answers("OrganizationProjectCertificateDeactivationResponse")},
  };
}

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

operation_table::operation_table(std::vector<operation> operations)
    : operations_(std::move(operations)) {
  for (const operation& op : operations_) {
    const auto refuse = [&](const std::string& why) {
      throw std::invalid_argument("operation " + op.id + " (" + op.method + " " + op.path +
                                  "): " + why);
    };
    std::vector<std::string> segments;
    if (op.path.empty() || op.path.front() != '/') refuse("the path does not start with '/'");
    for (std::string_view rest = std::string_view(op.path).substr(1);;) {
      const std::size_t slash = rest.find('/');
      const std::string_view segment = rest.substr(0, slash);
      if (segment.empty()) refuse("the path has an empty segment");
      if (is_parameter(segment)) {
        const operation_parameter* p = op.parameter(parameter_name(segment));
        if (!p || p->in != parameter_location::path) {
          refuse("{" + std::string(parameter_name(segment)) + "} is not a path parameter");
        }
      } else if (segment.find_first_of("{}%") != std::string_view::npos) {
        refuse("the segment \"" + std::string(segment) + "\" is neither literal nor {name}");
      }
      segments.emplace_back(segment);
      if (slash == std::string_view::npos) break;
      rest.remove_prefix(slash + 1);
    }
    for (std::size_t i = 0; i < templates_.size(); ++i) {
      if (operations_[i].method == op.method && operations_[i].path == op.path) {
        refuse("a second operation with the same method and path");
      }
    }
    max_segments_ = std::max(max_segments_, segments.size());
    templates_.push_back(std::move(segments));
  }
}

const operation_table& operation_table::builtin() {
  static const operation_table table(builtin_operations());
  return table;
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
