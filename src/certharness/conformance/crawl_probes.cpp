#include "certharness/conformance/crawl_probes.hpp"

#include "certharness/conformance/crawl_coverage.hpp"
#include "certharness/conformance/negative_probes.hpp"
#include "certharness/schema/operation_table.hpp"

namespace certharness {

void send_negative_probes(crawl_session& session) {
  using k = certificate_operation;
  const operation_table& table = session.spec().operations();
  const std::string group(k_negative_probes_group);
  // Each probe on an operation the contract has drivable (crawl.not_exercised says otherwise).
  if (const operation* list = drivable(table, k::list_certificates)) {
    for (const query_list& query : list_probe_queries()) {
      if (session.stopping()) return;
      session.get(operation_table::build_target(*list, {}, query), group,
                  list_expectation(std::string(list->success_schema()), query, table));
    }
  }
  const operation* get = drivable(table, k::get_certificate);
  if (!get || session.stopping()) return;
  const std::string id(k_unknown_certificate_id);
  session.get(operation_table::build_path(*get, {{"certificate_id", id}}), group,
              get_certificate_expectation(id, table));
}

}  // namespace certharness
