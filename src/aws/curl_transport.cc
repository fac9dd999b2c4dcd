#include "aws/curl_transport.h"

#include <strings.h>


#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "aws/encoding.h"

namespace aws {

namespace {

void global_init_once() {
  // curl_global_init is not thread-safe and must run once before any other libcurl call.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct UrlParts {
  std::string scheme, host;
};

UrlParts split_url(const std::string& url) {
  UrlParts p;
  size_t colon = url.find("://");
  if (colon == std::string::npos) return p;
  p.scheme = to_lower(url.substr(0, colon));
  size_t start = colon + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority[0] == '[') {
    p.host = authority.substr(1, authority.find(']') - 1);
  } else {
    p.host = authority.substr(0, authority.find(':'));
  }
  p.host = to_lower(p.host);
  return p;
}

size_t write_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t write_header(char* data, size_t size, size_t n, void* user) {
  auto* resp = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    resp->headers.clear();  // a new status line (after 100 Continue): start over
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name = to_lower(trim(line.substr(0, colon)));
  std::string value(trim(line.substr(colon + 1)));
  auto [it, fresh] = resp->headers.try_emplace(name, value);
  if (!fresh) it->second += ", " + value;
  return size * n;
}

}  // namespace

bool is_loopback_url(const std::string& url) {
  const std::string host = split_url(url).host;
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8, written as a dotted IPv4 address (not "127.0.0.1.example.com").
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

CurlOptions CurlOptions::from_environment() {
  CurlOptions o;
  if (const char* ca = std::getenv("AWS_CA_BUNDLE"); ca && *ca) o.ca_bundle = ca;
  if (const char* ins = std::getenv("DRCTL_ALLOW_INSECURE_HTTP"); ins && std::string(ins) == "1")
    o.allow_insecure_http = true;
  return o;
}

struct CurlTransport::Impl {
  CurlOptions options;
  CURLSH* share = nullptr;
  std::mutex share_locks[CURL_LOCK_DATA_LAST];
  std::mutex pool_mu;
  std::vector<CURL*> idle;

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks[data].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks[data].unlock();
  }

  CURL* acquire() {
    {
      std::lock_guard<std::mutex> g(pool_mu);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }

  void release(CURL* h) {
    curl_easy_reset(h);  // keeps the connection cache; clears options and pointers to our data
    std::lock_guard<std::mutex> g(pool_mu);
    if (idle.size() < options.max_idle_handles) {
      idle.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }
};

CurlTransport::CurlTransport(CurlOptions options) : impl_(std::make_unique<Impl>()) {
  global_init_once();
  impl_->options = std::move(options);
  impl_->share = curl_share_init();
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

CurlTransport::~CurlTransport() {
  for (CURL* h : impl_->idle) curl_easy_cleanup(h);
  curl_share_cleanup(impl_->share);
}

model::Result<HttpResponse, TransportError> CurlTransport::send(const HttpRequest& req,
                                                               std::chrono::milliseconds timeout) {
  using Kind = TransportError::Kind;
  const UrlParts parts = split_url(req.url);
  if (parts.scheme != "https" && parts.scheme != "http")
    return model::err(TransportError{Kind::insecure, "unsupported URL scheme in " + req.url});
  if (parts.scheme == "http" && !impl_->options.allow_insecure_http && !is_loopback_url(req.url))
    return model::err(TransportError{
        Kind::insecure, "refusing plain http to " + parts.host +
                            " (only loopback hosts; set DRCTL_ALLOW_INSECURE_HTTP=1 to allow)"});

  CURL* h = impl_->acquire();
  if (!h) return model::err(TransportError{Kind::other, "curl_easy_init failed"});

  HttpResponse resp;
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : req.headers)
    headers = curl_slist_append(headers, value.empty() ? (name + ";").c_str()
                                                       : (name + ": " + value).c_str());
  // curl would otherwise add "Expect: 100-continue" to larger bodies (an extra round trip)
  // and a "Content-Type" of its own to POSTs without one.
  headers = curl_slist_append(headers, "Expect:");
  bool has_content_type = false;
  for (const auto& [name, value] : req.headers)
    has_content_type = has_content_type || strcasecmp(name.c_str(), "content-type") == 0;
  if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");

  curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!impl_->options.ca_bundle.empty())
    curl_easy_setopt(h, CURLOPT_CAINFO, impl_->options.ca_bundle.c_str());
  curl_easy_setopt(h, CURLOPT_USERAGENT, impl_->options.user_agent.c_str());
  // DRCTL_HTTP_TIMEOUT_S overrides the per-request timeout (tests make a slow answer time out).
  const char* timeout_s = std::getenv("DRCTL_HTTP_TIMEOUT_S");
  const long timeout_ms = timeout_s && std::atof(timeout_s) > 0 ? static_cast<long>(std::atof(timeout_s) * 1000)
                                                                 : static_cast<long>(timeout.count());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(timeout, impl_->options.connect_timeout).count()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate if the server offers
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &write_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &write_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &resp);

  if (req.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (req.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (req.body.empty() && req.method == "DELETE") {
    // A bodiless DELETE is sent with no body at all, as the AWS SDKs send it.
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else {
    // POSTFIELDS with an explicit size sends the body for any method, binary-safe.
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
    if (req.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }

  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  impl_->release(h);

  if (rc != CURLE_OK) {
    // A certificate that does not verify is a security refusal, not a network hiccup: never
    // retried, and the message says how to trust a private CA.
    if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM) {
      const std::string& ca = impl_->options.ca_bundle;
      return model::err(TransportError{
          Kind::insecure,
          "TLS certificate of " + parts.host + " not trusted: " + curl_easy_strerror(rc) +
              (ca.empty() ? std::string(" (if the endpoint uses a private CA, set AWS_CA_BUNDLE to its PEM file)")
                          : " (AWS_CA_BUNDLE=" + ca + " does not verify it)")});
    }
    Kind kind = rc == CURLE_OPERATION_TIMEDOUT ? Kind::timeout
                : (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                   rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION ||
                   rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING)
                    ? Kind::connect
                    : Kind::other;
    return model::err(TransportError{kind, std::string(curl_easy_strerror(rc)) + " (" + parts.host + ")"});
  }
  resp.status = static_cast<int>(status);
  return resp;
}

}  // namespace aws
