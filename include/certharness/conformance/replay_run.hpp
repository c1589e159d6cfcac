// `certharness replay` as a library call: an offline re-check of recorded exchanges (HAR from
// this tool, browsers or mitmproxy), judged exactly as a live crawl judges them, with the same
// groups and check ids, so that record → replay gives the same findings.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/conformance/certificate_checks.hpp"
#include "certharness/findings/check_tally.hpp"
#include "certharness/har/har.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/report/run_report.hpp"
#include "certharness/schema/operation_table.hpp"
#include "certharness/spec/contract.hpp"

namespace certharness {

struct routed_request {
  certificate_operation operation;
  const struct operation* contract = nullptr;  // its row of the operation table
  // The path of the scope's list, as crawl names its walks (the list's path built from the
  // table, ids percent-encoded).
  std::string endpoint;
  std::string certificate_id;                              // {id}, decoded
  std::string project_id;                                  // {project_id}, decoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
};

// Routes an absolute URL by method and path template of `operations` (match_suffix): the
// template is matched against a suffix of the decoded path, so any base path ("/v1", a proxy
// prefix, none) is accepted. nullopt: not an operation of the certificates API (another API, a
// method the path does not have, a malformed URL), or one `operations` gives no
// certificate_operation.
std::optional<routed_request> route_request(
    std::string_view method, std::string_view url,
    const operation_table& operations = contract::builtin().operations());

struct replay_options {
  // The walk bound list.max_pages judges by; crawl's default, as recordings come from it.
  std::size_t max_pages = 1000;
  // What entries are routed by and judged against (--spec); the one compiled in by default.
  std::reference_wrapper<const contract> spec = contract::builtin();
  // --engine: who decides whether a body is valid (the findings are the same either way).
  validation_engine engine = validation_engine::compiled;
  // --drift: sum every 2xx JSON answer's fields per operation against the schema it was judged
  // by (drift_summary.hpp); its notes come after the other findings, in groups "drift ...".
  bool drift = false;
};

// Judges every entry of every archive, offline:
// - entries that do not route are skipped and counted (report.skipped);
// - retries as crawl makes them (an entry answered 0, 429 or 5xx followed by one with the same
//   method and URL) are one request of several attempts; only a retried 429 is judged
//   (http.retry_after), the last attempt gets every check;
// - request bodies of uploads, modifications and toggles are validated against their schema
//   (check "schema", messages saying "request body");
// - crawl's --write-checks (from an upload whose name starts "certharness-write-check-" and whose
//   certificate is a readable PEM): the write checks run again, each request answered by the
//   next recorded exchange, so they give the findings crawl gave (group "write checks");
// - responses: status 0 is http.transport; otherwise check_response with the operation's
//   success schema; an entry without a recorded body (browsers leave some out) gets no
//   response checks at all, as nothing about it can be judged fairly;
// - negative probes (a request breaking a rule of negative_probes.hpp: a list with a limit
//   outside 1..100 or an order other than asc/desc, a GET of an id starting
//   "cert_certharness_does_not_exist") expect a 4xx, group "negative probes"; a GET of an id
//   deleted earlier in the archive expects one too (group "write checks"). Their answers are
//   judged as crawl judges them: by the operation's schema for the status;
// - GET by id: group "get by id", cert.object, cert.validity, and cert.consistency against
//   the first organization list item of that id;
// - list pages: cert.validity per item; pages are grouped by (endpoint, order default desc,
//   limit default 20) across all archives and chained with walk_list: every page without
//   `after` starts a walk, each next page is the earliest unused one whose `after` is the
//   previous last_id, so shuffled or concatenated recordings chain as they were made. A page
//   no walk reached (its first page was not recorded) starts a partial walk of its own, judged
//   by check_walk with its real `after`, but left out of list.consistency, which compares
//   whole walks only.
// Bodies and headers are moved out of the entries (no copy of the archive is made).
run_report replay(std::vector<std::vector<har_entry>> archives, const replay_options& options = {});

}  // namespace certharness
