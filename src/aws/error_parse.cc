#include "aws/error_parse.h"

#include <array>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "aws/encoding.h"

namespace aws {

namespace {

std::string header(const HttpResponse& r, const char* name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

// "com.amazonaws.backup#ResourceNotFoundException" -> "ResourceNotFoundException";
// "ValidationException:http://internal.amazon.com/coral/..." -> "ValidationException".
std::string clean_code(std::string code) {
  if (size_t colon = code.find(':'); colon != std::string::npos) code.resize(colon);
  if (size_t hash = code.rfind('#'); hash != std::string::npos) code = code.substr(hash + 1);
  return std::string(trim(code));
}

std::string shorten(std::string s, size_t max = 200) {
  std::string out;
  bool space = false;
  for (char c : s) {  // collapse whitespace so a page title stays on one line
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (out.size() > max) out = out.substr(0, max) + "...";
  return out;
}

std::string child_text(const pugi::xml_node& n, const char* name) {
  return n.child(name).text().as_string();
}

// Returns true when the body was an AWS XML error document.
bool parse_xml_error(const std::string& body, AwsError& e) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return false;
  pugi::xml_node root = doc.document_element();
  pugi::xml_node err;
  std::string root_name = root.name();
  if (root_name == "ErrorResponse") {
    // moto's auth failures, for every protocol, nest one level deeper: <Errors><Error>.
    err = root.child("Error") ? root.child("Error") : root.child("Errors").child("Error");
    if (e.request_id.empty()) e.request_id = child_text(root, "RequestId");
  } else if (root_name == "Response") {
    err = root.child("Errors").child("Error");
    if (e.request_id.empty()) e.request_id = child_text(root, "RequestID");
  } else if (root_name == "Error") {
    err = root;
  }
  if (!err) return false;
  e.code = child_text(err, "Code");
  e.message = child_text(err, "Message");
  if (e.request_id.empty()) e.request_id = child_text(err, "RequestId");
  return !e.code.empty();
}

bool parse_json_error(const std::string& body, const std::string& header_type, AwsError& e) {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    if (header_type.empty()) return false;
    e.code = clean_code(header_type);
    return !e.code.empty();  // ":..." or "#" cleans to nothing: fall back to HTTP<status>
  }
  auto str = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string code = header_type;
  for (const char* key : {"__type", "code", "Code"})
    if (code.empty()) code = str(key);
  for (const char* key : {"message", "Message", "errorMessage"})
    if (e.message.empty()) e.message = str(key);
  if (e.request_id.empty()) e.request_id = str("RequestId");
  e.code = clean_code(code);
  return !e.code.empty();
}

std::string html_title(const std::string& body) {
  std::string lower = to_lower(body);
  for (const char* tag : {"title", "h1"}) {
    size_t open = lower.find(std::string("<") + tag);
    if (open == std::string::npos) continue;
    size_t start = lower.find('>', open);
    size_t end = lower.find(std::string("</") + tag, start);
    if (start != std::string::npos && end != std::string::npos) return shorten(body.substr(start + 1, end - start - 1));
  }
  return "";
}

}  // namespace

Retry classify_retry(const std::string& code, int status) {
  static const std::array<const char*, 14> kThrottling = {
      "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException",
      "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
      "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
      "EC2ThrottledException"};
  static const std::array<const char*, 8> kTransient = {
      "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
      "ServiceUnavailable", "TransportError", "Timeout", "InternalServerError"};
  for (const char* c : kThrottling)
    if (code == c) return Retry::throttled;
  if (status == 429) return Retry::throttled;
  for (const char* c : kTransient)
    if (code == c) return Retry::yes;
  if (status == 500 || status == 502 || status == 503 || status == 504) return Retry::yes;
  return Retry::never;
}

AwsError parse_error(const HttpResponse& r) {
  AwsError e;
  e.http_status = r.status;
  for (const char* h : {"x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"})
    if (e.request_id.empty()) e.request_id = header(r, h);

  std::string_view body = trim(r.body);
  bool parsed = false;
  if (!body.empty() && body.front() == '<') {
    parsed = parse_xml_error(std::string(body), e);
  } else if (!body.empty() && body.front() == '{') {
    parsed = parse_json_error(std::string(body), header(r, "x-amzn-errortype"), e);
  } else if (!header(r, "x-amzn-errortype").empty()) {
    e.code = clean_code(header(r, "x-amzn-errortype"));
    parsed = !e.code.empty();  // found by tests/fuzz/aws_error_response_fuzz
  }
  if (!parsed) {
    // HTML page, plain text or nothing: keep the status as the code, and say what came back.
    e.code = "HTTP" + std::to_string(r.status);
    if (body.empty()) {
      e.message = "empty response body";
    } else {
      std::string title = html_title(std::string(body));
      e.message = !title.empty() ? title : shorten(std::string(body), 120);
    }
  }
  e.retry = classify_retry(e.code, e.http_status);
  return e;
}

AwsError transport_error(const TransportError& t) {
  AwsError e;
  e.message = t.message;
  switch (t.kind) {
    case TransportError::Kind::timeout: e.code = "Timeout"; break;
    case TransportError::Kind::insecure: e.code = "InsecureEndpoint"; break;
    default: e.code = "TransportError"; break;
  }
  e.retry = t.kind == TransportError::Kind::insecure ? Retry::never : Retry::yes;
  return e;
}

}  // namespace aws
