#include "certharness/conformance/crawl_probes.hpp"

#include "certharness/conformance/negative_probes.hpp"
#include "certharness/schema/operation_table.hpp"

namespace certharness {

void send_negative_probes(crawl_session& session) {
  using k = certificate_operation;
  const operation_table& table = operation_table::builtin();
  const std::string group(k_negative_probes_group);
  for (const query_list& query : list_probe_queries()) {
    if (session.stopping()) return;
    session.get(table.target(k::list_certificates, {}, query), group,
                list_expectation(table.success_schema(k::list_certificates), query));
  }
  if (session.stopping()) return;
  const std::string id(k_unknown_certificate_id);
  session.get(table.path(k::get_certificate, {{"certificate_id", id}}), group,
              get_certificate_expectation(id));
}

}  // namespace certharness
