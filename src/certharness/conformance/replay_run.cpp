#include "certharness/conformance/replay_run.hpp"

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "certharness/conformance/drift_summary.hpp"
#include "certharness/conformance/exchange_judge.hpp"
#include "certharness/conformance/list_walk.hpp"
#include "certharness/conformance/negative_probes.hpp"
#include "certharness/conformance/recorded_session.hpp"
#include "certharness/conformance/response_checks.hpp"
#include "certharness/conformance/write_checks.hpp"
#include "certharness/http/retry_after.hpp"
#include "certharness/http/url.hpp"
#include "certharness/schema/schema_registry.hpp"

namespace certharness {
namespace {

std::optional<std::string_view> query_value(const routed_request& r, std::string_view name) {
  for (const auto& [k, v] : r.query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

// A query parameter's documented default ("desc" for order), "" when none.
std::string default_of(const operation& op, std::string_view name) {
  const operation_parameter* p = op.parameter(name);
  return p && p->default_value ? *p->default_value : std::string();
}

// Writes change the certificate set; GETs do not.
bool writes(const operation& op) { return !op.is_list && op.method != "GET"; }

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
  explicit replayer(const replay_options& options)
      : options_(options),
        judge_(
            report_, [this](run_finding f) { report_.findings.push_back(std::move(f)); },
            options.spec) {
    report_.command = "replay";
    report_.contract_source = options.spec.get().source();
    if (options.drift) drift_.emplace(options.spec.get().schemas());
  }

  run_report run(std::vector<std::vector<har_entry>>& archives) {
    for (std::size_t a = 0; a < archives.size(); ++a) {
      std::vector<har_entry>& archive = archives[a];
      archive_ = archives.size() > 1 ? " of archive " + std::to_string(a + 1) : "";
      for (std::size_t i = 0; i < archive.size(); ++i) {
        har_entry& e = archive[i];
        std::optional<routed_request> routed = route_request(e.method, e.url, operations());
        if (!routed) {
          ++report_.skipped;
          continue;
        }
        // Crawl's --write-checks, recorded: run again over their recording, as crawl ran them.
        if (routed->operation == certificate_operation::upload_certificate && e.request_body) {
          if (const auto identity = recorded_write_identity(*e.request_body)) {
            recorded_session session(archive, i, report_, judge_);
            if (drift_) {
              session.observe([&](std::size_t at, const response_expectation& expect,
                                  const checked_response& checked) {
                const har_entry& answered = archive[at];
                if (const auto r = route_request(answered.method, answered.url)) {
                  observe_drift(*r->contract, answered, at, expect, checked);
                }
              });
            }
            run_write_checks(session, options_.max_pages, *identity);
            if (session.next() > i) {
              i = session.next() - 1;
              continue;
            }
          }
        }
        std::optional<retry_cause> retry;
        if (i + 1 < archive.size() && archive[i + 1].method == e.method &&
            archive[i + 1].url == e.url) {
          retry = retry_cause_of(e);
        }
        entry(e, *routed, retry, i);
      }
    }
    judge_walks();
    judge_fetched();
    if (drift_) drift_->append_to(report_);
    return std::move(report_);
  }

 private:
  void add(const std::string& group, const std::string& request, finding f) {
    report_.findings.push_back(run_finding{group, request, std::move(f)});
  }

  const operation_table& operations() const { return options_.spec.get().operations(); }

  // Where crawl would have put a request, and what it expects of the answer.
  struct judgement {
    std::string group = std::string(k_write_checks_group);
    response_expectation expect;
    std::optional<walk_key> walk;  // for a list page
    bool after_delete = false;     // a GET of an id deleted earlier in the archive
  };

  judgement classify(const routed_request& r) const {
    judgement j;
    const std::string success(r.contract->success_schema());
    j.expect = {success, std::nullopt};
    if (r.contract->is_list) {
      // As the API reads an absent order and limit: by their documented defaults.
      const std::string order(query_value(r, "order").value_or(default_of(*r.contract, "order")));
      const std::optional<std::string_view> limit = query_value(r, "limit");
      j.expect = list_expectation(success, r.query, operations());
      if (j.expect.broken_rule) {
        j.group = k_negative_probes_group;
      } else {
        const std::string text = limit ? std::string(*limit) : default_of(*r.contract, "limit");
        // broken_list_rule refused the rest; a document's default that is no int counts as 0.
        int n = 0;
        std::from_chars(text.data(), text.data() + text.size(), n);
        j.walk = walk_key{r.endpoint, order, n};
        j.group = walk_spec{r.endpoint, order, n, options_.max_pages}.label();
      }
    } else if (r.operation == certificate_operation::get_certificate) {
      if (is_unknown_certificate_probe(r.certificate_id)) {
        j.group = k_negative_probes_group;
        j.expect = get_certificate_expectation(r.certificate_id, operations());
      } else if (deleted_.contains(r.certificate_id)) {
        j.after_delete = true;  // judged as crawl's write checks judge it: delete.still_present
      } else {
        j.group = k_get_by_id_group;
      }
    }
    return j;
  }

  // A judged answer's body into the drift summary: a 2xx that was JSON.
  void observe_drift(const operation& op, const har_entry& e, std::size_t index,
                     const response_expectation& expect, const checked_response& checked) {
    if (!checked.document || e.status < 200 || e.status >= 300) return;
    drift_->add(op, expect.success_schema, checked.document->root(), e.method + " " + e.url,
                "log.entries[" + std::to_string(index) + "]" + archive_);
  }

  void entry(har_entry& e, const routed_request& r, const std::optional<retry_cause>& retry,
             std::size_t index) {
    using op = certificate_operation;
    const std::string request = e.method + " " + e.url;
    const auto [group, expect, walk, after_delete] = classify(r);
    check_tally& tally = report_.groups[group];

    if (retry) {
      judge_.retried_attempt(e.status, e.response_headers, group, request);
      pending_retries_ += (pending_retries_.empty() ? "" : "; ") + retry->reason;
      ++pending_attempts_;
      return;
    }
    report_.requests.push_back(
        request_record{request, e.status, pending_attempts_, e.error, std::move(pending_retries_)});
    pending_attempts_ = 1;
    pending_retries_.clear();
    const request_record& sent = report_.requests.back();

    if (const auto& schema = r.contract->request_schema; schema && e.request_body) {
      check_request_body(*e.request_body, *schema, group, request, tally);
    }
    judge_.transport(sent, group);
    if (e.status == 0 || !e.response_body_recorded) return;

    const client_response response{
        e.status, std::move(e.response_headers), std::move(e.response_body), {}};
    if (after_delete) {
      judge_.get_after_delete(response, group, request);
      return;
    }
    checked_response checked = judge_.response(response, expect, group, request);
    if (drift_) observe_drift(*r.contract, e, index, expect, checked);
    // Only a 2xx answer is a page or a certificate: an error body that looks like one is not.
    if (!checked.document || e.status < 200 || e.status >= 300) return;
    const json_value root = checked.document->root();
    if (walk) {
      list_page page = read_list_page(root);
      page.request = request;
      judge_.list_items(root, group, request, r.operation == op::list_certificates);
      page_pool& pool = pools_[*walk];
      if (pool.pages.empty()) walk_order_.push_back(*walk);
      std::optional<std::string> after(query_value(r, "after"));
      if (after) pool.by_after[*after].push_back(pool.pages.size());
      pool.pages.push_back(recorded_page{std::move(after), std::move(page), writes_});
    } else if (r.operation == op::get_certificate && group == k_get_by_id_group &&
               root.is_object()) {
      // Compared with the list once every page is in: the archive may hold it later.
      const operation_parameter* rule = r.contract->parameter("include");
      const std::optional<std::string_view> include =
          rule ? query_value(r, rule->query_name()) : std::nullopt;
      fetched_.push_back(fetched_certificate{r.certificate_id, include && *include == "content",
                                             request, judge_.fetched(root, group, request)});
    } else if (checked.success && writes(*r.contract)) {
      ++writes_;
      if (r.operation == op::delete_certificate) deleted_.insert(r.certificate_id);
    }
  }

  void check_request_body(const std::string& body, const std::string& schema,
                          const std::string& group, const std::string& request,
                          check_tally& tally) {
    const schema_registry& schemas = options_.spec.get().schemas();
    if (!schemas.contains(schema)) return;  // nothing in the contract to judge it by
    const decode_result decoded = decode_json(body);
    findings problems;
    if (!decoded.ok()) {
      const std::string why = decoded.problems.empty() ? "" : ": " + decoded.problems[0].message;
      problems.push_back(finding{checks::schema, "", "",
                                 "the request body is not strict JSON" + why, std::nullopt});
    } else {
      problems = schemas.validate(decoded.document->root(), schema);
      for (finding& f : problems) f.message = "request body (" + schema + "): " + f.message;
    }
    record(tally, checks::schema, !has_error(problems));
    for (finding& f : problems) add(group, request, std::move(f));
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
      judge_.compare_with_list(got.fields, got.id, got.with_content, std::string(k_get_by_id_group),
                               got.request);
    }
  }

  const replay_options& options_;
  run_report report_;
  int pending_attempts_ = 1;     // attempts of the request being retried
  std::string pending_retries_;  // and why
  std::map<walk_key, page_pool> pools_;
  std::vector<walk_key> walk_order_;  // as first recorded
  exchange_judge judge_;
  std::vector<fetched_certificate> fetched_;
  std::set<std::string> deleted_;
  std::size_t writes_ = 0;  // successful writes so far: the certificate set may have changed
  std::optional<drift_summary> drift_;  // with --drift
  std::string archive_;                 // " of archive N" when there are several
};

}  // namespace

std::optional<routed_request> route_request(std::string_view method, std::string_view url,
                                            const operation_table& table) {
  std::optional<request_target> parsed = parse_url_target(url);
  if (!parsed) return std::nullopt;
  // Segments decoded one by one, so that an id with an encoded '/' stays one segment.
  std::optional<std::vector<std::string>> decoded = path_segments(parsed->raw_path);
  if (!decoded) return std::nullopt;
  std::optional<operation_match> matched = table.match_suffix(method, *decoded);
  if (!matched || !matched->op->kind) return std::nullopt;
  routed_request r{*matched->op->kind, matched->op, {}, {}, {}, {}};
  r.certificate_id = matched->parameter("certificate_id");
  r.project_id = matched->parameter("project_id");
  // The scope's list names the walk: the list operation with the same path parameters.
  for (const operation& list : table.operations()) {
    if (list.is_list && list.scope == matched->op->scope) {
      // A document's list may name its path parameters otherwise than the matched operation
      // does: then there is no walk to name (build_path would refuse).
      const bool given = std::all_of(
          list.parameters.begin(), list.parameters.end(), [&](const operation_parameter& p) {
            return p.in != parameter_location::path || !matched->parameter(p.name).empty();
          });
      if (given) r.endpoint = operation_table::build_path(list, matched->parameters);
      break;
    }
  }
  r.query = std::move(parsed->query);
  return r;
}

run_report replay(std::vector<std::vector<har_entry>> archives, const replay_options& options) {
  return replayer(options).run(archives);
}

}  // namespace certharness
