#include "certharness/http/http_client.hpp"
#include "certharness/http/url.hpp"
#include "certharness/io/ascii_text.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <string_view>

namespace certharness {
namespace {

struct easy_deleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct slist_deleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

void init_curl_once() {
  static std::once_flag once;
  // Never cleaned up: other threads' clients may outlive any one of them.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_field_value(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// What one exchange collects; the callbacks must not throw through libcurl's C frames, so they
// record a bad_alloc and abort the transfer instead.
struct transfer {
  std::size_t max_body_bytes = 0;
  header_list headers;
  std::string body;
  bool body_too_large = false;
  bool out_of_memory = false;
  bool headers_done = false;  // the blank line after the final response's headers came
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& t = *static_cast<transfer*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  try {
    if (line.starts_with("HTTP/")) {
      t.headers.clear();  // a new response (after a 1xx): only the final one's headers count
      t.headers_done = false;
    } else if (line.empty()) {
      t.headers_done = true;
    } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (!t.headers.empty())
        t.headers.back().second.append(" ").append(trim_blanks(line));  // obs-fold
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      t.headers.emplace_back(line.substr(0, colon), trim_blanks(line.substr(colon + 1)));
    }
  } catch (const std::bad_alloc&) {
    t.out_of_memory = true;
    return 0;
  }
  return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& t = *static_cast<transfer*>(user);
  const std::size_t n = size * count;
  if (n > t.max_body_bytes - t.body.size()) {
    t.body_too_large = true;
    return 0;
  }
  try {
    // Sized once from Content-Length (a hint, bounded by the limit), so a big body is not
    // copied into ever larger buffers that can reach twice its size.
    if (t.body.empty() && t.body.capacity() < n) {
      std::size_t declared = 0;
      const auto length = find_header(t.headers, "Content-Length");
      if (length && std::from_chars(length->data(), length->data() + length->size(), declared).ec ==
                        std::errc{}) {
        t.body.reserve(std::min(declared, t.max_body_bytes));
      }
    }
    t.body.append(data, n);
  } catch (const std::bad_alloc&) {
    t.out_of_memory = true;
    return 0;
  }
  return n;
}

// "0.25 s", "10 s": exact to the millisecond, without a locale.
std::string seconds_text(curl_off_t microseconds) {
  const curl_off_t ms = microseconds / 1000;
  std::string text = std::to_string(ms / 1000);
  if (const curl_off_t fraction = ms % 1000; fraction != 0) {
    std::string digits = std::to_string(1000 + fraction).substr(1);
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text + " s";
}

std::string one_line(const char* text) {
  std::string line(text);
  std::replace_if(
      line.begin(), line.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return std::string(trim_blanks(line));
}

struct failure_context {
  CURLcode code = CURLE_OK;
  std::string endpoint;
  long os_errno = 0;
  curl_off_t elapsed_us = 0;
  const char* detail = "";  // libcurl's error buffer
};

transport_error describe(const failure_context& f) {
  const std::string where = " (" + f.endpoint + ")";
  std::string detail = one_line(f.detail);
  if (detail.empty()) detail = curl_easy_strerror(f.code);
  switch (f.code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return {"could not resolve host" + where, false, true};
    case CURLE_COULDNT_CONNECT:
      if (f.os_errno == ECONNREFUSED) return {"connection refused" + where, false, true};
      return {"could not connect" + where + ": " + detail, false, true};
    case CURLE_OPERATION_TIMEDOUT:
      return {"timed out after " + seconds_text(f.elapsed_us) + where, true};
    case CURLE_PARTIAL_FILE:
      return {"response ended before Content-Length bytes (truncated body)" + where};
    case CURLE_WEIRD_SERVER_REPLY:
      return {"invalid HTTP response" + where + ": " + detail};
    case CURLE_GOT_NOTHING:
      return {"server closed the connection without a response" + where};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_USE_SSL_FAILED:
      return {"TLS failure" + where + ": " + detail, false, true};
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {"unsupported URL scheme (http and https only)" + where};
    case CURLE_URL_MALFORMAT:
      return {"malformed URL: " + detail};
    default:
      break;
  }
  return {std::string(curl_easy_strerror(f.code)) + where + ": " + detail};
}

}  // namespace

struct http_client::impl {
  client_options options;
  std::unique_ptr<CURL, easy_deleter> handle;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

http_client::http_client(client_options options) : impl_(std::make_unique<impl>()) {
  init_curl_once();
  impl_->options = options;
  impl_->handle.reset(curl_easy_init());
  if (impl_->handle == nullptr) throw std::bad_alloc();  // libcurl fails here only without memory
}

http_client::~http_client() = default;

result<client_response, transport_error> http_client::send(const client_request& request) {
  const auto refuse = [](std::string message) {
    return failure(transport_error{std::move(message), false});
  };
  if (!is_http_token(request.method)) return refuse("invalid request method");
  for (const auto& [name, value] : request.headers) {
    if (!is_http_token(name) || !is_field_value(value)) {
      return refuse("invalid request header (a name must be a token, a value one line)");
    }
  }

  // libcurl adds headers of its own; each listed here with nothing after the colon is removed:
  // Expect (no 100-continue round trip) and, unless the caller chose one, the form Content-Type
  // it would claim for a body. "Name;" is libcurl's way to send a header with an empty value.
  std::unique_ptr<curl_slist, slist_deleter> header_lines;
  const auto add_line = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(header_lines.get(), line.c_str());
    if (grown == nullptr) throw std::bad_alloc();
    header_lines.release();
    header_lines.reset(grown);
  };
  for (const auto& [name, value] : request.headers) {
    add_line(value.empty() ? name + ";" : name + ": " + value);
  }
  add_line("Expect:");
  if (!find_header(request.headers, "Content-Type")) add_line("Content-Type:");

  CURL* const h = impl_->handle.get();
  // Forgets the previous request's options but keeps its open connections (keep-alive).
  curl_easy_reset(h);
  transfer collected;
  collected.max_body_bytes = impl_->options.max_body_bytes;
  const auto at_least_1ms = [](std::chrono::milliseconds d) {
    return static_cast<long>(std::max<std::chrono::milliseconds::rep>(d.count(), 1));
  };

  CURLcode setup = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (setup == CURLE_OK) setup = curl_easy_setopt(h, option, value);
  };
  set(CURLOPT_ERRORBUFFER, impl_->error_buffer);
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_PATH_AS_IS, 1L);  // send the path as built: never collapse "/../" or "/./"
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  // Plain http carries the key in clear text and goes only to a loopback host (url.hpp's gate):
  // never to a proxy from http_proxy or all_proxy, which would be another host.
  if (const result<url_parts> target = parse_url(request.url);
      !target || target->scheme != "https") {
    set(CURLOPT_PROXY, "");
  }
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  set(CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: safe in a multi-threaded process
  // 0 would mean "no limit" to libcurl.
  set(CURLOPT_TIMEOUT_MS, at_least_1ms(impl_->options.timeout));
  set(CURLOPT_CONNECTTIMEOUT_MS, at_least_1ms(impl_->options.connect_timeout));
  // Refuses a declared-too-large body before reading it; on_body catches undeclared ones.
  constexpr auto max_off_t = static_cast<std::size_t>(std::numeric_limits<curl_off_t>::max());
  set(CURLOPT_MAXFILESIZE_LARGE,
      static_cast<curl_off_t>(std::min(impl_->options.max_body_bytes, max_off_t)));
  set(CURLOPT_USERAGENT, "certharness");
  set(CURLOPT_HTTPHEADER, header_lines.get());
  set(CURLOPT_HEADERFUNCTION, &on_header);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&collected));
  set(CURLOPT_WRITEFUNCTION, &on_body);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&collected));
  if (request.method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);  // a custom HEAD would wait for a body that never comes
  } else if (request.body || request.method == "POST") {
    // A POST without a body still says Content-Length: 0, which servers require.
    const std::string_view body = request.body ? std::string_view(*request.body) : "";
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    set(CURLOPT_POSTFIELDS, body.data());
    if (request.method != "POST") set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else if (request.method == "GET") {
    set(CURLOPT_HTTPGET, 1L);
  } else {
    set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (setup == CURLE_OUT_OF_MEMORY) throw std::bad_alloc();
  if (setup != CURLE_OK) {
    return refuse(std::string("libcurl refused an option: ") + curl_easy_strerror(setup));
  }

  impl_->error_buffer[0] = '\0';
  const CURLcode code = curl_easy_perform(h);
  if (collected.out_of_memory) throw std::bad_alloc();
  curl_off_t elapsed_us = 0;
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &elapsed_us);
  if (code == CURLE_OUT_OF_MEMORY) {
    // libcurl (7.88) refuses a header line over CURL_MAX_HTTP_HEADER (100 KB) with this same
    // code and no message. While it reads the response's headers, that refusal is the server's
    // doing and ends only this exchange; anywhere else the code is a real allocation failure.
    long request_bytes = 0;
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_bytes);
    if (request_bytes == 0 || collected.headers_done) throw std::bad_alloc();
    return refuse("libcurl refused the response headers: a header line over its " +
                  std::to_string(CURL_MAX_HTTP_HEADER / 1024) + " KB limit, or out of memory (" +
                  endpoint_of(request.url) + ")");
  }

  if (code == CURLE_FILESIZE_EXCEEDED || collected.body_too_large) {
    return refuse("response body larger than " + std::to_string(collected.max_body_bytes) +
                  " bytes (" + endpoint_of(request.url) + ")");
  }
  if (code != CURLE_OK) {
    failure_context f;
    f.code = code;
    f.endpoint = endpoint_of(request.url);
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &f.os_errno);
    f.elapsed_us = elapsed_us;
    f.detail = impl_->error_buffer;
    return failure(describe(f));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  client_response response;
  response.status = static_cast<int>(status);
  response.headers = std::move(collected.headers);
  response.body = std::move(collected.body);
  response.elapsed = std::chrono::microseconds(elapsed_us);
  return response;
}

}  // namespace certharness
