#include "certharness/spec/openapi_document.hpp"

#include <utility>

#include "certharness/http/url.hpp"
#include "certharness/io/bounded_input.hpp"
#include "certharness/json/json_pointer.hpp"
#include "certharness/spec/yaml_reader.hpp"

namespace certharness {

std::string spec_error::describe(std::string_view source) const {
  std::string out(source);
  if (position) {
    out +=
        ": line " + std::to_string(position->line) + ", column " + std::to_string(position->column);
  }
  if (!pointer.empty()) out += ": at " + pointer;
  out += ": " + message;
  return out;
}

namespace {

spec_error error_at(std::string pointer, std::string message,
                    std::optional<text_position> position = std::nullopt) {
  return spec_error{std::move(pointer), std::move(message), position};
}

bool looks_like_json(std::string_view bytes) {
  for (char c : bytes) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

// The document keeps `bytes`: the JSON made from YAML is moved in, not copied.
result<openapi_document, spec_error> from_json(std::string bytes, std::string source,
                                               spec_format format, const spec_limits& limits) {
  decode_result decoded =
      decode_owned_json(std::move(bytes), decode_limits{limits.max_bytes, limits.max_depth});
  if (!decoded.ok()) {
    for (const finding& f : decoded.problems) {
      if (f.level != severity::error) continue;
      // A position in the JSON text made from YAML would mislead: the pointer says where.
      return failure(
          error_at(f.pointer, f.message, format == spec_format::json ? f.position : std::nullopt));
    }
    return failure(error_at("", "the document is not JSON"));
  }
  const json_value root = decoded.document->root();
  if (!root.is_object()) return failure(error_at("", "an OpenAPI document is a JSON/YAML object"));
  const std::optional<json_value> version = root.find("openapi");
  if (!version || !version->is_string()) {
    return failure(error_at("", "no \"openapi\" version string: not an OpenAPI document"));
  }
  return openapi_document{std::move(*decoded.document), format, std::move(source)};
}

}  // namespace

result<openapi_document, spec_error> parse_openapi(std::string_view bytes, std::string source,
                                                   const spec_limits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return failure(error_at("", "the document is " + std::to_string(bytes.size()) +
                                    " bytes, over the limit of " +
                                    std::to_string(limits.max_bytes) + " bytes"));
  }
  if (looks_like_json(bytes)) {
    return from_json(std::string(bytes), std::move(source), spec_format::json, limits);
  }
  result<std::string, spec_error> json = yaml_to_json(bytes, limits);
  if (!json) return failure(json.error());
  return from_json(std::move(*json), std::move(source), spec_format::yaml, limits);
}

result<openapi_document, spec_error> load_openapi_file(const std::string& path,
                                                       const spec_limits& limits) {
  auto read = read_bounded(path, limits.max_bytes);
  if (!read) {
    // bounded_input's message starts with the path, which describe() puts first already.
    std::string why = std::move(read).error();
    if (why.starts_with(path + ": ")) why.erase(0, path.size() + 2);
    return failure(error_at("", std::move(why)));
  }
  if (read->over_limit) {
    return failure(error_at(
        "", "the document is " + read->over_limit_message(limits.max_bytes, limits.max_bytes)));
  }
  return parse_openapi(read->bytes, path, limits);
}

bool is_family_path(std::string_view path) noexcept {
  constexpr std::string_view organization = "/organization/certificates";
  constexpr std::string_view projects = "/organization/projects/{";
  const auto below = [](std::string_view rest) { return rest.empty() || rest.front() == '/'; };
  if (path.starts_with(organization)) return below(path.substr(organization.size()));
  if (!path.starts_with(projects)) return false;
  std::string_view rest = path.substr(projects.size());
  const std::size_t close = rest.find('}');
  if (close == 0 || close == std::string_view::npos) return false;
  if (rest.substr(0, close).find('/') != std::string_view::npos) return false;
  rest.remove_prefix(close + 1);
  constexpr std::string_view certificates = "/certificates";
  return rest.starts_with(certificates) && below(rest.substr(certificates.size()));
}

std::optional<json_value> resolve_local_ref(const json_value& root, std::string_view ref) {
  if (!ref.starts_with('#')) return std::nullopt;
  const std::optional<std::string> pointer = percent_decode(ref.substr(1));
  if (!pointer) return std::nullopt;
  return resolve_pointer(root, *pointer);
}

}  // namespace certharness
