#include "certharness/fake_api/x509_certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace certharness {
namespace {

template <auto free_fn>
struct openssl_deleter {
  template <class T>
  void operator()(T* p) const {
    free_fn(p);
  }
};
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509_free>>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY_free>>;
using name_ptr = std::unique_ptr<X509_NAME, openssl_deleter<X509_NAME_free>>;
using extension_ptr = std::unique_ptr<X509_EXTENSION, openssl_deleter<X509_EXTENSION_free>>;

// OpenSSL's error queue is per thread: whatever a call leaves in it would be blamed on the
// next, unrelated call on the same thread.
struct error_queue_scope {
  error_queue_scope() { ERR_clear_error(); }
  ~error_queue_scope() { ERR_clear_error(); }
  error_queue_scope(const error_queue_scope&) = delete;
  error_queue_scope& operator=(const error_queue_scope&) = delete;
};

// The earliest queued error is the cause; later ones only say which caller gave up. Some
// failures queue nothing (an empty PEM block): the fallback says what was being done.
std::string openssl_reason(const char* fallback) {
  const unsigned long code = ERR_peek_error();
  if (code == 0) return fallback;
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : "OpenSSL error " + std::to_string(ERR_GET_REASON(code));
}

std::optional<std::int64_t> unix_seconds(const ASN1_TIME* time) {
  std::tm tm{};
  // Validates the field ranges and applies a GeneralizedTime zone offset, giving UTC.
  if (ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  // std::chrono's civil calendar is exact for every year an ASN.1 time can hold (0000..9999),
  // where timegm and 32-bit time_t are not.
  const std::chrono::sys_days date = std::chrono::year{tm.tm_year + 1900} /
                                     std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)} /
                                     std::chrono::day{static_cast<unsigned>(tm.tm_mday)};
  const auto days = static_cast<std::int64_t>(date.time_since_epoch().count());
  return days * 86'400 + tm.tm_hour * 3'600 + tm.tm_min * 60 + tm.tm_sec;
}

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("cannot make certificate: ") + what + ": " +
                           openssl_reason("OpenSSL failed"));
}

// OpenSSL 3.0 writes unreadable times (e.g. "-0011231235959Z") for years outside 0000..9999, so
// every written time is read back: what make writes, read_pem_certificate returns exactly.
void set_time(ASN1_TIME* field, std::int64_t seconds, const char* what) {
  const auto t = static_cast<std::time_t>(seconds);
  // ASN1_TIME_set picks UTCTime for 1950..2049 and GeneralizedTime otherwise, as RFC 5280 says.
  if (t != seconds || ASN1_TIME_set(field, t) == nullptr || unix_seconds(field) != seconds) {
    throw std::runtime_error(std::string("cannot make certificate: ") + what + " " +
                             std::to_string(seconds) + " is outside years 0000..9999");
  }
}

}  // namespace

result<certificate_validity> read_pem_certificate(std::string_view pem) {
  const error_queue_scope errors;
  if (pem.empty()) return failure("no PEM certificate found");
  if (pem.size() > static_cast<std::size_t>(INT_MAX)) return failure("PEM text too large");
  const bio_ptr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (bio == nullptr) throw std::bad_alloc();
  const x509_ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
  if (cert == nullptr) {
    const unsigned long code = ERR_peek_last_error();
    if (ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE) {
      return failure("no PEM certificate found");
    }
    return failure("malformed certificate: " + openssl_reason("not a DER certificate"));
  }
  const auto not_before = unix_seconds(X509_get0_notBefore(cert.get()));
  const auto not_after = unix_seconds(X509_get0_notAfter(cert.get()));
  if (!not_before) return failure("malformed certificate: invalid notBefore time");
  if (!not_after) return failure("malformed certificate: invalid notAfter time");
  return certificate_validity{*not_before, *not_after};
}

std::string make_self_signed_certificate(const self_signed_request& request) {
  const error_queue_scope errors;
  const pkey_ptr key{EVP_EC_gen("P-256")};
  if (key == nullptr) fail("EC key generation");

  const x509_ptr cert{X509_new()};
  if (cert == nullptr) fail("X509_new");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), request.serial) != 1) {
    fail("serial");
  }

  const name_ptr name{X509_NAME_new()};
  if (name == nullptr ||
      X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(request.common_name.data()),
                                 static_cast<int>(request.common_name.size()), -1, 0) != 1 ||
      X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(), name.get()) != 1) {
    fail("common name");
  }

  set_time(X509_getm_notBefore(cert.get()), request.not_before, "notBefore");
  set_time(X509_getm_notAfter(cert.get()), request.not_after, "notAfter");

  // A self-signed certificate can only be a trust anchor: mark it a CA, as verifiers expect.
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert.get(), cert.get(), nullptr, nullptr, 0);
  const extension_ptr constraints{
      X509V3_EXT_nconf_nid(nullptr, &context, NID_basic_constraints, "critical,CA:TRUE")};
  if (constraints == nullptr || X509_add_ext(cert.get(), constraints.get(), -1) != 1) {
    fail("basicConstraints");
  }

  if (X509_set_pubkey(cert.get(), key.get()) != 1) fail("public key");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) fail("signing");

  const bio_ptr out{BIO_new(BIO_s_mem())};
  if (out == nullptr || PEM_write_bio_X509(out.get(), cert.get()) != 1) fail("PEM encoding");
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace certharness
