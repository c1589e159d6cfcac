// fuzz_report_redaction: a run_report whose every string is an input line with a secret spliced
// in (which secret, spelling and place from the line's first two bytes: raw, %hh, \u00hh, \xhh,
// &#n;, JSON-, XML- or JSON-Pointer-escaped), rendered as JSON, text and JUnit, each redacted as
// the CLI's one output path does (secret_redactor).
//
// Oracle: no output holds a secret raw or fully %hh-, \u00hh-, \xhh- or &#n;-spelled: not as
// written, not in the JSON report's decoded strings, not in the JUnit file with its entities
// read; and the JSON report is still strict JSON. Any survivor aborts naming it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "certharness/har/secret_redaction.hpp"
#include "certharness/json/json_document.hpp"
#include "certharness/report/run_report.hpp"
#include "fuzz_support.hpp"

namespace {
using namespace certharness;
const std::vector<std::string> k_secrets{"sk-admin-fuzz-Secret0", "org-a\"b&c<d~e/f"};

std::string spelled(const std::string& secret, unsigned how) {
  static const char* const forms[] = {"%%%02X", "%%%02x", "\\u%04x", "\\x%02X", "&#%u;"};
  std::string out;
  for (const char c : secret) {
    char b[16] = {c, 0};
    if (how >= 1 && how <= 5) std::snprintf(b, sizeof b, forms[how - 1], c);
    const std::string esc = how == 6   ? (c == '"' ? "\\\"" : b)
                            : how == 7 ? (c == '&'   ? "&amp;"
                                          : c == '<' ? "&lt;"
                                          : c == '"' ? "&quot;"
                                                     : b)
                            : how == 8 ? (c == '~'   ? "~0"
                                          : c == '/' ? "~1"
                                                     : b)
                                       : b;
    out += esc;
  }
  return out;
}

constexpr fuzz::failure fail{"fuzz_report_redaction", "output"};

void check(const char* where, std::string_view text) {
  for (const std::string& secret : k_secrets) {
    for (unsigned how = 0; how <= 5; ++how) {
      if (text.find(spelled(secret, how)) == std::string_view::npos) continue;
      fail("secret (spelling " + std::to_string(how) + ") survives in " + where, text);
    }
  }
}

std::string entities_read(std::string s) {
  const char* const pairs[][2] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, c] : pairs)
    for (std::size_t p = s.find(entity); p != std::string::npos; p = s.find(entity, p + 1))
      s.replace(p, std::string_view(entity).size(), c);
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> pool{""};
  for (std::size_t i = 0, start = 0; i <= size; ++i) {
    if (i < size && data[i] != '\n') continue;
    std::string line(reinterpret_cast<const char*>(data) + start, i - start);
    start = i + 1;
    if (line.size() < 2) continue;
    const auto a = static_cast<unsigned char>(line[0]), b = static_cast<unsigned char>(line[1]);
    line.erase(0, 2);
    line.insert(b % (line.size() + 1), spelled(k_secrets[a & 1], (a >> 1) % 9));
    pool.push_back(std::move(line));
  }
  std::size_t n = 0;
  const auto next = [&] { return pool[n++ % pool.size()]; };
  run_report r{"crawl", {}, {}, {}, 0};
  for (std::size_t k = 0; k < pool.size(); ++k) {
    r.requests.push_back({next(), k % 2 ? 200 : 0, 1, next(), next()});
    // Check ids are the catalogue's, never a server's text (they are the JSON report's keys).
    const check_id check = k % 3 ? checks::http_status : checks::schema_unknown_property;
    run_finding f{next(), next(), {}};
    f.what = finding{check, next(), next(), next()};
    f.what.level = severity(k % 3);  // every severity, whatever the check's
    r.findings.push_back(std::move(f));
    record(r.groups[next()], check, k % 2);
  }
  const secret_redactor redactor(k_secrets);
  const std::string json = redactor.redacted(render_run_json(r));
  const std::string junit = redactor.redacted(render_junit(r));
  check("the text report", redactor.redacted(render_run_text(r, pool.size() % 2)));
  check("the JSON report", json);
  check("the JUnit file", junit);
  check("the JUnit file, entities read", entities_read(junit));
  const decode_result decoded = decode_json(json);
  if (!decoded.ok()) fail("not JSON after redaction", json);
  fuzz::for_each_string(decoded.document->root(),
                        [](std::string_view s) { check("a decoded JSON key or string", s); });
  return 0;
}
