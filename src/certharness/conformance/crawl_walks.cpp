#include "certharness/conformance/crawl_walks.hpp"

#include <algorithm>
#include <vector>

#include "certharness/conformance/crawl_coverage.hpp"
#include "certharness/conformance/list_walk.hpp"
#include "certharness/schema/operation_table.hpp"

namespace certharness {
namespace {

// `org`: the organization list, whose items GET by id is compared with.
walk_result walk(crawl_session& session, const walk_spec& spec, const std::string& schema,
                 bool org) {
  const std::string group = spec.label();
  exchange_judge& judge = session.judge();
  const page_fetcher fetch =
      [&](const std::optional<std::string>& after) -> std::optional<list_page> {
    if (session.stopping()) return std::nullopt;
    std::optional<checked_response> r =
        session.get(spec.page_target(after), group, {schema, std::nullopt});
    // Only a 2xx answer is a page: an error body that happens to look like one is not.
    if (!r || !r->document || !session.last_answered_2xx()) return std::nullopt;
    session.count_page();
    const json_value root = r->document->root();
    list_page page = read_list_page(root);
    page.request = session.last_request().request;
    std::size_t bytes = sizeof page + page.request.size() + page.first_id.value.size() +
                        page.last_id.value.size() + (page.after ? page.after->size() : 0);
    for (const list_item& item : page.items) bytes += sizeof item + item.id.size();
    session.keep(bytes);
    judge.list_items(root, group, page.request, org,
                     [&](std::size_t remembered) { session.keep(remembered); });
    return page;
  };
  walk_result w = walk_list(spec, fetch);
  for (run_finding& f : w.findings) judge.add(std::move(f));
  judge.merge_tally(group, w.tally);
  return w;
}

}  // namespace

void walk_every_list(crawl_session& session, const crawl_options& options) {
  using k = certificate_operation;
  const operation_table& table = session.spec().operations();
  // The organization list, then each project's: the operation and its path. A list the
  // contract does not have drivable is not walked (crawl.not_exercised says so).
  std::vector<std::pair<const operation*, std::string>> lists;
  if (const operation* org = drivable(table, k::list_certificates)) {
    lists.emplace_back(org, operation_table::build_path(*org, {}));
  }
  if (const operation* project = drivable(table, k::list_project_certificates)) {
    for (const std::string& p : options.projects) {
      lists.emplace_back(project, operation_table::build_path(*project, {{"project_id", p}}));
    }
  }
  for (const auto& [list, endpoint] : lists) {
    const std::string schema(list->success_schema());
    std::vector<walk_result> walks;  // of this endpoint, for list.consistency
    for (const std::string& order : options.orders) {
      for (const int limit : options.limits) {
        if (session.stopping()) break;
        walk_spec spec{endpoint, order, limit, options.max_pages};
        walks.push_back(walk(session, spec, schema, list->kind == k::list_certificates));
        if (session.failed()) return;
      }
    }
    check_tally consistency;
    for (run_finding& f : check_consistency(walks, consistency)) session.judge().add(std::move(f));
    session.judge().merge_tally(endpoint + " consistency", consistency);
  }
}

void get_each_listed(crawl_session& session) {
  const operation* get =
      drivable(session.spec().operations(), certificate_operation::get_certificate);
  if (!get) return;  // crawl.not_exercised says so
  // Without include[] in the contract, only the plain GET is sent.
  const operation_parameter* include = get->parameter("include");
  const std::string schema(get->success_schema());
  const std::string group(k_get_by_id_group);
  exchange_judge& judge = session.judge();
  for (const auto& listed : judge.listed()) {
    const std::string& id = listed.first;
    // An empty id would GET the list itself (the schema check reported the empty id).
    if (id.empty()) continue;
    for (const bool with_content : {false, true}) {
      if (session.stopping()) return;
      if (with_content && !include) continue;
      const std::string q = operation_table::build_target(
          *get, {{"certificate_id", id}},
          with_content ? query_parameters{{include->query_name(), "content"}} : query_parameters{});
      const std::optional<checked_response> r = session.get(q, group, {schema, std::nullopt});
      std::optional<json_value> fetched = session.object_root(r);
      if (!fetched) continue;
      const std::string request = session.last_request().request;
      judge.compare_with_list(judge.fetched(*fetched, group, request), id, with_content, group,
                              request);
    }
  }
}

}  // namespace certharness
