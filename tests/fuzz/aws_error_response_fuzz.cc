// libFuzzer target: aws::parse_error on a fuzzed HTTP response, for every wire protocol
// (query/ec2/rest-xml XML, json/rest-json bodies and x-amzn-ErrorType headers, HTML pages,
// empty bodies). Input: the format of tests/data/aws/errors/*.http ("HTTP/1.1 <status> ...",
// "Name: value" header lines, blank line, body).
// Invariants checked: the error always has a code; http_status is the response's status; the
// message stays one short line for non-AWS bodies (the "HTTP<status>" codes).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "aws/encoding.h"
#include "aws/error_parse.h"

namespace {

std::string_view next_line(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  aws::HttpResponse r;
  std::string_view status_line = next_line(rest);
  size_t sp = status_line.find(' ');
  r.status = 400;
  if (sp != std::string_view::npos && status_line.size() >= sp + 4) {
    int s = 0;
    for (char c : status_line.substr(sp + 1, 3)) s = c >= '0' && c <= '9' ? s * 10 + (c - '0') : -1000;
    if (s >= 100) r.status = s;
  }
  while (!rest.empty()) {
    std::string_view line = next_line(rest);
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string name = aws::to_lower(line.substr(0, colon));
    std::string value(colon == std::string_view::npos ? std::string_view() : aws::trim(line.substr(colon + 1)));
    auto [it, fresh] = r.headers.try_emplace(name, value);
    if (!fresh) it->second += ", " + value;  // as the transport joins repeats
  }
  r.body = std::string(rest);

  aws::AwsError e = aws::parse_error(r);
  if (e.code.empty()) std::abort();
  if (e.http_status != r.status) std::abort();
  if (e.code.rfind("HTTP", 0) == 0 && e.message.find('\n') != std::string::npos) std::abort();
  return 0;
}
