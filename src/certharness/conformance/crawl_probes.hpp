// Crawl's negative probes (see negative_probes.hpp): requests that each break one rule of the
// API, sent to the organization endpoints, their answers judged in the group "negative probes".
#pragma once

#include "certharness/conformance/crawl_session.hpp"

namespace certharness {

void send_negative_probes(crawl_session& session);

}  // namespace certharness
