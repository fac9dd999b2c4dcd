#include "fakes/fake_transport.h"

#include "aws/encoding.h"

namespace fakes {

void FakeTransport::push(aws::HttpResponse response) {
  std::lock_guard<std::mutex> g(mu_);
  queue_.emplace_back(std::move(response));
}

void FakeTransport::push(int status, std::string body, std::map<std::string, std::string> headers) {
  aws::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  for (auto& [k, v] : headers) r.headers[aws::to_lower(k)] = v;
  push(std::move(r));
}

void FakeTransport::push_error(aws::TransportError error) {
  std::lock_guard<std::mutex> g(mu_);
  queue_.emplace_back(std::move(error));
}

void FakeTransport::set_handler(Handler handler) {
  std::lock_guard<std::mutex> g(mu_);
  handler_ = std::move(handler);
}

SendResult FakeTransport::send(const aws::HttpRequest& request, std::chrono::milliseconds) {
  Handler handler;
  {
    std::lock_guard<std::mutex> g(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      auto next = std::move(queue_.front());
      queue_.pop_front();
      if (auto* resp = std::get_if<aws::HttpResponse>(&next)) return *resp;
      return model::err(std::get<aws::TransportError>(next));
    }
    handler = handler_;
  }
  if (handler) return handler(request);  // outside the lock: a handler may call back in
  return model::err(aws::TransportError{aws::TransportError::Kind::other,
                                        "FakeTransport: no reply queued for " + request.method + " " + request.url});
}

std::vector<aws::HttpRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> g(mu_);
  return requests_;
}

size_t FakeTransport::request_count() const {
  std::lock_guard<std::mutex> g(mu_);
  return requests_.size();
}

size_t FakeTransport::pending() const {
  std::lock_guard<std::mutex> g(mu_);
  return queue_.size();
}

std::vector<std::string> FakeTransport::calls() const {
  std::vector<std::string> out;
  for (const auto& r : requests()) {
    std::string what;
    if (std::string action = form_value(r, "Action"); !action.empty()) {
      what = action;
    } else if (std::string target = header(r, "X-Amz-Target"); !target.empty()) {
      what = target;
    } else {
      size_t start = r.url.find("://");
      size_t path = r.url.find('/', start == std::string::npos ? 0 : start + 3);
      what = path == std::string::npos ? "/" : r.url.substr(path);
    }
    out.push_back(r.method + " " + signing_service(r) + ":" + what);
  }
  return out;
}

std::string header(const aws::HttpRequest& r, const std::string& name) {
  const std::string want = aws::to_lower(name);
  for (const auto& [k, v] : r.headers)
    if (aws::to_lower(k) == want) return v;
  return "";
}

std::string form_value(const aws::HttpRequest& r, const std::string& key) {
  if (header(r, "Content-Type").rfind("application/x-www-form-urlencoded", 0) != 0) return "";
  size_t start = 0;
  while (start <= r.body.size()) {
    size_t amp = r.body.find('&', start);
    if (amp == std::string::npos) amp = r.body.size();
    std::string part = r.body.substr(start, amp - start);
    size_t eq = part.find('=');
    if (aws::uri_decode(part.substr(0, eq)) == key)
      return eq == std::string::npos ? "" : aws::uri_decode(part.substr(eq + 1));
    start = amp + 1;
  }
  return "";
}

namespace {
// "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/s3/aws4_request, ..." -> field n of the scope
std::string scope_field(const aws::HttpRequest& r, int n) {
  std::string auth = header(r, "Authorization");
  size_t cred = auth.find("Credential=");
  if (cred == std::string::npos) return "";
  std::string scope = auth.substr(cred + 11, auth.find(',', cred) - cred - 11);
  size_t pos = 0;
  for (int i = 0; i < n && pos != std::string::npos; ++i) pos = scope.find('/', pos) + 1;
  if (pos == 0 || pos == std::string::npos) return "";
  return scope.substr(pos, scope.find('/', pos) - pos);
}
}  // namespace

std::string signing_service(const aws::HttpRequest& r) { return scope_field(r, 3); }
std::string signing_region(const aws::HttpRequest& r) { return scope_field(r, 2); }

}  // namespace fakes
