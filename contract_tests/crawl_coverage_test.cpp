// What of the contract a crawl drives: with the built-in contract, everything it knows; with a
// contract from another document, an operation crawl cannot drive, or one the contract lacks, is a
// crawl.not_exercised warning naming it, and the parts of the crawl skip it rather than drive it
// against a contract that does not describe it.
#include "certharness/conformance/crawl_coverage.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "certharness/conformance/crawl_probes.hpp"
#include "certharness/conformance/crawl_walks.hpp"
#include "certharness/conformance/write_checks.hpp"
#include "edited_contract.hpp"
#include "in_memory_session.hpp"

namespace certharness {
namespace {

using k = certificate_operation;
using test_support::edited_contract;
using test_support::in_memory_session;
using test_support::row_of;
using test_support::without;

// "POST /organization/certificates/activate (activateOrganizationCertificates)", as the built-in
// contract names an operation.
std::string named(k kind) {
  const operation& op = contract::builtin().operations().at(kind);
  return op.method + " " + op.path + " (" + op.id + ")";
}

std::vector<std::string> messages(const std::vector<run_finding>& found) {
  std::vector<std::string> out;
  for (const run_finding& f : found) out.push_back(f.what.message);
  return out;
}

crawl_options options_of(const contract& spec, bool write_checks, bool project = false) {
  crawl_options options;
  options.spec = spec;
  options.write_checks = write_checks;
  if (project) options.projects = {"proj_1"};
  return options;
}

// Requests sent whose method and path (without the query) are those of `kind`'s row in the
// built-in contract, any id filled in.
std::size_t sent_to(const in_memory_session& session, k kind) {
  const operation& op = contract::builtin().operations().at(kind);
  std::size_t n = 0;
  for (const request_record& r : session.report.requests) {
    const std::string path = r.request.substr(0, r.request.find('?'));
    const std::size_t space = path.find(' ');
    if (path.substr(0, space) != op.method) continue;
    const auto matched = contract::builtin().operations().match_path(path.substr(space + 1));
    if (matched && matched->with_method(op.method) == &op) ++n;
  }
  return n;
}

TEST(crawl_coverage, the_built_in_contract_leaves_nothing_out) {
  const contract& builtin = contract::builtin();
  for (const bool writes : {false, true}) {
    for (const bool project : {false, true}) {
      EXPECT_EQ(messages(not_exercised(options_of(builtin, writes, project))),
                std::vector<std::string>{})
          << "write checks " << writes << ", project " << project;
    }
  }
  for (const k kind : {k::list_certificates, k::list_project_certificates, k::get_certificate,
                       k::upload_certificate, k::modify_certificate, k::delete_certificate,
                       k::activate_certificates, k::deactivate_certificates}) {
    EXPECT_EQ(drivable(builtin.operations(), kind), builtin.operations().find(kind)) << named(kind);
  }
  EXPECT_TRUE(write_checks_drivable(builtin.operations()));
}

TEST(crawl_coverage, an_operation_crawl_does_not_know_how_to_drive_is_not_exercised) {
  const contract spec = edited_contract([](std::vector<operation>& rows) {
    operation rotate;
    rotate.id = "rotateOrganizationCertificates";
    rotate.method = "POST";
    rotate.path = "/organization/certificates/rotate";
    rows.push_back(rotate);
  });
  const std::vector<run_finding> found = not_exercised(options_of(spec, false));
  ASSERT_EQ(found.size(), 1u) << ::testing::PrintToString(messages(found));
  const run_finding& f = found.front();
  EXPECT_EQ(f.what.check, "crawl.not_exercised");
  EXPECT_EQ(f.what.level, severity::warning);
  EXPECT_EQ(f.group, "coverage");
  EXPECT_EQ(f.request, "POST /organization/certificates/rotate") << "the operation, as no request";
  EXPECT_EQ(f.what.message,
            "POST /organization/certificates/rotate (rotateOrganizationCertificates) is in the "
            "contract, but crawl does not know how to drive it: not exercised");
}

// The first version of the document named GET by id's parameter {cert_id}: crawl fills in
// {certificate_id}, so it does not send GET by id at all.
TEST(crawl_coverage, a_path_with_other_parameters_than_crawl_fills_in_is_not_driven) {
  const contract spec = edited_contract([](std::vector<operation>& rows) {
    operation& get = row_of(rows, k::get_certificate);
    get.path = "/organization/certificates/{cert_id}";
    for (operation_parameter& p : get.parameters) {
      if (p.name == "certificate_id") p.name = "cert_id";
    }
  });
  EXPECT_EQ(drivable(spec.operations(), k::get_certificate), nullptr);
  EXPECT_EQ(messages(not_exercised(options_of(spec, false))),
            std::vector<std::string>{
                "GET /organization/certificates/{cert_id} (getCertificate): crawl fills in "
                "{certificate_id}, but the contract's path parameters are {cert_id}: not "
                "exercised"});

  in_memory_session session(test_support::seeded_api(3), spec);
  walk_every_list(session, options_of(spec, false));
  get_each_listed(session);
  send_negative_probes(session);
  EXPECT_GT(sent_to(session, k::list_certificates), 0u);
  EXPECT_EQ(sent_to(session, k::get_certificate), 0u) << "GET by id driven with {certificate_id}";
  EXPECT_EQ(session.errors(), std::vector<std::string>{});
}

TEST(crawl_coverage, an_operation_the_run_would_drive_and_the_contract_lacks_is_skipped) {
  const contract spec = edited_contract([](std::vector<operation>& rows) {
    without(rows, k::activate_certificates);
    without(rows, k::list_project_certificates);
  });
  // Not driven by a read-only crawl without --project: nothing is left out.
  EXPECT_EQ(messages(not_exercised(options_of(spec, false))), std::vector<std::string>{});
  EXPECT_EQ(messages(not_exercised(options_of(spec, true, true))),
            (std::vector<std::string>{
                named(k::list_project_certificates) +
                    ", which this crawl drives, is not in the contract: not exercised",
                named(k::activate_certificates) +
                    ", which this crawl drives, is not in the contract: not exercised"}));

  // The write checks run without the activation: no activate sent, nothing judged wrong, the
  // organization left as found.
  in_memory_session session(test_support::seeded_api(3), spec);
  run_write_checks(session, 10);
  EXPECT_EQ(sent_to(session, k::activate_certificates), 0u);
  EXPECT_GT(sent_to(session, k::deactivate_certificates), 0u);
  EXPECT_GT(sent_to(session, k::upload_certificate), 0u);
  EXPECT_EQ(session.errors(), std::vector<std::string>{});
  EXPECT_TRUE(session.cleaned);
  EXPECT_EQ(session.api.certificate_count(), 3u);

  // Nor are the project's walks sent.
  in_memory_session reads(test_support::seeded_api(3), spec);
  walk_every_list(reads, options_of(spec, false, true));
  EXPECT_GT(sent_to(reads, k::list_certificates), 0u);
  EXPECT_EQ(sent_to(reads, k::list_project_certificates), 0u);
}

// Without the delete, what an upload makes could not be removed: no write check runs, and each
// write operation the contract has is reported as not exercised.
TEST(crawl_coverage, write_checks_that_could_not_clean_up_are_not_run) {
  const contract spec =
      edited_contract([](std::vector<operation>& rows) { without(rows, k::delete_certificate); });
  EXPECT_FALSE(write_checks_drivable(spec.operations()));
  const std::string why =
      ": --write-checks needs the upload, the delete and the organization list, and the contract "
      "does not have all three for crawl to drive: not exercised";
  EXPECT_EQ(messages(not_exercised(options_of(spec, true))),
            (std::vector<std::string>{
                named(k::delete_certificate) +
                    ", which this crawl drives, is not in the contract: not exercised",
                named(k::upload_certificate) + why, named(k::modify_certificate) + why,
                named(k::activate_certificates) + why, named(k::deactivate_certificates) + why}));

  in_memory_session session(test_support::seeded_api(3), spec);
  run_write_checks(session, 10);
  EXPECT_TRUE(session.report.requests.empty());
  EXPECT_EQ(session.api.certificate_count(), 3u);
}

}  // namespace
}  // namespace certharness
