// decode, validate and decode+validate of a 100-item list page and of one Certificate,
// next to the baselines they should be read against: bare RapidJSON parsing of the same bytes,
// and RapidJSON + valijson used the obvious way.
#include <benchmark/benchmark.h>

// The baselines are RapidJSON and valijson as plainly as they come. valijson's CMake target
// defines VALIJSON_USE_EXCEPTIONS, under which its adapter redefines RAPIDJSON_ASSERT to build a
// std::string on every check: that made bare RapidJSON parsing 10x slower and would flatter
// every ratio. Without it RapidJSON keeps its own assert (compiled out with NDEBUG).
#undef VALIJSON_USE_EXCEPTIONS
#include <rapidjson/document.h>
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <map>
#include <stdexcept>
#include <string>

#include "certharness/json/json_document.hpp"
#include "certharness/schema/models.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/spec/embedded_excerpt.hpp"
#include "certharness/spec/openapi_document.hpp"
#include "certharness/spec/schema_translation.hpp"

namespace {

using namespace certharness;

std::string list_page(int items) {
  std::string s = R"({"object":"list","data":[)";
  for (int i = 0; i < items; ++i) {
    if (i) s += ",";
    const std::string id = "cert_" + std::to_string(100000 + i) + "abcdef";
    s += R"({"object":"organization.certificate","id":")" + id +
         R"(","name":"Production mTLS certificate )" + std::to_string(i) +
         R"(","active":)" + (i % 3 ? "false" : "true") +
         R"(,"created_at":)" + std::to_string(1711471533 - i * 60) +
         R"(,"certificate_details":{"valid_at":)" + std::to_string(1711400000 - i) +
         R"(,"expires_at":)" + std::to_string(1742936000 + i) + "}}";
  }
  s += R"(],"first_id":"cert_100000abcdef","last_id":"cert_)" + std::to_string(100000 + items - 1) +
       R"(abcdef","has_more":true})";
  return s;
}

const std::string k_certificate =
    R"({"object":"certificate","id":"cert_abc","name":"My Example Certificate",)"
    R"("created_at":1234567,"certificate_details":{"valid_at":12345667,"expires_at":12345678,)"
    R"("content":"-----BEGIN CERTIFICATE-----MIIDeT...-----END CERTIFICATE-----"}})";

const std::string& page() {
  static const std::string p = list_page(100);
  return p;
}

struct subject {
  const std::string& bytes;
  const char* schema;
};

subject subject_of(int which) {
  return which == 0 ? subject{page(), "ListCertificatesResponse"}
                    : subject{k_certificate, "Certificate"};
}

void set_labels(benchmark::State& state, const subject& s) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.bytes.size()));
  state.SetLabel(std::string(s.schema) + ", " + std::to_string(s.bytes.size()) + " bytes");
}

void bm_rapidjson_parse(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    rapidjson::Document d;
    d.Parse(s.bytes.data(), s.bytes.size());
    benchmark::DoNotOptimize(d.HasParseError());
  }
  set_labels(state, s);
}

// The obvious way: RapidJSON DOM + valijson, schemas compiled once.
void bm_rapidjson_naive_valijson(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  // The same draft-07 texts the registry compiles: the translation of the excerpt.
  std::map<std::string, rapidjson::Document> docs;
  const auto excerpt = parse_openapi(embedded_openapi_excerpt(), "built-in");
  if (!excerpt) throw std::runtime_error(excerpt.error().message);
  auto translated = translate_family_schemas(excerpt->root());
  if (!translated) throw std::runtime_error(translated.error().message);
  for (const translated_schema& t : *translated) docs[t.name].Parse(t.text.data(), t.text.size());
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  auto fetch = [&](const std::string& uri) -> const rapidjson::Document* {
    const std::string name = uri.substr(0, uri.rfind(".json"));
    auto it = docs.find(name);
    if (it == docs.end()) throw std::runtime_error("no schema " + uri);
    return &it->second;
  };
  parser.populateSchema(valijson::adapters::RapidJsonAdapter(docs.at(s.schema)), schema,
                        fetch, [](const rapidjson::Document*) {});
  for (auto _ : state) {
    rapidjson::Document d;
    d.Parse(s.bytes.data(), s.bytes.size());
    valijson::Validator validator;
    valijson::ValidationResults results;
    benchmark::DoNotOptimize(
        validator.validate(schema, valijson::adapters::RapidJsonAdapter(d), &results));
  }
  set_labels(state, s);
}

void bm_decode(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    decode_result r = decode_json(s.bytes);
    benchmark::DoNotOptimize(r.ok());
  }
  set_labels(state, s);
}

void bm_validate(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  const schema_registry& registry = schema_registry::builtin();
  const decode_result r = decode_json(s.bytes);
  for (auto _ : state) {
    findings f = registry.validate(r.document->root(), s.schema);
    benchmark::DoNotOptimize(f.size());
  }
  set_labels(state, s);
}

void bm_decode_validate(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  const schema_registry& registry = schema_registry::builtin();
  for (auto _ : state) {
    decode_result r = decode_json(s.bytes);
    findings f = registry.validate(r.document->root(), s.schema);
    benchmark::DoNotOptimize(f.size());
  }
  set_labels(state, s);
}

void bm_decode_typed(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    decode_result r = decode_json(s.bytes);
    benchmark::DoNotOptimize(models::check_decodes(s.schema, r.document->root()));
  }
  set_labels(state, s);
}

// Arg 0: 100-item ListCertificatesResponse page; arg 1: one Certificate.
BENCHMARK(bm_rapidjson_parse)->Arg(0)->Arg(1);
BENCHMARK(bm_rapidjson_naive_valijson)->Arg(0)->Arg(1);
BENCHMARK(bm_decode)->Arg(0)->Arg(1);
BENCHMARK(bm_validate)->Arg(0)->Arg(1);
BENCHMARK(bm_decode_validate)->Arg(0)->Arg(1);
BENCHMARK(bm_decode_typed)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
