#include "certharness/conformance/crawl_probes.hpp"

#include "certharness/conformance/negative_probes.hpp"
#include "certharness/http/http_client.hpp"

namespace certharness {
namespace {

constexpr std::string_view k_org_endpoint = "/organization/certificates";

}  // namespace

void send_negative_probes(crawl_session& session) {
  const std::string group(k_negative_probes_group);
  const std::string list(k_org_endpoint);
  for (const query_list& query : list_probe_queries()) {
    if (session.stopping()) return;
    std::string target = list;
    for (const auto& [name, value] : query) {
      target += (target == list ? "?" : "&") + percent_encode(name) + "=" + percent_encode(value);
    }
    session.get(target, group, list_expectation("ListCertificatesResponse", query));
  }
  if (session.stopping()) return;
  const std::string id(k_unknown_certificate_id);
  session.get(list + "/" + percent_encode(id), group, get_certificate_expectation(id));
}

}  // namespace certharness
