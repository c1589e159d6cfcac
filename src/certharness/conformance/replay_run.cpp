#include "certharness/conformance/replay_run.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "certharness/http/http_client.hpp"
#include "certharness/conformance/list_walk.hpp"
#include "certharness/conformance/negative_probes.hpp"
#include "certharness/conformance/response_checks.hpp"
#include "certharness/http/retry_after.hpp"
#include "certharness/schema/schema_registry.hpp"

namespace certharness {
namespace {

constexpr std::string_view k_org_endpoint = "/organization/certificates";

// Matches the segments after a base path; nullopt when they are no template of ours.
std::optional<routed_request> match_template(std::string_view method,
                                             const std::vector<std::string_view>& s) {
  using op = certificate_operation;
  const bool get = method == "GET", post = method == "POST", del = method == "DELETE";
  const auto toggle = [&](std::string_view word, op on, op off) -> std::optional<op> {
    if (!post) return std::nullopt;
    if (word == "activate") return on;
    if (word == "deactivate") return off;
    return std::nullopt;
  };
  routed_request r{};
  if (s.size() >= 2 && s[0] == "organization" && s[1] == "certificates") {
    r.endpoint = k_org_endpoint;
    if (s.size() == 2 && (get || post)) {
      r.operation = get ? op::list_certificates : op::upload_certificate;
      return r;
    }
    if (s.size() != 3 || s[2].empty()) return std::nullopt;
    if (const auto t = toggle(s[2], op::activate_certificates, op::deactivate_certificates)) {
      r.operation = *t;
      return r;
    }
    if (!get && !post && !del) return std::nullopt;
    r.operation = get    ? op::get_certificate
                  : post ? op::modify_certificate
                         : op::delete_certificate;
    r.certificate_id = s[2];
    return r;
  }
  if (s.size() >= 4 && s.size() <= 5 && s[0] == "organization" && s[1] == "projects" &&
      !s[2].empty() && s[3] == "certificates") {
    r.project_id = s[2];
    r.endpoint = "/organization/projects/" + percent_encode(s[2]) + "/certificates";
    if (s.size() == 4 && get) {
      r.operation = op::list_project_certificates;
      return r;
    }
    if (s.size() != 5) return std::nullopt;
    const auto t =
        toggle(s[4], op::activate_project_certificates, op::deactivate_project_certificates);
    if (!t) return std::nullopt;
    r.operation = *t;
    return r;
  }
  return std::nullopt;
}

std::optional<std::string_view> query_value(const routed_request& r, std::string_view name) {
  for (const auto& [k, v] : r.query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

bool is_list(certificate_operation op) {
  return op == certificate_operation::list_certificates ||
         op == certificate_operation::list_project_certificates;
}

bool writes(certificate_operation op) {
  return !is_list(op) && op != certificate_operation::get_certificate;
}

// The schema of a request body, or nullptr for operations without one.
const char* request_schema(certificate_operation op) {
  using o = certificate_operation;
  switch (op) {
    case o::upload_certificate:
      return "UploadCertificateRequest";
    case o::modify_certificate:
      return "ModifyCertificateRequest";
    case o::activate_certificates:
    case o::deactivate_certificates:
    case o::activate_project_certificates:
    case o::deactivate_project_certificates:
      return "ToggleCertificatesRequest";
    default:
      return nullptr;
  }
}

const char* success_schema(certificate_operation op) {
  using o = certificate_operation;
  switch (op) {
    case o::list_certificates:
      return "ListCertificatesResponse";
    case o::list_project_certificates:
      return "ListProjectCertificatesResponse";
    case o::upload_certificate:
    case o::get_certificate:
    case o::modify_certificate:
      return "Certificate";
    case o::delete_certificate:
      return "DeleteCertificateResponse";
    case o::activate_certificates:
      return "OrganizationCertificateActivationResponse";
    case o::deactivate_certificates:
      return "OrganizationCertificateDeactivationResponse";
    case o::activate_project_certificates:
      return "OrganizationProjectCertificateActivationResponse";
    case o::deactivate_project_certificates:
      return "OrganizationProjectCertificateDeactivationResponse";
  }
  return "";
}

// Attempts crawl would have retried: no response, 429 or 5xx.
bool retryable(const har_entry& e) { return e.status == 0 || e.status == 429 || e.status >= 500; }

// As crawl words a retry in request_record::retries.
std::string retry_reason(const har_entry& e) {
  if (e.status == 0) return "transport error";
  std::string why = std::to_string(e.status);
  // A date counts from when the answer came, as crawl counted it.
  const auto received = e.started + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                        std::chrono::duration<double, std::milli>(e.time_ms));
  if (const auto delay = requested_retry_delay(e.response_headers, received)) {
    why += " (Retry-After " + std::to_string(delay->count()) + " s)";
  }
  return why;
}

// Which walk a list page belongs to: crawl's walk_spec without the bound.
using walk_key = std::tuple<std::string, std::string, int>;  // endpoint, order, limit

struct recorded_page {
  std::optional<std::string> after;
  list_page page;
  std::size_t writes_before = 0;  // successful writes recorded before this page
  bool used = false;
};

// The recorded pages of one walk_key, in archive order, and by their `after`.
struct page_pool {
  std::vector<recorded_page> pages;
  std::unordered_map<std::string, std::deque<std::size_t>> by_after;

  std::optional<list_page> take(std::size_t i) {
    pages[i].used = true;
    return std::move(pages[i].page);
  }
  std::optional<list_page> take_after(const std::string& after) {
    const auto it = by_after.find(after);
    if (it == by_after.end()) return std::nullopt;
    std::deque<std::size_t>& queue = it->second;
    while (!queue.empty() && pages[queue.front()].used) queue.pop_front();
    if (queue.empty()) return std::nullopt;
    const std::size_t i = queue.front();
    queue.pop_front();
    return take(i);
  }
};

// A GET by id, kept to compare with the list once every page is in (cert.consistency).
struct fetched_certificate {
  std::string id;
  bool with_content = false;
  std::string request;
  certificate_fields fields;
};

class replayer {
 public:
  explicit replayer(const replay_options& options) : options_(options) {
    report_.command = "replay";
  }

  run_report run(std::vector<std::vector<har_entry>>& archives) {
    for (std::vector<har_entry>& archive : archives) {
      for (std::size_t i = 0; i < archive.size(); ++i) {
        har_entry& e = archive[i];
        std::optional<routed_request> routed = route_request(e.method, e.url);
        if (!routed) {
          ++report_.skipped;
          continue;
        }
        const bool retried = i + 1 < archive.size() && retryable(e) &&
                             archive[i + 1].method == e.method && archive[i + 1].url == e.url;
        entry(e, *routed, retried);
      }
    }
    judge_walks();
    judge_fetched();
    return std::move(report_);
  }

 private:
  void add(const std::string& group, const std::string& request, finding f) {
    report_.findings.push_back(run_finding{group, request, std::move(f)});
  }

  // Where crawl would have put a request, and what it expects of the answer.
  struct judgement {
    std::string group = "write checks";
    response_expectation expect;
    std::optional<walk_key> walk;  // for a list page
  };

  judgement classify(const routed_request& r) const {
    judgement j;
    j.expect = {success_schema(r.operation), std::nullopt};
    if (is_list(r.operation)) {
      const std::string order(query_value(r, "order").value_or("desc"));
      const std::optional<std::string_view> limit = query_value(r, "limit");
      j.expect = list_expectation(success_schema(r.operation), r.query);
      if (j.expect.broken_rule) {
        j.group = "negative probes";
      } else {
        const int n = limit ? std::stoi(std::string(*limit)) : 20;
        j.walk = walk_key{r.endpoint, order, n};
        j.group = walk_spec{r.endpoint, order, n, options_.max_pages}.label();
      }
    } else if (r.operation == certificate_operation::get_certificate) {
      if (is_unknown_certificate_probe(r.certificate_id)) {
        j.group = "negative probes";
        j.expect = get_certificate_expectation(r.certificate_id);
      } else if (deleted_.contains(r.certificate_id)) {
        j.expect = get_deleted_certificate_expectation();  // a GET after its DELETE must be a 404
      } else {
        j.group = "get by id";
      }
    }
    return j;
  }

  void entry(har_entry& e, const routed_request& r, bool retried) {
    using op = certificate_operation;
    const std::string request = e.method + " " + e.url;
    const auto [group, expect, walk] = classify(r);
    check_tally& tally = report_.groups[group];

    if (retried) {
      // Crawl judges a retried attempt only for the Retry-After it owed.
      if (e.status == 429) {
        const std::optional<std::string> problem =
            retry_after_problem(find_header(e.response_headers, "Retry-After"));
        record(tally, checks::http_retry_after, !problem);
        if (problem) {
          add(group, request, finding{checks::http_retry_after, "", "", *problem, std::nullopt});
        }
      }
      pending_retries_ += (pending_retries_.empty() ? "" : "; ") + retry_reason(e);
      ++pending_attempts_;
      return;
    }
    report_.requests.push_back(
        request_record{request, e.status, pending_attempts_, e.error, std::move(pending_retries_)});
    pending_attempts_ = 1;
    pending_retries_.clear();
    const request_record& sent = report_.requests.back();

    if (const char* schema = request_schema(r.operation); schema && e.request_body) {
      check_request_body(*e.request_body, schema, group, request, tally);
    }
    if (e.status == 0) {
      record(tally, checks::http_transport, false);
      std::string message = e.error.empty() ? "no response recorded" : e.error;
      if (sent.attempts > 1) message += " (after " + std::to_string(sent.attempts) + " attempts)";
      add(group, request, finding{checks::http_transport, "", "", message, std::nullopt});
      return;
    }
    record(tally, checks::http_transport, true);
    if (!e.response_body_recorded) return;

    const client_response response{
        e.status, std::move(e.response_headers), std::move(e.response_body), {}};
    checked_response checked = check_response(response, expect, tally);
    for (finding& f : checked.findings) add(group, request, std::move(f));
    // Only a 2xx answer is a page or a certificate: an error body that looks like one is not.
    if (!checked.document || e.status < 200 || e.status >= 300) return;
    const json_value& root = checked.document->root();
    if (walk) {
      list_page page = read_list_page(root);
      page.request = request;
      check_items(root, group, request, r.operation == op::list_certificates);
      page_pool& pool = pools_[*walk];
      if (pool.pages.empty()) walk_order_.push_back(*walk);
      std::optional<std::string> after(query_value(r, "after"));
      if (after) pool.by_after[*after].push_back(pool.pages.size());
      pool.pages.push_back(recorded_page{std::move(after), std::move(page), writes_});
    } else if (r.operation == op::get_certificate && group == "get by id" && root.is_object()) {
      check_fetched(root, r, group, request, tally);
    } else if (checked.success && writes(r.operation)) {
      ++writes_;
      if (r.operation == op::delete_certificate) deleted_.insert(r.certificate_id);
    }
  }

  void check_request_body(const std::string& body, const char* schema, const std::string& group,
                          const std::string& request, check_tally& tally) {
    const decode_result decoded = decode_json(body);
    findings problems;
    if (!decoded.ok()) {
      const std::string why = decoded.problems.empty() ? "" : ": " + decoded.problems[0].message;
      problems.push_back(finding{checks::schema, "", "",
                                 "the request body is not strict JSON" + why, std::nullopt});
    } else {
      problems = schema_registry::builtin().validate(decoded.document->root(), schema);
      for (finding& f : problems)
        f.message = "request body (" + std::string(schema) + "): " + f.message;
    }
    record(tally, checks::schema, !has_error(problems));
    for (finding& f : problems) add(group, request, std::move(f));
  }

  // cert.validity for every listed item; organization items are what GET by id is compared to.
  void check_items(const json_value& root, const std::string& group, const std::string& request,
                   bool org) {
    findings found;
    auto items = check_list_items(root, report_.groups[group], found);
    for (finding& f : found) add(group, request, std::move(f));
    if (!org) return;
    for (auto& [id, fields] : items) listed_.emplace(std::move(id), std::move(fields));
  }

  void check_fetched(const json_value& root, const routed_request& r, const std::string& group,
                     const std::string& request, check_tally& tally) {
    findings found;
    check_fetched_certificate(root, tally, found);
    for (finding& f : found) add(group, request, std::move(f));
    const std::optional<std::string_view> include = query_value(r, "include[]");
    fetched_.push_back(fetched_certificate{r.certificate_id, include && *include == "content",
                                           request, read_certificate_fields(root)});
  }

  void judge_walks() {
    // Whole walks by endpoint and by the writes before them: walks are compared
    // (list.consistency) only with walks of the same certificate set.
    std::map<std::pair<std::string, std::size_t>, std::vector<walk_result>> whole_walks;
    std::vector<std::string> endpoints;
    for (const walk_key& key : walk_order_) {
      page_pool& pool = pools_[key];
      const walk_spec spec{std::get<0>(key), std::get<1>(key), std::get<2>(key),
                           options_.max_pages};
      if (std::find(endpoints.begin(), endpoints.end(), spec.endpoint) == endpoints.end()) {
        endpoints.push_back(spec.endpoint);
      }
      // Walks from their first page first, then partial walks from pages none of them reached.
      for (const bool whole : {true, false}) {
        for (std::size_t i = 0; i < pool.pages.size(); ++i) {
          if (pool.pages[i].used || pool.pages[i].after.has_value() == whole) continue;
          const std::optional<std::string> start_after = pool.pages[i].after;
          const std::size_t writes_before = pool.pages[i].writes_before;
          walk_result w = walk_list(spec, [&](const std::optional<std::string>& after) {
            return after ? pool.take_after(*after) : pool.take(i);
          });
          if (!whole) {
            w.pages.front().after = start_after;  // walk_list took it for a first page
            check_walk(w);
          }
          for (run_finding& f : w.findings) report_.findings.push_back(std::move(f));
          merge_into(report_.groups[spec.label()], w.tally);
          if (whole) whole_walks[{spec.endpoint, writes_before}].push_back(std::move(w));
        }
      }
    }
    for (const std::string& endpoint : endpoints) {
      check_tally consistency;
      for (const auto& [key, walks] : whole_walks) {
        if (key.first != endpoint) continue;
        for (run_finding& f : check_consistency(walks, consistency)) {
          report_.findings.push_back(std::move(f));
        }
      }
      merge_into(report_.groups[endpoint + " consistency"], consistency);
    }
  }

  void judge_fetched() {
    for (const fetched_certificate& got : fetched_) {
      const auto listed = listed_.find(got.id);
      if (listed == listed_.end()) continue;  // nothing to compare with
      const auto differences =
          certificate_differences(got.fields, got.id, listed->second, got.with_content);
      record(report_.groups["get by id"], checks::cert_consistency, differences.empty());
      for (const auto& [pointer, message] : differences) {
        add("get by id", got.request,
            finding{checks::cert_consistency, pointer, "",
                    "GET by id disagrees with the list: " + message, std::nullopt});
      }
    }
  }

  const replay_options& options_;
  run_report report_;
  int pending_attempts_ = 1;     // attempts of the request being retried
  std::string pending_retries_;  // and why
  std::map<walk_key, page_pool> pools_;
  std::vector<walk_key> walk_order_;  // as first recorded
  std::map<std::string, certificate_fields> listed_;
  std::vector<fetched_certificate> fetched_;
  std::set<std::string> deleted_;
  std::size_t writes_ = 0;  // successful writes so far: the certificate set may have changed
};

}  // namespace

std::optional<routed_request> route_request(std::string_view method, std::string_view url) {
  const std::size_t scheme = url.find("://");
  std::string_view target = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  if (scheme != std::string_view::npos) {
    const std::size_t slash = target.find_first_of("/?#");
    target = slash == std::string_view::npos || target[slash] != '/' ? "/" : target.substr(slash);
  }
  target = target.substr(0, target.find('#'));
  std::optional<request_target> parsed = parse_request_target(target);
  if (!parsed) return std::nullopt;
  // Segments decoded one by one, so that an id with an encoded '/' stays one segment.
  std::optional<std::vector<std::string>> decoded =
      path_segments(target.substr(0, target.find('?')));
  if (!decoded) return std::nullopt;
  const std::vector<std::string_view> segments(decoded->begin(), decoded->end());
  // The base path is whatever comes before the first "organization" a template matches from.
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (segments[i] != "organization") continue;
    const std::vector<std::string_view> rest(segments.begin() + static_cast<std::ptrdiff_t>(i),
                                             segments.end());
    if (std::optional<routed_request> r = match_template(method, rest)) {
      r->query = std::move(parsed->query);
      return r;
    }
  }
  return std::nullopt;
}

run_report replay(std::vector<std::vector<har_entry>> archives, const replay_options& options) {
  return replayer(options).run(archives);
}

}  // namespace certharness
