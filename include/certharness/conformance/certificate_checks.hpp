// Checks on one certificate object shared by crawl and replay: cert.validity, and the
// cert.consistency comparison of a GET by id with the list item it came from.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certharness/findings/check_tally.hpp"
#include "certharness/json/json_document.hpp"

namespace certharness {

// JSON text of a value, to quote and compare: numbers by their text, strings quoted, "null";
// "" when absent.
std::string value_text(const std::optional<json_value>& v);

// What a certificate says, as JSON texts ("" when absent), to compare a GET by id with the list
// (cert.consistency).
struct certificate_fields {
  std::string id, name, created_at, valid_at, expires_at;
  bool pem_content = false;  // certificate_details.content holds a PEM certificate
};
certificate_fields read_certificate_fields(const json_value& certificate);

// cert.consistency: (pointer, message) for every way `got` (a GET by id, with include[]=content
// or not) disagrees with `listed` (the list item of id `listed_id`); empty when it agrees.
std::vector<std::pair<std::string, std::string>> certificate_differences(
    const certificate_fields& got, std::string_view listed_id, const certificate_fields& listed,
    bool with_content);

// cert.validity: valid_at must not be after expires_at. Tallied and reported (at `pointer` +
// "/certificate_details") only when both are numbers.
void check_certificate_validity(const json_value& certificate, const std::string& pointer,
                                check_tally& tally, findings& out);

// A GET by id body: cert.object (the object type must be "certificate") and cert.validity.
void check_fetched_certificate(const json_value& certificate, check_tally& tally, findings& out);

// cert.validity for every certificate in a list body's `data` (pointers /data/i), and what each
// item with a string id says, for comparing GET by id later.
std::vector<std::pair<std::string, certificate_fields>> check_list_items(const json_value& list,
                                                                         check_tally& tally,
                                                                         findings& out);

}  // namespace certharness
