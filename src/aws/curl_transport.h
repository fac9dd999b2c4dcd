// CurlTransport: HttpTransport over libcurl. Thread-safe: any number of threads may call send()
// at once. Easy handles are pooled (a handle keeps its connection cache) and all handles share
// one CURLSH for DNS, connections and TLS sessions, so keep-alive works across threads.
//
// Security: https always verifies the peer and host name (AWS_CA_BUNDLE, when set, replaces the
// system CA store); a certificate that does not verify fails as Kind::insecure (never retried)
// with a message naming AWS_CA_BUNDLE. Plain http is refused (TransportError::Kind::insecure) unless the host is a
// loopback address (127.0.0.0/8, ::1, localhost) or DRCTL_ALLOW_INSECURE_HTTP=1. Only http and
// https URLs are accepted; redirects are never followed.
#pragma once

#include <memory>
#include <string>

#include "aws/transport.h"

namespace aws {

struct CurlOptions {
  std::string ca_bundle;              // AWS_CA_BUNDLE
  bool allow_insecure_http = false;   // DRCTL_ALLOW_INSECURE_HTTP=1
  std::string user_agent = "drctl/0.1";
  size_t max_idle_handles = 32;
  std::chrono::milliseconds connect_timeout{10000};  // capped by the per-call timeout

  static CurlOptions from_environment();
};

class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(CurlOptions options = CurlOptions::from_environment());
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  model::Result<HttpResponse, TransportError> send(const HttpRequest& request,
                                                  std::chrono::milliseconds timeout) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for a URL whose host is loopback; exposed for tests.
bool is_loopback_url(const std::string& url);

}  // namespace aws
