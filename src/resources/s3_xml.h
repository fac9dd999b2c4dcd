// S3 request bodies: XML in the 2006-03-01 namespace and the Content-MD5 header S3 requires
// on configuration PUTs (the model marks them requestChecksumRequired), and the calls both
// S3 types make (versioning).
#pragma once

#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "aws/client.h"
#include "resources/xml_util.h"

namespace resources::s3xml {

inline constexpr std::string_view kNamespace = "http://s3.amazonaws.com/doc/2006-03-01/";

// A document whose root element is `root` carrying the S3 namespace.
pugi::xml_document make(const char* root);
// Appends <name>text</name> to parent.
using xml::add;
// The document without declaration or indentation.
using xml::to_string;

// base64(md5(body)), the value of the Content-MD5 header.
std::string content_md5(std::string_view body);

// A PUT of an XML configuration to /<bucket>?<subresource> with Content-MD5 set.
aws::RestRequest put_config(const std::string& operation, const std::string& bucket,
                            const std::string& subresource, const std::string& body);
// A GET or DELETE of /<bucket>?<subresource>.
aws::RestRequest bucket_call(const std::string& operation, const std::string& method,
                             const std::string& bucket, const std::string& subresource);

// Sends a rest-xml call and parses the reply; a 2xx reply that is not XML is a
// MalformedResponse error.
aws::Result<aws::XmlDoc> call_xml(aws::Client& c, const std::string& region,
                                  const aws::RestRequest& r);

// GetBucketVersioning: "Enabled", "Suspended", or "" when versioning was never configured.
aws::Result<std::string> get_versioning(aws::Client& c, const std::string& region,
                                        const std::string& bucket);
// PutBucketVersioning with Status = status.
aws::Result<model::Unit> put_versioning(aws::Client& c, const std::string& region,
                                        const std::string& bucket, const std::string& status);

// The PutBucketReplication body for s3.replication attributes (s3_replication.cc).
std::string replication_xml(const nlohmann::json& attrs);

// "arn:aws:s3:::<bucket>"
std::string bucket_arn(const std::string& bucket);

}  // namespace resources::s3xml
