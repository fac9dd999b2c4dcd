#include "aws/error.h"

namespace aws {

std::string AwsError::describe() const {
  std::string out;
  if (!service.empty() || !operation.empty()) {
    out = service;
    if (!operation.empty()) out += (out.empty() ? "" : " ") + operation;
    if (!region.empty()) out += " in " + region;
    out += ": ";
  }
  out += code.empty() ? "UnknownError" : code;
  if (!message.empty()) out += ": " + message;
  std::string extra;
  if (http_status) extra = "HTTP " + std::to_string(http_status);
  if (!request_id.empty()) extra += (extra.empty() ? "" : ", ") + std::string("request id ") + request_id;
  if (!extra.empty()) out += " (" + extra + ")";
  return out;
}

}  // namespace aws
