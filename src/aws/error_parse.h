// Turning a non-2xx HTTP response into an AwsError, for every wire protocol, and deciding
// whether a retry may help. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>

#include "aws/error.h"
#include "aws/service.h"
#include "aws/transport.h"

namespace aws {

// Parses code, message and request id from whatever the service answered:
//   query:   <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>
//            (moto's auth errors: <ErrorResponse><Errors><Error>..., for every protocol)
//   rest-xml (S3, Route 53): <Error><Code/><Message/><RequestId/></Error> or the query form
//   ec2:     <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
//   json / rest-json: x-amzn-ErrorType header, else "__type" / "code" / "Code" in the body
//            ("prefix#Name" and "Name:http://..." are reduced to "Name");
//            message from "message" / "Message" / "errorMessage".
// The request id comes from x-amzn-RequestId / x-amz-request-id headers, else the body.
// Any protocol may answer with query-style XML (auth failures) or with an HTML page or an
// empty body (proxies, moto's unimplemented operations): those give code "HTTP<status>" and
// a short message (the page title, or "empty response body"). Also sets http_status and retry.
AwsError parse_error(const HttpResponse& response);

// Fills e.retry from code and status:
//   throttled: Throttling, ThrottlingException, ThrottledException, RequestThrottledException,
//     TooManyRequestsException, ProvisionedThroughputExceededException,
//     TransactionInProgressException, RequestLimitExceeded, BandwidthLimitExceeded,
//     LimitExceededException, RequestThrottled, SlowDown, PriorRequestNotComplete,
//     EC2ThrottledException, and HTTP 429;
//   yes: HTTP 500/502/503/504, RequestTimeout(Exception), InternalError, InternalFailure,
//     ServiceUnavailable, TransportError, Timeout;
//   never: everything else.
Retry classify_retry(const std::string& code, int http_status);

// The AwsError for a failed transport call: code "Timeout" or "TransportError" (retry yes),
// "InsecureEndpoint" (never).
AwsError transport_error(const TransportError& e);

}  // namespace aws
