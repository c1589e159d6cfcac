// decode, validate and decode+validate of a 100-item list page, of one Certificate and of an
// invalid 100-item page, by each validation engine (the compiled verdict program, the default,
// and valijson), next to the baselines they should be read against: bare RapidJSON parsing of the
// same bytes, and RapidJSON + valijson used the obvious way. bench/ratios prints every figure as
// a ratio to bm_rapidjson_parse of the same subject.
//
// The binary counts heap allocations (global operator new replaced below): our benchmarks report
// "allocs" (operator new calls) and "alloc_bytes" per iteration. Judging a valid document must
// show 0 allocs with the compiled engine: nothing beyond the DOM that decoding built.
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

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <new>
#include <stdexcept>
#include <string>

#include "certharness/json/json_document.hpp"
#include "certharness/schema/models.hpp"
#include "certharness/schema/schema_registry.hpp"
#include "certharness/spec/embedded_excerpt.hpp"
#include "certharness/spec/openapi_document.hpp"
#include "certharness/spec/schema_translation.hpp"

// Counting allocator: every replaceable global operator new of the binary counts its call and
// size (relaxed atomics: a few ns per call, charged to our code only, never to RapidJSON, whose
// pool allocator uses malloc: the ratios can only err against us). operator delete needs no
// count; the replacements keep malloc/free pairing consistent for every form.
namespace alloc_count {
std::atomic<std::uint64_t> calls{0};
std::atomic<std::uint64_t> bytes{0};

void* allocate(std::size_t size, std::size_t alignment) {
  calls.fetch_add(1, std::memory_order_relaxed);
  bytes.fetch_add(size, std::memory_order_relaxed);
  if (size == 0) size = 1;
  void* p = nullptr;
  if (alignment <= alignof(std::max_align_t)) {
    p = std::malloc(size);
  } else if (posix_memalign(&p, alignment, size) != 0) {
    p = nullptr;
  }
  return p;
}

void* allocate_or_throw(std::size_t size, std::size_t alignment) {
  void* p = allocate(size, alignment);
  if (!p) throw std::bad_alloc();
  return p;
}
}  // namespace alloc_count

void* operator new(std::size_t n) { return alloc_count::allocate_or_throw(n, 0); }
void* operator new[](std::size_t n) { return alloc_count::allocate_or_throw(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) {
  return alloc_count::allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return alloc_count::allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return alloc_count::allocate(n, 0);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return alloc_count::allocate(n, 0);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return alloc_count::allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return alloc_count::allocate(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

using namespace certharness;

// A 100-item page as the API sends it. With `bad_item` set, that item's created_at is a string:
// one schema violation deep in the page, found only after the rest has been judged.
std::string list_page(int items, int bad_item = -1) {
  std::string s = R"({"object":"list","data":[)";
  for (int i = 0; i < items; ++i) {
    if (i) s += ",";
    const std::string id = "cert_" + std::to_string(100000 + i) + "abcdef";
    const std::string created_at = std::to_string(1711471533 - i * 60);
    s += R"({"object":"organization.certificate","id":")" + id +
         R"(","name":"Production mTLS certificate )" + std::to_string(i) + R"(","active":)" +
         (i % 3 ? "false" : "true") + R"(,"created_at":)" +
         (i == bad_item ? '"' + created_at + '"' : created_at) +
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

const std::string& invalid_page() {
  static const std::string p = list_page(100, 73);
  return p;
}

struct subject {
  const std::string& bytes;
  const char* schema;
  const char* what;
};

// The benchmark argument: 0 a valid 100-item ListCertificatesResponse page, 1 one valid
// Certificate, 2 the page with one item's created_at a string (invalid).
subject subject_of(int which) {
  switch (which) {
    case 0:
      return {page(), "ListCertificatesResponse", "valid"};
    case 1:
      return {k_certificate, "Certificate", "valid"};
    default:
      return {invalid_page(), "ListCertificatesResponse", "invalid"};
  }
}

// Heap allocations made between construction and report(), per iteration.
class alloc_meter {
 public:
  alloc_meter() noexcept
      : calls_(alloc_count::calls.load(std::memory_order_relaxed)),
        bytes_(alloc_count::bytes.load(std::memory_order_relaxed)) {}
  void report(benchmark::State& state) const {
    const double calls =
        static_cast<double>(alloc_count::calls.load(std::memory_order_relaxed) - calls_);
    const double bytes =
        static_cast<double>(alloc_count::bytes.load(std::memory_order_relaxed) - bytes_);
    state.counters["allocs"] = benchmark::Counter(calls, benchmark::Counter::kAvgIterations);
    state.counters["alloc_bytes"] = benchmark::Counter(bytes, benchmark::Counter::kAvgIterations);
  }

 private:
  std::uint64_t calls_;
  std::uint64_t bytes_;
};

// `engine`, when given, heads the label: "compiled, ListCertificatesResponse (valid), 21371 bytes".
void set_labels(benchmark::State& state, const subject& s, std::string engine = {}) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.bytes.size()));
  if (!engine.empty()) engine += ", ";
  state.SetLabel(engine + s.schema + " (" + s.what + "), " + std::to_string(s.bytes.size()) +
                 " bytes");
}

// The judging benchmarks' second argument: 0 the compiled verdict program (the default), 1
// valijson.
validation_engine engine_of(const benchmark::State& state) {
  return state.range(1) == 1 ? validation_engine::valijson : validation_engine::compiled;
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
  parser.populateSchema(valijson::adapters::RapidJsonAdapter(docs.at(s.schema)), schema, fetch,
                        [](const rapidjson::Document*) {});
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
  const alloc_meter meter;
  for (auto _ : state) {
    decode_result r = decode_json(s.bytes);
    benchmark::DoNotOptimize(r.ok());
  }
  meter.report(state);
  set_labels(state, s);
}

// The judge alone, on a document decoded once: with the compiled engine a valid document
// must cost 0 allocs.
void bm_validate(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  const validation_engine engine = engine_of(state);
  const schema_registry& registry = schema_registry::builtin();
  const decode_result r = decode_json(s.bytes);
  // One call before counting: a set-up made once (a lazily built program) is not per document.
  benchmark::DoNotOptimize(registry.validate(r.document->root(), s.schema, engine).size());
  const alloc_meter meter;
  for (auto _ : state) {
    findings f = registry.validate(r.document->root(), s.schema, engine);
    benchmark::DoNotOptimize(f.size());
  }
  meter.report(state);
  set_labels(state, s, std::string(to_string(engine)));
}

void bm_decode_validate(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  const validation_engine engine = engine_of(state);
  const schema_registry& registry = schema_registry::builtin();
  benchmark::DoNotOptimize(
      registry.validate(decode_json(s.bytes).document->root(), s.schema, engine).size());
  const alloc_meter meter;
  for (auto _ : state) {
    decode_result r = decode_json(s.bytes);
    findings f = registry.validate(r.document->root(), s.schema, engine);
    benchmark::DoNotOptimize(f.size());
  }
  meter.report(state);
  set_labels(state, s, std::string(to_string(engine)));
}

void bm_decode_typed(benchmark::State& state) {
  const subject s = subject_of(static_cast<int>(state.range(0)));
  const alloc_meter meter;
  for (auto _ : state) {
    decode_result r = decode_json(s.bytes);
    benchmark::DoNotOptimize(models::check_decodes(s.schema, r.document->root()));
  }
  meter.report(state);
  set_labels(state, s);
}

// First argument: the subject (subject_of). Second, for the judges: 0 the compiled verdict
// program (the default engine), 1 valijson.
BENCHMARK(bm_rapidjson_parse)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(bm_rapidjson_naive_valijson)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(bm_decode)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(bm_validate)->ArgsProduct({{0, 1, 2}, {0, 1}});
BENCHMARK(bm_decode_validate)->ArgsProduct({{0, 1, 2}, {0, 1}});
BENCHMARK(bm_decode_typed)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
