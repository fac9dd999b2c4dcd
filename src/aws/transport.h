// HttpTransport: the seam between the client and the network. One real implementation
// (CurlTransport, curl_transport.h) and one fake (fakes::FakeTransport). Implementations must
// be thread-safe: one transport serves every worker thread of a run.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/result.h"

namespace aws {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, already percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; repeats joined by ", "
  std::string body;
};

struct TransportError {
  enum class Kind {
    connect,   // DNS, refused, reset, TLS handshake: the request may not have been sent
    timeout,   // no complete answer within the timeout
    insecure,  // refused before sending: plain http to a non-loopback host
    other,     // anything else libcurl reports
  };
  Kind kind = Kind::other;
  std::string message;  // libcurl's text plus the host; never headers or bodies
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Sends one request and returns the full response, whatever its status. Fails only when no
  // HTTP response arrived. Never follows redirects.
  virtual model::Result<HttpResponse, TransportError> send(const HttpRequest& request,
                                                          std::chrono::milliseconds timeout) = 0;
};

}  // namespace aws
