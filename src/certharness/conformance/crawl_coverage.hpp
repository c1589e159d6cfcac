// What of the contract a crawl drives (internal to the conformance concern). Crawl knows how to
// drive the operations certificate_operation names, filling in the path parameters it knows
// ({certificate_id}, {project_id}). An operation of the contract it cannot drive, and one it
// would drive that the contract lacks, is reported as not exercised (crawl.not_exercised), never
// ignored, and never driven against a contract that does not describe it.
#pragma once

#include <string_view>
#include <vector>

#include "certharness/conformance/crawl_run.hpp"
#include "certharness/findings/check_tally.hpp"
#include "certharness/schema/operation_table.hpp"

namespace certharness {

// The group crawl.not_exercised findings are reported in (no request was sent for them).
inline constexpr std::string_view k_coverage_group = "coverage";

// The row of `kind` in `operations` when crawl can drive it: there is one, and its path has
// exactly the parameters crawl fills in for that kind (a document naming GET by id's parameter
// {cert_id} is not driven with {certificate_id}). nullptr otherwise.
const operation* drivable(const operation_table& operations, certificate_operation kind);

// Whether --write-checks can run on `operations` at all: the upload, the delete and the
// organization list are drivable, so that whatever an upload makes can be found and removed.
bool write_checks_drivable(const operation_table& operations);

// The crawl.not_exercised findings of a crawl with `options` (of options.spec), each in the group
// "coverage" with the operation's method and path template as its subject, in this order:
// - every operation of the contract crawl cannot drive (no certificate_operation, or a path with
//   other parameters than crawl fills in), named by method, path and operationId;
// - every operation this crawl would drive (the lists, GET by id; the project list with
//   --project; the writes with --write-checks) that the contract does not have drivable,
//   named as the built-in contract has it;
// - with --write-checks that cannot run (write_checks_drivable), every write operation of the
//   contract it would have driven.
// None for the built-in contract.
std::vector<run_finding> not_exercised(const crawl_options& options);

}  // namespace certharness
