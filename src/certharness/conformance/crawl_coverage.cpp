#include "certharness/conformance/crawl_coverage.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "certharness/spec/contract.hpp"

namespace certharness {
namespace {

using k = certificate_operation;

// The operations crawl drives (the walks, GET by id, the probes, --write-checks) and the one path
// parameter it fills in for each ("" for none). The project toggles are known (serve answers
// them, replay judges them) but crawl sends neither.
struct driven_operation {
  certificate_operation kind;
  std::string_view path_parameter;
};
constexpr driven_operation k_driven[] = {
    {k::list_certificates, ""},
    {k::list_project_certificates, "project_id"},
    {k::get_certificate, "certificate_id"},
    {k::upload_certificate, ""},
    {k::modify_certificate, "certificate_id"},
    {k::delete_certificate, "certificate_id"},
    {k::activate_certificates, ""},
    {k::deactivate_certificates, ""},
};

constexpr certificate_operation k_write_operations[] = {
    k::upload_certificate, k::modify_certificate, k::delete_certificate, k::activate_certificates,
    k::deactivate_certificates};

const driven_operation* driven(certificate_operation kind) {
  const auto it = std::find_if(std::begin(k_driven), std::end(k_driven),
                               [kind](const driven_operation& d) { return d.kind == kind; });
  return it == std::end(k_driven) ? nullptr : &*it;
}

std::vector<std::string_view> path_parameters_of(const operation& op) {
  std::vector<std::string_view> out;
  for (const operation_parameter& p : op.parameters) {
    if (p.in == parameter_location::path) out.push_back(p.name);
  }
  return out;
}

// "{a}, {b}", or "none".
std::string braced(const std::vector<std::string_view>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const std::string_view n : names) out += (out.empty() ? "{" : ", {") + std::string(n) + "}";
  return out;
}

// "GET /organization/certificates/{certificate_id} (getCertificate)".
std::string named(const operation& op) {
  std::string out = op.method + " " + op.path;
  if (!op.id.empty()) out += " (" + op.id + ")";
  return out;
}

}  // namespace

const operation* drivable(const operation_table& operations, certificate_operation kind) {
  const driven_operation* d = driven(kind);
  const operation* op = operations.find(kind);
  if (!d || !op) return nullptr;
  const std::vector<std::string_view> declared = path_parameters_of(*op);
  const bool same = d->path_parameter.empty()
                        ? declared.empty()
                        : declared.size() == 1 && declared.front() == d->path_parameter;
  // The table's rows declare every parameter of their template, so filling in the declared ones
  // builds the path.
  return same ? op : nullptr;
}

bool write_checks_drivable(const operation_table& operations) {
  return drivable(operations, k::upload_certificate) &&
         drivable(operations, k::delete_certificate) && drivable(operations, k::list_certificates);
}

std::vector<run_finding> not_exercised(const crawl_options& options) {
  const operation_table& operations = options.spec.get().operations();
  std::vector<run_finding> out;
  // The subject of each is the operation (its method and path template): no request was sent.
  const auto report = [&](const operation* op, std::string message) {
    out.push_back(run_finding{std::string(k_coverage_group), op ? op->method + " " + op->path : "",
                              finding{checks::crawl_not_exercised, "", "",
                                      std::move(message) + ": not exercised", std::nullopt}});
  };

  for (const operation& op : operations.operations()) {
    if (!op.kind) {
      report(&op, named(op) + " is in the contract, but crawl does not know how to drive it");
    } else if (const driven_operation* d = driven(*op.kind); d && !drivable(operations, *op.kind)) {
      report(&op, named(op) + ": crawl fills in " +
                      braced(d->path_parameter.empty()
                                 ? std::vector<std::string_view>{}
                                 : std::vector<std::string_view>{d->path_parameter}) +
                      ", but the contract's path parameters are " + braced(path_parameters_of(op)));
    }
  }

  std::vector<certificate_operation> wanted{k::list_certificates, k::get_certificate};
  if (!options.projects.empty()) wanted.push_back(k::list_project_certificates);
  if (options.write_checks) {
    wanted.insert(wanted.end(), std::begin(k_write_operations), std::end(k_write_operations));
  }
  for (const certificate_operation kind : wanted) {
    if (operations.find(kind)) continue;  // there but not drivable: reported above
    const operation* known = contract::builtin().operations().find(kind);
    report(known, (known ? named(*known) : std::string("an operation")) +
                      ", which this crawl drives, is not in the contract");
  }

  if (options.write_checks && !write_checks_drivable(operations)) {
    for (const certificate_operation kind : k_write_operations) {
      if (const operation* op = drivable(operations, kind)) {
        report(
            op,
            named(*op) +
                ": --write-checks needs the upload, the delete and the organization list, and the "
                "contract does not have all three for crawl to drive");
      }
    }
  }
  return out;
}

}  // namespace certharness
