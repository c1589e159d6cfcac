// `crawl --write-checks`: one throwaway certificate through its whole life (upload, include
// content, listed inactive, rename, activate, deactivate, delete), each step judged in the
// group "write checks", then whatever it made removed (cleanup.failed when that fails).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "certharness/conformance/crawl_session.hpp"
#include "certharness/fake_api/x509_certificate.hpp"
#include "certharness/findings/result.hpp"

namespace certharness {

// What the throwaway certificate is: its name (renamed to name + "-renamed"), its PEM, and the
// validity the PEM states.
struct write_identity {
  std::string name;
  std::string pem;
  certificate_validity validity;
};

// A fresh identity: a random name starting "certharness-write-check-", valid from an hour ago
// for a day. Error: why OpenSSL could not make the certificate.
result<write_identity> make_write_identity();

// The identity of a recorded upload body, when it is the upload of a write check (its name has
// the prefix above and its certificate is a readable PEM); nullopt otherwise.
std::optional<write_identity> recorded_write_identity(std::string_view upload_body);

// Runs the write checks with a fresh identity (replay passes the recorded one). `max_pages`
// bounds each walk of the organization list that looks for the certificate. Cleanup runs even
// when the session is stopping, under the session's cleanup deadline. They drive the session's
// contract: nothing at all unless it has the upload, the delete and the organization list
// drivable (write_checks_drivable), and a step whose operation it lacks is skipped (the caller
// reports those as crawl.not_exercised).
void run_write_checks(crawl_session& session, std::size_t max_pages);
void run_write_checks(crawl_session& session, std::size_t max_pages,
                      const write_identity& identity);

}  // namespace certharness
