// Service: what the client needs to know to speak to one AWS service, taken from its
// botocore model's metadata (protocol, apiVersion, signingName, targetPrefix, jsonVersion,
// serviceId, endpointPrefix, globalEndpoint).
#pragma once

#include <string>

namespace aws {

enum class Protocol { query, ec2, rest_xml, rest_json, json };

struct Service {
  std::string id;               // model folder name: "s3", "backup", "iam"
  std::string signing_name;     // SigV4 credential scope service: "s3", "monitoring"
  std::string endpoint_prefix;  // host prefix on real AWS: "s3", "monitoring"
  std::string env_suffix;       // AWS_ENDPOINT_URL_<suffix>: serviceId upper-cased, spaces -> '_'
  Protocol protocol = Protocol::query;
  std::string api_version;      // query/ec2: the Version parameter
  std::string target_prefix;    // json: X-Amz-Target prefix
  std::string json_version;     // json: "1.0" or "1.1"
  bool global = false;          // IAM, Route 53: one endpoint, signed for us-east-1
};

// Defined in services.cc (values from the botocore models). Namespace-scope objects: don't read
// them from another file's static initializers.
namespace services {
extern const Service s3;
extern const Service iam;
extern const Service sts;
extern const Service backup;
extern const Service rds;
extern const Service autoscaling;
extern const Service cloudwatch;  // query protocol (moto has no CBOR), signing name "monitoring"
extern const Service sns;
extern const Service dynamodb;
extern const Service ecs;
extern const Service route53;
extern const Service efs;
extern const Service ec2;
extern const Service kms;
extern const Service states;      // Step Functions (model folder "stepfunctions")
extern const Service events;
extern const Service tagging;  // Resource Groups Tagging API      // EventBridge
}  // namespace services

}  // namespace aws
