// FakeTransport: an HttpTransport that records every request and answers from a queue of
// canned replies (or transport errors), falling back to a handler function when the queue is
// empty. With neither, it answers a TransportError ("no reply queued") so a test that forgot a
// reply fails loudly. Thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "aws/transport.h"

namespace fakes {

using SendResult = model::Result<aws::HttpResponse, aws::TransportError>;

class FakeTransport : public aws::HttpTransport {
 public:
  using Handler = std::function<SendResult(const aws::HttpRequest&)>;

  // Queue one reply (FIFO).
  void push(aws::HttpResponse response);
  void push(int status, std::string body, std::map<std::string, std::string> headers = {});
  void push_error(aws::TransportError error);
  void set_handler(Handler handler);

  SendResult send(const aws::HttpRequest& request, std::chrono::milliseconds timeout) override;

  std::vector<aws::HttpRequest> requests() const;
  size_t request_count() const;
  // Short form of each request for sequence assertions: "POST iam:CreateRole",
  // "PUT s3:/bucket?replication", "POST ecs:AmazonEC2ContainerServiceV20141113.ListClusters".
  std::vector<std::string> calls() const;
  size_t pending() const;  // queued replies not yet consumed

 private:
  mutable std::mutex mu_;
  std::deque<std::variant<aws::HttpResponse, aws::TransportError>> queue_;
  Handler handler_;
  std::vector<aws::HttpRequest> requests_;
};

// Helpers for assertions on recorded requests.
std::string header(const aws::HttpRequest& r, const std::string& name);  // case-insensitive; "" if absent
std::string form_value(const aws::HttpRequest& r, const std::string& key);  // from a query-protocol body
std::string signing_service(const aws::HttpRequest& r);  // from the Authorization credential scope
std::string signing_region(const aws::HttpRequest& r);

}  // namespace fakes
