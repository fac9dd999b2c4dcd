// Service constants, copied from the metadata of botocore 1.43.11's service-2.json models
// (signingName defaults to endpointPrefix; env_suffix is serviceId upper-cased, ' ' -> '_').
#include "aws/service.h"

namespace aws::services {

namespace {
Service make(const char* id, const char* signing, const char* prefix, const char* suffix,
             Protocol p, const char* version, const char* target = "", const char* json = "",
             bool global = false) {
  return Service{id, signing, prefix, suffix, p, version, target, json, global};
}
}  // namespace

const Service s3 = make("s3", "s3", "s3", "S3", Protocol::rest_xml, "2006-03-01");
const Service iam = make("iam", "iam", "iam", "IAM", Protocol::query, "2010-05-08", "", "", true);
// STS has a global endpoint too, but the regional one is the default since 2022.
const Service sts = make("sts", "sts", "sts", "STS", Protocol::query, "2011-06-15");
const Service backup = make("backup", "backup", "backup", "BACKUP", Protocol::rest_json, "2018-11-15");
const Service rds = make("rds", "rds", "rds", "RDS", Protocol::query, "2014-10-31");
const Service autoscaling =
    make("autoscaling", "autoscaling", "autoscaling", "AUTO_SCALING", Protocol::query, "2011-01-01");
// The model prefers smithy-rpc-v2-cbor and also lists json 1.0; query is supported by AWS and moto.
const Service cloudwatch =
    make("cloudwatch", "monitoring", "monitoring", "CLOUDWATCH", Protocol::query, "2010-08-01");
const Service sns = make("sns", "sns", "sns", "SNS", Protocol::query, "2010-03-31");
const Service dynamodb = make("dynamodb", "dynamodb", "dynamodb", "DYNAMODB", Protocol::json,
                              "2012-08-10", "DynamoDB_20120810", "1.0");
const Service ecs = make("ecs", "ecs", "ecs", "ECS", Protocol::json, "2014-11-13",
                         "AmazonEC2ContainerServiceV20141113", "1.1");
const Service route53 =
    make("route53", "route53", "route53", "ROUTE_53", Protocol::rest_xml, "2013-04-01", "", "", true);
const Service efs = make("efs", "elasticfilesystem", "elasticfilesystem", "EFS", Protocol::rest_json,
                         "2015-02-01");
const Service ec2 = make("ec2", "ec2", "ec2", "EC2", Protocol::ec2, "2016-11-15");
const Service kms = make("kms", "kms", "kms", "KMS", Protocol::json, "2014-11-01", "TrentService", "1.1");
const Service states = make("stepfunctions", "states", "states", "SFN", Protocol::json, "2016-11-23",
                            "AWSStepFunctions", "1.0");
const Service tagging = make("resourcegroupstaggingapi", "tagging", "tagging",
                             "RESOURCE_GROUPS_TAGGING_API", Protocol::json, "2017-01-26",
                             "ResourceGroupsTaggingAPI_20170126", "1.1");
const Service events = make("events", "events", "events", "EVENTBRIDGE", Protocol::json, "2015-10-07",
                            "AWSEvents", "1.1");

}  // namespace aws::services
