// `replay --drift`: over a whole recording, per operation, which response fields were seen that
// the operation's schema does not declare, and which declared fields no response had. The report
// a user reads to decide whether the document or the API is behind. Fields are JSON Pointers
// with array indices folded to "*" ("/data/*/fingerprint"), compared with the schema's
// schema_registry::declared_patterns.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "certharness/json/json_document.hpp"
#include "certharness/report/run_report.hpp"
#include "certharness/schema/operation_table.hpp"
#include "certharness/schema/schema_registry.hpp"

namespace certharness {

// What a hostile recording can make the summary keep: a page of 100,000 items with a new key
// each is summed as this many fields and a count of the rest.
struct drift_limits {
  std::size_t max_undeclared_fields = 200;  // distinct undeclared patterns per operation
  std::size_t max_pattern_bytes = 1024;     // a longer pattern is counted, not kept
};

// A field of an operation's responses.
struct drift_field {
  std::string pattern;          // "/data/*/fingerprint"
  std::size_t responses = 0;    // responses it was in
  std::size_t occurrences = 0;  // times, over all of them
  // For an unseen declared field: responses that had an object where it would be (its parent's
  // pattern: "/data/*/certificate_details" for ".../content", "" for a top-level field).
  std::size_t could_have = 0;
  std::string parent;  // that parent pattern
  // Where it was first seen (undeclared fields): the concrete pointer ("/data/3/fingerprint"),
  // the exchange ("GET https://...", cut to 256 bytes) and its place in the recording.
  std::string example;
  std::string request;
  std::string where;
};

struct drift_operation {
  std::string id;      // operationId
  std::string method;  // "GET"
  std::string path;    // template
  std::string schema;  // the schema its responses were judged by
  std::size_t responses = 0;
  std::vector<drift_field> undeclared;  // by pattern
  // Declared fields no response had, in the schema's order; one whose parent field is itself
  // unseen is left out (the parent says it).
  std::vector<drift_field> unseen;
  std::size_t declared = 0;       // patterns the schema declares
  std::size_t declared_seen = 0;  // of them, seen at least once
  // Occurrences of fields not summed: beyond max_undeclared_fields or max_pattern_bytes.
  std::size_t left_out = 0;
};

class drift_summary {
 public:
  explicit drift_summary(const schema_registry& registry, drift_limits limits = {});

  // One 2xx JSON body of `op`, judged by `schema`; a schema the registry lacks is ignored.
  // `request` and `where` ("log.entries[12]") are quoted for its first new fields. The walk is
  // iterative (any depth) and linear in the body; undeclared fields are not descended into (the
  // field is the news, not its insides).
  void add(const operation& op, std::string_view schema, const json_value& body,
           std::string_view request, std::string_view where);

  // Per operation (operationId and schema), in the order first added.
  std::vector<drift_operation> operations() const;

  // Into `report`: one note per (operation, pattern): drift.undeclared_field ("seen in 37 of
  // 40 responses ...; first at /data/3/fingerprint of <request> (<where>)"),
  // drift.unseen_field ("never seen in 40 responses; 37 had an object at ... to hold it"), and
  // a drift.undeclared_field note for the left-out count; subject the operationId, group
  // "drift <METHOD> <template>", pointer the pattern. Tallies in that group: undeclared_field
  // passes per declared pattern seen and fails per undeclared one; unseen_field passes per
  // declared pattern seen and fails per unseen one reported.
  void append_to(run_report& report) const;

 private:
  struct seen_field {
    std::size_t responses = 0, occurrences = 0, last_response = 0;
    std::string example, request, where;
  };
  struct operation_state {
    drift_operation facts;                      // names; responses and left_out as added
    std::map<std::string, seen_field> fields;   // seen fields, declared or not
    std::map<std::string, seen_field> objects;  // patterns an object was at
    std::size_t undeclared = 0;                 // of `fields`
  };
  struct declared_set {
    std::vector<std::string> patterns;  // in the schema's order
    std::set<std::string, std::less<>> lookup;
  };

  const declared_set& declared(std::string_view schema);

  const schema_registry& registry_;
  drift_limits limits_;
  std::map<std::string, declared_set, std::less<>> declared_;
  std::vector<operation_state> operations_;  // in the order first added
  std::size_t serial_ = 0;                   // responses added: dedupes a field per response
};

}  // namespace certharness
