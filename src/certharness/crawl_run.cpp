#include "certharness/crawl_run.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <thread>
#include <utility>

#include "certharness/http_client.hpp"
#include "certharness/list_walk.hpp"
#include "certharness/response_checks.hpp"

namespace certharness {
namespace {

constexpr std::string_view k_org_endpoint = "/organization/certificates";

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// "http://127.0.0.1:4000/v1" -> scheme "http", host "127.0.0.1". Empty host: not a URL.
std::pair<std::string, std::string> scheme_and_host(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return {};
  const std::string scheme(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find('/'));
  if (rest.rfind('[', 0) == 0) return {scheme, std::string(rest.substr(0, rest.find(']') + 1))};
  return {scheme, std::string(rest.substr(0, rest.find(':')))};
}

// What the list said of a certificate, to compare GET by id against (cert.consistency).
struct listed_certificate {
  std::string name;  // JSON text of the name value ("null" or a JSON string)
  std::string created_at, valid_at, expires_at;  // number texts; empty when absent
};

std::string value_text(const json_value* v) {
  if (!v) return {};
  if (v->is_number()) return std::string(v->number_text());
  if (v->is_null()) return "null";
  if (v->is_string()) {
    std::string s;
    append_json_string(s, v->as_string());
    return s;
  }
  return std::string(to_string(v->type()));
}

listed_certificate read_listed(const json_value& item) {
  listed_certificate c;
  c.name = value_text(item.find("name"));
  c.created_at = value_text(item.find("created_at"));
  if (const json_value* d = item.find("certificate_details"); d && d->is_object()) {
    c.valid_at = value_text(d->find("valid_at"));
    c.expires_at = value_text(d->find("expires_at"));
  }
  return c;
}

class crawler {
 public:
  explicit crawler(const crawl_options& options)
      : options_(options), client_(client_options{options.timeout, options.timeout}) {
    report_.command = "crawl";
    base_ = options.base_url;
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }

  crawl_outcome run() {
    crawl_outcome out;
    if (std::optional<std::string> problem = refuse_unsafe_base()) {
      out.fatal = std::move(problem);
      return out;
    }
    std::vector<std::string> endpoints{std::string(k_org_endpoint)};
    for (const std::string& p : options_.projects) {
      endpoints.push_back("/organization/projects/" + percent_encode(p) + "/certificates");
    }
    std::vector<walk_result> walks;
    for (const std::string& endpoint : endpoints) {
      const bool org = endpoint == k_org_endpoint;
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
      std::vector<walk_result> of_endpoint;
      for (const walk_result& w : walks) {
        if (w.spec.endpoint == endpoint) of_endpoint.push_back(w);
      }
      for (run_finding& f : check_consistency(of_endpoint, consistency)) add(std::move(f));
      merge_into(report_.groups[endpoint + " consistency"], consistency);
    }
    if (!stopping()) get_each_listed();
    if (!stopping()) negative_probes();
    return finish(std::move(out));
  }

 private:
  std::optional<std::string> refuse_unsafe_base() const {
    const auto [scheme, host] = scheme_and_host(base_);
    if (host.empty() || (scheme != "http" && scheme != "https")) {
      return "--base-url must be an http(s) URL, got \"" + base_ + "\"";
    }
    if (scheme == "http" && !is_loopback_host(host)) {
      return "refusing to send the admin key over plain http to " + host +
             " (only loopback hosts may use http)";
    }
    return std::nullopt;
  }

  bool stopping() const {
    return fatal_.has_value() || (options_.should_stop && options_.should_stop());
  }

  void wait(std::chrono::milliseconds delay) {
    const auto until = std::chrono::steady_clock::now() + delay;
    while (!stopping() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void add(run_finding f) {
    report_.findings.push_back(std::move(f));
    progress();
  }

  void progress() {
    if (options_.on_progress) {
      options_.on_progress(crawl_progress{report_.requests.size(), pages_, report_.findings.size()});
    }
  }

  // One request with bounded retries on 429, 5xx and connection errors; every attempt is
  // recorded. Returns the last response, if any.
  std::optional<client_response> send(const std::string& method, const std::string& path_query,
                                      const std::string& group, request_record& record) {
    client_request request;
    request.method = method;
    request.url = base_ + path_query;
    request.headers.emplace_back("Authorization", "Bearer " + options_.admin_key);
    if (options_.organization) request.headers.emplace_back("OpenAI-Organization", *options_.organization);
    request.headers.emplace_back("Accept", "application/json");
    record.request = method + " " + request.url;
    std::optional<client_response> last;
    for (int attempt = 1;; ++attempt) {
      record.attempts = attempt;
      har_entry entry;
      entry.started = std::chrono::system_clock::now();
      entry.method = method;
      entry.url = request.url;
      entry.request_headers = request.headers;
      http_client::result result = client_.send(request);
      std::optional<std::chrono::milliseconds> retry_after;
      std::string why;
      bool no_connection = false;
      if (result.response) {
        entry.status = result.response->status;
        entry.response_headers = result.response->headers;
        entry.response_body = result.response->body;
        entry.time_ms = std::chrono::duration<double, std::milli>(result.response->elapsed).count();
        const int status = result.response->status;
        if (status == 429 || status >= 500) {
          why = std::to_string(status);
          if (const auto ra = find_header(result.response->headers, "Retry-After")) {
            int seconds = 0;
            const auto [end, ec] = std::from_chars(ra->data(), ra->data() + ra->size(), seconds);
            if (ec == std::errc{} && end == ra->data() + ra->size() && seconds >= 1) {
              retry_after = std::chrono::seconds(seconds);
              why += " (Retry-After " + std::to_string(seconds) + " s)";
            }
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
      exchanges_.push_back(std::move(entry));
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
      // The final response gets every check; a 429 that is retried still owes a Retry-After.
      if (last && last->status == 429) check_retried_429(*last, group, record.request);
      record.retries += (record.retries.empty() ? "" : "; ") + why;
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
    record(tally, "http.retry_after", !problem);
    if (problem) {
      add(run_finding{group, request,
                      finding{"http.retry_after", severity::warning, "", "", *problem, std::nullopt}});
    }
  }

  // A request whose response gets the common checks; findings go to `group`.
  std::optional<checked_response> exchange(const std::string& path_query, const std::string& group,
                                           const response_expectation& expect) {
    request_record sent;
    std::optional<client_response> response = send("GET", path_query, group, sent);
    report_.requests.push_back(sent);
    check_tally& tally = report_.groups[group];
    if (!response) {
      if (!fatal_) record_transport_failure(tally, group, sent);
      return std::nullopt;
    }
    record(tally, "http.transport", true);
    checked_response checked = check_response(*response, expect, tally);
    for (finding& f : checked.findings) add(run_finding{group, sent.request, std::move(f)});
    progress();
    return checked;
  }

  void record_transport_failure(check_tally& tally, const std::string& group,
                                const request_record& r) {
    record(tally, "http.transport", false);
    add(run_finding{group, r.request,
                    finding{"http.transport", severity::error, "", "",
                            r.error + (r.attempts > 1 ? " (after " + std::to_string(r.attempts) +
                                                            " attempts)"
                                                      : ""),
                            std::nullopt}});
  }

  walk_result walk(const walk_spec& spec, const std::string& schema) {
    const std::string group = spec.label();
    const bool org = spec.endpoint == k_org_endpoint;
    const page_fetcher fetch = [&](const std::optional<std::string>& after)
        -> std::optional<list_page> {
      if (stopping()) return std::nullopt;
      std::string q = spec.endpoint + "?limit=" + std::to_string(spec.limit) +
                      "&order=" + percent_encode(spec.order);
      if (after) q += "&after=" + percent_encode(*after);
      std::optional<checked_response> r = exchange(q, group, {schema, false});
      if (!r || !r->document) return std::nullopt;
      ++pages_;
      const json_value& root = r->document->root();
      list_page page = read_list_page(root);
      page.request = report_.requests.back().request;
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
    const json_value* data = root.is_object() ? root.find("data") : nullptr;
    if (!data || !data->is_array()) return;
    for (std::size_t i = 0; i < data->size(); ++i) {
      const json_value& item = (*data)[i];
      if (!item.is_object()) continue;
      check_validity(item, "/data/" + std::to_string(i), group, request);
      const json_value* id = item.find("id");
      if (org && id && id->is_string()) listed_.emplace(std::string(id->as_string()), read_listed(item));
    }
  }

  void check_validity(const json_value& certificate, const std::string& pointer,
                      const std::string& group, const std::string& request) {
    const json_value* d = certificate.find("certificate_details");
    if (!d || !d->is_object()) return;
    const json_value* from = d->find("valid_at");
    const json_value* to = d->find("expires_at");
    if (!from || !to || !from->is_number() || !to->is_number()) return;
    const bool ok = from->as_double() <= to->as_double();
    record(report_.groups[group], "cert.validity", ok);
    if (!ok) {
      add(run_finding{group, request,
                      finding{"cert.validity", severity::error, pointer + "/certificate_details",
                              "", "valid_at " + std::string(from->number_text()) +
                                      " is after expires_at " + std::string(to->number_text()),
                              std::nullopt}});
    }
  }

  void get_each_listed() {
    const std::string group = "get by id";
    for (const auto& [id, listed] : listed_) {
      for (const bool with_content : {false, true}) {
        if (stopping()) return;
        const std::string q = std::string(k_org_endpoint) + "/" + percent_encode(id) +
                              (with_content ? "?include%5B%5D=content" : "");
        std::optional<checked_response> r = exchange(q, group, {"Certificate", false});
        if (!r || !r->document || !r->document->root().is_object()) continue;
        const std::string request = report_.requests.back().request;
        const json_value& root = r->document->root();
        check_tally& tally = report_.groups[group];
        const json_value* object = root.find("object");
        const bool right_object = object && object->is_string() && object->as_string() == "certificate";
        record(tally, "cert.object", right_object);
        if (!right_object) {
          add(run_finding{group, request,
                          finding{"cert.object", severity::error, "/object", "",
                                  "GET by id answered object " + value_text(object) +
                                      ", expected \"certificate\"",
                                  std::nullopt}});
        }
        check_validity(root, "", group, request);
        compare_with_list(root, id, listed, with_content, group, request);
      }
    }
  }

  void compare_with_list(const json_value& got, const std::string& id,
                         const listed_certificate& listed, bool with_content,
                         const std::string& group, const std::string& request) {
    const listed_certificate now = read_listed(got);
    std::vector<std::pair<std::string, std::string>> differences;  // pointer, message
    std::string expected_id;
    append_json_string(expected_id, id);
    if (value_text(got.find("id")) != expected_id) {
      differences.emplace_back("/id", "id is " + value_text(got.find("id")) + ", listed as " +
                                          expected_id);
    }
    const struct {
      const char* pointer;
      const char* name;
      const std::string& now;
      const std::string& listed;
    } fields[] = {
        {"/name", "name", now.name, listed.name},
        {"/created_at", "created_at", now.created_at, listed.created_at},
        {"/certificate_details/valid_at", "valid_at", now.valid_at, listed.valid_at},
        {"/certificate_details/expires_at", "expires_at", now.expires_at, listed.expires_at},
    };
    for (const auto& f : fields) {
      if (f.now != f.listed) {
        differences.emplace_back(f.pointer, std::string(f.name) + " is " +
                                                (f.now.empty() ? "absent" : f.now) +
                                                ", the list said " +
                                                (f.listed.empty() ? "absent" : f.listed));
      }
    }
    if (with_content) {
      const json_value* d = got.find("certificate_details");
      const json_value* content = d && d->is_object() ? d->find("content") : nullptr;
      if (!content || !content->is_string() ||
          content->as_string().find("BEGIN CERTIFICATE") == std::string_view::npos) {
        differences.emplace_back("/certificate_details/content",
                                 "include[]=content did not return the PEM content");
      }
    }
    check_tally& tally = report_.groups[group];
    record(tally, "cert.consistency", differences.empty());
    for (auto& [pointer, message] : differences) {
      add(run_finding{group, request,
                      finding{"cert.consistency", severity::error, pointer, "",
                              "GET by id disagrees with the list: " + message, std::nullopt}});
    }
  }

  void negative_probes() {
    const std::string group = "negative probes";
    const std::string list(k_org_endpoint);
    for (const std::string& q :
         {list + "?limit=0", list + "?limit=101", list + "?limit=-1", list + "?limit=abc",
          list + "?order=sideways", list + "/cert_certharness_does_not_exist_0"}) {
      if (stopping()) return;
      exchange(q, group, {"ErrorResponse", true});
    }
  }

  crawl_outcome finish(crawl_outcome out) {
    out.report = std::move(report_);
    out.exchanges = std::move(exchanges_);
    out.fatal = fatal_;
    out.interrupted = !fatal_ && options_.should_stop && options_.should_stop();
    return out;
  }

  const crawl_options& options_;
  http_client client_;
  std::string base_;
  run_report report_;
  std::vector<har_entry> exchanges_;
  std::map<std::string, listed_certificate> listed_;
  std::optional<std::string> fatal_;
  bool first_request_ = true;
  std::size_t pages_ = 0;
};

}  // namespace

crawl_outcome run_crawl(const crawl_options& options) { return crawler(options).run(); }

}  // namespace certharness
