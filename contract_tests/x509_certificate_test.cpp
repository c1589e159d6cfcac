// PEM certificates: validity read exactly (UTCTime and GeneralizedTime, before 1970 and after
// 2038), hostile PEM text refused in one line, OpenSSL's error queue never left behind.
#include "certharness/fake_api/x509_certificate.hpp"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace certharness {
namespace {

// ISRG Root X2 (a public root certificate): 2020-09-04T00:00:00Z .. 2040-09-17T16:00:00Z,
// made by someone else's tools, so reading is checked apart from our writer.
constexpr const char* isrg_root_x2 =
    "-----BEGIN CERTIFICATE-----\n"
    "MIICGzCCAaGgAwIBAgIQQdKd0XLq7qeAwSxs6S+HUjAKBggqhkjOPQQDAzBPMQsw\n"
    "CQYDVQQGEwJVUzEpMCcGA1UEChMgSW50ZXJuZXQgU2VjdXJpdHkgUmVzZWFyY2gg\n"
    "R3JvdXAxFTATBgNVBAMTDElTUkcgUm9vdCBYMjAeFw0yMDA5MDQwMDAwMDBaFw00\n"
    "MDA5MTcxNjAwMDBaME8xCzAJBgNVBAYTAlVTMSkwJwYDVQQKEyBJbnRlcm5ldCBT\n"
    "ZWN1cml0eSBSZXNlYXJjaCBHcm91cDEVMBMGA1UEAxMMSVNSRyBSb290IFgyMHYw\n"
    "EAYHKoZIzj0CAQYFK4EEACIDYgAEzZvVn4CDCuwJSvMWSj5cz3es3mcFDR0HttwW\n"
    "+1qLFNvicWDEukWVEYmO6gbf9yoWHKS5xcUy4APgHoIYOIvXRdgKam7mAHf7AlF9\n"
    "ItgKbppbd9/w+kHsOdx1ymgHDB/qo0IwQDAOBgNVHQ8BAf8EBAMCAQYwDwYDVR0T\n"
    "AQH/BAUwAwEB/zAdBgNVHQ4EFgQUfEKWrt5LSDv6kviejM9ti6lyN5UwCgYIKoZI\n"
    "zj0EAwMDaAAwZQIwe3lORlCEwkSHRhtFcP9Ymd70/aTSVaYgLXTWNLxBo1BfASdW\n"
    "tL4ndQavEi51mI38AjEAi/V3bNTIZargCyzuFJ0nN6T5U6VR5CmD1/iQMVtCnwr1\n"
    "/q4AaOeMSQ+2b1tbFfLn\n"
    "-----END CERTIFICATE-----\n";

std::string make(std::int64_t not_before, std::int64_t not_after, std::uint64_t serial = 1) {
  self_signed_request request;
  request.not_before = not_before;
  request.not_after = not_after;
  request.serial = serial;
  return make_self_signed_certificate(request);
}

certificate_validity validity(std::string_view pem) {
  const result<certificate_validity> read = read_pem_certificate(pem);
  if (!read) {
    ADD_FAILURE() << read.error();
    return {};
  }
  return *read;
}

std::string error_of(std::string_view pem) {
  const result<certificate_validity> read = read_pem_certificate(pem);
  EXPECT_FALSE(read.has_value()) << pem;
  return read ? std::string() : read.error();
}

// A certificate whose times are the given ASN.1 strings, encoded however OpenSSL's string
// setter chooses (GeneralizedTime for 14 digits): encodings our writer never produces.
std::string pem_with_times(const char* not_before, const char* not_after) {
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_EC_gen("P-256"),
                                                                &EVP_PKEY_free};
  const std::unique_ptr<X509, decltype(&X509_free)> cert{X509_new(), &X509_free};
  const std::unique_ptr<BIO, decltype(&BIO_free)> out{BIO_new(BIO_s_mem()), &BIO_free};
  if (!key || !cert || !out ||
      ASN1_TIME_set_string(X509_getm_notBefore(cert.get()), not_before) != 1 ||
      ASN1_TIME_set_string(X509_getm_notAfter(cert.get()), not_after) != 1 ||
      X509_set_pubkey(cert.get(), key.get()) != 1 ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0 ||
      PEM_write_bio_X509(out.get(), cert.get()) != 1) {
    throw std::runtime_error("test certificate");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST(x509_certificate, read_a_certificate_made_elsewhere) {
  const certificate_validity v = validity(isrg_root_x2);
  EXPECT_EQ(v.not_before, 1'599'177'600);  // 2020-09-04T00:00:00Z
  EXPECT_EQ(v.not_after, 2'231'510'400);   // 2040-09-17T16:00:00Z
}

TEST(x509_certificate, make_validity_round_trips_exactly) {
  const std::pair<std::int64_t, std::int64_t> ranges[] = {
      {0, 86'400},                         // the epoch
      {-1, 1},                             // either side of it
      {-631'152'001, -631'152'000},        // 1949 (GeneralizedTime) .. 1950 (UTCTime)
      {946'684'800, 978'307'199},          // 2000-01-01 .. 2000-12-31T23:59:59
      {2'147'483'647, 2'147'483'648},      // past 32-bit time_t
      {2'524'607'999, 2'524'608'000},      // 2049 (last UTCTime) .. 2050 (GeneralizedTime)
      {-62'167'219'200, 253'402'300'799},  // 0000-01-01 .. 9999-12-31T23:59:59
      {1'700'000'000, 1'600'000'000},      // inverted is written as asked
  };
  for (const auto& [not_before, not_after] : ranges) {
    const certificate_validity v = validity(make(not_before, not_after));
    EXPECT_EQ(v.not_before, not_before);
    EXPECT_EQ(v.not_after, not_after);
  }
}

TEST(x509_certificate, make_is_a_fresh_pem_certificate_without_a_key) {
  const std::string a = make(0, 1);
  const std::string b = make(0, 1);
  EXPECT_EQ(a.rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u) << a;
  EXPECT_NE(a, b);  // a new key each time
  EXPECT_EQ(a.find("PRIVATE"), std::string::npos);
}

TEST(x509_certificate, make_refuses_times_asn1_cannot_hold) {
  try {
    make(0, 253'402'300'800);  // year 10000
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("notAfter 253402300800"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make(-62'167'219'201, 0), std::runtime_error);  // before year 0
}

TEST(x509_certificate, read_encodings_our_writer_never_uses) {
  // GeneralizedTime in UTCTime's years, and a two-digit-year UTCTime in the 1950s.
  const certificate_validity v = validity(pem_with_times("20000101000000Z", "20491231235959Z"));
  EXPECT_EQ(v.not_before, 946'684'800);
  EXPECT_EQ(v.not_after, 2'524'607'999);
  const certificate_validity w = validity(pem_with_times("500101000000Z", "691231235959Z"));
  EXPECT_EQ(w.not_before, -631'152'000);
  EXPECT_EQ(w.not_after, -1);
}

TEST(x509_certificate, read_no_certificate) {
  EXPECT_EQ(error_of(""), "no PEM certificate found");
  EXPECT_EQ(error_of("garbage"), "no PEM certificate found");
  EXPECT_EQ(error_of(std::string(10'000, '\0')), "no PEM certificate found");
  EXPECT_EQ(error_of("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            "no PEM certificate found");
}

TEST(x509_certificate, read_only_the_view) {
  // The bytes after the view are a certificate; a reader running past the view would find it.
  const std::string text = "no certificate here\n" + make(0, 1);
  EXPECT_EQ(error_of(std::string_view(text).substr(0, 20)), "no PEM certificate found");
  EXPECT_EQ(error_of(std::string_view(text).substr(0, text.size() - 10))
                .rfind("malformed certificate: ", 0),
            0u);
}

TEST(x509_certificate, read_malformed_certificates) {
  const std::string pem = make(0, 1);
  const std::string truncated_inside = pem.substr(0, pem.size() / 2);
  const std::string without_end = pem.substr(0, pem.find("-----END"));
  const std::string body_cut =
      pem.substr(0, pem.size() / 2) + "\n" + pem.substr(pem.find("-----END"));
  const std::string not_der =
      "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
  const std::string not_base64 = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
  const std::string empty_block = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
  for (const std::string& text :
       {truncated_inside, without_end, body_cut, not_der, not_base64, empty_block}) {
    const std::string error = error_of(text);
    EXPECT_EQ(error.rfind("malformed certificate: ", 0), 0u) << error << "\n" << text;
    EXPECT_GT(error.size(), std::string_view("malformed certificate: ").size());
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
}

TEST(x509_certificate, read_first_certificate_wins_and_other_blocks_are_skipped) {
  const std::string first = make(100, 200);
  const std::string second = make(300, 400);
  const certificate_validity v = validity(first + second);
  EXPECT_EQ(v.not_before, 100);
  EXPECT_EQ(v.not_after, 200);
  const std::string key_block = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  EXPECT_EQ(validity("text before\n" + key_block + second).not_before, 300);
}

TEST(x509_certificate, read_crlf_line_endings) {
  const std::string pem = replace_all(make(1'000, 2'000), "\n", "\r\n");
  ASSERT_NE(pem.find("\r\n"), std::string::npos);
  const certificate_validity v = validity(pem);
  EXPECT_EQ(v.not_before, 1'000);
  EXPECT_EQ(v.not_after, 2'000);
}

TEST(x509_certificate, read_leaves_no_openssl_errors_behind) {
  ERR_clear_error();
  error_of("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
  EXPECT_EQ(ERR_peek_error(), 0u);
  error_of("garbage");
  EXPECT_EQ(ERR_peek_error(), 0u);
  // An error someone else left does not turn a good certificate into a bad one.
  ERR_put_error(ERR_LIB_PEM, 0, PEM_R_NO_START_LINE, __FILE__, __LINE__);
  EXPECT_EQ(validity(isrg_root_x2).not_before, 1'599'177'600);
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(x509_certificate, threads_make_and_read_concurrently) {
  constexpr int thread_count = 8;
  constexpr int rounds = 25;
  std::vector<std::thread> threads;
  std::vector<int> failures(thread_count, 0);
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < rounds; ++i) {
        const std::int64_t not_before = std::int64_t{t} * 1'000'000'000 + i;
        const std::int64_t not_after = not_before + 253'402'300'799 / (t + 2);
        const auto good = read_pem_certificate(make(not_before, not_after, t * rounds + i + 1));
        const certificate_validity* v = good ? &*good : nullptr;
        const auto bad =
            read_pem_certificate("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        const auto none = read_pem_certificate("garbage");
        if (v == nullptr || v->not_before != not_before || v->not_after != not_after ||
            bad.has_value() || none.has_value() || none.error() != "no PEM certificate found") {
          ++failures[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < thread_count; ++t) EXPECT_EQ(failures[static_cast<std::size_t>(t)], 0) << t;
}

}  // namespace
}  // namespace certharness
