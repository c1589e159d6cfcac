// The read-only part of a crawl: every list endpoint walked in every order and limit (list.*,
// cert.validity, list.consistency), then each listed organization certificate fetched by id,
// with and without include[]=content (cert.object, cert.validity, cert.consistency).
#pragma once

#include "certharness/conformance/crawl_run.hpp"
#include "certharness/conformance/crawl_session.hpp"

namespace certharness {

// The walks of the organization list and of each project's list; ends early when the session
// fails (the caller reports nothing more then).
void walk_every_list(crawl_session& session, const crawl_options& options);

void get_each_listed(crawl_session& session);

}  // namespace certharness
