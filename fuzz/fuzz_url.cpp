// fuzz_url: the request targets crawl builds (list pages with limit/order/after, GET by id, the
// project list) against the two parsers that read them back (parse_request_target for serve,
// route_request for replay). Input: a limit selector byte, an order selector byte, then the
// certificate id and the project id, split at the first NUL.
//
// Oracle (round trip): percent_encode output holds only unreserved characters and %XX; every
// target parses back to exactly the values it was built from -- the query is {limit, order,
// after} in that order, the path is the endpoint with the ids' exact bytes -- and replay routes
// it to the operation it was built for, with the same ids and the same endpoint name; no raw
// segment is empty, "." or "..". Ids with '/', '?', '%', '#', '.', unicode never land on a
// different path. Empty ids are not built into paths (crawl skips them; --project refuses one).
// Every operation of the operation table, its path built with the ids, matches back to itself
// with the same ids -- unless an id is a literal segment of the table ("activate"), which the
// concrete path takes, as OpenAPI matches.
//
// Oracle (loopback gate): the bytes after the selectors, and "http://" + the id, as a --base-url.
// A base check_base_url accepts is http or https; request URLs built on it, read again by
// curl_url() on its own, have no userinfo and the host the text had for curl; over plain http
// that host is localhost, 127.0.0.0/8 or ::1 by inet_pton, without a zone. A refused base
// yields no URL.
#include <algorithm>
#include <cctype>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <strings.h>

#include "certharness/conformance/list_walk.hpp"
#include "certharness/conformance/replay_run.hpp"
#include "certharness/http/http_message.hpp"
#include "certharness/http/url.hpp"
#include "certharness/schema/operation_table.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace certharness;
using query = std::vector<std::pair<std::string, std::string>>;

constexpr fuzz::failure fail{"fuzz_url", "expected", "got"};

std::string show(const query& q) {
  std::string out;
  for (const auto& [k, v] : q) out += "{" + k + "=" + v + "}";
  return out;
}

void check_encoding(const std::string& enc) {
  for (std::size_t i = 0; i < enc.size(); ++i) {
    const char c = enc[i];
    if (std::isalnum(static_cast<unsigned char>(c)) ||
        std::string_view("-._~").find(c) != std::string_view::npos)
      continue;
    if (c == '%' && i + 2 < enc.size() && std::isxdigit(static_cast<unsigned char>(enc[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(enc[i + 2]))) {
      i += 2;
      continue;
    }
    fail("percent_encode output is neither unreserved nor %XX", "[A-Za-z0-9-._~] and %XX", enc);
  }
}

// The target must parse to `path` and `q`, and route (under any base path) to `op` with `ids`.
void check_target(const std::string& target, const std::string& path, const query& q,
                  certificate_operation op, const std::string& certificate_id,
                  const std::string& project_id, const std::string& endpoint) {
  // No segment a client or server would collapse: "", "." or ".." (the raw target, as sent).
  const std::string raw_path = target.substr(0, target.find('?'));
  for (std::size_t at = 1, end; at <= raw_path.size(); at = end + 1) {
    end = std::min(raw_path.find('/', at), raw_path.size());
    const std::string segment = raw_path.substr(at, end - at);
    if (segment.empty() || segment == "." || segment == "..") {
      fail("a built path has an empty or dot segment", "segments that are ids", target);
    }
  }
  const auto parsed = parse_request_target(target);
  if (!parsed) fail("parse_request_target refused a built target", path, target);
  if (parsed->path != path) fail("path did not round-trip", path, parsed->path);
  if (parsed->query != q) fail("query did not round-trip", show(q), show(parsed->query));
  const auto routed = route_request("GET", "http://127.0.0.1:9/v1" + target);
  if (!routed || routed->operation != op || routed->certificate_id != certificate_id ||
      routed->project_id != project_id || routed->query != q ||
      (!endpoint.empty() && routed->endpoint != endpoint)) {
    fail("replay routed a built target elsewhere", target,
         routed ? "operation " + std::to_string(static_cast<int>(routed->operation)) + " id '" +
                      routed->certificate_id + "' project '" + routed->project_id + "' endpoint '" +
                      routed->endpoint + "' query " + show(routed->query)
                : "not routed");
  }
}

// One part as curl_url() reads `url` (PATH_AS_IS, as the transport); nullopt if it has none or
// curl refuses the URL.
std::optional<std::string> curl_part(const std::string& url, CURLUPart which) {
  CURLU* u = curl_url();
  char* text = nullptr;
  std::optional<std::string> out;
  if (u &&
      curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS) ==
          CURLUE_OK &&
      curl_url_get(u, which, &text, 0) == CURLUE_OK && text) {
    out = text;
  }
  curl_free(text);
  curl_url_cleanup(u);
  return out;
}

bool reference_loopback(const std::string& host) {
  unsigned char addr[16];
  if (strcasecmp(host.c_str(), "localhost") == 0) return true;
  if (inet_pton(AF_INET, host.c_str(), addr) == 1) return addr[0] == 127;
  const std::string inner = host.size() > 2 ? host.substr(1, host.size() - 2) : "";
  return !host.empty() && host.front() == '[' && inet_pton(AF_INET6, inner.c_str(), addr) == 1 &&
         std::string(reinterpret_cast<char*>(addr), 16) == std::string(15, '\0') + '\1';
}

// The path as parse_request_target decodes it: the template with the ids' exact bytes.
std::string decoded_path(const operation& op, const path_parameters& ids) {
  std::string path = op.path;
  for (const auto& [name, value] : ids) {
    const std::string placeholder = "{" + name + "}";
    if (const std::size_t at = path.find(placeholder); at != std::string::npos) {
      path.replace(at, placeholder.size(), value);
    }
  }
  return path;
}

// Whether a value of a parameter of `op` is, at the parameter's place, a literal segment of a
// template of the same length ("activate"): the concrete path takes it, as OpenAPI matches.
bool shadowed(const operation_table& table, const operation& op, const path_parameters& ids) {
  const auto segments = [](std::string_view path) {
    std::vector<std::string> out;
    for (std::size_t at = 1, end; at <= path.size(); at = end + 1) {
      end = std::min(path.find('/', at), path.size());
      out.emplace_back(path.substr(at, end - at));
    }
    return out;
  };
  const std::vector<std::string> mine = segments(op.path);
  for (const operation& other : table.operations()) {
    const std::vector<std::string> theirs = segments(other.path);
    if (theirs.size() != mine.size()) continue;
    for (std::size_t k = 0; k < mine.size(); ++k) {
      for (const auto& [name, value] : ids) {
        if (mine[k] == "{" + name + "}" && theirs[k] == value) return true;
      }
    }
  }
  return false;
}

// Every operation's built path matches back to it, with the same ids.
void check_table(const std::string& id, const std::string& project) {
  const operation_table& table = operation_table::builtin();
  for (const operation& op : table.operations()) {
    path_parameters ids;
    for (const operation_parameter& p : op.parameters) {
      if (p.in == parameter_location::path) {
        ids.emplace_back(p.name, p.name == "project_id" ? project : id);
      }
    }
    const bool empty =
        std::any_of(ids.begin(), ids.end(), [](const auto& p) { return p.second.empty(); });
    if (empty || shadowed(table, op, ids)) continue;
    const std::string path = operation_table::build_path(op, ids);
    const auto matched = table.match_path(path);
    if (!matched || matched->with_method(op.method) != &op || matched->parameters != ids) {
      fail("the table matched a built path elsewhere", op.method + " " + op.path,
           path + (matched ? " -> allowed " + matched->allowed_methods() : " -> no match"));
    }
  }
}

void check_gate(const std::string& text) {
  const base_url_check got = check_base_url(text);
  if (got.problem) {
    if (!got.url.empty()) fail("a refused base yields a URL", "", got.url);
    return;
  }
  const std::string sent =
      got.url + operation_table::build_target(
                    operation_table::builtin().at(certificate_operation::list_certificates), {},
                    {{"limit", "1"}});
  const std::string scheme = curl_part(sent, CURLUPART_SCHEME).value_or("");
  const std::string host = curl_part(sent, CURLUPART_HOST).value_or("");
  if (scheme != "http" && scheme != "https") fail("gate passed a non-http(s) URL", text, sent);
  if (text.find('\0') != std::string::npos) fail("gate passed a NUL byte", "", sent);
  if (host != curl_part(text, CURLUPART_HOST)) fail("gate moved the host", text, sent);
  for (const std::string& url : {text, sent}) {
    if (curl_part(url, CURLUPART_USER) || curl_part(url, CURLUPART_PASSWORD)) {
      fail("gate passed userinfo", text, sent);
    }
  }
  if (scheme == "http" && (!reference_loopback(host) || curl_part(sent, CURLUPART_ZONEID))) {
    fail("gate passed plain http to a host that is not loopback", text, host);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static const int limits[] = {1, 7, 100, 0, -1, 101, INT_MIN, INT_MAX};
  static const char* const orders[] = {"desc", "asc", "", "ASC", "a&order=b", "%zz", "\xc3\xa9"};
  walk_spec spec;
  spec.limit = limits[data[0] % 8];
  spec.order = orders[data[1] % 7];
  const std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
  const std::string id = rest.substr(0, rest.find('\0'));
  const std::string project = rest.size() > id.size() ? rest.substr(id.size() + 1) : "p";
  check_encoding(percent_encode(id));

  const operation_table& table = operation_table::builtin();
  const operation& list = table.at(certificate_operation::list_certificates);
  spec.endpoint = operation_table::build_path(list, {});
  const query q = {{"limit", std::to_string(spec.limit)}, {"order", spec.order}, {"after", id}};
  check_target(spec.page_target(id), spec.endpoint, q, certificate_operation::list_certificates, "",
               "", spec.endpoint);
  check_target(spec.page_target(std::nullopt), spec.endpoint, {q[0], q[1]},
               certificate_operation::list_certificates, "", "", spec.endpoint);
  const operation& get = table.at(certificate_operation::get_certificate);
  if (const path_parameters ids{{"certificate_id", id}};
      !id.empty() && !shadowed(table, get, ids)) {
    check_target(operation_table::build_path(get, ids), decoded_path(get, ids), {},
                 certificate_operation::get_certificate, id, "", "");
  }
  if (!project.empty()) {
    const operation& project_list = table.at(certificate_operation::list_project_certificates);
    const path_parameters ids{{"project_id", project}};
    spec.endpoint = operation_table::build_path(project_list, ids);
    check_target(spec.page_target(id), decoded_path(project_list, ids), q,
                 certificate_operation::list_project_certificates, "", project, spec.endpoint);
  }
  check_table(id, project);
  check_gate(rest);
  check_gate("http://" + id);
  return 0;
}
