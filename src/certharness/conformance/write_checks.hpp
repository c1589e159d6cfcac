// `crawl --write-checks`: one throwaway certificate through its whole life (upload, include
// content, listed inactive, rename, activate, deactivate, delete), each step judged in the
// group "write checks", then whatever it made removed (cleanup.failed when that fails).
#pragma once

#include <cstddef>

#include "certharness/conformance/crawl_session.hpp"

namespace certharness {

// `max_pages` bounds each walk of the organization list that looks for the certificate. Cleanup
// runs even when the session is stopping, under the session's cleanup deadline.
void run_write_checks(crawl_session& session, std::size_t max_pages);

}  // namespace certharness
