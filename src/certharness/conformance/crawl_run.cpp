#include "certharness/conformance/crawl_run.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include "certharness/conformance/certificate_checks.hpp"
#include "certharness/http/http_client.hpp"
#include "certharness/conformance/list_walk.hpp"
#include "certharness/conformance/negative_probes.hpp"
#include "certharness/conformance/response_checks.hpp"
#include "certharness/http/retry_after.hpp"
#include "certharness/http/url.hpp"
#include "certharness/fake_api/x509_certificate.hpp"

namespace certharness {
namespace {

constexpr std::string_view k_org_endpoint = "/organization/certificates";
constexpr std::string_view k_write_group = "write checks";
constexpr std::string_view k_write_name_prefix = "certharness-write-check-";
// Cleanup runs after an interrupt too, so it gets a bound of its own instead of should_stop.
constexpr std::chrono::milliseconds k_cleanup_budget{15'000};

class crawler {
 public:
  explicit crawler(const crawl_options& options)
      : options_(options),
        client_(client_options{options.timeout, options.timeout}),
        cleanup_client_(client_options{std::min(options.timeout, k_cleanup_budget),
                                       std::min(options.timeout, k_cleanup_budget)}) {
    report_.command = "crawl";
  }

  crawl_outcome run() {
    crawl_outcome out;
    if (std::optional<std::string> problem = refuse_unsafe_base()) {
      out.fatal = std::move(problem);
      return out;
    }
    if (std::find(options_.projects.begin(), options_.projects.end(), "") !=
        options_.projects.end()) {
      out.fatal = "--project must name a project; an empty id would walk another path";
      return out;
    }
    std::vector<std::string> endpoints{std::string(k_org_endpoint)};
    for (const std::string& p : options_.projects) {
      endpoints.push_back("/organization/projects/" + percent_encode(p) + "/certificates");
    }
    for (const std::string& endpoint : endpoints) {
      const bool org = endpoint == k_org_endpoint;
      std::vector<walk_result> walks;  // of this endpoint, for list.consistency
      for (const std::string& order : options_.orders) {
        for (const int limit : options_.limits) {
          if (stopping()) break;
          walk_spec spec{endpoint, order, limit, options_.max_pages};
          walks.push_back(walk(spec, org ? "ListCertificatesResponse"
                                         : "ListProjectCertificatesResponse"));
          if (fatal_) return finish(std::move(out));
        }
      }
      check_tally consistency;
      for (run_finding& f : check_consistency(walks, consistency)) add(std::move(f));
      merge_into(report_.groups[endpoint + " consistency"], consistency);
    }
    if (!stopping()) get_each_listed();
    if (!stopping()) negative_probes();
    // After the reads, so that they see the organization as it was.
    if (options_.write_checks && !stopping()) write_checks();
    return finish(std::move(out));
  }

 private:
  // Requests go to the base as libcurl read it when the gate passed it, so what was checked is
  // what is sent.
  std::optional<std::string> refuse_unsafe_base() {
    base_url_check checked = check_base_url(options_.base_url);
    base_ = std::move(checked.url);
    return checked.problem;
  }

  bool stopping() const {
    if (cleanup_deadline_) return std::chrono::steady_clock::now() >= *cleanup_deadline_;
    return fatal_.has_value() || budget_hit_ || (options_.should_stop && options_.should_stop());
  }

  void wait(std::chrono::milliseconds delay) {
    const auto until = std::chrono::steady_clock::now() + delay;
    while (!stopping() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void add(run_finding f) {
    keep(sizeof f + f.group.size() + f.request.size() + f.what.check.size() +
         f.what.pointer.size() + f.what.keyword.size() + f.what.message.size());
    report_.findings.push_back(std::move(f));
    progress();
  }

  // ---- the run's budget (crawl_options::max_requests, max_kept_bytes)

  // Whether `request` may be sent; the first refusal is the run.budget finding. The cleanup of
  // --write-checks is never refused: what it removes was made by this run.
  bool within_request_budget(const std::string& request) {
    if (cleanup_deadline_ || requests_sent_ < options_.max_requests) return true;
    over_budget(request, "the run reached its bound of " + std::to_string(options_.max_requests) +
                             " requests (--max-requests) before it was done: this request and "
                             "the rest of the run were not sent");
    return false;
  }

  // Counts `bytes` more kept until the end of the run; past the bound the run stops.
  void keep(std::size_t bytes) {
    kept_bytes_ += bytes;
    if (kept_bytes_ <= options_.max_kept_bytes || budget_hit_) return;
    over_budget(report_.requests.empty() ? "" : report_.requests.back().request,
                "the run keeps " + std::to_string(kept_bytes_) +
                    " bytes for its cross-checks, over its bound of " +
                    std::to_string(options_.max_kept_bytes) +
                    " (--max-kept-mb): it stopped after this request");
  }

  void over_budget(const std::string& request, std::string message) {
    if (budget_hit_) return;
    budget_hit_ = true;  // first: add() below keeps bytes too
    add(run_finding{"run", request,
                    finding{checks::run_budget, "", "", std::move(message), std::nullopt}});
  }

  void progress() {
    if (options_.on_progress) {
      options_.on_progress(crawl_progress{report_.requests.size(), pages_, report_.findings.size()});
    }
  }

  // One request with bounded retries on 429, 5xx and connection errors; every attempt is
  // recorded. Returns the last response, if any.
  std::optional<client_response> send(const std::string& method, const std::string& path_query,
                                      const std::optional<std::string>& body,
                                      const std::string& group, request_record& record) {
    client_request request;
    request.method = method;
    request.url = base_ + path_query;
    request.headers.emplace_back("Authorization", "Bearer " + options_.admin_key);
    if (options_.organization) request.headers.emplace_back("OpenAI-Organization", *options_.organization);
    request.headers.emplace_back("Accept", "application/json");
    if (body) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    record.request = method + " " + request.url;
    record.attempts = 0;  // stays 0 when nothing is sent
    std::optional<client_response> last;
    std::string why;  // why the previous attempt is retried
    for (int attempt = 1;; ++attempt) {
      // Nothing starts after a stop, not even a retry at the end of its wait (the cleanup of
      // --write-checks aside: stopping() then means its deadline), nor beyond the budget.
      if (stopping() || !within_request_budget(record.request)) break;
      if (attempt > 1) {
        // The final response gets every check; a 429 that is retried still owes a Retry-After.
        if (last && last->status == 429) check_retried_429(*last, group, record.request);
        record.retries += (record.retries.empty() ? "" : "; ") + why;
        why.clear();
      }
      record.attempts = attempt;
      ++requests_sent_;
      har_entry entry;
      entry.started = std::chrono::system_clock::now();
      entry.method = method;
      entry.url = request.url;
      entry.request_headers = request.headers;
      if (body) {
        entry.request_body = body;
        entry.request_mime_type = "application/json";
      }
      http_client::result result = (cleanup_deadline_ ? cleanup_client_ : client_).send(request);
      std::optional<std::chrono::milliseconds> retry_after;
      bool no_connection = false;
      if (result.response) {
        entry.status = result.response->status;
        entry.response_headers = result.response->headers;
        entry.time_ms = std::chrono::duration<double, std::milli>(result.response->elapsed).count();
        const int status = result.response->status;
        if (status == 429 || status >= 500) {
          why = std::to_string(status);
          // From when the answer came, as replay computes it from the recording.
          const auto received =
              entry.started + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                  result.response->elapsed);
          if (const auto delay = requested_retry_delay(result.response->headers, received)) {
            retry_after = *delay;
            why += " (Retry-After " + std::to_string(delay->count()) + " s)";
          }
        }
        record.status = status;
        record.error.clear();
        last = std::move(result.response);
      } else {
        entry.error = result.error ? result.error->message : "no response";
        record.status = 0;
        record.error = entry.error;
        why = "transport error";
        no_connection = result.error && result.error->no_connection;
        last.reset();
      }
      if (options_.on_exchange) {
        // Lent to the entry, not copied: a body may be tens of megabytes.
        if (last) entry.response_body = std::move(last->body);
        options_.on_exchange(entry);
        if (last) last->body = std::move(entry.response_body);
      }
      if (first_request_) {
        first_request_ = false;
        if (!last && no_connection) {
          fatal_ = "no connection to " + base_ + ": " + record.error;
          return last;
        }
        if (last && last->status == 401) {
          fatal_ = "the API refused the key (401) on the first request: check OPENAI_ADMIN_KEY";
          return last;
        }
      }
      if (why.empty() || attempt > options_.retries || stopping()) break;
      const auto backoff = std::min(options_.backoff_cap,
                                    options_.backoff_base * (1 << std::min(attempt - 1, 16)));
      wait(retry_after ? std::min(*retry_after, options_.backoff_cap) : backoff);
    }
    return last;
  }

  void check_retried_429(const client_response& response, const std::string& group,
                         const std::string& request) {
    check_tally& tally = report_.groups[group];
    const std::optional<std::string_view> value = find_header(response.headers, "Retry-After");
    const std::optional<std::string> problem = retry_after_problem(value);
    record(tally, checks::http_retry_after, !problem);
    if (problem) {
      add(run_finding{group, request,
                      finding{checks::http_retry_after, "", "", *problem, std::nullopt}});
    }
  }

  // A request, recorded in the report; a transport failure is a finding in `group`.
  std::optional<client_response> fetch(const std::string& method, const std::string& path_query,
                                       const std::optional<std::string>& body,
                                       const std::string& group) {
    request_record sent;
    std::optional<client_response> response = send(method, path_query, body, group, sent);
    if (sent.attempts == 0) return std::nullopt;  // not sent: stopped or out of budget
    keep(sizeof sent + sent.request.size() + sent.error.size() + sent.retries.size());
    report_.requests.push_back(sent);
    check_tally& tally = report_.groups[group];
    if (!response) {
      if (!fatal_) record_transport_failure(tally, group, sent);
      return std::nullopt;
    }
    record(tally, checks::http_transport, true);
    return response;
  }

  // A request whose response gets the common checks; findings go to `group`.
  std::optional<checked_response> exchange(const std::string& path_query, const std::string& group,
                                           const response_expectation& expect,
                                           const std::string& method = "GET",
                                           const std::optional<std::string>& body = std::nullopt) {
    const std::optional<client_response> response = fetch(method, path_query, body, group);
    if (!response) return std::nullopt;
    checked_response checked = check_response(*response, expect, report_.groups[group]);
    add_findings(group, checked);
    progress();
    return checked;
  }

  // The common checks' findings on the last request.
  void add_findings(const std::string& group, checked_response& checked) {
    for (finding& f : checked.findings) {
      add(run_finding{group, report_.requests.back().request, std::move(f)});
    }
  }

  void record_transport_failure(check_tally& tally, const std::string& group,
                                const request_record& r) {
    record(tally, checks::http_transport, false);
    add(run_finding{
        group, r.request,
        finding{checks::http_transport, "", "",
                r.error +
                    (r.attempts > 1 ? " (after " + std::to_string(r.attempts) + " attempts)" : ""),
                std::nullopt}});
  }

  walk_result walk(const walk_spec& spec, const std::string& schema) {
    const std::string group = spec.label();
    const bool org = spec.endpoint == k_org_endpoint;
    const page_fetcher fetch = [&](const std::optional<std::string>& after)
        -> std::optional<list_page> {
      if (stopping()) return std::nullopt;
      std::optional<checked_response> r =
          exchange(spec.page_target(after), group, {schema, std::nullopt});
      // Only a 2xx answer is a page: an error body that happens to look like one is not.
      if (!r || !r->document || !last_answered_2xx()) return std::nullopt;
      ++pages_;
      const json_value& root = r->document->root();
      list_page page = read_list_page(root);
      page.request = report_.requests.back().request;
      std::size_t bytes = sizeof page + page.request.size() + page.first_id.value.size() +
                          page.last_id.value.size() + (page.after ? page.after->size() : 0);
      for (const list_item& item : page.items) bytes += sizeof item + item.id.size();
      keep(bytes);
      check_items(root, group, page.request, org);
      return page;
    };
    walk_result w = walk_list(spec, fetch);
    for (run_finding& f : w.findings) add(std::move(f));
    merge_into(report_.groups[group], w.tally);
    return w;
  }

  // cert.validity for every listed item; remember org items for GET by id.
  void check_items(const json_value& root, const std::string& group, const std::string& request,
                   bool org) {
    findings found;
    auto items = check_list_items(root, report_.groups[group], found);
    for (finding& f : found) add(run_finding{group, request, std::move(f)});
    if (!org) return;
    for (auto& [id, fields] : items) {
      // A map node holds the key, the fields and about four pointers of its own.
      const std::size_t bytes = sizeof(std::pair<const std::string, certificate_fields>) +
                                4 * sizeof(void*) + 2 * id.size() + fields.name.size() +
                                fields.created_at.size() + fields.valid_at.size() +
                                fields.expires_at.size();
      if (listed_.emplace(std::move(id), std::move(fields)).second) keep(bytes);
    }
  }

  void get_each_listed() {
    const std::string group = "get by id";
    for (const auto& [id, listed] : listed_) {
      // GET .../certificates/ would be the list itself (the schema check reported the empty id).
      if (id.empty()) continue;
      for (const bool with_content : {false, true}) {
        if (stopping()) return;
        const std::string q = std::string(k_org_endpoint) + "/" + percent_encode(id) +
                              (with_content ? "?include%5B%5D=content" : "");
        std::optional<checked_response> r = exchange(q, group, {"Certificate", std::nullopt});
        const json_value* fetched = object_root(r);
        if (!fetched) continue;
        const std::string request = report_.requests.back().request;
        const json_value& root = *fetched;
        findings found;
        check_fetched_certificate(root, report_.groups[group], found);
        for (finding& f : found) add(run_finding{group, request, std::move(f)});
        compare_with_list(root, id, listed, with_content, group, request);
      }
    }
  }

  void compare_with_list(const json_value& got, const std::string& id,
                         const certificate_fields& listed, bool with_content,
                         const std::string& group, const std::string& request) {
    const auto differences =
        certificate_differences(read_certificate_fields(got), id, listed, with_content);
    record(report_.groups[group], checks::cert_consistency, differences.empty());
    for (const auto& [pointer, message] : differences) {
      add(run_finding{group, request,
                      finding{checks::cert_consistency, pointer, "",
                              "GET by id disagrees with the list: " + message, std::nullopt}});
    }
  }

  void negative_probes() {
    const std::string group = "negative probes";
    const std::string list(k_org_endpoint);
    for (const query_list& query : list_probe_queries()) {
      if (stopping()) return;
      std::string target = list;
      for (const auto& [name, value] : query) {
        target += (target == list ? "?" : "&") + percent_encode(name) + "=" + percent_encode(value);
      }
      exchange(target, group, list_expectation("ListCertificatesResponse", query));
    }
    if (stopping()) return;
    const std::string id(k_unknown_certificate_id);
    exchange(list + "/" + percent_encode(id), group, get_certificate_expectation(id));
  }

  // ---- --write-checks: one throwaway certificate through its whole life, then cleanup.

  struct write_state {
    std::string name, renamed;
    std::string pem;
    certificate_validity validity;
    bool upload_sent = false;
    std::optional<std::string> id;  // from the upload response
    bool gone = false;              // DELETE done, GET by id 404 and not listed
  };

  struct listed_state {
    std::string id;
    std::optional<std::string> name;
    std::optional<bool> active;
  };

  struct list_search {
    std::vector<listed_state> matches;
    bool complete = false;  // the whole list was seen
  };

  void write_checks() {
    write_state s;
    std::random_device random;
    const std::uint64_t nonce = (std::uint64_t{random()} << 32) | random();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(nonce));
    s.name = std::string(k_write_name_prefix) + hex;
    s.renamed = s.name + "-renamed";
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    s.validity = {now - 3600, now + 86'400};
    try {
      s.pem = make_self_signed_certificate(
          {s.name, s.validity.not_before, s.validity.not_after, (nonce >> 1) | 1});
    } catch (const std::runtime_error& e) {
      fatal_ = std::string("cannot make a throwaway certificate for --write-checks: ") + e.what();
      return;
    }
    using step = bool (crawler::*)(write_state&);
    for (const step next : {&crawler::upload_step, &crawler::content_step,
                            &crawler::listed_inactive_step, &crawler::rename_step,
                            &crawler::activate_step, &crawler::deactivate_step,
                            &crawler::delete_step}) {
      if (stopping() || !(this->*next)(s)) break;
    }
    clean_up(s);
  }

  // Tallies `check` in the write-checks group; a failure is an error finding.
  void judge(check_id check, bool ok, const std::string& request, std::string pointer,
             std::string message) {
    const std::string group(k_write_group);
    record(report_.groups[group], check, ok);
    if (!ok) {
      add(run_finding{group, request,
                      finding{check, std::move(pointer), "", std::move(message), std::nullopt}});
    }
  }

  std::optional<checked_response> write_exchange(const std::string& method,
                                                  const std::string& path_query,
                                                  const std::optional<std::string>& body,
                                                  const std::string& schema) {
    return exchange(path_query, std::string(k_write_group), {schema, std::nullopt}, method, body);
  }

  bool last_answered_2xx() const { return report_.requests.back().status / 100 == 2; }

  // The JSON object root of the last request's answer when it was a 2xx, or nullptr (the common
  // checks said why): an error body shaped like a success is not one.
  const json_value* object_root(const std::optional<checked_response>& r) const {
    if (!r || !r->document || !last_answered_2xx() || !r->document->root().is_object()) {
      return nullptr;
    }
    return &r->document->root();
  }

  // A ToggleCertificatesRequest for one id.
  static std::string ids_body(const std::string& id) {
    std::string body = R"({"certificate_ids":[)";
    append_json_string(body, id);
    return body + "]}";
  }

  std::string certificate_path(const write_state& s) const {
    return std::string(k_org_endpoint) + "/" + percent_encode(*s.id);
  }

  void check_details(const json_value& certificate, const write_state& s,
                     const std::string& request) {
    const certificate_fields got = read_certificate_fields(certificate);
    const std::string want_from = std::to_string(s.validity.not_before);
    const std::string want_to = std::to_string(s.validity.not_after);
    judge(checks::upload_details, got.valid_at == want_from && got.expires_at == want_to, request,
          "/certificate_details",
          "valid_at " + (got.valid_at.empty() ? "absent" : got.valid_at) + " and expires_at " +
              (got.expires_at.empty() ? "absent" : got.expires_at) +
              ", but the uploaded PEM says notBefore " + want_from + " and notAfter " + want_to);
  }

  bool upload_step(write_state& s) {
    std::string body = R"({"name":)";
    append_json_string(body, s.name);
    body += R"(,"certificate":)";
    append_json_string(body, s.pem);
    body += '}';
    s.upload_sent = true;
    const auto r = write_exchange("POST", std::string(k_org_endpoint), body, "Certificate");
    const json_value* root = object_root(r);
    const json_value* id = root ? root->find("id") : nullptr;
    if (!id || !id->is_string()) return false;
    s.id = std::string(id->as_string());
    const std::string& request = report_.requests.back().request;
    check_details(*root, s, request);
    const json_value* active = root->find("active");
    judge(checks::upload_activates, !active || (active->is_bool() && !active->as_bool()), request,
          "/active", "the upload response says active " + value_text(active));
    return true;
  }

  static std::string without_whitespace(std::string_view text) {
    std::string out;
    for (const char c : text) {
      if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
    }
    return out;
  }

  bool content_step(write_state& s) {
    const auto r = write_exchange("GET", certificate_path(s) + "?include%5B%5D=content",
                                  std::nullopt, "Certificate");
    const json_value* root = object_root(r);
    if (!root) return true;  // nothing to compare; the rest of the life cycle can still run
    const std::string& request = report_.requests.back().request;
    check_details(*root, s, request);
    const json_value* d = root->find("certificate_details");
    const json_value* content = d && d->is_object() ? d->find("content") : nullptr;
    judge(checks::upload_content,
          content && content->is_string() &&
              without_whitespace(content->as_string()) == without_whitespace(s.pem),
          request, "/certificate_details/content",
          content && content->is_string()
              ? "include[]=content returned PEM text other than the one uploaded"
              : "include[]=content returned no content");
    return true;
  }

  // Walks the organization list at limit 100 (bounded by max_pages) for items that `match`.
  list_search search_list(const std::function<bool(const listed_state&)>& match) {
    const std::string group(k_write_group);
    list_search out;
    std::optional<std::string> after;
    for (std::size_t page = 0; page < options_.max_pages && !stopping(); ++page) {
      const walk_spec spec{std::string(k_org_endpoint), "desc", 100, options_.max_pages};
      const auto r =
          exchange(spec.page_target(after), group, {"ListCertificatesResponse", std::nullopt});
      const json_value* root = object_root(r);
      const json_value* data = root ? root->find("data") : nullptr;
      if (!data || !data->is_array()) return out;
      for (const json_value& item : *data) {
        const json_value* id = item.is_object() ? item.find("id") : nullptr;
        if (!id || !id->is_string()) continue;
        listed_state l{std::string(id->as_string()), std::nullopt, std::nullopt};
        if (const json_value* n = item.find("name"); n && n->is_string()) {
          l.name = std::string(n->as_string());
        }
        if (const json_value* a = item.find("active"); a && a->is_bool()) l.active = a->as_bool();
        if (match(l)) out.matches.push_back(std::move(l));
      }
      const list_page read = read_list_page(*root);
      if (read.has_more != true || read.last_id.state != cursor_field::kind::string_value ||
          read.last_id.value == after) {
        out.complete = read.has_more == false;
        return out;
      }
      after = read.last_id.value;
    }
    return out;
  }

  std::optional<listed_state> find_listed(const write_state& s) {
    list_search found = search_list([&](const listed_state& l) { return l.id == *s.id; });
    if (found.matches.empty()) return std::nullopt;
    return std::move(found.matches.front());
  }

  bool listed_inactive_step(write_state& s) {
    const std::optional<listed_state> listed = find_listed(s);
    judge(checks::upload_activates, listed && listed->active == false,
          report_.requests.back().request, "",
          listed ? "the fresh upload " + *s.id + " is listed active"
                 : "the fresh upload " + *s.id + " is not in the organization list");
    return true;
  }

  bool rename_step(write_state& s) {
    std::string body = R"({"name":)";
    append_json_string(body, s.renamed);
    body += '}';
    std::string want;
    append_json_string(want, s.renamed);
    const struct {
      const char* method;
      std::optional<std::string> body;
      const char* what;
    } requests[] = {{"POST", body, "the rename response"}, {"GET", std::nullopt, "GET by id"}};
    for (const auto& q : requests) {
      const auto r = write_exchange(q.method, certificate_path(s), q.body, "Certificate");
      const json_value* root = object_root(r);
      if (!root) continue;
      const std::string got = value_text(root->find("name"));
      judge(checks::modify_name, got == want, report_.requests.back().request, "/name",
            std::string(q.what) + " has name " + (got.empty() ? "absent" : got) +
                " after the rename to " + want);
    }
    return true;
  }

  bool toggle_step(write_state& s, bool on) {
    const char* verb = on ? "activate" : "deactivate";
    const auto r = write_exchange("POST", std::string(k_org_endpoint) + "/" + verb, ids_body(*s.id),
                                  on ? "OrganizationCertificateActivationResponse"
                                     : "OrganizationCertificateDeactivationResponse");
    if (const json_value* root = object_root(r)) {
      const json_value* data = root->find("data");
      std::optional<bool> active;
      if (data && data->is_array()) {
        for (const json_value& item : *data) {
          const json_value* id = item.is_object() ? item.find("id") : nullptr;
          const json_value* a = id ? item.find("active") : nullptr;
          if (a && id->is_string() && id->as_string() == *s.id && a->is_bool()) {
            active = a->as_bool();
          }
        }
      }
      judge(checks::toggle_result, active == on, report_.requests.back().request, "/data",
            std::string(verb) + " answered " +
                (active ? (*active ? "active" : "inactive") : "no item with its active state") +
                " for " + *s.id);
    }
    const std::optional<listed_state> listed = find_listed(s);
    const std::string& request = report_.requests.back().request;
    judge(checks::toggle_result, listed && listed->active == on, request, "",
          listed ? *s.id + " is listed with active " +
                       (listed->active ? (*listed->active ? "true" : "false") : "absent") +
                       " after " + verb
                 : *s.id + " is not in the organization list after " + verb);
    if (listed) {
      judge(checks::modify_name, listed->name == s.renamed, request, "",
            *s.id + " is listed under " + (listed->name ? "\"" + *listed->name + "\"" : "no name") +
                " after the rename to \"" + s.renamed + "\"");
    }
    return true;
  }

  bool activate_step(write_state& s) { return toggle_step(s, true); }
  bool deactivate_step(write_state& s) { return toggle_step(s, false); }

  bool delete_step(write_state& s) {
    const auto r = write_exchange("DELETE", certificate_path(s), std::nullopt,
                                  "DeleteCertificateResponse");
    const json_value* root = object_root(r);
    if (!root) return false;
    const json_value* id = root->find("id");
    std::string want;
    append_json_string(want, *s.id);
    judge(checks::delete_still_present, value_text(id) == want, report_.requests.back().request,
          "/id", "the delete response names " + value_text(id) + ", not " + want);
    const std::string group(k_write_group);
    const auto after = fetch("GET", certificate_path(s), std::nullopt, group);
    if (!after) return false;
    const bool answered_404 = after->status == 404;
    if (answered_404) {
      // Still an API answer: its body must be an ErrorResponse.
      checked_response checked =
          check_response(*after, get_deleted_certificate_expectation(), report_.groups[group]);
      add_findings(group, checked);
    }
    judge(checks::delete_still_present, answered_404, report_.requests.back().request, "",
          "GET by id answered " + std::to_string(after->status) + " after the delete, not 404");
    const bool listed = find_listed(s).has_value();
    judge(checks::delete_still_present, !listed, report_.requests.back().request, "",
          *s.id + " is still listed after the delete");
    s.gone = answered_404 && !listed;
    return true;
  }

  // Removes whatever the write checks made: the uploaded id unless it is proven gone, and any
  // listed certificate under our names (a retried or timed-out upload may have made one whose
  // id we never saw). Runs after an interrupt too, bounded by k_cleanup_budget.
  void clean_up(const write_state& s) {
    if (!s.upload_sent) return;
    cleanup_deadline_ = std::chrono::steady_clock::now() + k_cleanup_budget;
    std::set<std::string> left;
    if (s.id && !s.gone) left.insert(*s.id);
    const list_search ours = search_list(
        [&](const listed_state& l) { return l.name == s.name || l.name == s.renamed; });
    for (const listed_state& l : ours.matches) left.insert(l.id);
    bool clean = true;
    const std::string& request = report_.requests.back().request;
    if (!ours.complete && !s.id) {
      clean = false;
      judge(checks::cleanup_failed, false, request, "",
            "could not walk the list to find what the upload of \"" + s.name +
                "\" made: look for certificates named " + std::string(k_write_name_prefix) + "*");
    }
    for (const std::string& id : left) {
      if (const std::optional<std::string> why = remove(id)) {
        clean = false;
        judge(checks::cleanup_failed, false, report_.requests.back().request, "",
              "certificate " + id + " made by --write-checks is left behind: " + *why);
      }
    }
    if (clean) record(report_.groups[std::string(k_write_group)], checks::cleanup_failed, true);
    cleanup_deadline_.reset();
  }

  // Deactivates (a delete of an active certificate is refused) and deletes `id`. 404 counts as
  // removed. Returns why it is still there, if it is.
  std::optional<std::string> remove(const std::string& id) {
    if (stopping()) return "the cleanup deadline passed first";
    const std::string group(k_write_group);
    fetch("POST", std::string(k_org_endpoint) + "/deactivate", ids_body(id), group);
    const auto r = fetch("DELETE", std::string(k_org_endpoint) + "/" + percent_encode(id),
                         std::nullopt, group);
    if (!r) return "DELETE failed: " + report_.requests.back().error;
    if ((r->status >= 200 && r->status < 300) || r->status == 404) return std::nullopt;
    std::string why = "DELETE answered " + std::to_string(r->status);
    const decode_result body = decode_json(r->body);
    const json_value* error = body.ok() && body.document->root().is_object()
                                  ? body.document->root().find("error")
                                  : nullptr;
    const json_value* message = error && error->is_object() ? error->find("message") : nullptr;
    if (message && message->is_string()) why += ": " + std::string(message->as_string());
    return why;
  }

  crawl_outcome finish(crawl_outcome out) {
    record(report_.groups["run"], checks::run_budget, !budget_hit_);
    out.report = std::move(report_);
    out.fatal = fatal_;
    out.interrupted = !fatal_ && options_.should_stop && options_.should_stop();
    return out;
  }

  const crawl_options& options_;
  http_client client_;
  http_client cleanup_client_;  // shorter timeouts: cleanup must end within its budget
  std::optional<std::chrono::steady_clock::time_point> cleanup_deadline_;  // set while cleaning
  std::string base_;
  run_report report_;
  std::map<std::string, certificate_fields> listed_;
  std::optional<std::string> fatal_;
  bool first_request_ = true;
  std::size_t pages_ = 0;
  std::size_t requests_sent_ = 0;  // attempts, retries included
  std::size_t kept_bytes_ = 0;     // see keep()
  bool budget_hit_ = false;
};

}  // namespace

crawl_outcome run_crawl(const crawl_options& options) { return crawler(options).run(); }

}  // namespace certharness
